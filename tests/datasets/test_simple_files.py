"""pickle, json, yaml and text datasets: real files, every backend."""

from __future__ import annotations

import os

import numpy as np
import pytest

from ordino.datasets.json import JSONDataset
from ordino.datasets.pickle import PickleDataset
from ordino.datasets.text import TextDataset
from ordino.datasets.yaml import YAMLDataset
from ordino.errors import DatasetError
from ordino.io import Version


@pytest.mark.parametrize("backend", ["pickle", "joblib", "cloudpickle"])
def test_pickle_backends_round_trip(tmp_path, backend):
    data = {"weights": np.arange(5), "name": "model"}
    dataset = PickleDataset(filepath=str(tmp_path / "m.pkl"), backend=backend)
    dataset.save(data)
    loaded = dataset.load()
    assert loaded["name"] == "model"
    assert loaded["weights"].tolist() == [0, 1, 2, 3, 4]
    assert dataset.describe()["backend"] == backend


def test_cloudpickle_saves_what_pickle_cannot(tmp_path):
    offset = 3
    dataset = PickleDataset(filepath=str(tmp_path / "f.pkl"), backend="cloudpickle")
    dataset.save(lambda x: x + offset)
    assert dataset.load()(1) == 4


def test_unknown_backend_is_a_clear_error_with_a_suggestion(tmp_path):
    with pytest.raises(DatasetError, match="unknown backend 'jobblib'") as info:
        PickleDataset(filepath=str(tmp_path / "f.pkl"), backend="jobblib")
    assert info.value.suggestions == ("joblib",)


def test_a_module_without_load_and_dump_is_refused(tmp_path):
    with pytest.raises(DatasetError, match="backend 'os' has no load"):
        PickleDataset(filepath=str(tmp_path / "f.pkl"), backend="os")


def test_unpicklable_data_fails_and_leaves_nothing(tmp_path):
    dataset = PickleDataset(filepath=str(tmp_path / "f.pkl"))
    with pytest.raises(DatasetError, match=r"Failed to save pickle\.PickleDataset"):
        dataset.save(lambda: 1)
    assert os.listdir(tmp_path) == []


def test_pickle_versioning(tmp_path):
    dataset = PickleDataset(
        filepath=str(tmp_path / "f.pkl"), version=Version(None, None)
    )
    dataset.save(1)
    dataset.save(2)
    assert dataset.load() == 2
    assert len(dataset.list_versions()) == 2


def test_json_round_trip_with_default_indent(tmp_path):
    path = tmp_path / "m.json"
    dataset = JSONDataset(filepath=str(path))
    dataset.save({"a": [1, 2], "é": "ü"})
    assert dataset.load() == {"a": [1, 2], "é": "ü"}
    assert path.read_text(encoding="utf-8").startswith('{\n  "a"')
    assert dataset.preview() == {"a": [1, 2], "é": "ü"}


def test_yaml_round_trip_block_style(tmp_path):
    path = tmp_path / "p.yml"
    YAMLDataset(filepath=str(path)).save({"model": {"alpha": 0.1, "layers": [1, 2]}})
    assert "model:\n  alpha: 0.1" in path.read_text()
    assert YAMLDataset(filepath=str(path)).load() == {
        "model": {"alpha": 0.1, "layers": [1, 2]}
    }


def test_yaml_refuses_arbitrary_objects_on_save(tmp_path):
    with pytest.raises(DatasetError, match=r"Failed to save yaml\.YAMLDataset"):
        YAMLDataset(filepath=str(tmp_path / "p.yml")).save({"x": object()})
    assert os.listdir(tmp_path) == []


def test_text_round_trip_utf8_and_type_check(tmp_path):
    dataset = TextDataset(filepath=str(tmp_path / "t.txt"))
    dataset.save("héllo\nwörld")
    assert dataset.load() == "héllo\nwörld"
    with pytest.raises(DatasetError, match="saves a str, got int"):
        dataset.save(3)
    assert dataset.load() == "héllo\nwörld"


def test_text_encoding_from_fs_args(tmp_path):
    path = tmp_path / "t.txt"
    dataset = TextDataset(
        filepath=str(path),
        fs_args={
            "open_args_save": {"encoding": "latin-1"},
            "open_args_load": {"encoding": "latin-1"},
        },
    )
    dataset.save("é")
    assert path.read_bytes() == "é".encode("latin-1")
    assert dataset.load() == "é"
