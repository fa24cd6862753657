"""``ordino new``: create a project from the template, optionally with a starter.

Interactive by default (it asks for the name, the tools and whether to add the
example pipelines); ``--name`` makes it non-interactive, the other answers then take
their defaults. Names are checked before anything is written, and the project is
rendered into a temporary folder renamed into place, so a failure leaves nothing.
"""

from __future__ import annotations

import contextlib
import re
import sys
from pathlib import Path
from typing import Any

import click

from ordino import __version__
from ordino.errors import ProjectError

TOOLS = ("lint", "test", "log", "docs", "data")
DEFAULT_TOOLS = "lint,test,log,data"
# which tool a path of the project template belongs to
TOOL_PATHS = {
    "tests": "test",
    "docs": "docs",
    "data": "data",
    "conf/logging.yml": "log",
}


def parse_tools(value: str) -> tuple[str, ...]:
    """``lint,test``, ``1-3,5``, ``all`` or ``none`` -> tool names, in TOOLS order."""
    text = value.strip().lower()
    if text in ("all", "*"):
        return TOOLS
    if text in ("none", ""):
        return ()
    chosen: set[str] = set()
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        if re.fullmatch(r"\d+(-\d+)?", item):
            first, _, last = item.partition("-")
            low, high = int(first), int(last or first)
            if not 1 <= low <= high <= len(TOOLS):
                raise click.BadParameter(
                    f"'{item}' is not a tool number; choose from 1-{len(TOOLS)}.",
                    param_hint="'--tools'",
                )
            chosen.update(TOOLS[low - 1 : high])
        elif item in TOOLS:
            chosen.add(item)
        else:
            from ordino.suggest import closest_matches, did_you_mean

            hint = did_you_mean(closest_matches(item, TOOLS))
            raise click.BadParameter(
                f"unknown tool '{item}'. {hint} Tools: {', '.join(TOOLS)}, all, none.",
                param_hint="'--tools'",
            )
    return tuple(t for t in TOOLS if t in chosen)


def parse_yes_no(value: str | bool, option: str = "--example") -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("y", "yes", "true", "1"):
        return True
    if text in ("n", "no", "false", "0", ""):
        return False
    raise click.BadParameter(f"'{value}' is not yes or no.", param_hint=f"'{option}'")


@click.command("new", context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--name", "-n", help="Project name, such as 'Spaceflights Demo'.")
@click.option(
    "--tools",
    "-t",
    help=f"Tools to include: {', '.join(TOOLS)} (names or numbers 1-5, "
    f"ranges like 1-3), 'all' or 'none'. Default: {DEFAULT_TOOLS}.",
)
@click.option("--example", "-e", help="Add the example pipelines (spaceflights): y/n.")
@click.option(
    "--starter",
    "-s",
    "starter_name",
    help="A starter alias (see `ordino starter list`) or a local folder.",
)
@click.option(
    "--output-dir",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to create the project folder (default: here).",
)
@click.option(
    "--config",
    "-c",
    "config_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML file with project_name, tools, example_pipeline, "
    "output_dir, repo_name, python_package.",
)
def new(
    name: str | None,
    tools: str | None,
    example: str | None,
    starter_name: str | None,
    output_dir: Path | None,
    config_file: Path | None,
) -> None:
    """Create a new ordino project.

    \b
    Examples:
      ordino new                                   # asks three questions
      ordino new --name "Spaceflights Demo" --example yes
      ordino new --name analytics --tools lint,test,data
    """
    answers = _read_config(config_file) if config_file else {}
    name = name or answers.get("project_name")
    tools = tools if tools is not None else answers.get("tools")
    example = example if example is not None else answers.get("example_pipeline")
    output_dir = output_dir or (
        Path(answers["output_dir"]) if "output_dir" in answers else None
    )
    if starter_name and (tools is not None or example is not None):
        raise click.UsageError(
            "--starter cannot be combined with --tools or --example: a starter "
            "chooses its own tools and pipelines."
        )
    from ordino.cli.names import project_names

    if name is None:
        names = _ask_name()
    else:
        names = project_names(str(name), package_name=answers.get("python_package"))
    if answers.get("repo_name"):
        names = type(names)(
            names.project_name, str(answers["repo_name"]), names.package_name
        )
    if starter_name is None and tools is None:
        tools = DEFAULT_TOOLS if name is not None else _ask("tools", DEFAULT_TOOLS)
    if starter_name is None and example is None:
        example = "no" if name is not None else _ask("example", "no")
    chosen = parse_tools(str(tools)) if tools is not None else ()
    with_example = parse_yes_no(example) if example is not None else False
    target = (output_dir or Path.cwd()).resolve() / names.repo_name
    create_project(
        target, names, tools=chosen, example=with_example, starter=starter_name
    )


def _ask(what: str, default: str) -> str:
    prompts = {
        "tools": "Tools to include ("
        + ", ".join(f"{i}-{t}" for i, t in enumerate(TOOLS, 1))
        + "; or all / none)",
        "example": "Add the example pipelines (spaceflights)? [y/n]",
    }
    try:
        return str(click.prompt(prompts[what], default=default))
    except click.Abort:
        raise ProjectError(
            f"No answer for the {what} question (input ended).",
            hint="Run non-interactively: ordino new --name NAME --tools "
            f"{DEFAULT_TOOLS} --example no",
        ) from None


def _ask_name() -> Any:
    from ordino.cli.names import project_names

    for _ in range(5):
        try:
            answer = click.prompt("Project name", default="New Ordino Project")
        except click.Abort:
            raise ProjectError(
                "No project name given (input ended).",
                hint="Run non-interactively: ordino new --name 'My Project'",
            ) from None
        try:
            return project_names(str(answer))
        except ProjectError as exc:
            click.echo(f"{exc}", err=True)
    raise ProjectError("No valid project name after five tries.")


def _read_config(path: Path) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise click.BadParameter(
            f"{path} is not valid YAML: {exc}", param_hint="'--config'"
        ) from exc
    known = (
        "project_name",
        "tools",
        "example_pipeline",
        "output_dir",
        "repo_name",
        "python_package",
    )
    if not isinstance(data, dict) or not data.get("project_name"):
        raise click.BadParameter(
            f"{path} must be a mapping with at least project_name.",
            param_hint="'--config'",
        )
    unknown = sorted(set(map(str, data)) - set(known))
    if unknown:
        raise click.BadParameter(
            f"{path}: unknown key(s) {', '.join(unknown)}. Known: {', '.join(known)}.",
            param_hint="'--config'",
        )
    return {str(k): v for k, v in data.items()}


def create_project(
    target: Path,
    names: Any,
    *,
    tools: tuple[str, ...],
    example: bool,
    starter: str | None,
) -> None:
    """Render the template (and starter) into ``target`` and say what to do next."""
    from ordino.cli.render import render_tree
    from ordino.cli.starters import DEFAULT_STARTER, PROJECT_TEMPLATE, resolve_starter

    sources = [PROJECT_TEMPLATE]
    starter_alias = starter or (DEFAULT_STARTER if example else None)
    selected = set(tools)
    if starter_alias:
        spec = resolve_starter(starter_alias)
        sources.append(Path(spec.template_path))
        selected.update(spec.tools or ("test", "data"))
    variables: dict[str, object] = {
        "project_name": names.project_name,
        "repo_name": names.repo_name,
        "package_name": names.package_name,
        "ordino_version": __version__,
        "python_version": f"{sys.version_info.major}.{sys.version_info.minor}",
        "example": bool(starter_alias),
        "starter_alias": starter_alias or "",
        "tools_toml": "[" + ", ".join(f'"{t}"' for t in TOOLS if t in selected) + "]",
        **{tool: tool in selected for tool in TOOLS},
    }
    render_tree(sources, target, variables, include=lambda p: _included(p, selected))
    _print_next_steps(target, names, starter_alias, selected)


def _included(path: Path, tools: set[str]) -> bool:
    text = path.as_posix()
    for prefix, tool in TOOL_PATHS.items():
        if (text == prefix or text.startswith(prefix + "/")) and tool not in tools:
            return False
    return True


def _print_next_steps(
    target: Path, names: Any, starter: str | None, tools: set[str]
) -> None:
    where = target
    with contextlib.suppress(ValueError):
        where = target.relative_to(Path.cwd())
    extra = f" with the '{starter}' starter" if starter else ""
    click.echo(f"Created project '{names.project_name}'{extra} in {where}")
    click.echo(
        f"  package: src/{names.package_name}   tools: "
        f"{', '.join(sorted(tools)) or 'none'}"
    )
    click.echo("Next:")
    click.echo(f"  cd {where}")
    click.echo("  pip install -r requirements.txt")
    click.echo("  ordino run")
