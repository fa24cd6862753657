"""``pandas.ParquetDataset``: a DataFrame as a Parquet file (or a folder to read)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import IO, TYPE_CHECKING, Any

from ordino.datasets._file import FileDataset
from ordino.datasets._imports import require
from ordino.datasets.pandas._common import pandas_module, table_preview
from ordino.errors import DatasetError
from ordino.io.dataset import Version

if TYPE_CHECKING:
    import os

    import pandas as pd

__all__ = ["ParquetDataset"]


class ParquetDataset(FileDataset["pd.DataFrame", "pd.DataFrame"]):
    """Loads and saves Parquet with pandas (pyarrow engine by default).

    A ``filepath`` that is a folder of Parquet files (a partitioned dataset written by
    Spark or pyarrow) loads as one frame. Saving with ``partition_cols`` is refused:
    a partitioned write is many files and cannot be atomic; use
    ``partitions.PartitionedDataset`` instead.

    Example:
        >>> import pandas as pd, tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "cars.parquet")
        >>> dataset = ParquetDataset(filepath=path)
        >>> dataset.save(pd.DataFrame({"a": [1, 2]}))
        >>> dataset.load()["a"].tolist()
        [1, 2]
    """

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
        super().__init__(
            filepath=filepath,
            load_args=load_args,
            save_args=save_args,
            version=version,
            credentials=credentials,
            fs_args=fs_args,
            metadata=metadata,
        )
        if "partition_cols" in self._save_args:
            raise DatasetError(
                f"pandas.ParquetDataset '{self._display(self._filepath)}' does not "
                "support the save argument 'partition_cols'.",
                hint="Use partitions.PartitionedDataset with a pandas.ParquetDataset "
                "per partition instead.",
            )

    PATH_IO = True

    def _load_from(self, path: PurePosixPath) -> pd.DataFrame:
        pandas = pandas_module("pandas.ParquetDataset")
        full = self._full(path)
        if self._fs.isdir(full):
            frame: pd.DataFrame = pandas.read_parquet(
                full, filesystem=self._fs, **self._load_args
            )
            return frame
        return super()._load_from(path)

    def _read(self, stream: IO[Any]) -> pd.DataFrame:
        pandas = pandas_module("pandas.ParquetDataset")
        frame: pd.DataFrame = pandas.read_parquet(stream, **self._load_args)
        return frame

    def _write(self, data: pd.DataFrame, stream: IO[Any]) -> None:
        data.to_parquet(stream, **self._save_args)

    def _read_path(self, path: str) -> pd.DataFrame:
        pandas = pandas_module("pandas.ParquetDataset")
        frame: pd.DataFrame = pandas.read_parquet(path, **self._load_args)
        return frame

    def _write_path(self, data: pd.DataFrame, path: str) -> None:
        data.to_parquet(path, **self._save_args)

    def preview(self, nrows: int = 5, **kwargs: Any) -> dict[str, Any]:
        """The first ``nrows`` rows (whole row groups are read, not the file)."""
        path = self._get_load_path()

        def first_rows() -> dict[str, Any]:
            pq = require("pyarrow.parquet", extra="pandas", dataset="ParquetDataset")
            with self._fs.open(self._full(path), mode="rb") as stream:
                batches = pq.ParquetFile(stream).iter_batches(
                    batch_size=nrows, columns=kwargs.get("columns")
                )
                batch = next(batches, None)
                if batch is None:
                    return table_preview(self._load_from(path))
                return table_preview(batch.to_pandas().head(nrows))

        return self._reported("preview", self._display(path), first_rows)
