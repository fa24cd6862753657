"""Linear-time graph algorithms over integer node ids.

The pipeline layer numbers its nodes ``0 .. n-1`` and hands this module plain
adjacency lists (``succs[i]``: the ids that depend on ``i``; ``preds[i]``: the ids
``i`` depends on) and, for ordering, a sort key per id (its node's name).
Working on small integers instead of ``Node`` objects keeps every step a list index
rather than a hash of a user object.

Nothing here knows about nodes, datasets or errors: a cycle is reported as data (the
ids left over by :func:`topological_layers`, then the ordered path from
:func:`find_cycle`) and the caller turns it into a ``CircularDependencyError``.

Example:
    >>> succs = [[1, 2], [3], [3], []]
    >>> topological_layers(succs, [0, 1, 1, 2])
    [[0], [1, 2], [3]]
    >>> sorted(reachable([1], succs))
    [1, 3]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

__all__ = ["find_cycle", "invert", "reachable", "topological_layers", "unplaced"]


def topological_layers(
    succs: Sequence[Iterable[int]],
    indegree: Sequence[int],
    key: Callable[[int], Any] | None = None,
) -> list[list[int]]:
    """Kahn's algorithm in rounds: each layer holds the ids whose predecessors all
    sit in earlier layers, sorted by ``key`` (by id when no key is given).

    ``succs[i]`` lists the ids that depend on ``i`` and ``indegree[i]`` counts the
    entries naming ``i`` in all of ``succs``; an edge may be listed more than once as
    long as ``indegree`` counts it as often. Every id appears at most once; on a
    cyclic graph the ids on or behind a cycle are missing from the result (see
    :func:`unplaced` and :func:`find_cycle`). The cost is O(n + e) plus the sorting
    of each layer, O(n log n) in total.
    """
    waiting = list(indegree)
    layer = [i for i, count in enumerate(waiting) if not count]
    layers: list[list[int]] = []
    while layer:
        if len(layer) > 1:
            layer.sort(key=key)
        layers.append(layer)
        following: list[int] = []
        for i in layer:
            for j in succs[i]:
                waiting[j] -= 1
                if not waiting[j]:
                    following.append(j)
        layer = following
    return layers


def unplaced(n: int, layers: Iterable[Iterable[int]]) -> list[int]:
    """The ids in ``range(n)`` that :func:`topological_layers` could not place."""
    placed = bytearray(n)
    for layer in layers:
        for i in layer:
            placed[i] = 1
    return [i for i in range(n) if not placed[i]]


def find_cycle(preds: Sequence[Sequence[int]], stuck: Sequence[int]) -> list[int]:
    """Return one cycle among ``stuck`` as an ordered path, first id repeated last.

    ``stuck`` are the ids left over by Kahn's algorithm: each of them has at least one
    predecessor that is also stuck, so walking backwards from any of them must revisit
    an id within ``len(stuck)`` steps. The walk is O(n + e); starting from the smallest
    id, always stepping to the smallest stuck predecessor and starting the path at its
    smallest id makes the answer deterministic. The path follows the edges (``a``
    comes before ``b`` when ``b`` depends on ``a``).

    Raises:
        ValueError: ``stuck`` is empty, so there is no cycle to report.
    """
    if not stuck:
        raise ValueError("find_cycle() needs at least one id left over by the sort")
    is_stuck = set(stuck)
    position: dict[int, int] = {}
    walk: list[int] = []
    current = min(stuck)
    while current not in position:
        position[current] = len(walk)
        walk.append(current)
        current = min(p for p in preds[current] if p in is_stuck)
    loop = walk[position[current] :]
    loop.reverse()  # the walk went against the edges
    first = loop.index(min(loop))  # start at the smallest id, for a stable message
    return [*loop[first:], *loop[:first], loop[first]]


def invert(succs: Sequence[Iterable[int]]) -> list[list[int]]:
    """The predecessor lists of a graph given by its successor lists: O(n + e)."""
    preds: list[list[int]] = [[] for _ in succs]
    for i, following in enumerate(succs):
        for j in following:
            preds[j].append(i)
    return preds


def reachable(starts: Iterable[int], adjacency: Sequence[Sequence[int]]) -> list[int]:
    """Every id reachable from ``starts`` (included) following ``adjacency``.

    With ``succs`` these are the descendants, with ``preds`` the ancestors. Breadth
    first, each id and edge visited once: O(n + e). The result is in visiting order.
    """
    seen = bytearray(len(adjacency))
    found: list[int] = []
    for i in starts:
        if not seen[i]:
            seen[i] = 1
            found.append(i)
    head = 0
    while head < len(found):
        for j in adjacency[found[head]]:
            if not seen[j]:
                seen[j] = 1
                found.append(j)
        head += 1
    return found
