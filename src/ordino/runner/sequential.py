"""``SequentialRunner``: one node after another, in the main thread."""

from __future__ import annotations

from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ordino.runner.hookset import RunHooks
from ordino.runner.plan import RunPlan
from ordino.runner.runner import AbstractRunner
from ordino.runner.scheduler import Outcome
from ordino.runner.task import data_io, run_node

__all__ = ["SequentialRunner"]


class SequentialRunner(AbstractRunner):
    """Run nodes one at a time, in topological order.

    Example:
        >>> from ordino.io import DataCatalog
        >>> from ordino.pipeline import Pipeline, node
        >>> pipe = Pipeline([node(lambda x: x * 2, "x", "y", name="double")])
        >>> outputs = SequentialRunner().run(pipe, DataCatalog(raw_data={"x": 21}))
        >>> outputs["y"].load()
        42
    """

    def _executor(
        self, plan: RunPlan, catalog: Any, hooks: RunHooks, run_id: str | None
    ) -> _InlineExecutor:
        return _InlineExecutor(plan, catalog, hooks, run_id, is_async=self._is_async)


class _InlineExecutor:
    """Runs a node as it is submitted: no thread, no future, no queue."""

    capacity = 1

    def __init__(
        self,
        plan: RunPlan,
        catalog: Any,
        hooks: RunHooks,
        run_id: str | None,
        *,
        is_async: bool,
    ) -> None:
        self._nodes = plan.nodes
        self._catalog = catalog
        self._io = data_io(catalog)
        self._hooks = hooks
        self._run_id = run_id
        self._pool = (
            ThreadPoolExecutor(thread_name_prefix="ordino-io") if is_async else None
        )
        self._finished: list[Outcome] = []

    def submit(self, index: int, release_after_load: Collection[str]) -> None:
        try:
            run_node(
                self._nodes[index],
                self._io,
                self._hooks,
                catalog=self._catalog,
                run_id=self._run_id,
                io_pool=self._pool,
                release_after_load=release_after_load,
            )
        except Exception as error:  # reported to the scheduler, raised by the runner
            self._finished.append(Outcome(index, error))
        else:
            self._finished.append(Outcome(index))

    def collect(self) -> list[Outcome]:
        finished, self._finished = self._finished, []
        return finished

    def interrupt(self) -> None:
        """The KeyboardInterrupt already stopped the node where it ran."""

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
