"""``pandas.JSONDataset``: a DataFrame as a JSON file (``read_json``/``to_json``)."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any

from ordino.datasets._file import FileDataset
from ordino.datasets.pandas._common import pandas_module, table_preview

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["JSONDataset"]


class JSONDataset(FileDataset["pd.DataFrame", "pd.DataFrame"]):
    """Loads and saves a DataFrame as JSON; ``load_args``/``save_args`` go to pandas.

    Example:
        >>> import pandas as pd, tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "cars.json")
        >>> dataset = JSONDataset(filepath=path)
        >>> dataset.save(pd.DataFrame({"a": [1, 2]}))
        >>> dataset.load()["a"].tolist()
        [1, 2]
    """

    def _read(self, stream: IO[Any]) -> pd.DataFrame:
        pandas = pandas_module("pandas.JSONDataset")
        frame: pd.DataFrame = pandas.read_json(stream, **self._load_args)
        return frame

    def _write(self, data: pd.DataFrame, stream: IO[Any]) -> None:
        data.to_json(stream, **self._save_args)

    def preview(self, nrows: int = 5, **kwargs: Any) -> dict[str, Any]:
        """The first ``nrows`` rows."""
        path = self._get_load_path()
        return self._reported(
            "preview",
            self._display(path),
            lambda: table_preview(self._load_from(path).head(nrows)),
        )
