"""``ordino info``: versions and installed plugins, for bug reports."""

from __future__ import annotations

import platform
import sys

import click

from ordino import __version__


@click.command("info", context_settings={"help_option_names": ["-h", "--help"]})
def info() -> None:
    """Show ordino's version, Python's, and the installed plugins."""
    from ordino.cli.plugins import installed_plugins

    click.echo(f"ordino {__version__}")
    click.echo(
        f"Python {platform.python_version()} ({sys.executable}) on "
        f"{platform.system()} {platform.machine()}"
    )
    plugins = installed_plugins()
    if not plugins:
        click.echo("No plugins installed.")
        return
    click.echo("Installed plugins:")
    for name, groups in sorted(plugins.items()):
        click.echo(f"  {name}: {', '.join(groups)}")
