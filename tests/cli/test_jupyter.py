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


def _pretend_installed(monkeypatch: pytest.MonkeyPatch, *modules: str) -> None:
    """Make ``find_spec`` report ``modules`` as installed (they are optional)."""
    import importlib.machinery

    real = importlib.util.find_spec

    def find_spec(name: str, *args: object, **kwargs: object) -> object:
        if name in modules:
            return importlib.machinery.ModuleSpec(name, None)
        return real(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)


@pytest.mark.skipif(
    importlib.util.find_spec("jupyter_core") is None, reason="needs jupyter_core"
)
def test_jupyter_setup_writes_the_kernel_spec(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_project_state
) -> None:
    import json
    import sys

    data_dir = tmp_path / "jupyter_data"
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(data_dir))
    _pretend_installed(monkeypatch, "ipykernel")
    for _ in range(2):  # running it again replaces the kernel, it does not fail
        result = CliRunner().invoke(cli, ["jupyter", "setup"])
        assert result.exit_code == 0, result.output
    spec_file = data_dir / "kernels" / "ordino_nb_project" / "kernel.json"
    assert f"Installed the kernel 'ordino_nb_project' in {spec_file.parent}" in (
        result.output
    )
    assert sorted(p.name for p in spec_file.parent.iterdir()) == ["kernel.json"]
    spec = json.loads(spec_file.read_text(encoding="utf-8"))
    assert spec == {
        "argv": [
            sys.executable,
            "-m",
            "ipykernel_launcher",
            "-f",
            "{connection_file}",
            "--ext",
            "ordino.ipython",
        ],
        "display_name": "Demo Project (ordino)",
        "language": "python",
        "env": {"ORDINO_PROJECT_PATH": str(tiny.resolve())},
    }


@pytest.mark.parametrize(
    ("app", "module"), [("notebook", "notebook"), ("lab", "jupyterlab")]
)
def test_jupyter_notebook_and_lab_launch_jupyter_with_the_kernel(
    tiny: Path,
    monkeypatch: pytest.MonkeyPatch,
    fresh_project_state,
    app: str,
    module: str,
) -> None:
    from ordino.cli import jupyter

    _pretend_installed(monkeypatch, module)
    monkeypatch.setattr(jupyter.shutil, "which", lambda name: f"/opt/bin/{name}")
    calls: list[tuple[list[str], object, dict[str, str]]] = []

    def call(command: list[str], *, cwd: object, env: dict[str, str]) -> int:
        calls.append((command, cwd, env))
        return 0

    monkeypatch.setattr(jupyter.subprocess, "call", call)
    result = CliRunner().invoke(
        cli, ["jupyter", app, "--env", "base", "--no-browser", "--port", "8899"]
    )
    assert result.exit_code == 0, result.output
    [(command, cwd, env)] = calls
    assert command == [
        "/opt/bin/jupyter",
        app,
        "--MultiKernelManager.default_kernel_name=ordino_nb_project",
        "--no-browser",
        "--port",
        "8899",
    ]
    assert Path(str(cwd)).resolve() == tiny.resolve()
    assert env["ORDINO_ENV"] == "base"
    assert "kernel 'ordino_nb_project'" in result.output


def test_jupyter_exit_code_is_passed_on(
    tiny: Path, monkeypatch: pytest.MonkeyPatch, fresh_project_state
) -> None:
    from ordino.cli import jupyter

    _pretend_installed(monkeypatch, "jupyterlab")
    monkeypatch.setattr(jupyter.subprocess, "call", lambda *a, **k: 3)
    result = CliRunner().invoke(cli, ["jupyter", "lab"])
    assert result.exit_code == 3
