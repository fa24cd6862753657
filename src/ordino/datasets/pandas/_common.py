"""What the pandas datasets share: the lazy import and the preview shape."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from ordino.datasets._imports import require

__all__ = ["pandas_module", "table_preview"]


def pandas_module(dataset: str) -> ModuleType:
    """Import pandas now (first use), or say how to install it."""
    return require("pandas", extra="pandas", dataset=dataset)


def table_preview(frame: Any) -> dict[str, Any]:
    """The first rows as a JSON-friendly dict: ``columns``, ``index``, ``data``.

    Kedro-Viz and notebooks consume this ``orient="split"`` shape.
    """
    preview: dict[str, Any] = frame.to_dict(orient="split")
    return preview
