"""A small template renderer for project templates and starters (no cookiecutter).

A template is a folder. File contents and path names may use ``{{ name }}`` for a
variable; a line holding only ``{% if flag %}`` ... ``{% endif %}`` keeps the lines in
between when ``flag`` is true. A file name ending in ``.tmpl`` loses that suffix (it
keeps template Python files away from linters and test collectors), and one starting
with ``dot-`` starts with a dot instead (``dot-gitignore``: a real ``.gitignore`` would
apply to the template folder itself). Rendering goes to
a temporary sibling folder that is renamed into place at the end, so a failure never
leaves a half-written project behind.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from ordino.errors import ProjectError

_VARIABLE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_IF = re.compile(r"^\s*(?:#\s*)?\{%\s*if\s+(not\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*%\}\s*$")
_ENDIF = re.compile(r"^\s*(?:#\s*)?\{%\s*endif\s*%\}\s*$")
_BINARY_SUFFIXES = {".png", ".jpg", ".gif", ".pickle", ".pkl", ".parquet", ".xlsx"}

Include = Callable[[Path], bool]


def substitute(text: str, variables: Mapping[str, object], *, where: str) -> str:
    """Replace ``{{ name }}``; an unknown name is an error naming the file."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in variables:
            raise ProjectError(
                f"Template {where} uses '{{{{ {name} }}}}', which is not defined.",
                hint=f"Defined variables: {', '.join(sorted(variables))}.",
            )
        return str(variables[name])

    return _VARIABLE.sub(replace, text)


def apply_conditionals(text: str, flags: Mapping[str, object], *, where: str) -> str:
    """Keep or drop ``{% if flag %}`` blocks (nestable, whole lines only)."""
    if "{%" not in text:
        return text
    kept: list[str] = []
    stack: list[bool] = []
    for line in text.splitlines(keepends=True):
        opening = _IF.match(line)
        if opening:
            value = bool(flags.get(opening.group(2)))
            stack.append(not value if opening.group(1) else value)
            continue
        if _ENDIF.match(line):
            if not stack:
                raise ProjectError(f"Template {where}: '{{% endif %}}' without 'if'.")
            stack.pop()
            continue
        if all(stack):
            kept.append(line)
    if stack:
        raise ProjectError(f"Template {where}: '{{% if %}}' is never closed.")
    return "".join(kept)


def render_tree(
    sources: list[Path],
    target: Path,
    variables: Mapping[str, object],
    *,
    include: Include | None = None,
) -> list[Path]:
    """Render template folders, later ones overlaying earlier ones, into ``target``.

    ``target`` must not exist. Returns the files written, relative to ``target``.
    """
    if target.exists():
        raise ProjectError(
            f"{target} already exists; ordino will not write over it.",
            hint="Choose another project name or output folder, or move it away.",
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        written = render_into(sources, staging, variables, include=include)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return written


def render_into(
    sources: list[Path],
    target: Path,
    variables: Mapping[str, object],
    *,
    include: Include | None = None,
) -> list[Path]:
    """Render into an existing folder (the caller cleans up on failure)."""
    files: dict[Path, Path] = {}
    for source in sources:
        for path in sorted(source.rglob("*")):
            if path.is_dir() or "__pycache__" in path.parts:
                continue
            relative = path.relative_to(source)
            rendered = Path(
                *(
                    substitute(part, variables, where=str(relative))
                    for part in relative.parts
                )
            )
            if rendered.name.startswith("dot-"):
                rendered = rendered.with_name("." + rendered.name[len("dot-") :])
            if rendered.name.endswith(".tmpl"):
                rendered = rendered.with_name(rendered.name[: -len(".tmpl")])
            if include is None or include(rendered):
                files[rendered] = path
    for relative, path in files.items():
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix in _BINARY_SUFFIXES:
            shutil.copyfile(path, destination)
            continue
        text = path.read_text(encoding="utf-8")
        text = apply_conditionals(text, variables, where=str(relative))
        destination.write_text(
            substitute(text, variables, where=str(relative)), "utf-8"
        )
    return sorted(files)
