"""``--conf-source`` as a folder or as the archive ``ordino package`` builds.

An archive is unpacked into a temporary folder for the length of the command (and
removed afterwards), so the config loader only ever reads folders.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ordino.errors import ProjectError

ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".zip")


@contextmanager
def prepared_conf_source(
    project_path: Path, conf_source: str | None
) -> Iterator[str | None]:
    """Yield a configuration folder for ``conf_source`` (None: the project's own)."""
    if not conf_source:
        yield None
        return
    path = Path(conf_source)
    if not path.is_absolute():
        path = (Path.cwd() / path).resolve()
    if not path.exists():
        raise ProjectError(
            f"--conf-source {conf_source}: no such folder or archive.",
            hint="Give the configuration folder (such as conf) or the "
            "conf-<package>.tar.gz that `ordino package` builds.",
        )
    if path.is_dir() or not path.name.endswith(ARCHIVE_SUFFIXES):
        yield str(path)
        return
    import tempfile

    with tempfile.TemporaryDirectory(prefix="ordino-conf-") as folder:
        _extract(path, Path(folder))
        yield str(_conf_root(Path(folder)))


def _extract(archive: Path, target: Path) -> None:
    # imported here: most runs have no archive, and these cost ~10 ms to import
    import tarfile
    import zipfile

    try:
        if archive.name.endswith(".zip"):
            with zipfile.ZipFile(archive) as zipped:
                for name in zipped.namelist():
                    _check_member(archive, name)
                zipped.extractall(target)
            return
        with tarfile.open(archive) as tarred:
            for member in tarred.getmembers():
                _check_member(archive, member.name)
            if hasattr(tarfile, "data_filter"):
                tarred.extractall(target, filter="data")
            else:  # pragma: no cover - Python < 3.10.12
                tarred.extractall(target)
    except (tarfile.TarError, zipfile.BadZipFile, OSError) as exc:
        raise ProjectError(
            f"--conf-source {archive}: cannot unpack the archive: {exc}.",
            hint="Rebuild it with `ordino package`, or pass the conf folder.",
        ) from exc


def _check_member(archive: Path, name: str) -> None:
    if name.startswith(("/", "\\")) or ".." in Path(name).parts:
        raise ProjectError(
            f"--conf-source {archive}: member '{name}' points outside the archive.",
            hint="Only use archives built by `ordino package`.",
        )


def _conf_root(folder: Path) -> Path:
    """The folder holding the environments: one top-level folder, if that is all."""
    children = [p for p in folder.iterdir() if not p.name.startswith(".")]
    if len(children) == 1 and children[0].is_dir() and not (folder / "base").is_dir():
        inner = children[0]
        if (inner / "base").is_dir() or inner.name == "conf":
            return inner
    return folder
