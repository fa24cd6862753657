"""The IPython extension, driven through a real InteractiveShell."""

from __future__ import annotations

import logging

import pytest
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config

from ordino.errors import BadConfigException, ProjectNotFoundError, UnknownNameError
from ordino.ipython import parse_params

NODES = """
import math

from ordino.pipeline import Pipeline, node


def scale(numbers, factor):
    return [math.floor(n * factor) for n in numbers]


def create_pipeline(**kwargs):
    return Pipeline(
        [node(scale, ["params:numbers", "params:factor"], "scaled", name="scale")]
    )
"""


@pytest.fixture
def shell():
    config = Config()
    config.HistoryManager.hist_file = ":memory:"
    instance = InteractiveShell.instance(config=config)
    yield instance
    InteractiveShell.clear_instance()


@pytest.fixture
def root(project):
    return project(
        pipelines={"scaling": NODES},
        parameters={"numbers": [1, 2, 3], "factor": 2},
        envs={"prod": {"parameters": {"factor": 10}}},
    )


def test_load_ext_in_a_project_defines_the_variables(shell, root, monkeypatch):
    monkeypatch.chdir(root)
    shell.run_line_magic("load_ext", "ordino.ipython")
    namespace = shell.user_ns
    for name in ("catalog", "context", "session", "pipelines"):
        assert name in namespace
    assert namespace["catalog"].load("params:factor") == 2
    assert namespace["context"].project_path == root.resolve()
    assert "scaling" in namespace["pipelines"]
    result = shell.run_cell("session.run()['scaled'].load()")
    assert result.result == [2, 4, 6]


def test_load_ext_outside_a_project_warns(shell, tmp_path, monkeypatch, caplog):
    monkeypatch.chdir(tmp_path)
    with caplog.at_level(logging.WARNING, logger="ordino.ipython"):
        shell.run_line_magic("load_ext", "ordino.ipython")
    assert "not inside an ordino project" in caplog.text
    assert "catalog" not in shell.user_ns
    assert "reload_ordino" in shell.magics_manager.magics["line"]
    with pytest.raises(ProjectNotFoundError, match="reload_ordino /path/to/project"):
        shell.run_line_magic("reload_ordino", "")


def test_reload_ordino_with_path_env_and_params(shell, root, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shell.run_line_magic("load_ext", "ordino.ipython")
    shell.run_line_magic("reload_ordino", f"{root} --env prod")
    assert shell.user_ns["catalog"].load("params:factor") == 10
    assert shell.user_ns["context"].env == "prod"
    shell.run_line_magic("reload_ordino", f"{root} -p factor=3,numbers=[4]")
    assert shell.user_ns["context"].params == {"numbers": [4], "factor": 3}
    with pytest.raises(
        BadConfigException, match=r"%reload_ordino: unrecognized arguments"
    ):
        shell.run_line_magic("reload_ordino", f"{root} --colour red")


def test_reload_picks_up_code_changes(shell, root, monkeypatch):
    monkeypatch.chdir(root)
    shell.run_line_magic("load_ext", "ordino.ipython")
    pipeline_file = root / "src/demo_project/pipelines/scaling/pipeline.py"
    pipeline_file.write_text(
        pipeline_file.read_text().replace('name="scale"', 'name="rescale"')
    )
    shell.run_line_magic("reload_ordino", "")
    names = [n.name for n in shell.user_ns["pipelines"]["scaling"].nodes]
    assert names == ["rescale"]


def test_load_node_writes_runnable_code(shell, root, monkeypatch):
    monkeypatch.chdir(root)
    shell.run_line_magic("load_ext", "ordino.ipython")
    shell.run_line_magic("load_node", "scale")
    code = shell.rl_next_input
    assert "import math" in code
    assert 'numbers = catalog.load("params:numbers")' in code
    assert 'factor = catalog.load("params:factor")' in code
    assert "def scale(numbers, factor):" in code
    assert code.rstrip().endswith("scale(numbers, factor)")
    assert shell.run_cell(code).result == [2, 4, 6]


def test_load_node_unknown_name(shell, root, monkeypatch):
    monkeypatch.chdir(root)
    shell.run_line_magic("load_ext", "ordino.ipython")
    with pytest.raises(
        UnknownNameError, match=r"No node named 'scal'.*\n.*Did you mean 'scale'"
    ):
        shell.run_line_magic("load_node", "scal")


def test_parse_params():
    assert parse_params("a.b=1,c=[x, y],d='q,r'") == {
        "a": {"b": 1},
        "c": ["x", "y"],
        "d": "q,r",
    }
    assert parse_params("") == {}
    with pytest.raises(BadConfigException, match="'oops' is not of the form key=value"):
        parse_params("oops")


def test_load_ext_uses_the_kernels_project_path(shell, root, tmp_path, monkeypatch):
    """The kernel of ``ordino jupyter setup`` sets ORDINO_PROJECT_PATH: a notebook
    outside the project still loads it."""
    elsewhere = tmp_path / "notebooks_elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("ORDINO_PROJECT_PATH", str(root))
    shell.run_line_magic("load_ext", "ordino.ipython")
    assert shell.user_ns["context"].project_path == root.resolve()
    assert shell.user_ns["catalog"].load("params:factor") == 2
