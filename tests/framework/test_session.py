"""Session.create / load_context / run, end to end on tiny projects in tmp_path."""

from __future__ import annotations

import json
import logging
import re

import pytest

from ordino.errors import (
    MissingConfigException,
    PipelineNotFoundError,
    ProjectNotFoundError,
    SessionError,
)
from ordino.framework.session import Session
from ordino.testing import RecordingHooks

CHAIN = """
from ordino.pipeline import Pipeline, node, pipeline


def step(x, inc):
    return x + inc


def create_pipeline(**kwargs):
    return Pipeline(
        [
            node(step, ["params:start", "params:inc"], "a", name="first", tags="early"),
            node(step, ["a", "params:inc"], "b", name="second", tags=["early", "mid"]),
            node(step, ["b", "params:inc"], "c", name="third", tags=["late"]),
        ]
    ) + pipeline(
        Pipeline([node(step, ["c", "params:inc"], "d", name="fourth")]),
        namespace="extra",
        inputs={"c"},
        parameters={"params:inc"},
    )
"""

OTHER = """
from ordino.pipeline import Pipeline, node


def create_pipeline(**kwargs):
    return Pipeline([node(str, "params:start", "as_text", name="stringify")])
"""


# Datasets that a slice leaves as free inputs are given by a custom context class,
# which also pins that CONTEXT_CLASS is honoured.
CHAIN_SETTINGS = """
from ordino.framework.context import Context


class ChainContext(Context):
    def _get_catalog(self, *args, **kwargs):
        catalog = super()._get_catalog(*args, **kwargs)
        for name, value in {"a": 1, "b": 2, "c": 3}.items():
            catalog[name] = value
        return catalog


CONTEXT_CLASS = ChainContext
"""


@pytest.fixture
def chain(project):
    return project(
        settings=CHAIN_SETTINGS,
        pipelines={"chain": CHAIN, "other": OTHER},
        parameters={"start": 0, "inc": 1},
        envs={"prod": {"parameters": {"inc": 10}}},
    )


def _run(root, *, env=None, runtime_params=None, **run_args):
    recorder = RecordingHooks()
    with Session.create(root, env=env, runtime_params=runtime_params) as session:
        session.hook_manager.register(recorder)
        outputs = session.run(**run_args)
    return outputs, recorder


def _ran(recorder: RecordingHooks) -> list[str]:
    return [call["node"].name for call in recorder.of("before_node_run")]


def test_default_run_returns_free_outputs(project):
    root = project()
    outputs, recorder = _run(root)
    assert outputs["doubled"].load() == [2, 4, 6]
    assert _ran(recorder) == ["double"]


def test_session_found_from_a_subdirectory(project, monkeypatch):
    root = project()
    monkeypatch.chdir(root / "src")
    with Session.create() as session:
        assert session.project_path == root.resolve()
        assert session.run()["doubled"].load() == [2, 4, 6]


def test_outside_a_project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ProjectNotFoundError, match=r"No ordino project at or above"):
        Session.create()
    with pytest.raises(ProjectNotFoundError, match=r"no pyproject.toml"):
        Session.create(tmp_path)


def test_one_run_per_session(project):
    with Session.create(project()) as session:
        session.run()
        with pytest.raises(
            SessionError, match="already completed a run; a session runs once"
        ):
            session.run()


def test_failed_run_calls_on_pipeline_error_and_reraises(project):
    failing = (
        "from ordino.pipeline import Pipeline, node\n"
        "def boom(x):\n    raise ValueError('kaput')\n"
        "def create_pipeline(**kw):\n"
        "    return Pipeline([node(boom, 'params:factor', 'y', name='boom')])\n"
    )
    root = project(pipelines={"p": failing})
    recorder = RecordingHooks()
    with pytest.raises(Exception, match="kaput"), Session.create(root) as session:
        session.hook_manager.register(recorder)
        session.run()
    (error_call,) = recorder.of("on_pipeline_error")
    assert "kaput" in str(error_call["error"])
    assert "after_pipeline_run" not in recorder.names()
    assert session.store["exception"]["value"].count("kaput") == 1


def test_runtime_params_override_files(chain):
    outputs, _ = _run(chain, runtime_params={"inc": 5}, pipeline_names=["chain"])
    assert outputs["extra.d"].load() == 20


def test_env_argument_and_ordino_env(chain, monkeypatch):
    outputs, _ = _run(chain, env="prod", pipeline_names=["chain"])
    assert outputs["extra.d"].load() == 40
    monkeypatch.setenv("ORDINO_ENV", "prod")
    outputs, recorder = _run(chain, pipeline_names=["chain"])
    assert outputs["extra.d"].load() == 40
    (context_call,) = recorder.of("after_context_created")
    assert context_call["context"].env == "prod"


def test_unknown_env_did_you_mean(chain):
    with (
        Session.create(chain, env="prd") as session,
        pytest.raises(
            MissingConfigException,
            match=r"Unknown environment 'prd'.*\n.*Did you mean 'prod'\?.*\n"
            r".*Environments of this project: local, prod",
        ),
    ):
        session.load_context()


def test_unknown_pipeline_did_you_mean(chain):
    with (
        Session.create(chain) as session,
        pytest.raises(
            PipelineNotFoundError,
            match=r"Unknown pipeline 'chian'.*\n.*Did you mean 'chain'",
        ),
    ):
        session.run(pipeline_names=["chian"])


@pytest.mark.parametrize(
    ("run_args", "expected"),
    [
        ({"pipeline_names": ["chain"]}, ["first", "second", "third", "extra.fourth"]),
        ({"pipeline_names": ["chain", "other"]}, None),
        ({"pipeline_names": ["chain"], "tags": ["mid", "late"]}, ["second", "third"]),
        ({"pipeline_names": ["chain"], "node_names": ["third"]}, ["third"]),
        (
            {"pipeline_names": ["chain"], "from_nodes": ["second"]},
            ["second", "third", "extra.fourth"],
        ),
        ({"pipeline_names": ["chain"], "to_nodes": ["second"]}, ["first", "second"]),
        (
            {"pipeline_names": ["chain"], "from_inputs": ["b"]},
            ["third", "extra.fourth"],
        ),
        ({"pipeline_names": ["chain"], "to_outputs": ["b"]}, ["first", "second"]),
        ({"pipeline_names": ["chain"], "namespaces": ["extra"]}, ["extra.fourth"]),
        (
            {"pipeline_names": ["chain"], "from_nodes": ["second"], "tags": ["early"]},
            ["second"],
        ),
    ],
)
def test_every_selection_argument(chain, run_args, expected):
    recorder = RecordingHooks()
    with Session.create(chain) as session:
        session.hook_manager.register(recorder)
        session.run(**run_args)
    ran = _ran(recorder)
    if expected is None:
        assert set(ran) == {"first", "second", "third", "extra.fourth", "stringify"}
    else:
        assert ran == expected
    (before,) = recorder.of("before_pipeline_run")
    assert sorted(n.name for n in before["pipeline"].nodes) == sorted(ran)
    for key, value in run_args.items():
        assert before["run_params"][key] == value


def test_hook_order_and_run_params(project):
    root = project()
    _outputs, recorder = _run(root, runtime_params={"factor": 3})
    names = recorder.names()
    assert names[:3] == [
        "after_context_created",
        "after_catalog_created",
        "before_pipeline_run",
    ]
    assert names[-1] == "after_pipeline_run"
    assert names.index("before_node_run") > names.index("before_pipeline_run")
    (before,) = recorder.of("before_pipeline_run")
    params = before["run_params"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d\.\d\d\.\d\d\.\d{3}Z", params["run_id"])
    assert params["project_path"] == root.resolve().as_posix()
    assert params["env"] is None
    assert params["runtime_params"] == {"factor": 3}
    assert params["runner"] == "SequentialRunner"
    assert params["only_missing_outputs"] is False
    assert {
        "tags",
        "from_nodes",
        "to_nodes",
        "node_names",
        "from_inputs",
        "to_outputs",
        "load_versions",
        "pipeline_names",
        "namespaces",
        "ordino_version",
    } <= set(params)
    (after,) = recorder.of("after_pipeline_run")
    assert after["run_result"]["doubled"].load() == [3, 6, 9]
    (catalog_call,) = recorder.of("after_catalog_created")
    assert catalog_call["save_version"] == params["run_id"]


def test_project_hooks_from_settings_are_registered(project):
    settings_py = (
        "from ordino.framework.hooks import hook_impl\n"
        "CALLS = []\n"
        "class ProjectHooks:\n"
        "    @hook_impl\n"
        "    def after_node_run(self, node, outputs):\n"
        "        CALLS.append((node.name, dict(outputs)))\n"
        "HOOKS = (ProjectHooks(),)\n"
    )
    root = project(settings=settings_py)
    with Session.create(root) as session:
        session.run()
    import demo_project.settings as project_settings

    assert project_settings.CALLS == [("double", {"doubled": [2, 4, 6]})]


def test_runner_class_instead_of_instance(project):
    from ordino.runner import SequentialRunner

    with (
        Session.create(project()) as session,
        pytest.raises(
            SessionError,
            match=r"got the class SequentialRunner.*\n.*runner=SequentialRunner\(\)",
        ),
    ):
        session.run(runner=SequentialRunner)


def test_thread_runner(project):
    from ordino.runner import ThreadRunner

    outputs, recorder = _run(project(), runner=ThreadRunner())
    assert outputs["doubled"].load() == [2, 4, 6]
    assert (
        recorder.of("before_pipeline_run")[0]["run_params"]["runner"] == "ThreadRunner"
    )


def test_store_records_the_session(project, monkeypatch):
    root = project()
    with Session.create(root, env="local", runtime_params={"factor": 1}) as session:
        store = session.store
    assert store["session_id"] == session.session_id
    assert store["project_path"] == root.resolve()
    assert store["env"] == "local"
    assert store["runtime_params"] == {"factor": 1}
    assert "username" in store


def test_json_session_store_saves_on_close(project, tmp_path):
    sessions = tmp_path / "sessions"
    root = project(
        settings=(
            "from ordino.framework.store import JSONSessionStore\n"
            "SESSION_STORE_CLASS = JSONSessionStore\n"
            f"SESSION_STORE_ARGS = {{'path': {str(sessions)!r}}}\n"
        )
    )
    with Session.create(root) as session:
        session.run()
    saved = json.loads((sessions / f"{session.session_id}.json").read_text())
    assert saved["session_id"] == session.session_id
    assert list(sessions.iterdir()) == [sessions / f"{session.session_id}.json"]


def test_bad_session_store_args(project):
    root = project(settings="SESSION_STORE_ARGS = {'colour': 'red'}\n")
    from ordino.errors import SettingsError

    with pytest.raises(
        SettingsError, match=r"SESSION_STORE_ARGS do not fit BaseSessionStore"
    ):
        Session.create(root)


def test_conf_source_argument(project, tmp_path):
    root = project()
    other = tmp_path / "other_conf"
    (other / "base").mkdir(parents=True)
    (other / "local").mkdir()
    (other / "base" / "parameters.yml").write_text("numbers: [5]\nfactor: 3\n")
    with Session.create(root, conf_source=str(other)) as session:
        assert session.run()["doubled"].load() == [15]


def test_missing_conf_source(project, tmp_path):
    with (
        Session.create(project(), conf_source=str(tmp_path / "nope")) as session,
        pytest.raises(
            MissingConfigException,
            match=r"Configuration directory .*nope does not exist",
        ),
    ):
        session.load_context()


def test_pipeline_name_spellings(chain, caplog):
    _, recorder = _run(chain, pipeline_names="other")
    assert _ran(recorder) == ["stringify"]
    # bootstrapping configured logging (and replaced the root handlers): listen on
    # the session's logger itself
    logger = logging.getLogger("ordino.framework.session")
    logger.addHandler(caplog.handler)
    try:
        _, recorder = _run(chain, pipeline_name="other")
    finally:
        logger.removeHandler(caplog.handler)
    assert _ran(recorder) == ["stringify"]
    assert "pipeline_name=...) is deprecated" in caplog.text


COPY = """
from ordino.pipeline import Pipeline, node


def create_pipeline(**kwargs):
    return Pipeline([node(dict, "notes", "copy", name="copy")])
"""


def test_load_versions_reach_the_catalog(project):
    root = project(
        pipelines={"copy": COPY},
        catalog={
            "notes": {
                "type": "json.JSONDataset",
                "filepath": "data/notes.json",
                "versioned": True,
            }
        },
    )
    for version, text in [
        ("2024-01-01T00.00.00.000Z", '{"v": 1}'),
        ("2024-02-01T00.00.00.000Z", '{"v": 2}'),
    ]:
        target = root / "data" / "notes.json" / version / "notes.json"
        target.parent.mkdir(parents=True)
        target.write_text(text)
    outputs, _ = _run(root)
    assert outputs["copy"].load() == {"v": 2}  # the latest by default
    outputs, recorder = _run(root, load_versions={"notes": "2024-01-01T00.00.00.000Z"})
    assert outputs["copy"].load() == {"v": 1}
    (catalog_call,) = recorder.of("after_catalog_created")
    assert catalog_call["load_versions"] == {"notes": "2024-01-01T00.00.00.000Z"}


def test_parallel_runner_gets_a_shared_memory_catalog(project):
    from ordino.io import SharedMemoryDataCatalog
    from ordino.runner import ParallelRunner

    outputs, recorder = _run(project(), runner=ParallelRunner(max_workers=1))
    assert outputs["doubled"].load() == [2, 4, 6]
    (before,) = recorder.of("before_pipeline_run")
    assert isinstance(before["catalog"], SharedMemoryDataCatalog)
    assert before["run_params"]["runner"] == "ParallelRunner"
