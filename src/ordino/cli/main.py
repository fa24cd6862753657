"""The ``ordino`` command: a click group whose sub-commands are imported on demand.

Start-up cost is a feature: ``ordino --version`` and ``ordino --help`` import click and
this module only. Each sub-command lives in its own module and is imported when it is
invoked (or when ``--help`` needs its one-line summary, which is stored here instead).
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from ordino import __version__

# command name -> ("module:attribute", one-line help shown by ``ordino --help``)
LAZY_COMMANDS: dict[str, tuple[str, str]] = {}


class LazyGroup(click.Group):
    """A group that imports a sub-command's module only when it is needed."""

    def __init__(
        self,
        *args: Any,
        lazy_commands: dict[str, tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_commands:
            target, _ = self.lazy_commands[cmd_name]
            module_name, _, attribute = target.partition(":")
            command = getattr(importlib.import_module(module_name), attribute)
            if not isinstance(command, click.Command):
                raise TypeError(f"{target} is not a click command")
            return command
        return super().get_command(ctx, cmd_name)

    def format_commands(
        self, ctx: click.Context, formatter: click.HelpFormatter
    ) -> None:
        # Use the stored summaries so that --help imports no sub-command module.
        rows = [
            (name, self.lazy_commands[name][1])
            for name in self.list_commands(ctx)
            if name in self.lazy_commands
        ]
        rows += [
            (name, (command.get_short_help_str(formatter.width) if command else ""))
            for name in super().list_commands(ctx)
            if name not in self.lazy_commands
            for command in [super().get_command(ctx, name)]
        ]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(sorted(rows))


@click.group(
    cls=LazyGroup,
    lazy_commands=LAZY_COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, "--version", "-V", prog_name="ordino")
def cli() -> None:
    """ordino: order for data and machine-learning workflows."""


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``ordino`` console script."""
    cli.main(args=argv, prog_name="ordino")
