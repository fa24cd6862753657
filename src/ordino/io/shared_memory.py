"""Memory datasets shared between processes, for ``ParallelRunner``.

A :class:`SharedMemoryDataset` keeps its data in a ``multiprocessing`` manager
process, so workers can pass intermediate data to each other.
:class:`SharedMemoryDataCatalog` uses it for every name nothing else matches, and
tells the runner which datasets cannot travel to a worker.

Cost: every dataset of a manager shares one store in it, under a key of its own, and
a process looks the store's proxy up once (see ``_store_proxy``). So a dataset
costs no round trip to create or to unpickle in a worker, one to save and one for
the last load (``take``). A proxy per dataset, as in Kedro, costs several round
trips more per dataset (creating it, and a reference count update for every
process that unpickles it and for every copy that is garbage-collected): about
3 ms per dataset passed between two nodes on a busy machine.
"""

from __future__ import annotations

import contextlib
import pickle
import threading
import uuid
import weakref
from multiprocessing import managers
from multiprocessing.managers import SyncManager
from typing import Any, ClassVar

from ordino.errors import DatasetError
from ordino.io.catalog import DataCatalog
from ordino.io.dataset import AbstractDataset
from ordino.io.memory import MemoryDataset

__all__ = ["MemoryDatasetManager", "SharedMemoryDataCatalog", "SharedMemoryDataset"]


class MemoryDatasetManager(SyncManager):
    """A SyncManager that hosts the data of SharedMemoryDatasets.

    ``manager.MemoryDataset()`` (Kedro's per-dataset proxy) works too.

    Example:
        >>> manager = MemoryDatasetManager()
        >>> manager.start()
        >>> shared = SharedMemoryDataset(manager)
        >>> shared.save({"a": 1}); shared.load()
        {'a': 1}
        >>> manager.shutdown()
    """


def _manager_memory_dataset() -> MemoryDataset:
    # Values reach the manager unpickled (a private copy) and leave it pickled (a
    # copy again), so copying inside the manager would only double the memory.
    return MemoryDataset(copy_mode="assign")


class _Missing:
    """What the store returns for a key with no data (cheaper than an exception
    through the proxy, and the caller words the error)."""

    def __reduce__(self) -> str:
        return "_MISSING"


_MISSING: Any = _Missing()


class _Store:
    """Lives in the manager process: every SharedMemoryDataset's data, by key.

    Values arrive unpickled (a private copy) and leave pickled (a copy again), so
    the store keeps them as they are.
    """

    def __init__(self) -> None:
        self._data: dict[str, Any] = {}

    def save(self, key: str, data: Any) -> None:
        self._data[key] = data

    def load(self, key: str) -> Any:
        return self._data.get(key, _MISSING)

    def take(self, key: str) -> Any:
        return self._data.pop(key, _MISSING)

    def exists(self, key: str) -> bool:
        return key in self._data

    def release(self, key: str) -> None:
        self._data.pop(key, None)

    def describe(self, key: str) -> dict[str, Any]:
        data = self._data.get(key, _MISSING)
        return {"data": None if data is _MISSING else f"<{type(data).__name__}>"}


MemoryDatasetManager.register(
    "MemoryDataset",
    _manager_memory_dataset,
    exposed=("load", "save", "exists", "release", "describe", "_describe"),
)
MemoryDatasetManager.register(
    "SharedStore",
    _Store,
    exposed=("save", "load", "take", "exists", "release", "describe"),
)

# This process's proxy to each manager's store, by the store's (address, id): a
# dataset unpickled in a worker reuses it instead of building (and announcing to
# the manager) a proxy of its own.
_PROXIES: dict[tuple[Any, str], Any] = {}  # proxies of _Store (untyped)
_STORES: dict[Any, Any] = {}  # manager address -> its store (creator side)
_LOCK = threading.Lock()


def _store_of(manager: SyncManager) -> Any:
    """The store of ``manager``, created on first use (once per manager)."""
    address = manager.address
    with _LOCK:
        store = _STORES.get(address)
        if store is None:
            store = _STORES[address] = manager.SharedStore()  # type: ignore[attr-defined]
            _PROXIES[(address, store._token.id)] = store
        return store


def _store_proxy(rebuild_args: tuple[Any, ...]) -> Any:
    """The proxy ``RebuildProxy(*rebuild_args)`` would build, built once a process."""
    token = rebuild_args[1]
    key = (token.address, token.id)
    with _LOCK:
        proxy = _PROXIES.get(key)
        if proxy is None:
            rebuild = managers.RebuildProxy  # type: ignore[attr-defined]
            proxy = _PROXIES[key] = rebuild(*rebuild_args)
        return proxy


def _forget(store: Any, key: str) -> None:
    # The dataset that owned the key is gone; so may be the manager (then there is
    # nothing left to free).
    with contextlib.suppress(Exception):
        store.release(key)


class SharedMemoryDataset(AbstractDataset[Any, Any]):
    """Data in a manager process, usable from every worker.

    Args:
        manager: A started :class:`MemoryDatasetManager`; may be set later with
            ``set_manager`` (``ParallelRunner`` does it).
    """

    def __init__(self, manager: SyncManager | None = None) -> None:
        self._init_args = ((), {})  # a manager cannot be pickled; never record it
        self._store: Any = None  # a proxy of the manager's _Store
        self._key = ""
        if manager is not None:
            self.set_manager(manager)

    def set_manager(self, manager: SyncManager) -> None:
        """Keep this dataset's data in ``manager`` (under a key of its own).

        The process that sets the manager owns the data: it is released when this
        object is garbage-collected there (copies in workers never release it).
        """
        self._store = _store_of(manager)
        self._key = uuid.uuid4().hex
        finalizer = weakref.finalize(self, _forget, self._store, self._key)
        finalizer.atexit = False  # the manager stops at exit anyway

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        if self._store is not None:
            # The proxy's own reduction, kept as arguments: unpickling looks the
            # proxy up in this process instead of building one.
            state["_store"] = self._store.__reduce__()[1]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        rebuild = state.get("_store")
        if rebuild is not None:
            state["_store"] = _store_proxy(rebuild)
        self.__dict__.update(state)

    @property
    def shared_memory_dataset(self) -> Any:
        """The store holding the data (None before ``set_manager``)."""
        return self._store

    def _proxy(self) -> Any:
        if self._store is None:
            raise DatasetError(
                "SharedMemoryDataset has no manager.",
                hint="Call set_manager(manager) (the ParallelRunner does it).",
            )
        return self._store

    def load(self) -> Any:
        return self._present(self._proxy().load(self._key))

    def take(self) -> Any:
        """Load and release in one round trip: what the last reader does."""
        return self._present(self._proxy().take(self._key))

    def _present(self, data: Any) -> Any:
        if data is _MISSING:
            raise DatasetError(
                "Data for SharedMemoryDataset has not been saved yet.",
                hint="Run the node that produces it first, or pass it as an input.",
            )
        return data

    def save(self, data: Any) -> None:
        store = self._proxy()
        try:
            store.save(self._key, data)
        except DatasetError:
            raise
        except Exception as exc:
            try:
                pickle.dumps(data)
            except Exception as pickling_error:
                raise DatasetError(
                    f"{type(data).__qualname__} cannot be pickled, so it cannot be "
                    "shared between ParallelRunner processes.",
                    hint="Return picklable data from the node, or declare the "
                    "dataset in the catalog so it is saved to a file.",
                ) from pickling_error
            raise exc

    def _exists(self) -> bool:
        return self._store is not None and bool(self._store.exists(self._key))

    def _release(self) -> None:
        if self._store is not None:
            self._store.release(self._key)

    def _init_config(self) -> dict[str, Any]:
        return {"type": "ordino.io.SharedMemoryDataset"}

    def _describe(self) -> dict[str, Any]:
        if self._store is None:
            return {"shared_memory_dataset": None}
        return {"shared_memory_dataset": self._store.describe(self._key)}


class SharedMemoryDataCatalog(DataCatalog):
    """The catalog ParallelRunner uses: runtime datasets live in a manager process.

    Example:
        >>> catalog = SharedMemoryDataCatalog({"x": MemoryDataset(1)})
        >>> catalog.unpicklable_datasets()
        []
    """

    default_runtime_patterns: ClassVar[dict[str, dict[str, Any]]] = {
        "{default}": {"type": "ordino.io.SharedMemoryDataset"}
    }

    def set_manager_datasets(self, manager: SyncManager) -> None:
        """Give every SharedMemoryDataset of the catalog its manager."""
        for dataset in self._datasets.values():
            if isinstance(dataset, SharedMemoryDataset):
                dataset.set_manager(manager)

    def unpicklable_datasets(self) -> list[str]:
        """Names of built datasets that cannot be sent to a worker process."""
        from multiprocessing.reduction import ForkingPickler

        names = []
        for name, dataset in self._datasets.items():
            if getattr(dataset, "_SINGLE_PROCESS", False):
                names.append(name)
                continue
            try:
                ForkingPickler.dumps(dataset)
            except Exception:  # any pickling failure means "keep it in the parent"
                names.append(name)
        return sorted(names)

    def validate_catalog(self) -> None:
        """Raise if a dataset cannot be used from worker processes.

        Raises:
            DatasetError: naming every such dataset (``.datasets``).
        """
        names = self.unpicklable_datasets()
        if names:
            raise DatasetError(
                "These datasets cannot be used with multiprocessing because they "
                f"cannot be pickled: {', '.join(names)}.",
                hint="Datasets must not hold lambdas, closures, open connections or "
                "locks; decorators need functools.wraps.",
                datasets=tuple(names),
            )
