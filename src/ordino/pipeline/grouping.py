"""Groups of nodes that a deployment runs as one unit (Kedro's ``GroupedNodes``).

A deployment plugin turns each group into one container, job or Lambda and wires the
groups by their ``dependencies``. Grouping by namespace keeps a reused, namespaced
pipeline together; a node without a namespace is a group of its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ordino.errors import PipelineError

if TYPE_CHECKING:
    from ordino.pipeline.node import Node

__all__ = ["GroupedNodes", "group_nodes"]

_STRATEGIES = ("namespace", "none")


class GroupedNodes:
    """A named group of nodes and the groups it depends on.

    Kedro's is a dataclass; this is a plain class with the same fields, equality and
    repr, because importing ``dataclasses`` would double the import time of
    ``ordino.pipeline``.

    Attributes:
        name: The top-level namespace, or the node name for a lone node.
        type: ``"namespace"`` or ``"node"``.
        nodes: Names of the nodes in the group, in execution order.
        dependencies: Names of the groups that must run first.

    Example:
        >>> group = GroupedNodes(name="shop", type="namespace", nodes=["shop.clean"])
        >>> group.nodes, group.dependencies
        (['shop.clean'], [])
    """

    __slots__ = ("dependencies", "name", "nodes", "type")

    def __init__(
        self,
        name: str,
        type: str,  # Kedro's field name, shadowing the builtin here only
        nodes: list[str] | None = None,
        dependencies: list[str] | None = None,
    ) -> None:
        self.name = name
        self.type = type
        self.nodes: list[str] = [] if nodes is None else nodes
        self.dependencies: list[str] = [] if dependencies is None else dependencies

    def _fields(self) -> tuple[str, str, list[str], list[str]]:
        return (self.name, self.type, self.nodes, self.dependencies)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GroupedNodes):
            return NotImplemented
        return self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]  # mutable, like a non-frozen dataclass

    def __repr__(self) -> str:
        return (
            f"GroupedNodes(name={self.name!r}, type={self.type!r}, "
            f"nodes={self.nodes!r}, dependencies={self.dependencies!r})"
        )


def group_nodes(
    ordered: Sequence[Node],
    parents: Mapping[str, Sequence[str]],
    group_by: str | None,
) -> list[GroupedNodes]:
    """Group ``ordered`` (topologically sorted) nodes.

    Args:
        ordered: The pipeline's nodes in execution order.
        parents: Node name -> names of the nodes it depends on, sorted.
        group_by: ``"namespace"``, or ``None`` / ``"none"`` for one group per node.

    Raises:
        PipelineError: ``group_by`` is not a known strategy.
    """
    strategy = "none" if group_by is None else group_by.lower()
    if strategy not in _STRATEGIES:
        from ordino.suggest import closest_matches

        raise PipelineError(
            f"Unknown group_by strategy {group_by!r}: use 'namespace' or None.",
            suggestions=closest_matches(strategy, _STRATEGIES),
        )
    by_namespace = strategy == "namespace"
    key_of = {n.name: _key(n, by_namespace) for n in ordered}
    groups: dict[str, GroupedNodes] = {}
    seen_deps: dict[str, set[str]] = {}
    for node in ordered:
        key = key_of[node.name]
        group = groups.get(key)
        if group is None:
            kind = "namespace" if by_namespace and node.namespace else "node"
            group = groups[key] = GroupedNodes(name=key, type=kind)
            seen_deps[key] = set()
        group.nodes.append(node.name)
        deps = seen_deps[key]
        for parent in parents[node.name]:
            parent_key = key_of[parent]
            if parent_key != key and parent_key not in deps:
                deps.add(parent_key)
                group.dependencies.append(parent_key)
    return list(groups.values())


def _key(node: Node, by_namespace: bool) -> str:
    if by_namespace and node.namespace:
        return node.namespace.split(".", 1)[0]
    return node.name
