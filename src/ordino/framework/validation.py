"""Check a run's parameters before any node runs, and type them where asked.

Two checks, both on the pipeline that is about to run (not every registered one):

* every ``params:<key>`` a node reads exists, or the run stops naming the node, the
  key, the files searched and the nearest existing keys;
* a ``params:<key>`` input bound to a function argument annotated with a pydantic
  model or a dataclass is converted to that type; a value that does not fit stops
  the run with one message naming the key, the file it came from and each problem.

The converted object replaces the raw dictionary in the run's catalog, so every node
that reads ``params:<key>`` receives the same object (as in Kedro). This lives in
the framework, not in ``ordino.pipeline``: nodes stay plain functions of their inputs.

Unlike Kedro, which inspects every registered pipeline and returns typed objects
from ``context.params`` as well, ordino checks only the pipeline being run (so an
unselected pipeline is never imported) and ``context.params`` stays plain data.
"""

from __future__ import annotations

import dataclasses
import inspect
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from ordino.errors import ParameterValidationError

__all__ = [
    "TypedParameter",
    "check_parameters",
    "convert_parameter",
    "find_parameter_file",
    "typed_parameters",
]

PARAMS_PREFIX = "params:"


@dataclasses.dataclass(frozen=True, slots=True)
class TypedParameter:
    """A ``params:`` input whose function argument asks for a model or dataclass."""

    dataset: str
    type: type[Any]
    node: str
    argument: str
    optional: bool = False

    @property
    def key(self) -> str:
        """The parameter's key, without ``params:``."""
        return self.dataset[len(PARAMS_PREFIX) :]


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and (
        callable(getattr(tp, "model_validate", None)) or dataclasses.is_dataclass(tp)
    )


def _unwrap_optional(tp: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0], len(args) < len(typing.get_args(tp))
    return tp, False


def _signature(func: Callable[..., Any]) -> inspect.Signature | None:
    for eval_str in (True, False):
        try:
            return inspect.signature(func, eval_str=eval_str)
        except (NameError, TypeError, ValueError, SyntaxError):
            continue
    return None


def _bound_arguments(node: Any, signature: inspect.Signature) -> dict[str, str]:
    """Map each input dataset name of ``node`` to the argument it is passed as."""
    raw = getattr(node, "_inputs", None)
    if isinstance(raw, Mapping):
        return {dataset: argument for argument, dataset in raw.items()}
    names = list(node.inputs)
    try:
        bound = signature.bind_partial(*names)
    except TypeError:
        return {}
    mapping: dict[str, str] = {}
    for argument, value in bound.arguments.items():
        if isinstance(value, str):
            mapping[value] = argument
    return mapping


def typed_parameters(nodes: Iterable[Any]) -> dict[str, TypedParameter]:
    """The ``params:`` inputs of ``nodes`` annotated with a model or a dataclass.

    Raises:
        ParameterValidationError: Two nodes annotate one parameter with different
            types, so no single object can be given to both.
    """
    found: dict[str, TypedParameter] = {}
    for node in nodes:
        params = [name for name in node.inputs if name.startswith(PARAMS_PREFIX)]
        if not params:
            continue
        signature = _signature(node.func)
        if signature is None:
            continue
        arguments = _bound_arguments(node, signature)
        for dataset in params:
            argument = arguments.get(dataset)
            parameter = signature.parameters.get(argument or "")
            if parameter is None:
                continue
            annotation, optional = _unwrap_optional(parameter.annotation)
            if not _is_model(annotation):
                continue
            typed = TypedParameter(
                dataset, annotation, node.name, argument or "", optional
            )
            previous = found.setdefault(dataset, typed)
            if previous.type is not annotation:
                raise ParameterValidationError(
                    f"Parameter {typed.key!r} is annotated as "
                    f"{previous.type.__qualname__} in node {previous.node!r} and as "
                    f"{annotation.__qualname__} in node {node.name!r}.",
                    key=typed.key,
                    hint="Use one type for a parameter in every node that reads it.",
                )
    return found


# -- conversion -----------------------------------------------------------------------


def _pydantic_problems(exc: Exception) -> list[str] | None:
    errors = getattr(exc, "errors", None)
    if not callable(errors) or type(exc).__module__.split(".")[0] not in (
        "pydantic",
        "pydantic_core",
    ):
        return None
    problems = []
    for error in errors():
        where = ".".join(str(part) for part in error.get("loc", ())) or "(value)"
        detail = f"{where}: {error.get('msg', 'invalid')}"
        if error.get("type") != "missing" and "input" in error:
            detail += f" (got {error['input']!r})"
        problems.append(detail)
    return problems


_SIMPLE = (bool, int, float, str, list, dict, tuple)


def _fits(value: Any, expected: Any) -> bool:
    expected, optional = _unwrap_optional(expected)
    if value is None:
        return optional or expected is type(None)
    origin = typing.get_origin(expected) or expected
    if origin not in _SIMPLE:
        return True  # anything richer is the dataclass's own business
    if origin is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if origin is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if origin is tuple:
        return isinstance(value, list | tuple)
    return isinstance(value, origin)


def _build_dataclass(
    cls: type[Any], value: Any, where: str, problems: list[str]
) -> Any:
    if not isinstance(value, Mapping):
        problems.append(
            f"{where or '(value)'}: expected a mapping of {cls.__qualname__}'s fields, "
            f"got {type(value).__name__} {value!r}"
        )
        return None
    try:
        hints = typing.get_type_hints(cls)
    except (NameError, TypeError):
        hints = {}
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
    prefix = f"{where}." if where else ""
    for key in value:
        if key not in fields:
            from ordino.suggest import closest_matches, did_you_mean

            near = did_you_mean(closest_matches(str(key), fields))
            problems.append(
                f"{prefix}{key}: unknown field of {cls.__qualname__}"
                + (f"; {near}" if near else "")
            )
    kwargs: dict[str, Any] = {}
    for name, field in fields.items():
        if name not in value:
            if (
                field.default is dataclasses.MISSING
                and field.default_factory is dataclasses.MISSING
            ):
                problems.append(f"{prefix}{name}: field required")
            continue
        expected = hints.get(name, Any)
        inner, _ = _unwrap_optional(expected)
        item = value[name]
        if _is_model(inner) and item is not None:
            kwargs[name] = _convert(inner, item, f"{prefix}{name}", problems)
        elif not _fits(item, expected):
            problems.append(
                f"{prefix}{name}: expected {getattr(expected, '__name__', expected)}, "
                f"got {type(item).__name__} {item!r}"
            )
        else:
            kwargs[name] = item
    if problems:
        return None
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as exc:  # a __post_init__ check
        problems.append(f"{where or '(value)'}: {exc}")
        return None


def _convert(tp: type[Any], value: Any, where: str, problems: list[str]) -> Any:
    if isinstance(value, tp):
        return value
    if dataclasses.is_dataclass(tp):
        return _build_dataclass(tp, value, where, problems)
    try:
        return tp.model_validate(value)
    except Exception as exc:
        found = _pydantic_problems(exc)
        if found is None:
            raise
        prefix = f"{where}." if where else ""
        problems.extend(prefix + problem for problem in found)
        return None


def convert_parameter(tp: type[Any], value: Any) -> tuple[Any, list[str]]:
    """Convert ``value`` to ``tp`` (a pydantic model or dataclass).

    Returns:
        The converted object and the list of problems (empty on success).

    Example:
        >>> @dataclasses.dataclass
        ... class Split:
        ...     test_size: float
        >>> convert_parameter(Split, {"test_size": 0.2})
        (Split(test_size=0.2), [])
        >>> convert_parameter(Split, {"test_size": "big"})[1]
        ["test_size: expected float, got str 'big'"]
    """
    problems: list[str] = []
    result = _convert(tp, value, "", problems)
    return (None if problems else result), problems


# -- where a parameter came from -----------------------------------------------------


def _lookup(params: Mapping[str, Any], key: str) -> tuple[bool, Any]:
    current: Any = params
    for part in key.split("."):
        if not isinstance(current, Mapping) or part not in current:
            return False, None
        current = current[part]
    return True, current


def find_parameter_file(
    conf_source: Path | str, envs: Iterable[str], key: str
) -> Path | None:
    """The parameters file that sets ``key`` (the last environment wins), if any.

    Only used to write error messages, so it may read every parameters file.
    """
    import yaml

    found: Path | None = None
    for env in envs:
        env_dir = Path(conf_source) / env
        if not env_dir.is_dir():
            continue
        files = sorted({*env_dir.glob("parameters*"), *env_dir.glob("**/parameters*")})
        for path in files:
            candidates = sorted(path.rglob("*.y*ml")) if path.is_dir() else [path]
            for candidate in candidates:
                if candidate.suffix not in (".yml", ".yaml"):
                    continue
                try:
                    data = yaml.safe_load(candidate.read_text(encoding="utf-8"))
                except (OSError, yaml.YAMLError):
                    continue
                if isinstance(data, Mapping) and _lookup(data, key)[0]:
                    found = candidate
    return found


def _all_keys(params: Mapping[str, Any], prefix: str = "") -> Iterable[str]:
    for key, value in params.items():
        yield f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from _all_keys(value, f"{prefix}{key}.")


def check_parameters(
    pipeline: Any,
    catalog: Any,
    params: Mapping[str, Any],
    *,
    runtime_params: Mapping[str, Any] | None = None,
    describe_source: Callable[[str], str] | None = None,
) -> dict[str, Any]:
    """Check every ``params:`` input of ``pipeline``; put typed values in ``catalog``.

    Args:
        pipeline: The pipeline about to run.
        catalog: The run's catalog; converted parameters replace the raw ones.
        params: The run's parameters (files merged with runtime ones).
        runtime_params: The parameters given at run time, to say where a value
            came from.
        describe_source: Maps a key to where it is set (a file name) for messages.

    Returns:
        The converted parameters, by dataset name (``params:<key>``).

    Raises:
        ParameterValidationError: A parameter is missing or does not fit its type.
    """
    runtime = runtime_params or {}
    describe = describe_source or (lambda key: "the parameters files")
    nodes = list(pipeline.nodes)
    for node in nodes:
        for dataset in node.inputs:
            if dataset.startswith(PARAMS_PREFIX):
                key = dataset[len(PARAMS_PREFIX) :]
                if not _lookup(params, key)[0] and not _in_catalog(catalog, dataset):
                    _raise_missing(node.name, key, params, describe(key))
    converted: dict[str, Any] = {}
    for dataset, typed in typed_parameters(nodes).items():
        _, value = _lookup(params, typed.key)
        if value is None and typed.optional:
            continue
        result, problems = convert_parameter(typed.type, value)
        if problems:
            source = (
                "the runtime parameters (--params)"
                if _lookup(runtime, typed.key)[0]
                else describe(typed.key)
            )
            raise ParameterValidationError(
                f"Parameter {typed.key!r} in {source} is not a valid "
                f"{typed.type.__qualname__} (argument {typed.argument!r} of node "
                f"{typed.node!r}): " + "; ".join(problems) + ".",
                key=typed.key,
                path=source,
                node=typed.node,
                problems=tuple(problems),
                hint=f"Fix the value in {source}, or override it at run time: "
                f"ordino run --params {typed.key}.<field>=<value>",
            )
        catalog[dataset] = result
        converted[dataset] = result
    return converted


def _in_catalog(catalog: Any, dataset: str) -> bool:
    try:
        return dataset in catalog
    except Exception:  # a catalog that cannot answer is checked by the runner
        return True


def _raise_missing(node: str, key: str, params: Mapping[str, Any], where: str) -> None:
    from ordino.suggest import closest_matches

    example = "<value>"
    raise ParameterValidationError(
        f"Node {node!r} needs parameter {key!r}, which is not in {where}.",
        key=key,
        node=node,
        path=where,
        suggestions=closest_matches(key, list(_all_keys(params))),
        hint=f"Add it to a parameters file, or set it at run time: "
        f"ordino run --params {key}={example}",
    )
