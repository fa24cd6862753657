"""Node functions, datasets and hooks for the runner tests (importable by workers)."""

from __future__ import annotations

import os
import signal
import threading
import time
from functools import partial
from typing import Any

from ordino.framework.hooks import hook_impl
from ordino.io import AbstractDataset
from ordino.io.files import atomic_open
from ordino.pipeline import Node, Pipeline, node


def inc(x: int) -> int:
    return x + 1


def add(x: int, y: int) -> int:
    return x + y


def double(x: int) -> int:
    return x * 2


def boom(x: Any) -> Any:
    raise ValueError(f"cannot handle {x!r}")


def kill_self(x: Any) -> Any:
    os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(10)


def sleep_ms(ms: int, _x: Any = None) -> int:
    time.sleep(ms / 1000)
    return ms


def pid_of(_x: Any = None) -> int:
    return os.getpid()


def spin_ms(ms: int) -> int:
    """Burn CPU for ``ms`` milliseconds (pure Python, holds the GIL)."""
    end = time.perf_counter() + ms / 1000
    n = 0
    while time.perf_counter() < end:
        n += 1
    return ms


def tagged(tag: str, *values: Any) -> str:
    return f"{tag}({','.join(map(str, values))})"


def tagged_pair(tag: str, *values: Any) -> list[str]:
    text = tagged(tag, *values)
    return [text + ".0", text + ".1"]


def chain(length: int, *, func: Any = inc, prefix: str = "d") -> Pipeline:
    """d0 -> n1 -> d1 -> n2 -> ... -> d<length>."""
    return Pipeline(
        [
            node(func, f"{prefix}{i}", f"{prefix}{i + 1}", name=f"n{i + 1}")
            for i in range(length)
        ]
    )


class Box(AbstractDataset[Any, Any]):
    """A persisted-looking dataset kept in memory (not ephemeral), with counters."""

    def __init__(self, data: Any = None, *, exists: bool | None = None) -> None:
        self.data = data
        self._has = data is not None if exists is None else exists
        self.saves = 0
        self.releases = 0

    def load(self) -> Any:
        return self.data

    def save(self, data: Any) -> None:
        self.data = data
        self._has = True
        self.saves += 1

    def _exists(self) -> bool:
        return self._has

    def _release(self) -> None:
        self.releases += 1

    def _describe(self) -> dict[str, Any]:
        return {}


class LockedBox(Box):
    """A dataset that cannot be pickled: ParallelRunner must use it from the parent."""

    def __init__(self, data: Any = None) -> None:
        super().__init__(data)
        self.lock = threading.Lock()
        self.loader_pids: list[int] = []

    def load(self) -> Any:
        self.loader_pids.append(os.getpid())
        return self.data


class TextFile(AbstractDataset[str, str]):
    """A text file written atomically, optionally slowly (to be interrupted)."""

    def __init__(
        self, filepath: str, chunk_delay: float = 0.0, marker: str | None = None
    ) -> None:
        self.filepath = filepath
        self.chunk_delay = chunk_delay
        self.marker = marker

    def load(self) -> str:
        with open(self.filepath, encoding="utf-8") as f:
            return f.read()

    def save(self, data: str) -> None:
        if self.marker:  # tells a test that the save started, and in which process
            with open(self.marker, "w", encoding="utf-8") as f:
                f.write(str(os.getpid()))
        with atomic_open(None, self.filepath, "w", encoding="utf-8") as f:
            for char in data:
                f.write(char)
                f.flush()
                time.sleep(self.chunk_delay)

    def _exists(self) -> bool:
        return os.path.exists(self.filepath)

    def _describe(self) -> dict[str, Any]:
        return {"filepath": self.filepath}


def summarise(value: Any) -> Any:
    if isinstance(value, dict):
        return dict(sorted(value.items()))
    return value


class RecordingHooks:
    """Records every node and dataset hook call with its arguments."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    @hook_impl
    def before_dataset_loaded(self, dataset_name: str, node: Node) -> None:
        self.calls.append(("before_dataset_loaded", node.name, dataset_name))

    @hook_impl
    def after_dataset_loaded(self, dataset_name: str, data: Any, node: Node) -> None:
        self.calls.append(("after_dataset_loaded", node.name, dataset_name, data))

    @hook_impl
    def before_node_run(
        self,
        node: Node,
        catalog: Any,
        inputs: dict[str, Any],
        is_async: bool,
        run_id: str,
    ) -> None:
        self.calls.append(
            ("before_node_run", node.name, summarise(inputs), is_async, run_id)
        )

    @hook_impl
    def after_node_run(
        self,
        node: Node,
        catalog: Any,
        inputs: dict[str, Any],
        outputs: dict[str, Any],
        is_async: bool,
        run_id: str,
    ) -> None:
        self.calls.append(
            ("after_node_run", node.name, summarise(inputs), summarise(outputs))
        )

    @hook_impl
    def on_node_error(
        self, error: Exception, node: Node, inputs: dict[str, Any]
    ) -> None:
        self.calls.append(("on_node_error", node.name, repr(error), summarise(inputs)))

    @hook_impl
    def before_dataset_saved(self, dataset_name: str, data: Any, node: Node) -> None:
        self.calls.append(("before_dataset_saved", node.name, dataset_name, data))

    @hook_impl
    def after_dataset_saved(self, dataset_name: str, data: Any, node: Node) -> None:
        self.calls.append(("after_dataset_saved", node.name, dataset_name, data))

    def per_node(self) -> dict[str, list[tuple[Any, ...]]]:
        grouped: dict[str, list[tuple[Any, ...]]] = {}
        for call in self.calls:
            grouped.setdefault(call[1], []).append(call)
        return grouped


class ParentRecordingHooks(RecordingHooks):
    """The same, kept in the main process by ParallelRunner."""

    run_hooks_in_parent = True


class AddTenToInputs:
    """before_node_run returning a dict replaces inputs (picklable: runs in workers)."""

    @hook_impl
    def before_node_run(self, node: Node, inputs: dict[str, Any]) -> dict[str, Any]:
        return {name: value + 10 for name, value in inputs.items()}


class PidHooks:
    """Writes the pid a hook ran in, so a test can tell worker from parent."""

    def __init__(self, directory: str) -> None:
        self.directory = directory

    @hook_impl
    def after_node_run(self, node: Node) -> None:
        path = os.path.join(self.directory, f"{node.name}.pid")
        with open(path, "w", encoding="utf-8") as f:
            f.write(str(os.getpid()))


def tagged_node(name: str, inputs: list[str], outputs: list[str]) -> Node:
    func = partial(tagged_pair if len(outputs) == 2 else tagged, name)
    out: Any = outputs if len(outputs) == 2 else outputs[0]
    return node(func, inputs, out, name=name)


class KeepOutputs:
    """Keeps every ``outputs`` dict after_node_run gets, as a hook may (a tracker
    that logs them after the run, say).

    In a ParallelRunner worker the kept dicts are not visible to the test, so each
    before_node_run also writes what the dicts kept so far hold (by then the
    earlier nodes' outputs have been saved) to ``<directory>/<pid>.kept``.
    """

    def __init__(self, directory: str | None = None) -> None:
        self.directory = directory
        self.kept: dict[str, dict[str, Any]] = {}

    @hook_impl
    def after_node_run(self, node: Node, outputs: dict[str, Any]) -> None:
        self.kept[node.name] = outputs

    @hook_impl
    def before_node_run(self, node: Node) -> None:
        if self.directory is None:
            return
        path = os.path.join(self.directory, f"{os.getpid()}.kept")
        with open(path, "w", encoding="utf-8") as f:
            f.write(repr(sorted((k, sorted(v.items())) for k, v in self.kept.items())))


class ParentKeepOutputs(KeepOutputs):
    """The same, kept in the main process by ParallelRunner."""

    run_hooks_in_parent = True
