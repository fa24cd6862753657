"""``polars.EagerPolarsDataset``: any ``polars.read_<format>``/``write_<format>``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, TYPE_CHECKING, Any

from ordino.datasets._file import FileDataset
from ordino.datasets.polars._common import polars_module, polars_preview
from ordino.errors import DatasetError
from ordino.io.dataset import Version

if TYPE_CHECKING:
    import os

    import polars as pl

__all__ = ["EagerPolarsDataset"]


class EagerPolarsDataset(FileDataset["pl.DataFrame", "pl.DataFrame"]):
    """Reads with ``polars.read_<file_format>``, writes with ``write_<file_format>``.

    Example:
        >>> import polars as pl, tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "cars.parquet")
        >>> dataset = EagerPolarsDataset(filepath=path, file_format="parquet")
        >>> dataset.save(pl.DataFrame({"a": [1, 2]}))
        >>> dataset.load()["a"].to_list()
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
        if not isinstance(file_format, str) or not file_format:
            raise DatasetError(
                f"polars.EagerPolarsDataset '{filepath}': file_format must be a "
                f"format name, got {file_format!r}.",
                hint="Use e.g. 'parquet', 'csv', 'ipc', 'json' or 'avro'.",
            )
        self._file_format = file_format.lower()
        super().__init__(
            filepath=filepath,
            load_args=load_args,
            save_args=save_args,
            version=version,
            credentials=credentials,
            fs_args=fs_args,
            metadata=metadata,
        )

    def _function(self, owner: Any, prefix: str) -> Any:
        function = getattr(owner, f"{prefix}_{self._file_format}", None)
        if function is None:
            where = "polars" if prefix == "read" else "polars.DataFrame"
            raise DatasetError(
                f"polars.EagerPolarsDataset '{self._display(self._filepath)}': "
                f"{where} has no '{prefix}_{self._file_format}'.",
                hint="Check file_format against the polars I/O API (csv, parquet, "
                "ipc, json, ndjson, avro...).",
            )
        return function

    def _read(self, stream: IO[Any]) -> pl.DataFrame:
        reader = self._function(polars_module("polars.EagerPolarsDataset"), "read")
        frame: pl.DataFrame = reader(stream, **self._load_args)
        return frame

    def _write(self, data: pl.DataFrame, stream: IO[Any]) -> None:
        polars = polars_module("polars.EagerPolarsDataset")
        if not isinstance(data, polars.DataFrame):
            raise TypeError(
                "polars.EagerPolarsDataset saves a polars DataFrame, got "
                f"{type(data).__name__}"
            )
        write = self._function(polars.DataFrame, "write").__name__
        getattr(data, write)(stream, **self._save_args)

    def preview(self, nrows: int = 5, **kwargs: Any) -> dict[str, Any]:
        """The first ``nrows`` rows."""
        path = self._get_load_path()
        return self._reported(
            "preview",
            self._display(path),
            lambda: polars_preview(self._load_from(path).head(nrows)),
        )

    def _describe(self) -> dict[str, Any]:
        return {"file_format": self._file_format, **super()._describe()}
