"""``matplotlib.MatplotlibDataset``: save figures (one, a list or a dict) as images.

``MatplotlibDataset`` is kedro-datasets' name since 7.0; ``MatplotlibWriter``, the
older name (deprecated there in 7.x, removed in 9.0), is still accepted so that
older catalogs keep working unchanged.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath
from typing import Any, ClassVar, NoReturn

from ordino.datasets._file import FileDataset, dataset_kind
from ordino.datasets._imports import require
from ordino.errors import DatasetError
from ordino.io.dataset import Version
from ordino.io.files import atomic_open, is_temporary_path

__all__ = ["MatplotlibDataset", "MatplotlibWriter"]


class MatplotlibDataset(FileDataset[Any, NoReturn]):
    """Writes matplotlib figures as image files; it cannot load them back.

    * one figure: saved at ``filepath``;
    * a list of figures: ``filepath`` is a folder holding ``0.png``, ``1.png``...;
    * a dict of figures: ``filepath`` is a folder, each key is a file name
      (``{"loss.png": fig, "roc.pdf": fig2}``).

    The image format follows the file extension unless ``save_args: {format: ...}``
    says otherwise. Each file is written atomically. With ``overwrite: true``, files
    of a previous save that the new one does not write are removed after the new
    ones are in place. Figures are closed after saving, which frees their memory.

    Example:
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt, tempfile, os
        >>> fig = plt.figure(); _ = plt.plot([1, 2, 3])
        >>> path = os.path.join(tempfile.mkdtemp(), "plot.png")
        >>> MatplotlibDataset(filepath=path).save(fig)
        >>> os.path.getsize(path) > 0
        True
    """

    SAVES: ClassVar[bool] = True

    def __init__(
        self,
        *,
        filepath: str | os.PathLike[str],
        fs_args: Mapping[str, Any] | None = None,
        credentials: Mapping[str, Any] | None = None,
        save_args: Mapping[str, Any] | None = None,
        version: Version | None = None,
        overwrite: bool = False,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(
            filepath=filepath,
            save_args=save_args,
            version=version,
            credentials=credentials,
            fs_args=fs_args,
            metadata=metadata,
        )
        self._overwrite = overwrite

    def load(self) -> NoReturn:
        """Always fails: images are written for people, not read back by nodes."""
        raise DatasetError(
            f"{dataset_kind(self)} ('{self._display(self._filepath)}') is "
            "write-only: load() is not supported.",
            hint="Keep the figure in memory if a later node needs it.",
        )

    def _save_to(self, data: Any) -> None:
        figures = self._figures(data)
        if figures is None:
            with self._open_for_save("wb") as stream:
                self._savefig(data, stream, self._filepath.name)
            return
        folder = str(self._get_save_path())
        with self._saving(folder):  # a failed versioned save gives its version back
            for name, figure in figures.items():
                target = f"{folder}/{name}"
                with atomic_open(
                    self._fs, self._full(target), "wb", overwrite=not self._version
                ) as stream:
                    self._savefig(figure, stream, name)
        if self._overwrite and not self._version:
            self._remove_stale(folder, set(figures))

    @staticmethod
    def _figures(data: Any) -> dict[str, Any] | None:
        if isinstance(data, Mapping):
            return {str(key): figure for key, figure in data.items()}
        if isinstance(data, Sequence) and not isinstance(data, (str, bytes)):
            return {f"{index}.png": figure for index, figure in enumerate(data)}
        return None

    def _savefig(self, figure: Any, stream: Any, name: str) -> None:
        if not callable(getattr(figure, "savefig", None)):
            raise TypeError(
                f"{type(self).__name__} saves a matplotlib Figure (or a list or dict "
                f"of them), got {type(figure).__name__}"
            )
        args = dict(self._save_args)
        extension = PurePosixPath(name).suffix.lstrip(".").lower()
        if "format" not in args and extension:
            args["format"] = extension
        figure.savefig(stream, **args)
        pyplot = require("matplotlib.pyplot", extra="viz", dataset=dataset_kind(self))
        if hasattr(figure, "number"):  # a Figure, not the pyplot module itself
            pyplot.close(figure)

    def _remove_stale(self, folder: str, keep: set[str]) -> None:
        """After the new files are in place: drop the previous save's others."""
        root = PurePosixPath(self._fs._strip_protocol(self._full(folder)))
        for path in self._fs.find(self._full(folder)):
            relative = PurePosixPath(path).relative_to(root)
            if str(relative) not in keep and not is_temporary_path(path):
                self._fs.rm(path)

    def preview(self, **kwargs: Any) -> str:
        """The saved image (single-figure writer) as base64, for notebooks and UIs."""
        path = self._get_load_path()

        def encoded() -> str:
            with self._fs.open(self._full(path), mode="rb") as stream:
                return base64.b64encode(stream.read()).decode("ascii")

        return self._reported("preview", self._display(path), encoded)

    def _describe(self) -> dict[str, Any]:
        return {**super()._describe(), "overwrite": self._overwrite}


class MatplotlibWriter(MatplotlibDataset):
    """The older name of :class:`MatplotlibDataset` (kedro-datasets before 7.0).

    A subclass rather than an alias so that messages and ``to_config`` keep the
    name the catalog used.
    """
