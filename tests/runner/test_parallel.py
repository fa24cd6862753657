"""ParallelRunner: real processes, what crosses to them, and how they fail."""

from __future__ import annotations

import ast
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from runner_testlib import (
    KeepOutputs,
    LockedBox,
    ParentRecordingHooks,
    PidHooks,
    TextFile,
    chain,
    inc,
    kill_self,
    pid_of,
)

from ordino.errors import RunnerError, UnpicklableNodeError, WorkerDiedError
from ordino.framework.hooks import _create_hook_manager
from ordino.io import DataCatalog, SharedMemoryDataCatalog
from ordino.pipeline import Pipeline, node
from ordino.runner import ParallelRunner


def test_nodes_run_in_other_processes(parallel_runner: ParallelRunner) -> None:
    pipe = Pipeline([node(pid_of, "a", f"pid{i}", name=f"n{i}") for i in range(4)])
    outputs = parallel_runner.run(pipe, DataCatalog(raw_data={"a": 0}))
    pids = {outputs[f"pid{i}"].load() for i in range(4)}
    assert os.getpid() not in pids
    assert 1 <= len(pids) <= 2  # the pool's two workers, reused


def test_memory_data_flows_between_workers_through_the_shared_catalog(
    parallel_runner: ParallelRunner,
) -> None:
    pipe = Pipeline([node(inc, "a", "b", name="one"), node(inc, "b", "c", name="two")])
    catalog = SharedMemoryDataCatalog(raw_data={"a": 1})
    outputs = parallel_runner.run(pipe, catalog)
    assert outputs["c"].load() == 3
    assert type(catalog.get("b")).__name__ == "SharedMemoryDataset"
    assert not catalog.get("b").exists()  # released by its last reader


def test_an_unpicklable_node_fails_before_anything_runs(
    parallel_runner: ParallelRunner,
) -> None:
    lock = threading.Lock()

    def holds_a_lock(x: Any) -> Any:
        with lock:
            return x

    pipe = Pipeline(
        [node(inc, "a", "b", name="fine"), node(holds_a_lock, "b", "c", name="locked")]
    )
    with pytest.raises(
        UnpicklableNodeError, match=r"(?s)cannot send 1 node.*'locked'.*ThreadRunner"
    ) as info:
        parallel_runner.run(pipe, DataCatalog(raw_data={"a": 1}))
    assert info.value.node == "locked"


def test_unpicklable_datasets_are_loaded_and_saved_by_the_parent(
    parallel_runner: ParallelRunner,
) -> None:
    source, target = LockedBox(1), LockedBox()
    pipe = Pipeline([node(inc, "a", "b", name="one")])
    parallel_runner.run(pipe, DataCatalog({"a": source, "b": target}))
    assert target.data == 2
    assert source.loader_pids == [os.getpid()]


def test_hooks_run_in_the_workers(
    parallel_runner: ParallelRunner, tmp_path: Path
) -> None:
    manager = _create_hook_manager()
    manager.register(PidHooks(str(tmp_path)))
    pipe = Pipeline([node(inc, "a", "b", name="one")])
    parallel_runner.run(pipe, DataCatalog(raw_data={"a": 1}), hook_manager=manager)
    pid = int((tmp_path / "one.pid").read_text())
    assert pid != os.getpid()


def test_hooks_in_workers_may_keep_the_outputs_dict(
    parallel_runner: ParallelRunner, tmp_path: Path
) -> None:
    # The hook runs in the workers; each before_node_run writes what the outputs
    # dicts it kept from earlier nodes hold, after those nodes saved them.
    manager = _create_hook_manager()
    manager.register(KeepOutputs(str(tmp_path)))
    parallel_runner.run(chain(6), DataCatalog(raw_data={"d0": 0}), hook_manager=manager)
    kept = [
        entry
        for path in tmp_path.glob("*.kept")
        for entry in ast.literal_eval(path.read_text())
    ]
    assert kept  # six nodes on two workers: some worker ran two
    for name, items in kept:
        i = int(name[1:])
        assert items == [(f"d{i}", i)]


def test_unpicklable_hooks_stay_in_the_parent_and_hear_every_call(
    parallel_runner: ParallelRunner,
) -> None:
    class Progress(ParentRecordingHooks):
        run_hooks_in_parent = False  # kept in the parent because of the lock

        def __init__(self) -> None:
            super().__init__()
            self.lock = threading.Lock()

    progress = Progress()
    manager = _create_hook_manager()
    manager.register(progress)
    pipe = Pipeline([node(inc, "a", "b", name="one"), node(inc, "b", "c", name="two")])
    parallel_runner.run(pipe, DataCatalog(raw_data={"a": 1}), hook_manager=manager)
    assert [call[:2] for call in progress.calls if "node" in call[0]] == [
        ("before_node_run", "one"),
        ("after_node_run", "one"),
        ("before_node_run", "two"),
        ("after_node_run", "two"),
    ]


def test_a_killed_worker_fails_the_run_naming_the_node(
    parallel_runner: ParallelRunner,
) -> None:
    pipe = Pipeline([node(kill_self, "a", "b", name="doomed")])
    started = time.monotonic()
    with pytest.raises(
        WorkerDiedError, match=r"(?s)running node 'doomed' died.*SIGKILL"
    ):
        parallel_runner.run(pipe, DataCatalog(raw_data={"a": 1}))
    assert time.monotonic() - started < 10
    # The pool replaces the dead worker: the runner still works.
    outputs = parallel_runner.run(
        Pipeline([node(inc, "a", "b", name="after")]), DataCatalog(raw_data={"a": 1})
    )
    assert outputs["b"].load() == 2


def test_a_bad_start_method_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORDINO_MP_CONTEXT", "spwan")
    pipe = Pipeline([node(inc, "a", "b", name="one")])
    with (
        ParallelRunner(max_workers=1) as runner,
        pytest.raises(RunnerError, match=r"(?s)ORDINO_MP_CONTEXT='spwan'.*'spawn'"),
    ):
        runner.run(pipe, DataCatalog(raw_data={"a": 1}))


def test_fork_start_method(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ORDINO_MP_CONTEXT", "fork")
    pipe = Pipeline([node(str.upper, "a", "b", name="one")])
    catalog = DataCatalog({"b": TextFile(str(tmp_path / "b.txt"))}, raw_data={"a": "x"})
    with ParallelRunner(max_workers=1) as runner:
        runner.run(pipe, catalog)
    assert (tmp_path / "b.txt").read_text() == "X"


def test_close_leaves_no_process(tmp_path: Path) -> None:
    runner = ParallelRunner(max_workers=2)
    pipe = Pipeline([node(pid_of, "a", f"p{i}", name=f"n{i}") for i in range(2)])
    outputs = runner.run(pipe, DataCatalog(raw_data={"a": 0}))
    pids = {outputs[f"p{i}"].load() for i in range(2)}
    runner.close()
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_a_dead_worker_cancels_the_node_queued_behind_it(tmp_path: Path) -> None:
    # One worker: 'doomed' runs, 'later' waits in its pipe. Only 'doomed' is
    # reported; 'later' never started, so the resume command includes it.
    pipe = Pipeline(
        [
            node(kill_self, "a", "b", name="doomed"),
            node(pid_of, "a", "c", name="later"),
        ]
    )
    with (
        ParallelRunner(max_workers=1) as runner,
        pytest.raises(WorkerDiedError, match="'doomed'") as info,
    ):
        runner.run(pipe, DataCatalog(raw_data={"a": 1}))
    assert info.value.node == "doomed"
    assert "later" not in str(info.value).split("Resume")[0]
