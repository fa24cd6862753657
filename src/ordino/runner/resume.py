"""Which nodes to run again: after a failure, and for ``only_missing_outputs``.

Both walk the plan once (linear time). Both treat a dataset as lost when it lives
only in memory: a later ``ordino run`` starts with an empty memory.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from ordino.runner.plan import RunPlan, is_ephemeral

if TYPE_CHECKING:
    from ordino.pipeline import Node

__all__ = ["nodes_to_resume_from", "nodes_with_missing_outputs", "resume_command"]

logger = logging.getLogger(__name__)


def nodes_to_resume_from(
    plan: RunPlan, done: Collection[int], catalog: Any
) -> tuple[list[Node], bool]:
    """The earliest nodes from which ``--from-nodes`` re-runs everything unfinished.

    Every unfinished node must run, and so must the finished producers of any
    in-memory dataset an unfinished node reads (its value dies with this process),
    recursively. The answer is the nodes of that set none of whose predecessors are
    in it: ``--from-nodes`` adds their descendants. The flag says whether every
    node must run again (nothing the run did is kept).
    """
    done_set = set(done)
    producers = plan.producers()
    to_run = [i not in done_set for i in range(len(plan.nodes))]
    queue = deque(i for i, needed in enumerate(to_run) if needed)
    ephemeral: dict[str, bool] = {}
    while queue:
        i = queue.popleft()
        for name in plan.nodes[i].inputs:
            producer = producers.get(name.split("@", 1)[0])
            if producer is None or to_run[producer]:
                continue
            if name not in ephemeral:
                ephemeral[name] = is_ephemeral(catalog, name)
            if ephemeral[name]:
                to_run[producer] = True
                queue.append(producer)
    starts = [
        node
        for i, node in enumerate(plan.nodes)
        if to_run[i] and not any(to_run[p] for p in plan.predecessors[i])
    ]
    return starts, all(to_run)


def resume_command(starts: Collection[Node]) -> str:
    """``ordino run --from-nodes "a,b"``, the nodes in topological order."""
    return f'ordino run --from-nodes "{",".join(node.name for node in starts)}"'


def nodes_with_missing_outputs(plan: RunPlan, catalog: Any) -> list[Node]:
    """The nodes ``only_missing_outputs=True`` runs, in topological order.

    Walking backwards, a node runs when it has no outputs, when one of its persisted
    outputs does not exist, or when a node that runs reads one of its outputs that
    is in memory or missing (Kedro 1.x's rules).
    """
    exists: dict[str, bool] = {}

    def persisted_and_missing(name: str) -> bool:
        if is_ephemeral(catalog, name):
            return False
        if name not in exists:
            exists[name] = bool(catalog.exists(name))
        return not exists[name]

    needed: set[str] = set()
    chosen: list[bool] = [False] * len(plan.nodes)
    for i in range(len(plan.nodes) - 1, -1, -1):
        node = plan.nodes[i]
        outputs = node.outputs
        run = (
            not outputs
            or any(persisted_and_missing(name) for name in outputs)
            or any(name.split("@", 1)[0] in needed for name in outputs)
        )
        if not run:
            continue
        chosen[i] = True
        for name in node.inputs:
            if is_ephemeral(catalog, name) or persisted_and_missing(name):
                needed.add(name.split("@", 1)[0])
    selected = [node for i, node in enumerate(plan.nodes) if chosen[i]]
    skipped = len(plan.nodes) - len(selected)
    if skipped:
        logger.info(
            "Skipping %d of %d nodes whose persisted outputs all exist.",
            skipped,
            len(plan.nodes),
        )
    return selected
