"""What the polars datasets share: the lazy import and the preview shape."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from ordino.datasets._imports import require

__all__ = ["polars_module", "polars_preview"]


def polars_module(dataset: str) -> ModuleType:
    """Import polars now (first use), or say how to install it."""
    return require("polars", extra="polars", dataset=dataset)


def polars_preview(frame: Any) -> dict[str, Any]:
    """The rows of a small polars frame in pandas' ``orient="split"`` shape."""
    return {
        "index": list(range(frame.height)),
        "columns": list(frame.columns),
        "data": [list(row) for row in frame.iter_rows()],
    }
