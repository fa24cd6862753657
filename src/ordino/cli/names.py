"""Project, package and pipeline names: derived once, refused with the reason.

``"Space Flights"`` is the project name, ``space-flights`` the folder and
distribution, ``space_flights`` the Python package. A name that would not import, or
would shadow a module Python already has, is refused before anything is written.
"""

from __future__ import annotations

import keyword
import re
import sys
from dataclasses import dataclass

from ordino.errors import ProjectError

_ALLOWED = re.compile(r"[A-Za-z0-9 _-]")
_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")
RESERVED = frozenset({"ordino", "kedro", "src", "conf", "data", "tests", "test"})


@dataclass(frozen=True, slots=True)
class ProjectNames:
    """The three spellings of a project's name."""

    project_name: str
    repo_name: str
    package_name: str


def project_names(name: str, *, package_name: str | None = None) -> ProjectNames:
    """Check a project name and derive its folder and package names."""
    cleaned = " ".join(name.split())
    bad = sorted({c for c in cleaned if not _ALLOWED.match(c)})
    if bad:
        shown = " ".join(repr(c) for c in bad)
        raise ProjectError(
            f"Invalid project name {name!r}: it contains {shown}.",
            hint="Use only letters, digits, spaces, hyphens and underscores, "
            "for example 'Spaceflights Demo'.",
        )
    if len(cleaned) < 2 or not cleaned[0].isalpha():
        raise ProjectError(
            f"Invalid project name {name!r}: it must start with a letter and be at "
            "least two characters long.",
            hint="For example: ordino new --name 'Spaceflights Demo'",
        )
    lowered = cleaned.lower()
    repo = re.sub(r"[ _-]+", "-", lowered).strip("-")
    package = package_name or re.sub(r"[ -]+", "_", lowered).replace("__", "_")
    check_package_name(package, origin=f"project name {name!r}")
    return ProjectNames(cleaned, repo, package)


def check_package_name(package: str, *, origin: str | None = None) -> None:
    """Refuse a Python package name that cannot be imported or would shadow one."""
    source = f" (from the {origin})" if origin else ""
    reason = _package_problem(package)
    if reason:
        raise ProjectError(
            f"Invalid package name '{package}'{source}: {reason}.",
            hint="Choose another name, for example "
            f"'{package}_project' or 'my_{package.strip('_') or 'project'}'.",
        )


def _package_problem(package: str) -> str | None:
    if not _IDENTIFIER.match(package):
        return (
            "a package name must start with a lowercase letter and contain only "
            "lowercase letters, digits and underscores"
        )
    if keyword.iskeyword(package) or keyword.iskeyword(package.capitalize()):
        return f"'{package}' is a Python keyword, so `import {package}` cannot work"
    if package in sys.stdlib_module_names:
        return (
            f"'{package}' is a module of Python's standard library; the project "
            "would hide it from every import"
        )
    if package in RESERVED:
        return f"'{package}' is reserved by ordino or its project layout"
    return None


def check_pipeline_name(name: str) -> None:
    """A pipeline name becomes a Python module: it must be a plain identifier."""
    if not _IDENTIFIER.match(name) or keyword.iskeyword(name):
        raise ProjectError(
            f"Invalid pipeline name '{name}': it becomes the module "
            f"pipelines/{name}, so it must be a lowercase Python identifier "
            "(letters, digits, underscores; starting with a letter; not a keyword).",
            hint="For example: ordino pipeline create data_processing",
        )
