"""Temporaries of crashed saves: never data, removed by a later save once stale."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pandas as pd

from ordino.datasets._file import sweep_stale_temporaries
from ordino.datasets.pandas import CSVDataset
from ordino.io import Version


def _dead_pid() -> int:
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(child.stdout)


def _temporary(folder, stem, pid, ext=".csv", *, age=0.0):
    token = os.urandom(4).hex()
    path = folder / f".{stem}.{pid}-{token}.ordino-tmp{ext}"
    path.write_text("half a file")
    moment = time.time() - age
    os.utime(path, (moment, moment))
    return path


def test_only_stale_temporaries_of_dead_writers_of_this_file_are_removed(tmp_path):
    dead = _dead_pid()
    stale_dead = _temporary(tmp_path, "cars", dead, age=7200)
    fresh_dead = _temporary(tmp_path, "cars", dead, age=10)
    stale_alive = _temporary(tmp_path, "cars", os.getpid(), age=7200)
    other_file = _temporary(tmp_path, "boats", dead, age=7200)
    removed = sweep_stale_temporaries(str(tmp_path), stem="cars")
    assert removed == [str(stale_dead)]
    assert fresh_dead.exists()
    assert stale_alive.exists()
    assert other_file.exists()


def test_a_successful_save_sweeps_its_own_stale_temporaries(tmp_path):
    leftover = _temporary(tmp_path, "cars", _dead_pid(), age=7200)
    dataset = CSVDataset(filepath=str(tmp_path / "cars.csv"))
    assert not dataset.exists()  # a temporary is not the data
    dataset.save(pd.DataFrame({"a": [1]}))
    assert not leftover.exists()
    assert sorted(os.listdir(tmp_path)) == ["cars.csv"]


def test_a_versioned_save_sweeps_inside_its_version_folder_only(tmp_path):
    dataset = CSVDataset(
        filepath=str(tmp_path / "cars.csv"), version=Version(None, None)
    )
    dataset.save(pd.DataFrame({"a": [1]}))
    (version,) = dataset.list_versions()
    crashed = tmp_path / "cars.csv" / "2000-01-01T00.00.00.000Z"
    crashed.mkdir()
    leftover = _temporary(crashed, "cars", _dead_pid(), age=7200)
    assert dataset.list_versions() == [version]  # the crashed version is invisible
    assert dataset.load()["a"].tolist() == [1]
    assert leftover.exists()  # not swept: nothing saves into that folder again
