"""Runner cases: per-node overhead, thread and process parallelism, memory.

Only ``runner.run(...)`` is timed: pipelines and catalogs are built first (a fresh
catalog per repeat, since a run consumes its in-memory data). Node functions live
at module level so that ``ParallelRunner`` can send them to worker processes by
reference (``benchmarks`` is importable there: the harness sets ``PYTHONPATH``).

Log records below WARNING are switched off in both frameworks: importing Kedro's
hook manager installs its rich console handler, whose per-node "Completed n out of
m tasks" lines cost more than Kedro's runner itself (6.1 instead of 2.0 ms a node
at 1,000 nodes here), while ordino configures no handler outside a project. The
cases measure the runners, not a terminal.
"""

from __future__ import annotations

import gc
import logging
import os
import time
from collections.abc import Callable
from typing import Any

from benchmarks.cases.catalog import MB, PeakMemory
from benchmarks.spec import Benchmark, Target

__all__ = [
    "BENCHMARKS",
    "memory_chain",
    "parallel_cpu",
    "sequential_chain",
    "thread_sleep",
]


# --- node functions (module level: picklable by reference) -----------------------


def _increment(value: int) -> int:
    return value + 1


def _sleep_10ms() -> int:
    time.sleep(0.01)
    return 0


def _burn(iterations: int) -> int:
    total = 0
    for step in range(iterations):
        total += step
    return total


def _make_array(elements: int) -> Any:
    import numpy as np

    return np.full(elements, 1.0)


def _next_array(array: Any) -> Any:
    return array + 1.0


# --- framework access --------------------------------------------------------------


def _api(impl: str) -> dict[str, Any]:
    """The framework's classes and functions the cases use, by one set of names.

    Also switches off log records below WARNING (see the module's docstring).
    """
    logging.disable(logging.INFO)
    if impl == "kedro":
        from kedro.framework.hooks import hook_impl as kedro_hook_impl
        from kedro.framework.hooks.manager import (
            _create_hook_manager as kedro_hook_manager,
        )
        from kedro.io import DataCatalog as KedroCatalog
        from kedro.io import SharedMemoryDataCatalog as KedroSharedCatalog
        from kedro.pipeline import Pipeline as KedroPipeline
        from kedro.pipeline import node as kedro_node
        from kedro.runner import ParallelRunner as KedroParallel
        from kedro.runner import SequentialRunner as KedroSequential
        from kedro.runner import ThreadRunner as KedroThread

        return {
            "hook_impl": kedro_hook_impl,
            "hook_manager": kedro_hook_manager,
            "DataCatalog": KedroCatalog,
            "SharedMemoryDataCatalog": KedroSharedCatalog,
            "Pipeline": KedroPipeline,
            "node": kedro_node,
            "SequentialRunner": KedroSequential,
            "ThreadRunner": KedroThread,
            "ParallelRunner": KedroParallel,
        }
    from ordino.framework.hooks import _create_hook_manager, hook_impl
    from ordino.io import DataCatalog, SharedMemoryDataCatalog
    from ordino.pipeline import Pipeline, node
    from ordino.runner import ParallelRunner, SequentialRunner, ThreadRunner

    return {
        "hook_impl": hook_impl,
        "hook_manager": _create_hook_manager,
        "DataCatalog": DataCatalog,
        "SharedMemoryDataCatalog": SharedMemoryDataCatalog,
        "Pipeline": Pipeline,
        "node": node,
        "SequentialRunner": SequentialRunner,
        "ThreadRunner": ThreadRunner,
        "ParallelRunner": ParallelRunner,
    }


def _catalog(api: dict[str, Any], data: dict[str, Any], *, shared: bool = False) -> Any:
    """A catalog holding ``data`` as MemoryDatasets (Kedro 1.7 has no ``raw_data``)."""
    catalog = api["SharedMemoryDataCatalog" if shared else "DataCatalog"]()
    for name, value in data.items():
        catalog[name] = value
    return catalog


def _no_op_hooks(api: dict[str, Any]) -> Any:
    """A hook manager with one registered no-op ``after_node_run``.

    With nothing registered a framework may skip the hook calls entirely; a real
    project always has some hook (a plugin, a timer), so each node pays for one.
    """
    hook_impl: Callable[[Callable[..., Any]], Callable[..., Any]] = api["hook_impl"]

    class NoOpHooks:
        @hook_impl
        def after_node_run(self, node: Any) -> None:
            return None

    manager = api["hook_manager"]()
    manager.register(NoOpHooks())
    return manager


# --- SequentialRunner: a chain of trivial nodes --------------------------------------


def sequential_chain(
    impl: str, nodes: int = 10_000, repeat: int = 3
) -> dict[str, float]:
    """A chain ``d0 -> d1 -> ... -> dN`` of ``x + 1`` nodes through MemoryDatasets.

    ``seconds`` are CPU seconds of ``run()`` (best of ``repeat``), hooks included;
    ``us_per_node`` is the same per node; ``baseline_seconds`` is the same chain
    run by hand (:func:`_plain_pass`), which the harness uses to discount cache
    effects in the exponent.
    """
    api = _api(impl)
    if impl == "kedro":
        repeat = min(repeat, 2)  # several seconds a run at 1,000 nodes
    node = api["node"]
    chain = [node(_increment, f"d{i}", f"d{i + 1}", name=f"n{i}") for i in range(nodes)]
    pipeline = api["Pipeline"](chain)
    hooks = _no_op_hooks(api)
    best = best_wall = float("inf")
    for _ in range(repeat):
        catalog = _catalog(api, {"d0": 0})
        runner = api["SequentialRunner"]()
        gc.collect()
        wall = time.perf_counter()
        start = time.process_time()
        outputs = runner.run(pipeline, catalog, hook_manager=hooks)
        best = min(best, time.process_time() - start)
        best_wall = min(best_wall, time.perf_counter() - wall)
        if outputs[f"d{nodes}"].load() != nodes:
            raise AssertionError("the chain computed a wrong result")
        del outputs, catalog
    return {
        "seconds": best,
        "wall_seconds": best_wall,
        "us_per_node": best / nodes * 1e6,
        "baseline_seconds": _plain_pass(chain, repeat),
    }


def _plain_pass(chain: list[Any], repeat: int) -> float:
    """CPU seconds of running the chain by hand: each node's function on a dict.

    The floor for any runner, and the harness's reference for the exponent: at
    100,000 nodes the node objects no longer fit in the CPU caches, which slows
    this plain pass too (the report shows the exponent relative to it).
    """
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        values: dict[str, Any] = {"d0": 0}
        for each in chain:
            values[each.outputs[0]] = each.func(values[each.inputs[0]])
        best = min(best, time.process_time() - start)
    return best


# --- ThreadRunner: nodes that wait ---------------------------------------------------


def thread_sleep(
    impl: str,
    nodes: int = 200,
    workers: int = 8,
    kedro_workers: int = 16,
    repeat: int = 3,
) -> dict[str, float]:
    """``nodes`` independent nodes that sleep 10 ms on a ThreadRunner.

    ``baseline_seconds`` is the ideal time, ``nodes * 10 ms / workers``; the
    efficiency is ideal / measured. Kedro runs with ``kedro_workers`` (the issue's
    comparison used 16).
    """
    api = _api(impl)
    if impl == "kedro":
        workers = kedro_workers
    node = api["node"]
    pipeline = api["Pipeline"](
        [node(_sleep_10ms, None, f"slept_{i}", name=f"sleep_{i}") for i in range(nodes)]
    )
    best = float("inf")
    for _ in range(repeat):
        catalog = api["DataCatalog"]()
        runner = api["ThreadRunner"](max_workers=workers)
        gc.collect()
        start = time.perf_counter()
        outputs = runner.run(pipeline, catalog)
        best = min(best, time.perf_counter() - start)
        if len(outputs) != nodes:
            raise AssertionError(f"{len(outputs)} outputs, expected {nodes}")
    ideal = nodes * 0.01 / workers
    return {
        "seconds": best,
        "baseline_seconds": ideal,
        "efficiency": ideal / best,
        "workers": float(workers),
        "load_average": os.getloadavg()[0],  # a busy machine explains a low figure
    }


# --- ParallelRunner: CPU-bound nodes ----------------------------------------------


def _calibrate(target_seconds: float) -> tuple[int, float]:
    """Iterations of :func:`_burn` that take ``target_seconds`` of CPU here.

    Returns the iterations and the measured CPU time of one call with them (best
    of five batches of five), which is what the ideal parallel time is computed
    from.
    """

    def cost(iterations: int) -> float:
        best = float("inf")
        for _ in range(5):
            start = time.process_time()
            for _ in range(5):
                _burn(iterations)
            best = min(best, (time.process_time() - start) / 5)
        return best

    probe = 200_000
    iterations = max(1, round(probe * target_seconds / cost(probe)))
    return iterations, cost(iterations)


def parallel_cpu(
    impl: str, nodes: int = 200, workers: int = 2, node_ms: float = 10.0
) -> dict[str, float]:
    """``nodes`` independent nodes of ``node_ms`` of CPU work on a ParallelRunner.

    The runner is created and run once, timed together: starting the worker
    processes is part of what a user waits for. The catalog is a
    ``SharedMemoryDataCatalog`` in both frameworks, which is what their sessions
    create for ``ParallelRunner``. ``baseline_seconds`` is the ideal time,
    ``nodes * node cost / workers``, with the node cost measured in this process.
    """
    api = _api(impl)
    iterations, node_seconds = _calibrate(node_ms / 1000)
    node = api["node"]
    pipeline = api["Pipeline"](
        [
            node(_burn, "params:iterations", f"burnt_{i}", name=f"burn_{i}")
            for i in range(nodes)
        ]
    )
    catalog = _catalog(api, {"params:iterations": iterations}, shared=True)
    gc.collect()
    start = time.perf_counter()
    runner = api["ParallelRunner"](max_workers=workers)
    try:
        outputs = runner.run(pipeline, catalog)
        seconds = time.perf_counter() - start
        expected = iterations * (iterations - 1) // 2
        if len(outputs) != nodes or outputs["burnt_0"].load() != expected:
            raise AssertionError("a node computed a wrong result")
    finally:
        close = getattr(runner, "close", None)
        if close is not None:
            close()
    ideal = nodes * node_seconds / workers
    return {
        "seconds": seconds,
        "baseline_seconds": ideal,
        "efficiency": ideal / seconds,
        "node_ms": node_seconds * 1000,
        "load_average": os.getloadavg()[0],  # a busy machine explains a low figure
    }


# --- memory: a chain of nodes passing a 100 MB array -------------------------------


def memory_chain(impl: str, nodes: int = 20, size_mb: int = 100) -> dict[str, float]:
    """Peak memory of a SequentialRunner chain passing a 100 MB array node to node.

    The first node makes the array (so no pipeline input pins a copy for the whole
    run), each next one returns ``array + 1.0``: a node's input and its output must
    coexist, so 2x the array is the floor. The figure is the increase of peak
    resident memory over the state after imports, as a multiple of the array.
    """
    import numpy  # noqa: F401  (imported before the baseline, as a project would)

    api = _api(impl)
    node = api["node"]
    steps = [node(_make_array, "params:elements", "a0", name="make")]
    steps += [
        node(_next_array, f"a{i - 1}", f"a{i}", name=f"step_{i}")
        for i in range(1, nodes)
    ]
    pipeline = api["Pipeline"](steps)
    elements = size_mb * MB // 8
    catalog = _catalog(api, {"params:elements": elements})
    runner = api["SequentialRunner"]()
    memory = PeakMemory()
    memory.start()
    outputs = runner.run(pipeline, catalog)
    peak = memory.increase()
    result = outputs[f"a{nodes - 1}"].load()
    if result[0] != float(nodes):
        raise AssertionError(f"the chain computed {result[0]}, expected {nodes}")
    return {"peak_x": peak / (size_mb * MB), "peak_mb": peak / MB}


_CHAIN_SIZES = ((1_000, "1k"), (10_000, "10k"), (100_000, "100k"))
_CHAIN_TARGETS = {
    10_000: (
        Target(
            "at_most",
            0.3,
            "SequentialRunner on a 10,000-node chain through MemoryDatasets with a "
            "hook manager: <= 30 us per node (0.3 s)",
        ),
    ),
    100_000: (
        Target(
            "exponent",
            1.10,
            "the per-node cost stays flat from 1,000 to 100,000 nodes: total time "
            "grows at most as n^1.10",
        ),
    ),
}

BENCHMARKS: list[Benchmark] = [
    *(
        Benchmark(
            id=f"runner.sequential.chain.{label}",
            title=f"SequentialRunner, chain of {size:,} trivial nodes with a hook",
            case="sequential_chain",
            args={"nodes": size, "repeat": 1 if size > 10_000 else 5},
            kedro=size == 1_000,  # Kedro is quadratic: 2 ms a node at 1,000 already
            quick=size <= 10_000,
            group="runner.sequential.chain",
            size=size,
            targets=_CHAIN_TARGETS.get(size, ()),
        )
        for size, label in _CHAIN_SIZES
    ),
    Benchmark(
        id="runner.thread.sleep.200",
        title="ThreadRunner, 200 independent 10 ms sleeps, 8 workers (Kedro: 16)",
        case="thread_sleep",
        args={"nodes": 200, "workers": 8, "kedro_workers": 16},
        targets=(
            Target(
                "ratio_to_baseline",
                round(1 / 0.85, 3),
                "ThreadRunner reaches >= 85 % of the ideal speed-up "
                "(time <= ideal / 0.85)",
            ),
        ),
    ),
    Benchmark(
        id="runner.parallel.cpu.200",
        title="ParallelRunner, 200 independent 10 ms CPU nodes on 2 workers",
        case="parallel_cpu",
        args={"nodes": 200, "workers": 2},
        quick=False,
        targets=(
            Target(
                "ratio_to_baseline",
                1.25,
                "ParallelRunner reaches >= 80 % of the ideal speed-up on 2 cores "
                "(time <= ideal / 0.80)",
            ),
        ),
    ),
    Benchmark(
        id="runner.memory.chain.100mb",
        title="SequentialRunner, 20 nodes passing a 100 MB array: peak memory",
        case="memory_chain",
        args={"nodes": 20, "size_mb": 100},
        metric="peak_x",
        targets=(
            Target(
                "at_most",
                2.5,
                "a chain of 20 nodes passing a 100 MB array peaks at <= 2.5x the array",
            ),
        ),
    ),
]
