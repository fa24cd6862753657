"""``text.TextDataset``: a string as a text file."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import IO, Any, ClassVar

from ordino.datasets._file import FileDataset
from ordino.io.dataset import Version

__all__ = ["TextDataset"]


class TextDataset(FileDataset[str, str]):
    """Loads a file's text and saves a string (UTF-8 unless ``fs_args`` say otherwise).

    Example:
        >>> import tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "notes.txt")
        >>> dataset = TextDataset(filepath=path)
        >>> dataset.save("hello")
        >>> dataset.load()
        'hello'
    """

    TEXT: ClassVar[bool] = True

    def __init__(
        self,
        *,
        filepath: str | os.PathLike[str],
        version: Version | None = None,
        credentials: Mapping[str, Any] | None = None,
        fs_args: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(
            filepath=filepath,
            version=version,
            credentials=credentials,
            fs_args=fs_args,
            metadata=metadata,
        )

    def _read(self, stream: IO[Any]) -> str:
        text: str = stream.read()
        return text

    def _write(self, data: str, stream: IO[Any]) -> None:
        if not isinstance(data, str):
            raise TypeError(f"text.TextDataset saves a str, got {type(data).__name__}")
        stream.write(data)

    def preview(self, **kwargs: Any) -> str:
        """The whole text."""
        path = self._get_load_path()
        return self._reported(
            "preview", self._display(path), lambda: self._load_from(path)
        )
