"""Running one node: generators, odd catalogs, misbehaving hooks, worker tracebacks."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pytest
from runner_testlib import Box, boom, inc

from ordino.errors import NodeRunError
from ordino.framework.hooks import _create_hook_manager, hook_impl
from ordino.io import DataCatalog
from ordino.pipeline import Pipeline, node
from ordino.runner import ParallelRunner, SequentialRunner, ThreadRunner


class ChunkBox(Box):
    """Records every save: a generator node saves chunk by chunk."""

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[Any] = []

    def save(self, data: Any) -> None:
        self.chunks.append(data)
        super().save(data)


def count_up(n: int) -> Iterator[int]:
    yield from range(n)


@pytest.mark.parametrize("runner", [SequentialRunner(), ThreadRunner(max_workers=2)])
def test_a_generator_node_is_saved_chunk_by_chunk(runner: Any) -> None:
    target = ChunkBox()
    pipe = Pipeline([node(count_up, "n", "numbers", name="count_up")])
    runner.run(pipe, DataCatalog({"numbers": target}, raw_data={"n": 3}))
    assert target.chunks == [0, 1, 2]


def test_is_async_loads_and_saves_several_datasets() -> None:
    def split(x: int, y: int) -> tuple[int, int]:
        return x + y, x - y

    pipe = Pipeline([node(split, ["x", "y"], ["total", "difference"], name="split")])
    outputs = SequentialRunner(is_async=True).run(
        pipe, DataCatalog(raw_data={"x": 5, "y": 3})
    )
    assert (outputs["total"].load(), outputs["difference"].load()) == (8, 2)


class PlainCatalog:
    """A catalog in the shape of Kedro's CatalogProtocol: load() has no release."""

    def __init__(self, **data: Any) -> None:
        self.data = dict(data)

    def __contains__(self, name: str) -> bool:
        return name in self.data

    def get(self, name: str, fallback_to_runtime_pattern: bool = False) -> Any:
        if name not in self.data and fallback_to_runtime_pattern:
            self.data[name] = None
        return Box(self.data.get(name))

    def keys(self) -> list[str]:
        return list(self.data)

    def load(self, name: str) -> Any:
        return self.data[name]

    def save(self, name: str, data: Any) -> None:
        self.data[name] = data

    def release(self, name: str) -> None:
        pass

    def exists(self, name: str) -> bool:
        return self.data.get(name) is not None


def test_a_catalog_whose_load_takes_no_release_argument_works() -> None:
    catalog = PlainCatalog(a=1)
    pipe = Pipeline([node(inc, "a", "b", name="one"), node(inc, "b", "c", name="two")])
    SequentialRunner().run(pipe, catalog)
    assert catalog.data["c"] == 3


def test_before_node_run_must_return_a_dict() -> None:
    class Bad:
        @hook_impl
        def before_node_run(self) -> Any:
            return [1]

    manager = _create_hook_manager()
    manager.register(Bad())
    pipe = Pipeline([node(inc, "a", "b", name="one")])
    with pytest.raises(
        NodeRunError, match=r"before_node_run hook returned 'list' for node 'one'"
    ):
        SequentialRunner().run(
            pipe, DataCatalog(raw_data={"a": 1}), hook_manager=manager
        )


def test_before_node_run_may_only_replace_inputs() -> None:
    class Bad:
        @hook_impl
        def before_node_run(self) -> Any:
            return {"b": 1}

    manager = _create_hook_manager()
    manager.register(Bad())
    pipe = Pipeline([node(inc, "a", "b", name="one")])
    with pytest.raises(NodeRunError, match=r"(?s)value for 'b', which is not an input"):
        SequentialRunner().run(
            pipe, DataCatalog(raw_data={"a": 1}), hook_manager=manager
        )


@pytest.mark.skipif(sys.version_info < (3, 11), reason="exception notes: 3.11+")
def test_a_worker_failure_keeps_its_traceback(parallel_runner: ParallelRunner) -> None:
    pipe = Pipeline([node(boom, "a", "b", name="bad")])
    with pytest.raises(NodeRunError) as info:
        parallel_runner.run(pipe, DataCatalog(raw_data={"a": 1}))
    notes = getattr(info.value.__cause__, "__notes__", [])
    assert any("Traceback in worker process" in n and "in boom" in n for n in notes)
