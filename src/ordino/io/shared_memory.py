"""Memory datasets shared between processes, for ``ParallelRunner``.

A :class:`SharedMemoryDataset` is a proxy to a :class:`MemoryDataset` that lives in a
``multiprocessing`` manager process, so workers can pass intermediate data to each
other. :class:`SharedMemoryDataCatalog` uses it for every name nothing else matches,
and tells the runner which datasets cannot travel to a worker.
"""

from __future__ import annotations

import pickle
from multiprocessing.managers import SyncManager
from typing import Any, ClassVar

from ordino.errors import DatasetError
from ordino.io.catalog import DataCatalog
from ordino.io.dataset import AbstractDataset
from ordino.io.memory import MemoryDataset

__all__ = ["MemoryDatasetManager", "SharedMemoryDataCatalog", "SharedMemoryDataset"]


class MemoryDatasetManager(SyncManager):
    """A SyncManager that can host MemoryDatasets (``manager.MemoryDataset()``).

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


MemoryDatasetManager.register(
    "MemoryDataset",
    _manager_memory_dataset,
    exposed=("load", "save", "exists", "release", "describe", "_describe"),
)


class SharedMemoryDataset(AbstractDataset[Any, Any]):
    """A MemoryDataset in a manager process, usable from every worker.

    Args:
        manager: A started manager with ``MemoryDataset`` registered (see
            :class:`MemoryDatasetManager`); may be set later with ``set_manager``.
    """

    def __init__(self, manager: SyncManager | None = None) -> None:
        self._init_args = ((), {})  # a manager cannot be pickled; never record it
        self.shared_memory_dataset: Any = None
        if manager is not None:
            self.set_manager(manager)

    def set_manager(self, manager: SyncManager) -> None:
        """Create the shared MemoryDataset in ``manager``."""
        self.shared_memory_dataset = manager.MemoryDataset()  # type: ignore[attr-defined]

    def _proxy(self) -> Any:
        if self.shared_memory_dataset is None:
            raise DatasetError(
                "SharedMemoryDataset has no manager.",
                hint="Call set_manager(manager) (the ParallelRunner does it).",
            )
        return self.shared_memory_dataset

    def load(self) -> Any:
        return self._proxy().load()

    def save(self, data: Any) -> None:
        try:
            self._proxy().save(data)
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
        return self.shared_memory_dataset is not None and bool(
            self.shared_memory_dataset.exists()
        )

    def _release(self) -> None:
        if self.shared_memory_dataset is not None:
            self.shared_memory_dataset.release()

    def _init_config(self) -> dict[str, Any]:
        return {"type": "ordino.io.SharedMemoryDataset"}

    def _describe(self) -> dict[str, Any]:
        if self.shared_memory_dataset is None:
            return {"shared_memory_dataset": None}
        return {"shared_memory_dataset": self.shared_memory_dataset._describe()}


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
