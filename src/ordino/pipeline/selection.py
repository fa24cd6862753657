"""Which nodes a slice of a pipeline keeps, as node numbers of its ``Graph``.

Each function answers one kind of question (by name, tag, dataset or namespace) in
time linear in the pipeline, and names anything unknown with a "did you mean".
``Pipeline`` turns the numbers into a sub-pipeline; ``Pipeline.filter`` intersects
the answers of several.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from ordino.errors import UnknownNameError
from ordino.pipeline.graph import reachable
from ordino.pipeline.index import Graph
from ordino.pipeline.transcoding import strip_transcoding
from ordino.suggest import closest_matches

if TYPE_CHECKING:
    from ordino.pipeline.node import Node

__all__ = [
    "Selector",
    "downstream_of_inputs",
    "downstream_of_nodes",
    "namespace_ids",
    "namespace_ids_in",
    "node_ids",
    "reader_ids",
    "tagged_ids",
    "upstream_of_nodes",
    "upstream_of_outputs",
    "writer_ids",
]

Selector = Callable[[Graph, Iterable[str]], list[int]]


def node_ids(graph: Graph, names: Iterable[str]) -> list[int]:
    """The named nodes.

    Raises:
        UnknownNameError: A name is not a node of the graph.
    """
    index = graph.index
    names = list(names)
    unknown = [name for name in names if name not in index]
    if unknown:
        raise _unknown("node", unknown, index, _namespaced_matches(unknown, index))
    return [index[name] for name in names]


def downstream_of_nodes(graph: Graph, names: Iterable[str]) -> list[int]:
    """The named nodes and all their descendants."""
    return reachable(node_ids(graph, names), graph.succs)


def upstream_of_nodes(graph: Graph, names: Iterable[str]) -> list[int]:
    """The named nodes and all their ancestors."""
    return reachable(node_ids(graph, names), graph.preds)


def downstream_of_inputs(graph: Graph, names: Iterable[str]) -> list[int]:
    """The readers of the datasets and all their descendants."""
    return reachable(reader_ids(graph, names), graph.succs)


def upstream_of_outputs(graph: Graph, names: Iterable[str]) -> list[int]:
    """The writers of the datasets and all their ancestors."""
    return reachable(writer_ids(graph, names), graph.preds)


def tagged_ids(graph: Graph, tags: Iterable[str]) -> list[int]:
    """The nodes carrying any of ``tags``."""
    wanted = set(tags)
    return [i for i, n in enumerate(graph.nodes) if not wanted.isdisjoint(n._tags)]


def reader_ids(graph: Graph, names: Iterable[str]) -> list[int]:
    """The nodes reading any of the datasets: ``x`` matches every ``x@fmt``, while
    ``x@fmt`` matches that spelling only.

    Raises:
        UnknownNameError: No node reads or writes one of the names.
    """
    names = _known_datasets(graph, names)
    found: list[int] = []
    for name in names:
        base = strip_transcoding(name)
        readers = graph.registry.readers_of(base)
        if base == name:
            found.extend(readers)
        else:
            found.extend(i for i in readers if name in graph.nodes[i]._input_names)
    return found


def writer_ids(graph: Graph, names: Iterable[str]) -> list[int]:
    """The nodes writing any of the datasets (spellings as in :func:`reader_ids`).

    Raises:
        UnknownNameError: No node reads or writes one of the names.
    """
    names = _known_datasets(graph, names)
    found: list[int] = []
    for name in names:
        base = strip_transcoding(name)
        writer = graph.registry.writer_of(base)
        if writer >= 0 and (base == name or name in graph.nodes[writer]._output_names):
            found.append(writer)
    return found


def namespace_ids(graph: Graph, namespaces: Iterable[str]) -> list[int]:
    """The nodes in any of the namespaces, matched by whole dotted segments:
    ``a`` matches ``a`` and ``a.b``, not ``ab``.

    Raises:
        UnknownNameError: A namespace matches no node.
    """
    return namespace_ids_in(graph.nodes, namespaces)


def namespace_ids_in(nodes: Sequence[Node], namespaces: Iterable[str]) -> list[int]:
    """:func:`namespace_ids` over a plain node list: namespaces need no graph, so
    a pipeline that has not built its graph yet does not build it for this."""
    wanted = dict.fromkeys(namespaces, False)
    # Each node's namespace is compared once per distinct namespace, not per node:
    # pipelines have many nodes but few namespaces.
    verdicts: dict[str | None, bool] = {None: False, "": False}
    found: list[int] = []
    for i, node in enumerate(nodes):
        namespace = node._namespace
        hit = verdicts.get(namespace)
        if hit is None:
            assert namespace is not None
            hit = False
            for prefix in _prefixes(namespace):
                if prefix in wanted:
                    wanted[prefix] = hit = True
            verdicts[namespace] = hit
        if hit:
            found.append(i)
    unmatched = [ns for ns, hit in wanted.items() if not hit]
    if unmatched:
        known = {p for n in nodes if n.namespace for p in _prefixes(n.namespace)}
        raise _unknown("namespace", unmatched, known, ())
    return found


def _spellings(graph: Graph) -> set[str]:
    return {
        raw for node in graph.nodes for raw in (*node._input_names, *node._output_names)
    }


def _known_datasets(graph: Graph, names: Iterable[str]) -> list[str]:
    names = list(names)
    spelled: set[str] | None = None  # every spelling, built only if needed
    unknown: list[str] = []
    for name in names:
        base = strip_transcoding(name)
        if base not in graph.registry.ids:
            unknown.append(name)
        elif base != name:  # 'x@fmt' must be spelled so by some node
            if spelled is None:
                spelled = _spellings(graph)
            if name not in spelled:
                unknown.append(name)
    if unknown:
        raise _unknown("dataset", unknown, _spellings(graph), ())
    return names


def _prefixes(namespace: str) -> Iterator[str]:
    """``a.b.c`` -> ``a``, ``a.b``, ``a.b.c``: whole dotted segments only."""
    end = namespace.find(".")
    while end != -1:
        yield namespace[:end]
        end = namespace.find(".", end + 1)
    yield namespace


def _namespaced_matches(unknown: list[str], index: dict[str, int]) -> tuple[str, ...]:
    """Kedro's hint: ``clean`` may be meant as ``shop.clean`` after namespacing."""
    if len(unknown) != 1:
        return ()
    suffix = f".{unknown[0]}"
    return tuple(sorted(name for name in index if name.endswith(suffix)))[:3]


def _unknown(
    kind: str, unknown: list[str], known: Iterable[str], preferred: tuple[str, ...]
) -> UnknownNameError:
    names = ", ".join(f"'{name}'" for name in unknown)
    plural = {"node": "nodes", "dataset": "datasets", "namespace": "namespaces"}[kind]
    label = kind if len(unknown) == 1 else plural
    suggestions: tuple[str, ...] = ()
    if len(unknown) == 1:
        suggestions = preferred or closest_matches(unknown[0], known)
    return UnknownNameError(
        f"Pipeline has no {label} {names}.",
        kind=kind,
        names=tuple(unknown),
        suggestions=suggestions,
    )
