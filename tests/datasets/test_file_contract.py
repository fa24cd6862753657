"""What every file dataset promises, checked across all of them."""

from __future__ import annotations

import inspect
import os

import matplotlib
import pandas as pd
import plotly.express as px
import polars as pl
import pytest

from ordino.datasets import json as json_family
from ordino.datasets import pandas as pandas_family
from ordino.datasets import plotly as plotly_family
from ordino.datasets import polars as polars_family
from ordino.datasets import text as text_family
from ordino.datasets import yaml as yaml_family
from ordino.datasets._file import FileDataset
from ordino.datasets.matplotlib import MatplotlibWriter
from ordino.datasets.pickle import PickleDataset
from ordino.errors import DatasetError
from ordino.io import Version
from ordino.io.catalog_config import accepted_arguments

matplotlib.use("Agg")

PANDAS = pd.DataFrame({"a": [1, 2]})
POLARS = pl.DataFrame({"a": [1, 2]})

# (class, file name, extra constructor arguments, data to save, equality check)
CASES = [
    (pandas_family.CSVDataset, "d.csv", {}, PANDAS, "frame"),
    (pandas_family.ParquetDataset, "d.parquet", {}, PANDAS, "frame"),
    (pandas_family.ExcelDataset, "d.xlsx", {}, PANDAS, "frame"),
    (pandas_family.JSONDataset, "d.json", {}, PANDAS, "frame"),
    (pandas_family.FeatherDataset, "d.feather", {}, PANDAS, "frame"),
    (pandas_family.GenericDataset, "d.csv", {"file_format": "csv",
                                             "save_args": {"index": False}},
     PANDAS, "frame"),
    (polars_family.CSVDataset, "d.csv", {}, POLARS, "polars"),
    (polars_family.EagerPolarsDataset, "d.ipc", {"file_format": "ipc"},
     POLARS, "polars"),
    (polars_family.LazyPolarsDataset, "d.parquet", {"file_format": "parquet"},
     POLARS, "lazy"),
    (PickleDataset, "d.pkl", {"backend": "joblib"}, {"a": 1}, "equal"),
    (json_family.JSONDataset, "d.json", {}, {"a": 1}, "equal"),
    (yaml_family.YAMLDataset, "d.yml", {}, {"a": 1}, "equal"),
    (text_family.TextDataset, "d.txt", {}, "text", "equal"),
    (plotly_family.JSONDataset, "d.json", {}, px.bar(x=["a"], y=[1]), "equal"),
]  # fmt: skip
IDS = [f"{case[0].__module__.split('.', 2)[-1]}.{case[0].__name__}" for case in CASES]


def _same(kind, loaded, data):
    if kind == "frame":
        return loaded.equals(data)
    if kind == "polars":
        return loaded.equals(data)
    if kind == "lazy":
        return loaded.collect().equals(data)
    return loaded == data


@pytest.mark.parametrize(("cls", "name", "extra", "data", "kind"), CASES, ids=IDS)
def test_versioned_round_trip_keeps_every_version(
    tmp_path, cls, name, extra, data, kind
):
    dataset = cls(filepath=str(tmp_path / name), version=Version(None, None), **extra)
    dataset.save(data)
    dataset.save(data)
    assert len(dataset.list_versions()) == 2
    assert _same(kind, dataset.load(), data)


@pytest.mark.parametrize(("cls", "name", "extra", "data", "kind"), CASES, ids=IDS)
def test_missing_file_is_a_dataset_error_naming_the_path(
    tmp_path, cls, name, extra, data, kind
):
    path = str(tmp_path / "missing" / name)
    with pytest.raises(DatasetError) as info:
        cls(filepath=path, **extra).load()
    assert path in str(info.value)
    assert info.value.__cause__ is not None
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(("cls", "name", "extra", "data", "kind"), CASES, ids=IDS)
def test_wrong_data_fails_without_touching_the_old_file(
    tmp_path, cls, name, extra, data, kind
):
    path = tmp_path / name
    dataset = cls(filepath=str(path), **extra)
    dataset.save(data)
    before = path.read_bytes()
    with pytest.raises(DatasetError, match="Failed to save") as info:
        dataset.save(_Unsaveable())
    assert str(path) in str(info.value)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == [name]


class _Unsaveable:
    """Breaks every serialiser: not a frame, not a figure, not picklable."""

    def __reduce__(self):
        raise TypeError("cannot be saved")


@pytest.mark.parametrize(
    "cls",
    sorted({case[0] for case in CASES} | {MatplotlibWriter}, key=lambda c: c.__name__),
)
def test_constructor_takes_kedro_arguments_by_keyword_only(cls):
    names, takes_any = accepted_arguments(cls)
    assert not takes_any  # the catalog can then report unknown arguments up front
    assert {"filepath", "credentials", "fs_args", "metadata", "version"} <= names
    parameters = inspect.signature(cls).parameters.values()
    assert all(p.kind is p.KEYWORD_ONLY for p in parameters)
    assert issubclass(cls, FileDataset)
