"""polars datasets against real files."""

from __future__ import annotations

import polars as pl
import pytest

from ordino.datasets.polars import CSVDataset, EagerPolarsDataset, LazyPolarsDataset
from ordino.errors import DatasetError
from ordino.io import Version


@pytest.fixture
def frame():
    return pl.DataFrame({"id": [1, 2, 3], "name": ["a", "b", "c"]})


def test_csv_round_trip_and_preview(tmp_path, frame):
    dataset = CSVDataset(filepath=str(tmp_path / "f.csv"))
    dataset.save(frame)
    assert dataset.load().equals(frame)
    assert dataset.preview(nrows=1) == {
        "index": [0],
        "columns": ["id", "name"],
        "data": [[1, "a"]],
    }


@pytest.mark.parametrize("file_format", ["parquet", "ipc", "csv", "json"])
def test_eager_round_trip_per_format(tmp_path, frame, file_format):
    dataset = EagerPolarsDataset(
        filepath=str(tmp_path / f"f.{file_format}"), file_format=file_format
    )
    dataset.save(frame)
    assert dataset.load().equals(frame)


def test_eager_unknown_format_is_named(tmp_path, frame):
    dataset = EagerPolarsDataset(filepath=str(tmp_path / "f.x"), file_format="xyz")
    with pytest.raises(DatasetError, match="has no 'write_xyz'"):
        dataset.save(frame)


@pytest.mark.parametrize("file_format", ["parquet", "ipc", "csv"])
def test_lazy_loads_a_lazyframe_and_saves_lazy_or_eager(tmp_path, frame, file_format):
    dataset = LazyPolarsDataset(
        filepath=str(tmp_path / f"f.{file_format}"), file_format=file_format
    )
    dataset.save(frame.lazy().filter(pl.col("id") > 1))
    loaded = dataset.load()
    assert isinstance(loaded, pl.LazyFrame)
    assert loaded.collect()["id"].to_list() == [2, 3]
    dataset.save(frame)
    assert dataset.load().collect().equals(frame)


def test_lazy_refuses_formats_it_cannot_scan(tmp_path):
    with pytest.raises(DatasetError, match="cannot be scanned lazily"):
        LazyPolarsDataset(filepath=str(tmp_path / "f.json"), file_format="json")


def test_lazy_missing_file_fails_at_load_not_at_collect(tmp_path):
    dataset = LazyPolarsDataset(
        filepath=str(tmp_path / "no.parquet"), file_format="parquet"
    )
    with pytest.raises(DatasetError, match=r"Failed to load polars\.LazyPolarsDataset"):
        dataset.load()


def test_polars_versioning(tmp_path, frame):
    dataset = EagerPolarsDataset(
        filepath=str(tmp_path / "f.parquet"),
        file_format="parquet",
        version=Version(None, None),
    )
    dataset.save(frame)
    dataset.save(frame.head(1))
    assert dataset.load().height == 1
    assert len(dataset.list_versions()) == 2
