"""MemoryDataset: data kept in the process, with copy semantics and few copies.

Semantics (Kedro's): what a consumer loads cannot be changed by the producer
mutating what it saved, and one consumer mutating what it loaded cannot change what
the next one loads. By default pandas and numpy objects are copied with ``.copy()``
and everything else with ``copy.deepcopy``; ``copy_mode`` ("deepcopy", "copy",
"assign") overrides it.

Copies are expensive for big arrays, so ordino avoids the ones nobody can observe:

* **Save takes ownership of a temporary.** When ``sys.getrefcount`` proves that the
  caller keeps no reference to a numpy array that owns its memory (a node output
  handed straight to the catalog, ``save(np.ones(n))``), no one else can mutate it,
  so it is stored as is. Any other object is copied.
* **pandas copies are lazy.** With pandas copy-on-write (always on in pandas 3, opt-in
  before), a shallow copy behaves exactly like a deep one and copies a column only
  when one side writes to it.
* **A last load can move the data out.** ``load(release=True)`` (what the catalog
  does for ``catalog.load(name, release=True)``) hands over the stored object without
  a copy when the dataset holds its only reference, and forgets it: the runner's
  "release after the last consumer" without the extra copy.

Limits, honestly: a numpy array that the caller still references, or a view of
another array, is copied on save; every load that is not the last copies too. Other
objects are deep-copied as in Kedro.
"""

from __future__ import annotations

import copy
import sys
from typing import Any

from ordino.errors import DatasetError
from ordino.io.dataset import AbstractDataset

__all__ = ["COPY_MODES", "MemoryDataset"]

COPY_MODES = ("deepcopy", "copy", "assign")


class _Empty:
    """The "nothing saved yet" marker; a singleton, also through pickling."""

    def __repr__(self) -> str:
        return "<empty>"

    def __reduce__(self) -> str:
        return "_EMPTY"  # unpickles as this module's _EMPTY


_EMPTY: Any = _Empty()


def _refcount_of_argument(data: object) -> int:
    return sys.getrefcount(data)


def _refcount_of_local() -> int:
    data = object()
    return sys.getrefcount(data)


# What sys.getrefcount reports for an object nobody else holds, seen as a function
# argument and as a local: the frame's reference plus getrefcount's own. Measured
# rather than assumed, because it differs between Python versions.
_SOLE_ARGUMENT = _refcount_of_argument(object())
_SOLE_LOCAL = _refcount_of_local()


class MemoryDataset(AbstractDataset[Any, Any]):
    """Keeps data in memory for the duration of a run.

    Args:
        data: Initial data (optional).
        copy_mode: "deepcopy", "copy" or "assign"; ``None`` picks by type
            (pandas/numpy -> copy, else deepcopy).
        metadata: Free-form information for plugins; ignored by ordino.

    Example:
        >>> ds = MemoryDataset(copy_mode="copy")
        >>> data = [1, 2]
        >>> ds.save(data); data.append(3)
        >>> ds.load()
        [1, 2]
    """

    def __init__(
        self,
        data: Any = _EMPTY,
        copy_mode: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        if copy_mode is not None and copy_mode not in COPY_MODES:
            raise DatasetError(
                f"Invalid copy mode '{copy_mode}' for MemoryDataset.",
                hint=f"Use one of: {', '.join(COPY_MODES)}.",
            )
        self._copy_mode = copy_mode
        self.metadata = metadata
        # Do not keep the initial data alive through the recorded arguments: it
        # would survive release() and defeat the ownership check on save.
        self._init_args = ((), {})
        self._data: Any = _EMPTY
        if data is not _EMPTY:
            self._data = _copy(data, self._mode_for(data))

    def _mode_for(self, data: Any) -> str:
        return self._copy_mode or infer_copy_mode(data)

    def load(self, *, release: bool = False) -> Any:
        """Return a copy of the data; ``release=True`` moves it out when it can."""
        if self._data is _EMPTY:
            raise DatasetError(
                "Data for MemoryDataset has not been saved yet.",
                hint="Run the node that produces it first, or pass it as an input.",
            )
        mode = self._mode_for(self._data)
        if release:
            data, self._data = self._data, _EMPTY
            if mode == "assign" or sys.getrefcount(data) <= _SOLE_LOCAL:
                return data
            return _copy(data, mode)
        return _copy(self._data, mode)

    def save(self, data: Any) -> None:
        """Store a copy of ``data`` (or ``data`` itself when nobody else holds it)."""
        references = sys.getrefcount(data)  # first: later calls hold references too
        mode = self._mode_for(data)
        if mode == "copy" and references <= _SOLE_ARGUMENT and _is_owned_array(data):
            self._data = data
        else:
            self._data = _copy(data, mode)

    def _exists(self) -> bool:
        return self._data is not _EMPTY

    def _release(self) -> None:
        self._data = _EMPTY

    def _describe(self) -> dict[str, Any]:
        if self._data is _EMPTY:
            return {"data": None}
        return {"data": f"<{type(self._data).__name__}>"}

    def _init_config(self) -> dict[str, Any]:
        return {"type": "ordino.io.MemoryDataset", "copy_mode": self._copy_mode}


def _is_owned_array(data: Any) -> bool:
    """True for a numpy array that owns its memory (not a view of another one)."""
    numpy = sys.modules.get("numpy")
    return (
        numpy is not None
        and type(data) is numpy.ndarray
        and bool(data.flags.owndata)
        and data.dtype != object  # elements could be shared mutable objects
    )


def infer_copy_mode(data: Any) -> str:
    """ "copy" for pandas and numpy objects, "deepcopy" for everything else.

    Decided from the type's module, so that pandas is never imported to ask.
    """
    root = type(data).__module__.partition(".")[0]
    return "copy" if root in ("pandas", "numpy") else "deepcopy"


def _copy(data: Any, mode: str) -> Any:
    if mode == "deepcopy":
        return copy.deepcopy(data)
    if mode == "copy":
        if _pandas_copy_on_write(data):
            return data.copy(deep=False)  # copy-on-write: a lazy, full copy
        return data.copy()
    if mode == "assign":
        return data
    raise DatasetError(
        f"Invalid copy mode '{mode}' for MemoryDataset.",
        hint=f"Use one of: {', '.join(COPY_MODES)}.",
    )


def _pandas_copy_on_write(data: Any) -> bool:
    if type(data).__module__.partition(".")[0] != "pandas":
        return False
    pandas = sys.modules.get("pandas")
    if pandas is None:
        return False
    version = int(pandas.__version__.split(".")[0])
    if version >= 3:
        return True
    return bool(pandas.options.mode.copy_on_write is True)
