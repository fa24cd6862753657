"""``DaskRunner``: nodes as tasks on a ``dask.distributed`` cluster.

Data that lives in memory never comes back to the main process: a node's in-memory
outputs stay on the worker that made them, as a dask future, and travel straight to
the workers of the nodes that read them; the main process drops its reference after
the last reader, so the cluster frees them. Datasets with a catalog entry (files,
databases) are pickled into the task and load and save on the worker. Only the
pipeline's free outputs are gathered at the end, into the catalog, so that ``run``
returns loadable datasets as every runner does.

Hook objects that can be pickled travel with each task and run on the worker; ones
that cannot are not called for node and dataset events (logged once per run).
"""

from __future__ import annotations

import logging
import pickle
import uuid
from collections.abc import Collection
from typing import Any

from ordino.errors import RunnerError, WorkerDiedError
from ordino.runner.hookset import RunHooks
from ordino.runner.parallel import _is_private_memory, _pickle_nodes
from ordino.runner.parallel_hooks import ParentHooks
from ordino.runner.plan import RunPlan
from ordino.runner.runner import AbstractRunner
from ordino.runner.scheduler import Outcome, RunHeap, ScheduleResult
from ordino.runner.task import run_node

__all__ = ["DaskRunner"]

logger = logging.getLogger("ordino.runner")


class DaskRunner(AbstractRunner):
    """Run nodes on a dask cluster (``pip install "ordino[dask]"``).

    Args:
        client_args: Keyword arguments for ``distributed.Client``: an ``address``
            to join a running cluster, or nothing to start a local one.
        is_async: Also load and save each node's datasets on threads.

    Example:
        >>> runner = DaskRunner(client_args={"address": "tcp://scheduler:8786"})
        >>> # runner.run(pipeline, catalog); runner.close()
    """

    def __init__(
        self, client_args: dict[str, Any] | None = None, is_async: bool = False
    ) -> None:
        super().__init__(is_async=is_async)
        self._client_args = dict(client_args or {})
        self._client: Any = None

    def __enter__(self) -> DaskRunner:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the client this runner opened."""
        client, self._client = self._client, None
        if client is not None:
            client.close()

    def _get_client(self) -> Any:
        if self._client is None:
            try:
                from distributed import Client
            except ImportError as exc:
                raise RunnerError(
                    "DaskRunner needs dask.distributed, which is not installed.",
                    hint='pip install "ordino[dask]"',
                ) from exc
            # distributed ships no type hints for Client's constructor.
            self._client = Client(**self._client_args)  # type: ignore[no-untyped-call]
        return self._client

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
        return super()._run(plan, catalog, hooks, run_id, heap)

    def _executor(
        self, plan: RunPlan, catalog: Any, hooks: RunHooks, run_id: str | None
    ) -> _DaskExecutor:
        node_bytes = _pickle_nodes(plan)
        return _DaskExecutor(
            self._get_client(), plan, catalog, hooks, run_id, node_bytes, self._is_async
        )


class _DaskExecutor:
    def __init__(
        self,
        client: Any,
        plan: RunPlan,
        catalog: Any,
        hooks: RunHooks,
        run_id: str | None,
        node_bytes: list[bytes],
        is_async: bool,
    ) -> None:
        self._client = client
        self._plan = plan
        self._catalog = catalog
        self._node_bytes = node_bytes
        threads = sum(client.nthreads().values()) or 1
        self.capacity = 2 * threads
        parent = ParentHooks(hooks)
        if parent.wanted:
            logger.warning(
                "DaskRunner: hook objects that cannot be pickled get no node or "
                "dataset hook calls (%s).",
                ", ".join(sorted(parent.wanted)),
            )
        self._context = (
            run_id,
            is_async,
            parent.project_name,
            parent.spec_classes,
            parent.shipped,
        )
        self._written = {name for node in plan.nodes for name in node.outputs}
        self._memory: dict[str, tuple[Any, str]] = {}  # name -> (future, key)
        self._pending: dict[Any, int] = {}  # future -> node number
        self._failed = False
        self._token = uuid.uuid4().hex[:12]

    def _in_memory(self, name: str) -> bool:
        dataset = self._catalog.get(name, fallback_to_runtime_pattern=True)
        return name in self._written and _is_private_memory(dataset)

    def submit(self, index: int, release_after_load: Collection[str]) -> None:
        node = self._plan.nodes[index]
        memory_inputs: dict[str, Any] = {}
        datasets: dict[str, Any] = {}
        for name in node.inputs:
            if name in self._memory:
                memory_inputs[name] = self._memory[name]
            elif name not in datasets:
                datasets[name] = self._catalog.get(
                    name, fallback_to_runtime_pattern=True
                )
        memory_outputs = frozenset(n for n in node.outputs if self._in_memory(n))
        for name in node.outputs:
            if name not in memory_outputs:
                datasets[name] = self._catalog.get(
                    name, fallback_to_runtime_pattern=True
                )
        future = self._client.submit(
            _dask_task,
            self._node_bytes[index],
            datasets,
            memory_inputs,
            memory_outputs,
            self._context,
            key=f"ordino-{node.name}-{self._token}",
            pure=False,
        )
        self._pending[future] = index
        for name in release_after_load:
            # The task holds the future now; dropping ours lets the cluster free
            # the data once this last reader has it.
            self._memory.pop(name, None)

    def collect(self) -> list[Outcome]:
        from distributed import wait

        # distributed ships no type hints for wait().
        done, _ = wait(list(self._pending), return_when="FIRST_COMPLETED")  # type: ignore[no-untyped-call]
        outcomes = []
        for future in done:
            index = self._pending.pop(future)
            outcomes.append(self._outcome(future, index))
        return outcomes

    def _outcome(self, future: Any, index: int) -> Outcome:
        node = self._plan.nodes[index]
        if future.status == "cancelled":
            return Outcome(index, cancelled=True)
        if future.status == "error":
            error = future.exception()
            self._failed = True
            if type(error).__name__ == "KilledWorker":
                error = WorkerDiedError(
                    f"The dask workers running node '{node.name}' died ({error}).",
                    node=node.name,
                    hint="If they ran out of memory, give the workers more memory "
                    "or the node less data.",
                )
            return Outcome(index, error)
        for name in node.outputs:
            if self._in_memory(name):
                self._memory[name] = (future, name)
        return Outcome(index)

    def release(self, name: str) -> None:
        if self._memory.pop(name, None) is None:
            self._catalog.release(name)

    def interrupt(self) -> None:
        for future in list(self._pending):
            future.cancel()

    def close(self) -> None:
        for future in list(self._pending):
            future.cancel()
        if self._failed:
            return
        # The free outputs come home, so run() returns datasets that load.
        for name in self._plan.outputs:
            if name in self._memory:
                future, key = self._memory.pop(name)
                self._catalog.save(name, future.result()[key])
        self._memory.clear()


class _TaskIO:
    def __init__(
        self, datasets: dict[str, Any], memory: dict[str, Any], outputs: frozenset[str]
    ) -> None:
        self.datasets = datasets
        self.memory = memory
        self.outputs = outputs
        self.captured: dict[str, Any] = {}

    def load(self, name: str, *, release: bool = False) -> Any:
        if name in self.memory:
            return self.memory[name]
        return self.datasets[name].load()

    def save(self, name: str, data: Any) -> None:
        if name in self.outputs:
            self.captured[name] = data
        else:
            self.datasets[name].save(data)

    def release(self, name: str) -> None:
        self.memory.pop(name, None)


def _dask_task(
    node_bytes: bytes,
    datasets: dict[str, Any],
    memory_inputs: dict[str, tuple[dict[str, Any], str]],
    memory_outputs: frozenset[str],
    context: tuple[Any, ...],
) -> dict[str, Any]:
    """Runs on a dask worker; returns the node's in-memory outputs."""
    run_id, is_async, project_name, spec_classes, plugins = context
    node = pickle.loads(node_bytes)
    memory = {name: result[key] for name, (result, key) in memory_inputs.items()}
    io = _TaskIO(datasets, memory, memory_outputs)
    manager = None
    if plugins:
        import pluggy

        manager = pluggy.PluginManager(project_name or "ordino")
        for spec in spec_classes:
            manager.add_hookspecs(spec)
        for plugin in plugins:
            manager.register(plugin)
    pool = None
    if is_async:
        from concurrent.futures import ThreadPoolExecutor

        pool = ThreadPoolExecutor(thread_name_prefix="ordino-io")
    catalog = _hook_catalog(datasets) if manager is not None else None
    try:
        run_node(
            node, io, RunHooks(manager), catalog=catalog, run_id=run_id, io_pool=pool
        )
    finally:
        if pool is not None:
            pool.shutdown()
    return io.captured


def _hook_catalog(datasets: dict[str, Any]) -> Any:
    """What hooks get as ``catalog`` on a worker: the task's own datasets."""
    from ordino.io import DataCatalog

    return DataCatalog(datasets=dict(datasets))
