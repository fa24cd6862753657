"""The root click group: lazy built-in commands, plugin commands, the error boundary.

Split from :mod:`ordino.cli.main` so that ``ordino --version`` (and ``ordino --help``
on a normal terminal) can answer without importing click at all.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from ordino import __version__
from ordino.cli.main import LAZY_COMMANDS


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
        # (a plain loop: zero-argument super() does not work in a comprehension)
        for name in super().list_commands(ctx):
            if name in self.lazy_commands:
                continue
            command = super().get_command(ctx, name)
            rows.append(
                (name, command.get_short_help_str(formatter.width) if command else "")
            )
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(sorted(rows))


class OrdinoGroup(LazyGroup):
    """The root group: lazy built-ins, plugin commands and the error boundary."""

    _plugins_loaded = False

    def _load_plugin_commands(self) -> None:
        # Plugins come from entry points; a broken plugin must not break ordino.
        if self._plugins_loaded:
            return
        self._plugins_loaded = True
        from ordino.cli.plugins import entry_points

        for group in ("ordino.global_commands", "ordino.project_commands"):
            for ep in entry_points(group):
                try:
                    loaded = ep.load()
                except Exception as exc:
                    click.echo(
                        f"Warning: could not load the commands of plugin "
                        f"'{ep.distribution}' ({ep.value}): {exc}",
                        err=True,
                    )
                    continue
                self._add_plugin_commands(loaded)

    def _add_plugin_commands(self, loaded: Any) -> None:
        if isinstance(loaded, click.Group):
            commands = list(loaded.commands.values())
        elif isinstance(loaded, click.Command):
            commands = [loaded]
        else:
            return
        for command in commands:
            if command.name and command.name not in self.lazy_commands:
                self.add_command(command)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_plugin_commands()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.lazy_commands:
            self._load_plugin_commands()
        return super().get_command(ctx, cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        # click's own message lists nothing; suggest the command the user meant.
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            from ordino.suggest import closest_matches, did_you_mean

            hint = did_you_mean(closest_matches(name, self.list_commands(ctx)))
            message = f"No such command '{name}'."
            raise click.UsageError(
                f"{message} {hint}".strip()
                + " Run 'ordino --help' to list the commands.",
                ctx,
            )
        return super().resolve_command(ctx, args)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # kept for the CLI hooks, which receive the command line as typed
        ctx.meta["ordino.argv"] = list(args)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        from ordino.cli.boundary import run_with_boundary

        return run_with_boundary(ctx, lambda: super(OrdinoGroup, self).invoke(ctx))


@click.group(
    cls=OrdinoGroup,
    lazy_commands=LAZY_COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, "--version", "-V", prog_name="ordino")
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    envvar="ORDINO_VERBOSE",
    help="Show full tracebacks and debug logs when something goes wrong.",
)
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    """ordino: order for data and machine-learning workflows.

    Project commands (run, pipeline, catalog, registry, ipython, jupyter, package)
    work inside a project: a folder, or a sub-folder of one, whose pyproject.toml has
    a [tool.ordino] section. Create one with `ordino new`.

    Shell completion (bash): eval "$(_ORDINO_COMPLETE=bash_source ordino)"
    """
    ctx.ensure_object(dict)
    ctx.obj["verbose"] = verbose
