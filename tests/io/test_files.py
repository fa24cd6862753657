"""ordino.io.files: protocol parsing, filesystems and atomic writes on real files."""

from __future__ import annotations

import os
from pathlib import Path

import fsspec
import pytest

from ordino.io.files import (
    atomic_local_path,
    atomic_open,
    build_filesystem,
    full_path,
    is_local,
    is_temporary_path,
    make_exclusive_dir,
    open_args,
    parse_protocol_path,
)


@pytest.mark.parametrize(
    ("filepath", "expected"),
    [
        ("data/01_raw/cars.csv", ("file", "data/01_raw/cars.csv")),
        ("/abs/cars.csv", ("file", "/abs/cars.csv")),
        ("file:///abs/cars.csv", ("file", "/abs/cars.csv")),
        ("s3://bucket/raw/cars.csv", ("s3", "bucket/raw/cars.csv")),
        ("gcs://bucket/cars.csv", ("gcs", "bucket/cars.csv")),
        ("https://example.com/cars.csv", ("https", "example.com/cars.csv")),
        ("memory://x/cars.csv", ("memory", "x/cars.csv")),
        ("C:\\data\\cars.csv", ("file", "C:\\data\\cars.csv")),
        (Path("data/cars.csv"), ("file", "data/cars.csv")),
    ],
)
def test_parse_protocol_path_splits_like_kedro(filepath: str, expected: tuple) -> None:
    assert parse_protocol_path(filepath) == expected


def test_full_path_puts_the_scheme_back_on_urls_only() -> None:
    assert full_path("https", "example.com/a.csv") == "https://example.com/a.csv"
    assert full_path("s3", "bucket/a.csv") == "bucket/a.csv"


def test_open_args_are_split_out_of_fs_args() -> None:
    fs_args = {"open_args_load": {"encoding": "latin1"}, "other": 1}
    assert open_args(fs_args) == ({"encoding": "latin1"}, {})
    assert open_args(None) == ({}, {})


def test_build_filesystem_shares_plain_local_filesystems() -> None:
    first = build_filesystem("file")
    assert first is build_filesystem("file")
    assert is_local(first)
    assert not is_local(build_filesystem("memory"))


def test_build_filesystem_passes_fs_args_but_not_open_args() -> None:
    fs = build_filesystem("file", {"auto_mkdir": False, "open_args_save": {"x": 1}})
    assert fs.auto_mkdir is False


def test_unknown_protocol_is_a_dataset_error() -> None:
    from ordino.errors import DatasetError

    with pytest.raises(DatasetError, match="Unknown filesystem protocol 'nope'"):
        build_filesystem("nope")


def test_atomic_open_creates_parents_and_writes(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "out.txt"
    with atomic_open(None, str(target), "w", encoding="utf-8") as stream:
        stream.write("héllo")
        assert not target.exists()  # nothing visible before the commit
    assert target.read_text(encoding="utf-8") == "héllo"
    assert os.listdir(target.parent) == ["out.txt"]


def test_failed_write_keeps_the_old_file_and_leaves_no_temporary(
    tmp_path: Path,
) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"old complete content")
    with (
        pytest.raises(RuntimeError, match="disk on fire"),
        atomic_open(None, str(target)) as stream,
    ):
        stream.write(b"new partial")
        raise RuntimeError("disk on fire")
    assert target.read_bytes() == b"old complete content"
    assert os.listdir(tmp_path) == ["out.bin"]


def test_overwrite_false_refuses_an_existing_target(tmp_path: Path) -> None:
    target = tmp_path / "v.bin"
    target.write_bytes(b"first")
    with (
        pytest.raises(FileExistsError, match="never overwritten"),
        atomic_open(None, str(target), overwrite=False) as stream,
    ):
        stream.write(b"second")
    assert target.read_bytes() == b"first"
    assert os.listdir(tmp_path) == ["v.bin"]


def test_durable_write_fsyncs_and_commits(tmp_path: Path) -> None:
    target = tmp_path / "d.bin"
    with atomic_open(None, str(target), durable=True) as stream:
        stream.write(b"x")
    assert target.read_bytes() == b"x"


def test_atomic_open_rejects_read_modes(tmp_path: Path) -> None:
    with (
        pytest.raises(ValueError, match="write-only"),
        atomic_open(None, str(tmp_path / "x"), "r+b"),
    ):
        pass


def test_temporary_names_are_hidden_recognisable_and_keep_the_extension(
    tmp_path: Path,
) -> None:
    target = tmp_path / "report.xlsx"
    with atomic_local_path(None, str(target)) as temp:
        name = os.path.basename(temp)
        assert name.startswith(".report.")
        assert name.endswith(".xlsx")
        assert is_temporary_path(temp)
        Path(temp).write_bytes(b"xlsx bytes")
    assert target.read_bytes() == b"xlsx bytes"
    assert not is_temporary_path(target)


def test_atomic_local_path_failure_removes_the_temporary(tmp_path: Path) -> None:
    target = tmp_path / "plot.png"
    target.write_bytes(b"old")
    with pytest.raises(KeyError), atomic_local_path(None, str(target)) as temp:
        Path(temp).write_bytes(b"half")
        raise KeyError("x")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["plot.png"]


def test_atomic_local_path_replaces_a_directory_target(tmp_path: Path) -> None:
    target = tmp_path / "parts"
    target.mkdir()
    (target / "old.txt").write_text("old")
    with atomic_local_path(None, str(target), suffix="") as temp:
        os.mkdir(temp)
        Path(temp, "new.txt").write_text("new")
    assert sorted(os.listdir(target)) == ["new.txt"]
    assert os.listdir(tmp_path) == ["parts"]


def test_atomic_writes_on_an_fsspec_memory_filesystem() -> None:
    fs = fsspec.filesystem("memory")
    path = "/atomic-test/out.txt"
    with atomic_open(fs, path, "wb") as stream:
        stream.write(b"new")
    assert fs.cat(path) == b"new"
    with pytest.raises(ValueError, match="stop"), atomic_open(fs, path) as stream:
        stream.write(b"partial")
        raise ValueError("stop")
    assert fs.cat(path) == b"new"
    assert list(fs.ls("/atomic-test", detail=False)) == [path]
    with atomic_local_path(fs, "/atomic-test/up.bin") as local:
        Path(local).write_bytes(b"uploaded")
    assert fs.cat("/atomic-test/up.bin") == b"uploaded"
    fs.rm("/atomic-test", recursive=True)


def test_make_exclusive_dir_lets_only_one_caller_claim(tmp_path: Path) -> None:
    claim = str(tmp_path / "ds.csv" / "2024-01-01T00.00.00.000Z")
    make_exclusive_dir(None, claim)
    with pytest.raises(FileExistsError):
        make_exclusive_dir(None, claim)
    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError):
        make_exclusive_dir(None, str(tmp_path / "file" / "v"))


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_replacing_a_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "secret.txt"
    target.write_text("old")
    target.chmod(0o600)
    with atomic_open(None, str(target), "w") as stream:
        stream.write("new")
    assert target.read_text() == "new"
    assert (target.stat().st_mode & 0o777) == 0o600
