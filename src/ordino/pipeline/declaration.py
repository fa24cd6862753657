"""Checks of what ``node()`` is given: the callable, dataset names, names and tags.

Each check costs a few C-level string operations in the common case and builds its
message only on failure, because every node of a 100k-node pipeline passes through
here, and again each time ``pipeline()`` renames it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ordino.errors import NodeError, TranscodingError
from ordino.pipeline.signature import readable_func_name
from ordino.pipeline.transcoding import TRANSCODING_SEPARATOR, split_transcoding

__all__ = [
    "NAME_RULE",
    "DatasetNames",
    "a_type",
    "check_callable",
    "check_confirms",
    "check_dataset_names",
    "check_name",
    "check_shape",
    "node_label",
    "plain_names",
    "quoted",
    "tag_set",
]

DatasetNames = str | list[str] | dict[str, str] | None


NAME_RULE = "letters, digits, '_', '-' and '.'"


def _is_valid_name(name: str) -> bool:
    # The same set as Kedro's r"[\w\.-]+$" without a regex: \w is exactly
    # str.isalnum() plus "_".
    if name.isidentifier():
        return True
    stripped = name.replace("_", "").replace("-", "").replace(".", "")
    return bool(name) and (not stripped or stripped.isalnum())


def _dataset_name_problem(name: object) -> str | None:
    """Say what is wrong with a dataset name, or None when it is fine."""
    if not isinstance(name, str):
        return f"is {a_type(name)}, not a string"
    if name.isidentifier():
        return None
    if not name:
        return "is empty"
    if not name.isprintable() or " " in name:
        return "contains whitespace or a control character"
    if "," in name or ";" in name:
        return "contains ',' or ';'"
    if TRANSCODING_SEPARATOR in name:
        try:
            split_transcoding(name)
        except TranscodingError:
            return "is not a valid transcoded name: write it as '<dataset>@<format>'"
    return None


def a_type(value: object) -> str:
    kind = type(value).__name__
    return f"{'an' if kind[:1].lower() in 'aeiou' else 'a'} {kind}"


def quoted(names: Iterable[Any]) -> str:
    return "[" + ", ".join(repr(n) for n in names) + "]"


def check_callable(func: object, name: str | None) -> str:
    if not callable(func):
        where = f"Node '{name}'" if name else "node()"
        raise NodeError(
            f"{where}: the first argument must be a function, not a "
            f"{type(func).__name__} ({func!r:.60}).",
            node=name,
            hint=_FORMAT_HINT,
        )
    return readable_func_name(func)


_FORMAT_HINT = "Format: node(func, inputs, outputs), e.g. node(clean, 'raw', 'clean')."


_SINGULAR = {"inputs": "input", "outputs": "output", "confirms": "confirmed dataset"}


def node_label(name: str | None, func: Callable[..., Any]) -> str:
    """How an error names a node that is not built yet."""
    return (
        f"Node '{name}'" if name else f"Node of function '{readable_func_name(func)}'"
    )


def check_shape(
    value: Any,
    what: str,
    name: str | None,
    func: Callable[..., Any],
    *,
    validate: bool = True,
) -> tuple[DatasetNames, tuple[str, ...]]:
    """Check inputs or outputs; return them as stored (lists copied) and their names.

    The common case (identifier-like names) costs one ``isidentifier`` per name.
    """
    kind = type(value)
    if value is None:
        return None, ()
    if kind is str:
        names: tuple[Any, ...] = (value,)
        raw: DatasetNames = value
    elif kind is list or kind is tuple:
        names = tuple(value)
        raw = list(value)
    elif kind is dict:
        names = tuple(value.values())
        raw = dict(value)
        if what == "inputs":
            _check_parameter_keys(value, name, func)
    elif isinstance(value, str):
        return check_shape(str(value), what, name, func)
    elif isinstance(value, dict):  # subclasses (OrderedDict...) are stored as dicts
        return check_shape(dict(value), what, name, func)
    elif isinstance(value, (list, tuple)):
        return check_shape(list(value), what, name, func)
    else:
        raise NodeError(
            f"{node_label(name, func)}: '{what}' must be None, a dataset name, a "
            f"list of names or a dict of names, not {a_type(value)} "
            f"({value!r:.60}).",
            node=name,
            hint=_FORMAT_HINT,
        )
    if validate and not plain_names(names):
        check_dataset_names(names, value, what, name, func)
    return raw, names


def plain_names(names: tuple[Any, ...]) -> bool:
    """Whether all names are fine and plain (not transcoded), in a few C calls.

    False means: look closer with :func:`check_dataset_names`, which raises for a
    bad name; names it accepts then include a transcoded one.
    """
    try:
        joined = ";".join(names)
    except TypeError:  # a name that is not a string
        return False
    return (
        joined.count(";") == len(names) - 1
        and "" not in names
        and joined.isprintable()
        and " " not in joined
        and "," not in joined
        and TRANSCODING_SEPARATOR not in joined
    )


def check_confirms(
    value: Any, name: str | None, func: Callable[..., Any]
) -> tuple[str | list[str] | None, tuple[str, ...]]:
    if isinstance(value, dict):
        raise NodeError(
            f"{node_label(name, func)}: 'confirms' must be a dataset name or a list of "
            "them, not a dict.",
            node=name,
            hint="Write confirms='dataset' or confirms=['a', 'b'].",
        )
    return check_shape(value, "confirms", name, func)  # type: ignore[return-value]  # not a dict


def _check_parameter_keys(
    value: dict[Any, Any], name: str | None, func: Callable[..., Any]
) -> None:
    for key in value:
        if not isinstance(key, str) or not key.isidentifier():
            raise NodeError(
                f"{node_label(name, func)}: the inputs dict key {key!r} is not a "
                "parameter name.",
                node=name,
                hint="Map parameter names to dataset names: {'x': 'raw'}.",
            )


def check_dataset_names(
    names: tuple[Any, ...],
    value: Any,
    what: str,
    name: str | None,
    func: Callable[..., Any],
) -> None:
    for dataset in names:
        problem = _dataset_name_problem(dataset)
        if problem is not None:
            raise NodeError(
                f"{node_label(name, func)}: {_SINGULAR[what]} {dataset!r} in {value!r} "
                f"{problem}.",
                node=name,
                dataset=dataset if isinstance(dataset, str) else None,
                hint=(
                    "Dataset names are non-empty strings without whitespace, ',' or "
                    "';', such as 'companies', 'params:model.alpha' or 'cars@pandas'."
                ),
            )


def check_name(name: str | None, namespace: str | None) -> None:
    if name is not None and (not isinstance(name, str) or not _is_valid_name(name)):
        raise NodeError(
            f"Node name {name!r} is not valid: it must contain only {NAME_RULE}.",
            node=name if isinstance(name, str) else None,
            hint="Rename the node, e.g. 'clean_companies'.",
        )
    if namespace is None:
        return
    if (
        not isinstance(namespace, str)
        or not _is_valid_name(namespace)
        or "" in namespace.split(".")
    ):
        raise NodeError(
            f"Namespace {namespace!r} of node {name or ''!r} is not valid: it must be "
            f"dot-separated non-empty parts of {NAME_RULE}.",
            node=name,
            hint="Use a namespace such as 'data_processing' or 'training.model_a'.",
        )


def tag_set(
    tags: str | Iterable[str] | None, known: Iterable[str], label: str
) -> frozenset[str]:
    if tags is None:
        return frozenset()
    if type(tags) is str:
        # Nodes mostly carry one tag of a small vocabulary: share one validated
        # frozenset per tag instead of building and checking one per node, which
        # also keeps 100k nodes' tags in a few cache lines for only_nodes_with_tags.
        shared = _ONE_TAG.get(tags)
        if shared is None:
            shared = _one_tag(tags, label)
        return shared
    if isinstance(tags, str):
        tags = (tags,)
    elif not isinstance(tags, Iterable):
        raise NodeError(
            f"Node '{label}': tags must be a string or a list of strings, not "
            f"{a_type(tags)}.",
            node=label,
            hint="Write tags='training' or tags=['training', 'daily'].",
        )
    result = frozenset(tags)
    already = known if isinstance(known, frozenset) else frozenset(known)
    for tag in result - already:
        if not isinstance(tag, str) or not _is_valid_name(tag):
            raise NodeError(
                f"Node '{label}': tag {tag!r} is not valid: it must contain only "
                f"{NAME_RULE}.",
                node=label,
                hint="Rename the tag, e.g. 'model_training'.",
            )
    return result


_ONE_TAG: dict[str, frozenset[str]] = {}
_ONE_TAG_LIMIT = 4096  # tags are a vocabulary; beyond this, stop remembering new ones


def _one_tag(tag: str, label: str) -> frozenset[str]:
    result = tag_set((tag,), (), label)
    if len(_ONE_TAG) < _ONE_TAG_LIMIT:
        _ONE_TAG[tag] = result
    return result
