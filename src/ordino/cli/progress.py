"""Progress of ``ordino run``: a hooks plugin registered on the session before the run.

On a terminal it drives a live rich display (nodes done out of total, the node or
nodes running now, elapsed time); when output is not a terminal, or ``NO_COLOR`` is
set, it prints one plain line per finished node instead. Either way it ends with a
summary: how many nodes ran, how long it took and which outputs were written where.
rich is imported only for the live display.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

import click

try:
    from ordino.framework.hooks import hook_impl
except ImportError:  # pragma: no cover - the same marker, built here
    import pluggy

    hook_impl = pluggy.HookimplMarker("ordino")


def use_live_display() -> bool:
    """A live display only on a real terminal that accepts colours."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stderr.isatty()


class RunProgress:
    """Counts nodes as they run and remembers where outputs were saved.

    Hooks may be called from several threads (ThreadRunner), so state changes hold a
    lock. The plugin never raises: a display problem must not fail a run.
    """

    def __init__(self, project_path: Path, *, live: bool | None = None) -> None:
        self.project_path = project_path
        self.live_enabled = use_live_display() if live is None else live
        self.total = 0
        self.done = 0
        self.running: dict[str, float] = {}
        self.saved: dict[str, str] = {}
        self.failed: str | None = None
        self.started = time.perf_counter()
        self.finished: float | None = None
        self._catalog: Any = None
        self._lock = threading.Lock()
        self._live: Any = None
        self._bar: Any = None
        self._task: Any = None
        self._restore: list[tuple[Any, Any]] = []

    # -- hooks -----------------------------------------------------------------

    @hook_impl
    def before_pipeline_run(self, pipeline: Any, catalog: Any) -> None:
        self.total = len(pipeline.nodes)
        self._catalog = catalog
        self.started = time.perf_counter()
        if self.live_enabled:
            self._start_live()

    @hook_impl
    def before_node_run(self, node: Any) -> None:
        with self._lock:
            self.running[node.name] = time.perf_counter()
        self._refresh()

    @hook_impl
    def after_node_run(self, node: Any) -> None:
        with self._lock:
            began = self.running.pop(node.name, time.perf_counter())
            self.done += 1
            done, total = self.done, self.total
        if not self.live_enabled:
            seconds = time.perf_counter() - began
            click.echo(f"[{done}/{total}] done {node.name} ({seconds:.2f} s)", err=True)
        self._refresh()

    @hook_impl
    def on_node_error(self, node: Any) -> None:
        with self._lock:
            self.running.pop(node.name, None)
            self.failed = node.name
        self._refresh()

    @hook_impl
    def after_dataset_saved(self, dataset_name: str) -> None:
        where = self._location(dataset_name)
        if where:
            with self._lock:
                self.saved[dataset_name] = where

    @hook_impl
    def after_pipeline_run(self) -> None:
        self._stop()

    @hook_impl
    def on_pipeline_error(self) -> None:
        self._stop()

    # -- display ---------------------------------------------------------------

    def _start_live(self) -> None:
        try:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            self._bar = Progress(
                SpinnerColumn(),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("{task.description}"),
                console=Console(stderr=True),
                transient=True,
            )
            self._task = self._bar.add_task("starting", total=self.total or None)
            streams = (sys.stdout, sys.stderr)
            self._bar.start()  # from here sys.stdout/stderr are rich's proxies
            self._redirect_log_handlers(streams)
        except Exception:
            self.live_enabled = False
            self._bar = None

    def _redirect_log_handlers(self, streams: tuple[Any, ...]) -> None:
        """Send log handlers that write to the terminal through the live display.

        A handler holds the stream it was configured with, so its lines would tear
        through the display; rich prints what goes through its proxies above it.
        """
        import logging

        loggers = [logging.getLogger()] + [
            logger
            for logger in logging.Logger.manager.loggerDict.values()
            if isinstance(logger, logging.Logger)
        ]
        for logger in loggers:
            for handler in logger.handlers:
                if isinstance(handler, logging.StreamHandler) and any(
                    handler.stream is stream for stream in streams
                ):
                    old = handler.stream
                    proxy = sys.stdout if old is streams[0] else sys.stderr
                    handler.setStream(proxy)
                    self._restore.append((handler, old))

    def _refresh(self) -> None:
        if self._bar is None:
            return
        with self._lock:
            names = list(self.running)
            done = self.done
        label = ", ".join(names[:3]) + (
            f" (+{len(names) - 3})" if len(names) > 3 else ""
        )
        try:
            self._bar.update(self._task, completed=done, description=label or "")
        except Exception:
            self._bar = None

    def _stop(self) -> None:
        self.finished = time.perf_counter()
        for handler, stream in self._restore:
            handler.setStream(stream)
        self._restore.clear()
        if self._bar is not None:
            try:
                self._bar.stop()
            finally:
                self._bar = None

    def _location(self, dataset_name: str) -> str | None:
        try:
            dataset = self._catalog[dataset_name] if self._catalog is not None else None
            described = dataset.describe() if dataset is not None else {}
        except Exception:
            return None
        if not isinstance(described, dict):
            return None
        path = described.get("filepath") or described.get("path")
        if not path:
            return None
        text = str(path)
        with contextlib.suppress(ValueError, OSError):
            text = str(Path(text).resolve().relative_to(self.project_path.resolve()))
        version = described.get("version")
        save = getattr(version, "save", None) if version is not None else None
        return f"{text} (version {save})" if save else text

    # -- summary ---------------------------------------------------------------

    def summary(self) -> str:
        """What ran, how long it took and where the outputs are, as plain text."""
        elapsed = (self.finished or time.perf_counter()) - self.started
        noun = "node" if self.total == 1 else "nodes"
        lines = [f"Ran {self.done} of {self.total} {noun} in {elapsed:.2f} s."]
        if self.saved:
            lines.append("Outputs written:")
            width = max(len(name) for name in self.saved)
            for name, where in sorted(self.saved.items()):
                lines.append(f"  {name.ljust(width)}  {where}")
        else:
            lines.append("No output was written to a file (all in memory).")
        return "\n".join(lines)
