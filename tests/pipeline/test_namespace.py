"""pipeline() and Pipeline(..., namespace=...): Kedro 1.x's remapping rules."""

from __future__ import annotations

import pytest

from ordino.errors import ModularPipelineError, OutputNotUniqueError
from ordino.pipeline import Node, Pipeline, node, pipeline


def f(*args: object) -> object:
    return args


def n(inputs: object, outputs: object, name: str, **kwargs: object) -> Node:
    return node(f, inputs, outputs, name=name, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def base() -> Pipeline:
    return Pipeline(
        [
            n(["raw", "params:rate"], "cleaned", "clean"),
            n(["cleaned", "parameters"], "features@pandas", "featurize"),
            n("features@spark", "model", "train", tags="ml"),
        ]
    )


def by_name(pipe: Pipeline) -> dict[str, Node]:
    return {x.name: x for x in pipe.nodes}


def test_a_namespace_prefixes_nodes_datasets_and_parameters(base: Pipeline) -> None:
    wrapped = pipeline(base, namespace="shop")
    nodes = by_name(wrapped)
    assert list(nodes) == ["shop.clean", "shop.featurize", "shop.train"]
    assert nodes["shop.clean"].inputs == ["shop.raw", "params:shop.rate"]
    assert nodes["shop.clean"].namespace == "shop"
    # the whole parameters dictionary is never renamed; transcoded names keep @fmt
    assert nodes["shop.featurize"].inputs == ["shop.cleaned", "parameters"]
    assert nodes["shop.featurize"].outputs == ["shop.features@pandas"]
    assert nodes["shop.train"].inputs == ["shop.features@spark"]
    assert wrapped.inputs() == {"shop.raw", "params:shop.rate", "parameters"}
    assert wrapped.outputs() == {"shop.model"}
    assert nodes["shop.train"].tags == {"ml"}


def test_the_operand_is_unchanged(base: Pipeline) -> None:
    pipeline(base, namespace="shop", inputs={"raw": "r"})
    assert [x.name for x in base.nodes] == ["clean", "featurize", "train"]


def test_mapped_and_listed_names_are_never_prefixed(base: Pipeline) -> None:
    wrapped = pipeline(
        base,
        namespace="shop",
        inputs={"raw": "shop_raw"},
        outputs={"model"},
        parameters={"rate": "shop_rate"},
    )
    assert wrapped.inputs() == {"shop_raw", "params:shop_rate", "parameters"}
    assert wrapped.outputs() == {"model"}


def test_mappings_accept_str_set_list_and_dict(base: Pipeline) -> None:
    assert pipeline(base, namespace="s", inputs="raw").inputs() >= {"raw"}
    assert pipeline(base, namespace="s", inputs=["raw"]).inputs() >= {"raw"}
    assert pipeline(base, namespace="s", outputs={"model": "final"}).outputs() == {
        "final"
    }
    assert (
        "params:rate"
        in pipeline(base, namespace="s", parameters="params:rate").inputs()
    )
    assert "params:rate" in pipeline(base, namespace="s", parameters={"rate"}).inputs()


def test_mapping_without_a_namespace_renames_only_the_mapped(base: Pipeline) -> None:
    renamed = pipeline(base, inputs={"raw": "source"}, parameters={"rate": "r2"})
    assert renamed.inputs() == {"source", "params:r2", "parameters"}
    assert [x.name for x in renamed.nodes] == ["clean", "featurize", "train"]


def test_a_mapped_base_name_carries_its_transcoding_format(base: Pipeline) -> None:
    exposed = pipeline(base, namespace="shop", outputs={"features": "feats"})
    nodes = by_name(exposed)
    assert nodes["shop.featurize"].outputs == ["feats@pandas"]
    assert nodes["shop.train"].inputs == ["feats@spark"]


def test_an_intermediate_output_can_be_exposed(base: Pipeline) -> None:
    exposed = pipeline(base, namespace="shop", outputs={"cleaned": "clean_table"})
    assert by_name(exposed)["shop.featurize"].inputs == ["clean_table", "parameters"]
    assert exposed.outputs() == {"shop.model"}


def test_nested_namespaces_stack(base: Pipeline) -> None:
    inner = pipeline(base, namespace="inner", inputs={"raw"})
    outer = pipeline(inner, namespace="outer")
    nodes = by_name(outer)
    assert list(nodes) == [
        "outer.inner.clean",
        "outer.inner.featurize",
        "outer.inner.train",
    ]
    assert nodes["outer.inner.clean"].namespace == "outer.inner"
    assert nodes["outer.inner.clean"].inputs == ["outer.raw", "params:outer.inner.rate"]
    assert outer.outputs() == {"outer.inner.model"}


def test_a_node_namespace_composes_with_the_pipeline_namespace() -> None:
    pipe = Pipeline([n("a", "b", "x", namespace="own")])
    wrapped = pipeline(pipe, namespace="outer")
    assert wrapped.nodes[0].name == "outer.own.x"
    assert wrapped.nodes[0].namespace == "outer.own"
    assert wrapped.nodes[0].inputs == ["outer.a"]


def test_prefix_datasets_with_namespace_false_renames_only_nodes(
    base: Pipeline,
) -> None:
    grouped = pipeline(base, namespace="grp", prefix_datasets_with_namespace=False)
    assert [x.name for x in grouped.nodes] == [
        "grp.clean",
        "grp.featurize",
        "grp.train",
    ]
    assert grouped.inputs() == base.inputs()
    assert grouped.outputs() == base.outputs()
    mapped = pipeline(
        base,
        namespace="grp",
        inputs={"raw": "other"},
        prefix_datasets_with_namespace=False,
    )
    assert mapped.inputs() == {"other", "params:rate", "parameters"}


def test_pipeline_class_takes_the_same_arguments(base: Pipeline) -> None:
    assert Pipeline(base, namespace="shop", inputs={"raw"}) == pipeline(
        base, namespace="shop", inputs={"raw"}
    )
    assert Pipeline([base], namespace="shop") == pipeline([base], namespace="shop")


def test_pipeline_tags_apply_to_the_renamed_nodes(base: Pipeline) -> None:
    tagged = pipeline(base, namespace="shop", tags=["daily"])
    assert all("daily" in x.tags for x in tagged.nodes)


def test_a_name_that_does_not_exist_is_named_with_a_suggestion(base: Pipeline) -> None:
    with pytest.raises(ModularPipelineError) as caught:
        pipeline(base, namespace="shop", inputs={"rwa": "shop_raw"})
    error = caught.value
    assert error.dataset == "rwa"
    assert "cannot map inputs 'rwa': no node of the pipeline uses it" in str(error)
    assert error.suggestions == ("raw",)
    with pytest.raises(ModularPipelineError, match="Did you mean one of 'params:rate'"):
        pipeline(base, parameters={"rat": "x"})
    with pytest.raises(ModularPipelineError) as several:
        pipeline(base, inputs={"rwa"}, outputs={"modle"})
    assert (
        "cannot map inputs 'rwa', outputs 'modle': no node of the pipeline uses them"
        in (str(several.value))
    )
    assert several.value.names == ("rwa", "modle")


def test_an_input_must_be_a_free_input(base: Pipeline) -> None:
    with pytest.raises(ModularPipelineError, match="'cleaned' is written by a node"):
        pipeline(base, namespace="shop", inputs={"cleaned"})


def test_parameters_cannot_be_mapped_as_inputs(base: Pipeline) -> None:
    with pytest.raises(
        ModularPipelineError, match="'params:rate' is a parameter"
    ) as caught:
        pipeline(base, inputs={"params:rate": "x"})
    assert "parameters={'rate': 'new_name'}" in str(caught.value)


def test_an_output_must_not_be_a_free_input(base: Pipeline) -> None:
    with pytest.raises(ModularPipelineError, match="'raw' is a free input"):
        pipeline(base, outputs={"raw": "x"})


def test_a_malformed_mapping_is_an_error(base: Pipeline) -> None:
    with pytest.raises(ModularPipelineError, match="must be a name, a set of names"):
        pipeline(base, inputs=3)  # type: ignore[arg-type]
    with pytest.raises(ModularPipelineError, match="is not a mapping of one dataset"):
        pipeline(base, inputs={"raw": 3})  # type: ignore[dict-item]


def test_a_mapping_that_merges_two_outputs_is_still_validated(base: Pipeline) -> None:
    with pytest.raises(OutputNotUniqueError, match="'same' is an output of two nodes"):
        pipeline(base, outputs={"cleaned": "same", "model": "same"})


def test_two_namespaced_copies_combine(base: Pipeline) -> None:
    both = pipeline(base, namespace="a", inputs={"raw"}) + pipeline(
        base, namespace="b", inputs={"raw"}
    )
    assert len(both.nodes) == 6
    assert both.inputs() == {"raw", "params:a.rate", "params:b.rate", "parameters"}
