"""AbstractDataset and AbstractVersionedDataset: the contract user datasets build on."""

from __future__ import annotations

import json
import logging
import os
import pickle
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from ordino.errors import DatasetError, VersionAlreadyExistsError, VersionNotFoundError
from ordino.io.dataset import (
    AbstractDataset,
    AbstractVersionedDataset,
    Version,
    generate_timestamp,
    redact,
)
from ordino.io.files import build_filesystem, parse_protocol_path


class ListDataset(AbstractDataset[list, list]):
    def __init__(self, items: list | None = None, *, secret: str | None = None) -> None:
        self._items = list(items or [])
        self._secret = secret

    def load(self) -> list:
        return list(self._items)

    def save(self, data: list) -> None:
        self._items = list(data)

    def _describe(self) -> dict[str, Any]:
        return {"size": len(self._items), "password": self._secret, "none": None}


class JSONFile(AbstractVersionedDataset[Any, Any]):
    def __init__(self, filepath: str, version: Version | None = None) -> None:
        protocol, path = parse_protocol_path(filepath)
        self._fs = build_filesystem(protocol)
        super().__init__(PurePosixPath(path), version, fs=self._fs)

    def load(self) -> Any:
        with self._fs.open(str(self._get_load_path()), "r") as stream:
            return json.load(stream)

    def save(self, data: Any) -> None:
        with self._open_for_save("w", encoding="utf-8") as stream:
            json.dump(data, stream)

    def _describe(self) -> dict[str, Any]:
        return {"filepath": str(self._filepath), "version": self._version}


class KedroStyle(AbstractVersionedDataset[str, str]):
    """A dataset written the Kedro way: it writes to _get_save_path() itself."""

    def __init__(self, filepath: str, version: Version | None = None) -> None:
        super().__init__(PurePosixPath(filepath), version)

    def load(self) -> str:
        return Path(str(self._get_load_path())).read_text()

    def save(self, data: str) -> None:
        Path(str(self._get_save_path())).write_text(data)

    def _describe(self) -> dict[str, Any]:
        return {"filepath": str(self._filepath)}


def test_a_plain_subclass_is_a_dataset_and_nothing_wraps_its_methods() -> None:
    ds = ListDataset([1])
    assert type(ds).load is ListDataset.load
    ds.save([2, 3])
    assert ds.load() == [2, 3]
    assert ds.exists() is False  # no _exists: assumed absent, like Kedro
    ds.release()


def test_repr_uses_describe_drops_none_and_masks_secrets() -> None:
    ds = ListDataset([1, 2], secret="hunter2-secret")
    text = repr(ds)
    assert text == f"{ListDataset.__module__}.ListDataset(size=2, password='***')"
    assert str(ds) == text
    assert "hunter2" not in text
    assert ds.describe() == {"size": 2, "password": "***"}


def test_redact_masks_nested_secret_keys_and_url_passwords() -> None:
    described = {
        "con": "postgresql://scott:tiger-pass@db:5432/app",
        "fs_args": {"client_kwargs": {"aws_secret_access_key": "AKIA-xyz"}},
        "load_args": {"columns": ["a"], "token": "t0k"},
        "author": "kept",
    }
    masked = redact(described)
    assert masked["con"] == "postgresql://scott:***@db:5432/app"
    assert masked["fs_args"]["client_kwargs"]["aws_secret_access_key"] == "***"
    assert masked["load_args"] == {"columns": ["a"], "token": "***"}
    assert masked["author"] == "kept"


def test_preview_is_opt_in() -> None:
    with pytest.raises(DatasetError, match="does not support preview"):
        ListDataset().preview()


def test_init_config_records_constructor_arguments_without_wrapping() -> None:
    ds = ListDataset([1], secret="s")
    assert ds._init_config() == {
        "type": f"{ListDataset.__module__}.ListDataset",
        "items": [1],
        "secret": "s",
    }


def test_datasets_pickle_with_their_state(tmp_path: Path) -> None:
    ds = JSONFile(str(tmp_path / "a.json"), Version(None, None))
    clone = pickle.loads(pickle.dumps(ds))
    clone.save({"a": 1})
    assert ds.load() == {"a": 1}


def test_version_format_is_utc_milliseconds() -> None:
    moment = datetime(2024, 1, 31, 10, 0, 0, 123999, tzinfo=timezone.utc)
    assert generate_timestamp(moment) == "2024-01-31T10.00.00.123Z"
    assert len(generate_timestamp()) == len("2024-01-31T10.00.00.123Z")


def test_versioned_layout_latest_load_and_listing(tmp_path: Path) -> None:
    ds = JSONFile(str(tmp_path / "cars.json"), Version(None, None))
    for i in range(3):
        ds.save({"i": i})
    versions = ds.list_versions()
    assert len(versions) == 3
    assert versions == sorted(versions)
    for version in versions:
        assert (tmp_path / "cars.json" / version / "cars.json").is_file()
    assert ds.load() == {"i": 2}  # the latest by default
    pinned = JSONFile(str(tmp_path / "cars.json"), Version(versions[0], None))
    assert pinned.load() == {"i": 0}
    assert ds.resolve_save_version() == versions[-1]


def test_loading_without_any_version_is_version_not_found(tmp_path: Path) -> None:
    ds = JSONFile(str(tmp_path / "none.json"), Version(None, None))
    assert ds.exists() is False
    with pytest.raises(VersionNotFoundError, match="Did not find any versions"):
        ds.load()
    pinned = JSONFile(
        str(tmp_path / "none.json"), Version("2020-01-01T00.00.00.000Z", None)
    )
    with pytest.raises(VersionNotFoundError, match="does not exist"):
        pinned.load()


def test_saving_an_explicit_version_twice_is_an_error(tmp_path: Path) -> None:
    version = "2024-05-01T12.00.00.000Z"
    ds = JSONFile(str(tmp_path / "m.json"), Version(None, version))
    ds.save({"first": True})
    with pytest.raises(
        VersionAlreadyExistsError, match=r"(?s)already exists.*never overwritten"
    ):
        ds.save({"second": True})
    assert ds.load() == {"first": True}


def test_generated_versions_never_collide_within_one_process(tmp_path: Path) -> None:
    ds = JSONFile(str(tmp_path / "fast.json"), Version(None, None))
    for i in range(30):  # many saves inside the same millisecond
        ds.save(i)
    assert len(ds.list_versions()) == 30


def test_a_failed_versioned_save_leaves_nothing_behind(tmp_path: Path) -> None:
    class Broken(JSONFile):
        def save(self, data: Any) -> None:
            with self._open_for_save("w") as stream:
                stream.write("{partial")
                raise RuntimeError("serialiser crashed")

    with pytest.raises(RuntimeError):
        Broken(str(tmp_path / "b.json"), Version(None, None)).save({})
    assert os.listdir(tmp_path / "b.json") == []


def test_versioning_over_an_unversioned_file_says_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "plain.json").write_text("{}")
    ds = JSONFile(str(tmp_path / "plain.json"), Version(None, None))
    with pytest.raises(DatasetError, match="exists and is not a directory"):
        ds.save({})


def test_kedro_style_dataset_gets_a_claimed_save_path(tmp_path: Path) -> None:
    ds = KedroStyle(str(tmp_path / "k.txt"), Version(None, None))
    ds.save("one")
    ds.save("two")
    assert len(ds.list_versions()) == 2
    assert ds.load() == "two"
    assert ds.exists()


def test_mismatched_load_and_save_versions_are_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    JSONFile(str(tmp_path / "x.json"), Version(None, "2024-01-01T00.00.00.000Z")).save(
        1
    )
    ds = JSONFile(str(tmp_path / "x.json"), Version("2024-01-01T00.00.00.000Z", None))
    with caplog.at_level(logging.WARNING, logger="ordino.io.dataset"):
        ds.save(2)
    assert "does not match load version" in caplog.text


def test_unversioned_file_dataset_overwrites_atomically(tmp_path: Path) -> None:
    ds = JSONFile(str(tmp_path / "plain.json"))
    ds.save([1])
    ds.save([2])
    assert ds.load() == [2]
    assert ds.exists()
    assert os.listdir(tmp_path) == ["plain.json"]


_SAVER = textwrap.dedent(
    """
    import json, os, sys, time
    from pathlib import PurePosixPath
    from ordino.io.dataset import AbstractVersionedDataset, Version
    from ordino.io.files import build_filesystem

    class JSONFile(AbstractVersionedDataset):
        def __init__(self, filepath, version=None):
            self._fs = build_filesystem("file")
            super().__init__(PurePosixPath(filepath), version, fs=self._fs)
        def load(self):
            raise NotImplementedError
        def save(self, data):
            with self._open_for_save("w") as stream:
                json.dump(data, stream)
        def _describe(self):
            return {}

    path, start, count, worker = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), \
        sys.argv[4]
    time.sleep(max(0.0, start - time.time() - 0.02))  # then spin: same millisecond
    while time.time() < start:
        pass
    for i in range(count):
        record = {"worker": worker, "i": i, "pad": "x" * 5000}
        JSONFile(path, Version(None, None)).save(record)
    """
)


def test_processes_saving_one_versioned_dataset_never_collide(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.json")
    workers, count = 4, 25
    start = time.time() + 1.5  # all processes start saving in the same millisecond
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _SAVER, path, str(start), str(count), str(w)]
        )
        for w in range(workers)
    ]
    assert all(p.wait(timeout=60) == 0 for p in procs)
    versions = sorted(os.listdir(path))
    assert len(versions) == workers * count
    seen = set()
    for version in versions:
        files = os.listdir(os.path.join(path, version))
        assert files == ["shared.json"], files  # no temporary, nothing mixed
        with open(os.path.join(path, version, "shared.json")) as stream:
            record = json.load(stream)  # complete, parseable
        seen.add((record["worker"], record["i"]))
    assert seen == {(str(w), i) for w in range(workers) for i in range(count)}
