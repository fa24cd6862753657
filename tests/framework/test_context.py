"""Context: parameters (merged with runtime ones) and the catalog built from config."""

from __future__ import annotations

from pathlib import Path

import pytest

from ordino.framework.context import (
    absolute_paths,
    flatten_parameters,
    merge_parameters,
)
from ordino.framework.session import Session
from ordino.testing import RecordingHooks


@pytest.fixture
def nested(project):
    return project(
        parameters={"model": {"lr": 0.1, "layers": {"n": 3}}, "seed": 1},
        local_parameters={"seed": 2},
    )


def _context(root, **create):
    session = Session.create(root, **create)
    return session, session.load_context()


def test_params_merge_files_and_runtime(nested):
    _, context = _context(nested, runtime_params={"model": {"lr": 0.5}, "extra": "x"})
    assert context.params == {
        "model": {"lr": 0.5, "layers": {"n": 3}},
        "seed": 2,  # conf/local overrides conf/base
        "extra": "x",
    }
    assert context.env is None
    assert context.project_path == nested.resolve()
    assert context.package_name == "demo_project"


def test_catalog_has_every_nested_parameter(nested):
    _, context = _context(nested, runtime_params={"model.layers.n": 4})
    catalog = context.catalog
    assert catalog.load("params:model.layers.n") == 4
    assert catalog.load("params:model.layers") == {"n": 4}
    assert catalog.load("params:model") == {"lr": 0.1, "layers": {"n": 4}}
    assert catalog.load("params:seed") == 2
    assert catalog.load("parameters")["model"]["lr"] == 0.1


def test_config_loader_is_exposed(nested):
    _, context = _context(nested)
    assert context.config_loader["parameters"]["seed"] == 2


def test_relative_filepaths_resolve_against_the_project(project, tmp_path, monkeypatch):
    root = project(
        catalog={
            "notes": {"type": "text.TextDataset", "filepath": "data/01_raw/notes.txt"},
            "remote": {"type": "text.TextDataset", "filepath": "s3://bucket/notes.txt"},
        }
    )
    (root / "data" / "01_raw").mkdir(parents=True)
    (root / "data" / "01_raw" / "notes.txt").write_text("hello")
    monkeypatch.chdir(tmp_path)  # not the project: paths must not depend on cwd
    recorder = RecordingHooks()
    session = Session.create(root)
    session.hook_manager.register(recorder)
    context = session.load_context()
    catalog = context.catalog
    assert catalog.load("notes") == "hello"
    conf = recorder.of("after_catalog_created")[0]["conf_catalog"]
    assert (
        conf["notes"]["filepath"]
        == (root.resolve() / "data/01_raw/notes.txt").as_posix()
    )
    assert conf["remote"]["filepath"] == "s3://bucket/notes.txt"


def test_absolute_paths_only_touches_local_relative_paths():
    project = Path("/project")
    conf = {
        "a": {"filepath": "data/a.csv", "load_args": {"sep": ","}},
        "b": {"filepath": "/abs/b.csv"},
        "c": {"filepath": "gcs://bucket/c.csv"},
        "d": {"type": "CachedDataset", "dataset": {"filepath": "data/d.pkl"}},
        "e": {"path": "data/parts", "filename_suffix": ".csv"},
        "f": {"filepath": "C:\\data\\f.csv"},
    }
    result = absolute_paths(project, conf)
    assert result["a"] == {"filepath": "/project/data/a.csv", "load_args": {"sep": ","}}
    assert result["b"]["filepath"] == "/abs/b.csv"
    assert result["c"]["filepath"] == "gcs://bucket/c.csv"
    assert result["d"]["dataset"]["filepath"] == "/project/data/d.pkl"
    assert result["e"] == {"path": "/project/data/parts", "filename_suffix": ".csv"}
    assert result["f"]["filepath"] == "C:/data/f.csv"
    assert conf["a"]["filepath"] == "data/a.csv"  # the input is not modified


def test_merge_and_flatten_parameters():
    merged = merge_parameters({"a": {"b": 1, "c": 2}}, {"a": {"b": 5}, "a.c": 7})
    assert merged == {"a": {"b": 5, "c": 7}}
    assert dict(flatten_parameters({"a": {"b": {"c": 1}}, "d": 2})) == {
        "params:a": {"b": {"c": 1}},
        "params:a.b": {"c": 1},
        "params:a.b.c": 1,
        "params:d": 2,
    }


def test_after_context_created_gets_the_context(project):
    recorder = RecordingHooks()
    session = Session.create(project())
    session.hook_manager.register(recorder)
    context = session.load_context()
    assert recorder.of("after_context_created") == [{"context": context}]


def test_a_missing_default_environment_falls_back_to_base(project, capsys):
    import shutil

    root = project(
        parameters={"numbers": [1], "factor": 3},
        catalog={"doubled": {"type": "text.TextDataset", "filepath": "d.txt"}},
    )
    shutil.rmtree(root / "conf" / "local")
    _, context = _context(root)
    assert context.params == {"numbers": [1], "factor": 3}
    assert "doubled" in context.catalog
    assert "No local configuration environment" in capsys.readouterr().err


def test_an_environment_asked_for_must_exist(project, monkeypatch):
    from ordino.errors import MissingConfigException

    root = project(envs={"prod": {"parameters": {"factor": 9}}})
    with pytest.raises(MissingConfigException) as raised:
        _context(root, env="prd")
    assert str(root.resolve() / "conf" / "prd") in raised.value.message
    assert "Environments of this project: local, prod" in str(raised.value)
    assert raised.value.suggestions == ("prod",)
    monkeypatch.setenv("ORDINO_ENV", "prd")
    with pytest.raises(MissingConfigException, match="Unknown environment 'prd'"):
        _context(root)


def test_a_missing_environment_is_not_mistaken_for_empty_config(project):
    """A context given a loader whose environment is gone raises, never {}."""
    from ordino.config import OmegaConfigLoader
    from ordino.errors import MissingConfigException
    from ordino.framework.context import Context

    root = project()
    loader = OmegaConfigLoader(
        str(root / "conf"), env="gone", base_env="base", default_run_env="local"
    )
    context = Context("demo_project", root, loader, hook_manager=None)
    with pytest.raises(MissingConfigException, match="'gone' not found"):
        context.params  # noqa: B018 - the access is the test
    with pytest.raises(MissingConfigException, match="'gone' not found"):
        context.catalog  # noqa: B018


def test_an_unreadable_config_file_is_raised_not_swallowed(project):
    from ordino.errors import MissingConfigException
    from ordino.framework.context import Context

    class UnreadableLoader(dict):  # type: ignore[type-arg]
        def __getitem__(self, key):
            raise MissingConfigException(f"conf/base/{key}.yml: cannot be read.")

    context = Context("demo_project", project(), UnreadableLoader(), None)
    with pytest.raises(MissingConfigException, match="cannot be read"):
        context.params  # noqa: B018


def test_no_catalog_files_means_an_empty_catalog(project):
    root = project()
    (root / "conf" / "base" / "catalog.yml").unlink()
    _, context = _context(root)
    names = list(context.catalog)
    assert "parameters" in names
    assert all(n == "parameters" or n.startswith("params:") for n in names)


def test_a_bad_catalog_entry_names_its_file(project):
    from ordino.errors import CatalogConfigError

    root = project(catalog={"cars": {"type": "text.TextDataset", "filepth": "c"}})
    (root / "conf/local/catalog.yml").write_text(
        "boats:\n  type: text.NoSuchDataset\n  filepath: b.txt\n"
    )
    _, context = _context(root)
    with pytest.raises(CatalogConfigError) as raised:
        context.catalog  # noqa: B018
    message = str(raised.value)
    assert "conf/base/catalog.yml, dataset 'cars'" in message
    assert "conf/local/catalog.yml, dataset 'boats'" in message


def test_no_parameters_files_means_no_parameters(project):
    root = project()
    (root / "conf" / "base" / "parameters.yml").unlink()
    _, context = _context(root)
    assert context.params == {}
    assert context.catalog.load("parameters") == {}
