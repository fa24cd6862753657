"""``AbstractRunner``: what every runner does around the scheduling loop.

A run: pick the nodes (all, or only those with missing outputs), check that the
catalog has every input, look the hooks up once, schedule the nodes on the runner's
executor, then either return the free outputs or raise one error that names the
failed node and says how to resume.
"""

from __future__ import annotations

import logging
import time
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any

from ordino.errors import NodeRunError, RunInterruptedError, RunnerError
from ordino.runner.hookset import RunHooks
from ordino.runner.plan import RunPlan, check_inputs
from ordino.runner.resume import (
    nodes_to_resume_from,
    nodes_with_missing_outputs,
    resume_command,
)
from ordino.runner.scheduler import Executor, RunHeap, ScheduleResult, schedule

if TYPE_CHECKING:
    from ordino.io import AbstractDataset
    from ordino.pipeline import Pipeline

__all__ = ["AbstractRunner"]

logger = logging.getLogger("ordino.runner")


class AbstractRunner(ABC):
    """Base class of the runners: subclasses only say where nodes run.

    Args:
        is_async: Load each node's inputs and save its outputs on threads.
    """

    def __init__(self, is_async: bool = False) -> None:
        self._is_async = is_async

    def run(
        self,
        pipeline: Pipeline,
        catalog: Any,
        hook_manager: Any | None = None,
        run_id: str | None = None,
        only_missing_outputs: bool = False,
    ) -> dict[str, AbstractDataset[Any, Any]]:
        """Run ``pipeline``, loading from and saving to ``catalog``.

        Args:
            pipeline: The nodes to run.
            catalog: Where inputs come from and outputs go. A dataset no entry or
                pattern covers gets a ``MemoryDataset`` for the run.
            hook_manager: A pluggy manager (``session.hook_manager``); node and
                dataset hooks are called on it. None: no hooks.
            run_id: Passed to the hooks as ``run_id``.
            only_missing_outputs: Skip the nodes whose persisted outputs all
                exist (re-running the producers of in-memory data they need).

        Returns:
            The pipeline's free outputs (written by a node, read by none), name ->
            dataset; ``.load()`` one to get its data.

        Raises:
            MissingInputsError: The catalog lacks inputs; all are listed.
            NodeRunError: A node failed; ``.resume_command`` resumes the run.
            RunInterruptedError: Ctrl-C; ``.resume_command`` resumes the run.
        """
        heap = RunHeap()
        heap.pause()
        try:
            plan = RunPlan(pipeline)
            if only_missing_outputs:
                from ordino.pipeline import Pipeline as _Pipeline

                plan = RunPlan(_Pipeline(nodes_with_missing_outputs(plan, catalog)))
            check_inputs(catalog, plan.inputs)
            used = plan.readers.keys() | plan.outputs
            plan.runtime = frozenset(name for name in used if name not in catalog)
            for name in used:
                # Materialise runtime datasets (MemoryDataset for unknown names)
                # now, from one thread, rather than racing to create them mid-run.
                catalog.get(name, fallback_to_runtime_pattern=True)
            hooks = RunHooks(hook_manager)
            if self._is_async:
                logger.info("Loading and saving data asynchronously, on threads.")
            started = time.perf_counter()
            result = self._run(plan, catalog, hooks, run_id, heap)
        finally:
            heap.close()
        self._raise_for(result, plan, catalog)
        logger.info(
            "Pipeline completed: %d nodes in %.2f s.",
            len(plan.nodes),
            time.perf_counter() - started,
        )
        return {name: catalog.get(name) for name in sorted(plan.outputs)}

    def _run(
        self,
        plan: RunPlan,
        catalog: Any,
        hooks: RunHooks,
        run_id: str | None,
        heap: RunHeap | None = None,
    ) -> ScheduleResult:
        executor = self._executor(plan, catalog, hooks, run_id)
        # An executor that keeps data itself (DaskRunner) releases it itself.
        release = getattr(executor, "release", catalog.release)
        try:
            return schedule(plan, executor, release, heap)
        finally:
            self._close_executor(executor)

    @abstractmethod
    def _executor(
        self, plan: RunPlan, catalog: Any, hooks: RunHooks, run_id: str | None
    ) -> Executor:
        """Where this runner runs nodes."""

    def _close_executor(self, executor: Executor) -> None:
        close = getattr(executor, "close", None)
        if callable(close):
            close()

    def _raise_for(self, result: ScheduleResult, plan: RunPlan, catalog: Any) -> None:
        if not result.failures and not result.interrupted:
            return
        if not result.failures and len(result.done) == len(plan.nodes):
            # Ctrl-C while the last nodes finished (threads cannot be stopped):
            # everything was saved, there is nothing to resume.
            raise RunInterruptedError(
                f"The run was interrupted (Ctrl-C), but all {len(plan.nodes)} nodes "
                "had already finished and saved their outputs.",
                resume_command=None,
                hint="Nothing to resume.",
            )
        starts, everything = nodes_to_resume_from(plan, result.done, catalog)
        command = resume_command(starts)
        unfinished = len(plan.nodes) - len(result.done)
        if everything:
            how = "Nothing this run did is kept: run the same command again."
            command = "ordino run"
        else:
            how = (
                f"{unfinished} of {len(plan.nodes)} nodes did not finish. Resume from "
                f"the nearest persisted inputs, adding this run's other options "
                f"(--pipeline, --env, ...):\n    {command}"
            )
        if result.interrupted:
            for failure in result.failures:
                if not isinstance(failure.error, KeyboardInterrupt):
                    logger.error(
                        "Node '%s' failed: %r",
                        plan.nodes[failure.index].name,
                        failure.error,
                    )
            raise RunInterruptedError(
                "The run was interrupted (Ctrl-C). Nothing new started, running "
                "nodes stopped or finished, and no output was left half-written.",
                resume_command=command,
                hint=how,
            )
        for extra in result.failures[1:]:
            logger.error(
                "Node '%s' failed too: %r", plan.nodes[extra.index].name, extra.error
            )
        failure = result.failures[0]
        name = plan.nodes[failure.index].name
        error = failure.error
        if isinstance(error, RunnerError) and getattr(error, "node", None) == name:
            # Already phrased by the executor (a worker that died, say).
            # Every RunnerError takes facts as attributes (errors.py); this one
            # gains the resume command the executor could not know.
            error.resume_command = command  # type: ignore[attr-defined]
            error.hint = "\n  ".join(filter(None, [error.hint, how]))
            raise error
        raise NodeRunError(
            f"Node '{name}' failed: {type(error).__name__}: {error}",
            node=name,
            resume_command=command,
            hint=how,
        ) from error
