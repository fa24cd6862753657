from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from ordino import __version__
from ordino.errors import ProjectNotFoundError
from ordino.framework import project as project_module
from ordino.framework.startup import bootstrap_project, find_project_root


def test_bootstrap_reads_metadata_and_configures_the_project(project):
    root = project(package_name="spaceflights", project_name="Space Flights")
    metadata = bootstrap_project(root)
    assert metadata.package_name == "spaceflights"
    assert metadata.project_name == "Space Flights"
    assert metadata.ordino_init_version == __version__
    assert metadata.project_path == root.resolve()
    assert metadata.source_dir == (root / "src").resolve()
    assert metadata.config_file == root.resolve() / "pyproject.toml"
    assert project_module.PACKAGE_NAME == "spaceflights"
    assert project_module.settings.module_name == "spaceflights.settings"


def test_bootstrap_puts_the_source_dir_on_sys_path_and_pythonpath(project):
    root = project()
    bootstrap_project(root)
    source = str((root / "src").resolve())
    assert sys.path[0] == source
    assert source in os.environ["PYTHONPATH"].split(os.pathsep)
    import demo_project  # noqa: F401 - importable now

    bootstrap_project(root)  # twice: no duplicate entry
    assert sys.path.count(source) == 1


def test_custom_source_dir(project):
    root = project()
    (root / "src").rename(root / "code")
    text = (root / "pyproject.toml").read_text().replace('"src"', '"code"')
    (root / "pyproject.toml").write_text(text)
    assert bootstrap_project(root).source_dir == (root / "code").resolve()


def test_no_pyproject_is_not_a_project(tmp_path):
    with pytest.raises(
        ProjectNotFoundError, match=r"No ordino project at .*no pyproject.toml"
    ) as info:
        bootstrap_project(tmp_path)
    assert "ordino new" in str(info.value)


def test_pyproject_without_tool_ordino(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    with pytest.raises(
        ProjectNotFoundError, match=r"pyproject.toml has no \[tool.ordino\] table"
    ):
        bootstrap_project(tmp_path)


def test_malformed_toml_names_the_file(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.ordino\npackage_name = 1\n")
    with pytest.raises(
        ProjectNotFoundError, match=r"pyproject.toml: not valid TOML"
    ) as info:
        bootstrap_project(tmp_path)
    assert info.value.path == str(tmp_path.resolve() / "pyproject.toml")


def test_missing_required_key(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.ordino]\nproject_name = "x"\nordino_init_version = "0.1.0"\n'
    )
    with pytest.raises(
        ProjectNotFoundError, match=r"missing required key\(s\) 'package_name'"
    ) as info:
        bootstrap_project(tmp_path)
    assert info.value.key == "package_name"


def test_misspelt_key_gets_did_you_mean(project):
    root = project()
    text = (root / "pyproject.toml").read_text().replace("source_dir", "sourc_dir")
    (root / "pyproject.toml").write_text(text)
    with pytest.raises(
        ProjectNotFoundError,
        match=r"unknown key 'sourc_dir'.*\n.*Did you mean 'source_dir'",
    ):
        bootstrap_project(root)


def test_unrelated_keys_of_plugins_are_allowed(project):
    root = project()
    with (root / "pyproject.toml").open("a") as stream:
        stream.write("viz_port = 4141\n")
    assert bootstrap_project(root).package_name == "demo_project"


def test_wrong_type_and_invalid_package_name(project):
    root = project()
    text = (root / "pyproject.toml").read_text()
    (root / "pyproject.toml").write_text(
        text.replace('package_name = "demo_project"', "package_name = 3")
    )
    with pytest.raises(
        ProjectNotFoundError, match=r"'package_name' must be a string, got int 3"
    ):
        bootstrap_project(root)
    (root / "pyproject.toml").write_text(
        text.replace('package_name = "demo_project"', 'package_name = "demo-project"')
    )
    with pytest.raises(
        ProjectNotFoundError,
        match=r"package_name 'demo-project' is not a valid Python package name",
    ):
        bootstrap_project(root)


def test_missing_source_dir(project):
    root = project()
    text = (root / "pyproject.toml").read_text().replace('"src"', '"source"')
    (root / "pyproject.toml").write_text(text)
    with pytest.raises(
        ProjectNotFoundError, match=r"source directory .*source does not exist"
    ) as info:
        bootstrap_project(root)
    assert info.value.key == "source_dir"


def test_incompatible_init_version(project):
    root = project(ordino_init_version="7.0.0")
    with pytest.raises(
        ProjectNotFoundError, match=r"made with ordino 7.0.0, which is not compatible"
    ):
        bootstrap_project(root)


def test_find_project_root_walks_up(project, tmp_path):
    root = project()
    nested = root / "notebooks" / "deep"
    nested.mkdir(parents=True)
    assert find_project_root(nested) == root.resolve()
    assert find_project_root(tmp_path) is None


def test_find_project_root_ignores_other_pyprojects(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text("[tool.black]\nline-length = 88\n")
    assert find_project_root(tmp_path) is None
