"""Bad catalog input: every problem found at once, each saying where and how to fix."""

from __future__ import annotations

import re
from typing import Any

import pytest

from ordino.errors import CatalogConfigError, DatasetError, DatasetTypeError
from ordino.io import AbstractDataset, DataCatalog


class Needy(AbstractDataset[Any, Any]):
    def __init__(
        self,
        filepath: str,
        load_args: dict[str, Any] | None = None,
        credentials: dict[str, Any] | None = None,
    ) -> None:
        if filepath.endswith(".bad"):
            raise ValueError("unsupported extension '.bad'")
        self._filepath = filepath

    def load(self) -> Any:
        return None

    def save(self, data: Any) -> None:
        pass

    def _describe(self) -> dict[str, Any]:
        return {"filepath": self._filepath}


NEEDY = f"{Needy.__module__}.Needy"
SOURCE = "conf/base/catalog.yml"


def _problems(config: dict[str, Any], **kwargs: Any) -> tuple[str, ...]:
    with pytest.raises(CatalogConfigError) as info:
        DataCatalog.from_config(config, **kwargs)
    return info.value.problems


def test_all_problems_are_collected_into_one_error() -> None:
    config = {
        "not_a_mapping": "pandas.CSVDataset",
        "no_type": {"filepath": "a.csv"},
        "typo_type": {"type": "pandas.CSVDatset", "filepath": "a.csv"},
        "bad_argument": {"type": NEEDY, "filepath": "a", "load_arg": {}},
        "missing_creds": {"type": NEEDY, "filepath": "a", "credentials": "dbb"},
        "{name": {"type": NEEDY, "filepath": "x"},
        "{name}_csv": {"type": NEEDY, "filepath": "{nam}.csv"},
        "good": {"type": NEEDY, "filepath": "ok.csv"},
    }
    with pytest.raises(CatalogConfigError) as info:
        DataCatalog.from_config(config, {"db": {"password": "x"}}, source=SOURCE)
    problems = info.value.problems
    assert len(problems) == 7
    assert all(p.startswith(f"{SOURCE}, ") for p in problems)
    text = str(info.value)
    assert "The catalog has 7 problems" in text
    for expected in (
        r"dataset 'not_a_mapping': the entry must be a mapping",
        r"dataset 'no_type' has no 'type'",
        r"dataset 'typo_type': Unknown dataset type 'pandas.CSVDatset'. "
        r"Did you mean 'pandas.CSVDataset'\?",
        r"dataset 'bad_argument': Needy does not accept the argument 'load_arg'. "
        r"Did you mean 'load_args'\?",
        r"dataset 'missing_creds' uses credentials 'dbb', which are not defined. "
        r"Did you mean 'db'\?",
        r"pattern '\{name' is malformed",
        r"pattern '\{name\}_csv' uses '\{nam\}' in its entry",
    ):
        assert any(re.search(expected, p) for p in problems), expected


def test_problems_name_their_own_file_when_entries_come_from_several() -> None:
    problems = _problems(
        {"a": {"filepath": "x"}, "b": {"filepath": "y"}},
        sources={"a": "conf/base/catalog.yml", "b": "conf/local/catalog_extra.yml"},
    )
    assert problems[0].startswith("conf/base/catalog.yml, dataset 'a'")
    assert problems[1].startswith("conf/local/catalog_extra.yml, dataset 'b'")


def test_two_catch_all_patterns_are_an_error() -> None:
    problems = _problems(
        {
            "{a}": {"type": NEEDY, "filepath": "{a}"},
            "{b}": {"type": NEEDY, "filepath": "x"},
        }
    )
    assert problems == (
        "the catalog has 2 catch-all patterns ('{a}', '{b}'); only one is allowed "
        "because they all match every name. Keep one and remove the rest.",
    )


def test_versioned_entry_of_a_class_without_versions() -> None:
    problems = _problems({"a": {"type": NEEDY, "filepath": "x", "versioned": True}})
    assert "does not support versioning" in problems[0]


def test_missing_required_argument_is_reported_at_build() -> None:
    catalog = DataCatalog.from_config({"a": {"type": NEEDY}}, source=SOURCE)
    with pytest.raises(
        DatasetTypeError, match="missing a required argument: 'filepath'"
    ):
        catalog["a"]


def test_constructor_failure_names_file_dataset_and_chains() -> None:
    catalog = DataCatalog.from_config(
        {"a": {"type": NEEDY, "filepath": "data.bad"}}, source=SOURCE
    )
    with pytest.raises(DatasetError) as info:
        catalog["a"]
    message = str(info.value)
    assert message.startswith(f"{SOURCE}, Dataset 'a': building {NEEDY} failed")
    assert "unsupported extension '.bad'" in message
    assert isinstance(info.value.__cause__, ValueError)
    assert info.value.dataset == "a"
    assert "a" in catalog  # still registered: a fix of the entry can be retried


def test_credentials_resolve_at_any_depth() -> None:
    config = {
        "a": {
            "type": NEEDY,
            "filepath": "a",
            "load_args": {"nested": {"credentials": "db"}},
        }
    }
    catalog = DataCatalog.from_config(config, {"db": {"user": "u"}})
    assert catalog.config_resolver.config["a"]["load_args"] == {
        "nested": {"credentials": {"user": "u"}}
    }


def test_underscore_keys_are_anchors_not_datasets() -> None:
    anchor = {"type": NEEDY, "load_args": {"sep": ";"}}
    catalog = DataCatalog.from_config(
        {"_csv": anchor, "a": {**anchor, "filepath": "a.csv"}}
    )
    assert catalog.keys() == ["a"]
    # An anchor without the underscore is reported with the hint to add it.
    problems = _problems({"csv_defaults": "oops"})
    assert "start the key with '_'" in problems[0]
