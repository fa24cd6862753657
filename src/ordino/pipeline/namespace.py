"""``pipeline()``: reuse a pipeline under a namespace, with renamed connections.

The rules, as in Kedro 1.x, applied to every dataset name of every node:

1. A name listed in ``inputs``/``outputs``/``parameters`` becomes its mapped name
   (itself for a set or list): it is never prefixed. ``x@fmt`` follows a mapped ``x``.
2. ``parameters`` (the whole dictionary) is never renamed.
3. With a namespace (and ``prefix_datasets_with_namespace``), ``params:x`` becomes
   ``params:<ns>.x`` and any other ``x`` (or ``x@fmt``) becomes ``<ns>.x``.

Node namespaces compose (``outer.inner``), and node names follow their namespace; so
nesting ``pipeline()`` calls stacks the prefixes. A mapped name must exist, an input
must be a free input and an output must not be one: anything else is a
``ModularPipelineError`` that names it and suggests the closest name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from ordino.errors import ModularPipelineError
from ordino.pipeline.index import paused_gc
from ordino.pipeline.transcoding import TRANSCODING_SEPARATOR, split_transcoding
from ordino.pipeline.transcoding import strip_transcoding as _base
from ordino.suggest import closest_matches

if TYPE_CHECKING:
    from ordino.pipeline.node import Node
    from ordino.pipeline.pipeline import Pipeline

__all__ = ["NameMapping", "pipeline", "remap_nodes"]

NameMapping = str | Iterable[str] | dict[str, str] | None
"""A name, a collection of names (kept as they are) or a dict (old -> new name)."""

_PARAMS = "params:"
_ALL_PARAMETERS = "parameters"


def pipeline(
    pipe: Iterable[Node | Pipeline] | Pipeline,
    *,
    inputs: NameMapping = None,
    outputs: NameMapping = None,
    parameters: NameMapping = None,
    tags: str | Iterable[str] | None = None,
    namespace: str | None = None,
    prefix_datasets_with_namespace: bool = True,
) -> Pipeline:
    """Build a ``Pipeline`` from nodes and pipelines, optionally namespaced and
    with renamed inputs, outputs and parameters (same arguments as ``Pipeline``).

    Example:
        >>> from ordino.pipeline import node
        >>> base = [node(str, ["raw", "params:k"], "clean", name="clean")]
        >>> p = pipeline(base, namespace="shop", inputs={"raw": "shop_raw"})
        >>> sorted(p.inputs()), p.outputs(), p.nodes[0].name
        (['params:shop.k', 'shop_raw'], {'shop.clean'}, 'shop.clean')
    """
    from ordino.pipeline.pipeline import Pipeline

    return Pipeline(
        pipe,
        inputs=inputs,
        outputs=outputs,
        parameters=parameters,
        tags=tags,
        namespace=namespace,
        prefix_datasets_with_namespace=prefix_datasets_with_namespace,
    )


def remap_nodes(
    source: Pipeline,
    *,
    inputs: NameMapping,
    outputs: NameMapping,
    parameters: NameMapping,
    namespace: str | None,
    prefix_datasets_with_namespace: bool,
) -> list[Node]:
    """The nodes of ``source``, renamed by the rules in the module docstring.

    Raises:
        ModularPipelineError: A mapping is malformed or names something ``source``
            does not have as a free input (``inputs``), an output (``outputs``) or a
            parameter (``parameters``).
    """
    input_map = _dataset_mapping(inputs, "inputs")
    output_map = _dataset_mapping(outputs, "outputs")
    param_map = _parameter_mapping(parameters)
    mapping = {**input_map, **output_map, **param_map}
    if mapping:
        _check_mapped_names(source, input_map, output_map, param_map)
    prefix = namespace if namespace and prefix_datasets_with_namespace else None
    rename = _renamer(mapping, prefix)
    renamed: list[Node] = []
    with paused_gc():
        for node in source._nodes:
            inner = node.namespace
            new_namespace = (f"{namespace}.{inner}" if inner else namespace) or inner
            renamed.append(node._rename(rename, namespace=new_namespace))
    return renamed


def _renamer(mapping: dict[str, str], prefix: str | None) -> Callable[[str], str]:
    def rename(name: str) -> str:
        mapped = mapping.get(name)
        if mapped is not None:
            return mapped
        if name == _ALL_PARAMETERS:
            return name
        if TRANSCODING_SEPARATOR in name:
            base, fmt = split_transcoding(name)
            if base in mapping:
                return f"{mapping[base]}{TRANSCODING_SEPARATOR}{fmt}"
        if prefix is None:
            return name
        if name.startswith(_PARAMS):
            return f"{_PARAMS}{prefix}.{name[len(_PARAMS) :]}"
        return f"{prefix}.{name}"

    return rename


def _dataset_mapping(names: NameMapping, argument: str) -> dict[str, str]:
    """``"x"`` -> ``{"x": "x"}``; a set or list maps each name to itself; a dict is
    copied after checking that it maps strings to strings."""
    if names is None:
        return {}
    if isinstance(names, str):
        return {names: names}
    if isinstance(names, dict):
        bad = [
            k
            for k, v in names.items()
            if not isinstance(k, str) or not isinstance(v, str)
        ]
        if bad:
            raise ModularPipelineError(
                f"pipeline() {argument}: {bad[0]!r} -> {names[bad[0]]!r} is not a "
                "mapping of one dataset name to another.",
                hint=f"Pass {argument} as a name, a set of names or a dict of names.",
            )
        return dict(names)
    if isinstance(names, Iterable):
        listed = list(names)
        bad_items = [item for item in listed if not isinstance(item, str)]
        if not bad_items:
            return {name: name for name in listed}
    raise ModularPipelineError(
        f"pipeline() {argument} must be a name, a set of names or a dict of names, "
        f"not {type(names).__name__}.",
        hint=f"For example {argument}={{'old_name': 'new_name'}}.",
    )


def _as_param(name: str) -> str:
    return name if name.startswith(_PARAMS) else f"{_PARAMS}{name}"


def _parameter_mapping(names: NameMapping) -> dict[str, str]:
    """Like :func:`_dataset_mapping`, with ``params:`` added where it is missing."""
    mapping: dict[str, str] = {}
    for old, new in _dataset_mapping(names, "parameters").items():
        if old == _ALL_PARAMETERS:
            mapping[old] = old  # the whole dictionary is never renamed
        else:
            mapping[_as_param(old)] = _as_param(new)
    return mapping


def _check_mapped_names(
    source: Pipeline,
    input_map: dict[str, str],
    output_map: dict[str, str],
    param_map: dict[str, str],
) -> None:
    existing = {_base(name) for name in source.datasets()}
    missing = [
        (argument, name)
        for argument, names in (
            ("inputs", input_map),
            ("outputs", output_map),
            ("parameters", param_map),
        )
        for name in names
        if _base(name) not in existing
    ]
    if missing:
        raise _missing_error(missing, existing)
    params = [name for name in input_map if _is_parameter(name)]
    if params:
        raise ModularPipelineError(
            f"pipeline() inputs: '{params[0]}' is a parameter, not a dataset.",
            dataset=params[0],
            hint=(
                "Map parameters with parameters=, for example parameters="
                f"{{'{params[0].removeprefix(_PARAMS)}': 'new_name'}}."
            ),
        )
    free = {_base(name) for name in source.inputs()}
    not_free = [name for name in input_map if _base(name) not in free]
    if not_free:
        name = not_free[0]
        raise ModularPipelineError(
            f"pipeline() inputs: '{name}' is written by a node of the pipeline, so "
            "it is not a free input that can be mapped.",
            dataset=name,
            hint="To expose it under another name, map it with outputs= instead.",
            suggestions=closest_matches(name, sorted(free)),
        )
    free_outputs = [name for name in output_map if _base(name) in free]
    if free_outputs:
        name = free_outputs[0]
        raise ModularPipelineError(
            f"pipeline() outputs: '{name}' is a free input of the pipeline; no node "
            "writes it.",
            dataset=name,
            hint="Map it with inputs= instead.",
        )


def _is_parameter(name: str) -> bool:
    return name.startswith(_PARAMS) or name == _ALL_PARAMETERS


def _missing_error(
    missing: list[tuple[str, str]], existing: set[str]
) -> ModularPipelineError:
    listed = ", ".join(f"{argument} '{name}'" for argument, name in missing)
    suggestions: list[str] = []
    for argument, name in missing:
        pool = sorted(
            e for e in existing if _is_parameter(e) == (argument == "parameters")
        )
        suggestions.extend(closest_matches(name, pool, limit=2))
    return ModularPipelineError(
        f"pipeline() cannot map {listed}: no node of the pipeline uses "
        f"{'it' if len(missing) == 1 else 'them'}.",
        dataset=missing[0][1],
        names=tuple(name for _, name in missing),
        suggestions=dict.fromkeys(suggestions),
        hint="Mapped names are the names inside the pipeline, before namespacing.",
    )
