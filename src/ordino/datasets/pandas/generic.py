"""``pandas.GenericDataset``: any ``pandas.read_<fmt>`` / ``DataFrame.to_<fmt>``."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from ordino.datasets._file import FileDataset
from ordino.datasets.pandas._common import pandas_module
from ordino.errors import DatasetError
from ordino.io.dataset import Version

if TYPE_CHECKING:
    import os

    import pandas as pd

__all__ = ["GenericDataset"]

# pandas readers/writers whose target is not a file: they make no sense here.
NON_FILE_FORMATS = frozenset(
    {"clipboard", "numpy", "sql", "sql_query", "sql_table", "period", "records",
     "timestamp", "xarray", "dict", "gbq", "string", "markdown", "latex"}
)  # fmt: skip


class GenericDataset(FileDataset["pd.DataFrame", "pd.DataFrame"]):
    """Reads with ``pandas.read_<file_format>`` and writes with ``to_<file_format>``.

    For formats without a dedicated dataset (``orc``, ``stata``, ``html``, ``xml``,
    ``pickle``...). The library writes to a temporary path that is renamed into
    place, so saves stay atomic.

    Example:
        >>> import pandas as pd, tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "cars.pkl")
        >>> dataset = GenericDataset(filepath=path, file_format="pickle")
        >>> dataset.save(pd.DataFrame({"a": [1, 2]}))
        >>> dataset.load()["a"].tolist()
        [1, 2]
    """

    def __init__(
        self,
        *,
        filepath: str | os.PathLike[str],
        file_format: str,
        load_args: Mapping[str, Any] | None = None,
        save_args: Mapping[str, Any] | None = None,
        version: Version | None = None,
        credentials: Mapping[str, Any] | None = None,
        fs_args: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        if not isinstance(file_format, str) or file_format in NON_FILE_FORMATS:
            raise DatasetError(
                f"pandas.GenericDataset '{filepath}': file_format {file_format!r} "
                "does not read or write a file.",
                hint="Use a format pandas reads from a file (csv, parquet, orc, "
                "stata, xml, pickle...), or pandas.SQLTableDataset for databases.",
            )
        self._file_format = file_format
        super().__init__(
            filepath=filepath,
            load_args=load_args,
            save_args=save_args,
            version=version,
            credentials=credentials,
            fs_args=fs_args,
            metadata=metadata,
        )

    def _function(self, prefix: str, owner: Any) -> Any:
        function = getattr(owner, f"{prefix}_{self._file_format}", None)
        if function is None:
            where = "pandas" if prefix == "read" else "DataFrame"
            raise DatasetError(
                f"pandas.GenericDataset '{self._display(self._filepath)}': pandas "
                f"has no '{where}.{prefix}_{self._file_format}'.",
                hint="Check file_format against https://pandas.pydata.org/docs/"
                "reference/io.html (e.g. 'csv', 'parquet', 'orc').",
            )
        return function

    def _load_from(self, path: PurePosixPath) -> pd.DataFrame:
        reader = self._function("read", pandas_module("pandas.GenericDataset"))
        with self._fs.open(self._full(path), mode="rb") as stream:
            frame: pd.DataFrame = reader(stream, **self._load_args)
        return frame

    def _save_to(self, data: pd.DataFrame) -> None:
        pandas = pandas_module("pandas.GenericDataset")
        if not isinstance(data, pandas.DataFrame):
            raise TypeError(
                "pandas.GenericDataset saves a pandas DataFrame, got "
                f"{type(data).__name__}"
            )
        writer = getattr(data, self._function("to", pandas.DataFrame).__name__)
        with self._local_path_for_save() as temp:
            writer(temp, **self._save_args)

    def _describe(self) -> dict[str, Any]:
        return {"file_format": self._file_format, **super()._describe()}
