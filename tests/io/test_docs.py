"""The examples in docs/custom-datasets.md run as written; docs/catalog.md's YAML
blocks are valid catalogs for every part ordino.io owns."""

from __future__ import annotations

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


def test_catalog_md_yaml_examples_are_valid_catalogs() -> None:
    from ordino.io import DataCatalog

    page = DOCS / "catalog.md"
    examples = blocks(page, "yaml")
    assert len(examples) >= 5
    for example in examples:
        entries = {
            name: entry
            for name, entry in yaml.safe_load(example).items()
            if isinstance(entry, dict) and "type" in entry
        }
        names: set[str] = set()
        _credential_names(entries, names)
        DataCatalog.from_config(entries, {name: {} for name in names})


def test_catalog_md_python_examples_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = DOCS / "catalog.md"
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "docs_catalog"}
    for example in blocks(page, "python"):
        exec(compile(example, str(page), "exec"), namespace)  # the documented code
