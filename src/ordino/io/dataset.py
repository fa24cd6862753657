"""The dataset contract: what the catalog loads from and saves to.

A dataset is a plain class. Subclasses implement ``load()``, ``save(data)`` and
``_describe()``, and optionally ``_exists()``, ``_release()`` and ``preview()``.
Nothing wraps those methods behind the author's back: the catalog adds error context,
logging and validation around each call, so a user's dataset stays about ten lines
and a traceback through it shows exactly the author's code.

Versioned datasets extend :class:`AbstractVersionedDataset`, which turns a file path
into ``<filepath>/<version>/<basename>`` and claims every save version exclusively,
so concurrent savers (threads or processes) never collide or overwrite each other.
"""

from __future__ import annotations

import abc
import logging
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import PurePosixPath
from typing import IO, TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

from ordino.errors import (
    DatasetError,
    VersionAlreadyExistsError,
    VersionNotFoundError,
)

if TYPE_CHECKING:
    from fsspec import AbstractFileSystem

__all__ = [
    "VERSION_FORMAT",
    "AbstractDataset",
    "AbstractVersionedDataset",
    "Version",
    "generate_timestamp",
]

logger = logging.getLogger(__name__)

_DI = TypeVar("_DI")
_DO = TypeVar("_DO")

#: ``strftime`` format of a version; ``generate_timestamp`` truncates ``%f`` to ms.
VERSION_FORMAT = "%Y-%m-%dT%H.%M.%S.%fZ"

# Keys whose values are secrets wherever they appear in a description.
_SECRET_KEY = re.compile(
    r"credential|passw|secret|token|api_?key|access_?key|private_?key|"
    r"account_?key|^auth$|authori[sz]ation",
    re.IGNORECASE,
)
# ``scheme://user:password@host`` -> ``scheme://user:***@host``
_URL_PASSWORD = re.compile(r"(?P<head>[a-zA-Z][\w+.-]*://[^:/@\s]*:)[^@/\s]+(?=@)")
_REDACTED = "***"


class Version(NamedTuple):
    """Which version to load and which to save.

    ``load=None`` loads the latest saved version; ``save=None`` saves under a fresh
    timestamp (see :func:`generate_timestamp`).

    Example:
        >>> Version(None, "2024-01-31T10.00.00.000Z").save
        '2024-01-31T10.00.00.000Z'
    """

    load: str | None
    save: str | None


def generate_timestamp(now: datetime | None = None) -> str:
    """Return a version string: UTC, ``%Y-%m-%dT%H.%M.%S.%fZ`` truncated to ms.

    Versions sort lexicographically in time order, which is how "latest" is found.

    Example:
        >>> generate_timestamp(datetime(2024, 1, 31, 10, 0, 0, 123456, timezone.utc))
        '2024-01-31T10.00.00.123Z'
    """
    moment = now or datetime.now(tz=timezone.utc)
    text = moment.astimezone(timezone.utc).strftime(VERSION_FORMAT)
    return text[:-4] + "Z"  # drop the last three digits of the microseconds


def _next_timestamp(version: str) -> str:
    """The version one millisecond after ``version``: used when a version is taken."""
    moment = datetime.strptime(version, VERSION_FORMAT).replace(tzinfo=timezone.utc)
    return generate_timestamp(moment + timedelta(milliseconds=1))


def redact(value: Any) -> Any:
    """Return ``value`` with secrets masked: secret-looking keys and URL passwords.

    Used on every description ordino prints, so a dataset whose ``_describe`` leaks
    credentials by mistake still does not put them in a log line or an error.
    """
    if isinstance(value, dict):
        return {
            key: (
                _REDACTED
                if isinstance(key, str) and _SECRET_KEY.search(key) and item is not None
                else redact(item)
            )
            for key, item in value.items()
        }
    if type(value) in (list, tuple):  # not namedtuples such as Version
        return type(value)(redact(item) for item in value)
    if isinstance(value, str) and "://" in value:
        return _URL_PASSWORD.sub(rf"\g<head>{_REDACTED}", value)
    return value


class AbstractDataset(abc.ABC, Generic[_DI, _DO]):
    """Base class of every dataset: a named thing that can be loaded and saved.

    Implement ``load``, ``save`` and ``_describe``; optionally ``_exists``,
    ``_release`` (free memory or caches) and ``preview``. Do not call the catalog
    from a dataset and do not catch your library's errors just to re-raise them: the
    catalog reports a failed load or save as a ``DatasetError`` naming the dataset
    and its path, with your exception chained.

    The constructor arguments are recorded (not wrapped) when an instance is created,
    so :meth:`DataCatalog.to_config` can round-trip datasets built in code.

    Example:
        >>> class ListDataset(AbstractDataset[list, list]):
        ...     def __init__(self, items=None):
        ...         self._items = list(items or [])
        ...     def load(self):
        ...         return list(self._items)
        ...     def save(self, data):
        ...         self._items = list(data)
        ...     def _describe(self):
        ...         return {"size": len(self._items)}
        >>> ds = ListDataset([1, 2])
        >>> ds.save([3]); ds.load()
        [3]
        >>> ds
        ordino.io.dataset.ListDataset(size=1)
    """

    _init_args: tuple[tuple[Any, ...], dict[str, Any]] = ((), {})

    def __new__(cls, *args: Any, **kwargs: Any) -> AbstractDataset[_DI, _DO]:
        # Only remembers the arguments (for to_config); __init__ runs untouched.
        instance = super().__new__(cls)
        instance._init_args = (args, kwargs)
        return instance

    @classmethod
    def from_config(
        cls,
        name: str,
        config: dict[str, Any],
        load_version: str | None = None,
        save_version: str | None = None,
    ) -> AbstractDataset[Any, Any]:
        """Build a dataset from one catalog entry (``type`` plus constructor args).

        Args:
            name: The dataset's name, used in error messages.
            config: The entry: ``type`` (a short name such as ``pandas.CSVDataset``
                or a full import path), ``versioned`` and constructor arguments.
                Credentials must already be resolved.
            load_version: Version to load when the entry is versioned.
            save_version: Version to save when the entry is versioned.

        Raises:
            DatasetTypeError: unknown type, or arguments the class does not accept.
            MissingDependencyError: the type's library is not installed.
            DatasetError: the constructor itself failed (cause chained).
        """
        from ordino.io.catalog_config import build_dataset

        return build_dataset(
            name,
            config,
            load_version=load_version,
            save_version=save_version,
            default_type=None if cls is AbstractDataset else cls,
        )

    # -- what subclasses implement ------------------------------------------------

    @abc.abstractmethod
    def load(self) -> _DO:
        """Load and return the data."""

    @abc.abstractmethod
    def save(self, data: _DI) -> None:
        """Save ``data``; file datasets write atomically (see ``ordino.io.files``)."""

    @abc.abstractmethod
    def _describe(self) -> dict[str, Any]:
        """Return the facts that identify this dataset (path, args), no secrets."""

    def _exists(self) -> bool:
        logger.debug("%s does not implement _exists(); assuming absent", type(self))
        return False

    def _release(self) -> None:
        """Free what the dataset holds (cached data); nothing by default."""

    # -- public API ---------------------------------------------------------------

    def exists(self) -> bool:
        """Whether the dataset's data exists (``False`` if not implemented)."""
        return self._exists()

    def release(self) -> None:
        """Release cached data; the runner calls this after the last consumer."""
        self._release()

    def describe(self) -> dict[str, Any]:
        """The dataset's description with ``None`` values dropped and secrets masked.

        Masked: values under secret-looking keys, passwords in URLs, and any string
        the dataset received inside a ``credentials`` argument, wherever it shows.
        """
        described = redact(self._describe())
        args, kwargs = self._init_args
        if kwargs or args:
            from ordino.io.failures import mask_values, secret_strings

            secrets = secret_strings([kwargs, list(args)])
            if secrets:
                described = mask_values(described, secrets)
        return {k: v for k, v in described.items() if v is not None}

    def preview(self, **kwargs: Any) -> Any:
        """A small, displayable sample of the data; datasets opt in by overriding."""
        raise DatasetError(
            f"{type(self).__qualname__} does not support preview().",
            hint="Implement preview() on the dataset class to enable it.",
        )

    def _init_config(self) -> dict[str, Any]:
        """The constructor arguments as a catalog entry (with ``type``).

        Positional arguments are bound to their parameter names. Used by
        ``DataCatalog.to_config`` for datasets that were not built from config.
        """
        import inspect

        args, kwargs = self._init_args
        config: dict[str, Any] = {
            "type": f"{type(self).__module__}.{type(self).__name__}"
        }
        if args:
            bound = inspect.signature(type(self).__init__).bind_partial(
                self, *args, **kwargs
            )
            config.update((k, v) for k, v in list(bound.arguments.items())[1:])
        else:
            config.update(kwargs)
        return config

    def __str__(self) -> str:
        return self.__repr__()

    def __repr__(self) -> str:
        cls = type(self)
        args = ", ".join(f"{k}={v!r}" for k, v in self.describe().items())
        return f"{cls.__module__}.{cls.__qualname__}({args})"


class AbstractVersionedDataset(AbstractDataset[_DI, _DO], abc.ABC):
    """Base class of datasets stored at a file path, with optional versioning.

    With ``version`` set, data lives at ``<filepath>/<version>/<basename>``. Loading
    uses ``version.load`` or the latest existing version; saving uses ``version.save``
    or a fresh timestamp. Every save version is *claimed* (its directory is created
    exclusively) before writing, so two savers never share a version: an explicit
    version that exists raises :class:`VersionAlreadyExistsError`, and a generated
    one that another process took moves on to the next free millisecond.

    Subclasses call ``self._get_load_path()`` in ``load`` and either
    ``self._open_for_save()`` / ``self._local_path_for_save()`` (atomic, preferred)
    or ``self._get_save_path()`` (Kedro style) in ``save``.

    Args:
        filepath: The path on its filesystem, without protocol (a str is fine and
            cheaper: it is parsed into a PurePosixPath only when first used).
        version: ``Version(load, save)``, or ``None`` for no versioning.
        exists_function: ``path -> bool`` on the dataset's filesystem (default: the
            ``fs`` given, else the local filesystem).
        glob_function: ``pattern -> list[str]`` on the dataset's filesystem.
        fs: The fsspec filesystem; enables the atomic-save helpers on remote storage.

    Example:
        >>> import json
        >>> from ordino.io.files import parse_protocol_path, build_filesystem
        >>> class JSONFile(AbstractVersionedDataset[dict, dict]):
        ...     def __init__(self, filepath, version=None):
        ...         protocol, path = parse_protocol_path(filepath)
        ...         self._fs = build_filesystem(protocol)
        ...         super().__init__(PurePosixPath(path), version, fs=self._fs)
        ...     def load(self):
        ...         with self._fs.open(str(self._get_load_path())) as f:
        ...             return json.load(f)
        ...     def save(self, data):
        ...         with self._open_for_save("w") as f:
        ...             json.dump(data, f)
        ...     def _describe(self):
        ...         return {"filepath": str(self._filepath), "version": self._version}
    """

    def __init__(
        self,
        filepath: PurePosixPath | str,
        version: Version | None,
        exists_function: Callable[[str], bool] | None = None,
        glob_function: Callable[[str], list[str]] | None = None,
        *,
        fs: AbstractFileSystem | None = None,
    ) -> None:
        # A str is turned into a PurePosixPath on first use (see _filepath): the
        # parse costs microseconds, which matter for a catalog of 10,000 entries.
        self._filepath_value = filepath  # what the _filepath setter does, inlined
        self._version = version
        self._fs_for_versions = fs
        # Kept as given (None: ask ``fs`` when called, see the properties below):
        # storing ``fs.exists`` or a bound method of ``self`` would allocate two
        # objects per dataset, the latter a reference cycle only the GC frees.
        self._exists_given = exists_function
        self._glob_given = glob_function
        # Without ``fs`` but with custom functions the storage is unknown (maybe
        # remote): claiming a local directory would be wrong, so only check.
        self._claims_directories = fs is not None or (
            exists_function is None and glob_function is None
        )
        self._latest_load_version: str | None = None
        self._last_save_version: str | None = None

    _filepath_value: PurePosixPath | str

    @property
    def _filepath(self) -> PurePosixPath:
        """The dataset's path (without protocol), as a PurePosixPath."""
        value = self._filepath_value
        if isinstance(value, PurePosixPath):
            return value
        path = PurePosixPath(value)
        self._filepath_value = path
        return path

    @_filepath.setter
    def _filepath(self, value: PurePosixPath | str) -> None:
        self._filepath_value = value

    @property
    def _exists_function(self) -> Callable[[str], bool]:
        """``path -> bool`` on the dataset's storage (Kedro's attribute name)."""
        given = self._exists_given
        if given is not None:
            return given
        fs = self._fs_for_versions
        exists: Callable[[str], bool] = fs.exists if fs is not None else os.path.exists
        return exists

    @_exists_function.setter
    def _exists_function(self, function: Callable[[str], bool] | None) -> None:
        self._exists_given = function

    @property
    def _glob_function(self) -> Callable[[str], list[str]]:
        """``pattern -> paths`` on the dataset's storage (Kedro's attribute name)."""
        given = self._glob_given
        if given is not None:
            return given
        fs = self._fs_for_versions
        found: Callable[[str], list[str]] = fs.glob if fs is not None else _glob
        return found

    @_glob_function.setter
    def _glob_function(self, function: Callable[[str], list[str]] | None) -> None:
        self._glob_given = function

    # -- versions -----------------------------------------------------------------

    def _get_versioned_path(self, version: str) -> PurePosixPath:
        return self._filepath / version / self._filepath.name

    def list_versions(self) -> list[str]:
        """Every saved version of this dataset, oldest first."""
        pattern = str(self._get_versioned_path("*"))
        try:
            paths = self._glob_function(pattern)
        except Exception as exc:  # permissions, missing bucket: say where we looked
            raise VersionNotFoundError(
                f"Cannot list the versions of {self} under '{self._filepath}': {exc}",
                hint="Check that the path exists and is readable.",
            ) from exc
        versions = {PurePosixPath(p).parent.name for p in paths}
        return sorted(v for v in versions if not v.startswith("."))

    def resolve_load_version(self) -> str | None:
        """The version ``load`` reads: the pinned one, else the latest (cached)."""
        if not self._version:
            return None
        if self._version.load:
            return self._version.load
        if self._latest_load_version is None:
            versions = self.list_versions()
            if not versions:
                raise VersionNotFoundError(
                    f"Did not find any versions for {self} under '{self._filepath}'.",
                    hint="Save the dataset first, or check the filepath.",
                )
            self._latest_load_version = versions[-1]
        return self._latest_load_version

    def resolve_save_version(self) -> str | None:
        """The version the last save used, or would use now if none happened yet."""
        if not self._version:
            return None
        return self._version.save or self._last_save_version or generate_timestamp()

    def _get_load_path(self) -> PurePosixPath:
        """Where ``load`` reads: the filepath, or the resolved version's file."""
        if not self._version:
            return self._filepath
        version = self.resolve_load_version()
        assert version is not None  # a versioned dataset always resolves one
        path = self._get_versioned_path(version)
        if self._version.load and not self._exists_function(str(path)):
            raise VersionNotFoundError(
                f"Version '{version}' of {self} does not exist at '{path}'.",
                hint="List the saved versions with list_versions().",
            )
        return path

    def _get_save_path(self) -> PurePosixPath:
        """Claim and return where ``save`` writes.

        Unversioned: the filepath. Versioned: creates ``<filepath>/<version>/``
        exclusively, so the returned path belongs to this call alone. Call it once
        per save.

        Raises:
            VersionAlreadyExistsError: the explicit save version was already saved.
            DatasetError: ``<filepath>`` is an existing file, not a directory.
        """
        if not self._version:
            return self._filepath
        explicit = self._version.save
        version = explicit or generate_timestamp()
        while not self._claim_version(version, explicit=explicit is not None):
            version = _next_timestamp(version)
        self._last_save_version = version
        self._latest_load_version = None  # the next load looks again
        if self._version.load and self._version.load != version:
            logger.warning(
                "Save version '%s' does not match load version '%s' for %s: "
                "a later load reads the pinned load version, not this save.",
                version,
                self._version.load,
                self,
            )
        return self._get_versioned_path(version)

    def _claim_version(self, version: str, *, explicit: bool) -> bool:
        """Create the version directory; False if a generated version is taken."""
        directory = str(self._filepath / version)
        target = str(self._get_versioned_path(version))
        from ordino.io.files import make_exclusive_dir

        try:
            if self._claims_directories:
                make_exclusive_dir(self._fs_for_versions, directory)
            elif self._exists_function(target):
                raise FileExistsError(target)
        except FileExistsError:
            if not explicit:
                return False
            if self._exists_function(target):
                raise VersionAlreadyExistsError(
                    f"Version '{version}' of {self} already exists at '{target}'.",
                    hint="Versions are never overwritten: save under a new version "
                    "(leave the save version unset to use the current time).",
                ) from None
            return True  # an empty claim left by a failed save: reuse it
        except NotADirectoryError as exc:
            raise DatasetError(
                f"Cannot save a version of {self}: '{self._filepath}' exists and is "
                "not a directory.",
                hint="Versioned datasets store '<filepath>/<version>/<basename>'; "
                "move the unversioned file away or turn versioning off.",
            ) from exc
        except OSError as exc:
            raise DatasetError(
                f"Cannot create the version directory '{directory}' of {self}: {exc}",
                hint="Check that the location exists and is writable.",
            ) from exc
        return True

    # -- atomic saving helpers ----------------------------------------------------

    @contextmanager
    def _open_for_save(self, mode: str = "wb", **open_kwargs: Any) -> Iterator[IO[Any]]:
        """Open the (claimed) save path for writing, atomically.

        Data goes to a temporary sibling that is renamed into place only if the
        ``with`` block succeeds; a versioned save never replaces an existing file.
        ``open_kwargs`` go to ``open`` (``encoding``, ``newline``...).
        """
        from ordino.io.files import atomic_open

        path = str(self._get_save_path())
        with (
            self._saving(path),
            atomic_open(
                self._fs_for_versions,
                path,
                mode,
                overwrite=not self._version,
                **open_kwargs,
            ) as stream,
        ):
            yield stream

    @contextmanager
    def _local_path_for_save(self, suffix: str | None = None) -> Iterator[str]:
        """Yield a local temporary path to write to; moved into place on success.

        For libraries that insist on writing to a path (``savefig``, ``to_excel``).
        The temporary path keeps the target's extension unless ``suffix`` is given.
        """
        from ordino.io.files import atomic_local_path

        path = str(self._get_save_path())
        with (
            self._saving(path),
            atomic_local_path(
                self._fs_for_versions, path, overwrite=not self._version, suffix=suffix
            ) as local,
        ):
            yield local

    @contextmanager
    def _saving(self, path: str) -> Iterator[None]:
        """Release a version claim if the save fails; translate a lost race."""
        from ordino.io.files import remove_empty_dir

        try:
            yield
        except FileExistsError as exc:
            raise VersionAlreadyExistsError(
                f"Cannot save {self}: '{path}' was written by another save meanwhile.",
                hint="Versions are never overwritten: save under a new version.",
            ) from exc
        except BaseException:
            if self._version:
                remove_empty_dir(self._fs_for_versions, str(PurePosixPath(path).parent))
            raise
        finally:
            self._release_version_cache()

    def _release_version_cache(self) -> None:
        self._latest_load_version = None

    # -- AbstractDataset hooks ----------------------------------------------------

    def exists(self) -> bool:
        """Whether the file (or the resolved version) exists; never raises for a
        dataset that has no version yet."""
        try:
            return self._exists()
        except VersionNotFoundError:
            return False

    def _exists(self) -> bool:
        return bool(self._exists_function(str(self._get_load_path())))

    def _release(self) -> None:
        super()._release()
        self._release_version_cache()


def _glob(pattern: str) -> list[str]:
    import glob

    return glob.glob(pattern)
