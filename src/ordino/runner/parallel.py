"""``ParallelRunner``: nodes in worker processes, for CPU-bound pipelines.

How data and hooks reach the workers (see docs/runners.md):

* Nodes are pickled once per run, in the parent; a node that cannot be pickled fails
  the run before anything starts, with ``UnpicklableNodeError``.
* Datasets are pickled once per run and sent to a worker the first time it needs
  them. In-memory datasets that nodes write must be shared: with a
  ``SharedMemoryDataCatalog`` they live in a manager process; otherwise, and for any
  dataset that cannot be pickled, the parent loads and saves them and the data
  travels with the task and its answer.
* Hook objects that can be pickled are copied into each worker, where node and
  dataset hooks run (``before_node_run`` can replace inputs there). Hook objects
  that cannot be pickled, or that set ``run_hooks_in_parent = True``, stay in the
  parent: workers report each hook call and the parent replays it, with only the
  arguments those hooks take.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import pickle
import signal
import time
import weakref
from collections import deque
from collections.abc import Collection
from typing import Any

from ordino.errors import RunnerError, UnpicklableNodeError, WorkerDiedError
from ordino.runner.hookset import RunHooks
from ordino.runner.parallel_hooks import ParentHooks
from ordino.runner.parallel_pool import ProcessPool, Worker
from ordino.runner.parallel_worker import RunContext
from ordino.runner.plan import RunPlan
from ordino.runner.runner import AbstractRunner
from ordino.runner.scheduler import Outcome, RunHeap, ScheduleResult

__all__ = ["ParallelRunner"]

logger = logging.getLogger("ordino.runner")
_RUN_TOKENS = itertools.count(1)
#: After Ctrl-C, how long running nodes get to stop before their workers are killed.
INTERRUPT_GRACE_SECONDS = 5.0
#: Tasks up to this size may wait in a busy worker's pipe (half a pipe buffer).
_QUEUE_LIMIT = 32 * 1024


class ParallelRunner(AbstractRunner):
    """Run independent nodes at the same time in worker processes.

    Workers start once (``spawn`` by default; ``ORDINO_MP_CONTEXT=fork|spawn|
    forkserver``) and are reused by later runs of the same runner; ``close()`` (or
    leaving a ``with`` block) stops them, and they never outlive the main process.

    Args:
        max_workers: Worker processes; default the number of CPUs, capped at the
            number of nodes.
        is_async: Also load and save each node's datasets on threads.

    Example:
        >>> from ordino.io import DataCatalog
        >>> from ordino.pipeline import Pipeline, node
        >>> pipe = Pipeline([node(abs, "x", "y", name="absolute")])
        >>> with ParallelRunner(max_workers=1) as runner:  # doctest: +SKIP
        ...     runner.run(pipe, DataCatalog(raw_data={"x": -3}))["y"].load()
        3
    """

    def __init__(self, max_workers: int | None = None, is_async: bool = False) -> None:
        super().__init__(is_async=is_async)
        if max_workers is not None and max_workers <= 0:
            raise RunnerError(
                f"ParallelRunner(max_workers={max_workers}): it must be at least 1.",
                hint="Leave it out to use one worker per CPU.",
            )
        self._max_workers = max_workers
        self._pool: ProcessPool | None = None
        self._manager: Any = None
        self._finalizer: weakref.finalize[Any, Any] | None = None

    def __enter__(self) -> ParallelRunner:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the worker processes (and the shared-memory manager)."""
        pool, self._pool = self._pool, None
        manager, self._manager = self._manager, None
        if pool is not None:
            pool.close()
        if manager is not None:
            with contextlib.suppress(Exception):
                manager.shutdown()

    def _run(
        self,
        plan: RunPlan,
        catalog: Any,
        hooks: RunHooks,
        run_id: str | None,
        heap: RunHeap | None = None,
    ) -> ScheduleResult:
        if not plan.nodes:
            return ScheduleResult()
        result = super()._run(plan, catalog, hooks, run_id, heap)
        if result.interrupted:
            self.close()  # Ctrl-C: the user is leaving; leave no process behind
        return result

    def _share_memory(self, catalog: Any, plan: RunPlan) -> None:
        """Give the catalog's shared-memory datasets a manager, if any needs one.

        A free output that only got a runtime ``SharedMemoryDataset`` is read by no
        node: it only has to come home. It becomes a ``MemoryDataset`` in the main
        process, which the worker's answer fills; that skips the manager round trips
        (a few milliseconds per dataset) and keeps the output loadable after
        ``close()``. Data that passes between nodes goes through the manager.
        """
        set_manager = getattr(catalog, "set_manager_datasets", None)
        if not callable(set_manager):
            return
        from ordino.io import MemoryDataset, SharedMemoryDataset

        for name in plan.outputs & plan.runtime:
            if isinstance(catalog.get(name), SharedMemoryDataset):
                catalog[name] = MemoryDataset()
        used = plan.readers.keys() | plan.outputs
        if not any(isinstance(catalog.get(name), SharedMemoryDataset) for name in used):
            return
        if self._manager is None:
            from ordino.runner.parallel_pool import mp_context

            self._manager = _start_manager(mp_context())
        # Unlike Kedro, no validate_catalog(): a dataset that cannot be pickled is
        # loaded and saved by the parent instead of failing the run.
        set_manager(self._manager)

    def _executor(
        self, plan: RunPlan, catalog: Any, hooks: RunHooks, run_id: str | None
    ) -> _ProcessExecutor:
        node_bytes = _pickle_nodes(plan)  # first: fail before any process starts
        workers = self._max_workers or os.cpu_count() or 1
        workers = max(1, min(workers, len(plan.nodes)))
        if self._pool is None:
            self._pool = ProcessPool()
            self._finalizer = weakref.finalize(self, ProcessPool.close, self._pool)
        self._pool.ensure(workers)  # workers boot while the manager starts
        self._share_memory(catalog, plan)
        return _ProcessExecutor(
            plan,
            catalog,
            hooks,
            run_id,
            pool=self._pool,
            capacity=2 * workers,  # one running and one queued per worker
            node_bytes=node_bytes,
            is_async=self._is_async,
        )


def _start_manager(context: Any) -> Any:
    from ordino.io.shared_memory import MemoryDatasetManager

    manager = MemoryDatasetManager(ctx=context)
    # The manager must not die of the Ctrl-C meant for the run: the parent decides.
    manager.start(signal.signal, (signal.SIGINT, signal.SIG_IGN))
    return manager


def _pickle_nodes(plan: RunPlan) -> list[bytes]:
    """Pickle every node once, up front; list every node that cannot be."""
    blobs: list[bytes] = []
    problems: list[str] = []
    for node in plan.nodes:
        try:
            blobs.append(_dumps_node(node))
        except Exception as exc:
            problems.append(f"'{node.name}' ({type(exc).__name__}: {exc})")
    if problems:
        raise UnpicklableNodeError(
            f"ParallelRunner cannot send {len(problems)} node(s) to worker processes: "
            + "; ".join(problems)
            + ".",
            node=problems[0].split("'")[1],
            hint="Define node functions at module level in an importable module, "
            "or run this pipeline with ThreadRunner, which does not pickle nodes.",
        )
    return blobs


def _dumps_node(node: Any) -> bytes:
    import sys

    func = getattr(node, "func", None)
    main = sys.modules.get("__main__")
    interactive = getattr(func, "__module__", None) == "__main__" and not getattr(
        main, "__file__", None
    )
    if not interactive:
        try:
            return pickle.dumps(node, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:
            pass
    try:
        import cloudpickle
    except ImportError:
        return pickle.dumps(node, protocol=pickle.HIGHEST_PROTOCOL)
    # Lambdas, closures and functions typed into a notebook travel by value.
    return bytes(cloudpickle.dumps(node, protocol=pickle.HIGHEST_PROTOCOL))


class _ProcessExecutor:
    """Feeds ready nodes to idle workers and turns their answers into outcomes."""

    def __init__(
        self,
        plan: RunPlan,
        catalog: Any,
        hooks: RunHooks,
        run_id: str | None,
        *,
        pool: ProcessPool,
        capacity: int,
        node_bytes: list[bytes],
        is_async: bool,
    ) -> None:
        self.capacity = capacity
        self._plan = plan
        self._catalog = catalog
        self._pool = pool
        self._node_bytes = node_bytes
        self._by_name = {node.name: node for node in plan.nodes}
        self._parent_hooks = ParentHooks(hooks)
        self._token = next(_RUN_TOKENS)
        context = RunContext(
            token=self._token,
            run_id=run_id,
            is_async=is_async,
            project_name=self._parent_hooks.project_name,
            spec_classes=self._parent_hooks.spec_classes,
            plugins=self._parent_hooks.shipped,
            parent_hooks=self._parent_hooks.wanted,
        )
        self._context_bytes = pickle.dumps(context)
        self._datasets: dict[str, bytes | None] = {}  # None: stays in the parent
        self._written = {name for node in plan.nodes for name in node.outputs}
        self._interrupted_at: float | None = None
        self._backlog: deque[tuple[int, Collection[str]]] = deque()

    # -- datasets ---------------------------------------------------------------

    def _dataset_blob(self, name: str) -> bytes | None:
        if name in self._datasets:
            return self._datasets[name]
        dataset = self._catalog.get(name, fallback_to_runtime_pattern=True)
        blob: bytes | None = None
        single_process = getattr(dataset, "_SINGLE_PROCESS", False)
        if not single_process and not (
            name in self._written and _is_private_memory(dataset)
        ):
            try:
                blob = pickle.dumps(dataset, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as exc:
                logger.info(
                    "Dataset '%s' cannot be pickled (%s: %s); the main process loads "
                    "and saves it for the workers.",
                    name,
                    type(exc).__name__,
                    exc,
                )
        self._datasets[name] = blob
        return blob

    # -- Executor ---------------------------------------------------------------

    def submit(self, index: int, release_after_load: Collection[str]) -> None:
        worker = self._pool.idle()
        if worker is None and self._pool.busy() == [] and not self._backlog:
            # Every worker died while idle: replace one.
            self._pool.ensure(len(self._pool.workers) + 1)
            worker = self._pool.idle()
        if worker is not None:
            self._send(worker, index, release_after_load)
            return
        worker = self._pool.with_room()
        message = self._message(worker, index, release_after_load) if worker else None
        if worker is not None and message is not None and len(message) <= _QUEUE_LIMIT:
            self._send_message(worker, index, message)
        else:
            self._backlog.append((index, release_after_load))

    def _send(self, worker: Worker, index: int, release: Collection[str]) -> None:
        self._send_message(worker, index, self._message(worker, index, release))

    def _send_message(self, worker: Worker, index: int, message: bytes) -> None:
        worker.datasets_sent.update(self._new_datasets(worker, index))
        worker.tasks.append(index)
        worker.conn.send_bytes(message)

    def _new_datasets(self, worker: Worker, index: int) -> dict[str, bytes]:
        node = self._plan.nodes[index]
        new: dict[str, bytes] = {}
        for name in (*node.inputs, *node.outputs):
            blob = self._dataset_blob(name)
            if blob is not None and name not in worker.datasets_sent:
                new[name] = blob
        return new

    def _message(
        self, worker: Worker, index: int, release_after_load: Collection[str]
    ) -> bytes:
        if worker.run_token != self._token:
            worker.conn.send_bytes(pickle.dumps(("run", self._context_bytes)))
            worker.run_token = self._token
            worker.datasets_sent = set()
        node = self._plan.nodes[index]
        preloaded: dict[str, Any] = {}
        early: list[str] = []
        for name in node.inputs:
            if self._dataset_blob(name) is not None:
                if name in release_after_load:
                    early.append(name)
            elif name not in preloaded:
                preloaded[name] = self._catalog.load(name)
                if name in release_after_load:
                    self._catalog.release(name)
        parent_outputs = frozenset(
            name for name in node.outputs if self._dataset_blob(name) is None
        )
        return pickle.dumps(
            (
                "task",
                index,
                self._node_bytes[index],
                self._new_datasets(worker, index),
                preloaded,
                parent_outputs,
                tuple(early),
            ),
            protocol=pickle.HIGHEST_PROTOCOL,
        )

    def collect(self) -> list[Outcome]:
        outcomes: list[Outcome] = []
        while not outcomes:
            if self._interrupted_at is None:
                while self._backlog and (worker := self._pool.idle()) is not None:
                    self._send(worker, *self._backlog.popleft())
            elif self._backlog:  # stopping: what never reached a worker is cancelled
                outcomes.extend(Outcome(i, cancelled=True) for i, _ in self._backlog)
                self._backlog.clear()
                continue
            timeout = None
            if self._interrupted_at is not None:
                timeout = max(
                    0.0,
                    self._interrupted_at + INTERRUPT_GRACE_SECONDS - time.monotonic(),
                )
            received = False
            for worker, message in self._pool.wait(timeout):
                received = True
                outcomes.extend(self._handle(worker, message))
            if not received and self._interrupted_at is not None:
                outcomes.extend(self._kill_busy())
        return outcomes

    def _handle(self, worker: Worker, message: Any) -> list[Outcome]:
        index = worker.tasks[0]
        node = self._plan.nodes[index]
        if message is None:  # the worker died
            died = [Outcome(index, _died(worker, node.name))]
            died += [Outcome(i, cancelled=True) for i in list(worker.tasks)[1:]]
            worker.tasks.clear()
            self._pool.discard(worker)
            return died
        kind = message[0]
        if kind == "event":
            _, name, kwargs = message
            try:
                self._parent_hooks.replay(name, kwargs, node, self._catalog)
            except Exception:
                logger.exception("Hook %s failed for node '%s'.", name, node.name)
            return []
        worker.tasks.popleft()
        if kind == "cancelled":
            return [Outcome(index, cancelled=True)]
        if kind == "error":
            error = message[2]
            if isinstance(error, UnpicklableNodeError) and error.node is None:
                error.node = node.name
                error.message = f"Node '{node.name}': {error.message}"
            return [Outcome(index, error)]
        try:
            captured = message[2]
            for name in list(captured):
                # Popped, a temporary: a MemoryDataset may keep an array uncopied.
                self._catalog.save(name, captured.pop(name))
        except Exception as error:
            return [Outcome(index, error)]
        return [Outcome(index)]

    def _kill_busy(self) -> list[Outcome]:
        outcomes = []
        for worker in self._pool.busy():
            running, *queued = worker.tasks
            worker.tasks.clear()
            worker.process.kill()
            self._pool.discard(worker)
            outcomes.append(Outcome(running, KeyboardInterrupt()))
            outcomes.extend(Outcome(i, cancelled=True) for i in queued)
        return outcomes

    def interrupt(self) -> None:
        self._interrupted_at = time.monotonic()
        self._pool.interrupt()

    def running(self) -> int:
        return sum(len(w.tasks) for w in self._pool.workers) + len(self._backlog)


def _is_private_memory(dataset: Any) -> bool:
    """An in-memory dataset of which a worker would write only its own copy."""
    from ordino.io import MemoryDataset, SharedMemoryDataset

    if isinstance(dataset, SharedMemoryDataset):
        return False
    return bool(getattr(dataset, "_EPHEMERAL", False)) or isinstance(
        dataset, MemoryDataset
    )


def _died(worker: Worker, node_name: str) -> WorkerDiedError:
    code = worker.process.exitcode
    if code is not None and code < 0:
        try:
            how = f"killed by {signal.Signals(-code).name}"
        except ValueError:
            how = f"killed by signal {-code}"
        if -code == getattr(signal, "SIGKILL", -1):
            how += ", which is how the out-of-memory killer stops a process"
    else:
        how = f"exit code {code}"
    return WorkerDiedError(
        f"The worker process (pid {worker.pid}) running node '{node_name}' died "
        f"({how}).",
        node=node_name,
        exitcode=code,
        hint="If it ran out of memory, use fewer workers "
        "(ParallelRunner(max_workers=...)) or less data per node.",
    )
