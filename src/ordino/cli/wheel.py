"""A minimal, dependency-free wheel builder for ``ordino package``.

A pure-Python project package is a zip of its sources plus a ``.dist-info`` folder
(METADATA, WHEEL, entry_points.txt, RECORD). Writing it directly keeps ``ordino
package`` offline and fast, with no build backend to download. The wheel is written
to a temporary file and renamed into place.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

from ordino import __version__


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return f"{name},sha256={digest.decode()},{len(data)}"


def build_wheel(
    *,
    package_dir: Path,
    distribution: str,
    version: str,
    output_dir: Path,
    requires: Iterable[str] = (),
    scripts: dict[str, str] | None = None,
    summary: str = "",
) -> Path:
    """Write ``<dist>-<version>-py3-none-any.whl`` of ``package_dir`` and return it."""
    dist = _normalise(distribution)
    info = f"{dist}-{version}.dist-info"
    target = output_dir / f"{dist}-{version}-py3-none-any.whl"
    files: list[tuple[str, bytes]] = []
    for path in sorted(package_dir.rglob("*")):
        if (
            path.is_dir()
            or "__pycache__" in path.parts
            or path.suffix in (".pyc", ".pyo")
        ):
            continue
        arcname = (Path(package_dir.name) / path.relative_to(package_dir)).as_posix()
        files.append((arcname, path.read_bytes()))
    metadata = [
        "Metadata-Version: 2.1",
        f"Name: {distribution}",
        f"Version: {version}",
        f"Summary: {summary}",
        *(f"Requires-Dist: {r}" for r in requires),
    ]
    files.append((f"{info}/METADATA", ("\n".join(metadata) + "\n").encode()))
    wheel = (
        "Wheel-Version: 1.0\n"
        f"Generator: ordino {__version__}\n"
        "Root-Is-Purelib: true\nTag: py3-none-any\n"
    )
    files.append((f"{info}/WHEEL", wheel.encode()))
    if scripts:
        lines = ["[console_scripts]", *(f"{k} = {v}" for k, v in scripts.items())]
        files.append((f"{info}/entry_points.txt", ("\n".join(lines) + "\n").encode()))
    record = [_record_line(name, data) for name, data in files]
    record.append(f"{info}/RECORD,,")
    files.append((f"{info}/RECORD", ("\n".join(record) + "\n").encode()))
    output_dir.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".part")
    try:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, data in files:
                zf.writestr(name, data)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target


def read_requirements(path: Path) -> list[str]:
    """Requirement lines of a requirements file (no options, no comments)."""
    if not path.is_file():
        return []
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            lines.append(line)
    return lines
