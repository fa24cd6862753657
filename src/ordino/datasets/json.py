"""``json.JSONDataset``: plain Python data (dicts, lists...) as a JSON file."""

from __future__ import annotations

import json
from typing import IO, Any, ClassVar

from ordino.datasets._file import FileDataset

__all__ = ["JSONDataset"]


class JSONDataset(FileDataset[Any, Any]):
    """Loads with ``json.load`` and saves with ``json.dump`` (``indent: 2`` default).

    Example:
        >>> import tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "metrics.json")
        >>> dataset = JSONDataset(filepath=path)
        >>> dataset.save({"accuracy": 0.9})
        >>> dataset.load()
        {'accuracy': 0.9}
    """

    DEFAULT_SAVE_ARGS: ClassVar[dict[str, Any]] = {"indent": 2}
    TEXT: ClassVar[bool] = True

    def _read(self, stream: IO[Any]) -> Any:
        return json.load(stream, **self._load_args)

    def _write(self, data: Any, stream: IO[Any]) -> None:
        json.dump(data, stream, **self._save_args)

    def preview(self, **kwargs: Any) -> Any:
        """The whole document: JSON files are small and already displayable."""
        path = self._get_load_path()
        return self._reported(
            "preview", self._display(path), lambda: self._load_from(path)
        )
