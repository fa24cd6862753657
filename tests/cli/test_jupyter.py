"""``ordino ipython`` and ``ordino jupyter``: the extension loads, tools are named."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from click.testing import CliRunner

from ordino.cli.main import cli


@pytest.fixture
def tiny(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from ordino.testing import make_project

    root = make_project(tmp_path / "nb", package_name="nb_project")
    monkeypatch.chdir(root)
    return root


@pytest.mark.slow
def test_ipython_defines_the_project_variables(tiny: Path, run_ordino) -> None:
    result = run_ordino(
        "ipython",
        "--env",
        "base",
        "-c",
        "print(sorted(pipelines), type(catalog).__name__, context.env)",
        cwd=tiny,
    )
    assert result.returncode == 0, result.stderr
    assert "['__default__', 'demo'] DataCatalog base" in result.stdout


@pytest.mark.skipif(
    importlib.util.find_spec("ipykernel") is not None, reason="ipykernel installed"
)
def test_jupyter_setup_names_the_missing_kernel_package(
    tiny: Path, fresh_project_state: None
) -> None:
    result = CliRunner().invoke(cli, ["jupyter", "setup"])
    assert result.exit_code == 1
    assert "ipykernel is not installed" in result.output
    assert "pip install ipykernel" in result.output


@pytest.mark.skipif(
    importlib.util.find_spec("jupyterlab") is not None, reason="jupyterlab installed"
)
def test_jupyter_lab_names_the_missing_package(
    tiny: Path, fresh_project_state: None
) -> None:
    result = CliRunner().invoke(cli, ["jupyter", "lab"])
    assert result.exit_code == 1
    assert "pip install jupyterlab" in result.output
