"""Slicing a pipeline: by node, tag, dataset and namespace, and filter()."""

from __future__ import annotations

import pytest

from ordino.errors import EmptyPipelineError, UnknownNameError
from ordino.pipeline import Node, Pipeline, node, pipeline


def f(*args: object) -> object:
    return args


def n(inputs: object, outputs: object, name: str, **kwargs: object) -> Node:
    return node(f, inputs, outputs, name=name, **kwargs)  # type: ignore[arg-type]


def names(pipe: Pipeline) -> list[str]:
    return sorted(x.name for x in pipe.nodes)


@pytest.fixture
def pipe() -> Pipeline:
    """raw -> clean -> (features, report); features -> model; 'side' on its own."""
    return Pipeline(
        [
            n("raw", "cleaned", "clean", tags=["prep"]),
            n("cleaned", "features@pandas", "featurize", tags=["prep", "ml"]),
            n("features@spark", "model", "train", tags=["ml"]),
            n(["cleaned", "params:title"], "report", "report"),
            n("side_in", "side_out", "side"),
        ]
    )


def test_only_nodes(pipe: Pipeline) -> None:
    assert names(pipe.only_nodes("train", "clean")) == ["clean", "train"]


def test_an_unknown_node_name_suggests_the_closest(pipe: Pipeline) -> None:
    with pytest.raises(UnknownNameError, match="no node 'trian'") as caught:
        pipe.only_nodes("trian")
    assert caught.value.kind == "node"
    assert caught.value.names == ("trian",)
    assert caught.value.suggestions[0] == "train"
    assert "Did you mean 'train'" in str(caught.value)


def test_an_unknown_node_suggests_its_namespaced_name(pipe: Pipeline) -> None:
    wrapped = pipeline(pipe, namespace="shop")
    with pytest.raises(UnknownNameError, match=r"Did you mean 'shop\.train'"):
        wrapped.only_nodes("train")


def test_several_unknown_names_are_listed(pipe: Pipeline) -> None:
    with pytest.raises(UnknownNameError, match="no nodes 'x', 'y'"):
        pipe.from_nodes("x", "clean", "y")


def test_only_nodes_with_tags_takes_any_tag(pipe: Pipeline) -> None:
    assert names(pipe.only_nodes_with_tags("prep")) == ["clean", "featurize"]
    assert names(pipe.only_nodes_with_tags("prep", "ml")) == [
        "clean",
        "featurize",
        "train",
    ]
    assert names(pipe.only_nodes_with_tags()) == []
    assert names(pipe.only_nodes_with_tags("unknown")) == []


def test_from_nodes_adds_every_descendant(pipe: Pipeline) -> None:
    assert names(pipe.from_nodes("featurize")) == ["featurize", "train"]
    assert names(pipe.from_nodes("clean")) == ["clean", "featurize", "report", "train"]


def test_to_nodes_adds_every_ancestor(pipe: Pipeline) -> None:
    assert names(pipe.to_nodes("train")) == ["clean", "featurize", "train"]
    assert names(pipe.to_nodes("side", "report")) == ["clean", "report", "side"]


def test_from_inputs_follows_datasets_downstream(pipe: Pipeline) -> None:
    assert names(pipe.from_inputs("cleaned")) == ["featurize", "report", "train"]
    assert names(pipe.from_inputs("params:title")) == ["report"]


def test_a_plain_name_matches_every_transcoded_spelling(pipe: Pipeline) -> None:
    assert names(pipe.from_inputs("features")) == ["train"]
    assert names(pipe.from_inputs("features@spark")) == ["train"]
    assert names(pipe.to_outputs("features")) == ["clean", "featurize"]
    assert names(pipe.to_outputs("features@pandas")) == ["clean", "featurize"]
    assert names(pipe.only_nodes_with_outputs("features")) == ["featurize"]
    assert names(pipe.only_nodes_with_inputs("features")) == ["train"]


def test_a_transcoded_name_matches_only_that_spelling(pipe: Pipeline) -> None:
    # features@pandas is written by featurize but read by nobody under that name
    assert names(pipe.from_inputs("features@pandas")) == []
    assert names(pipe.to_outputs("features@spark")) == []


def test_to_outputs_follows_datasets_upstream(pipe: Pipeline) -> None:
    assert names(pipe.to_outputs("model", "report")) == [
        "clean",
        "featurize",
        "report",
        "train",
    ]
    assert names(pipe.to_outputs("raw")) == []  # a free input: nobody writes it


def test_only_nodes_with_inputs_and_outputs_are_direct(pipe: Pipeline) -> None:
    assert names(pipe.only_nodes_with_inputs("cleaned")) == ["featurize", "report"]
    assert names(pipe.only_nodes_with_outputs("cleaned", "model")) == ["clean", "train"]


def test_an_unknown_dataset_suggests_the_closest(pipe: Pipeline) -> None:
    with pytest.raises(UnknownNameError, match="no dataset 'modle'") as caught:
        pipe.to_outputs("modle")
    assert caught.value.kind == "dataset"
    assert caught.value.suggestions[0] == "model"
    with pytest.raises(UnknownNameError, match="no dataset 'features@polars'"):
        pipe.from_inputs("features@polars")
    with pytest.raises(UnknownNameError, match="no dataset 'nope'"):
        pipe.only_nodes_with_inputs("nope")


@pytest.fixture
def spaced() -> Pipeline:
    return Pipeline(
        [
            n("a", "b", "x", namespace="data"),
            n("b", "c", "y", namespace="data.clean"),
            n("c", "d", "z", namespace="database"),
            n("d", "e", "w"),
        ]
    )


def test_namespaces_match_whole_dotted_segments(spaced: Pipeline) -> None:
    assert names(spaced.only_nodes_with_namespaces(["data"])) == [
        "data.clean.y",
        "data.x",
    ]
    assert names(spaced.only_nodes_with_namespaces(["data.clean"])) == ["data.clean.y"]
    assert names(spaced.only_nodes_with_namespaces(["database", "data.clean"])) == [
        "data.clean.y",
        "database.z",
    ]


def test_an_unknown_namespace_is_an_error(spaced: Pipeline) -> None:
    with pytest.raises(UnknownNameError, match="no namespace 'dat'") as caught:
        spaced.only_nodes_with_namespaces(["data", "dat"])
    assert caught.value.kind == "namespace"
    assert "data" in caught.value.suggestions
    with pytest.raises(UnknownNameError, match="no namespace 'clean'"):
        spaced.only_nodes_with_namespaces(["clean"])


def test_filter_intersects_filters_applied_to_the_original() -> None:
    # Kedro's documented example: node1 and node3, not just node1.
    pipe = Pipeline([n("A", "B", "node1"), n("B", "C", "node2"), n("C", "D", "node3")])
    assert names(pipe.filter(node_names=["node1", "node3"], from_inputs=["A"])) == [
        "node1",
        "node3",
    ]
    chained = pipe.only_nodes("node1", "node3").from_inputs("A")
    assert names(chained) == ["node1"]


def test_filter_with_several_kinds_of_filters(pipe: Pipeline) -> None:
    assert names(pipe.filter(from_nodes=["clean"], to_nodes=["train"])) == [
        "clean",
        "featurize",
        "train",
    ]
    assert names(pipe.filter(tags=["ml"], to_outputs=["model"])) == [
        "featurize",
        "train",
    ]
    assert names(
        pipe.filter(from_inputs=["cleaned"], node_names=["report", "train"])
    ) == [
        "report",
        "train",
    ]


def test_filter_without_filters_is_the_whole_pipeline(pipe: Pipeline) -> None:
    assert pipe.filter() == pipe
    assert pipe.filter(tags=[], node_names=None) == pipe


def test_filter_with_namespaces(spaced: Pipeline) -> None:
    assert names(spaced.filter(node_namespaces=["data"], to_nodes=["data.x"])) == [
        "data.x"
    ]


def test_an_empty_filter_result_says_which_filters_were_applied(pipe: Pipeline) -> None:
    with pytest.raises(EmptyPipelineError) as caught:
        pipe.filter(tags=["ml"], node_names=["side"])
    message = str(caught.value)
    assert (
        "No node passes all the filters: tags=['ml'], node_names=['side']." in message
    )
    assert "intersected, not chained" in message
    assert isinstance(caught.value, ValueError)


def test_filter_reports_unknown_names(pipe: Pipeline) -> None:
    with pytest.raises(UnknownNameError, match="Did you mean 'clean'"):
        pipe.filter(from_nodes=["clena"])


def test_slices_keep_the_nodes_unchanged(pipe: Pipeline) -> None:
    part = pipe.from_nodes("featurize")
    by_name = {x.name: x for x in pipe.nodes}
    assert all(x is by_name[x.name] for x in part.nodes)
    assert part.inputs() == {"cleaned"}
    assert part.outputs() == {"model"}


def test_nested_namespaces_given_together_both_match(spaced: Pipeline) -> None:
    assert names(spaced.only_nodes_with_namespaces(["data", "data.clean"])) == [
        "data.clean.y",
        "data.x",
    ]


def test_filtering_an_empty_pipeline_says_it_is_empty() -> None:
    with pytest.raises(EmptyPipelineError, match="The pipeline has no nodes to filter"):
        Pipeline([]).filter()


def test_an_unknown_tag_that_empties_a_filter_is_named_with_suggestions(
    pipe: Pipeline,
) -> None:
    with pytest.raises(EmptyPipelineError) as caught:
        pipe.filter(tags=["pep"])
    error = caught.value
    message = str(error)
    assert "No node passes all the filters: tags=['pep']." in message
    assert "No node has the tag 'pep'." in message
    assert "Did you mean 'prep'?" in message
    assert error.unknown_tags == ("pep",)  # type: ignore[attr-defined]  # a fact
    assert error.suggestions == ("prep",)


def test_every_unknown_tag_is_named_and_known_ones_are_not(pipe: Pipeline) -> None:
    with pytest.raises(EmptyPipelineError) as caught:
        pipe.filter(tags=["ml", "mll", "zzz"], node_names=["side"])
    message = str(caught.value)
    assert "No node has the tags 'mll', 'zzz'." in message
    assert "Did you mean 'ml'?" in message
    assert caught.value.unknown_tags == ("mll", "zzz")  # type: ignore[attr-defined]


def test_a_known_tag_that_empties_a_filter_gets_no_suggestion(pipe: Pipeline) -> None:
    with pytest.raises(EmptyPipelineError) as caught:
        pipe.filter(tags=["ml"], node_names=["side"])
    assert "No node has" not in str(caught.value)
    assert caught.value.suggestions == ()
