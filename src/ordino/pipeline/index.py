"""What a Pipeline knows about its nodes, built once and kept.

Two structures, with two jobs:

- :class:`Registry` is what *validation* needs: the nodes numbered in insertion
  order, their names, which node writes each dataset, which datasets are read or
  transcoded, and the confirms. Adding a node checks it against everything already
  there, so a registry can be copied and extended node by node: that is how
  ``a + b`` validates only the smaller operand instead of both.
- :class:`Graph` is what *ordering and queries* need: the readers of each dataset
  and the node-to-node edges as adjacency lists for :mod:`ordino.pipeline.graph`.

Datasets are keyed by their base name (``x`` for ``x@pandas``): transcoded spellings
are one dataset for ordering and uniqueness.
"""

from __future__ import annotations

import gc
import itertools
from collections.abc import Iterable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING

from ordino.errors import (
    CircularDependencyError,
    ConfirmNotUniqueError,
    DuplicateNodeNameError,
    OutputNotUniqueError,
    TranscodingError,
)
from ordino.pipeline.graph import find_cycle, invert, topological_layers, unplaced
from ordino.pipeline.transcoding import TRANSCODING_SEPARATOR as _AT
from ordino.pipeline.transcoding import strip_transcoding

if TYPE_CHECKING:
    from ordino.pipeline.node import Node

__all__ = ["Graph", "Registry", "paused_gc"]


class paused_gc:
    """Suspend the cyclic garbage collector around a bulk build.

    Building the indexes of a 100k-node pipeline allocates a few hundred thousand
    lists and sets, which makes CPython run several full collections over every
    object of the process; none of them can find garbage, since these builds create
    no reference cycles. Pausing the collector keeps the builds linear (3x faster at
    100k nodes). It is re-enabled only if it was enabled, so nesting is harmless.
    """

    __slots__ = ("_was_enabled",)

    def __enter__(self) -> None:
        self._was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._was_enabled:
            gc.enable()


class Registry:
    """The nodes (numbered in insertion order) and who owns which dataset.

    ``add`` checks a node against everything registered so far and raises at the
    first conflict. Only flat dicts and sets are kept, so a copy is cheap, and the
    numbers of registered nodes never change: ``a + b`` copies the registry of the
    larger operand and adds the other's nodes after it.
    """

    __slots__ = (
        "_shared",
        "by_name",
        "confirmed",
        "consumers",
        "nodes",
        "producer",
        "transcoded",
    )

    def __init__(self) -> None:
        self.nodes: list[Node] = []
        self.by_name: dict[str, int] = {}  # node name -> number
        self.producer: dict[str, int] = {}  # base dataset -> number of its writer
        self.consumers: dict[str, list[int]] = {}  # base dataset -> its readers
        self.transcoded: set[str] = set()  # bases spelled 'x@fmt' (then always so)
        self.confirmed: dict[str, int] = {}  # base dataset -> number of its confirmer
        # In a copy, the readers' lists still belong to the original: the bases
        # listed here are the ones whose list has not been copied yet.
        self._shared: set[str] | None = None

    @classmethod
    def of(cls, nodes: Iterable[Node]) -> Registry:
        """Register ``nodes`` one by one; raises at the first conflict."""
        registry = cls()
        registry.add(nodes)
        return registry

    def copy(self) -> Registry:
        """A registry that can be extended without touching this one."""
        twin = Registry.__new__(Registry)
        twin.nodes = self.nodes.copy()
        twin.by_name = self.by_name.copy()
        twin.producer = self.producer.copy()
        twin.consumers = self.consumers.copy()
        twin._shared = set(self.consumers)
        twin.transcoded = self.transcoded.copy()
        twin.confirmed = self.confirmed.copy()
        return twin

    def add(self, nodes: Iterable[Node]) -> None:
        """Register ``nodes``, in order.

        Raises:
            DuplicateNodeNameError: Another node already has the name of one.
            OutputNotUniqueError: Two nodes write one dataset.
            ConfirmNotUniqueError: Two nodes confirm one dataset.
            TranscodingError: A dataset is spelled plainly by one node and
                transcoded by another.
        """
        # The hot path of every pipeline build: a few dict and set operations per
        # dataset name, no method calls unless a name is transcoded. A valid
        # registry spells each dataset one way, which is what the checks rely on.
        by_name = self.by_name
        registered = self.nodes
        producer = self.producer
        consumers = self.consumers
        transcoded = self.transcoded
        with paused_gc():
            for node in nodes:
                name = node._full_name
                if name in by_name:
                    raise _duplicate_name(name)
                number = len(registered)
                by_name[name] = number
                registered.append(node)
                for raw in node._output_names:
                    if _AT in raw:
                        base = self._transcoded_spelling(raw)
                        if base in producer:  # also 'x@a', 'x@b' from this node
                            raise self._duplicate_output(base, producer[base])
                    else:
                        base = raw
                        if transcoded and base in transcoded:
                            raise _mixed_spelling(base, registered)
                    writer = producer.setdefault(base, number)
                    if writer != number:
                        raise self._duplicate_output(base, writer)
                for raw in node._input_names:
                    if _AT in raw:
                        base = self._transcoded_spelling(raw)
                    else:
                        base = raw
                        if transcoded and base in transcoded:
                            raise _mixed_spelling(base, registered)
                    readers = consumers.get(base)
                    if readers is None:
                        consumers[base] = [number]
                    elif readers[-1] != number:  # 'x@a' and 'x@b': one reader
                        self._append_reader(base, readers, number)
                if node._confirm_names:
                    self._add_confirms(node, number)

    def _append_reader(self, base: str, readers: list[int], number: int) -> None:
        shared = self._shared
        if shared and base in shared:  # the list belongs to the original: copy it
            shared.discard(base)
            self.consumers[base] = [*readers, number]
        else:
            readers.append(number)

    def _transcoded_spelling(self, raw: str) -> str:
        base = strip_transcoding(raw)
        if base not in self.transcoded:
            if base in self.producer or base in self.consumers:
                raise _mixed_spelling(base, self.nodes)  # so far spelled plainly
            self.transcoded.add(base)
        return base

    def _duplicate_output(self, base: str, writer: int) -> OutputNotUniqueError:
        first, second = self.nodes[writer].name, self.nodes[-1].name
        return OutputNotUniqueError(
            f"Dataset '{base}' is an output of two nodes: '{first}' and '{second}'."
            if first != second
            else f"Dataset '{base}' is written twice by node '{first}'.",
            dataset=base,
            nodes=(first, second),
            hint="Each dataset is written by exactly one node: rename an output.",
        )

    def _add_confirms(self, node: Node, number: int) -> None:
        for raw in node._confirm_names:
            base = strip_transcoding(raw)
            confirmer = self.confirmed.setdefault(base, number)
            if confirmer != number:
                first = self.nodes[confirmer].name
                raise ConfirmNotUniqueError(
                    f"Dataset '{base}' is confirmed by two nodes: '{first}' and "
                    f"'{node.name}'.",
                    dataset=base,
                    nodes=(first, node.name),
                    hint="A dataset is confirmed by at most one node: drop a confirm.",
                )


class Graph:
    """The edges between the registered nodes, for ordering and queries.

    Node numbers, names and datasets are the registry's. ``succs[i]`` lists the
    readers of node ``i``'s outputs (a node reading two outputs of ``i`` is listed
    twice, and ``indegree`` counts it twice); ``preds`` is built when first needed.
    """

    __slots__ = (
        "_preds",
        "consumers",
        "indegree",
        "index",
        "nodes",
        "producer",
        "succs",
    )

    def __init__(self, registry: Registry) -> None:
        self.nodes = registry.nodes
        self.index = registry.by_name
        self.producer = registry.producer
        self.consumers = registry.consumers
        self._preds: list[list[int]] | None = None
        with paused_gc():
            self._build()

    def _build(self) -> None:
        producer = self.producer
        consumers = self.consumers
        indegree = [0] * len(self.nodes)
        for base, readers in consumers.items():
            if base in producer:
                for reader in readers:
                    indegree[reader] += 1
        empty: list[int] = []
        succs: list[list[int]] = []
        for node in self.nodes:
            outputs = node._output_names
            if len(outputs) == 1:  # the readers' list itself: shared, never mutated
                raw = outputs[0]
                base = raw if _AT not in raw else strip_transcoding(raw)
                succs.append(consumers.get(base, empty))
            else:
                succs.append(
                    [r for raw in outputs for r in consumers.get(_base(raw), empty)]
                )
        self.succs = succs
        self.indegree = indegree

    @property
    def preds(self) -> list[list[int]]:
        """``preds[i]``: the nodes whose outputs node ``i`` reads."""
        if self._preds is None:
            with paused_gc():
                self._preds = invert(self.succs)
        return self._preds

    def layers(self) -> list[list[int]]:
        """Topological layers of node numbers, each sorted by node name.

        Raises:
            CircularDependencyError: The nodes form a cycle; ``.cycle`` is its path.
        """
        with paused_gc():
            names = list(self.index)  # in number order
            layers = topological_layers(self.succs, self.indegree, names.__getitem__)
        if sum(map(len, layers)) != len(self.nodes):
            stuck = unplaced(len(self.nodes), layers)
            raise self._cycle_error(find_cycle(self.preds, stuck))
        return layers

    def induced_layers(self, numbers: Sequence[int]) -> list[list[int]]:
        """The layers of the subgraph on ``numbers`` (acyclic, as this graph is),
        with the nodes renumbered ``0 ..`` in the order of ``numbers``."""
        with paused_gc():
            local = [-1] * len(self.nodes)
            for k, i in enumerate(numbers):
                local[i] = k
            succs: list[list[int]] = []
            indegree = [0] * len(numbers)
            for i in numbers:
                mine = [local[j] for j in self.succs[i] if local[j] >= 0]
                for k in mine:
                    indegree[k] += 1
                succs.append(mine)
            names = [self.nodes[i].name for i in numbers]
            return topological_layers(succs, indegree, names.__getitem__)

    def _cycle_error(self, path: Sequence[int]) -> CircularDependencyError:
        names = tuple(self.nodes[i].name for i in path)
        steps = [names[0]]
        for a, b in itertools.pairwise(path):
            steps.append(f"'{self._link(a, b)}'")
            steps.append(self.nodes[b].name)
        return CircularDependencyError(
            f"Pipeline has a cycle: {' -> '.join(steps)}.",
            cycle=names,
            hint=(
                "A node cannot consume its own output, directly or indirectly. "
                "Remove one of these edges."
            ),
        )

    def _link(self, writer: int, reader: int) -> str:
        """The first output of ``writer`` that ``reader`` reads (the edge's dataset)."""
        read = {_base(raw) for raw in self.nodes[reader]._input_names}
        for raw in self.nodes[writer]._output_names:
            if _base(raw) in read:
                return raw
        raise AssertionError("no dataset links two adjacent nodes")  # pragma: no cover


def _base(raw: str) -> str:
    return raw if _AT not in raw else strip_transcoding(raw)


def _duplicate_name(name: str) -> DuplicateNodeNameError:
    return DuplicateNodeNameError(
        f"Pipeline has two nodes named '{name}'.",
        node=name,
        hint=(
            "Node names must be unique: pass a distinct name= to node(), or wrap "
            "reused pipelines in pipeline(..., namespace=...)."
        ),
    )


def _mixed_spelling(base: str, nodes: Iterable[Node]) -> TranscodingError:
    # Error path only: scan the nodes to say who uses which spelling.
    plain: list[str] = []
    transcoded: dict[str, str] = {}
    for node in nodes:
        for raw in (*node.inputs, *node.outputs):
            if raw == base:
                plain.append(node.name)
            elif _base(raw) == base:
                transcoded.setdefault(raw, node.name)
    forms = ", ".join(f"'{raw}' (node '{who}')" for raw, who in transcoded.items())
    users = list(dict.fromkeys(plain))
    label = "node" if len(users) == 1 else "nodes"
    return TranscodingError(
        f"Dataset '{base}' is used both plainly ({label} "
        f"{', '.join(repr(u) for u in users)}) and transcoded ({forms}).",
        dataset=base,
        hint=(
            f"Refer to it with a format everywhere ('{base}@<format>'), or rename "
            "one of the datasets."
        ),
    )
