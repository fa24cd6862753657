"""``pickle.PickleDataset``: any Python object via pickle, joblib or cloudpickle."""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from types import ModuleType
from typing import IO, Any

from ordino.datasets._file import FileDataset
from ordino.errors import DatasetError, MissingDependencyError
from ordino.io.dataset import Version
from ordino.suggest import closest_matches

__all__ = ["BACKENDS", "PickleDataset"]

#: Backends ordino knows by name -> the extra that installs them (None: stdlib).
BACKENDS: dict[str, str | None] = {
    "pickle": None,
    "joblib": "pickle",
    "cloudpickle": "pickle",
    "dill": None,
    "compress_pickle": None,
}


def _backend_module(backend: str, filepath: object) -> ModuleType:
    """Import the backend now, so a typo fails when the catalog is built."""
    try:
        module = importlib.import_module(backend)
    except ImportError as exc:
        if backend in BACKENDS:
            extra = BACKENDS[backend]
            install = (
                f'pip install "ordino[{extra}]"' if extra else f"pip install {backend}"
            )
            raise MissingDependencyError(
                f"pickle.PickleDataset '{filepath}': backend '{backend}' is not "
                "installed.",
                hint=f"Install it with: {install}",
                install=install,
            ) from exc
        raise DatasetError(
            f"pickle.PickleDataset '{filepath}': unknown backend '{backend}'.",
            suggestions=closest_matches(backend, BACKENDS),
            hint=f"Use one of {', '.join(BACKENDS)}, or any importable module "
            "with load(file) and dump(obj, file).",
        ) from exc
    if not (
        callable(getattr(module, "load", None))
        and callable(getattr(module, "dump", None))
    ):
        raise DatasetError(
            f"pickle.PickleDataset '{filepath}': backend '{backend}' has no "
            "load() and dump() functions.",
            suggestions=closest_matches(backend, BACKENDS),
            hint=f"Use one of {', '.join(BACKENDS)}.",
        )
    return module


class PickleDataset(FileDataset[Any, Any]):
    """Saves any object with ``<backend>.dump`` and loads it with ``<backend>.load``.

    ``backend`` is ``pickle`` (default), ``joblib`` (efficient for numpy arrays),
    ``cloudpickle`` (lambdas, local classes), or any module with ``load`` and
    ``dump``. Only load pickles you trust: unpickling runs code.

    Example:
        >>> import tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "model.pkl")
        >>> dataset = PickleDataset(filepath=path, backend="pickle")
        >>> dataset.save({"weights": [1, 2]})
        >>> dataset.load()
        {'weights': [1, 2]}
    """

    def __init__(
        self,
        *,
        filepath: str | os.PathLike[str],
        backend: str = "pickle",
        load_args: Mapping[str, Any] | None = None,
        save_args: Mapping[str, Any] | None = None,
        version: Version | None = None,
        credentials: Mapping[str, Any] | None = None,
        fs_args: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        self._backend_name = backend
        self._backend = _backend_module(backend, filepath)
        super().__init__(
            filepath=filepath,
            load_args=load_args,
            save_args=save_args,
            version=version,
            credentials=credentials,
            fs_args=fs_args,
            metadata=metadata,
        )

    def _read(self, stream: IO[Any]) -> Any:
        return self._backend.load(stream, **self._load_args)

    def _write(self, data: Any, stream: IO[Any]) -> None:
        self._backend.dump(data, stream, **self._save_args)

    def _describe(self) -> dict[str, Any]:
        return {"backend": self._backend_name, **super()._describe()}
