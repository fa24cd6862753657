"""The integer-id graph algorithms under Pipeline: layers, reachability, cycles."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ordino.pipeline.graph import (
    find_cycle,
    invert,
    reachable,
    topological_layers,
    unplaced,
)


def _adjacency(n: int, edges: set[tuple[int, int]]) -> tuple[list[list[int]], ...]:
    succs: list[list[int]] = [[] for _ in range(n)]
    preds: list[list[int]] = [[] for _ in range(n)]
    for a, b in sorted(edges):
        succs[a].append(b)
        preds[b].append(a)
    return succs, preds


@st.composite
def dags(draw: st.DrawFn) -> tuple[int, set[tuple[int, int]]]:
    """A random DAG on 0..n-1 whose edges go from a lower to a higher rank in a
    random permutation, so the ids themselves are not already in order."""
    n = draw(st.integers(1, 25))
    perm = draw(st.permutations(range(n)))
    pairs = [(perm[i], perm[j]) for i in range(n) for j in range(i + 1, n)]
    edges = draw(st.sets(st.sampled_from(pairs), max_size=60)) if pairs else set()
    return n, edges


def test_layers_of_a_diamond_are_sorted_by_id() -> None:
    succs, preds = _adjacency(4, {(3, 1), (3, 2), (1, 0), (2, 0)})
    assert topological_layers(succs, [len(p) for p in preds]) == [[3], [1, 2], [0]]


def test_independent_ids_form_one_layer_in_ascending_order() -> None:
    succs, preds = _adjacency(3, set())
    assert topological_layers(succs, [len(p) for p in preds]) == [[0, 1, 2]]


def test_empty_graph_has_no_layers() -> None:
    assert topological_layers([], []) == []


def test_layers_are_sorted_by_key_when_given() -> None:
    succs, preds = _adjacency(4, {(0, 3)})
    names = ["d", "b", "a", "c"]
    layers = topological_layers(succs, [len(p) for p in preds], names.__getitem__)
    assert layers == [[2, 1, 0], [3]]


def test_repeated_edges_count_as_often_as_listed() -> None:
    succs = [[1, 1], []]
    assert topological_layers(succs, [0, 2]) == [[0], [1]]
    assert invert(succs) == [[], [0, 0]]


def test_a_cycle_leaves_its_ids_and_those_behind_it_unplaced() -> None:
    # 0 -> 1 -> 2 -> 1, 2 -> 3; 4 on its own
    succs, preds = _adjacency(5, {(0, 1), (1, 2), (2, 1), (2, 3)})
    layers = topological_layers(succs, [len(p) for p in preds])
    assert layers == [[0, 4]]
    assert unplaced(5, layers) == [1, 2, 3]


def test_find_cycle_returns_the_ordered_path_with_the_first_id_repeated() -> None:
    succs, preds = _adjacency(5, {(0, 1), (1, 2), (2, 3), (3, 1), (3, 4)})
    stuck = unplaced(5, topological_layers(succs, [len(p) for p in preds]))
    assert find_cycle(preds, stuck) == [1, 2, 3, 1]


def test_find_cycle_is_deterministic_with_two_cycles() -> None:
    succs, preds = _adjacency(4, {(0, 1), (1, 0), (2, 3), (3, 2)})
    stuck = unplaced(4, topological_layers(succs, [len(p) for p in preds]))
    assert find_cycle(preds, stuck) == [0, 1, 0]


def test_find_cycle_without_leftovers_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="at least one id"):
        find_cycle([[]], [])


def test_reachable_follows_successors_or_predecessors() -> None:
    succs, preds = _adjacency(5, {(0, 1), (1, 2), (3, 2), (2, 4)})
    assert sorted(reachable([1], succs)) == [1, 2, 4]
    assert sorted(reachable([2], preds)) == [0, 1, 2, 3]
    assert sorted(reachable([], succs)) == []
    assert sorted(reachable([4, 4], succs)) == [4]


@settings(max_examples=150, deadline=None)
@given(dags())
def test_layers_place_every_id_once_and_respect_every_edge(
    dag: tuple[int, set[tuple[int, int]]],
) -> None:
    n, edges = dag
    succs, preds = _adjacency(n, edges)
    layers = topological_layers(succs, [len(p) for p in preds])
    flat = [i for layer in layers for i in layer]
    assert sorted(flat) == list(range(n))
    level = {i: k for k, layer in enumerate(layers) for i in layer}
    for a, b in edges:
        assert level[a] < level[b]
    for layer in layers:
        assert layer == sorted(layer)
    # every id after the first layer waits for something in the layer just before
    for k, layer in enumerate(layers[1:], start=1):
        for i in layer:
            assert max(level[p] for p in preds[i]) == k - 1


@settings(max_examples=150, deadline=None)
@given(dags(), st.data())
def test_closing_a_loop_yields_a_path_of_real_edges(
    dag: tuple[int, set[tuple[int, int]]], data: st.DataObject
) -> None:
    n, edges = dag
    if not edges:
        return
    a, b = data.draw(st.sampled_from(sorted(edges)))
    # b is reachable from a, so an edge b -> a closes a loop
    edges = edges | {(b, a)}
    succs, preds = _adjacency(n, edges)
    stuck = unplaced(n, topological_layers(succs, [len(p) for p in preds]))
    cycle = find_cycle(preds, stuck)
    assert cycle[0] == cycle[-1]
    assert len(set(cycle[:-1])) == len(cycle) - 1
    for x, y in itertools.pairwise(cycle):
        assert (x, y) in edges


@settings(max_examples=100, deadline=None)
@given(dags(), st.data())
def test_reachable_is_closed_under_successors(
    dag: tuple[int, set[tuple[int, int]]], data: st.DataObject
) -> None:
    n, edges = dag
    succs, _ = _adjacency(n, edges)
    starts = data.draw(st.lists(st.integers(0, n - 1), max_size=3))
    found = set(reachable(starts, succs))
    assert set(starts) <= found
    for a, b in edges:
        if a in found:
            assert b in found
