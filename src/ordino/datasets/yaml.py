"""``yaml.YAMLDataset``: plain Python data as a YAML file."""

from __future__ import annotations

from typing import IO, Any, ClassVar

from ordino.datasets._file import FileDataset

__all__ = ["YAMLDataset"]


class YAMLDataset(FileDataset[Any, Any]):
    """Loads with ``yaml.safe_load`` and saves with ``yaml.safe_dump``.

    ``save_args`` go to ``safe_dump`` (``default_flow_style: false`` by default).
    Only plain data round-trips: safe loading never constructs arbitrary objects.

    Example:
        >>> import tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "params.yml")
        >>> dataset = YAMLDataset(filepath=path)
        >>> dataset.save({"alpha": 0.1})
        >>> dataset.load()
        {'alpha': 0.1}
    """

    DEFAULT_SAVE_ARGS: ClassVar[dict[str, Any]] = {"default_flow_style": False}
    TEXT: ClassVar[bool] = True

    def _read(self, stream: IO[Any]) -> Any:
        import yaml

        return yaml.safe_load(stream)

    def _write(self, data: Any, stream: IO[Any]) -> None:
        import yaml

        yaml.safe_dump(data, stream, **self._save_args)

    def preview(self, **kwargs: Any) -> Any:
        """The whole document."""
        path = self._get_load_path()
        return self._reported(
            "preview", self._display(path), lambda: self._load_from(path)
        )
