"""Addressing parameters the way nodes do: ``parameters`` and ``params:a.b``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["flatten_parameters"]


def flatten_parameters(params: Mapping[str, Any]) -> dict[str, Any]:
    """Return every name a node may use for a parameter, mapped to its value.

    ``"parameters"`` is the whole dict; ``"params:a"`` is a top-level key and
    ``"params:a.b"`` a nested one, at any depth, exactly as Kedro feeds them to the
    catalog. Lists are values, not levels.

    Example:
        >>> flatten_parameters({"model": {"rate": 0.1, "layers": [8, 4]}})
        ... # doctest: +NORMALIZE_WHITESPACE
        {'parameters': {'model': {'rate': 0.1, 'layers': [8, 4]}},
         'params:model': {'rate': 0.1, 'layers': [8, 4]},
         'params:model.rate': 0.1, 'params:model.layers': [8, 4]}
    """
    flat: dict[str, Any] = {"parameters": params}
    pending: list[tuple[str, Any]] = [(str(k), v) for k, v in params.items()]
    pending.reverse()
    while pending:
        name, value = pending.pop()
        flat[f"params:{name}"] = value
        if isinstance(value, Mapping):
            children = [(f"{name}.{k}", v) for k, v in value.items()]
            pending.extend(reversed(children))
    return flat
