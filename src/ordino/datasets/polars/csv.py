"""``polars.CSVDataset``: a polars DataFrame as a CSV file."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any, ClassVar

from ordino.datasets._file import FileDataset
from ordino.datasets.polars._common import polars_module, polars_preview

if TYPE_CHECKING:
    import polars as pl

__all__ = ["CSVDataset"]


class CSVDataset(FileDataset["pl.DataFrame", "pl.DataFrame"]):
    """Loads with ``polars.read_csv`` and saves with ``DataFrame.write_csv``.

    Example:
        >>> import polars as pl, tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "cars.csv")
        >>> dataset = CSVDataset(filepath=path)
        >>> dataset.save(pl.DataFrame({"a": [1, 2]}))
        >>> dataset.load()["a"].to_list()
        [1, 2]
    """

    # Kedro's default; polars 2 dropped the argument, so it is applied after reading.
    DEFAULT_LOAD_ARGS: ClassVar[dict[str, Any]] = {"rechunk": True}

    def _read(self, stream: IO[Any]) -> pl.DataFrame:
        polars = polars_module("polars.CSVDataset")
        args = dict(self._load_args)
        rechunk = bool(args.pop("rechunk", False))
        frame: pl.DataFrame = polars.read_csv(stream, **args)
        return frame.rechunk() if rechunk else frame

    def _write(self, data: pl.DataFrame, stream: IO[Any]) -> None:
        data.write_csv(stream, **self._save_args)

    def preview(self, nrows: int = 5, **kwargs: Any) -> dict[str, Any]:
        """The first ``nrows`` rows, read without loading the whole file."""
        path = self._get_load_path()

        def first_rows() -> dict[str, Any]:
            polars = polars_module("polars.CSVDataset")
            args = {**self._load_args, **kwargs, "n_rows": nrows}
            args.pop("rechunk", None)
            with self._fs.open(self._full(path), mode="rb") as stream:
                return polars_preview(polars.read_csv(stream, **args))

        return self._reported("preview", self._display(path), first_rows)
