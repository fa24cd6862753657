"""Where configuration files come from: a directory, an archive, or an fsspec URL.

A source lists its files once and reads each file when asked; the loader caches
what it reads, so every file is opened and parsed at most once per loader. Paths
inside a source are POSIX and relative to the configuration root (``base/x.yml``).
Local directories and archives use only the standard library; fsspec is imported
only for URLs (``s3://``, ``memory://``, ...).
"""

from __future__ import annotations

import io
import os
import posixpath
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from ordino.errors import MissingConfigException

__all__ = ["ConfigSource", "match_files", "open_source"]

_TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")


class ConfigSource:
    """The files of one configuration root."""

    def __init__(self, display_root: str, files: Iterable[str], dirs: Iterable[str]):
        self.display_root = display_root
        self._files = sorted(set(files))
        self._dirs = set(dirs)

    def files(self) -> list[str]:
        """Every file under the root, relative and sorted."""
        return self._files

    def is_dir(self, rel: str) -> bool:
        """Whether ``rel`` is a directory (``""`` is the root itself)."""
        return rel in ("", ".") or rel.strip("/") in self._dirs

    def environments(self) -> list[str]:
        """Top-level directories: the environments that exist."""
        return sorted(d for d in self._dirs if "/" not in d and not d.startswith("."))

    def read(self, rel: str) -> bytes:  # pragma: no cover - every source overrides
        raise NotImplementedError

    def display(self, rel: str) -> str:
        """How to name a file or directory of this source in a message."""
        if not rel:
            return self.display_root
        return posixpath.join(self.display_root, rel)


class _LocalSource(ConfigSource):
    def __init__(self, root: str) -> None:
        files, dirs = _walk(root)
        super().__init__(root, files, dirs)
        self._root = root

    def read(self, rel: str) -> bytes:
        with open(os.path.join(self._root, rel), "rb") as handle:
            return handle.read()

    def display(self, rel: str) -> str:
        return os.path.join(self._root, rel) if rel else self._root


def _walk(root: str) -> tuple[list[str], list[str]]:
    files: list[str] = []
    dirs: list[str] = []
    seen: set[str] = set()
    pending = [("", root)]
    while pending:
        rel, path = pending.pop()
        real = os.path.realpath(path)
        if real in seen:
            continue  # a symlink loop
        seen.add(real)
        try:
            entries = list(os.scandir(path))
        except OSError:
            continue
        for entry in entries:
            child = f"{rel}/{entry.name}" if rel else entry.name
            try:
                if entry.is_dir():
                    dirs.append(child)
                    pending.append((child, entry.path))
                elif entry.is_file():
                    files.append(child)
            except OSError:
                continue
    return files, dirs


class _ArchiveSource(ConfigSource):
    def __init__(self, display_root: str, members: dict[str, Any], reader: Any) -> None:
        dirs = {posixpath.dirname(name) for name in members}
        expanded = set()
        for directory in dirs:
            while directory:
                expanded.add(directory)
                directory = posixpath.dirname(directory)
        super().__init__(display_root, members, expanded)
        self._members = members
        self._reader = reader

    def read(self, rel: str) -> bytes:
        data: bytes = self._reader(self._members[rel])
        return data

    def display(self, rel: str) -> str:
        return f"{self.display_root}!/{rel}" if rel else self.display_root


class _FsspecSource(ConfigSource):
    def __init__(self, url: str) -> None:
        import fsspec

        fs, root = fsspec.core.url_to_fs(url)
        root = root.rstrip("/")
        if not fs.isdir(root):
            raise MissingConfigException(
                f"Configuration source {url} does not exist or is not a directory.",
                path=url,
                hint="Check CONF_SOURCE or --conf-source.",
            )
        found = fs.find(root, withdirs=True, detail=True)
        files: list[str] = []
        dirs: list[str] = []
        for path, info in found.items():
            rel = path[len(root) :].lstrip("/")
            if not rel:
                continue
            (dirs if info.get("type") == "directory" else files).append(rel)
        for rel in files:
            parent = posixpath.dirname(rel)
            while parent:
                dirs.append(parent)
                parent = posixpath.dirname(parent)
        super().__init__(url.rstrip("/"), files, dirs)
        self._fs = fs
        self._root = root

    def read(self, rel: str) -> bytes:
        data: bytes = self._fs.cat_file(f"{self._root}/{rel}")
        return data


def open_source(conf_source: str, *, base_env: str) -> ConfigSource:
    """Open a directory, a ``.zip`` / ``.tar[.gz|.bz2|.xz]`` archive, or a URL."""
    lowered = conf_source.lower()
    if lowered.endswith(".zip") or lowered.endswith(_TAR_SUFFIXES):
        return _open_archive(conf_source, base_env=base_env)
    if "://" in conf_source and not lowered.startswith("file://"):
        return _FsspecSource(conf_source)
    root = (
        conf_source[len("file://") :] if lowered.startswith("file://") else conf_source
    )
    if not os.path.isdir(root):
        raise MissingConfigException(
            f"Configuration source {conf_source} does not exist or is not a directory.",
            path=conf_source,
            hint="Check CONF_SOURCE in settings.py or the --conf-source option.",
        )
    return _LocalSource(root)


def _archive_bytes(conf_source: str) -> bytes:
    if "://" in conf_source:
        import fsspec

        with fsspec.open(conf_source, "rb") as handle:
            data: bytes = handle.read()
            return data
    try:
        with open(conf_source, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise MissingConfigException(
            f"Configuration archive {conf_source} cannot be read: {exc.strerror}.",
            path=conf_source,
        ) from exc


def _open_archive(conf_source: str, *, base_env: str) -> ConfigSource:
    data = _archive_bytes(conf_source)
    try:
        if conf_source.lower().endswith(".zip"):
            import zipfile

            archive: Any = zipfile.ZipFile(io.BytesIO(data))
            names = [n for n in archive.namelist() if not n.endswith("/")]
            members: dict[str, Any] = {n.strip("/"): n for n in names}
            reader = archive.read
        else:
            import tarfile

            # Kept open: members are read lazily, each at most once per loader.
            archive = tarfile.open(fileobj=io.BytesIO(data), mode="r:*")  # noqa: SIM115
            members = {
                m.name.strip("/").removeprefix("./"): m
                for m in archive.getmembers()
                if m.isfile()
            }

            def reader(member: Any) -> bytes:
                handle = archive.extractfile(member)
                return handle.read() if handle is not None else b""

    except Exception as exc:
        from ordino.errors import BadConfigException

        raise BadConfigException(
            f"Configuration archive {conf_source} cannot be opened: {exc}.",
            path=conf_source,
            hint="Use a .zip or .tar.gz archive of the conf directory.",
        ) from exc
    prefix = _archive_root(members, base_env)
    if prefix:
        members = {
            name[len(prefix) + 1 :]: member
            for name, member in members.items()
            if name.startswith(prefix + "/")
        }
    return _ArchiveSource(conf_source, members, reader)


def _archive_root(members: dict[str, Any], base_env: str) -> str:
    """The folder inside the archive that holds the environments."""
    tops = {name.split("/", 1)[0] for name in members if "/" in name}
    top_files = [name for name in members if "/" not in name]
    if base_env and base_env in tops:
        return ""
    if len(tops) == 1 and not top_files:
        return next(iter(tops))
    return ""


def match_files(
    source: ConfigSource, env_dir: str, patterns: Iterable[str], *, ignore_hidden: bool
) -> list[str]:
    """Files of ``source`` matching any glob pattern relative to ``env_dir``.

    Globs follow fsspec (as Kedro does): ``*`` and ``?`` stay within a path
    segment, ``**`` spans any number of folders, and ``..`` may step out of the
    environment. Only ``.yml``, ``.yaml`` and ``.json`` files count.
    """
    regexes = []
    for pattern in patterns:
        full = posixpath.normpath(posixpath.join(env_dir or ".", pattern))
        if full.startswith("../") or full == "..":
            continue
        regexes.append(_glob_regex(full))
    matched = []
    for rel in source.files():
        if not rel.endswith((".yml", ".yaml", ".json")):
            continue
        if ignore_hidden and any(part.startswith(".") for part in rel.split("/")):
            continue
        if any(rx.fullmatch(rel) for rx in regexes):
            matched.append(rel)
    return matched


@lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    parts = pattern.split("/")
    pieces: list[str] = []
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part == "**":
            pieces.append(".+" if last else "(?:[^/]+/)*")
            continue
        pieces.append(_segment_regex(part) + ("" if last else "/"))
    return re.compile("".join(pieces), flags=re.DOTALL)


def _segment_regex(segment: str) -> str:
    out: list[str] = []
    index = 0
    while index < len(segment):
        char = segment[index]
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            close = segment.find("]", index + 2)
            if close < 0:
                out.append(re.escape(char))
            else:
                body = segment[index + 1 : close]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body.replace(chr(92), chr(92) * 2)}]")
                index = close
        else:
            out.append(re.escape(char))
        index += 1
    return "".join(out)
