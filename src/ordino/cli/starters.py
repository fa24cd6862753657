"""Starters: overlays on the project template that ``ordino new --starter`` applies.

ordino ships one, ``spaceflights`` (the example of ``ordino new --example yes``);
plugins add more through the ``ordino.starters`` entry point group, whose object is a
list of :class:`StarterSpec` (or of objects with ``alias`` and ``template_path``). A
local folder works too: ``ordino new --starter ./my-starter``. Starters are files on
disk; ordino never downloads one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import click

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
PROJECT_TEMPLATE = TEMPLATES / "project"
DEFAULT_STARTER = "spaceflights"


@dataclass(frozen=True)
class StarterSpec:
    """A named starter: a folder overlaid on the project template."""

    alias: str
    template_path: str
    description: str = ""
    origin: str = "ordino"
    tools: tuple[str, ...] = field(default=())


BUILTIN = (
    StarterSpec(
        alias=DEFAULT_STARTER,
        template_path=str(TEMPLATES / "starters" / "spaceflights"),
        description="Price space shuttles: synthetic data made offline, two "
        "pipelines, two model variants under namespaces, metrics and a plot.",
        tools=("test", "data"),
    ),
)


def available_starters() -> dict[str, StarterSpec]:
    """Built-in starters, then those of plugins (which cannot replace them)."""
    starters = {spec.alias: spec for spec in BUILTIN}
    from ordino.cli.plugins import entry_points

    for ep in entry_points("ordino.starters"):
        try:
            specs = ep.load()
        except Exception as exc:
            click.echo(
                f"Warning: could not load starters of '{ep.distribution}': {exc}",
                err=True,
            )
            continue
        for spec in specs if isinstance(specs, (list, tuple)) else [specs]:
            alias = str(getattr(spec, "alias", ""))
            path = str(getattr(spec, "template_path", ""))
            if alias and path and alias not in starters:
                starters[alias] = StarterSpec(
                    alias=alias,
                    template_path=path,
                    description=str(getattr(spec, "description", "") or ""),
                    origin=ep.distribution,
                )
    return starters


def resolve_starter(name: str) -> StarterSpec:
    """A starter by alias, or a local folder; anything else says what exists."""
    from ordino.errors import ProjectError
    from ordino.suggest import closest_matches

    starters = available_starters()
    spec = starters.get(name)
    if spec is None and Path(name).expanduser().is_dir():
        spec = StarterSpec(
            alias=name,
            template_path=str(Path(name).expanduser()),
            origin="local folder",
        )
    if spec is None:
        remote = name.startswith(("git+", "http://", "https://", "git@", "gh:"))
        hint = (
            "ordino does not download starters: clone it first and pass the folder."
            if remote
            else "List the starters with: ordino starter list"
        )
        raise ProjectError(
            f"Unknown starter '{name}': it is neither a known starter nor a folder.",
            suggestions=closest_matches(name, starters),
            hint=hint,
        )
    path = Path(spec.template_path)
    if not path.is_dir():
        raise ProjectError(
            f"Starter '{spec.alias}' ({spec.origin}) points to {path}, which is not "
            "a folder.",
            hint="Reinstall the plugin that provides it, or pass a local folder.",
        )
    return spec
