"""Pipeline cases: node creation, construction, topological sort, every filter.

One generator describes each graph shape as plain tuples (name, inputs, output,
tag, namespace); :func:`make_nodes` turns it into nodes of either framework, so
ordino and Kedro are measured on exactly the same graph and only the import
differs. Shapes: a ``chain``, a ``fanout`` (one node feeding all others) and a
``layered`` random DAG (fixed seed; each node reads its predecessor at the same
position in the previous layer plus up to two random outputs of the three layers
before, so a path between chosen nodes always exists).

Every timing starts from a freshly built pipeline (built outside the timing):
Kedro caches its topological sort and ordino caches its graph, so a reused
pipeline would time a cache hit. Operations that return a pipeline are timed
together with ``.nodes`` of their result, since a slice is made to be run and a
lazy result must not look free. Times are CPU seconds of the process, best of N.
"""

from __future__ import annotations

import gc
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from benchmarks.spec import Benchmark, Target

__all__ = [
    "BENCHMARKS",
    "big_dag",
    "import_cost",
    "make_nodes",
    "operation",
    "shape",
    "sum_pipelines",
]

SHAPES = ("chain", "fanout", "layered")
LAYER_WIDTH = 100
NAMESPACES = 10
TAGS = 10


def _api(impl: str) -> tuple[Any, Any, Any]:
    """``node``, ``Pipeline`` and ``pipeline`` of the framework measured."""
    if impl == "kedro":
        from kedro.pipeline import Pipeline, node, pipeline
    else:
        from ordino.pipeline import Pipeline, node, pipeline
    return node, Pipeline, pipeline


def _identity(*args: Any) -> Any:
    return args[0] if args else None


class Shape:
    """A generated graph, independent of the framework.

    ``specs[i]`` is ``(name, inputs, output, tag, namespace_block)``; ``mid``,
    ``src`` and ``dst`` are node positions used by the single-node filters and by
    ``filter(from_nodes=[src], to_nodes=[dst])`` (``dst`` is downstream of ``src``).
    """

    def __init__(
        self,
        specs: list[tuple[str, list[str], str, str, int]],
        mid: int,
        src: int,
        dst: int,
    ) -> None:
        self.specs = specs
        self.mid = mid
        self.src = src
        self.dst = dst


def shape(kind: str, size: int, seed: int = 0) -> Shape:
    """The graph ``kind`` with ``size`` nodes; namespace blocks are contiguous.

    Namespaces follow the generation order in ten contiguous blocks, so that no
    namespace is "interrupted" (Kedro warns about, and spends time on, those).
    """

    def block(i: int) -> int:
        return i * NAMESPACES // size

    specs: list[tuple[str, list[str], str, str, int]] = []
    if kind == "chain":
        for i in range(size):
            specs.append((f"n{i}", [f"d{i}"], f"d{i + 1}", f"t{i % TAGS}", block(i)))
        return Shape(specs, size // 2, size // 4, 3 * size // 4)
    if kind == "fanout":
        specs.append(("n0", ["source"], "root", "t0", 0))
        for i in range(1, size):
            specs.append((f"n{i}", ["root"], f"d{i}", f"t{i % TAGS}", block(i)))
        return Shape(specs, size // 2, 0, size // 2)
    if kind == "layered":
        rng = random.Random(seed)
        layers = max(1, size // LAYER_WIDTH)
        for i in range(size):
            layer, pos = divmod(i, LAYER_WIDTH)
            if layer == 0:
                inputs = [f"raw{pos}"]
            else:
                inputs = [f"d{i - LAYER_WIDTH}"]
                first = max(0, (layer - 3) * LAYER_WIDTH)
                last = layer * LAYER_WIDTH - 1
                for j in {rng.randint(first, last) for _ in range(rng.randint(0, 2))}:
                    if f"d{j}" not in inputs:
                        inputs.append(f"d{j}")
            specs.append((f"n{i}", inputs, f"d{i}", f"t{i % TAGS}", block(i)))
        return Shape(
            specs,
            (layers // 2) * LAYER_WIDTH,
            (layers // 4) * LAYER_WIDTH,
            min(size - 1, (3 * layers // 4) * LAYER_WIDTH),
        )
    raise ValueError(f"unknown shape {kind!r}; use one of {', '.join(SHAPES)}")


def make_nodes(impl: str, graph: Shape, namespaced: bool = False) -> list[Any]:
    """The nodes of ``graph`` in the framework ``impl``."""
    node = _api(impl)[0]
    if namespaced:
        return [
            node(_identity, inputs, output, name=name, tags=tag, namespace=f"g{ns}")
            for name, inputs, output, tag, ns in graph.specs
        ]
    return [
        node(_identity, inputs, output, name=name, tags=tag)
        for name, inputs, output, tag, _ in graph.specs
    ]


def _repeats(size: int) -> int:
    return 10 if size <= 1_000 else 5 if size <= 10_000 else 3


def _best(setup: Callable[[], Any], run: Callable[[Any], Any], repeat: int) -> float:
    """Best CPU time of ``run(setup())`` over ``repeat`` fresh setups."""
    best = float("inf")
    for _ in range(repeat):
        subject = setup()
        gc.collect()
        start = time.process_time()
        result = run(subject)
        elapsed = time.process_time() - start
        best = min(best, elapsed)
        del subject, result
    return best


def _ran(result: Any) -> int:
    """Materialise a pipeline result the way a runner would: its sorted nodes."""
    return len(result.nodes)


def operation(impl: str, op: str, kind: str, size: int) -> dict[str, Any]:
    """Time one pipeline operation ``op`` on the graph ``kind`` of ``size`` nodes."""
    node_fn, pipeline_cls, pipeline_fn = _api(impl)
    del node_fn
    graph = shape(kind, size)
    repeat = _repeats(size)
    if op == "node":
        seconds = _best(lambda: None, lambda _: make_nodes(impl, graph), repeat)
        baseline = _linear_pass(make_nodes(impl, graph), repeat)
        return {"seconds": seconds, "baseline_seconds": baseline, "nodes": size}
    nodes = make_nodes(impl, graph, namespaced=op == "only_nodes_with_namespaces")
    names = [n.name for n in nodes]
    outputs = [spec[2] for spec in graph.specs]

    def fresh() -> Any:
        return pipeline_cls(nodes)

    runs: dict[str, Callable[[Any], Any]] = {
        "toposort": lambda p: len(p.nodes),
        "only_nodes": lambda p: _ran(p.only_nodes(*names[::2])),
        "only_nodes_with_tags": lambda p: _ran(p.only_nodes_with_tags("t0")),
        "from_nodes": lambda p: _ran(p.from_nodes(names[graph.mid])),
        "to_nodes": lambda p: _ran(p.to_nodes(names[graph.mid])),
        "from_inputs": lambda p: _ran(p.from_inputs(outputs[graph.mid])),
        "to_outputs": lambda p: _ran(p.to_outputs(outputs[graph.mid])),
        "only_nodes_with_inputs": lambda p: _ran(
            p.only_nodes_with_inputs(*dict.fromkeys(s[1][0] for s in graph.specs[::10]))
        ),
        "only_nodes_with_outputs": lambda p: _ran(
            p.only_nodes_with_outputs(*outputs[::10])
        ),
        "only_nodes_with_namespaces": lambda p: _ran(
            p.only_nodes_with_namespaces(["g0"])
        ),
        "filter": lambda p: _ran(
            p.filter(from_nodes=[names[graph.src]], to_nodes=[names[graph.dst]])
        ),
        "namespace": lambda p: _ran(pipeline_fn(p, namespace="outer")),
        "inputs_outputs": lambda p: (p.inputs(), p.outputs()),
    }
    if op == "build":
        seconds = _best(lambda: None, lambda _: pipeline_cls(nodes), repeat)
    elif op == "add":
        half = size // 2
        seconds = _best(
            lambda: (pipeline_cls(nodes[:half]), pipeline_cls(nodes[half:])),
            lambda pair: _ran(pair[0] + pair[1]),
            repeat,
        )
    elif op in runs:
        seconds = _best(fresh, runs[op], repeat)
    else:
        raise ValueError(f"unknown pipeline operation {op!r}")
    baseline = _linear_pass(nodes, repeat)
    return {"seconds": seconds, "baseline_seconds": baseline, "nodes": size}


def _linear_pass(nodes: list[Any], repeat: int) -> float:
    """A plain linear pass over the same nodes: index them by name and input.

    It is O(n) by construction, so its own growth from 10k to 100k nodes is what
    the memory hierarchy adds (100k nodes no longer fit in the CPU caches). The
    report shows each operation's exponent against it next to the raw exponent.
    """

    def run(_: Any) -> int:
        by_name = {n.name: n for n in nodes}
        by_input = {name: n for n in nodes for name in n.inputs}
        return len(by_name) + len(by_input)

    return _best(lambda: None, run, repeat)


def sum_pipelines(impl: str, count: int, size: int) -> dict[str, Any]:
    """``sum()`` of ``count`` chains of ``size`` nodes each, then ``.nodes``."""
    node, pipeline_cls, _ = _api(impl)
    parts = [
        [
            node(_identity, f"p{p}_d{i}", f"p{p}_d{i + 1}", name=f"p{p}_n{i}")
            for i in range(size)
        ]
        for p in range(count)
    ]
    seconds = _best(
        lambda: [pipeline_cls(nodes) for nodes in parts],
        lambda pipes: _ran(sum(pipes)),
        _repeats(count * size),
    )
    return {"seconds": seconds, "nodes": count * size}


def big_dag(impl: str, size: int) -> dict[str, Any]:
    """Build + ``.nodes`` + ``filter(from_nodes, to_nodes)`` of a layered DAG.

    Node creation is outside the timing (it is benchmarked on its own).
    """
    _, pipeline_cls, _ = _api(impl)
    graph = shape("layered", size)
    nodes = make_nodes(impl, graph)
    src, dst = nodes[graph.src].name, nodes[graph.dst].name

    def run(_: Any) -> int:
        pipe = pipeline_cls(nodes)
        total = len(pipe.nodes)
        return total + _ran(pipe.filter(from_nodes=[src], to_nodes=[dst]))

    return {"seconds": _best(lambda: None, run, 3), "nodes": size}


def _clean_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _import_seconds(module: str) -> float:
    """Import cost of ``module``: ``-X importtime`` lines from its first top line.

    Everything imported at top level from the framework's first module on is
    caused by the import statement (interpreter start-up comes before).
    """
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        env=_clean_env(),
        check=True,
    )
    root = module.split(".")[0]
    total = 0
    counting = False
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        parts = line.split("|")
        name = parts[2]
        if name.startswith("  "):  # nested: already in its parent's cumulative
            continue
        name = name.strip()
        if name == root or name.startswith(root + "."):
            counting = True
        if counting:
            try:
                total += int(parts[1])
            except ValueError:  # the header line
                continue
    return total / 1e6


_PROBE = """
import json, sys
before = set(sys.modules)
import {module}
new = sorted(set(sys.modules) - before)
std = set(sys.stdlib_module_names) | set(sys.builtin_module_names)
print(json.dumps([m for m in new if m.split('.')[0] not in std | {{'{root}'}}]))
"""


def import_cost(impl: str) -> dict[str, Any]:
    """Import time of ``<impl>.pipeline`` (best of 7) and its third-party imports."""
    module = f"{impl}.pipeline"
    seconds = min(_import_seconds(module) for _ in range(7))
    probe = subprocess.run(
        [sys.executable, "-c", _PROBE.format(module=module, root=impl)],
        capture_output=True,
        text=True,
        env=_clean_env(),
        check=True,
    )
    third = json.loads(probe.stdout.strip().splitlines()[-1])
    roots = sorted({name.split(".")[0] for name in third})
    return {
        "seconds": seconds,
        "third_party_modules": len(third),
        "third_party": ", ".join(roots),
    }


# -- the benchmark list ------------------------------------------------------------

OPERATIONS = {
    "node": "node() creation of every node",
    "build": "Pipeline(nodes) from created nodes",
    "toposort": ".nodes (topological sort) of a fresh pipeline",
    "only_nodes": "only_nodes(every other node)",
    "only_nodes_with_tags": "only_nodes_with_tags(one tag of ten)",
    "from_nodes": "from_nodes(a middle node)",
    "to_nodes": "to_nodes(a middle node)",
    "from_inputs": "from_inputs(a middle dataset)",
    "to_outputs": "to_outputs(a middle dataset)",
    "only_nodes_with_inputs": "only_nodes_with_inputs(inputs of every 10th node)",
    "only_nodes_with_outputs": "only_nodes_with_outputs(every 10th output)",
    "only_nodes_with_namespaces": "only_nodes_with_namespaces(one namespace of ten)",
    "filter": "filter(from_nodes=..., to_nodes=...)",
    "namespace": 'pipeline(pipe, namespace="outer")',
    "inputs_outputs": "inputs() and outputs()",
    "add": "pipe_a + pipe_b (two halves)",
}
SIZES = {1_000: "1k", 10_000: "10k", 100_000: "100k"}
SPEEDUP = Target("speedup", 5.0, ">= 5x faster than Kedro 1.7 at 10k nodes")
EXPONENT = Target("exponent", 1.15, "fitted exponent 10k -> 100k <= 1.15")


def _operation_benchmarks() -> list[Benchmark]:
    benches: list[Benchmark] = []
    for op, what in OPERATIONS.items():
        for kind in SHAPES:
            group = f"pipeline.{op}.{kind}"
            for size, label in SIZES.items():
                targets: tuple[Target, ...] = ()
                if size == 10_000:
                    targets = (SPEEDUP,)
                elif size == 100_000:
                    targets = (EXPONENT,)
                benches.append(
                    Benchmark(
                        id=f"{group}.{label}",
                        title=f"{what}, {kind}, {label} nodes",
                        case="operation",
                        args={"op": op, "kind": kind, "size": size},
                        kedro=size <= 10_000,
                        targets=targets,
                        group=group if size >= 10_000 else "",
                        size=size,
                        quick=kind == "layered" and size >= 10_000,
                        timeout=180.0,
                    )
                )
    return benches


BENCHMARKS: list[Benchmark] = [
    Benchmark(
        id="pipeline.big_dag.100k",
        title="build + toposort + filter(from_nodes, to_nodes), layered DAG, 100k",
        case="big_dag",
        args={"size": 100_000},
        kedro=False,
        targets=(Target("at_most", 3.0, "<= 3 s total"),),
    ),
    Benchmark(
        id="pipeline.import",
        title="import ordino.pipeline (-X importtime, best of 7)",
        case="import_cost",
        targets=(Target("at_most", 0.030, "<= 30 ms"),),
    ),
    Benchmark(
        id="pipeline.import.third_party",
        title="third-party modules imported by import ordino.pipeline",
        case="import_cost",
        metric="third_party_modules",
        kedro=False,
        targets=(Target("at_most", 0, "no third-party import"),),
    ),
    *_operation_benchmarks(),
    *(
        Benchmark(
            id=f"pipeline.sum.{SIZES[count * 100]}",
            title=f"sum() of {count} pipelines of 100 nodes, then .nodes",
            case="sum_pipelines",
            args={"count": count, "size": 100},
            kedro=count <= 100,
            targets=(
                (Target("speedup", 10.0, ">= 10x faster than Kedro 1.7"),)
                if count == 100
                else (EXPONENT,)
            ),
            group="pipeline.sum",
            size=count * 100,
            timeout=180.0,
        )
        for count in (100, 1_000)
    ),
]
