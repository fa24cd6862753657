"""Pipeline.group_nodes_by(): Kedro 1.x's GroupedNodes for deployments."""

from __future__ import annotations

import pytest

from ordino.errors import PipelineError
from ordino.pipeline import GroupedNodes, Node, Pipeline, node, pipeline


def f(*args: object) -> object:
    return args


def n(inputs: object, outputs: object, name: str, **kwargs: object) -> Node:
    return node(f, inputs, outputs, name=name, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def project() -> Pipeline:
    processing = pipeline(
        [n("raw", "clean", "clean"), n("clean", "table", "join")],
        namespace="data_processing",
        inputs={"raw"},
        outputs={"table"},
    )
    science = pipeline(
        [n("table", "model", "train")],
        namespace="data_science",
        inputs={"table"},
        outputs={"model"},
    )
    return processing + science + Pipeline([n("model", "report", "report")])


def test_groups_by_top_level_namespace_with_dependencies(project: Pipeline) -> None:
    assert project.group_nodes_by("namespace") == [
        GroupedNodes(
            name="data_processing",
            type="namespace",
            nodes=["data_processing.clean", "data_processing.join"],
            dependencies=[],
        ),
        GroupedNodes(
            name="data_science",
            type="namespace",
            nodes=["data_science.train"],
            dependencies=["data_processing"],
        ),
        GroupedNodes(
            name="report", type="node", nodes=["report"], dependencies=["data_science"]
        ),
    ]
    assert project.group_nodes_by() == project.group_nodes_by("namespace")


def test_nested_namespaces_group_under_the_outermost() -> None:
    pipe = Pipeline(
        [n("a", "b", "x", namespace="outer.inner"), n("b", "c", "y", namespace="outer")]
    )
    [group] = pipe.group_nodes_by("namespace")
    assert group.name == "outer"
    assert group.nodes == ["outer.inner.x", "outer.y"]


def test_no_grouping_makes_one_group_per_node(project: Pipeline) -> None:
    groups = project.group_nodes_by(None)
    assert [g.name for g in groups] == [x.name for x in project.nodes]
    assert all(g.type == "node" and g.nodes == [g.name] for g in groups)
    assert groups[1].dependencies == ["data_processing.clean"]
    assert project.group_nodes_by("none") == groups


def test_an_unknown_strategy_is_an_error(project: Pipeline) -> None:
    with pytest.raises(
        PipelineError, match="Unknown group_by strategy 'namespaces'"
    ) as caught:
        project.group_nodes_by("namespaces")
    assert caught.value.suggestions == ("namespace",)
