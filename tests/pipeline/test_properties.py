"""Laws of the pipeline algebra, checked on random acyclic pipelines (Hypothesis).

The strategy lives here rather than in a helper module: with
``--import-mode=importlib`` test modules cannot import their siblings.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ordino.errors import CircularDependencyError, EmptyPipelineError
from ordino.pipeline import Node, Pipeline, node, pipeline
from ordino.pipeline.transcoding import strip_transcoding

SETTINGS = settings(max_examples=80, deadline=None)
TAGS = ("t0", "t1", "t2")
NAMESPACES = (None, "a", "a.b", "ab", "c")


def f(*args: object) -> object:
    return args


@dataclass(frozen=True)
class Spec:
    """One node, as data, so a test can change it before building."""

    name: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    tags: tuple[str, ...]
    namespace: str | None

    def build(self) -> Node:
        return node(
            f,
            list(self.inputs),
            list(self.outputs),
            name=self.name,
            tags=list(self.tags),
            namespace=self.namespace,
        )


@st.composite
def specs(draw: st.DrawFn, min_size: int = 1) -> list[Spec]:
    """Random acyclic nodes: node k may read outputs of nodes made before it, free
    inputs (some of them parameters) and some datasets are transcoded. Names are a
    random permutation, so name order says nothing about the dependencies."""
    size = draw(st.integers(min_size, 10))
    labels = draw(st.permutations(range(size)))
    made: list[tuple[str, str]] = []  # (dataset, spelling for readers)
    result: list[Spec] = []
    for k in range(size):
        free = draw(st.lists(st.sampled_from(["raw0", "raw1", "params:p"]), max_size=2))
        upstream = (
            draw(st.lists(st.sampled_from(made), max_size=3, unique=True))
            if made
            else []
        )
        inputs = list(dict.fromkeys([*free, *(read for _, read in upstream)]))
        outputs: list[str] = []
        for j in range(draw(st.integers(1, 2))):
            dataset = f"d{k}_{j}"
            if draw(st.booleans()) and draw(st.booleans()):  # 1 in 4 transcoded
                outputs.append(f"{dataset}@w")
                made.append((dataset, f"{dataset}@r"))
            else:
                outputs.append(dataset)
                made.append((dataset, dataset))
        result.append(
            Spec(
                name=f"n{labels[k]}",
                inputs=tuple(inputs),
                outputs=tuple(outputs),
                tags=tuple(
                    draw(st.lists(st.sampled_from(TAGS), max_size=2, unique=True))
                ),
                namespace=draw(st.sampled_from(NAMESPACES)),
            )
        )
    return result


def build(nodes: list[Spec]) -> Pipeline:
    return Pipeline([s.build() for s in nodes])


def edges(nodes: list[Node]) -> set[tuple[str, str]]:
    """(parent, child) by names, computed naively from the datasets."""
    found = set()
    for a in nodes:
        written = {strip_transcoding(o) for o in a.outputs}
        for b in nodes:
            if written & {strip_transcoding(i) for i in b.inputs}:
                found.add((a.name, b.name))
    return found


def node_names(pipe: Pipeline) -> set[str]:
    return {x.name for x in pipe.nodes}


@SETTINGS
@given(specs())
def test_topological_order_respects_every_edge(nodes: list[Spec]) -> None:
    pipe = build(nodes)
    position = {x.name: k for k, x in enumerate(pipe.nodes)}
    assert len(position) == len(nodes)
    for parent, child in edges(pipe.nodes):
        assert position[parent] < position[child]
    deps = {k.name: {v.name for v in vs} for k, vs in pipe.node_dependencies.items()}
    assert {(p, c) for c, ps in deps.items() for p in ps} == edges(pipe.nodes)


@SETTINGS
@given(specs(), st.randoms(use_true_random=False))
def test_order_is_deterministic(nodes: list[Spec], rng: object) -> None:
    shuffled = list(nodes)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    assert [x.name for x in build(shuffled).nodes] == [
        x.name for x in build(nodes).nodes
    ]


@SETTINGS
@given(specs())
def test_free_inputs_and_outputs_match_their_definition(nodes: list[Spec]) -> None:
    pipe = build(nodes)
    read = {strip_transcoding(i) for x in pipe.nodes for i in x.inputs}
    written = {strip_transcoding(o) for x in pipe.nodes for o in x.outputs}
    assert pipe.inputs() == {
        i for i in pipe.all_inputs() if strip_transcoding(i) not in written
    }
    assert pipe.outputs() == {
        o for o in pipe.all_outputs() if strip_transcoding(o) not in read
    }


@SETTINGS
@given(specs(), st.data())
def test_addition_is_the_union_and_commutes(
    nodes: list[Spec], data: st.DataObject
) -> None:
    pipe = build(nodes)
    every = pipe.nodes
    left = data.draw(st.lists(st.sampled_from(every), unique=True))
    right = data.draw(st.lists(st.sampled_from(every), unique=True))
    a, b = Pipeline(left), Pipeline(right)
    union = a + b
    assert set(union.nodes) == set(left) | set(right)
    assert union == b + a
    assert (a | b) == union
    assert set((a & b).nodes) == set(left) & set(right)
    assert set((a - b).nodes) == set(left) - set(right)
    assert set(a.nodes) == set(left)
    assert set(b.nodes) == set(right)


@SETTINGS
@given(specs(), st.data())
def test_sum_equals_repeated_addition(nodes: list[Spec], data: st.DataObject) -> None:
    every = build(nodes).nodes
    parts = [
        Pipeline(data.draw(st.lists(st.sampled_from(every), unique=True)))
        for _ in range(data.draw(st.integers(1, 4)))
    ]
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    assert sum(parts) == total


@SETTINGS
@given(specs(), st.data())
def test_from_nodes_and_to_nodes_are_closed(
    nodes: list[Spec], data: st.DataObject
) -> None:
    pipe = build(nodes)
    starts = data.draw(st.lists(st.sampled_from(sorted(node_names(pipe))), min_size=1))
    down = node_names(pipe.from_nodes(*starts))
    up = node_names(pipe.to_nodes(*starts))
    assert set(starts) <= down
    assert set(starts) <= up
    for parent, child in edges(pipe.nodes):
        if parent in down:
            assert child in down
        if child in up:
            assert parent in up
    # and nothing more than what the edges reach
    reach_down, reach_up = set(starts), set(starts)
    for _ in nodes:
        reach_down |= {c for p, c in edges(pipe.nodes) if p in reach_down}
        reach_up |= {p for p, c in edges(pipe.nodes) if c in reach_up}
    assert down == reach_down
    assert up == reach_up


def _filter_args(pipe: Pipeline, data: st.DataObject) -> dict[str, list[str]]:
    names = sorted(node_names(pipe))
    datasets = sorted(pipe.datasets() | {strip_transcoding(d) for d in pipe.datasets()})
    namespaces = sorted(
        {x.namespace.split(".")[0] for x in pipe.nodes if x.namespace}
        | {x.namespace for x in pipe.nodes if x.namespace}
    )
    choices = {
        "tags": st.lists(st.sampled_from(TAGS), min_size=1, max_size=2),
        "from_nodes": st.lists(st.sampled_from(names), min_size=1, max_size=2),
        "to_nodes": st.lists(st.sampled_from(names), min_size=1, max_size=2),
        "node_names": st.lists(st.sampled_from(names), min_size=1, max_size=3),
        "from_inputs": st.lists(st.sampled_from(datasets), min_size=1, max_size=2),
        "to_outputs": st.lists(st.sampled_from(datasets), min_size=1, max_size=2),
    }
    if namespaces:
        choices["node_namespaces"] = st.lists(
            st.sampled_from(namespaces), min_size=1, max_size=2
        )
    chosen = data.draw(
        st.lists(st.sampled_from(sorted(choices)), unique=True, max_size=4)
    )
    return {key: data.draw(choices[key]) for key in chosen}


SINGLE = {
    "tags": lambda p, v: p.only_nodes_with_tags(*v),
    "from_nodes": lambda p, v: p.from_nodes(*v),
    "to_nodes": lambda p, v: p.to_nodes(*v),
    "node_names": lambda p, v: p.only_nodes(*v),
    "from_inputs": lambda p, v: p.from_inputs(*v),
    "to_outputs": lambda p, v: p.to_outputs(*v),
    "node_namespaces": lambda p, v: p.only_nodes_with_namespaces(v),
}


@SETTINGS
@given(specs(), st.data())
def test_filter_is_the_intersection_of_single_filters(
    nodes: list[Spec], data: st.DataObject
) -> None:
    pipe = build(nodes)
    args = _filter_args(pipe, data)
    expected = node_names(pipe)
    for key, values in args.items():
        expected &= node_names(SINGLE[key](pipe, values))
    if not expected:
        with pytest.raises(EmptyPipelineError):
            pipe.filter(**args)
    else:
        assert node_names(pipe.filter(**args)) == expected


@SETTINGS
@given(specs(min_size=2), st.data())
def test_closing_any_loop_raises_a_cycle_error_with_a_valid_path(
    nodes: list[Spec], data: st.DataObject
) -> None:
    pipe = build(nodes)
    links = sorted(edges(pipe.nodes))
    if not links:
        return
    parent, child = data.draw(st.sampled_from(links))
    child_spec = next(s for s in nodes if s.build().name == child)
    # a new node reads the child's output and writes a dataset the parent now reads
    closer = Spec("closer", (child_spec.outputs[0],), ("closing",), (), None)
    looped = [
        replace(s, inputs=(*s.inputs, "closing")) if s.build().name == parent else s
        for s in nodes
    ]
    with pytest.raises(CircularDependencyError) as caught:
        build([*looped, closer])
    cycle = caught.value.cycle
    real = edges([s.build() for s in [*looped, closer]])
    assert cycle[0] == cycle[-1]
    assert len(cycle) >= 3
    assert len(set(cycle[:-1])) == len(cycle) - 1
    for a, b in itertools.pairwise(cycle):
        assert (a, b) in real
    assert " -> ".join(cycle[:2]) not in str(caught.value)  # datasets sit in between


@SETTINGS
@given(specs(), st.sampled_from(["wrap", "x.y"]), st.booleans())
def test_namespacing_and_mapping_every_free_name_back_is_neutral(
    nodes: list[Spec], namespace: str, as_dict: bool
) -> None:
    pipe = build(nodes)
    free_in = sorted(i for i in pipe.inputs() if not i.startswith("params:"))
    params = sorted(
        i.removeprefix("params:") for i in pipe.inputs() if i.startswith("params:")
    )
    free_out = sorted(pipe.outputs())
    wrapped = pipeline(
        pipe,
        namespace=namespace,
        inputs={i: i for i in free_in} if as_dict else set(free_in),
        outputs={o: o for o in free_out} if as_dict else free_out,
        parameters={p: p for p in params} if as_dict else params,
    )
    assert wrapped.inputs() == pipe.inputs()
    assert wrapped.outputs() == pipe.outputs()
    assert {x.name for x in wrapped.nodes} == {
        f"{namespace}.{x.name}" for x in pipe.nodes
    }
    internal = pipe.datasets() - pipe.inputs() - pipe.outputs()
    assert wrapped.datasets() - wrapped.inputs() - wrapped.outputs() == {
        f"{namespace}.{d}" for d in internal
    }


def _order(pipe: Pipeline) -> list[str]:
    return [x.name for x in pipe.nodes]


@SETTINGS
@given(specs(), st.data())
def test_derived_pipelines_are_ordered_as_if_built_anew(
    nodes: list[Spec], data: st.DataObject
) -> None:
    # slices reuse their parent's edges, tag() and namespacing its layers
    pipe = build(nodes)
    names = sorted(node_names(pipe))
    picked = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=3))
    derived = [
        pipe.from_nodes(*picked),
        pipe.to_nodes(*picked),
        pipe.only_nodes(*picked),
        pipe - pipe.only_nodes(*picked),
        pipe & pipe.to_nodes(*picked),
        pipe.only_nodes_with_tags("t0"),
        pipe.tag("extra"),
        pipeline(pipe, namespace="w"),
        pipeline(pipe, namespace="w", prefix_datasets_with_namespace=False),
    ]
    for part in derived:
        assert _order(part) == _order(Pipeline(part.nodes))
        assert [[x.name for x in g] for g in part.grouped_nodes] == [
            [x.name for x in g] for g in Pipeline(part.nodes).grouped_nodes
        ]
