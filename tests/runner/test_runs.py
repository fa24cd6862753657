"""What every runner does the same way: outputs, inputs, hooks, failures, resuming."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from runner_testlib import (
    AddTenToInputs,
    Box,
    KeepOutputs,
    ParentKeepOutputs,
    ParentRecordingHooks,
    RecordingHooks,
    TextFile,
    add,
    boom,
    chain,
    double,
    inc,
)

from ordino.errors import (
    MissingInputsError,
    NodeRunError,
    RunInterruptedError,
    RunnerError,
)
from ordino.framework.hooks import _create_hook_manager, hook_impl
from ordino.io import DataCatalog
from ordino.pipeline import Pipeline, node
from ordino.runner import AbstractRunner, ParallelRunner, SequentialRunner, ThreadRunner

RUNNERS = ["sequential", "thread", "thread-async", "parallel"]


@pytest.fixture(params=RUNNERS)
def runner(request: pytest.FixtureRequest, parallel_runner: ParallelRunner) -> Any:
    kind = request.param
    if kind == "parallel":
        return parallel_runner
    if kind == "thread-async":
        return ThreadRunner(max_workers=3, is_async=True)
    return SequentialRunner() if kind == "sequential" else ThreadRunner(max_workers=3)


def recorder_for(runner: AbstractRunner) -> RecordingHooks:
    # In ParallelRunner a picklable hook object runs in the workers; this one asks
    # to stay in the main process so the test can read what it recorded.
    return (
        ParentRecordingHooks()
        if isinstance(runner, ParallelRunner)
        else RecordingHooks()
    )


def test_returns_the_free_outputs_as_datasets(runner: AbstractRunner) -> None:
    pipe = Pipeline(
        [
            node(inc, "a", "b", name="inc"),
            node(double, "b", "c", name="double"),
            node(add, ["a", "b"], "d", name="add"),
        ]
    )
    outputs = runner.run(pipe, DataCatalog(raw_data={"a": 1}))
    assert sorted(outputs) == ["c", "d"]
    assert {name: ds.load() for name, ds in outputs.items()} == {"c": 4, "d": 3}


def test_intermediate_datasets_need_no_catalog_entry(runner: AbstractRunner) -> None:
    catalog = DataCatalog(raw_data={"d0": 0})
    outputs = runner.run(chain(5), catalog)
    assert outputs["d5"].load() == 5


def test_missing_inputs_are_reported_together_with_suggestions(
    runner: AbstractRunner,
) -> None:
    pipe = Pipeline([node(add, ["companies", "params:ratio"], "out", name="mix")])
    catalog = DataCatalog(raw_data={"companeis": 1, "params:ratios": 2})
    with pytest.raises(MissingInputsError) as info:
        runner.run(pipe, catalog)
    message = str(info.value)
    assert info.value.missing == ("companies", "params:ratio")
    assert "'companies' (did you mean 'companeis'?)" in message
    assert "'params:ratio' (did you mean 'params:ratios'?)" in message


def test_a_failing_node_is_named_with_its_exception_chained(
    runner: AbstractRunner,
) -> None:
    pipe = Pipeline(
        [node(inc, "a", "b", name="first"), node(boom, "b", "c", name="bad")]
    )
    with pytest.raises(
        NodeRunError, match=r"Node 'bad' failed: ValueError: cannot"
    ) as info:
        runner.run(pipe, DataCatalog(raw_data={"a": 1}))
    assert info.value.node == "bad"
    assert isinstance(info.value.__cause__, ValueError)


def test_resume_command_starts_from_the_nearest_persisted_inputs(
    runner: AbstractRunner, tmp_path: Path
) -> None:
    # a -> n1 -> b (file) -> n2 -> c (memory) -> n3 -> d: n3 fails; c is lost with
    # the process, b is on disk, so the run resumes from n2.
    pipe = Pipeline(
        [
            node(str.upper, "a", "b", name="n1"),
            node(str.lower, "b", "c", name="n2"),
            node(boom, "c", "d", name="n3"),
        ]
    )
    catalog = DataCatalog({"b": TextFile(str(tmp_path / "b.txt"))}, raw_data={"a": "x"})
    with pytest.raises(NodeRunError) as info:
        runner.run(pipe, catalog)
    assert info.value.resume_command == 'ordino run --from-nodes "n2"'
    assert 'ordino run --from-nodes "n2"' in str(info.value)
    assert (tmp_path / "b.txt").read_text() == "X"  # what was persisted is kept


def test_a_failure_in_the_first_node_says_to_run_again(runner: AbstractRunner) -> None:
    pipe = Pipeline(
        [node(boom, "a", "b", name="bad"), node(inc, "b", "c", name="next")]
    )
    with pytest.raises(NodeRunError, match="run the same command again"):
        runner.run(pipe, DataCatalog(raw_data={"a": 1}))


def test_node_and_dataset_hooks_in_order_with_their_arguments(
    runner: AbstractRunner,
) -> None:
    recorder = recorder_for(runner)
    manager = _create_hook_manager()
    manager.register(recorder)
    pipe = Pipeline(
        [node(inc, "a", "b", name="one"), node(double, "b", "c", name="two")]
    )
    runner.run(pipe, DataCatalog(raw_data={"a": 1}), hook_manager=manager, run_id="r1")
    is_async = bool(getattr(runner, "_is_async", False))
    assert recorder.per_node() == {
        "one": [
            ("before_dataset_loaded", "one", "a"),
            ("after_dataset_loaded", "one", "a", 1),
            ("before_node_run", "one", {"a": 1}, is_async, "r1"),
            ("after_node_run", "one", {"a": 1}, {"b": 2}),
            ("before_dataset_saved", "one", "b", 2),
            ("after_dataset_saved", "one", "b", 2),
        ],
        "two": [
            ("before_dataset_loaded", "two", "b"),
            ("after_dataset_loaded", "two", "b", 2),
            ("before_node_run", "two", {"b": 2}, is_async, "r1"),
            ("after_node_run", "two", {"b": 2}, {"c": 4}),
            ("before_dataset_saved", "two", "c", 4),
            ("after_dataset_saved", "two", "c", 4),
        ],
    }


def test_a_hook_may_keep_the_outputs_dict_it_was_given(
    runner: AbstractRunner,
) -> None:
    # Saving must not empty the dict after_node_run received (a tracker that logs
    # the outputs at the end of the run keeps them).
    keeper = (
        ParentKeepOutputs() if isinstance(runner, ParallelRunner) else KeepOutputs()
    )
    manager = _create_hook_manager()
    manager.register(keeper)
    pipe = Pipeline(
        [
            node(inc, "a", "b", name="one"),
            node(lambda b: [b, b * 10], "b", ["c", "d"], name="two"),
        ]
    )
    outputs = runner.run(pipe, DataCatalog(raw_data={"a": 1}), hook_manager=manager)
    assert keeper.kept == {"one": {"b": 2}, "two": {"c": 2, "d": 20}}
    assert (outputs["c"].load(), outputs["d"].load()) == (2, 20)


def test_on_node_error_receives_the_error_and_inputs(runner: AbstractRunner) -> None:
    recorder = recorder_for(runner)
    manager = _create_hook_manager()
    manager.register(recorder)
    pipe = Pipeline([node(boom, "a", "b", name="bad")])
    with pytest.raises(NodeRunError):
        runner.run(pipe, DataCatalog(raw_data={"a": 7}), hook_manager=manager)
    errors = [call for call in recorder.calls if call[0] == "on_node_error"]
    assert errors == [
        ("on_node_error", "bad", "ValueError('cannot handle 7')", {"a": 7})
    ]


def test_before_node_run_may_replace_inputs(runner: AbstractRunner) -> None:
    manager = _create_hook_manager()
    manager.register(AddTenToInputs())
    pipe = Pipeline([node(inc, "a", "b", name="one")])
    outputs = runner.run(pipe, DataCatalog(raw_data={"a": 1}), hook_manager=manager)
    assert outputs["b"].load() == 12


def test_a_manager_without_plugins_runs_like_none(runner: AbstractRunner) -> None:
    outputs = runner.run(
        chain(3), DataCatalog(raw_data={"d0": 0}), hook_manager=_create_hook_manager()
    )
    assert outputs["d3"].load() == 3


def test_only_missing_outputs_skips_nodes_whose_files_exist(
    runner: AbstractRunner, tmp_path: Path
) -> None:
    (tmp_path / "b.txt").write_text("old b")
    pipe = Pipeline(
        [
            node(str.upper, "a", "b", name="make_b"),
            node(str.title, "b", "c", name="make_c"),
        ]
    )
    catalog = DataCatalog(
        {
            "b": TextFile(str(tmp_path / "b.txt")),
            "c": TextFile(str(tmp_path / "c.txt")),
        },
        raw_data={"a": "new"},
    )
    runner.run(pipe, catalog, only_missing_outputs=True)
    assert (tmp_path / "b.txt").read_text() == "old b"  # not re-made
    assert (tmp_path / "c.txt").read_text() == "Old B"


def test_only_missing_outputs_reruns_producers_of_memory_inputs(
    runner: AbstractRunner, tmp_path: Path
) -> None:
    pipe = Pipeline(
        [
            node(str.upper, "a", "m", name="make_m"),  # m lives in memory
            node(str.title, "m", "c", name="make_c"),
        ]
    )
    catalog = DataCatalog(
        {"c": TextFile(str(tmp_path / "c.txt"))}, raw_data={"a": "x y"}
    )
    runner.run(pipe, catalog, only_missing_outputs=True)
    assert (tmp_path / "c.txt").read_text() == "X Y"
    # Now c exists: nothing runs and nothing is returned.
    assert runner.run(pipe, catalog, only_missing_outputs=True) == {}


def test_an_empty_pipeline_returns_nothing(runner: AbstractRunner) -> None:
    assert runner.run(Pipeline([]), DataCatalog()) == {}


def test_datasets_are_released_after_their_last_reader() -> None:
    shared, source = Box(), Box(1)
    pipe = Pipeline(
        [
            node(inc, "a", "b", name="make"),
            node(inc, "b", "c", name="read1"),
            node(double, "b", "d", name="read2"),
        ]
    )
    for runner in (SequentialRunner(), ThreadRunner(max_workers=2)):
        shared.releases = source.releases = 0
        catalog = DataCatalog({"a": source, "b": shared})
        outputs = runner.run(pipe, catalog)
        assert (outputs["c"].load(), outputs["d"].load()) == (3, 4)
        assert shared.releases == 1  # once, after both readers
        assert source.releases == 0  # the pipeline's own inputs are left alone


class _GlanceAtOutputs:
    """An after_node_run hook that looks at the outputs and keeps nothing."""

    @hook_impl
    def after_node_run(self, outputs: dict[str, Any]) -> None:
        assert outputs


@pytest.mark.parametrize("with_hook", [False, True], ids=["no-hook", "hook"])
def test_memory_values_are_not_copied_along_a_chain(with_hook: bool) -> None:
    # The hook gets its own outputs dict; one it does not keep costs no copy.
    np = pytest.importorskip("numpy")
    manager = _create_hook_manager()
    if with_hook:
        manager.register(_GlanceAtOutputs())
    seen: list[int] = []

    def record_address(x: Any) -> Any:
        seen.append(x.__array_interface__["data"][0])
        x += 1  # in place: the node owns what it was handed
        return x

    pipe = chain(5, func=record_address)
    catalog = DataCatalog(raw_data={"d0": np.zeros(1000)})
    outputs = SequentialRunner().run(pipe, catalog, hook_manager=manager)
    assert outputs["d5"].load()[0] == 5
    # d0 belongs to the caller (a pipeline input) and is copied on load; from then on
    # the same buffer is handed from node to node.
    assert len(set(seen[1:])) == 1


def test_thread_runner_starts_nothing_after_a_failure() -> None:
    ran: list[str] = []

    def record(name: str) -> Any:
        def func(x: Any) -> Any:
            ran.append(name)
            return x

        return func

    pipe = Pipeline(
        [node(boom, "a", "x", name="a_fails")]
        + [node(record(f"n{i}"), "a", f"y{i}", name=f"n{i}") for i in range(5)]
    )
    with pytest.raises(NodeRunError, match="a_fails"):
        ThreadRunner(max_workers=1).run(pipe, DataCatalog(raw_data={"a": 1}))
    assert ran == []


@pytest.mark.parametrize("runner_class", [ThreadRunner, ParallelRunner])
def test_max_workers_must_be_positive(runner_class: type) -> None:
    with pytest.raises(RunnerError, match=r"max_workers=0\): it must be at least 1"):
        runner_class(max_workers=0)


def test_a_chain_of_many_nodes_runs_in_linear_time() -> None:
    # 20,000 nodes: quadratic bookkeeping would take minutes here.
    outputs = SequentialRunner().run(chain(20_000), DataCatalog(raw_data={"d0": 0}))
    assert outputs["d20000"].load() == 20_000


def test_workers_never_see_the_parents_environment_marker() -> None:
    assert "ORDINO_WORKER" not in os.environ


def test_an_interrupt_after_every_node_finished_has_nothing_to_resume() -> None:
    # ThreadRunner cannot stop a running thread: Ctrl-C may land while the last
    # node finishes, and the error must not offer an empty resume command.
    from ordino.runner.plan import RunPlan
    from ordino.runner.scheduler import ScheduleResult

    plan = RunPlan(chain(2))
    result = ScheduleResult(done=[0, 1], interrupted=True)
    with pytest.raises(RunInterruptedError, match="all 2 nodes had already") as info:
        SequentialRunner()._raise_for(result, plan, DataCatalog())
    assert info.value.resume_command is None


def test_the_garbage_collector_is_left_as_the_run_found_it() -> None:
    # The run freezes its long-lived objects during the loop (RunHeap); the
    # collector must stay on for the nodes' garbage, and be handed back intact,
    # also after a failure and around a run inside a node.
    import gc

    seen: list[tuple[bool, bool]] = []

    def inside(x: int) -> int:
        seen.append((gc.isenabled(), gc.get_freeze_count() > 0))
        inner = SequentialRunner().run(chain(2), DataCatalog(raw_data={"d0": x}))
        return int(inner["d2"].load())

    pipe = Pipeline([node(inside, "a", "b", name="nested")])
    outputs = SequentialRunner().run(pipe, DataCatalog(raw_data={"a": 1}))
    assert outputs["b"].load() == 3
    assert seen == [(True, True)]  # nodes run with the collector on
    with pytest.raises(NodeRunError):
        SequentialRunner().run(chain(3, func=boom), DataCatalog(raw_data={"d0": 1}))
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_a_run_leaves_a_frozen_heap_frozen() -> None:
    import gc

    gc.freeze()  # an application preparing to fork, say
    try:
        frozen = gc.get_freeze_count()
        SequentialRunner().run(chain(3), DataCatalog(raw_data={"d0": 0}))
        # Neither unfrozen (0) nor frozen more (the run's objects added); frozen
        # objects may die meanwhile.
        assert 0 < gc.get_freeze_count() <= frozen
        assert gc.isenabled()
    finally:
        gc.unfreeze()
