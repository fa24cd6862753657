"""Configuration from directories, archives and fsspec URLs; each file read once."""

from __future__ import annotations

import shutil
import tarfile
import zipfile
from pathlib import Path

import pytest

from ordino.config import OmegaConfigLoader
from ordino.config import sources as sources_module
from ordino.config.sources import match_files, open_source


def _project(write) -> None:
    write(
        "base/catalog.yml",
        "cars: {type: MemoryDataset, filepath: '${_root}'}\n_root: r\n",
    )
    write("base/parameters.yml", "rate: 0.1\n")
    write("local/parameters.yml", "rate: 0.2\n")
    write("base/globals.yml", "bucket: b\n")


def test_zip_archive(write, tmp_path):
    _project(write)
    archive = shutil.make_archive(str(tmp_path / "conf_zip"), "zip", tmp_path, "conf")
    loader = OmegaConfigLoader(archive, base_env="base", default_run_env="local")
    assert loader["parameters"] == {"rate": 0.2}
    assert loader["catalog"] == {"cars": {"type": "MemoryDataset", "filepath": "r"}}


def test_tar_gz_archive_with_the_environments_at_its_root(write, tmp_path):
    _project(write)
    archive = tmp_path / "conf.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for env in ("base", "local"):
            tar.add(tmp_path / "conf" / env, arcname=env)
    loader = OmegaConfigLoader(str(archive), base_env="base", default_run_env="local")
    assert loader["parameters"] == {"rate": 0.2}
    assert loader["globals"] == {"bucket": "b"}


def test_archive_errors_name_the_member(write, tmp_path):
    write("base/catalog.yml", "a: [\n")
    archive = tmp_path / "conf.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(tmp_path / "conf" / "base" / "catalog.yml", "conf/base/catalog.yml")
    loader = OmegaConfigLoader(str(archive), base_env="base")
    from ordino.config import BadConfigException

    with pytest.raises(BadConfigException, match=r"conf.zip!/base/catalog.yml"):
        loader["catalog"]


def test_fsspec_url(tmp_path):
    fsspec = pytest.importorskip("fsspec")
    fs = fsspec.filesystem("memory")
    fs.pipe("/ordino-conf/base/catalog.yml", b"cars: {type: MemoryDataset}\n")
    fs.pipe("/ordino-conf/local/catalog.yml", b"boats: {type: MemoryDataset}\n")
    fs.pipe("/ordino-conf/local/.hidden/catalog.yml", b"nope: 1\n")
    try:
        loader = OmegaConfigLoader(
            "memory://ordino-conf", base_env="base", default_run_env="local"
        )
        assert loader["catalog"] == {
            "cars": {"type": "MemoryDataset"},
            "boats": {"type": "MemoryDataset"},
        }
    finally:
        fs.rm("/ordino-conf", recursive=True)


def test_each_file_is_opened_and_parsed_once_per_loader(write, conf, monkeypatch):
    _project(write)
    write("local/credentials.yml", "db: {user: u}\n")
    opened: list[str] = []
    real_open = open

    def counting_open(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        opened.append(str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(sources_module, "open", counting_open, raising=False)
    loader = OmegaConfigLoader(conf, base_env="base", default_run_env="local")
    for _ in range(3):
        loader["catalog"]
        loader["parameters"]
        loader["credentials"]
        loader["globals"]
    assert sorted(Path(p).name for p in opened) == [
        "catalog.yml",
        "credentials.yml",
        "globals.yml",
        "parameters.yml",
        "parameters.yml",
    ]


def test_default_glob_patterns_match_like_kedro(write, conf):
    for rel in [
        "base/catalog.yml",
        "base/catalog_cars.yaml",
        "base/catalog/x.yml",
        "base/catalog/deep/y.json",
        "base/pipelines/p1/catalog.yml",
        "base/pipelines/p1/catalog_more.yml",
        "base/pipelines/p1/other.yml",
        "base/notcatalog.yml",
        "base/catalog.txt",
        "base/.hidden/catalog.yml",
        "local/catalog.yml",
    ]:
        write(rel, "{}\n")
    source = open_source(conf, base_env="base")
    matched = match_files(
        source, "base", ["catalog*", "catalog*/**", "**/catalog*"], ignore_hidden=True
    )
    assert matched == [
        "base/catalog.yml",
        "base/catalog/deep/y.json",
        "base/catalog/x.yml",
        "base/catalog_cars.yaml",
        "base/pipelines/p1/catalog.yml",
        "base/pipelines/p1/catalog_more.yml",
    ]
