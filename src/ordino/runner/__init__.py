"""Runners: run a pipeline's nodes in dependency order, loading and saving through a
catalog. One scheduler drives them all; they differ in where a node runs.

Example:
    >>> from ordino.io import DataCatalog
    >>> from ordino.pipeline import Pipeline, node
    >>> from ordino.runner import SequentialRunner
    >>> pipe = Pipeline([node(sum, "numbers", "total", name="add_up")])
    >>> SequentialRunner().run(pipe, DataCatalog(raw_data={"numbers": [1, 2]}))[
    ...     "total"
    ... ].load()
    3
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ordino.runner.dask import DaskRunner
    from ordino.runner.parallel import ParallelRunner
    from ordino.runner.runner import AbstractRunner
    from ordino.runner.sequential import SequentialRunner
    from ordino.runner.thread import ThreadRunner

__all__ = [
    "AbstractRunner",
    "DaskRunner",
    "ParallelRunner",
    "SequentialRunner",
    "ThreadRunner",
]

_LAZY = {
    "AbstractRunner": "ordino.runner.runner",
    "SequentialRunner": "ordino.runner.sequential",
    "ThreadRunner": "ordino.runner.thread",
    "ParallelRunner": "ordino.runner.parallel",
    "DaskRunner": "ordino.runner.dask",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'ordino.runner' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
