"""The CLI's error boundary: one ``Error: ...`` message, an exit code, no traceback.

Every command runs through :func:`run_with_boundary`, which also calls the CLI hooks
(``before_command_run`` / ``after_command_run``) of plugins registered under the
``ordino.cli_hooks`` entry point group.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

from ordino.errors import OrdinoError

VERBOSE_HINT = "Run again with 'ordino --verbose ...' to see the full traceback."


def is_verbose(ctx: click.Context | None = None) -> bool:
    """Whether ``--verbose`` was given to the root command."""
    ctx = ctx or click.get_current_context(silent=True)
    root = ctx.find_root() if ctx else None
    return bool(root and isinstance(root.obj, dict) and root.obj.get("verbose"))


def echo_error(message: str) -> None:
    """Print one error message the way every ordino command does.

    Credential values the project loaded are masked: a library's message may
    echo a connection string.
    """
    from ordino.framework.secrets import mask_secrets

    click.echo(f"Error: {mask_secrets(message)}", err=True)


def run_with_boundary(ctx: click.Context, invoke: Callable[[], Any]) -> Any:
    """Run ``invoke``; turn any failure into a message and an exit code."""
    hooks = _cli_hooks(ctx)
    exit_code = 0
    try:
        return invoke()
    except click.exceptions.Exit as exc:
        exit_code = exc.exit_code
        raise
    except click.ClickException as exc:
        exit_code = exc.exit_code
        raise
    except click.Abort:
        exit_code = 1
        raise
    except OrdinoError as exc:
        # RunInterruptedError is also a KeyboardInterrupt: the shell's code for Ctrl-C
        exit_code = 130 if isinstance(exc, KeyboardInterrupt) else 1
        _print_traceback_if_verbose(ctx)
        echo_error(str(exc))
    except KeyboardInterrupt:
        exit_code = 130
        echo_error("interrupted (Ctrl-C). Nothing was left half-written.")
    except Exception as exc:
        exit_code = 1
        _print_traceback_if_verbose(ctx)
        text = str(exc).strip() or "(no message)"
        echo_error(f"{type(exc).__name__}: {text}\n  {VERBOSE_HINT}")
    finally:
        if hooks is not None:
            hooks(exit_code)
    ctx.exit(exit_code)
    return None


def _print_traceback_if_verbose(ctx: click.Context) -> None:
    if is_verbose(ctx):
        import traceback

        from ordino.framework.secrets import mask_secrets

        # The chained library errors are printed as raised: mask what they echo.
        sys.stderr.write(mask_secrets(traceback.format_exc()))


def _cli_hooks(ctx: click.Context) -> Callable[[int], None] | None:
    """Call ``before_command_run`` now; return the ``after_command_run`` caller."""
    from ordino.cli.plugins import entry_points

    points = entry_points("ordino.cli_hooks")
    if not points:
        return None
    from ordino.cli.hooks import CLIHooks

    manager = CLIHooks.from_entry_points(points)
    args = list(ctx.meta.get("ordino.argv", []))
    metadata = _project_metadata()
    manager.before_command_run(project_metadata=metadata, command_args=args)

    def after(exit_code: int) -> None:
        manager.after_command_run(
            project_metadata=metadata, command_args=args, exit_code=exit_code
        )

    return after


def _project_metadata() -> Any:
    from ordino.cli.project import find_project_root

    root = find_project_root()
    if root is None:
        return None
    try:
        from ordino.framework.startup import bootstrap_project

        return bootstrap_project(root)
    except Exception:
        return None
