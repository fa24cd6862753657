"""Worker processes for ``ParallelRunner``: start, feed, watch, stop.

A small pool of our own rather than ``concurrent.futures.ProcessPoolExecutor``:
each worker has its own pipe, so the parent always knows which node a worker is
running. When a worker dies (killed, out of memory) its process sentinel fires and
the run fails naming that node, while the other workers finish what they run;
``ProcessPoolExecutor`` instead breaks the whole pool without saying which task
killed it. A worker runs one task and may hold one more, queued in its pipe, so it
starts the next node without waiting for the parent; only small tasks are queued
that way, so a pipe never fills in both directions at once.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import time
from collections import deque
from collections.abc import Iterator
from multiprocessing import connection
from typing import Any

from ordino.errors import RunnerError
from ordino.suggest import closest_matches

__all__ = ["MP_CONTEXT_VARIABLE", "ProcessPool", "Worker", "mp_context"]

#: Environment variable choosing how workers start (Kedro's KEDRO_MP_CONTEXT).
MP_CONTEXT_VARIABLE = "ORDINO_MP_CONTEXT"
_METHODS = ("spawn", "fork", "forkserver")


def mp_context() -> Any:
    """The multiprocessing context ``ORDINO_MP_CONTEXT`` asks for (spawn by default).

    Spawn is the default everywhere: fork copies the parent's threads' locks and is
    unsafe with threads (and deprecated as a default by Python 3.12+).
    """
    import multiprocessing

    method = os.environ.get(MP_CONTEXT_VARIABLE, "").strip().lower() or "spawn"
    available = multiprocessing.get_all_start_methods()
    if method not in available:
        raise RunnerError(
            f"{MP_CONTEXT_VARIABLE}={os.environ.get(MP_CONTEXT_VARIABLE)!r} is not a "
            f"start method this platform has.",
            suggestions=closest_matches(method, available),
            hint=f"Use one of: {', '.join(m for m in _METHODS if m in available)}.",
        )
    return multiprocessing.get_context(method)


class Worker:
    """One worker process and the parent's end of its pipe."""

    __slots__ = ("conn", "datasets_sent", "process", "run_token", "tasks")

    def __init__(self, process: Any, conn: Any) -> None:
        self.process = process
        self.conn = conn
        #: Node numbers sent to it, in order: the first one is running.
        self.tasks: deque[int] = deque()
        self.run_token: int | None = None
        self.datasets_sent: set[str] = set()

    @property
    def pid(self) -> int:
        return int(self.process.pid)

    def send(self, message: Any) -> None:
        self.conn.send_bytes(pickle.dumps(message))


class ProcessPool:
    """Worker processes, reused across runs of one runner."""

    def __init__(self) -> None:
        self._context = mp_context()
        self.workers: list[Worker] = []

    def ensure(self, count: int) -> None:
        """Start workers until ``count`` are alive (they boot concurrently)."""
        from ordino.runner.parallel_worker import worker_main

        self.workers = [w for w in self.workers if w.process.is_alive()]
        while len(self.workers) < count:
            parent_end, child_end = self._context.Pipe(duplex=True)
            process = self._context.Process(
                target=worker_main, args=(child_end,), daemon=True, name="ordino-worker"
            )
            process.start()
            child_end.close()
            self.workers.append(Worker(process, parent_end))

    def idle(self) -> Worker | None:
        """A live worker with nothing to do."""
        for worker in self.workers:
            if not worker.tasks and worker.process.is_alive():
                return worker
        return None

    def with_room(self) -> Worker | None:
        """A live worker running a task with none queued behind it."""
        for worker in self.workers:
            if len(worker.tasks) == 1 and worker.process.is_alive():
                return worker
        return None

    def busy(self) -> list[Worker]:
        return [w for w in self.workers if w.tasks]

    def wait(self, timeout: float | None) -> Iterator[tuple[Worker, Any]]:
        """Yield ``(worker, message)`` for busy workers that spoke, and
        ``(worker, None)`` for busy workers that died."""
        busy = self.busy()
        by_handle: dict[Any, Worker] = {}
        for worker in busy:
            by_handle[worker.conn] = worker
            by_handle[worker.process.sentinel] = worker
        seen: set[int] = set()
        for handle in connection.wait(list(by_handle), timeout):
            worker = by_handle[handle]
            if id(worker) in seen:
                continue
            seen.add(id(worker))
            yield from self._drain(worker)

    def _drain(self, worker: Worker) -> Iterator[tuple[Worker, Any]]:
        # Read everything the worker wrote before looking at whether it is alive:
        # a worker that answered and then died still answered.
        while True:
            try:
                if not worker.conn.poll():
                    break
                message = pickle.loads(worker.conn.recv_bytes())
            except (EOFError, OSError):  # its end of the pipe closed: it is exiting
                worker.process.join(timeout=5)
                yield worker, None
                return
            yield worker, message
            if not worker.tasks:  # its last task finished: stop at that answer
                return
        if not worker.process.is_alive():
            yield worker, None

    def discard(self, worker: Worker) -> None:
        with contextlib.suppress(ValueError):
            self.workers.remove(worker)
        with contextlib.suppress(OSError):
            worker.conn.close()
        worker.process.join(timeout=1)

    def interrupt(self) -> None:
        """Ask every busy worker to stop its node (KeyboardInterrupt inside it)."""
        sig = getattr(signal, "SIGUSR1", None)
        for worker in self.busy():
            with contextlib.suppress(OSError):
                if sig is not None:
                    os.kill(worker.pid, sig)
                else:  # pragma: no cover - Windows: no SIGUSR1, stop it outright
                    worker.process.terminate()

    def close(self, *, grace: float = 2.0) -> None:
        """Stop every worker: ask, then terminate, then kill. Leaves no process."""
        workers, self.workers = self.workers, []
        for worker in workers:
            with contextlib.suppress(OSError, ValueError):
                worker.conn.send_bytes(pickle.dumps(None))
        deadline = time.monotonic() + grace
        for worker in workers:
            worker.process.join(timeout=max(0.0, deadline - time.monotonic()))
        for worker in workers:
            if worker.process.is_alive():
                worker.process.terminate()
                worker.process.join(timeout=1)
            if worker.process.is_alive():  # pragma: no cover - ignores SIGTERM
                worker.process.kill()
                worker.process.join(timeout=1)
            with contextlib.suppress(OSError):
                worker.conn.close()
