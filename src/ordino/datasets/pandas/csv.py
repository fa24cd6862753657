"""``pandas.CSVDataset``: a DataFrame as a CSV file on any fsspec filesystem."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any, ClassVar

from ordino.datasets._file import FileDataset
from ordino.datasets.pandas._common import pandas_module, table_preview

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CSVDataset"]


class CSVDataset(FileDataset["pd.DataFrame", "pd.DataFrame"]):
    """Loads and saves a CSV file with ``pandas.read_csv`` / ``DataFrame.to_csv``.

    The index is not saved by default (``save_args: {index: false}``), so a frame
    loads back as it was saved. Saves are atomic.

    Example:
        >>> import pandas as pd, tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "cars.csv")
        >>> dataset = CSVDataset(filepath=path)
        >>> dataset.save(pd.DataFrame({"a": [1, 2]}))
        >>> dataset.load()["a"].tolist()
        [1, 2]
    """

    DEFAULT_SAVE_ARGS: ClassVar[dict[str, Any]] = {"index": False}
    PATH_IO = True

    def _read(self, stream: IO[Any]) -> pd.DataFrame:
        frame: pd.DataFrame = pandas_module("pandas.CSVDataset").read_csv(
            stream, **self._load_args
        )
        return frame

    def _write(self, data: pd.DataFrame, stream: IO[Any]) -> None:
        data.to_csv(stream, **self._save_args)

    def _read_path(self, path: str) -> pd.DataFrame:
        frame: pd.DataFrame = pandas_module("pandas.CSVDataset").read_csv(
            path, **self._load_args
        )
        return frame

    def _write_path(self, data: pd.DataFrame, path: str) -> None:
        data.to_csv(path, **self._save_args)

    def preview(self, nrows: int = 5, **kwargs: Any) -> dict[str, Any]:
        """The first ``nrows`` rows, read without loading the whole file.

        Extra keyword arguments override ``load_args`` for this preview only.
        """
        path = self._get_load_path()

        def first_rows() -> dict[str, Any]:
            read_csv = pandas_module("pandas.CSVDataset").read_csv
            args = {**self._load_args, **kwargs, "nrows": nrows}
            with self._fs.open(self._full(path), mode="rb") as stream:
                return table_preview(read_csv(stream, **args))

        return self._reported("preview", self._display(path), first_rows)
