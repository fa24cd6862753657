"""``ThreadRunner``: nodes on a pool of threads, for I/O-bound pipelines."""

from __future__ import annotations

import os
import queue
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ordino.errors import RunnerError
from ordino.runner.hookset import RunHooks
from ordino.runner.plan import RunPlan
from ordino.runner.runner import AbstractRunner
from ordino.runner.scheduler import Outcome
from ordino.runner.task import data_io, run_node

__all__ = ["ThreadRunner"]


class ThreadRunner(AbstractRunner):
    """Run independent nodes concurrently on threads.

    Threads share the catalog, so nothing is pickled; the GIL makes this the runner
    for nodes that wait (on files, databases, the network), not for pure-Python
    number crunching (use ``ParallelRunner``).

    Args:
        max_workers: Threads running nodes; default ``min(32, cpu_count + 4)``,
            capped at the number of nodes.
        is_async: Also load and save each node's datasets on threads.

    Example:
        >>> from ordino.io import DataCatalog
        >>> from ordino.pipeline import Pipeline, node
        >>> pipe = Pipeline([node(str.upper, "a", "b", name="shout")])
        >>> ThreadRunner(max_workers=2).run(pipe, DataCatalog(raw_data={"a": "hi"}))[
        ...     "b"
        ... ].load()
        'HI'
    """

    def __init__(self, max_workers: int | None = None, is_async: bool = False) -> None:
        super().__init__(is_async=is_async)
        if max_workers is not None and max_workers <= 0:
            raise RunnerError(
                f"ThreadRunner(max_workers={max_workers}): it must be at least 1.",
                hint="Leave it out to use min(32, CPU count + 4) threads.",
            )
        self._max_workers = max_workers

    def _executor(
        self, plan: RunPlan, catalog: Any, hooks: RunHooks, run_id: str | None
    ) -> _ThreadExecutor:
        workers = self._max_workers or min(32, (os.cpu_count() or 1) + 4)
        workers = max(1, min(workers, len(plan.nodes)))
        return _ThreadExecutor(plan, catalog, hooks, run_id, workers, self._is_async)


class _ThreadExecutor:
    def __init__(
        self,
        plan: RunPlan,
        catalog: Any,
        hooks: RunHooks,
        run_id: str | None,
        workers: int,
        is_async: bool,
    ) -> None:
        self.capacity = workers
        self._nodes = plan.nodes
        self._catalog = catalog
        self._io = data_io(catalog)
        self._hooks = hooks
        self._run_id = run_id
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="ordino-node")
        self._io_pool = (
            ThreadPoolExecutor(thread_name_prefix="ordino-io") if is_async else None
        )
        self._finished: queue.SimpleQueue[Outcome] = queue.SimpleQueue()

    def submit(self, index: int, release_after_load: Collection[str]) -> None:
        self._pool.submit(self._task, index, release_after_load)

    def _task(self, index: int, release_after_load: Collection[str]) -> None:
        try:
            run_node(
                self._nodes[index],
                self._io,
                self._hooks,
                catalog=self._catalog,
                run_id=self._run_id,
                io_pool=self._io_pool,
                release_after_load=release_after_load,
            )
        except BaseException as error:
            self._finished.put(Outcome(index, error))
        else:
            self._finished.put(Outcome(index))

    def collect(self) -> list[Outcome]:
        finished = [self._finished.get()]
        while True:
            try:
                finished.append(self._finished.get_nowait())
            except queue.Empty:
                return finished

    def interrupt(self) -> None:
        """Threads cannot be stopped from outside: running nodes finish."""

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        if self._io_pool is not None:
            self._io_pool.shutdown(wait=True)
