"""``ordino starter list``: the starters ``ordino new --starter`` accepts."""

from __future__ import annotations

import click


@click.group("starter", context_settings={"help_option_names": ["-h", "--help"]})
def starter() -> None:
    """Starters: ready-made projects for `ordino new --starter`."""


@starter.command("list")
def list_starters() -> None:
    """List the starters, built in and from installed plugins."""
    from ordino.cli.starters import available_starters

    starters = available_starters()
    width = max(len(alias) for alias in starters)
    for alias, spec in sorted(starters.items()):
        click.echo(
            f"{alias.ljust(width)}  ({spec.origin})  {spec.description}".rstrip()
        )
    click.echo("\nUse one with: ordino new --starter <name>  (or a local folder)")
