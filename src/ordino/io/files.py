"""Files through fsspec: where a dataset's path lives, and how it is written safely.

Every file dataset writes through :func:`atomic_open` (or :func:`atomic_local_path`
for libraries that only write to a path): data goes to a hidden temporary sibling
and is moved onto the target only when the write finished without an exception. A
failed or killed save therefore leaves the previous file intact and no partial file
under the target's name. What "moved" guarantees depends on the filesystem:

* local disk (POSIX, also Windows for files): ``os.replace`` is atomic; a reader sees
  the complete old file or the complete new one, even if the writer is SIGKILLed.
  No-clobber saves (versions) use ``os.link``, which fails if the target exists.
  ``durable=True`` also fsyncs the file and its directory, for power loss.
* object stores (s3, gcs, abfs): the temporary object is copied server-side onto the
  target; each object write is atomic, so readers see old or new, never partial. A
  no-clobber save checks first (a race of two writers in the same millisecond is
  possible, as the stores offer no conditional rename through fsspec).
* other fsspec filesystems: ``fs.mv``; atomic when the backend's rename is (SFTP,
  HDFS, memory), a copy otherwise. A crashed save may leave a hidden temporary file,
  never a partial target.

Temporary files are named ``.<stem>.<random>.ordino-tmp<suffix>`` next to the target;
:func:`is_temporary_path` recognises them so directory listings can skip them.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import PurePosixPath
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fsspec import AbstractFileSystem

__all__ = [
    "HTTP_PROTOCOLS",
    "TEMP_MARKER",
    "TEMP_NAME",
    "atomic_local_path",
    "atomic_open",
    "build_filesystem",
    "full_path",
    "is_local",
    "is_temporary_path",
    "make_exclusive_dir",
    "open_args",
    "parse_protocol_path",
]

HTTP_PROTOCOLS = frozenset({"http", "https"})
#: Part of every temporary file name written by the atomic helpers.
TEMP_MARKER = ".ordino-tmp"
#: The whole name of a temporary, ``.<stem>.<pid>-<8 hex>.ordino-tmp<ext>``, as
#: :func:`_temporary_sibling` writes it: the one definition that listings (skip it)
#: and the sweep of crashed saves (whose writer ``pid`` is gone) rely on.
TEMP_NAME = re.compile(
    r"^\.(?P<stem>.*)\.(?P<pid>\d+)-[0-9a-f]{8}"
    + re.escape(TEMP_MARKER)
    + r"(?P<ext>.*)$",
    re.DOTALL,
)

# Filesystems built without arguments, by protocol: fsspec caches instances too, but
# hashing the arguments costs more than building 10,000 catalog entries should.
_PLAIN_FILESYSTEMS: dict[str, AbstractFileSystem] = {}


# -- where a path lives ----------------------------------------------------------------


def parse_protocol_path(filepath: str | os.PathLike[str]) -> tuple[str, str]:
    """Split a filepath into ``(protocol, path)`` as fsspec expects them.

    A path without ``<protocol>://`` is local (``"file"``) and kept as written
    (relative paths stay relative). For http(s) the path is the URL without its
    scheme, as in Kedro; :func:`full_path` puts it back.

    Example:
        >>> parse_protocol_path("s3://bucket/raw/cars.csv")
        ('s3', 'bucket/raw/cars.csv')
        >>> parse_protocol_path("data/01_raw/cars.csv")
        ('file', 'data/01_raw/cars.csv')
    """
    text = filepath if type(filepath) is str else os.fspath(filepath)
    if "://" not in text:  # the common case, decided without splitting
        return "file", text
    head, sep, rest = text.partition("://")
    if not sep or len(head) < 2 or not head.replace("+", "").replace("-", "").isalnum():
        return "file", text  # includes Windows drives such as C:\data
    protocol = head.lower()
    if protocol in ("file", "local"):
        return "file", rest
    return protocol, rest


def full_path(protocol: str, path: str | PurePosixPath) -> str:
    """The string to hand to the filesystem for ``path`` (URLs keep their scheme)."""
    text = str(path)
    if protocol in HTTP_PROTOCOLS:
        return f"{protocol}://{text}"
    return text


def open_args(
    fs_args: Mapping[str, Any] | None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The ``open_args_load`` and ``open_args_save`` of ``fs_args`` (Kedro keys).

    Example:
        >>> open_args({"open_args_save": {"encoding": "utf-8"}})
        ({}, {'encoding': 'utf-8'})
    """
    if not fs_args:
        return {}, {}
    return dict(fs_args.get("open_args_load") or {}), dict(
        fs_args.get("open_args_save") or {}
    )


def build_filesystem(
    protocol: str,
    fs_args: Mapping[str, Any] | None = None,
    credentials: Mapping[str, Any] | None = None,
) -> AbstractFileSystem:
    """Return the fsspec filesystem for ``protocol``, configured like Kedro's.

    ``credentials`` and ``fs_args`` (minus ``open_args_load``/``open_args_save``)
    become the filesystem's keyword arguments. Local filesystems create parent
    directories on write (``auto_mkdir``). Filesystems built without arguments are
    shared, so building thousands of datasets stays cheap.

    Raises:
        MissingDependencyError: the protocol's backend (s3fs, gcsfs...) is missing.
    """
    if not fs_args and not credentials:
        plain = _PLAIN_FILESYSTEMS.get(protocol)
        if plain is not None:  # the usual local entry: no arguments to compare
            return plain
    kwargs: dict[str, Any] = {}
    if fs_args:
        kwargs.update(
            (k, v)
            for k, v in fs_args.items()
            if k not in ("open_args_load", "open_args_save")
        )
    if credentials:
        kwargs.update(credentials)
    if protocol == "file":
        kwargs.setdefault("auto_mkdir", True)
    if not kwargs or kwargs == {"auto_mkdir": True}:
        cached = _PLAIN_FILESYSTEMS.get(protocol)
        if cached is not None:
            return cached
    import fsspec

    try:
        fs = fsspec.filesystem(protocol, **kwargs)
    except ImportError as exc:
        from ordino.errors import MissingDependencyError

        raise MissingDependencyError(
            f"Reading '{protocol}://' paths needs a filesystem package: {exc}",
            hint=f"Install the fsspec backend for '{protocol}' (for example "
            "s3fs, gcsfs or adlfs).",
        ) from exc
    except ValueError as exc:  # unknown protocol
        from ordino.errors import DatasetError

        raise DatasetError(
            f"Unknown filesystem protocol '{protocol}': {exc}",
            hint="Use a protocol fsspec knows, such as file, s3, gcs, abfs or http.",
        ) from exc
    if not kwargs or kwargs == {"auto_mkdir": True}:
        _PLAIN_FILESYSTEMS[protocol] = fs
    return fs


def is_local(fs: AbstractFileSystem | None) -> bool:
    """Whether ``fs`` is the local disk (``None`` means the local disk too)."""
    if fs is None:
        return True
    protocol = fs.protocol
    names = (protocol,) if isinstance(protocol, str) else tuple(protocol)
    return "file" in names or "local" in names


# -- atomic writes ---------------------------------------------------------------------


def is_temporary_path(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a temporary file of an unfinished (or crashed) save."""
    name = PurePosixPath(os.fspath(path).replace("\\", "/")).name
    return TEMP_MARKER in name and TEMP_NAME.match(name) is not None


def _temporary_sibling(path: str, suffix: str | None = None) -> str:
    posix = (
        PurePosixPath(path.replace("\\", "/"))
        if os.sep == "\\"
        else PurePosixPath(path)
    )
    ext = posix.suffix if suffix is None else suffix
    stem = (
        posix.name[: len(posix.name) - len(posix.suffix)]
        if posix.suffix
        else posix.name
    )
    name = f".{stem}.{os.getpid()}-{secrets.token_hex(4)}{TEMP_MARKER}{ext}"
    parent = os.path.dirname(path)
    return os.path.join(parent, name) if parent else name


def _write_mode(mode: str) -> str:
    if "r" in mode or "a" in mode or "+" in mode:
        raise ValueError(
            f"atomic writes need a write-only mode ('w'/'wb'), got {mode!r}"
        )
    return mode


@contextmanager
def atomic_open(
    fs: AbstractFileSystem | None,
    path: str,
    mode: str = "wb",
    *,
    overwrite: bool = True,
    durable: bool = False,
    **open_kwargs: Any,
) -> Iterator[IO[Any]]:
    """Open ``path`` for writing so that it changes all at once, or not at all.

    Yields a file object on a temporary sibling of ``path``. When the ``with`` block
    exits normally the file is closed and moved onto ``path``; when it raises (or
    the process dies) the temporary is removed (or left hidden) and ``path`` is
    untouched. Parent directories are created.

    Args:
        fs: The fsspec filesystem of ``path``; ``None`` for the local disk.
        path: Target path on ``fs`` (no protocol; see :func:`parse_protocol_path`).
        mode: ``"wb"`` or ``"w"`` (text; pass ``encoding``/``newline`` as kwargs).
        overwrite: If False the move refuses an existing target and raises
            ``FileExistsError`` (the new data is discarded): versioned saves use it.
        durable: fsync the data and the directory before returning (local disk
            only): survives power loss, at the cost of a disk flush.
        **open_kwargs: Passed to ``open`` / ``fs.open`` (``encoding``, ``newline``...).

    Example:
        >>> import tempfile, os
        >>> target = os.path.join(tempfile.mkdtemp(), "out", "hello.txt")
        >>> with atomic_open(None, target, "w", encoding="utf-8") as f:
        ...     _ = f.write("hi")
        >>> with open(target) as stream:
        ...     stream.read()
        'hi'
    """
    _write_mode(mode)
    temp = _temporary_sibling(path)
    local = is_local(fs)
    if local:
        parent = os.path.dirname(path)
        if parent:
            os.makedirs(parent, exist_ok=True)
        stream: IO[Any] = open(temp, mode.replace("w", "x"), **open_kwargs)  # noqa: SIM115 - closed below
    else:
        assert fs is not None
        parent = os.path.dirname(path)
        if parent:
            fs.makedirs(parent, exist_ok=True)
        stream = fs.open(temp, mode, **open_kwargs)
    try:
        yield stream
        if durable and local:
            stream.flush()
            os.fsync(stream.fileno())
        stream.close()
        _commit(fs, temp, path, overwrite=overwrite, durable=durable)
    except BaseException:
        if not stream.closed:
            _close_quietly(stream)
        _remove_quietly(fs, temp)
        raise


@contextmanager
def atomic_local_path(
    fs: AbstractFileSystem | None,
    path: str,
    *,
    overwrite: bool = True,
    suffix: str | None = None,
    durable: bool = False,
) -> Iterator[str]:
    """Yield a local path to write to; on success it becomes ``path`` on ``fs``.

    For libraries that write to a path themselves (``savefig``, ``to_excel`` with
    some engines, ``write_parquet`` of a directory). On the local disk the yielded
    path is a temporary sibling, so the final move is an atomic rename; on remote
    filesystems it is a local temporary file that is uploaded to a temporary sibling
    and then moved. The temporary keeps ``path``'s extension (or ``suffix``) because
    libraries pick their format from it. A directory written at the yielded path
    replaces a directory target (the old one is removed only after the swap).

    Raises:
        FileExistsError: ``overwrite=False`` and the target already exists.
    """
    if is_local(fs):
        parent = os.path.dirname(path)
        if parent:
            os.makedirs(parent, exist_ok=True)
        temp = _temporary_sibling(path, suffix)
        try:
            yield temp
            if durable and os.path.isfile(temp):
                _fsync_path(temp)
            _commit(None, temp, path, overwrite=overwrite, durable=durable)
        except BaseException:
            _remove_quietly(None, temp)
            raise
        return
    import shutil
    import tempfile

    assert fs is not None
    workdir = tempfile.mkdtemp(prefix="ordino-save-")
    name = PurePosixPath(path).name
    if suffix is not None:
        name = PurePosixPath(name).stem + suffix
    local_temp = os.path.join(workdir, name)
    remote_temp = _temporary_sibling(path, suffix)
    try:
        yield local_temp
        parent = os.path.dirname(path)
        if parent:
            fs.makedirs(parent, exist_ok=True)
        fs.put(local_temp, remote_temp, recursive=os.path.isdir(local_temp))
        _commit(fs, remote_temp, path, overwrite=overwrite, durable=False)
    except BaseException:
        _remove_quietly(fs, remote_temp)
        raise
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def make_exclusive_dir(fs: AbstractFileSystem | None, path: str) -> None:
    """Create directory ``path`` (and its parents); fail if ``path`` already exists.

    The exclusive create is how a versioned save claims its version: on the local
    disk and in-memory filesystems only one caller can succeed. Object stores have
    no real directories, so there the claim is a check for existing content.

    Raises:
        FileExistsError: ``path`` exists (taken by another save).
        NotADirectoryError: a parent of ``path`` is a file.
    """
    if is_local(fs):
        parent = os.path.dirname(path)
        if parent and not os.path.isdir(parent):
            try:
                # exist_ok: another process may create it between the check and here
                os.makedirs(parent, exist_ok=True)
            except FileExistsError:  # it exists and is not a directory
                raise NotADirectoryError(f"'{parent}' is not a directory") from None
        os.mkdir(path)
        return
    assert fs is not None
    if fs.exists(path):
        raise FileExistsError(path)
    try:
        fs.mkdir(path, create_parents=True)
    except FileExistsError:
        raise
    except OSError:  # stores without directories: nothing to create
        pass


def remove_empty_dir(fs: AbstractFileSystem | None, path: str) -> None:
    """Remove ``path`` if it is an empty directory; otherwise do nothing."""
    try:
        if is_local(fs):
            os.rmdir(path)
        elif fs is not None and not fs.ls(path):
            fs.rmdir(path)
    except (OSError, ValueError):
        pass


def _commit(
    fs: AbstractFileSystem | None,
    temp: str,
    path: str,
    *,
    overwrite: bool,
    durable: bool,
) -> None:
    if is_local(fs):
        _commit_local(temp, path, overwrite=overwrite, durable=durable)
        return
    assert fs is not None
    if not overwrite and fs.exists(path):
        raise FileExistsError(f"'{path}' already exists; it is never overwritten.")
    fs.mv(temp, path, recursive=fs.isdir(temp))


def _commit_local(temp: str, path: str, *, overwrite: bool, durable: bool) -> None:
    if os.path.isdir(temp):
        _commit_local_dir(temp, path, overwrite=overwrite)
    elif overwrite:
        _keep_mode(path, temp)
        os.replace(temp, path)
    else:
        try:
            os.link(temp, path)  # fails with FileExistsError: the no-clobber rename
        except FileExistsError:
            raise FileExistsError(
                f"'{path}' already exists; it is never overwritten."
            ) from None
        except OSError:  # no hard links on this filesystem: check, then rename
            if os.path.exists(path):
                raise FileExistsError(
                    f"'{path}' already exists; it is never overwritten."
                ) from None
            os.replace(temp, path)
        else:
            os.unlink(temp)
    if durable:
        _fsync_dir(os.path.dirname(path) or ".")


def _keep_mode(path: str, temp: str) -> None:
    """Give the new file the permissions of the one it replaces (a 0600 file of
    secrets stays 0600)."""
    import stat

    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:  # no previous file: keep the default permissions
        return
    os.chmod(temp, mode)


def _commit_local_dir(temp: str, path: str, *, overwrite: bool) -> None:
    import shutil

    if not os.path.lexists(path):
        os.rename(temp, path)
        return
    if not overwrite:
        raise FileExistsError(f"'{path}' already exists; it is never overwritten.")
    old = _temporary_sibling(path, "")
    os.rename(path, old)  # the old data stays on disk until the new one is in place
    try:
        os.rename(temp, path)
    except BaseException:
        os.rename(old, path)
        raise
    if os.path.isdir(old):
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.unlink(old)


def _fsync_path(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(directory: str) -> None:
    import contextlib

    # Windows cannot open directories; a rename is durable there already.
    with contextlib.suppress(OSError):
        _fsync_path(directory)


def _close_quietly(stream: IO[Any]) -> None:
    try:
        discard = getattr(stream, "discard", None)  # fsspec buffered files: no upload
        if callable(discard):
            discard()
        else:
            stream.close()
    except Exception:  # the original error is the one worth raising
        pass


def _remove_quietly(fs: AbstractFileSystem | None, temp: str) -> None:
    try:
        if is_local(fs):
            if os.path.isdir(temp):
                import shutil

                shutil.rmtree(temp, ignore_errors=True)
            elif os.path.lexists(temp):
                os.unlink(temp)
        elif fs is not None and fs.exists(temp):
            fs.rm(temp, recursive=True)
    except Exception:  # the original error is the one worth raising
        pass
