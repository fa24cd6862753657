from __future__ import annotations

import sys

import pytest

from ordino.errors import PipelineNotFoundError, ProjectError
from ordino.framework.project import find_pipelines, pipelines
from ordino.framework.registry import LazyPipelines
from ordino.framework.startup import bootstrap_project
from ordino.pipeline import Pipeline

ONE_NODE = """
from ordino.pipeline import Pipeline, node


def {fn}(x):
    return x


def create_pipeline(**kwargs):
    return Pipeline([node({fn}, "{inp}", "{out}", name="{fn}")])
"""


def _pipeline(fn: str, inp: str = "a", out: str = "b") -> str:
    return ONE_NODE.format(fn=fn, inp=inp, out=out)


@pytest.fixture
def two_pipelines(project):
    root = project(
        pipelines={
            "data_processing": _pipeline("clean", "raw", "clean_data"),
            "data_science": _pipeline("train", "clean_data", "model"),
        }
    )
    bootstrap_project(root)
    return root


def test_find_pipelines_discovers_without_importing(two_pipelines):
    found = find_pipelines()
    assert sorted(found) == ["data_processing", "data_science"]
    assert "demo_project.pipelines.data_science" not in sys.modules
    assert "demo_project.pipelines.data_processing" not in sys.modules
    processing = found["data_processing"]
    assert [n.name for n in processing.nodes] == ["clean"]
    assert "demo_project.pipelines.data_processing" in sys.modules
    assert "demo_project.pipelines.data_science" not in sys.modules
    assert found.is_loaded("data_processing")
    assert not found.is_loaded("data_science")


def test_values_and_sum_load_everything(two_pipelines):
    found = find_pipelines()
    total = sum(found.values())
    assert {n.name for n in total.nodes} == {"clean", "train"}


def test_registered_pipelines_and_default(two_pipelines):
    assert set(pipelines) == {"data_processing", "data_science", "__default__"}
    assert {n.name for n in pipelines["__default__"].nodes} == {"clean", "train"}


def test_unknown_pipeline_did_you_mean(two_pipelines):
    with pytest.raises(
        PipelineNotFoundError,
        match=r"Unknown pipeline 'data_sciense'.*\n.*Did you mean 'data_science'",
    ) as info:
        pipelines["data_sciense"]
    assert "Registered pipelines: __default__, data_processing, data_science" in str(
        info.value
    )
    assert isinstance(info.value, KeyError)


def test_skips_private_and_non_package_entries(project):
    root = project(pipelines={"good": _pipeline("f")})
    pipes = root / "src" / "demo_project" / "pipelines"
    (pipes / "_private").mkdir()
    (pipes / "_private" / "__init__.py").write_text("raise RuntimeError('never')\n")
    (pipes / "README.md").write_text("notes")
    bootstrap_project(root)
    assert list(find_pipelines()) == ["good"]


def test_import_error_warns_or_raises(project):
    root = project(
        pipelines={"broken": "import not_a_real_module\n", "good": _pipeline("f")}
    )
    bootstrap_project(root)
    found = find_pipelines()
    with pytest.warns(
        UserWarning,
        match=r"error occurred while importing the 'demo_project.pipelines.broken'",
    ):
        assert "broken" not in dict(found.items())
    with pytest.raises(
        ImportError, match=r"'demo_project.pipelines.broken'.*not_a_real_module"
    ):
        find_pipelines(raise_errors=True)["broken"]


def test_module_without_create_pipeline_warns(project):
    root = project(pipelines={"empty": "X = 1\n"})
    (root / "src/demo_project/pipelines/empty/__init__.py").write_text("X = 1\n")
    bootstrap_project(root)
    with pytest.warns(
        UserWarning, match="does not expose a 'create_pipeline' function"
    ):
        assert dict(find_pipelines()) == {}


def test_create_pipeline_returning_something_else_warns(project):
    root = project(pipelines={"odd": "def create_pipeline():\n    return [1]\n"})
    bootstrap_project(root)
    with pytest.warns(UserWarning, match=r"to return a 'Pipeline' object, got 'list'"):
        assert dict(find_pipelines()) == {}


def test_simplified_project_pipeline_module_is_default(project):
    root = project(pipelines={})
    (root / "src/demo_project/pipeline.py").write_text(_pipeline("only"))
    bootstrap_project(root)
    found = find_pipelines()
    assert list(found) == ["__default__"]
    assert [n.name for n in found["__default__"].nodes] == ["only"]


def test_find_pipelines_needs_a_project():
    with pytest.raises(
        ProjectError, match=r"find_pipelines\(\) needs a configured project"
    ):
        find_pipelines()


def test_registry_without_register_pipelines(project):
    root = project(registry="X = 1\n")
    bootstrap_project(root)
    with pytest.raises(
        ProjectError,
        match=r"pipeline_registry.py has no register_pipelines\(\) function",
    ):
        list(pipelines)


def test_project_without_registry_module_finds_pipelines(project):
    root = project(pipelines={"p": _pipeline("f")})
    (root / "src/demo_project/pipeline_registry.py").unlink()
    bootstrap_project(root)
    assert set(pipelines) == {"p", "__default__"}


def test_registry_returning_a_plain_dict(project):
    root = project(
        registry=(
            "from ordino.pipeline import Pipeline\n"
            "def register_pipelines():\n"
            "    return {'__default__': Pipeline([])}\n"
        )
    )
    bootstrap_project(root)
    assert list(pipelines) == ["__default__"]
    assert pipelines["__default__"].nodes == []


def test_lazy_pipelines_mapping_behaves_like_a_dict():
    calls = []

    def loader():
        calls.append(1)
        return Pipeline([])

    lazy = LazyPipelines({"a": loader})
    assert "a" in lazy
    assert len(lazy) == 1
    assert calls == []
    assert lazy["a"] is lazy["a"]
    assert calls == [1]
    lazy["b"] = Pipeline([])
    del lazy["a"]
    assert list(lazy) == ["b"]
    with pytest.raises(KeyError):
        lazy["a"]


def test_registry_import_error_names_the_module(project):
    root = project(registry="import sklearn_is_not_here\n")
    bootstrap_project(root)
    with pytest.raises(
        ProjectError,
        match=r"pipelines \(demo_project.pipeline_registry\) could not be imported: "
        r"ModuleNotFoundError.*\n.*provides 'sklearn_is_not_here'",
    ):
        pipelines["__default__"]


def test_a_broken_pipeline_asked_for_by_name(project):
    root = project(
        pipelines={"broken": "import not_a_real_module\n"},
        registry=(
            "from ordino.framework.project import find_pipelines\n"
            "def register_pipelines():\n"
            "    return find_pipelines()\n"
        ),
    )
    bootstrap_project(root)
    with (
        pytest.warns(UserWarning, match="not_a_real_module"),
        pytest.raises(PipelineNotFoundError, match="'broken' could not be built"),
    ):
        pipelines["broken"]


def test_lazy_registry_template_imports_only_what_is_asked(project):
    root = project(
        pipelines={"a": _pipeline("fa"), "b": _pipeline("fb", "x", "y")},
        registry=(
            "from ordino.framework.project import find_pipelines\n"
            "def register_pipelines():\n"
            "    return find_pipelines()\n"
        ),
    )
    bootstrap_project(root)
    assert sorted(pipelines) == ["__default__", "a", "b"]
    assert [n.name for n in pipelines["a"].nodes] == ["fa"]
    assert "demo_project.pipelines.b" not in sys.modules
    assert {n.name for n in pipelines["__default__"].nodes} == {"fa", "fb"}


def test_a_pipeline_import_failure_is_an_ordino_error_naming_the_file(project):
    from ordino.errors import OrdinoError
    from ordino.framework.registry import PipelineImportError

    root = project(
        pipelines={"broken": "from .nodes import f\n", "good": _pipeline("f")},
        extra_files={
            "src/demo_project/pipelines/broken/nodes.py": "x = 1\nimport no_such_lib\n"
        },
    )
    bootstrap_project(root)
    with pytest.raises(PipelineImportError) as raised:
        find_pipelines(raise_errors=True)["broken"]
    error = raised.value
    assert isinstance(error, OrdinoError)
    assert isinstance(error, ImportError)
    assert error.module == "demo_project.pipelines.broken"
    assert error.line == 2
    assert error.path is not None
    assert error.path.endswith("broken/nodes.py")
    assert isinstance(error.__cause__, ModuleNotFoundError)
    assert "src/demo_project/pipelines/broken/nodes.py, line 2" in error.message
    assert "no_such_lib" in error.message
    assert find_pipelines(raise_errors=True)["good"] is not None


def test_a_syntax_error_in_a_pipeline_names_file_and_line(project):
    from ordino.framework.registry import PipelineImportError

    root = project(pipelines={"broken": "def create_pipeline(:\n    pass\n"})
    bootstrap_project(root)
    with pytest.raises(
        PipelineImportError, match=r"SyntaxError: .*pipeline.py, line 1"
    ):
        find_pipelines(raise_errors=True)["broken"]
    with pytest.warns(UserWarning, match=r"broken/pipeline.py, line 1"):
        assert "broken" not in dict(find_pipelines().items())
