"""The one scheduling loop every runner uses.

A count of unfinished predecessors per node says which nodes are ready; an
``Executor`` decides where they run (inline, on threads, in worker processes). The
loop keeps at most ``executor.capacity`` nodes in flight, so that after a failure
nothing new starts and only the nodes already running finish. All bookkeeping is
constant work per node.
"""

from __future__ import annotations

import gc
import logging
from collections import deque
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Protocol

from ordino.runner.plan import RunPlan

__all__ = ["Executor", "Outcome", "RunHeap", "ScheduleResult", "schedule"]

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
    plan: RunPlan,
    executor: Executor,
    release: Callable[[str], None],
    heap: RunHeap | None = None,
) -> ScheduleResult:
    """Run every node of ``plan`` on ``executor`` in dependency order.

    Stops submitting at the first failure or Ctrl-C and waits for the nodes in
    flight. Datasets in ``plan.releasable`` are released after their last reader:
    right after it loads them when no other reader is still running, else when the
    last reader finishes. ``heap``: the run's collector settings, told when the
    loop starts.
    """
    if heap is not None:
        heap.loop_starts()
    return _loop(plan, executor, release)


class RunHeap:
    """Keeps the garbage collector off the objects a run lives on.

    The pipeline, its nodes, the catalog's datasets and the run's bookkeeping live
    for the whole run, several objects per node, and none of them is garbage. Left
    alone, the allocations that build them trigger collections that walk them again
    and again (young ones, then full ones over the whole heap), so a node's share
    of collection time grows with the pipeline: at 100,000 nodes about a third of
    the runner's time per node went to collections that found nothing. So a run:

    1. pauses the collector while it builds its plan (``pause``, in ``run``): that
       code makes long-lived objects, not garbage;
    2. when the loop starts (``loop_starts``), freezes everything that exists
       (``gc.freeze()``, constant time) and collects again: garbage the nodes make
       is collected as usual, and the frozen objects are not walked;
    3. unfreezes at the end (``close``), handing everything back to the collector.

    Nothing happens when the collector is off, or when something else has frozen
    objects (an application preparing to fork, a run inside a node's function):
    unfreezing would undo its freeze. The collector is process-wide, so other
    threads also skip collections during step 1 (a fraction of a second even for
    100,000 nodes).
    """

    __slots__ = ("_owned", "_paused")

    def __init__(self) -> None:
        self._owned = False
        self._paused = False

    def pause(self) -> None:
        """Stop collecting while the run builds its plan, if the run may."""
        if gc.isenabled() and not gc.get_freeze_count():
            self._owned = self._paused = True
            gc.disable()

    def loop_starts(self) -> None:
        """Freeze what the run has built and collect again."""
        if self._paused:
            self._paused = False
            gc.freeze()
            gc.enable()

    def close(self) -> None:
        """Leave the collector as the run found it (idempotent)."""
        if self._owned:
            self._owned = self._paused = False
            gc.enable()
            gc.unfreeze()


def _loop(
    plan: RunPlan, executor: Executor, release: Callable[[str], None]
) -> ScheduleResult:
    # Nodes are numbered in topological order and the pipeline has no cycle, so
    # a count of unfinished predecessors per node is all the ordering needs (what
    # graphlib.TopologicalSorter does, without its cycle search and per-call
    # checks, which cost more than the rest of this loop).
    waiting = [len(preds) for preds in plan.predecessors]
    successors = plan.successors
    reads = plan.reads
    releasable = plan.releasable
    unfinished = dict(plan.readers)  # readers not yet finished, per dataset
    # Node number -> inputs it was told to release itself, while it runs: only
    # these few entries, so the bookkeeping does not grow with the pipeline.
    released_early: dict[int, list[str]] = {}
    ready: deque[int] = deque(i for i, count in enumerate(waiting) if not count)
    result = ScheduleResult()
    done = result.done
    in_flight = 0
    capacity = executor.capacity
    submit = executor.submit
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
                    released_early[i] = early
                # Counted once submitted: the inline executor runs the node inside
                # submit, and a Ctrl-C there leaves nothing in flight.
                submit(i, early)
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
            i = outcome.index
            dropped: Collection[str] = released_early.pop(i, ())
            if outcome.cancelled:
                continue
            if outcome.error is not None:
                result.failures.append(outcome)
                stopping = True
                continue
            done.append(i)
            if log:
                logger.info(
                    "Completed node %s (%d of %d).",
                    plan.nodes[i].name,
                    len(done),
                    total,
                )
            for name in reads[i]:
                left = unfinished[name] = unfinished[name] - 1
                if left == 0 and name in releasable and name not in dropped:
                    release(name)
            for successor in successors[i]:
                left = waiting[successor] = waiting[successor] - 1
                if not left and not stopping:
                    ready.append(successor)
    return result
