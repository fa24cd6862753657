"""The examples in docs/custom-datasets.md run as written; docs/catalog.md's YAML
blocks are valid catalogs for every part ordino.io owns."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
import yaml

DOCS = Path(__file__).parents[2] / "docs"


def blocks(path: Path, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", path.read_text(), flags=re.DOTALL)


def test_custom_datasets_examples_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    page = DOCS / "custom-datasets.md"
    module, *examples = blocks(page, "python")
    package = tmp_path / "my_project"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "datasets.py").write_text(module)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "docs_custom_datasets"}
    try:
        for example in examples:
            exec(compile(example, str(page), "exec"), namespace)  # the documented code
    finally:
        sys.modules.pop("my_project.datasets", None)
        sys.modules.pop("my_project", None)
    printed = capsys.readouterr().out
    # The outputs quoted in the page are the real ones.
    for quoted in blocks(page, "text"):
        assert quoted.strip() in printed, quoted
    yaml_entries = yaml.safe_load(blocks(page, "yaml")[0])
    assert set(yaml_entries) == {"words", "word_counts"}


def _credential_names(value: object, found: set[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "credentials" and isinstance(item, str):
                found.add(item)
            else:
                _credential_names(item, found)


# What the documented ``credentials:`` names stand for: values of the right shape
# (SQL datasets need a connection string, fsspec filesystems keyword arguments).
_CREDENTIALS: dict[str, dict[str, object]] = {
    "warehouse": {"con": "sqlite://"},
    "dev_s3": {"key": "k", "secret": "s"},
    "aws_dev": {"key": "k", "secret": "s"},
}


def _sample_name(pattern: str) -> str:
    """A dataset name that ``pattern`` matches: each placeholder becomes ``x``."""
    return re.sub(r"\{[^{}]*\}", "x", pattern)


def _catalog_md_entries() -> list[tuple[str, dict[str, object]]]:
    found = []
    for example in blocks(DOCS / "catalog.md", "yaml"):
        for name, entry in (yaml.safe_load(example) or {}).items():
            if isinstance(entry, dict) and "type" in entry:
                found.append((name, entry))
    return found


def test_catalog_md_yaml_examples_build_every_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every ```yaml block is a catalog: from_config checks it, then each entry (or
    # a name each pattern matches) is built, as a run would on first access.
    from ordino.errors import MissingDependencyError
    from ordino.io import DataCatalog

    monkeypatch.chdir(tmp_path)
    page = DOCS / "catalog.md"
    examples = blocks(page, "yaml")
    assert len(examples) >= 10
    built = 0
    for example in examples:
        entries = {
            name: entry
            for name, entry in (yaml.safe_load(example) or {}).items()
            if isinstance(entry, dict) and "type" in entry
        }
        names: set[str] = set()
        _credential_names(entries, names)
        unknown = names - set(_CREDENTIALS)
        assert not unknown, f"add credentials for {unknown} to this test"
        catalog = DataCatalog.from_config(
            entries, {name: _CREDENTIALS[name] for name in names}
        )
        for name, entry in entries.items():
            dataset_name = _sample_name(name) if "{" in name else name
            remote = "://" in str(entry.get("filepath", "")) and not str(
                entry.get("filepath")
            ).startswith(("http", "file"))
            if remote and importlib.util.find_spec("s3fs") is None:
                # All but the S3 backend is fine: the error names exactly that.
                with pytest.raises(MissingDependencyError, match="'s3://' paths"):
                    catalog[dataset_name]
                continue
            dataset = catalog[dataset_name]
            type_name = str(entry["type"]).split(".")[-1]
            assert type(dataset).__name__ == type_name, name
            built += 1
    assert built >= 30


def test_catalog_md_has_an_example_of_every_type_ordino_ships() -> None:
    from ordino.io.types import BUILTIN_IO_TYPES, KNOWN_DATASET_TYPES

    documented = {str(entry["type"]) for _, entry in _catalog_md_entries()}
    nested = {
        str(entry["dataset"]["type"])
        for _, entry in _catalog_md_entries()
        if isinstance(entry.get("dataset"), dict)
    }
    wanted = set(KNOWN_DATASET_TYPES) | (
        set(BUILTIN_IO_TYPES) - {"SharedMemoryDataset"}
    )
    assert wanted - documented - nested == set()


def test_catalog_md_python_examples_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = DOCS / "catalog.md"
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "docs_catalog"}
    for example in blocks(page, "python"):
        exec(compile(example, str(page), "exec"), namespace)  # the documented code
