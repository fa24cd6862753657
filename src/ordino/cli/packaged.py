"""Running a packaged project: what ``python -m <package>`` calls.

An installed project has no ``pyproject.toml`` around it: the package is configured
directly and the current folder is the project path (the configuration comes from
``./conf`` or ``--conf-source``). The options are those of ``ordino run``.
"""

from __future__ import annotations

from collections.abc import Sequence


def run_packaged(package_name: str, argv: Sequence[str]) -> None:
    """Parse ``ordino run`` options from ``argv`` and run the installed package."""
    from ordino.cli.root import cli

    args = list(argv)
    flags = [a for a in args if a in ("--verbose", "-v")]
    rest = [a for a in args if a not in ("--verbose", "-v")]
    cli.main(
        args=[*flags, "run", *rest],
        prog_name=f"python -m {package_name}",
        obj={"packaged": package_name},
    )
