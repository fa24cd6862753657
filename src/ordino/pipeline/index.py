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

_EMPTY: list[int] = []  # shared, never mutated
_NO_OUTPUT = -1  # Registry.out_id of a node without outputs
_OUTPUTS = -2  # Registry.out_id of a node with several outputs


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
    """The nodes (numbered in insertion order) and who writes and reads each dataset.

    Every base dataset name gets a number the first time it is seen, in one dict
    (``ids``); who writes it (``writer``) and who reads it (``readers``) are lists
    indexed by that number. One dict look-up per dataset name, and everything else
    list indexing, is what keeps a 100k-node build close to linear: at that size each
    look-up in a large dict is a cache miss, and the previous layout (separate
    producer and consumer dicts, then a second pass to find the edges) made six per
    node instead of four.

    ``add`` checks a node against everything registered so far and raises at the
    first conflict. Numbers never change, so ``a + b`` copies the registry of the
    larger operand and adds the other's nodes after it.
    """

    __slots__ = (
        "_copied",
        "_inherited",
        "by_name",
        "confirmed",
        "ids",
        "nodes",
        "out_id",
        "readers",
        "transcoded",
        "writer",
    )

    def __init__(self) -> None:
        self.nodes: list[Node] = []
        self.by_name: dict[str, int] = {}  # node name -> number
        self.ids: dict[str, int] = {}  # base dataset -> dataset number
        self.writer: list[int] = []  # dataset number -> its writer's number, or -1
        # dataset number -> its readers' numbers; the shared _EMPTY until the first
        self.readers: list[list[int]] = []
        # node number -> the dataset number of its only output; _NO_OUTPUT or
        # _OUTPUTS when it has none or several (then looked up by name when needed)
        self.out_id: list[int] = []
        self.transcoded: set[str] = set()  # bases spelled 'x@fmt' (then always so)
        self.confirmed: dict[str, int] = {}  # base dataset -> number of its confirmer
        # In a copy, readers[:_inherited] still belong to the original: a list is
        # copied before its first change and its number noted in _copied.
        self._inherited = 0
        self._copied: set[int] = set()

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
        twin.ids = self.ids.copy()
        twin.writer = self.writer.copy()
        twin.readers = self.readers.copy()
        twin.out_id = self.out_id.copy()
        twin.transcoded = self.transcoded.copy()
        twin.confirmed = self.confirmed.copy()
        twin._inherited = len(self.readers)
        twin._copied = set()
        return twin

    # -- queries -------------------------------------------------------------------

    def writer_of(self, base: str) -> int:
        """The number of the node writing dataset ``base``, or -1."""
        k = self.ids.get(base)
        return -1 if k is None else self.writer[k]

    def readers_of(self, base: str) -> list[int]:
        """The numbers of the nodes reading dataset ``base`` (do not mutate)."""
        k = self.ids.get(base)
        return _EMPTY if k is None else self.readers[k]

    # -- building ------------------------------------------------------------------

    def add(self, nodes: Iterable[Node]) -> None:
        """Register ``nodes``, in order.

        Raises:
            DuplicateNodeNameError: Another node already has the name of one.
            OutputNotUniqueError: Two nodes write one dataset.
            ConfirmNotUniqueError: Two nodes confirm one dataset.
            TranscodingError: A dataset is spelled plainly by one node and
                transcoded by another.
        """
        # The hot path of every pipeline build: one dict look-up per dataset name
        # and list operations, no method calls unless a name is transcoded. A valid
        # registry spells each dataset one way, which is what the checks rely on.
        by_name = self.by_name
        registered = self.nodes
        ids = self.ids
        writer = self.writer
        readers = self.readers
        out_id = self.out_id
        transcoded = self.transcoded
        inherited = self._inherited
        with paused_gc():
            for node in nodes:
                name = node._full_name
                if name in by_name:
                    raise _duplicate_name(name)
                number = len(registered)
                by_name[name] = number
                registered.append(node)
                outputs = node._output_names
                k = _NO_OUTPUT
                for raw in outputs:
                    if _AT in raw:
                        base = self._transcoded_spelling(raw)
                    else:
                        base = raw
                        if transcoded and base in transcoded:
                            raise _mixed_spelling(base, registered)
                    k = ids.get(base, -1)
                    if k < 0:
                        k = ids[base] = len(writer)
                        writer.append(number)
                        readers.append(_EMPTY)  # replaced by its first reader
                    elif writer[k] < 0:
                        writer[k] = number
                    else:  # also 'x@a' and 'x@b' written by this node
                        raise self._duplicate_output(base, writer[k])
                out_id.append(k if len(outputs) < 2 else _OUTPUTS)
                for raw in node._input_names:
                    if _AT in raw:
                        base = self._transcoded_spelling(raw)
                    else:
                        base = raw
                        if transcoded and base in transcoded:
                            raise _mixed_spelling(base, registered)
                    k = ids.get(base, -1)
                    if k < 0:
                        ids[base] = len(writer)
                        writer.append(-1)
                        readers.append([number])
                        continue
                    listed = readers[k]
                    if listed is _EMPTY:
                        readers[k] = [number]
                    elif listed[-1] == number:  # 'x@a' and 'x@b': one reader
                        continue
                    elif k < inherited:
                        self._append_shared(k, number)
                    else:
                        listed.append(number)
                if node._confirm_names:
                    self._add_confirms(node, number)

    def _append_shared(self, k: int, number: int) -> None:
        if k in self._copied:
            self.readers[k].append(number)
        else:  # the list belongs to the original registry: copy it first
            self._copied.add(k)
            self.readers[k] = [*self.readers[k], number]

    def _transcoded_spelling(self, raw: str) -> str:
        base = strip_transcoding(raw)
        if base not in self.transcoded:
            if base in self.ids:
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
    Both come from the registry's lists without a single dict look-up, except for
    the outputs of nodes that have several.
    """

    __slots__ = ("_preds", "indegree", "index", "nodes", "registry", "succs")

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.nodes = registry.nodes
        self.index = registry.by_name
        self._preds: list[list[int]] | None = None
        with paused_gc():
            self._build()

    def _build(self) -> None:
        registry = self.registry
        readers = registry.readers
        indegree = [0] * len(self.nodes)
        for k, w in enumerate(registry.writer):
            if w >= 0:
                for reader in readers[k]:
                    indegree[reader] += 1
        succs: list[list[int]] = [
            readers[k] if k >= 0 else _EMPTY for k in registry.out_id
        ]
        for i, k in enumerate(registry.out_id):
            if k == _OUTPUTS:  # several outputs: their readers, concatenated
                succs[i] = [
                    r
                    for raw in self.nodes[i]._output_names
                    for r in registry.readers_of(_base(raw))
                ]
        self.succs = succs  # lists shared with the registry: never mutate them
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
