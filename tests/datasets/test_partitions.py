"""PartitionedDataset and IncrementalDataset over real folders."""

from __future__ import annotations

import operator
import os

import pandas as pd
import pytest

from ordino.datasets.pandas import CSVDataset
from ordino.datasets.partitions import IncrementalDataset, PartitionedDataset
from ordino.errors import DatasetError


def _frame(value):
    return pd.DataFrame({"v": [value]})


def test_load_gives_lazy_loaders_by_partition_id(tmp_path):
    folder = tmp_path / "parts"
    folder.mkdir()
    (folder / "2024-01.csv").write_text("v\n1\n")
    (folder / "2024-02.csv").write_text("v\n2\n")
    (folder / "notes.txt").write_text("not a partition")
    parts = PartitionedDataset(
        path=str(folder), dataset="pandas.CSVDataset", filename_suffix=".csv"
    )
    loaders = parts.load()
    assert list(loaders) == ["2024-01", "2024-02"]
    assert all(callable(load) for load in loaders.values())
    (folder / "2024-02.csv").write_text("v\n22\n")  # nothing was read yet
    assert loaders["2024-02"]()["v"].tolist() == [22]


def test_save_a_dict_of_data_and_of_callables_in_subfolders(tmp_path):
    parts = PartitionedDataset(
        path=str(tmp_path / "p"),
        dataset={"type": "pandas.CSVDataset", "save_args": {"sep": ";"}},
        filename_suffix=".csv",
    )
    parts.save({"a": _frame(1), "nested/b": lambda: _frame(2)})
    assert (tmp_path / "p" / "a.csv").read_text() == "v\n1\n"
    assert (tmp_path / "p" / "nested" / "b.csv").is_file()
    loaded = {k: load()["v"].tolist() for k, load in parts.load().items()}
    assert loaded == {"a": [1], "nested/b": [2]}


def test_save_lazily_false_saves_callables_as_they_are(tmp_path):
    parts = PartitionedDataset(
        path=str(tmp_path / "p"),
        dataset={"type": "pickle.PickleDataset", "backend": "cloudpickle"},
        save_lazily=False,
    )
    parts.save({"f": lambda: 41})
    assert parts.load()["f"]()() == 41


def test_a_dataset_class_works_as_well_as_a_type_name(tmp_path):
    parts = PartitionedDataset(path=str(tmp_path / "p"), dataset=CSVDataset)
    parts.save({"x": _frame(1)})
    assert list(parts.load()) == ["x"]


def test_no_partitions_is_an_error_naming_the_folder(tmp_path):
    parts = PartitionedDataset(
        path=str(tmp_path / "empty"),
        dataset="pandas.CSVDataset",
        filename_suffix=".csv",
    )
    with pytest.raises(DatasetError, match=r"No partitions found in '.*empty' \(files"):
        parts.load()
    assert not parts.exists()


def test_temporaries_of_crashed_saves_are_never_partitions(tmp_path):
    folder = tmp_path / "p"
    parts = PartitionedDataset(path=str(folder), dataset="pandas.CSVDataset")
    parts.save({"a": _frame(1)})
    (folder / ".b.4242-0badc0de.ordino-tmp").write_text("v\n")  # half-written b
    hidden_dir = folder / ".c.4242-0badc0de.ordino-tmp"
    hidden_dir.mkdir()
    (hidden_dir / "inner").write_text("v\n")
    parts.release()
    assert list(parts.load()) == ["a"]


def test_overwrite_replaces_the_partition_set_after_saving(tmp_path):
    folder = tmp_path / "p"
    PartitionedDataset(path=str(folder), dataset="pandas.CSVDataset").save(
        {"old1": _frame(1), "old2": _frame(2)}
    )
    parts = PartitionedDataset(
        path=str(folder), dataset="pandas.CSVDataset", overwrite=True
    )
    parts.save({"new": _frame(3), "old2": _frame(4)})
    loaded = {k: load()["v"].tolist() for k, load in parts.load().items()}
    assert loaded == {"new": [3], "old2": [4]}


def test_a_failing_partition_names_its_file_and_keeps_old_partitions(tmp_path):
    folder = tmp_path / "p"
    parts = PartitionedDataset(
        path=str(folder), dataset="pandas.ParquetDataset", overwrite=True
    )
    parts.save({"keep": _frame(1)})
    bad = pd.DataFrame({"obj": [1, {"x": 1}]})
    with pytest.raises(
        DatasetError, match=r"Failed to save pandas.ParquetDataset to '.*bad'"
    ):
        parts.save({"bad": bad})
    assert sorted(os.listdir(folder)) == ["keep"]


@pytest.mark.parametrize(
    ("dataset", "message"),
    [
        ({"type": "pandas.CSVDataset", "filepath": "x"}, "sets 'filepath'"),
        ({"type": "pandas.CSVDataset", "versioned": True}, "cannot be versioned"),
        ({"load_args": {}}, "must be a dataset type or a mapping with 'type'"),
    ],
)
def test_bad_dataset_definitions(tmp_path, dataset, message):
    with pytest.raises(DatasetError, match=message):
        PartitionedDataset(path=str(tmp_path), dataset=dataset)


def test_saving_something_else_than_a_dict_is_refused(tmp_path):
    parts = PartitionedDataset(path=str(tmp_path / "p"), dataset="pandas.CSVDataset")
    with pytest.raises(
        DatasetError, match="saves a dict partition id -> data, got list"
    ):
        parts.save([_frame(1)])


def test_credentials_reach_partitions_but_not_the_description(tmp_path):
    parts = PartitionedDataset(
        path=str(tmp_path / "p"),
        dataset="pandas.CSVDataset",
        credentials={"token": "SECRET-XYZ-1"},
        fs_args={"auto_mkdir": True},
    )
    assert parts._dataset_config["credentials"] == {"token": "SECRET-XYZ-1"}
    assert "SECRET-XYZ-1" not in repr(parts) + str(parts.describe())


# -- IncrementalDataset ----------------------------------------------------------------


def test_incremental_loads_only_partitions_past_the_confirmed_checkpoint(tmp_path):
    folder = tmp_path / "inc"
    inc = IncrementalDataset(path=str(folder), dataset="pandas.CSVDataset")
    inc.save({"001": _frame(1), "002": _frame(2)})
    first = inc.load()
    assert list(first) == ["001", "002"]
    assert first["002"]["v"].tolist() == [2]  # eager: data, not loaders
    assert not (folder / "CHECKPOINT").exists()
    inc.confirm()
    assert (folder / "CHECKPOINT").read_text() == "002"
    assert list(inc.load()) == ["001", "002"]  # cached until release
    inc.release()
    assert inc.load() == {}
    inc.save({"003": _frame(3)})
    assert list(inc.load()) == ["003"]
    fresh = IncrementalDataset(path=str(folder), dataset="pandas.CSVDataset")
    assert list(fresh.load()) == ["003"]  # the checkpoint lives in the folder


def test_confirm_without_new_partitions_keeps_the_checkpoint(tmp_path):
    folder = tmp_path / "inc"
    inc = IncrementalDataset(path=str(folder), dataset="pandas.CSVDataset")
    inc.save({"5": _frame(5)})
    inc.load()
    inc.confirm()
    inc.release()
    assert inc.load() == {}
    inc.confirm()
    assert (folder / "CHECKPOINT").read_text() == "5"


def test_custom_comparison_function_and_checkpoint_location(tmp_path):
    folder = tmp_path / "inc"
    checkpoint_file = tmp_path / "state" / "last.txt"
    inc = IncrementalDataset(
        path=str(folder),
        dataset="pandas.CSVDataset",
        checkpoint={"filepath": str(checkpoint_file), "comparison_func": "operator.ge"},
    )
    inc.save({"a": _frame(1), "b": _frame(2)})
    inc.load()
    inc.confirm()
    inc.release()
    assert list(inc.load()) == ["b"]  # ge keeps the checkpointed partition itself
    assert checkpoint_file.read_text() == "b"
    assert not (folder / "CHECKPOINT").exists()
    callable_cmp = IncrementalDataset(
        path=str(folder),
        dataset="pandas.CSVDataset",
        checkpoint={"filepath": str(checkpoint_file), "comparison_func": operator.lt},
    )
    assert list(callable_cmp.load()) == ["a"]


def test_force_checkpoint_string(tmp_path):
    folder = tmp_path / "inc"
    IncrementalDataset(path=str(folder), dataset="pandas.CSVDataset").save(
        {"1": _frame(1), "2": _frame(2), "3": _frame(3)}
    )
    forced = IncrementalDataset(
        path=str(folder), dataset="pandas.CSVDataset", checkpoint="1"
    )
    assert list(forced.load()) == ["2", "3"]


def test_bad_comparison_func_is_named(tmp_path):
    with pytest.raises(
        DatasetError, match="cannot import the checkpoint comparison_func"
    ):
        IncrementalDataset(
            path=str(tmp_path),
            dataset="pandas.CSVDataset",
            checkpoint={"comparison_func": "operator.nope"},
        )


def test_versioned_checkpoint_is_refused(tmp_path):
    with pytest.raises(DatasetError, match="the checkpoint cannot be versioned"):
        IncrementalDataset(
            path=str(tmp_path),
            dataset="pandas.CSVDataset",
            checkpoint={"versioned": True},
        )
