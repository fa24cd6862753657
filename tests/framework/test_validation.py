"""Parameter validation: typed ``params:`` inputs are converted or fail up front."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, Field

from ordino.errors import ParameterValidationError
from ordino.framework.validation import (
    check_parameters,
    convert_parameter,
    find_parameter_file,
    typed_parameters,
)
from ordino.pipeline import Pipeline, node
from ordino.testing import write_yaml


class SplitOptions(BaseModel):
    test_size: float = Field(gt=0, lt=1)
    random_state: int = 42


@dataclass
class Inner:
    depth: int


@dataclass
class TreeOptions:
    name: str
    inner: Inner
    rate: float = 0.1
    tags: list = field(default_factory=list)
    note: str | None = None


def split(data, options: SplitOptions):
    return options


def grow(options: TreeOptions):
    return options


def untyped(options):
    return options


def test_pydantic_conversion_and_problems():
    value, problems = convert_parameter(SplitOptions, {"test_size": 0.2})
    assert problems == []
    assert value == SplitOptions(test_size=0.2, random_state=42)
    value, problems = convert_parameter(
        SplitOptions, {"test_size": 1.5, "random_state": "x"}
    )
    assert value is None
    assert problems[0].startswith("test_size: Input should be less than 1 (got 1.5)")
    assert problems[1].startswith("random_state: Input should be a valid integer")


def test_dataclass_conversion_nested():
    value, problems = convert_parameter(
        TreeOptions, {"name": "t", "inner": {"depth": 3}, "rate": 1}
    )
    assert problems == []
    assert value == TreeOptions(name="t", inner=Inner(depth=3), rate=1)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ({"inner": {"depth": 1}}, "name: field required"),
        (
            {"name": "t", "inner": {"depth": "deep"}},
            "inner.depth: expected int, got str 'deep'",
        ),
        (
            {"name": "t", "inner": {"depth": True}},
            "inner.depth: expected int, got bool True",
        ),
        (
            {"name": "t", "inner": {"depth": 1}, "rat": 0.5},
            "rat: unknown field of TreeOptions; Did you mean 'rate'?",
        ),
        (
            {"name": "t", "inner": 5},
            "inner: expected a mapping of Inner's fields, got int 5",
        ),
        ({"name": 3, "inner": {"depth": 1}}, "name: expected str, got int 3"),
        (
            [1, 2],
            "(value): expected a mapping of TreeOptions's fields, got list [1, 2]",
        ),
    ],
)
def test_dataclass_problems(raw, problem):
    value, problems = convert_parameter(TreeOptions, raw)
    assert value is None
    assert problem in problems


def test_optional_field_accepts_none():
    value, problems = convert_parameter(
        TreeOptions, {"name": "t", "inner": {"depth": 1}, "note": None}
    )
    assert problems == []
    assert value.note is None


@settings(max_examples=60, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_pydantic_bounds_property(test_size):
    value, problems = convert_parameter(SplitOptions, {"test_size": test_size})
    if 0 < test_size < 1:
        assert problems == []
        assert value.test_size == test_size
    else:
        assert value is None
        assert problems


def test_typed_parameters_binds_list_and_dict_inputs():
    pipeline = Pipeline(
        [
            node(split, ["data", "params:split"], "model_input", name="split"),
            node(grow, {"options": "params:tree"}, "tree", name="grow"),
            node(untyped, "params:plain", "plain_out", name="plain"),
        ]
    )
    typed = typed_parameters(pipeline.nodes)
    assert set(typed) == {"params:split", "params:tree"}
    assert typed["params:split"].type is SplitOptions
    assert typed["params:split"].argument == "options"
    assert typed["params:tree"].node == "grow"


def test_conflicting_annotations_are_an_error():
    def other(options: TreeOptions):
        return options

    pipeline = Pipeline(
        [
            node(split, ["data", "params:opts"], "a", name="one"),
            node(other, "params:opts", "b", name="two"),
        ]
    )
    with pytest.raises(
        ParameterValidationError,
        match=r"'opts' is annotated as SplitOptions in node 'one' "
        r"and as TreeOptions in node 'two'",
    ):
        typed_parameters(pipeline.nodes)


def test_check_parameters_replaces_raw_values_with_instances():
    pipeline = Pipeline([node(split, ["data", "params:split"], "out", name="split")])
    catalog = {"params:split": {"test_size": 0.3}}
    converted = check_parameters(pipeline, catalog, {"split": {"test_size": 0.3}})
    assert catalog["params:split"] == SplitOptions(test_size=0.3)
    assert converted == {"params:split": SplitOptions(test_size=0.3)}


def test_invalid_parameter_names_key_file_and_node():
    pipeline = Pipeline([node(split, ["data", "params:split"], "out", name="split")])
    with pytest.raises(ParameterValidationError) as info:
        check_parameters(
            pipeline,
            {},
            {"split": {"test_size": 2}},
            describe_source=lambda key: "conf/base/parameters.yml",
        )
    message = str(info.value)
    assert message.startswith(
        "Parameter 'split' in conf/base/parameters.yml is not a valid SplitOptions "
        "(argument 'options' of node 'split'): test_size: Input should be less than 1"
    )
    assert "ordino run --params split.<field>=<value>" in message
    assert info.value.key == "split"
    assert info.value.path == "conf/base/parameters.yml"


def test_invalid_runtime_parameter_says_so():
    pipeline = Pipeline([node(split, ["data", "params:split"], "out", name="split")])
    with pytest.raises(
        ParameterValidationError, match=r"in the runtime parameters \(--params\)"
    ):
        check_parameters(
            pipeline,
            {},
            {"split": {"test_size": 2}},
            runtime_params={"split": {"test_size": 2}},
        )


def test_missing_parameter_did_you_mean():
    pipeline = Pipeline(
        [node(untyped, "params:model.test_size", "out", name="split_data")]
    )
    with pytest.raises(ParameterValidationError) as info:
        check_parameters(
            pipeline,
            {},
            {"model": {"test_ratio": 0.2}},
            describe_source=lambda key: (
                "conf/base/parameters.yml or conf/local/parameters.yml"
            ),
        )
    assert str(info.value) == (
        "Node 'split_data' needs parameter 'model.test_size', which is not in "
        "conf/base/parameters.yml or conf/local/parameters.yml.\n"
        "  Did you mean 'model.test_ratio'?\n"
        "  Add it to a parameters file, or set it at run time: "
        "ordino run --params model.test_size=<value>"
    )


def test_find_parameter_file_prefers_the_run_env(tmp_path):
    write_yaml(tmp_path / "base" / "parameters.yml", {"model": {"a": 1}, "other": 1})
    write_yaml(tmp_path / "local" / "parameters_model.yml", {"model": {"a": 2}})
    write_yaml(tmp_path / "base" / "parameters" / "nested.yml", {"deep": {"x": 1}})
    assert find_parameter_file(tmp_path, ["base", "local"], "model.a") == (
        tmp_path / "local" / "parameters_model.yml"
    )
    assert find_parameter_file(tmp_path, ["base", "local"], "other") == (
        tmp_path / "base" / "parameters.yml"
    )
    assert find_parameter_file(tmp_path, ["base", "local"], "deep.x") == (
        tmp_path / "base" / "parameters" / "nested.yml"
    )
    assert find_parameter_file(tmp_path, ["base", "local"], "nope") is None


# -- through a session ----------------------------------------------------------------

TYPED_PIPELINE = """
from pydantic import BaseModel, Field

from ordino.pipeline import Pipeline, node


class SplitOptions(BaseModel):
    test_size: float = Field(gt=0, lt=1)
    random_state: int = 42


def prepare(numbers):
    return list(numbers)


def split(data, options: SplitOptions):
    return {"type": type(options).__name__, "test_size": options.test_size}


def create_pipeline(**kwargs):
    return Pipeline(
        [
            node(prepare, "params:numbers", "prepared", name="prepare"),
            node(split, ["prepared", "params:split"], "report", name="split"),
        ]
    )
"""


def _typed_project(project, split_options):
    return project(
        pipelines={"typed": TYPED_PIPELINE},
        parameters={"numbers": [1, 2], "split": split_options},
        catalog={
            "prepared": {"type": "json.JSONDataset", "filepath": "data/prepared.json"}
        },
    )


def test_valid_parameters_arrive_as_model_instances(project):
    from ordino.framework.session import Session

    root = _typed_project(project, {"test_size": 0.25})
    with Session.create(root) as session:
        report = session.run()["report"].load()
    assert report == {"type": "SplitOptions", "test_size": 0.25}


def test_invalid_parameter_fails_before_any_node_runs(project):
    from ordino.framework.session import Session
    from ordino.testing import RecordingHooks

    root = _typed_project(project, {"test_size": 1.5})
    recorder = RecordingHooks()
    with Session.create(root) as session:
        session.hook_manager.register(recorder)
        with pytest.raises(ParameterValidationError) as info:
            session.run()
    message = str(info.value)
    assert message.startswith(
        "Parameter 'split' in conf/base/parameters.yml is not a valid SplitOptions "
        "(argument 'options' of node 'split'): test_size: Input should be less than 1"
    )
    assert info.value.path == "conf/base/parameters.yml"
    assert "before_node_run" not in recorder.names()
    assert "before_pipeline_run" not in recorder.names()
    assert not (root / "data" / "prepared.json").exists()


def test_invalid_runtime_parameter_through_a_session(project):
    from ordino.framework.session import Session

    root = _typed_project(project, {"test_size": 0.2})
    runtime = {"split": {"test_size": 0}}
    with (
        Session.create(root, runtime_params=runtime) as session,
        pytest.raises(ParameterValidationError, match=r"runtime parameters \(--params"),
    ):
        session.run()


def test_local_file_is_named_when_it_sets_the_value(project):
    from ordino.framework.session import Session

    root = _typed_project(project, {"test_size": 0.2})
    write_yaml(root / "conf" / "local" / "parameters.yml", {"split": {"test_size": 7}})
    with (
        Session.create(root) as session,
        pytest.raises(
            ParameterValidationError, match=r"'split' in conf/local/parameters.yml"
        ),
    ):
        session.run()


def test_missing_parameter_through_a_session(project):
    from ordino.framework.session import Session

    root = project(parameters={"numbers": [1], "factr": 2})
    with (
        Session.create(root) as session,
        pytest.raises(ParameterValidationError) as info,
    ):
        session.run()
    assert str(info.value).startswith(
        "Node 'double' needs parameter 'factor', which is not in "
        "conf/base/parameters.yml or conf/local/parameters.yml.\n"
        "  Did you mean 'factr'?"
    )
