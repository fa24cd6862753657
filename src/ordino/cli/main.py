"""The ``ordino`` command's entry point: answers the cheapest questions without click.

Start-up cost is a feature. ``ordino --version`` answers from here alone, and
``ordino --help`` on a terminal of normal width (80 columns or more) prints help
built from the table below, byte for byte what click would print (a test keeps the
two equal); everything else goes to the click group in :mod:`ordino.cli.root`, whose
sub-commands live in their own modules and are imported only when invoked.

The root group is also the error boundary: every :class:`~ordino.errors.OrdinoError`
raised by a command becomes one ``Error: ...`` message and exit code 1, without a
traceback unless ``--verbose`` was given; click's usage errors keep exit code 2.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from ordino import __version__

# command name -> ("module:attribute", one-line help shown by ``ordino --help``)
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "new": (
        "ordino.cli.new:new",
        "Create a new project from the template or a starter.",
    ),
    "starter": (
        "ordino.cli.starter:starter",
        "List the starters `ordino new` can use.",
    ),
    "info": ("ordino.cli.info:info", "Show ordino's version and installed plugins."),
    "run": ("ordino.cli.run:run", "Run the project's pipeline, or a slice of it."),
    "pipeline": (
        "ordino.cli.pipeline:pipeline",
        "Create or delete a pipeline in the project.",
    ),
    "catalog": (
        "ordino.cli.catalog:catalog",
        "Describe the data catalog's datasets and patterns (YAML).",
    ),
    "registry": (
        "ordino.cli.registry:registry",
        "List and describe the registered pipelines.",
    ),
    "ipython": (
        "ordino.cli.jupyter:ipython",
        "Open IPython with the project's catalog, context and pipelines.",
    ),
    "jupyter": (
        "ordino.cli.jupyter:jupyter",
        "Set up a Jupyter kernel for the project, open notebook or lab.",
    ),
    "package": (
        "ordino.cli.package:package",
        "Build the project as a wheel plus a conf archive in dist/.",
    ),
}

_HELP_HEAD = """\
Usage: ordino [OPTIONS] COMMAND [ARGS]...

  ordino: order for data and machine-learning workflows.

  Project commands (run, pipeline, catalog, registry, ipython, jupyter,
  package) work inside a project: a folder, or a sub-folder of one, whose
  pyproject.toml has a [tool.ordino] section. Create one with `ordino new`.

  Shell completion (bash): eval "$(_ORDINO_COMPLETE=bash_source ordino)"

Options:
  -V, --version  Show the version and exit.
  -v, --verbose  Show full tracebacks and debug logs when something goes
                 wrong.
  -h, --help     Show this message and exit.

Commands:
"""


def fast_help() -> str:
    """The root help as click renders it at its full width of 78 columns."""
    width = max(len(name) for name in LAZY_COMMANDS)
    rows = [
        f"  {name.ljust(width)}  {summary}"
        for name, (_, summary) in sorted(LAZY_COMMANDS.items())
    ]
    return _HELP_HEAD + "\n".join(rows) + "\n"


def _terminal_columns() -> int:
    # what shutil.get_terminal_size() (click's source) reports, without shutil
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return 80


def _answer_without_click(args: list[str]) -> bool:
    """Print the version or the root help if that is all that was asked."""
    if args in (["--version"], ["-V"]):
        print(f"ordino, version {__version__}")
        return True
    if args in (["--help"], ["-h"]) and _terminal_columns() >= 80:
        from ordino.cli.plugins import entry_points

        if entry_points("ordino.global_commands") or entry_points(
            "ordino.project_commands"
        ):
            return False  # plugin commands: let click list them
        sys.stdout.write(fast_help())
        return True
    return False


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``ordino`` console script."""
    args = sys.argv[1:] if argv is None else list(argv)
    if _answer_without_click(args):
        sys.exit(0)
    from ordino.cli.root import cli

    cli.main(args=args, prog_name="ordino")


def __getattr__(name: str) -> Any:
    # ``from ordino.cli.main import cli`` keeps working; click loads only then
    if name in ("cli", "LazyGroup", "OrdinoGroup"):
        from ordino.cli import root

        return getattr(root, name)
    raise AttributeError(f"module 'ordino.cli.main' has no attribute {name!r}")
