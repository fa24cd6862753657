"""``plotly.JSONDataset`` and ``plotly.PlotlyDataset``: plotly figures as JSON files."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import IO, Any, ClassVar

from ordino.datasets._file import FileDataset
from ordino.datasets._imports import require
from ordino.errors import DatasetError
from ordino.io.dataset import Version

__all__ = ["JSONDataset", "PlotlyDataset"]


def _plotly_io(dataset: str) -> Any:
    return require("plotly.io", extra="viz", dataset=dataset)


class JSONDataset(FileDataset[Any, Any]):
    """Saves a plotly figure as JSON and loads it back as a ``go.Figure``.

    Example:
        >>> import plotly.express as px, tempfile, os
        >>> fig = px.bar(x=["a", "b"], y=[1, 3])
        >>> dataset = JSONDataset(filepath=os.path.join(tempfile.mkdtemp(), "f.json"))
        >>> dataset.save(fig)
        >>> dataset.load() == fig
        True
    """

    TEXT: ClassVar[bool] = True

    def _read(self, stream: IO[Any]) -> Any:
        return _plotly_io("plotly.JSONDataset").from_json(
            stream.read(), **self._load_args
        )

    def _write(self, data: Any, stream: IO[Any]) -> None:
        _plotly_io(type(self).__name__).write_json(data, stream, **self._save_args)

    def preview(self, **kwargs: Any) -> dict[str, Any]:
        """The figure as a JSON-ready dict (what plotly.js renders)."""
        path = self._get_load_path()

        def as_dict() -> dict[str, Any]:
            with self._fs.open(self._full(path), mode="r", encoding="utf-8") as stream:
                document: dict[str, Any] = json.load(stream)
            return document

        return self._reported("preview", self._display(path), as_dict)


class PlotlyDataset(JSONDataset):
    """Builds a plotly express figure from a DataFrame on save; loads the figure.

    ``plotly_args``: ``type`` (a ``plotly.express`` function such as ``bar`` or
    ``scatter``), ``fig`` (its keyword arguments) and ``layout`` (passed to
    ``update_layout``). A ready figure is saved as it is.

    Example:
        >>> import pandas as pd, tempfile, os
        >>> dataset = PlotlyDataset(
        ...     filepath=os.path.join(tempfile.mkdtemp(), "scatter.json"),
        ...     plotly_args={"type": "scatter", "fig": {"x": "x1", "y": "x2"}},
        ... )
        >>> dataset.save(pd.DataFrame({"x1": [0, 1], "x2": [1, 0]}))
        >>> dataset.load().data[0].type
        'scatter'
    """

    def __init__(
        self,
        *,
        filepath: str | os.PathLike[str],
        plotly_args: Mapping[str, Any],
        load_args: Mapping[str, Any] | None = None,
        save_args: Mapping[str, Any] | None = None,
        version: Version | None = None,
        credentials: Mapping[str, Any] | None = None,
        fs_args: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        if not isinstance(plotly_args, Mapping) or not plotly_args.get("type"):
            raise DatasetError(
                f"plotly.PlotlyDataset '{filepath}': plotly_args needs a 'type'.",
                hint="Name a plotly.express function, e.g. 'plotly_args: {type: bar, "
                "fig: {x: features, y: importance}}'.",
            )
        self._plotly_args = dict(plotly_args)
        super().__init__(
            filepath=filepath,
            load_args=load_args,
            save_args=save_args,
            version=version,
            credentials=credentials,
            fs_args=fs_args,
            metadata=metadata,
        )

    def _figure(self, data: Any) -> Any:
        graph_objects = require("plotly.graph_objects", extra="viz", dataset="plotly")
        if isinstance(data, graph_objects.Figure):
            return data
        express = require("plotly.express", extra="viz", dataset="plotly.PlotlyDataset")
        kind = self._plotly_args["type"]
        make = getattr(express, str(kind), None)
        if not callable(make):
            raise DatasetError(
                f"plotly.PlotlyDataset '{self._display(self._filepath)}': "
                f"plotly.express has no chart type '{kind}'.",
                hint="Use a plotly.express function name: bar, line, scatter, "
                "histogram, box...",
            )
        figure = make(data, **(self._plotly_args.get("fig") or {}))
        figure.update_layout(self._plotly_args.get("layout") or {})
        return figure

    def _write(self, data: Any, stream: IO[Any]) -> None:
        super()._write(self._figure(data), stream)

    def _describe(self) -> dict[str, Any]:
        return {**super()._describe(), "plotly_args": self._plotly_args}
