"""The code a ``ParallelRunner`` worker process runs.

A worker serves one pipe: it receives a run's context once per run, then tasks, and
answers each task with ``done`` or ``error``, preceded by the hook ``event``s the
parent must replay for hook objects that could not be shipped. It imports little:
spawning a worker must stay cheap.

Signals: Ctrl-C in a terminal reaches every process of the group; workers ignore
SIGINT so that only the parent decides, and the parent interrupts a running node with
SIGUSR1, which raises ``KeyboardInterrupt`` inside the node only (never in the middle
of answering the parent).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ordino.errors import RunnerError, UnpicklableNodeError
from ordino.runner.hookset import NODE_HOOKS, RunHooks
from ordino.runner.task import run_node

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

__all__ = ["RunContext", "serve"]

INTERRUPT_SIGNAL = getattr(signal, "SIGUSR1", None)


class RunContext:
    """What a worker needs to know about a run, pickled once per run.

    Attributes:
        token: Distinguishes runs, so a reused worker drops the last run's state.
        run_id: Passed to hooks.
        is_async: Load and save on threads.
        project_name: The pluggy project of the hook specs.
        spec_classes: The hook spec classes (pickled by reference).
        plugins: Hook objects that run here, in registration order.
        parent_hooks: Hook name -> argument names the parent's own hook objects
            take; the worker reports those calls back with just those arguments.
    """

    def __init__(
        self,
        token: int,
        run_id: str | None,
        is_async: bool,
        project_name: str | None,
        spec_classes: tuple[type, ...],
        plugins: tuple[Any, ...],
        parent_hooks: dict[str, frozenset[str]],
    ) -> None:
        self.token = token
        self.run_id = run_id
        self.is_async = is_async
        self.project_name = project_name
        self.spec_classes = spec_classes
        self.plugins = plugins
        self.parent_hooks = parent_hooks


class _State:
    """The worker's per-run state."""

    def __init__(self, context: RunContext, send: Callable[[Any], None]) -> None:
        self.context = context
        self.datasets: dict[str, Any] = {}
        self.catalog = _worker_catalog()
        self.hooks = _worker_hooks(context, send)
        self.io_pool: ThreadPoolExecutor | None = None
        if context.is_async:
            # Imported here: it costs a worker's start-up ~10 ms it rarely needs.
            from concurrent.futures import ThreadPoolExecutor

            self.io_pool = ThreadPoolExecutor(thread_name_prefix="ordino-io")

    def close(self) -> None:
        if self.io_pool is not None:
            self.io_pool.shutdown(wait=True)


def _worker_catalog() -> Any:
    try:
        from ordino.io import DataCatalog

        return DataCatalog()
    except ImportError:  # pragma: no cover - ordino.io always ships with ordino
        return None


class _Hooks:
    """Calls a hook on the worker's own plugins and reports it to the parent."""

    def __init__(
        self,
        name: str,
        local: Callable[..., Any] | None,
        wanted: frozenset[str] | None,
        send: Callable[[Any], None],
    ) -> None:
        self.name = name
        self.local = local
        self.wanted = wanted
        self.send = send

    def __call__(self, **kwargs: Any) -> Any:
        result = self.local(**kwargs) if self.local is not None else None
        if self.wanted is not None:
            self._report(kwargs)
        return result

    def _report(self, kwargs: dict[str, Any]) -> None:
        assert self.wanted is not None
        sent = {k: v for k, v in kwargs.items() if k in self.wanted and k != "catalog"}
        if "node" in sent:
            sent["node"] = sent["node"].name
        try:
            payload = pickle.dumps(("event", self.name, sent))
        except Exception:
            bare = {
                k: v
                for k, v in sent.items()
                if k in {"node", "dataset_name", "is_async", "run_id"}
            }
            payload = pickle.dumps(("event", self.name, bare))
        self.send(payload)


def _worker_hooks(context: RunContext, send: Callable[[Any], None]) -> RunHooks:
    manager = None
    if context.plugins:
        import pluggy

        manager = pluggy.PluginManager(context.project_name or "ordino")
        for spec in context.spec_classes:
            manager.add_hookspecs(spec)
        for plugin in context.plugins:
            manager.register(plugin)
    local = RunHooks(manager)
    hooks = RunHooks(None)
    for name in NODE_HOOKS:
        own = getattr(local, name)
        wanted = context.parent_hooks.get(name)
        if own is None and wanted is None:
            continue
        setattr(hooks, name, _Hooks(name, own, wanted, send))
        hooks.any = True
    return hooks


class _WorkerIO:
    """A task's view of the catalog: worker-side datasets, plus values the parent
    loaded, plus outputs the parent will save."""

    def __init__(
        self, state: _State, preloaded: dict[str, Any], parent_outputs: frozenset[str]
    ) -> None:
        self.datasets = state.datasets
        self.preloaded = preloaded
        self.parent_outputs = parent_outputs
        self.captured: dict[str, Any] = {}
        self.lock = threading.Lock()

    def load(self, name: str, *, release: bool = False) -> Any:
        if name in self.preloaded:
            return self.preloaded.pop(name) if release else self.preloaded[name]
        dataset = self.datasets[name]
        if release:
            take = getattr(dataset, "take", None)  # SharedMemoryDataset: one trip
            if take is not None:
                return take()
            data = dataset.load()
            dataset.release()
            return data
        return dataset.load()

    def save(self, name: str, data: Any) -> None:
        if name in self.parent_outputs:
            with self.lock:
                self.captured[name] = data
        else:
            self.datasets[name].save(data)

    def release(self, name: str) -> None:
        if name in self.preloaded:
            del self.preloaded[name]
        elif name in self.datasets:
            self.datasets[name].release()


class _Interruptible:
    """Turns SIGUSR1 into KeyboardInterrupt, but only while a node runs."""

    def __init__(self) -> None:
        self.active = False
        self.interrupted = False  # queued tasks are cancelled until the next run
        if INTERRUPT_SIGNAL is not None:
            signal.signal(INTERRUPT_SIGNAL, self._on_signal)
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    def _on_signal(self, signum: int, frame: Any) -> None:
        self.interrupted = True
        if self.active:
            raise KeyboardInterrupt


class _ParentGone(BaseException):
    """The parent closed its end of the pipe: nobody is left to answer to."""


def _watch_parent(parent: int) -> None:
    # A parent killed outright (SIGKILL) runs no clean-up; without this a worker
    # busy with a long node would outlive it. Polling getppid works everywhere.
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(1)


def serve(conn: Any) -> None:
    """The worker's main loop: answer tasks until the parent says stop or goes away."""
    guard = _Interruptible()
    lock = threading.Lock()
    threading.Thread(
        target=_watch_parent, args=(os.getppid(),), daemon=True, name="ordino-watch"
    ).start()

    def send(payload: bytes) -> None:
        with lock:
            try:
                conn.send_bytes(payload)
            except OSError as exc:
                raise _ParentGone from exc

    with contextlib.suppress(_ParentGone):
        _serve(conn, guard, send)


def _serve(conn: Any, guard: _Interruptible, send: Callable[[bytes], None]) -> None:
    state: _State | None = None
    while True:
        try:
            message = pickle.loads(conn.recv_bytes())
        except (EOFError, OSError):  # the parent is gone
            break
        if message is None:
            break
        kind = message[0]
        if kind == "run":
            if state is not None:
                state.close()
            state = _State(pickle.loads(message[1]), send)
            guard.interrupted = False
            continue
        assert state is not None
        _, task_id, node_bytes, new_datasets, preloaded, parent_outputs, early = message
        for name, blob in new_datasets.items():
            dataset = state.datasets[name] = pickle.loads(blob)
            if state.catalog is not None:
                state.catalog[name] = dataset
        if guard.interrupted:  # queued before Ctrl-C: never started
            send(pickle.dumps(("cancelled", task_id, None)))
            continue
        reply = _run_task(state, guard, node_bytes, preloaded, parent_outputs, early)
        send(_pickled_reply(task_id, reply))
    if state is not None:
        state.close()


def _run_task(
    state: _State,
    guard: _Interruptible,
    node_bytes: bytes,
    preloaded: dict[str, Any],
    parent_outputs: frozenset[str],
    early: tuple[str, ...],
) -> tuple[str, Any]:
    try:
        node = pickle.loads(node_bytes)
    except Exception as exc:
        return "error", UnpicklableNodeError(
            f"A worker process could not unpickle the node: {type(exc).__name__}: "
            f"{exc}",
            hint="Define node functions at module level in an importable module, "
            "or use ThreadRunner, which does not pickle nodes.",
        )
    io = _WorkerIO(state, preloaded, parent_outputs)
    guard.active = True
    try:
        run_node(
            node,
            io,
            state.hooks,
            catalog=state.catalog,
            run_id=state.context.run_id,
            io_pool=state.io_pool,
            release_after_load=early,
        )
    except BaseException as exc:
        guard.active = False
        _note_traceback(exc)
        return "error", exc
    finally:
        guard.active = False
    return "done", io.captured


def _note_traceback(exc: BaseException) -> None:
    # The traceback does not survive pickling; its text does, as a note.
    import traceback

    add_note = getattr(exc, "add_note", None)
    if callable(add_note) and not isinstance(exc, KeyboardInterrupt):
        text = "".join(traceback.format_tb(exc.__traceback__))
        add_note(f"Traceback in worker process {os.getpid()}:\n{text.rstrip()}")


def _pickled_reply(task_id: int, reply: tuple[str, Any]) -> bytes:
    kind, value = reply
    try:
        return pickle.dumps((kind, task_id, value))
    except Exception as exc:
        if kind == "error":
            fallback: Any = RunnerError(
                f"{type(value).__name__}: {value} (the exception could not be "
                f"pickled back to the main process: {exc})"
            )
            return pickle.dumps(("error", task_id, fallback))
        names = ", ".join(repr(n) for n in value)
        error = RunnerError(
            f"The outputs {names} could not be sent back to the main process: "
            f"{type(exc).__name__}: {exc}",
            hint="Give these outputs a catalog entry that can be written from a "
            "worker process (a file dataset), or use ThreadRunner.",
        )
        return pickle.dumps(("error", task_id, error))


def worker_main(conn: Any) -> None:
    """Process entry point."""
    os.environ.setdefault("ORDINO_WORKER", "1")
    serve(conn)
