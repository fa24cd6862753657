"""Merging configuration: files of one environment, and base with the run environment.

The rules are Kedro's:

* Inside one environment, two files may not define the same top-level key (for
  parameters: the same leaf key, so one file may hold ``model.a`` and another
  ``model.b``). ``_``-prefixed keys are exempt: they are templates.
* Between base and the run environment, ``destructive`` (the default) lets the run
  environment replace whole top-level keys; ``soft`` merges mappings key by key.

Merges never modify their inputs: parsed files are cached and shared.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ordino.errors import BadConfigException

__all__ = [
    "MERGE_STRATEGIES",
    "check_duplicates",
    "deep_merge",
    "expand_dotted",
    "leaf_keys",
    "merge_environments",
]

_log = logging.getLogger(__name__)

MERGE_STRATEGIES = ("destructive", "soft")
_SHOWN_KEYS = 10


def deep_merge(base: Mapping[Any, Any], override: Mapping[Any, Any]) -> dict[Any, Any]:
    """OmegaConf's merge: mappings merge key by key, anything else is replaced.

    Example:
        >>> deep_merge({"a": {"x": 1, "y": 2}, "l": [1]}, {"a": {"x": 3}, "l": [2]})
        {'a': {'x': 3, 'y': 2}, 'l': [2]}
    """
    merged = dict(base)
    for key, value in override.items():
        current = merged.get(key)
        if isinstance(value, dict) and isinstance(current, dict):
            merged[key] = deep_merge(current, value)
        else:
            merged[key] = value
    return merged


def merge_all(documents: Iterable[Mapping[Any, Any]]) -> dict[Any, Any]:
    """Deep-merge documents in order (later ones win on conflicting leaves)."""
    merged: dict[Any, Any] = {}
    for document in documents:
        merged = deep_merge(merged, document) if merged else dict(document)
    return merged


def expand_dotted(params: Mapping[Any, Any]) -> dict[Any, Any]:
    """Turn ``{"a.b": 1}`` into ``{"a": {"b": 1}}``, recursively and deeply merged.

    Run-time parameters come from ``--params a.b=1``; a key with a dot always means a
    nested key, as it does on Kedro's command line.

    Example:
        >>> expand_dotted({"a.b": 1, "a": {"c": 2}, "d": 3})
        {'a': {'b': 1, 'c': 2}, 'd': 3}
    """
    result: dict[Any, Any] = {}
    for key, value in params.items():
        if isinstance(value, Mapping):
            value = expand_dotted(value)
        parts = key.split(".") if isinstance(key, str) and "." in key else [key]
        nested: Any = value
        for part in reversed(parts[1:]):
            nested = {part: nested}
        result = deep_merge(result, {parts[0]: nested})
    return result


def leaf_keys(tree: Mapping[Any, Any], prefix: str = "") -> set[str]:
    """Dotted paths of every non-mapping value (an empty mapping has none)."""
    keys: set[str] = set()
    for key, value in tree.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            keys.update(leaf_keys(value, f"{dotted}."))
        elif not isinstance(value, dict):
            keys.add(dotted)
    return keys


def check_duplicates(
    files: Sequence[tuple[str, Mapping[Any, Any]]], *, by_leaf: bool, label: str
) -> None:
    """Raise if two files of one environment define the same key.

    Args:
        files: ``(display path, document)`` pairs of one environment.
        by_leaf: Compare leaf keys (parameters) instead of top-level keys.
        label: The configuration key (``catalog``...), for the message.
    """
    owner: dict[str, str] = {}
    clashes: dict[tuple[str, str], list[str]] = {}
    for display, document in files:
        keys = leaf_keys(document) if by_leaf else {str(k) for k in document}
        for key in sorted(keys):
            if key.startswith("_"):
                continue
            first = owner.setdefault(key, display)
            if first != display:
                clashes.setdefault((first, display), []).append(key)
    if not clashes:
        return
    lines = []
    for (one, other), names in clashes.items():
        shown = ", ".join(f"'{k}'" for k in names[:_SHOWN_KEYS])
        extra = len(names) - _SHOWN_KEYS
        more = f" and {extra} more" if extra > 0 else ""
        lines.append(f"Duplicate keys found in {one} and {other}: {shown}{more}")
    (first, second), clashing = next(iter(clashes.items()))
    raise BadConfigException(
        "\n  ".join(lines) + ".",
        path=first,
        other_path=second,
        key=clashing[0],
        keys=tuple(clashing),
        hint=f"A {label} key may be defined in only one file per environment: "
        "remove or rename one of them (or move it to another environment).",
    )


def merge_environments(
    base: dict[Any, Any],
    run: dict[Any, Any],
    *,
    strategy: str,
    run_display: str,
    label: str,
) -> dict[Any, Any]:
    """Merge the base environment's config with the run environment's."""
    if strategy == "soft":
        return deep_merge(base, run)
    if strategy != "destructive":  # pragma: no cover - validated by the loader
        raise BadConfigException(f"unknown merge strategy {strategy!r}")
    replaced = sorted(str(k) for k in base.keys() & run.keys())
    if replaced:
        _log.debug(
            "Config from path '%s' replaces these top-level %s keys: %s",
            run_display,
            label,
            ", ".join(replaced),
        )
    merged = dict(base)
    merged.update(run)
    return merged
