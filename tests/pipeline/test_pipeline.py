"""Pipeline: construction, ordering, datasets, validation errors and the algebra."""

from __future__ import annotations

import json
import pickle

import pytest

from ordino.errors import (
    CircularDependencyError,
    ConfirmNotUniqueError,
    DuplicateNodeNameError,
    OutputNotUniqueError,
    PipelineError,
    TranscodingError,
    UnknownNameError,
)
from ordino.pipeline import Node, Pipeline, node


def f(*args: object) -> object:
    return args


def n(inputs: object, outputs: object, name: str, **kwargs: object) -> Node:
    return node(f, inputs, outputs, name=name, **kwargs)  # type: ignore[arg-type]


def names(pipe: Pipeline) -> list[str]:
    return [x.name for x in pipe.nodes]


@pytest.fixture
def diamond() -> Pipeline:
    """a -> (b, c) -> d, plus an independent node z."""
    return Pipeline(
        [
            n("d_in", "d_out", "d"),
            n("raw", ["b_in", "c_in"], "a"),
            n("c_in", "c_out", "c"),
            n("b_in", "b_out", "b"),
            n(["b_out", "c_out"], "d_in", "e"),
            n("other", "z_out", "z"),
        ]
    )


# -- construction ---------------------------------------------------------------------


def test_nodes_are_in_layers_with_ties_broken_by_name(diamond: Pipeline) -> None:
    # Kedro's order: layer by layer, sorted by name within a layer.
    assert names(diamond) == ["a", "z", "b", "c", "e", "d"]
    assert [[x.name for x in layer] for layer in diamond.grouped_nodes] == [
        ["a", "z"],
        ["b", "c"],
        ["e"],
        ["d"],
    ]


def test_order_does_not_depend_on_the_order_nodes_are_given(diamond: Pipeline) -> None:
    reversed_input = Pipeline(list(reversed(diamond.nodes)))
    assert names(reversed_input) == names(diamond)


def test_node_dependencies_map_each_node_to_its_direct_parents(
    diamond: Pipeline,
) -> None:
    deps = {
        k.name: sorted(v.name for v in vs)
        for k, vs in diamond.node_dependencies.items()
    }
    assert deps == {
        "a": [],
        "z": [],
        "b": ["a"],
        "c": ["a"],
        "e": ["b", "c"],
        "d": ["e"],
    }


def test_nested_pipelines_contribute_their_nodes() -> None:
    inner = Pipeline([n("a", "b", "first")])
    outer = Pipeline([inner, n("b", "c", "second"), Pipeline([n("c", "d", "third")])])
    assert names(outer) == ["first", "second", "third"]
    assert Pipeline(inner) == inner


def test_pipeline_tags_are_added_to_every_node() -> None:
    pipe = Pipeline(
        [n("a", "b", "x", tags="own"), Pipeline([n("b", "c", "y")])], tags=["t"]
    )
    assert {x.name: x.tags for x in pipe.nodes} == {"x": {"own", "t"}, "y": {"t"}}
    assert Pipeline([n("a", "b", "x")], tags="single").nodes[0].tags == {"single"}


def test_an_empty_pipeline_is_allowed() -> None:
    empty = Pipeline([])
    assert empty.nodes == []
    assert empty.inputs() == set()
    assert empty.grouped_nodes == []


def test_none_instead_of_nodes_is_an_error() -> None:
    with pytest.raises(PipelineError, match="got None instead of nodes"):
        Pipeline(None)  # type: ignore[arg-type]


def test_something_that_is_not_a_node_is_named() -> None:
    with pytest.raises(PipelineError, match=r"got str 'oops' at position 1"):
        Pipeline([n("a", "b", "x"), "oops"])  # type: ignore[list-item]


def test_nodes_returns_a_copy(diamond: Pipeline) -> None:
    diamond.nodes.clear()
    diamond.grouped_nodes[0].clear()
    assert len(diamond.nodes) == 6
    assert len(diamond.grouped_nodes[0]) == 2


def test_a_pipeline_survives_pickling(diamond: Pipeline) -> None:
    clone = pickle.loads(pickle.dumps(diamond))
    assert clone == diamond
    assert names(clone) == names(diamond)
    assert pickle.loads(pickle.dumps(Pipeline([]))).nodes == []


# -- datasets -------------------------------------------------------------------------


def test_free_inputs_and_outputs(diamond: Pipeline) -> None:
    assert diamond.inputs() == {"raw", "other"}
    assert diamond.outputs() == {"d_out", "z_out"}
    assert diamond.all_inputs() == {
        "raw",
        "b_in",
        "c_in",
        "b_out",
        "c_out",
        "d_in",
        "other",
    }
    assert diamond.all_outputs() == {
        "b_in",
        "c_in",
        "b_out",
        "c_out",
        "d_in",
        "d_out",
        "z_out",
    }
    assert diamond.datasets() == diamond.all_inputs() | diamond.all_outputs()


def test_transcoded_spellings_are_one_dataset() -> None:
    pipe = Pipeline(
        [
            n("raw", "cars@pandas", "load"),
            n("cars@spark", "model", "train"),
            n("cars@pandas", "report", "report"),
        ]
    )
    assert pipe.inputs() == {"raw"}
    assert pipe.outputs() == {"model", "report"}
    assert names(pipe) == ["load", "report", "train"]
    assert pipe.datasets() >= {"cars@pandas", "cars@spark"}


def test_parameters_are_free_inputs() -> None:
    pipe = Pipeline([n(["raw", "params:k", "parameters"], "out", "x")])
    assert pipe.inputs() == {"raw", "params:k", "parameters"}


# -- validation errors -----------------------------------------------------------------


def test_a_cycle_is_reported_as_an_ordered_path_with_its_datasets() -> None:
    nodes = [
        n("model_input", "companies_clean", "clean"),
        n("companies_clean", "model_input", "join"),
        n("raw", "unrelated", "other"),
    ]
    with pytest.raises(CircularDependencyError) as caught:
        Pipeline(nodes)
    error = caught.value
    assert error.cycle == ("clean", "join", "clean")
    assert str(error).startswith(
        "Pipeline has a cycle: clean -> 'companies_clean' -> join -> 'model_input' "
        "-> clean."
    )
    assert "Remove one of these edges" in str(error)
    assert isinstance(error, ValueError)


def test_a_cycle_through_transcoded_names_is_found() -> None:
    with pytest.raises(
        CircularDependencyError, match=r"a -> 'x@pandas' -> b -> 'y' -> a"
    ):
        Pipeline([n("y", "x@pandas", "a"), n("x@spark", "y", "b")])


def test_two_nodes_writing_one_dataset_are_named() -> None:
    with pytest.raises(OutputNotUniqueError) as caught:
        Pipeline([n("a", "out", "first"), n("b", "out", "second")])
    assert caught.value.dataset == "out"
    assert caught.value.nodes == ("first", "second")
    assert "'out' is an output of two nodes: 'first' and 'second'" in str(caught.value)


def test_transcoded_outputs_of_one_dataset_are_not_unique() -> None:
    with pytest.raises(OutputNotUniqueError, match="'out' is an output of two nodes"):
        Pipeline([n("a", "out@pandas", "first"), n("b", "out@spark", "second")])


def test_two_nodes_with_one_name_are_an_error_even_if_equal() -> None:
    same = n("a", "b", "twice")
    with pytest.raises(
        DuplicateNodeNameError, match="two nodes named 'twice'"
    ) as caught:
        Pipeline([same, same])
    assert caught.value.node == "twice"
    with pytest.raises(DuplicateNodeNameError, match="pipeline\\(\\.\\.\\., namespace"):
        Pipeline([n("a", "b", "twice"), n("c", "d", "twice")])


def test_a_dataset_both_plain_and_transcoded_is_an_error() -> None:
    with pytest.raises(TranscodingError) as caught:
        Pipeline([n("raw", "cars@pandas", "load"), n("cars", "model", "train")])
    message = str(caught.value)
    assert caught.value.dataset == "cars"
    assert "'cars' is used both plainly (node 'train')" in message
    assert "'cars@pandas' (node 'load')" in message


def test_two_nodes_confirming_one_dataset_are_an_error() -> None:
    with pytest.raises(ConfirmNotUniqueError, match="'done' is confirmed by two nodes"):
        Pipeline([n("a", "b", "x", confirms="done"), n("c", "d", "y", confirms="done")])


# -- presentation -------------------------------------------------------------------


def test_describe_matches_kedros_layout(diamond: Pipeline) -> None:
    assert diamond.describe() == (
        "#### Pipeline execution order ####\n"
        "Inputs: other, raw\n\n"
        "a\nz\nb\nc\ne\nd\n\n"
        "Outputs: d_out, z_out\n"
        "##################################"
    )
    assert "f([raw]) -> [b_in;c_in]" in diamond.describe(names_only=False)
    assert "Inputs: None" in Pipeline([]).describe()


def test_to_json_lists_nodes_in_execution_order(diamond: Pipeline) -> None:
    data = json.loads(Pipeline([n("a", ["b", "c"], "x", tags=["t2", "t1"])]).to_json())
    assert data["pipeline"] == [
        {"name": "x", "inputs": ["a"], "outputs": ["b", "c"], "tags": ["t1", "t2"]}
    ]
    assert "ordino_version" in data
    assert [e["name"] for e in json.loads(diamond.to_json())["pipeline"]] == names(
        diamond
    )


def test_repr_shows_at_most_ten_nodes() -> None:
    small = Pipeline([n("a", "b", "x")])
    assert repr(small) == "Pipeline([\nNode(f, 'a', 'b', 'x')\n])"
    big = Pipeline([n(f"d{i}", f"d{i + 1}", f"n{i:02}") for i in range(12)])
    assert repr(big).count("Node(") == 10
    assert repr(big).endswith("... (2 more)\n])")
    assert repr(Pipeline([])) == "Pipeline([])"


# -- the algebra --------------------------------------------------------------------


def test_addition_is_the_union_and_leaves_the_operands_alone() -> None:
    left = Pipeline([n("a", "b", "x")])
    right = Pipeline([n("b", "c", "y")])
    both = left + right
    assert names(both) == ["x", "y"]
    assert names(left) == ["x"]
    assert names(right) == ["y"]
    assert (left | right) == both


def test_the_same_node_on_both_sides_is_kept_once() -> None:
    shared = n("a", "b", "shared")
    both = Pipeline([shared, n("b", "c", "y")]) + Pipeline([shared])
    assert names(both) == ["shared", "y"]


def test_addition_checks_outputs_names_and_cycles_across_operands() -> None:
    left = Pipeline([n("a", "b", "x")])
    with pytest.raises(OutputNotUniqueError, match="'b' is an output of two nodes"):
        left + Pipeline([n("z", "b", "y")])
    with pytest.raises(DuplicateNodeNameError, match="'x'"):
        left + Pipeline([n("q", "r", "x")])
    with pytest.raises(CircularDependencyError, match=r"x -> 'b' -> y -> 'a' -> x"):
        left + Pipeline([n("b", "a", "y")])
    with pytest.raises(TranscodingError, match="'b' is used both plainly"):
        left + Pipeline([n("b@pandas", "c", "y")])
    assert names(left) == ["x"]


def test_sum_of_pipelines() -> None:
    parts = [Pipeline([n(f"d{i}", f"d{i + 1}", f"n{i}")]) for i in range(5)]
    total = sum(parts)
    assert isinstance(total, Pipeline)
    assert names(total) == [f"n{i}" for i in range(5)]
    assert sum([parts[0]]) is parts[0]


def test_subtraction_and_intersection_are_set_operations(diamond: Pipeline) -> None:
    part = diamond.only_nodes("a", "b", "z")
    assert names(diamond - part) == ["c", "e", "d"]
    assert names(diamond & part) == ["a", "z", "b"]
    assert names(diamond & Pipeline([n("q", "r", "a")])) == []


def test_operators_with_something_else_are_type_errors(diamond: Pipeline) -> None:
    for operation in (
        lambda: diamond + 1,
        lambda: diamond - "x",
        lambda: diamond & [],
        lambda: diamond | None,
    ):
        with pytest.raises(TypeError):
            operation()


def test_equality_is_by_nodes(diamond: Pipeline) -> None:
    assert Pipeline(diamond.nodes) == diamond
    assert hash(Pipeline(diamond.nodes)) == hash(diamond)
    assert diamond != diamond.only_nodes("a")
    assert diamond != "diamond"


def test_tag_returns_a_tagged_copy(diamond: Pipeline) -> None:
    tagged = diamond.tag(["daily"])
    assert all(x.tags == {"daily"} for x in tagged.nodes)
    assert all(not x.tags for x in diamond.nodes)
    assert names(tagged) == names(diamond)


def test_addition_does_not_leak_into_the_operands_indexes() -> None:
    # the union shares the larger operand's index and must copy what it changes
    big = Pipeline([n("x", "a", "p"), n(["x", "a"], "b", "q"), n("b", "c", "r")])
    big.from_inputs("x")  # build its indexes first
    small = Pipeline([n(["x", "c"], "d", "s")])
    both = big + small
    assert names(big.only_nodes_with_inputs("x")) == ["p", "q"]
    assert names(big.from_nodes("r")) == ["r"]
    assert big.outputs() == {"c"}
    assert sorted(names(both.only_nodes_with_inputs("x"))) == ["p", "q", "s"]
    assert names(both.from_nodes("r")) == ["r", "s"]
    assert both.outputs() == {"d"}
    with pytest.raises(UnknownNameError):
        big.from_inputs("d")


def test_a_union_reused_after_it_was_extended_is_unchanged() -> None:
    # ``sum()`` extends the registry of an intermediate union in place; the union
    # it came from must still see only its own nodes, and a failed addition must
    # leave it whole.
    chain = [Pipeline([n(f"d{i}", f"d{i + 1}", f"n{i}")]) for i in range(4)]
    first = chain[0] + chain[1]
    longer = first + chain[2]
    other = first + Pipeline([n("d2", "e", "side")])
    with pytest.raises(OutputNotUniqueError, match="'d1' is an output of two nodes"):
        first + Pipeline([n("q", "d1", "clash")])
    assert names(first) == ["n0", "n1"]
    assert first.inputs() == {"d0"}
    assert first.outputs() == {"d2"}
    assert names(first.from_nodes("n1")) == ["n1"]
    assert names(longer) == ["n0", "n1", "n2"]
    assert longer.outputs() == {"d3"}
    assert names(other) == ["n0", "n1", "side"]
    assert other.outputs() == {"e"}
    assert names(longer + chain[3]) == ["n0", "n1", "n2", "n3"]
    assert names(sum(chain)) == ["n0", "n1", "n2", "n3"]


def test_sum_of_many_pipelines_checks_every_part() -> None:
    parts = [Pipeline([n(f"d{i}", f"d{i + 1}", f"n{i}")]) for i in range(50)]
    parts.append(Pipeline([n("z", "d7", "late")]))
    with pytest.raises(OutputNotUniqueError, match="'d7' is an output of two nodes"):
        sum(parts)
    looped = [*parts[:50], Pipeline([n("d50", "d0", "back")])]
    with pytest.raises(CircularDependencyError):
        sum(looped)
