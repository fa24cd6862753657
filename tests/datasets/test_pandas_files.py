"""pandas file datasets against real files written by the real libraries."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from ordino.datasets.pandas import (
    CSVDataset,
    ExcelDataset,
    FeatherDataset,
    GenericDataset,
    JSONDataset,
    ParquetDataset,
)
from ordino.errors import DatasetError, VersionAlreadyExistsError, VersionNotFoundError
from ordino.io import AbstractDataset, Version


@pytest.fixture
def frame():
    return pd.DataFrame(
        {"id": [1, 2, 3], "name": ["a", "b", "c"], "x": [0.5, 1.5, 2.5]}
    )


ROUND_TRIPS = [
    (CSVDataset, "cars.csv", {}),
    (ParquetDataset, "cars.parquet", {}),
    (FeatherDataset, "cars.feather", {}),
    (JSONDataset, "cars.json", {}),
    (ExcelDataset, "cars.xlsx", {}),
    (GenericDataset, "cars.orc", {"file_format": "orc"}),
    (GenericDataset, "cars.pkl", {"file_format": "pickle"}),
]


def _leftovers(folder):
    return [name for name in os.listdir(folder) if "ordino-tmp" in name]


@pytest.mark.parametrize(("cls", "name", "extra"), ROUND_TRIPS)
def test_round_trip_returns_the_saved_frame(tmp_path, frame, cls, name, extra):
    dataset = cls(filepath=str(tmp_path / name), **extra)
    assert not dataset.exists()
    dataset.save(frame)
    assert dataset.exists()
    pd.testing.assert_frame_equal(dataset.load(), frame)
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize(("cls", "name", "extra"), ROUND_TRIPS[:5])
def test_preview_gives_the_first_rows_as_a_split_dict(
    tmp_path, frame, cls, name, extra
):
    dataset = cls(filepath=str(tmp_path / name), **extra)
    dataset.save(frame)
    assert dataset.preview(nrows=2) == {
        "index": [0, 1],
        "columns": ["id", "name", "x"],
        "data": [[1, "a", 0.5], [2, "b", 1.5]],
    }


def test_csv_load_and_save_args_reach_pandas(tmp_path, frame):
    path = tmp_path / "semi.csv"
    CSVDataset(filepath=str(path), save_args={"sep": ";"}).save(frame)
    assert path.read_text().splitlines()[0] == "id;name;x"
    loaded = CSVDataset(filepath=str(path), load_args={"sep": ";", "usecols": ["id"]})
    assert loaded.load().columns.tolist() == ["id"]


def test_csv_append_mode_keeps_the_old_rows_and_stays_atomic(tmp_path, frame):
    path = tmp_path / "log.csv"
    CSVDataset(filepath=str(path)).save(frame)
    appender = CSVDataset(
        filepath=str(path),
        save_args={"header": False},
        fs_args={"open_args_save": {"mode": "a"}},
    )
    appender.save(frame)
    assert len(CSVDataset(filepath=str(path)).load()) == 6
    assert _leftovers(tmp_path) == []


def test_excel_loads_every_sheet_and_saves_a_dict_of_sheets(tmp_path, frame):
    path = str(tmp_path / "book.xlsx")
    ExcelDataset(filepath=path).save({"first": frame, "second": frame.head(1)})
    sheets = ExcelDataset(filepath=path, load_args={"sheet_name": None}).load()
    assert list(sheets) == ["first", "second"]
    pd.testing.assert_frame_equal(sheets["second"], frame.head(1))
    second = ExcelDataset(filepath=path, load_args={"sheet_name": "second"}).load()
    pd.testing.assert_frame_equal(second, frame.head(1))


def test_excel_writer_append_mode_adds_a_sheet_to_the_workbook(tmp_path, frame):
    path = str(tmp_path / "book.xlsx")
    ExcelDataset(filepath=path).save({"first": frame})
    ExcelDataset(
        filepath=path, save_args={"sheet_name": "extra", "writer": {"mode": "a"}}
    ).save(frame.head(2))
    sheets = ExcelDataset(filepath=path, load_args={"sheet_name": None}).load()
    assert list(sheets) == ["first", "extra"]


def test_parquet_refuses_partition_cols(tmp_path):
    with pytest.raises(DatasetError, match=r"(?s)partition_cols.*PartitionedDataset"):
        ParquetDataset(
            filepath=str(tmp_path / "p.parquet"), save_args={"partition_cols": ["a"]}
        )


def test_parquet_loads_a_folder_of_parquet_files(tmp_path, frame):
    folder = tmp_path / "folder.parquet"
    folder.mkdir()
    frame.iloc[:2].to_parquet(folder / "part-0.parquet")
    frame.iloc[2:].to_parquet(folder / "part-1.parquet")
    loaded = ParquetDataset(filepath=str(folder)).load()
    assert sorted(loaded["id"].tolist()) == [1, 2, 3]


def test_generic_refuses_formats_without_a_file(tmp_path):
    with pytest.raises(DatasetError, match="file_format 'sql' does not read or write"):
        GenericDataset(filepath=str(tmp_path / "x"), file_format="sql")


def test_generic_names_a_format_pandas_does_not_have(tmp_path, frame):
    dataset = GenericDataset(filepath=str(tmp_path / "x.abc"), file_format="abc")
    with pytest.raises(DatasetError, match=r"pandas has no 'DataFrame.to_abc'"):
        dataset.save(frame)


def test_a_missing_file_fails_naming_the_path_with_the_cause_chained(tmp_path):
    path = str(tmp_path / "missing.csv")
    with pytest.raises(
        DatasetError, match=r"Failed to load pandas\.CSVDataset from"
    ) as info:
        CSVDataset(filepath=path).load()
    assert path in str(info.value)
    assert info.value.path == path
    assert isinstance(info.value.__cause__, FileNotFoundError)
    assert "run the node that produces" in str(info.value)


def test_a_failing_save_keeps_the_old_file_and_leaves_nothing_behind(tmp_path, frame):
    path = tmp_path / "cars.parquet"
    dataset = ParquetDataset(filepath=str(path))
    dataset.save(frame)
    before = path.read_bytes()
    # pyarrow cannot convert a column mixing ints and dicts: it fails mid-save.
    bad = pd.DataFrame({"id": [1, 2], "obj": [1, {"a": 1}]})
    with pytest.raises(DatasetError, match=f"Failed to save .* to '{path}'") as info:
        dataset.save(bad)
    assert info.value.__cause__ is not None
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["cars.parquet"]


def test_a_failing_excel_save_through_a_temporary_path_leaves_nothing(tmp_path, frame):
    path = tmp_path / "book.xlsx"
    with pytest.raises(DatasetError, match=r"Failed to save pandas\.ExcelDataset"):
        ExcelDataset(filepath=str(path)).save({"ok": frame, "bad": "not a frame"})
    assert os.listdir(tmp_path) == []


def test_versioned_saves_never_overwrite_and_load_the_latest(tmp_path, frame):
    path = tmp_path / "cars.csv"
    dataset = CSVDataset(filepath=str(path), version=Version(None, None))
    with pytest.raises(VersionNotFoundError):
        dataset.load()
    assert not dataset.exists()
    dataset.save(frame)
    dataset.save(frame.head(1))
    versions = dataset.list_versions()
    assert len(versions) == 2
    assert all((path / v / "cars.csv").is_file() for v in versions)
    pd.testing.assert_frame_equal(dataset.load(), frame.head(1))
    first = CSVDataset(filepath=str(path), version=Version(versions[0], None))
    pd.testing.assert_frame_equal(first.load(), frame)


def test_saving_an_explicit_version_twice_is_an_error(tmp_path, frame):
    version = Version(None, "2024-01-01T00.00.00.000Z")
    dataset = CSVDataset(filepath=str(tmp_path / "cars.csv"), version=version)
    dataset.save(frame)
    with pytest.raises(VersionAlreadyExistsError):
        dataset.save(frame)


def test_a_failed_versioned_save_leaves_no_version(tmp_path):
    path = tmp_path / "cars.parquet"
    dataset = ParquetDataset(filepath=str(path), version=Version(None, None))
    with pytest.raises(DatasetError):
        dataset.save(pd.DataFrame({"obj": [1, {"a": 1}]}))
    assert dataset.list_versions() == []


def test_describe_and_repr_show_the_facts_without_credentials(tmp_path):
    dataset = CSVDataset(
        filepath=str(tmp_path / "c.csv"),
        load_args={"sep": ";"},
        credentials={"token": "SECRET-TOKEN-123"},
        metadata={"kedro-viz": {"layer": "raw"}},
    )
    description = dataset.describe()
    assert description["filepath"] == str(tmp_path / "c.csv")
    assert description["load_args"] == {"sep": ";"}
    assert description["save_args"] == {"index": False}
    assert "SECRET-TOKEN-123" not in repr(dataset) + str(description)
    assert dataset.metadata == {"kedro-viz": {"layer": "raw"}}


def test_from_config_builds_a_versioned_dataset(tmp_path, frame):
    config = {
        "type": "pandas.CSVDataset",
        "filepath": str(tmp_path / "cars.csv"),
        "versioned": True,
    }
    dataset = AbstractDataset.from_config("cars", config)
    assert isinstance(dataset, CSVDataset)
    dataset.save(frame)
    assert len(dataset.list_versions()) == 1


def test_kedro_constructor_arguments_are_accepted_by_keyword(tmp_path):
    for cls, name, extra in ROUND_TRIPS:
        cls(
            filepath=str(tmp_path / name),
            load_args={},
            save_args={},
            version=None,
            credentials=None,
            fs_args={},
            metadata={},
            **extra,
        )


@pytest.mark.parametrize(
    ("cls", "name", "writer", "reader"),
    [
        (CSVDataset, "cars.csv", "to_csv", "read_csv"),
        (ParquetDataset, "cars.parquet", "to_parquet", "read_parquet"),
    ],
)
def test_local_csv_and_parquet_go_to_pandas_by_path_with_one_rename(
    tmp_path, frame, monkeypatch, cls, name, writer, reader
):
    # The catalog's cost over pandas' own call must be nothing but the atomic
    # rename: pandas writes the temporary sibling itself (no stream in between, no
    # copy of the file afterwards) and reads the target by its path.
    import shutil

    target = tmp_path / name
    dataset = cls(filepath=str(target))
    dataset.save(frame.iloc[:1])  # an old file to replace
    given: list[object] = []
    original_write = getattr(pd.DataFrame, writer)

    def spy_write(self, path, *args, **kwargs):
        given.append(path)
        return original_write(self, path, *args, **kwargs)

    renames: list[tuple[str, str]] = []
    original_replace = os.replace

    def spy_replace(source, destination):
        renames.append((str(source), str(destination)))
        original_replace(source, destination)

    def no_copy(*args, **kwargs):
        raise AssertionError("a save must not copy the file")

    monkeypatch.setattr(pd.DataFrame, writer, spy_write)
    monkeypatch.setattr(os, "replace", spy_replace)
    for copier in ("copyfile", "copy", "copy2", "copyfileobj"):
        monkeypatch.setattr(shutil, copier, no_copy)
    dataset.save(frame)
    assert len(given) == 1
    assert isinstance(given[0], str)
    assert os.path.dirname(given[0]) == str(tmp_path)  # a sibling of the target
    assert renames == [(given[0], str(target))]
    assert _leftovers(tmp_path) == []

    read: list[object] = []
    original_read = getattr(pd, reader)

    def spy_read(path, *args, **kwargs):
        read.append(path)
        return original_read(path, *args, **kwargs)

    monkeypatch.setattr(pd, reader, spy_read)
    pd.testing.assert_frame_equal(dataset.load(), frame)
    assert read == [str(target)]


def test_open_args_keep_the_stream_path_for_csv(tmp_path, frame):
    # open_args_* are arguments of fs.open, so they need the stream: still honoured.
    target = tmp_path / "latin.csv"
    dataset = CSVDataset(
        filepath=str(target),
        save_args={"encoding": "latin-1"},
        load_args={"encoding": "latin-1"},
        fs_args={"open_args_load": {"mode": "rb"}, "open_args_save": {"mode": "wb"}},
    )
    data = pd.DataFrame({"word": ["café"]})
    dataset.save(data)
    assert target.read_bytes() == "word\ncaf\xe9\n".encode("latin-1")
    pd.testing.assert_frame_equal(dataset.load(), data)
