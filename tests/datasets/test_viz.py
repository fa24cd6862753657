"""matplotlib and plotly datasets: real images and real figure JSON."""

from __future__ import annotations

import os

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import pytest

from ordino.datasets.matplotlib import MatplotlibWriter
from ordino.datasets.plotly import JSONDataset, PlotlyDataset
from ordino.errors import DatasetError
from ordino.io import Version

matplotlib.use("Agg")  # headless, and the same images on every machine

PNG = b"\x89PNG"
PDF = b"%PDF"


def _figure():
    figure, axes = plt.subplots()
    axes.plot([1, 2, 3], [3, 1, 2])
    return figure


def test_one_figure_in_the_format_of_its_extension(tmp_path):
    MatplotlibWriter(filepath=str(tmp_path / "a.png")).save(_figure())
    MatplotlibWriter(filepath=str(tmp_path / "b.pdf")).save(_figure())
    assert (tmp_path / "a.png").read_bytes().startswith(PNG)
    assert (tmp_path / "b.pdf").read_bytes().startswith(PDF)


def test_saved_figures_are_closed(tmp_path):
    figure = _figure()
    MatplotlibWriter(filepath=str(tmp_path / "a.png")).save(figure)
    assert not plt.fignum_exists(figure.number)


def test_a_list_and_a_dict_of_figures(tmp_path):
    MatplotlibWriter(filepath=str(tmp_path / "list")).save([_figure(), _figure()])
    assert sorted(os.listdir(tmp_path / "list")) == ["0.png", "1.png"]
    MatplotlibWriter(filepath=str(tmp_path / "dict")).save(
        {"loss.png": _figure(), "roc.pdf": _figure()}
    )
    assert (tmp_path / "dict" / "roc.pdf").read_bytes().startswith(PDF)


def test_overwrite_removes_old_files_only_after_the_new_ones(tmp_path):
    folder = tmp_path / "plots"
    MatplotlibWriter(filepath=str(folder)).save([_figure(), _figure(), _figure()])
    MatplotlibWriter(filepath=str(folder)).save({"extra.png": _figure()})
    assert sorted(os.listdir(folder)) == ["0.png", "1.png", "2.png", "extra.png"]
    MatplotlibWriter(filepath=str(folder), overwrite=True).save([_figure()])
    assert sorted(os.listdir(folder)) == ["0.png"]


def test_versioned_list_of_figures(tmp_path):
    writer = MatplotlibWriter(
        filepath=str(tmp_path / "plots"), version=Version(None, None)
    )
    writer.save([_figure()])
    (version,) = writer.list_versions()
    assert os.listdir(tmp_path / "plots" / version / "plots") == ["0.png"]


def test_writer_cannot_load_and_rejects_non_figures(tmp_path):
    writer = MatplotlibWriter(filepath=str(tmp_path / "a.png"))
    with pytest.raises(DatasetError, match="write-only"):
        writer.load()
    with pytest.raises(DatasetError, match="saves a matplotlib Figure"):
        writer.save("not a figure")
    assert os.listdir(tmp_path) == []


def test_writer_preview_is_the_image_in_base64(tmp_path):
    import base64

    writer = MatplotlibWriter(filepath=str(tmp_path / "a.png"))
    writer.save(_figure())
    assert base64.b64decode(writer.preview()).startswith(PNG)


def test_plotly_json_round_trip(tmp_path):
    figure = px.bar(x=["a", "b"], y=[1, 3])
    dataset = JSONDataset(filepath=str(tmp_path / "f.json"))
    dataset.save(figure)
    assert dataset.load() == figure
    assert dataset.preview()["data"][0]["type"] == "bar"


def test_plotly_dataset_builds_the_figure_from_a_frame(tmp_path):
    frame = pd.DataFrame({"x1": [0, 1], "x2": [1, 0]})
    dataset = PlotlyDataset(
        filepath=str(tmp_path / "s.json"),
        plotly_args={
            "type": "scatter",
            "fig": {"x": "x1", "y": "x2"},
            "layout": {"title": "Title"},
        },
    )
    dataset.save(frame)
    loaded = dataset.load()
    assert isinstance(loaded, go.Figure)
    expected = px.scatter(frame, x="x1", y="x2")
    expected.update_layout({"title": "Title"})
    assert loaded == expected


def test_plotly_dataset_errors(tmp_path):
    with pytest.raises(DatasetError, match="plotly_args needs a 'type'"):
        PlotlyDataset(filepath=str(tmp_path / "s.json"), plotly_args={})
    dataset = PlotlyDataset(
        filepath=str(tmp_path / "s.json"), plotly_args={"type": "nope"}
    )
    with pytest.raises(DatasetError, match="no chart type 'nope'"):
        dataset.save(pd.DataFrame({"a": [1]}))
    assert os.listdir(tmp_path) == []
