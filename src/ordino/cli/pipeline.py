"""``ordino pipeline create|delete``: add or remove a pipeline's files in a project.

``create`` renders the pipeline template into a staging folder first and moves the
files in only when none of them exists yet; ``delete`` lists what it will remove and
asks first (``--yes`` skips the question).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import click

from ordino.errors import ProjectError

PIPELINE_TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "pipeline"


@click.group("pipeline", context_settings={"help_option_names": ["-h", "--help"]})
def pipeline() -> None:
    """Create or delete a pipeline of the project."""


@pipeline.command("create")
@click.argument("name")
@click.option("--skip-config", is_flag=True, help="Do not create a parameters file.")
@click.option(
    "--template",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A pipeline template folder laid out like ordino's own.",
)
@click.option(
    "--env",
    "-e",
    default="base",
    show_default=True,
    help="Environment in which to create the parameters file.",
)
def create(name: str, skip_config: bool, template: Path | None, env: str) -> None:
    """Create the pipeline NAME: package, parameters file and tests."""
    from ordino.cli.names import check_pipeline_name
    from ordino.cli.project import bootstrap
    from ordino.cli.render import render_into

    check_pipeline_name(name)
    metadata = bootstrap()
    root = Path(metadata.project_path)
    conf_root = root / _conf_source()
    if not skip_config and not (conf_root / env).is_dir():
        raise ProjectError(
            f"Unknown environment '{env}': there is no folder {conf_root / env}.",
            hint="Create it, pick an existing one with --env, or use --skip-config.",
        )
    variables: dict[str, object] = {
        "pipeline_name": name,
        "package_name": metadata.package_name,
        "source_dir": _relative(Path(metadata.source_dir), root),
        "env": env,
        "conf_dir": _relative(conf_root, root),
    }

    def include(path: Path) -> bool:
        in_conf = path.as_posix().startswith(f"{variables['conf_dir']}/")
        return not (skip_config and in_conf)

    staging = Path(tempfile.mkdtemp(prefix=".ordino-pipeline-", dir=root))
    try:
        files = render_into(
            [template or PIPELINE_TEMPLATE], staging, variables, include=include
        )
        clashes = [f for f in files if (root / f).exists()]
        if clashes:
            raise ProjectError(
                f"Pipeline '{name}' already exists: {clashes[0]} is there.",
                hint=f"Choose another name, or remove it first: "
                f"ordino pipeline delete {name}",
            )
        _move_in(staging, root, files)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    click.echo(f"Created pipeline '{name}':")
    for path in files:
        click.echo(f"  {path.as_posix()}")
    click.echo(f"Run it with: ordino run --pipelines {name}")


def _move_in(staging: Path, root: Path, files: list[Path]) -> None:
    moved: list[Path] = []
    try:
        for target in files:
            (root / target).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / target, root / target)
            moved.append(root / target)
    except BaseException:
        for path in moved:
            path.unlink(missing_ok=True)
        raise


@pipeline.command("delete")
@click.argument("name")
@click.option(
    "--env",
    "-e",
    default="base",
    show_default=True,
    help="Environment from which to delete the parameters file.",
)
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
def delete(name: str, env: str, yes: bool) -> None:
    """Delete the pipeline NAME: package, parameters file and tests."""
    from ordino.cli.names import check_pipeline_name
    from ordino.cli.project import bootstrap, source_package_dir

    check_pipeline_name(name)
    metadata = bootstrap()
    root = Path(metadata.project_path)
    pipelines_dir = source_package_dir(metadata) / "pipelines"
    package = pipelines_dir / name
    if not package.is_dir():
        from ordino.suggest import closest_matches

        known = (
            sorted(
                p.name
                for p in pipelines_dir.glob("*")
                if p.is_dir() and not p.name.startswith(("_", "."))
            )
            if pipelines_dir.is_dir()
            else []
        )
        raise ProjectError(
            f"No pipeline '{name}': there is no folder {_relative(package, root)}.",
            suggestions=closest_matches(name, known),
            hint=f"Pipelines in this project: {', '.join(known) or 'none'}.",
        )
    conf = root / _conf_source() / env
    targets = [
        package,
        conf / f"parameters_{name}.yml",
        conf / "parameters" / f"{name}.yml",
        root / "tests" / "pipelines" / name,
    ]
    existing = [t for t in targets if t.exists()]
    click.echo("This removes:")
    for path in existing:
        click.echo(f"  {_relative(path, root)}{'/' if path.is_dir() else ''}")
    if not yes:
        click.confirm("Delete these files?", abort=True)
    for path in existing:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    click.echo(f"Deleted pipeline '{name}'.")


def _conf_source() -> str:
    from ordino.framework.project import settings

    return str(settings.CONF_SOURCE)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
