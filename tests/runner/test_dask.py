"""DaskRunner on a LocalCluster: same results, failures named."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from runner_testlib import TextFile, boom, chain, inc

from ordino.errors import NodeRunError
from ordino.io import DataCatalog
from ordino.pipeline import Pipeline, node

pytest.importorskip("distributed")

from ordino.runner import DaskRunner, SequentialRunner


@pytest.fixture(scope="module")
def dask_runner() -> Iterator[Any]:
    from distributed import LocalCluster

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        DaskRunner(client_args={"address": cluster}) as runner,
    ):
        yield runner


@pytest.mark.slow
def test_dask_runner_gives_the_same_outputs(dask_runner: Any, tmp_path: Path) -> None:
    pipe = chain(6) + Pipeline([node(str, "d6", "text", name="to_text")])
    catalog = DataCatalog(
        {"text": TextFile(str(tmp_path / "t.txt"))}, raw_data={"d0": 0}
    )
    expected = SequentialRunner().run(pipe, DataCatalog(raw_data={"d0": 0}))
    outputs = dask_runner.run(pipe, catalog)
    assert sorted(outputs) == sorted(expected) == ["text"]
    assert (tmp_path / "t.txt").read_text() == "6"


@pytest.mark.slow
def test_dask_runner_returns_memory_free_outputs(dask_runner: Any) -> None:
    pipe = Pipeline(
        [node(inc, "a", "b", name="one"), node(inc, "b", "c", name="two")]
        + [node(inc, "a", f"x{i}", name=f"side{i}") for i in range(3)]
    )
    outputs = dask_runner.run(pipe, DataCatalog(raw_data={"a": 1}))
    assert {name: ds.load() for name, ds in outputs.items()} == {
        "c": 3,
        "x0": 2,
        "x1": 2,
        "x2": 2,
    }


@pytest.mark.slow
def test_dask_runner_names_the_failing_node(dask_runner: Any) -> None:
    pipe = Pipeline([node(inc, "a", "b", name="one"), node(boom, "b", "c", name="bad")])
    with pytest.raises(NodeRunError, match="Node 'bad' failed: ValueError") as info:
        dask_runner.run(pipe, DataCatalog(raw_data={"a": 1}))
    assert isinstance(info.value.__cause__, ValueError)


@pytest.mark.slow
def test_dask_runner_runs_picklable_hooks_on_the_workers(dask_runner: Any) -> None:
    from runner_testlib import AddTenToInputs

    from ordino.framework.hooks import _create_hook_manager

    manager = _create_hook_manager()
    manager.register(AddTenToInputs())
    pipe = Pipeline([node(inc, "a", "b", name="one")])
    outputs = dask_runner.run(
        pipe, DataCatalog(raw_data={"a": 1}), hook_manager=manager
    )
    assert outputs["b"].load() == 12
