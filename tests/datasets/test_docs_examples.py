"""Every catalog example of the dataset families (docs/catalog.md, which
docs/datasets.md links to) builds the dataset it promises."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
import yaml

from ordino.errors import MissingDependencyError
from ordino.io import AbstractDataset

DOC = Path(__file__).resolve().parents[2] / "docs" / "catalog.md"
CREDENTIALS = {
    "dev_s3": {"key": "k", "secret": "s"},
    "aws_dev": {"key": "k", "secret": "s"},
    "warehouse": {"con": "sqlite://"},
}


def _entries():
    blocks = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    for block in blocks:
        for name, entry in yaml.safe_load(block).items():
            if isinstance(entry, dict) and "type" in entry and "{" not in name:
                yield pytest.param(name, entry, id=name)


@pytest.mark.parametrize(("name", "entry"), list(_entries()))
def test_catalog_example_builds(tmp_path, monkeypatch, name, entry):
    monkeypatch.chdir(tmp_path)
    config = dict(entry)
    if isinstance(config.get("credentials"), str):
        config["credentials"] = CREDENTIALS[config["credentials"]]
    remote = str(config.get("filepath", "")).startswith("s3://")
    if remote and importlib.util.find_spec("s3fs") is None:
        # Everything but the S3 backend is fine: the error names exactly that.
        with pytest.raises(MissingDependencyError, match="'s3://' paths"):
            AbstractDataset.from_config(name, config)
        return
    dataset = AbstractDataset.from_config(name, config)
    assert type(dataset).__name__ == config["type"].split(".")[-1]


def test_every_family_has_an_example():
    types = {entry["type"] for _, entry, *_ in (p.values for p in _entries())}
    families = {t.split(".")[0] for t in types}
    assert families >= {
        "pandas", "polars", "pickle", "json", "yaml", "text",
        "matplotlib", "plotly", "partitions",
    }  # fmt: skip
