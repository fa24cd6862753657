"""The one scheduling loop every runner uses.

``graphlib.TopologicalSorter`` says which nodes are ready; an ``Executor`` decides where
they run (inline, on threads, in worker processes). The loop keeps at most
``executor.capacity`` nodes in flight, so that after a failure nothing new starts and
only the nodes already running finish. All bookkeeping is constant work per node.
"""

from __future__ import annotations

import graphlib
import logging
from collections import deque
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Protocol

from ordino.runner.plan import RunPlan

__all__ = ["Executor", "Outcome", "ScheduleResult", "schedule"]

logger = logging.getLogger("ordino.runner")


@dataclass(slots=True)
class Outcome:
    """A finished node: its number, and the exception it raised (None on success).

    ``cancelled``: the node was handed to the executor but never started (the run
    was stopping); it is neither done nor failed.
    """

    index: int
    error: BaseException | None = None
    cancelled: bool = False


class Executor(Protocol):
    """Where nodes run. ``submit`` never blocks for long; ``collect`` blocks until at
    least one submitted node finished and returns every finished one."""

    capacity: int

    def submit(self, index: int, release_after_load: Collection[str]) -> None: ...

    def collect(self) -> list[Outcome]: ...

    def interrupt(self) -> None:
        """Ctrl-C: ask running nodes to stop (a no-op where they cannot be)."""


@dataclass(slots=True)
class ScheduleResult:
    """How a scheduled run ended."""

    done: list[int] = field(default_factory=list)
    failures: list[Outcome] = field(default_factory=list)
    interrupted: bool = False


def schedule(
    plan: RunPlan, executor: Executor, release: Callable[[str], None]
) -> ScheduleResult:
    """Run every node of ``plan`` on ``executor`` in dependency order.

    Stops submitting at the first failure or Ctrl-C and waits for the nodes in
    flight. Datasets in ``plan.releasable`` are released after their last reader:
    right after it loads them when no other reader is still running, else when the
    last reader finishes.
    """
    sorter: graphlib.TopologicalSorter[int] = graphlib.TopologicalSorter()
    for i, preds in enumerate(plan.predecessors):
        sorter.add(i, *preds)
    sorter.prepare()
    reads = plan.reads
    releasable = plan.releasable
    unfinished = dict(plan.readers)  # readers not yet finished, per dataset
    released_early: set[str] = set()
    ready: deque[int] = deque(sorter.get_ready())
    result = ScheduleResult()
    in_flight = 0
    capacity = executor.capacity
    stopping = False
    log = logger.isEnabledFor(logging.INFO)  # once: logging costs per node otherwise
    total = len(plan.nodes)
    while True:
        try:
            while ready and in_flight < capacity and not stopping:
                i = ready.popleft()
                early = [
                    # Only this reader is left: it may drop the data once loaded.
                    name
                    for name in reads[i]
                    if unfinished[name] == 1 and name in releasable
                ]
                if early:
                    released_early.update(early)
                executor.submit(i, early)
                in_flight += 1
            if in_flight == 0:
                break
            outcomes = executor.collect()
        except KeyboardInterrupt:
            if result.interrupted:  # a second Ctrl-C while waiting: give up waiting
                raise
            result.interrupted = stopping = True
            executor.interrupt()
            # The interrupt may have landed between a node finishing and the
            # count going down: ask the executor what still runs, where it knows.
            running = getattr(executor, "running", None)
            if callable(running):
                in_flight = running()
            continue
        for outcome in outcomes:
            in_flight -= 1
            if outcome.cancelled:
                continue
            if outcome.error is not None:
                result.failures.append(outcome)
                stopping = True
                continue
            i = outcome.index
            result.done.append(i)
            if log:
                logger.info(
                    "Completed node %s (%d of %d).",
                    plan.nodes[i].name,
                    len(result.done),
                    total,
                )
            for name in reads[i]:
                left = unfinished[name] = unfinished[name] - 1
                if left == 0 and name in releasable and name not in released_early:
                    release(name)
            sorter.done(i)
            if not stopping:
                ready.extend(sorter.get_ready())
    return result
