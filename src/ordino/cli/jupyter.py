"""``ordino ipython`` and ``ordino jupyter setup|notebook|lab``.

All of them load the ``ordino.ipython`` extension, which defines ``catalog``,
``context``, ``session`` and ``pipelines`` for the project. IPython and Jupyter are
optional: a missing one is named with the command that installs it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import click

from ordino.errors import MissingDependencyError


def _require(module: str, what: str, install: str) -> None:
    if importlib.util.find_spec(module) is None:
        raise MissingDependencyError(
            f"{what} is not installed in this environment ({sys.executable}).",
            install=install,
            hint=f"Install it with: {install}",
        )


def _environment(env: str | None) -> dict[str, str]:
    variables = dict(os.environ)
    if env:
        variables["ORDINO_ENV"] = env
    return variables


@click.command(
    "ipython",
    context_settings={
        "help_option_names": ["-h", "--help"],
        "ignore_unknown_options": True,
    },
)
@click.option("--env", "-e", help="Configuration environment to load.")
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def ipython(env: str | None, args: tuple[str, ...]) -> None:
    """Open IPython with the project loaded (extra ARGS go to IPython)."""
    from ordino.cli.project import require_project

    root = require_project()
    _require("IPython", "IPython", 'pip install "ordino[ipython]"')
    command = [sys.executable, "-m", "IPython", "--ext", "ordino.ipython", *args]
    code = subprocess.call(command, cwd=root, env=_environment(env))
    sys.exit(code)


@click.group("jupyter", context_settings={"help_option_names": ["-h", "--help"]})
def jupyter() -> None:
    """Jupyter with the project loaded: a kernel, notebook or lab."""


def kernel_name(package_name: str) -> str:
    """The kernel ``ordino jupyter setup`` installs for a package."""
    return f"ordino_{package_name}"


@jupyter.command("setup")
def setup() -> None:
    """Install a Jupyter kernel that loads the project."""
    from ordino.cli.project import bootstrap

    metadata = bootstrap()
    _require("ipykernel", "ipykernel", "pip install ipykernel")
    _require("jupyter_core", "jupyter_core", 'pip install "ordino[ipython]"')
    from jupyter_core.paths import jupyter_data_dir

    name = kernel_name(str(metadata.package_name))
    folder = Path(jupyter_data_dir()) / "kernels" / name
    folder.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [
            sys.executable,
            "-m",
            "ipykernel_launcher",
            "-f",
            "{connection_file}",
            "--ext",
            "ordino.ipython",
        ],
        "display_name": f"{metadata.project_name} (ordino)",
        "language": "python",
        "env": {"ORDINO_PROJECT_PATH": str(metadata.project_path)},
    }
    temporary = folder / "kernel.json.tmp"
    temporary.write_text(json.dumps(spec, indent=2), encoding="utf-8")
    os.replace(temporary, folder / "kernel.json")
    click.echo(f"Installed the kernel '{name}' in {folder}")


def _open(app: str, module: str, env: str | None, args: tuple[str, ...]) -> None:
    from ordino.cli.project import bootstrap

    metadata = bootstrap()
    _require(module, f"Jupyter {app}", f"pip install {module}")
    jupyter_command = shutil.which("jupyter") or "jupyter"
    name = kernel_name(str(metadata.package_name))
    command = [
        jupyter_command,
        app,
        f"--MultiKernelManager.default_kernel_name={name}",
        *args,
    ]
    click.echo(
        f"Starting Jupyter {app} with the kernel '{name}' "
        "(run `ordino jupyter setup` once to install it).",
        err=True,
    )
    code = subprocess.call(command, cwd=metadata.project_path, env=_environment(env))
    sys.exit(code)


@jupyter.command("notebook", context_settings={"ignore_unknown_options": True})
@click.option("--env", "-e", help="Configuration environment to load.")
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def notebook(env: str | None, args: tuple[str, ...]) -> None:
    """Open Jupyter Notebook (extra ARGS go to Jupyter)."""
    _open("notebook", "notebook", env, args)


@jupyter.command("lab", context_settings={"ignore_unknown_options": True})
@click.option("--env", "-e", help="Configuration environment to load.")
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def lab(env: str | None, args: tuple[str, ...]) -> None:
    """Open JupyterLab (extra ARGS go to Jupyter)."""
    _open("lab", "jupyterlab", env, args)
