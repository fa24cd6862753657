"""The common ground of datasets stored as one file on an fsspec filesystem.

:class:`FileDataset` takes Kedro's constructor arguments (``filepath``, ``load_args``,
``save_args``, ``version``, ``credentials``, ``fs_args``, ``metadata``) and does the
parts every file format shares: protocol parsing, the filesystem, versioned paths,
atomic saves through ``ordino.io.files``, one ``DatasetError`` naming the path for any
failure, and descriptions without secrets. A format implements ``_read(stream)`` and
``_write(data, stream)``, or overrides ``_load_from(path)`` / ``_save_to(data)`` when
its library insists on paths.

A save killed half-way leaves a hidden temporary sibling (``ordino.io.files`` names
it). The next successful save of the same file on the local disk removes the ones
whose writer process is gone and that were untouched for an hour
(:func:`sweep_stale_temporaries`); loads and listings never mistake them for data.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from pathlib import PurePosixPath
from types import MappingProxyType
from typing import IO, Any, ClassVar, TypeVar

from ordino.datasets._failures import reported
from ordino.datasets._secrets import collect_secrets
from ordino.errors import DatasetError
from ordino.io.dataset import AbstractVersionedDataset, Version
from ordino.io.files import (
    HTTP_PROTOCOLS,
    TEMP_NAME,
    build_filesystem,
    full_path,
    is_local,
    open_args,
    parse_protocol_path,
)

__all__ = ["FileDataset", "dataset_kind", "sweep_stale_temporaries"]

_DI = TypeVar("_DI")
_DO = TypeVar("_DO")
T = TypeVar("T")

#: A temporary left by a crashed save is removed only once it is this old (seconds):
#: a writer on another host sharing the folder keeps its file fresh while it writes.
STALE_AFTER = 3600.0


#: The shared value of empty options (credentials, fs_args, open args): read-only.
_EMPTY: Mapping[str, Any] = MappingProxyType({})


def dataset_kind(dataset: object) -> str:
    """``pandas.CSVDataset`` for ordino's own classes, the class name otherwise."""
    cls = type(dataset)
    module = cls.__module__
    prefix = "ordino.datasets."
    if module.startswith(prefix):
        family = module[len(prefix) :].split(".")[0]
        return f"{family}.{cls.__name__}"
    return cls.__name__


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists but belongs to someone else
        return True
    return True


def sweep_stale_temporaries(
    folder: str,
    *,
    stem: str | None = None,
    older_than: float = STALE_AFTER,
    now: float | None = None,
) -> list[str]:
    """Remove the temporaries that crashed saves left in ``folder``.

    Only on the local disk, only temporaries of files named ``stem`` (any file if
    ``None``), only when their writer process no longer exists on this host and the
    temporary has not changed for ``older_than`` seconds. Returns the removed paths.
    """
    moment = time.time() if now is None else now
    removed: list[str] = []
    try:
        entries = list(os.scandir(folder or "."))
    except OSError:
        return removed
    for entry in entries:
        match = TEMP_NAME.match(entry.name)
        if not match or (stem is not None and match.group("stem") != stem):
            continue
        try:
            if moment - entry.stat(follow_symlinks=False).st_mtime < older_than:
                continue
            if _process_alive(int(match.group("pid"))):
                continue
            if entry.is_dir(follow_symlinks=False):
                import shutil

                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        except OSError:  # raced with another sweeper, or not ours to delete
            continue
        removed.append(entry.path)
    return removed


def _stem(path: str) -> str:
    posix = PurePosixPath(path)
    return (
        posix.name[: len(posix.name) - len(posix.suffix)]
        if posix.suffix
        else posix.name
    )


class FileDataset(AbstractVersionedDataset[_DI, _DO]):
    """Base of ordino's file datasets; see the module docstring.

    Subclasses set ``DEFAULT_LOAD_ARGS`` / ``DEFAULT_SAVE_ARGS`` and ``TEXT`` (open
    in text mode, UTF-8 unless ``open_args_*`` say otherwise) and implement
    ``_read``/``_write`` or ``_load_from``/``_save_to``.
    """

    DEFAULT_LOAD_ARGS: ClassVar[dict[str, Any]] = {}
    DEFAULT_SAVE_ARGS: ClassVar[dict[str, Any]] = {}
    DEFAULT_FS_ARGS: ClassVar[dict[str, Any]] = {}
    TEXT: ClassVar[bool] = False
    #: False for datasets whose save is not supported (readers).
    SAVES: ClassVar[bool] = True
    #: True for formats whose library reads and writes a local path faster than a
    #: Python stream (pyarrow's native files) or differently (pandas infers the
    #: compression from a path's extension, as in Kedro): on the local disk, without
    #: ``open_args_*``, ``_read_path``/``_write_path`` are then used instead of
    #: ``_read``/``_write``, and the save path is the atomic temporary sibling.
    PATH_IO: ClassVar[bool] = False
    #: Set False by a container (PartitionedDataset) that sweeps its folder once.
    sweep_temporaries: bool = True

    def __init__(
        self,
        *,
        filepath: str | os.PathLike[str],
        load_args: Mapping[str, Any] | None = None,
        save_args: Mapping[str, Any] | None = None,
        version: Version | None = None,
        credentials: Mapping[str, Any] | None = None,
        fs_args: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        # Built once per catalog entry, so kept to a few dict operations: no path
        # object (parsed on first use), no secret scan without credentials or
        # filesystem options, and the shared local filesystem instance.
        protocol, path = parse_protocol_path(filepath)
        if version is not None and protocol in HTTP_PROTOCOLS:
            raise DatasetError(
                f"{dataset_kind(self)} '{filepath}': versioning is not supported "
                f"for {protocol} paths.",
                hint="Remove 'versioned: true' from the catalog entry.",
            )
        self._protocol = protocol
        # Empty options share one read-only mapping: four fewer dicts per dataset.
        self._credentials: Mapping[str, Any] = (
            dict(credentials) if credentials else _EMPTY
        )
        defaults = self.DEFAULT_FS_ARGS
        if fs_args:
            self._fs_args: Mapping[str, Any] = (
                {**defaults, **fs_args} if defaults else dict(fs_args)
            )
        else:
            self._fs_args = dict(defaults) if defaults else _EMPTY
        load_open: Mapping[str, Any] = _EMPTY
        save_open: Mapping[str, Any] = _EMPTY
        if self._credentials or self._fs_args:
            self._secrets: tuple[str, ...] = collect_secrets(
                self._credentials
            ) + collect_secrets(
                {
                    k: v
                    for k, v in self._fs_args.items()
                    if not k.startswith("open_args")
                }
            )
            load_open, save_open = open_args(self._fs_args)
        else:
            self._secrets = ()
        self._open_args_load = load_open
        self._open_args_save = save_open
        # Always new dicts: a dataset may adjust its args, the entry stays as written.
        defaults = self.DEFAULT_LOAD_ARGS
        self._load_args = {**defaults, **load_args} if load_args else dict(defaults)
        defaults = self.DEFAULT_SAVE_ARGS
        self._save_args = {**defaults, **save_args} if save_args else dict(defaults)
        self.metadata = dict(metadata) if metadata is not None else None
        self._fs = build_filesystem(protocol, self._fs_args, self._credentials)
        # Only URLs need the dataset's own exists/glob (they put the scheme back);
        # elsewhere the filesystem's methods are the same, without a bound method of
        # self (a reference cycle) stored per dataset.
        remote_url = protocol in HTTP_PROTOCOLS
        super().__init__(
            path,
            version,
            exists_function=self._path_exists if remote_url else None,
            glob_function=self._glob if remote_url else None,
            fs=self._fs,
        )

    # -- filesystem access --------------------------------------------------------

    def _full(self, path: str | PurePosixPath) -> str:
        return full_path(self._protocol, path)

    def _display(self, path: str | PurePosixPath) -> str:
        """The path as the user would write it, protocol included."""
        if self._protocol == "file" or self._protocol in HTTP_PROTOCOLS:
            return self._full(path)
        return f"{self._protocol}://{path}"

    def _path_exists(self, path: str) -> bool:
        return bool(self._fs.exists(self._full(path)))

    def _glob(self, pattern: str) -> list[str]:
        found: list[str] = self._fs.glob(self._full(pattern))
        return found

    def _mode(self, action: str) -> str:
        opened = self._open_args_load if action == "load" else self._open_args_save
        mode = opened.get("mode")
        if mode:
            # Kedro configs often say "w" or "a": binary formats still need bytes.
            return str(mode) if self.TEXT or "b" in str(mode) else f"{mode}b"
        if action == "load":
            return "r" if self.TEXT else "rb"
        return "w" if self.TEXT else "wb"

    def _open_kwargs(self, action: str) -> dict[str, Any]:
        opened = self._open_args_load if action == "load" else self._open_args_save
        kwargs = {k: v for k, v in opened.items() if k != "mode"}
        if "b" not in self._mode(action):
            kwargs.setdefault("encoding", "utf-8")
        return kwargs

    # -- the two operations -------------------------------------------------------

    def load(self) -> _DO:
        """Load the file (the resolved version, if versioned)."""
        path = self._get_load_path()
        return self._reported(
            "load", self._display(path), lambda: self._load_from(path)
        )

    def save(self, data: _DI) -> None:
        """Save atomically: the target changes all at once or not at all."""
        if not self.SAVES:
            raise DatasetError(
                f"{dataset_kind(self)} is read-only: save() is not supported "
                f"('{self._display(self._filepath)}').",
                hint="Use a dataset type that can write, or do not make this dataset "
                "a node output.",
            )
        self._reported("save", self._save_display, lambda: self._save_to(data))
        if self.sweep_temporaries and is_local(self._fs):
            target = str(
                self._get_versioned_path(self._last_save_version or "")
                if self._version
                else self._filepath
            )
            sweep_stale_temporaries(os.path.dirname(target), stem=_stem(target))

    def _save_display(self) -> str:
        if self._version and self._last_save_version:
            return self._display(self._get_versioned_path(self._last_save_version))
        return self._display(self._filepath)

    def _reported(
        self, action: str, path: str | Callable[[], str], operation: Callable[[], T]
    ) -> T:
        return reported(
            action, dataset_kind(self), path, operation, secrets=self._secrets
        )

    def _load_from(self, path: PurePosixPath) -> _DO:
        if self.PATH_IO and not self._open_args_load and is_local(self._fs):
            return self._read_path(self._full(path))
        with self._fs.open(
            self._full(path), mode=self._mode("load"), **self._open_kwargs("load")
        ) as stream:
            return self._read(stream)

    def _save_to(self, data: _DI) -> None:
        if self.PATH_IO and not self._open_args_save and is_local(self._fs):
            with self._local_path_for_save() as local:
                self._write_path(data, local)
            return
        mode = self._mode("save")
        appending = "a" in mode
        if appending:
            mode = mode.replace("a", "w")
        with self._open_for_save(mode, **self._open_kwargs("save")) as stream:
            if appending:
                self._copy_existing(stream, binary="b" in mode)
            self._write(data, stream)

    def _copy_existing(self, stream: IO[Any], *, binary: bool) -> None:
        """Append mode, atomically: the temporary starts as a copy of the target."""
        if self._version or not self._path_exists(str(self._filepath)):
            return
        read_mode = "rb" if binary else "r"
        kwargs = {} if binary else {"encoding": self._open_kwargs("save")["encoding"]}
        with self._fs.open(self._full(self._filepath), read_mode, **kwargs) as old:
            while chunk := old.read(1 << 20):
                stream.write(chunk)

    def _read_path(self, path: str) -> _DO:
        raise NotImplementedError(f"{type(self).__name__} must implement _read_path")

    def _write_path(self, data: _DI, path: str) -> None:
        raise NotImplementedError(f"{type(self).__name__} must implement _write_path")

    def _read(self, stream: IO[Any]) -> _DO:
        raise NotImplementedError(f"{type(self).__name__} must implement _read")

    def _write(self, data: _DI, stream: IO[Any]) -> None:
        raise NotImplementedError(f"{type(self).__name__} must implement _write")

    # -- description and housekeeping --------------------------------------------

    def _describe(self) -> dict[str, Any]:
        return {
            "filepath": self._display(self._filepath),
            "protocol": self._protocol,
            "load_args": self._load_args or None,
            "save_args": self._save_args or None,
            "version": self._version,
        }

    def _release(self) -> None:
        super()._release()
        if not is_local(self._fs):
            self._fs.invalidate_cache(self._full(self._filepath))
