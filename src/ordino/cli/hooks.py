"""CLI hooks: plugins that run code before and after every ``ordino`` command.

A plugin exposes an object (or class) under the ``ordino.cli_hooks`` entry point
group whose methods are marked with :data:`cli_hook_impl`::

    from ordino.cli.hooks import cli_hook_impl

    class Timer:
        @cli_hook_impl
        def before_command_run(self, project_metadata, command_args):
            ...

        @cli_hook_impl
        def after_command_run(self, project_metadata, command_args, exit_code):
            ...

    hooks = Timer()   # [project.entry-points."ordino.cli_hooks"] timer = "pkg:hooks"

The same two hooks as Kedro's ``kedro.framework.cli.hooks``, under the project name
``ordino_cli``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import click
import pluggy

if TYPE_CHECKING:
    from ordino.cli.plugins import EntryPoint

CLI_HOOK_NAMESPACE = "ordino_cli"
cli_hook_spec = pluggy.HookspecMarker(CLI_HOOK_NAMESPACE)
cli_hook_impl = pluggy.HookimplMarker(CLI_HOOK_NAMESPACE)


class CLICommandSpecs:
    """The specifications of the CLI hooks."""

    @cli_hook_spec
    def before_command_run(
        self, project_metadata: Any, command_args: list[str]
    ) -> None:
        """Called before a command runs, with the arguments as typed."""

    @cli_hook_spec
    def after_command_run(
        self, project_metadata: Any, command_args: list[str], exit_code: int
    ) -> None:
        """Called after a command ran, with its exit code (0 on success)."""


class CLIHooks:
    """A pluggy manager for the CLI hooks with keyword-only callers."""

    def __init__(self) -> None:
        self._manager = pluggy.PluginManager(CLI_HOOK_NAMESPACE)
        self._manager.add_hookspecs(CLICommandSpecs)

    @classmethod
    def from_entry_points(cls, points: Iterable[EntryPoint]) -> CLIHooks:
        """Load and register every plugin; a broken one is reported and skipped."""
        hooks = cls()
        for ep in points:
            try:
                plugin = ep.load()
                hooks.register(plugin() if isinstance(plugin, type) else plugin)
            except Exception as exc:
                click.echo(
                    f"Warning: could not load CLI hooks '{ep.name}' of plugin "
                    f"'{ep.distribution}': {exc}",
                    err=True,
                )
        return hooks

    def register(self, plugin: object) -> None:
        """Register one hooks object."""
        self._manager.register(plugin)

    def before_command_run(
        self, *, project_metadata: Any, command_args: list[str]
    ) -> None:
        """Call every plugin's ``before_command_run``."""
        self._manager.hook.before_command_run(
            project_metadata=project_metadata, command_args=command_args
        )

    def after_command_run(
        self, *, project_metadata: Any, command_args: list[str], exit_code: int
    ) -> None:
        """Call every plugin's ``after_command_run``."""
        self._manager.hook.after_command_run(
            project_metadata=project_metadata,
            command_args=command_args,
            exit_code=exit_code,
        )
