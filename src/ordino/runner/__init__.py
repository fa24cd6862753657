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

from typing import TYPE_CHECKING

from ordino._lazy import lazy_attributes

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


__getattr__, __dir__ = lazy_attributes(__name__, _LAZY, globals(), __all__)
