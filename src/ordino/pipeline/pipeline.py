"""``Pipeline``: a validated set of nodes, ordered by the datasets they share.

Design notes (why it is fast):

- A pipeline is a tuple of nodes plus caches built on first use: a
  :class:`~ordino.pipeline.index.Registry` (names and dataset ownership, for
  validation), a :class:`~ordino.pipeline.index.Graph` (numbered nodes and edges, for
  queries) and the topological layers. Each is built once, in linear time.
- A sub-pipeline of a valid pipeline is valid, so slices, ``-`` and ``&`` skip every
  check (:meth:`Pipeline._trusted`).
- ``a + b`` copies the larger operand's registry and checks only the nodes of the
  smaller one; a cycle through both operands needs edges both ways between them, and
  only then is the union sorted eagerly. When the larger operand is itself a union
  (a partial ``sum()``), its registry is extended in place instead of copied and its
  node tuple is made only when asked for, so ``sum()`` of many pipelines stays
  linear in the total size (copying made it quadratic: 12 s for 1000 x 100 nodes).

Where ordino differs from Kedro 1.x, on purpose:

- two pipelines are equal when they hold the same nodes (Kedro compares identity);
- a cycle error names the cycle in order, with the datasets between the nodes;
- ``to_json()`` says ``ordino_version`` and lists the nodes in execution order;
- unknown node, dataset and namespace names get a "did you mean", and an empty
  ``filter()`` result says which filters were applied.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain, compress
from typing import TYPE_CHECKING, Any

from ordino.errors import EmptyPipelineError, PipelineError
from ordino.pipeline import selection as select
from ordino.pipeline.grouping import GroupedNodes, group_nodes
from ordino.pipeline.index import Graph, Registry
from ordino.pipeline.namespace import NameMapping, remap_nodes
from ordino.pipeline.node import Node
from ordino.pipeline.transcoding import TRANSCODING_SEPARATOR as _AT
from ordino.pipeline.transcoding import strip_transcoding
from ordino.suggest import closest_matches

if TYPE_CHECKING:
    from ordino.pipeline.selection import Selector

__all__ = ["Pipeline"]

_REPR_LIMIT = 10


class Pipeline:
    """A collection of nodes run in the order their datasets dictate.

    Args:
        nodes: Nodes and pipelines; the nodes of nested pipelines are taken over.
        inputs: Free inputs to keep (str, set or list) or to rename (dict), exempt
            from the namespace prefix.
        outputs: Outputs to keep or rename, exempt from the namespace prefix.
        parameters: Parameters to keep or rename (with or without ``params:``).
        tags: Tags added to every node.
        namespace: Prefix for node names and (unless listed above) datasets and
            parameters; nested namespaces stack.
        prefix_datasets_with_namespace: ``False`` prefixes node names only.

    Raises:
        DuplicateNodeNameError: Two nodes share a name.
        OutputNotUniqueError: Two nodes write one dataset.
        ConfirmNotUniqueError: Two nodes confirm one dataset.
        TranscodingError: A dataset is spelled both ``x`` and ``x@fmt``.
        CircularDependencyError: The nodes form a cycle (``.cycle`` is its path).
        ModularPipelineError: ``inputs``/``outputs``/``parameters`` name something
            the nodes do not have, or not as a free input / an output.

    Example:
        >>> from ordino.pipeline import node
        >>> p = Pipeline([node(str, "a", "b", name="f"), node(str, "b", "c", name="g")])
        >>> [n.name for n in p.nodes], p.inputs(), p.outputs()
        (['f', 'g'], {'a'}, {'c'})
    """

    _stored: tuple[Node, ...] | None
    _prefix: tuple[list[Node], int] | None
    _registry: Registry | None
    _graph_cache: Graph | None
    _layers: list[list[int]] | None
    _origin: tuple[Graph, list[int]] | None
    _order: list[Node] | None
    _node_set: frozenset[Node] | None
    _movable: bool

    def __init__(
        self,
        nodes: Iterable[Node | Pipeline] | Pipeline,
        *,
        inputs: NameMapping = None,
        outputs: NameMapping = None,
        parameters: NameMapping = None,
        tags: str | Iterable[str] | None = None,
        namespace: str | None = None,
        prefix_datasets_with_namespace: bool = True,
    ) -> None:
        if nodes is None:
            raise PipelineError(
                "Pipeline() got None instead of nodes.",
                hint="Pass a list of nodes and/or pipelines (it may be empty).",
            )
        items: list[Node | Pipeline] = (
            [nodes] if isinstance(nodes, Pipeline) else list(nodes)
        )
        tag_set = _tag_set(tags)
        if not (inputs or outputs or parameters or namespace):
            flat = _flatten(items)
            self._reset(tuple(n.tag(tag_set) for n in flat) if tag_set else tuple(flat))
        else:
            first = items[0] if len(items) == 1 else None
            source = first if isinstance(first, Pipeline) else Pipeline(items)
            if tag_set:
                source = source.tag(tag_set)
            self._reset(
                tuple(
                    remap_nodes(
                        source,
                        inputs=inputs,
                        outputs=outputs,
                        parameters=parameters,
                        namespace=namespace,
                        prefix_datasets_with_namespace=prefix_datasets_with_namespace,
                    )
                )
            )
            if not (inputs or outputs or parameters):
                # A namespace alone renames every node and dataset one-to-one
                # (a common prefix, which keeps the name order too): the graph, its
                # validity and its layers are the source's.
                self._layers = source._layers
                return
        self._registry = Registry.of(self._nodes)
        self._layered()  # a cycle is a construction error, as in Kedro

    # -- construction ----------------------------------------------------------------

    def _reset(self, nodes: tuple[Node, ...] | None) -> None:
        self._stored = nodes
        self._prefix = None
        self._movable = False
        self._registry = None
        self._graph_cache = None
        self._layers = None
        self._origin = None
        self._order = None
        self._node_set = None

    @property
    def _nodes(self) -> tuple[Node, ...]:
        """The nodes, numbered as in the registry.

        A union (``a + b``) keeps only the first ``n`` entries of its registry's node
        list and makes the tuple when first asked: in ``sum()`` of many pipelines
        the intermediate results never are, and copying each of them would make
        the sum quadratic.
        """
        if self._stored is None:
            assert self._prefix is not None  # one of the two is always set
            listed, size = self._prefix
            self._stored = tuple(listed if len(listed) == size else listed[:size])
            self._prefix = None
        return self._stored

    def _size(self) -> int:
        if self._prefix is not None:
            return self._prefix[1]
        return len(self._nodes)

    def __getstate__(self) -> dict[str, tuple[Node, ...]]:
        # Only the nodes travel (to worker processes, say): the caches are rebuilt
        # on demand, and string hashes differ between processes anyway. A dict, as
        # pickle skips __setstate__ for a falsy state such as an empty tuple.
        return {"nodes": self._nodes}

    def __setstate__(self, state: dict[str, tuple[Node, ...]]) -> None:
        self._reset(state["nodes"])

    @classmethod
    def _trusted(
        cls,
        nodes: Iterable[Node],
        *,
        layers: list[list[int]] | None = None,
        origin: tuple[Graph, list[int]] | None = None,
    ) -> Pipeline:
        """Build without checks: only for nodes taken from one valid pipeline.

        Args:
            nodes: The nodes, in the order of their numbers.
            layers: Known layers, when the graph is the same as a sorted one's.
            origin: The graph the nodes were picked from and their numbers there,
                in the same order: the layers then come from that graph's edges
                instead of new indexes (see :meth:`_layered`).
        """
        pipe = cls.__new__(cls)
        pipe._reset(tuple(nodes))
        pipe._layers = layers
        pipe._origin = origin
        return pipe

    def _reg(self) -> Registry:
        if self._registry is None:
            self._registry = Registry.of(self._nodes)
        return self._registry

    @property
    def _graph(self) -> Graph:
        if self._graph_cache is None:
            self._graph_cache = Graph(self._reg())
        return self._graph_cache

    def _layered(self) -> list[list[int]]:
        """The topological layers as node numbers (see ``Graph.layers``).

        A slice sorts the edges it inherits from the pipeline it was cut from:
        integer lists only, much cheaper than indexing its datasets anew.
        """
        if self._layers is None:
            if self._origin is not None and self._graph_cache is None:
                graph, numbers = self._origin
                self._layers = graph.induced_layers(numbers)
            else:
                self._layers = self._graph.layers()
            self._origin = None
        return self._layers

    def _subset(self, ids: list[int]) -> Pipeline:
        """The nodes numbered ``ids`` (repeats allowed), as a pipeline."""
        size = len(self._nodes)
        if len(ids) * 16 < size:  # a few nodes: no pass over the whole pipeline
            return self._picked(sorted(set(ids)))
        mask = bytearray(size)
        for i in ids:
            mask[i] = 1
        return self._masked(mask)

    def _masked(self, mask: bytes | bytearray) -> Pipeline:
        """The nodes whose number is set in ``mask``, as a pipeline."""
        return self._picked(list(compress(range(len(mask)), mask)))

    def _picked(self, numbers: list[int]) -> Pipeline:
        """The nodes numbered ``numbers`` (ascending), as a pipeline."""
        graph = self._graph_cache  # reused if there is one, never built for this
        return Pipeline._trusted(
            map(self._nodes.__getitem__, numbers),
            origin=None if graph is None else (graph, numbers),
        )

    # -- the graph --------------------------------------------------------------------

    @property
    def nodes(self) -> list[Node]:
        """The nodes in topological order: layer by layer, by name within a layer."""
        if self._order is None:
            numbers = chain.from_iterable(self._layered())
            self._order = list(map(self._nodes.__getitem__, numbers))
        return list(self._order)

    @property
    def grouped_nodes(self) -> list[list[Node]]:
        """The nodes in layers: each layer only needs outputs of earlier layers."""
        pick = self._nodes.__getitem__
        return [list(map(pick, layer)) for layer in self._layered()]

    @property
    def node_dependencies(self) -> dict[Node, set[Node]]:
        """Each node mapped to the nodes it directly depends on."""
        graph = self._graph
        ordered = graph.nodes
        preds = graph.preds
        return {
            node: {ordered[p] for p in preds[graph.index[node.name]]}
            for node in self.nodes
        }

    def group_nodes_by(self, group_by: str | None = "namespace") -> list[GroupedNodes]:
        """Group the nodes for deployment: by top-level namespace, or one per node.

        Args:
            group_by: ``"namespace"`` (nodes without one form their own group) or
                ``None`` / ``"none"`` (every node its own group).
        """
        graph = self._graph
        preds = graph.preds
        parents = {
            node.name: sorted({graph.nodes[p].name for p in preds[i]})
            for i, node in enumerate(graph.nodes)
        }
        return group_nodes(self.nodes, parents, group_by)

    # -- datasets ----------------------------------------------------------------------

    def all_inputs(self) -> set[str]:
        """Every dataset some node reads, as spelled by the nodes."""
        return {raw for node in self._nodes for raw in node._input_names}

    def all_outputs(self) -> set[str]:
        """Every dataset some node writes, as spelled by the nodes."""
        return {raw for node in self._nodes for raw in node._output_names}

    def inputs(self) -> set[str]:
        """Free inputs: datasets read but written by no node of this pipeline."""
        registry = self._reg()
        ids, writer = registry.ids, registry.writer
        return {
            raw
            for node in self._nodes
            for raw in node._input_names
            if writer[ids[raw if _AT not in raw else strip_transcoding(raw)]] < 0
        }

    def outputs(self) -> set[str]:
        """Free outputs: datasets written but read by no node of this pipeline."""
        registry = self._reg()
        ids, readers = registry.ids, registry.readers
        return {
            raw
            for node in self._nodes
            for raw in node._output_names
            if not readers[ids[raw if _AT not in raw else strip_transcoding(raw)]]
        }

    def datasets(self) -> set[str]:
        """Every dataset read or written, as spelled by the nodes."""
        return self.all_inputs() | self.all_outputs()

    # -- presentation ----------------------------------------------------------------

    def describe(self, names_only: bool = True) -> str:
        """The execution order and free inputs/outputs, ready to log."""

        def listing(names: set[str]) -> str:
            return ", ".join(sorted(names)) if names else "None"

        lines = "\n".join(n.name if names_only else str(n) for n in self.nodes)
        return (
            "#### Pipeline execution order ####\n"
            f"Inputs: {listing(self.inputs())}\n\n"
            f"{lines}\n\n"
            f"Outputs: {listing(self.outputs())}\n"
            "##################################"
        )

    def to_json(self) -> str:
        """The nodes (in execution order) with their datasets and tags, as JSON."""
        import json

        from ordino import __version__

        return json.dumps(
            {
                "ordino_version": __version__,
                "pipeline": [
                    {
                        "name": n.name,
                        "inputs": list(n.inputs),
                        "outputs": list(n.outputs),
                        "tags": sorted(n.tags),
                    }
                    for n in self.nodes
                ],
            }
        )

    def __repr__(self) -> str:
        shown = [repr(n) for n in self.nodes[:_REPR_LIMIT]]
        if len(self._nodes) > _REPR_LIMIT:
            shown.append(f"... ({len(self._nodes) - _REPR_LIMIT} more)")
        body = "[\n" + ",\n".join(shown) + "\n]" if shown else "[]"
        return f"{type(self).__name__}({body})"

    # -- algebra ----------------------------------------------------------------------

    def _nodeset(self) -> frozenset[Node]:
        if self._node_set is None:
            self._node_set = frozenset(self._nodes)
        return self._node_set

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Pipeline):
            return NotImplemented
        return self is other or self._nodeset() == other._nodeset()

    def __hash__(self) -> int:
        return hash(self._nodeset())

    def __add__(self, other: Any) -> Pipeline:
        if not isinstance(other, Pipeline):
            return NotImplemented
        return _union(self, other)

    def __radd__(self, other: Any) -> Pipeline:
        if isinstance(other, int) and other == 0:  # sum() starts from 0
            return self
        return self.__add__(other)

    def __or__(self, other: Any) -> Pipeline:
        if not isinstance(other, Pipeline):
            return NotImplemented
        return _union(self, other)

    def __sub__(self, other: Any) -> Pipeline:
        if not isinstance(other, Pipeline):
            return NotImplemented
        drop = other._nodeset()
        return self._masked(bytes(n not in drop for n in self._nodes))

    def __and__(self, other: Any) -> Pipeline:
        if not isinstance(other, Pipeline):
            return NotImplemented
        keep = other._nodeset()
        return self._masked(bytes(n in keep for n in self._nodes))

    def tag(self, tags: str | Iterable[str]) -> Pipeline:
        """A copy with ``tags`` added to every node."""
        tag_set = _tag_set(tags)
        tagged = (n.tag(tag_set) for n in self._nodes)
        return Pipeline._trusted(tagged, layers=self._layers)  # same graph

    # -- slicing ----------------------------------------------------------------------

    def only_nodes(self, *node_names: str) -> Pipeline:
        """The named nodes only.

        Raises:
            UnknownNameError: A name is not a node of this pipeline.
        """
        return self._subset(select.node_ids(self._graph, node_names))

    def only_nodes_with_tags(self, *tags: str) -> Pipeline:
        """The nodes that carry *any* of ``tags`` (none if no tag is given)."""
        wanted = set(tags)
        return self._masked(bytes(not wanted.isdisjoint(n._tags) for n in self._nodes))

    def from_nodes(self, *node_names: str) -> Pipeline:
        """The named nodes and everything downstream of them."""
        return self._subset(select.downstream_of_nodes(self._graph, node_names))

    def to_nodes(self, *node_names: str) -> Pipeline:
        """The named nodes and everything they need, upstream."""
        return self._subset(select.upstream_of_nodes(self._graph, node_names))

    def only_nodes_with_inputs(self, *inputs: str) -> Pipeline:
        """The nodes that read any of ``inputs`` (``x`` matches every ``x@fmt``)."""
        return self._subset(select.reader_ids(self._graph, inputs))

    def from_inputs(self, *inputs: str) -> Pipeline:
        """The nodes that read any of ``inputs``, and everything downstream."""
        return self._subset(select.downstream_of_inputs(self._graph, inputs))

    def only_nodes_with_outputs(self, *outputs: str) -> Pipeline:
        """The nodes that write any of ``outputs`` (``x`` matches every ``x@fmt``)."""
        return self._subset(select.writer_ids(self._graph, outputs))

    def to_outputs(self, *outputs: str) -> Pipeline:
        """The nodes that write any of ``outputs``, and everything they need."""
        return self._subset(select.upstream_of_outputs(self._graph, outputs))

    def only_nodes_with_namespaces(self, node_namespaces: Iterable[str]) -> Pipeline:
        """The nodes in any of the namespaces, nested ones included.

        ``"a"`` matches namespaces ``a`` and ``a.b`` but not ``ab``.

        Raises:
            UnknownNameError: A namespace matches no node.
        """
        return self._subset(select.namespace_ids_in(self._nodes, node_namespaces))

    def filter(
        self,
        tags: Iterable[str] | None = None,
        from_nodes: Iterable[str] | None = None,
        to_nodes: Iterable[str] | None = None,
        node_names: Iterable[str] | None = None,
        from_inputs: Iterable[str] | None = None,
        to_outputs: Iterable[str] | None = None,
        node_namespaces: Iterable[str] | None = None,
    ) -> Pipeline:
        """The nodes that pass *every* given filter, each applied to this pipeline.

        Unlike chaining slices, the order of the filters does not matter.

        Raises:
            EmptyPipelineError: No node passes all the filters.
            UnknownNameError: A filter names an unknown node, dataset or namespace.
        """
        graph = self._graph
        selectors: list[tuple[str, list[str], Selector]] = [
            ("tags", _listed(tags), select.tagged_ids),
            ("from_nodes", _listed(from_nodes), select.downstream_of_nodes),
            ("to_nodes", _listed(to_nodes), select.upstream_of_nodes),
            ("node_names", _listed(node_names), select.node_ids),
            ("from_inputs", _listed(from_inputs), select.downstream_of_inputs),
            ("to_outputs", _listed(to_outputs), select.upstream_of_outputs),
            ("node_namespaces", _listed(node_namespaces), select.namespace_ids),
        ]
        size = len(graph.nodes)
        keep = (1 << (8 * size)) - 1  # one byte per node, as a bit mask: fast "and"
        applied: list[str] = []
        for label, values, selector in selectors:
            if not values:
                continue
            applied.append(f"{label}={values!r}")
            chosen = bytearray(size)
            for i in selector(graph, values):
                chosen[i] = 1
            keep &= int.from_bytes(chosen, "little")
        if not keep:
            if not applied:
                raise EmptyPipelineError(
                    "The pipeline has no nodes to filter.",
                    filters=(),
                    hint="Check which pipeline is being run: it has no nodes at all.",
                )
            raise _empty_filter_error(graph.nodes, applied, _listed(tags))
        return self._masked(keep.to_bytes(size, "little"))


# -- module helpers ------------------------------------------------------------------


def _flatten(items: list[Node | Pipeline]) -> list[Node]:
    if all(type(item) is Node for item in items):  # the common case: no copy
        return items  # type: ignore[return-value]  # all nodes, as just checked
    flat: list[Node] = []
    for position, item in enumerate(items):
        if isinstance(item, Node):
            flat.append(item)
        elif isinstance(item, Pipeline):
            flat.extend(item._nodes)
        else:
            raise PipelineError(
                f"Pipeline() got {type(item).__name__} {item!r} at position "
                f"{position}, which is neither a node nor a pipeline.",
                hint="Build nodes with node(func, inputs, outputs).",
            )
    return flat


def _union(left: Pipeline, right: Pipeline) -> Pipeline:
    """``left + right`` with only the smaller operand checked against the larger."""
    big, small = (left, right) if left._size() >= right._size() else (right, left)
    if not small._size():
        return big
    known = big._reg()
    added: list[Node] = []
    for node in small._nodes:
        twin = known.by_name.get(node.name)
        if twin is None or known.nodes[twin] != node:  # the same node: kept once
            added.append(node)
    if not added:
        return big
    # A new cycle needs edges both ways between the operands: big -> new, new -> big.
    reads_big = any(
        known.writer_of(strip_transcoding(raw)) >= 0
        for node in added
        for raw in node._input_names
    )
    writes_big = reads_big and any(
        known.readers_of(strip_transcoding(raw))
        for node in added
        for raw in node._output_names
    )
    if big._movable and big._graph_cache is None:
        # ``big`` is itself a union (most likely a partial sum) and no graph reads
        # its registry: extend that registry in place, which keeps ``sum()`` linear.
        # Only nodes are appended, so ``big``'s node prefix stays valid; its
        # registry is rebuilt from its nodes if it is ever needed again.
        registry = known
        big._registry = None
        big._movable = False
    else:
        registry = known.copy()
    registry.add(added)
    union = Pipeline.__new__(Pipeline)
    union._reset(None)
    union._prefix = (registry.nodes, len(registry.nodes))
    union._registry = registry
    union._movable = True
    if writes_big:  # then the union may have a cycle: sort it now, as Kedro does
        union._layered()
    return union


def _empty_filter_error(
    nodes: Iterable[Node], applied: list[str], tags: list[str]
) -> EmptyPipelineError:
    """Say which filters emptied the pipeline, and name requested tags that no
    node carries (a typo there empties ``--tags`` runs silently otherwise)."""
    message = f"No node passes all the filters: {', '.join(applied)}."
    unknown: list[str] = []
    suggestions: tuple[str, ...] = ()
    if tags:
        known = {tag for node in nodes for tag in node._tags}
        unknown = [tag for tag in dict.fromkeys(tags) if tag not in known]
    if unknown:
        label = "the tag" if len(unknown) == 1 else "the tags"
        listed = ", ".join(f"'{tag}'" for tag in unknown)
        message += f" No node has {label} {listed}."
        suggestions = closest_matches(unknown[0], known)
    return EmptyPipelineError(
        message,
        filters=tuple(applied),
        unknown_tags=tuple(unknown),
        suggestions=suggestions,
        hint=(
            "Filters are intersected, not chained: each applies to the whole "
            "pipeline. Check each one alone to see which excludes everything."
        ),
    )


def _tag_set(tags: str | Iterable[str] | None) -> set[str]:
    if tags is None:
        return set()
    if isinstance(tags, str):
        return {tags}
    return set(tags)


def _listed(values: Iterable[str] | None) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        return [values]
    return list(values)
