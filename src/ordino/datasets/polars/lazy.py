"""``polars.LazyPolarsDataset``: scan a file lazily, save lazy or eager frames."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import IO, TYPE_CHECKING, Any, Union

from ordino.datasets._file import FileDataset
from ordino.datasets.polars._common import polars_module, polars_preview
from ordino.errors import DatasetError
from ordino.io.dataset import Version
from ordino.io.files import is_local

if TYPE_CHECKING:
    import os

    import polars as pl

__all__ = ["ACCEPTED_FILE_FORMATS", "LazyPolarsDataset"]

ACCEPTED_FILE_FORMATS = ("csv", "parquet", "ipc")

PolarsFrame = Union["pl.LazyFrame", "pl.DataFrame"]


class LazyPolarsDataset(FileDataset[PolarsFrame, "pl.LazyFrame"]):
    """Loads a ``LazyFrame`` with ``polars.scan_<format>``; saves lazy or eager frames.

    Nothing is read at load time: the query runs when the node collects it. A lazy
    frame is collected on save and written atomically.

    Example:
        >>> import polars as pl, tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "cars.parquet")
        >>> dataset = LazyPolarsDataset(filepath=path, file_format="parquet")
        >>> dataset.save(pl.DataFrame({"a": [1, 2]}).lazy())
        >>> dataset.load().collect()["a"].to_list()
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
        if file_format not in ACCEPTED_FILE_FORMATS:
            raise DatasetError(
                f"polars.LazyPolarsDataset '{filepath}': file_format {file_format!r} "
                "cannot be scanned lazily.",
                hint=f"Use one of {', '.join(ACCEPTED_FILE_FORMATS)}, or "
                "polars.EagerPolarsDataset for other formats.",
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

    def _load_from(self, path: PurePosixPath) -> pl.LazyFrame:
        polars = polars_module("polars.LazyPolarsDataset")
        scan = getattr(polars, f"scan_{self._file_format}")
        args = dict(self._load_args)
        if is_local(self._fs):
            target = self._full(path)
            if not self._fs.exists(target):  # scans are lazy: fail now, not later
                raise FileNotFoundError(f"No such file: '{target}'")
        else:
            target = self._display(path)
            if self._credentials:
                args.setdefault("storage_options", self._credentials)
        frame: pl.LazyFrame = scan(target, **args)
        return frame

    def _write(self, data: PolarsFrame, stream: IO[Any]) -> None:
        polars = polars_module("polars.LazyPolarsDataset")
        frame = data.collect() if isinstance(data, polars.LazyFrame) else data
        getattr(frame, f"write_{self._file_format}")(stream, **self._save_args)

    def preview(self, nrows: int = 5, **kwargs: Any) -> dict[str, Any]:
        """The first ``nrows`` rows (only those are read)."""
        path = self._get_load_path()
        return self._reported(
            "preview",
            self._display(path),
            lambda: polars_preview(self._load_from(path).head(nrows).collect()),
        )

    def _describe(self) -> dict[str, Any]:
        return {"file_format": self._file_format, **super()._describe()}
