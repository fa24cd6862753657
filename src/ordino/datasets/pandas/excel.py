"""``pandas.ExcelDataset``: one DataFrame, or a dict of sheets, as an Excel workbook."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import IO, TYPE_CHECKING, Any, ClassVar, Union

from ordino.datasets._file import FileDataset
from ordino.datasets._imports import require
from ordino.datasets.pandas._common import pandas_module, table_preview
from ordino.io.dataset import Version

if TYPE_CHECKING:
    import os

    import pandas as pd

__all__ = ["ExcelDataset"]

Sheets = Union["pd.DataFrame", dict[str, "pd.DataFrame"]]


class ExcelDataset(FileDataset[Sheets, Sheets]):
    """Loads and saves ``.xlsx`` workbooks through openpyxl.

    ``load_args: {sheet_name: null}`` loads every sheet as a dict name -> frame;
    saving a dict writes one sheet per key. ``save_args: {writer: {...}}`` goes to
    ``pandas.ExcelWriter``; with ``writer: {mode: a}`` the sheets are added to the
    existing workbook, still atomically (the new workbook replaces the old at once).

    Example:
        >>> import pandas as pd, tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "report.xlsx")
        >>> dataset = ExcelDataset(filepath=path, load_args={"sheet_name": None})
        >>> dataset.save({"a": pd.DataFrame({"x": [1]}), "b": pd.DataFrame({"y": [2]})})
        >>> sorted(dataset.load())
        ['a', 'b']
    """

    DEFAULT_LOAD_ARGS: ClassVar[dict[str, Any]] = {"engine": "openpyxl"}
    DEFAULT_SAVE_ARGS: ClassVar[dict[str, Any]] = {"index": False}

    def __init__(
        self,
        *,
        filepath: str | os.PathLike[str],
        engine: str = "openpyxl",
        load_args: Mapping[str, Any] | None = None,
        save_args: Mapping[str, Any] | None = None,
        version: Version | None = None,
        credentials: Mapping[str, Any] | None = None,
        fs_args: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(
            filepath=filepath,
            load_args={"engine": engine, **dict(load_args or {})},
            save_args=save_args,
            version=version,
            credentials=credentials,
            fs_args=fs_args,
            metadata=metadata,
        )
        self._engine = engine
        self._writer_args: dict[str, Any] = {"engine": engine}
        self._writer_args.update(self._save_args.pop("writer", None) or {})

    def _read(self, stream: IO[Any]) -> Sheets:
        require("openpyxl", extra="pandas", dataset="pandas.ExcelDataset")
        pandas = pandas_module("pandas.ExcelDataset")
        sheets: Sheets = pandas.read_excel(stream, **self._load_args)
        return sheets

    def _save_to(self, data: Sheets) -> None:
        require("openpyxl", extra="pandas", dataset="pandas.ExcelDataset")
        pandas = pandas_module("pandas.ExcelDataset")
        sheets = data if isinstance(data, Mapping) else {None: data}
        for frame in sheets.values():
            if not isinstance(frame, pandas.DataFrame):
                raise TypeError(
                    "pandas.ExcelDataset saves a DataFrame or a dict of DataFrames, "
                    f"got {type(frame).__name__}"
                )
        # The workbook is built in memory, then written atomically: a failing sheet
        # leaves no half-open file handle behind (openpyxl keeps one otherwise).
        writer_args = dict(self._writer_args)
        existing = self._existing_workbook() if writer_args.get("mode") == "a" else None
        if existing is None:
            writer_args.pop("mode", None)
            writer_args.pop("if_sheet_exists", None)
        else:
            writer_args.setdefault("if_sheet_exists", "replace")
        buffer = io.BytesIO(existing or b"")
        with pandas.ExcelWriter(buffer, **writer_args) as writer:
            for sheet_name, frame in sheets.items():
                args = dict(self._save_args)
                if sheet_name is not None:
                    args["sheet_name"] = sheet_name
                frame.to_excel(writer, **args)
        with self._open_for_save("wb") as stream:
            stream.write(buffer.getvalue())

    def _existing_workbook(self) -> bytes | None:
        """Append mode: the current workbook's bytes; None if there is none."""
        if self._version or not self._path_exists(str(self._filepath)):
            return None
        with self._fs.open(self._full(self._filepath), mode="rb") as stream:
            content: bytes = stream.read()
        return content

    def _describe(self) -> dict[str, Any]:
        description = super()._describe()
        description["writer_args"] = self._writer_args
        return description

    def preview(self, nrows: int = 5, **kwargs: Any) -> dict[str, Any]:
        """The first ``nrows`` rows of the configured sheet (the first if all)."""
        path = self._get_load_path()

        def first_rows() -> dict[str, Any]:
            pandas = pandas_module("pandas.ExcelDataset")
            args = {**self._load_args, **kwargs, "nrows": nrows}
            if args.get("sheet_name", 0) is None:
                args["sheet_name"] = 0
            with self._fs.open(self._full(path), mode="rb") as stream:
                return table_preview(pandas.read_excel(stream, **args))

        return self._reported("preview", self._display(path), first_rows)
