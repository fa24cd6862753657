"""``pandas.FeatherDataset``: a DataFrame as a Feather (Arrow IPC) file."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any

from ordino.datasets._file import FileDataset
from ordino.datasets.pandas._common import pandas_module, table_preview

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FeatherDataset"]


class FeatherDataset(FileDataset["pd.DataFrame", "pd.DataFrame"]):
    """Loads and saves Feather files with ``read_feather`` / ``to_feather``.

    Example:
        >>> import pandas as pd, tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "cars.feather")
        >>> dataset = FeatherDataset(filepath=path)
        >>> dataset.save(pd.DataFrame({"a": [1, 2]}))
        >>> dataset.load()["a"].tolist()
        [1, 2]
    """

    def _read(self, stream: IO[Any]) -> pd.DataFrame:
        pandas = pandas_module("pandas.FeatherDataset")
        frame: pd.DataFrame = pandas.read_feather(stream, **self._load_args)
        return frame

    def _write(self, data: pd.DataFrame, stream: IO[Any]) -> None:
        data.to_feather(stream, **self._save_args)

    def preview(self, nrows: int = 5, **kwargs: Any) -> dict[str, Any]:
        """The first ``nrows`` rows."""
        path = self._get_load_path()
        return self._reported(
            "preview",
            self._display(path),
            lambda: table_preview(self._load_from(path).head(nrows)),
        )
