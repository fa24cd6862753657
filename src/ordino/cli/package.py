"""``ordino package``: the project as a wheel plus its configuration as an archive.

``dist/<name>-<version>-py3-none-any.whl`` holds the Python package (installable
anywhere, ``python -m <package>`` runs it) and ``dist/conf-<package>.tar.gz`` the
``conf`` folder without ``local/`` (machine settings and credentials stay behind).
Run the installed package with ``python -m <package> --conf-source
dist/conf-<package>.tar.gz``.
"""

from __future__ import annotations

import importlib
import os
import sys
import tarfile
from pathlib import Path
from typing import Any

import click

from ordino.errors import ProjectError

# development tools of the project template: not dependencies of the wheel
DEV_REQUIREMENTS = ("pytest", "ruff", "mypy", "coverage")


@click.command("package", context_settings={"help_option_names": ["-h", "--help"]})
def package() -> None:
    """Build dist/<name>-<version>.whl and dist/conf-<package>.tar.gz."""
    from ordino.cli.project import bootstrap, source_package_dir
    from ordino.cli.wheel import build_wheel, read_requirements

    metadata = bootstrap()
    root = Path(metadata.project_path)
    name, version = _distribution(root)
    conf = _conf_folder(root)  # checked first: a failure leaves no half of dist/
    requirements = [
        r
        for r in read_requirements(root / "requirements.txt")
        if not r.lower().startswith(DEV_REQUIREMENTS)
    ]
    dist = root / "dist"
    package_name = str(metadata.package_name)
    wheel = build_wheel(
        package_dir=source_package_dir(metadata),
        distribution=name,
        version=version,
        output_dir=dist,
        requires=requirements,
        scripts={name: f"{package_name}.__main__:main"},
        summary=str(metadata.project_name),
    )
    conf = _conf_archive(conf, dist, package_name)
    click.echo(f"Built {wheel.relative_to(root)}")
    click.echo(f"Built {conf.relative_to(root)}")
    click.echo(
        f"Install and run it anywhere: pip install {wheel.name} && "
        f"python -m {package_name} --conf-source {conf.name}"
    )


def _distribution(root: Path) -> tuple[str, str]:
    # tomllib is in the standard library from 3.11; tomli is the same parser before
    toml: Any = importlib.import_module(
        "tomllib" if sys.version_info >= (3, 11) else "tomli"
    )
    with (root / "pyproject.toml").open("rb") as handle:
        project = toml.load(handle).get("project", {})
    name, version = project.get("name"), project.get("version")
    if not isinstance(name, str) or not isinstance(version, str):
        raise ProjectError(
            f"{root / 'pyproject.toml'}: [project] needs a name and a static version "
            "to build a wheel.",
            hint='Add for example: [project] name = "my-project" version = "0.1.0"',
        )
    return name, version


def _conf_folder(root: Path) -> Path:
    from ordino.framework.project import settings

    conf = root / str(settings.CONF_SOURCE)
    if not conf.is_dir():
        raise ProjectError(
            f"No configuration folder {conf} to package.",
            hint="Create conf/base, or set CONF_SOURCE in settings.py.",
        )
    return conf


def _conf_archive(conf: Path, dist: Path, package_name: str) -> Path:
    target = dist / f"conf-{package_name}.tar.gz"
    temporary = target.with_name(target.name + ".part")

    def keep(info: tarfile.TarInfo) -> tarfile.TarInfo | None:
        parts = Path(info.name).parts
        return None if len(parts) > 1 and parts[1] == "local" else info

    try:
        with tarfile.open(temporary, "w:gz") as archive:
            archive.add(conf, arcname=conf.name, filter=keep)
            # an empty local/ keeps the default run environment valid on the target
            folder = tarfile.TarInfo(f"{conf.name}/local")
            folder.type = tarfile.DIRTYPE
            folder.mode = 0o755
            archive.addfile(folder)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target
