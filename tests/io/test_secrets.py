"""A known secret must never show up wherever ordino prints a dataset."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from ordino.errors import CatalogConfigError, DatasetError
from ordino.io import AbstractDataset, DataCatalog

SECRET = "hunter2-SECRET-9f8e"
KEY_ID = "AKIA-KEYID-1234"


class LeakyDataset(AbstractDataset[Any, Any]):
    """A careless dataset: its description and its library errors quote secrets."""

    def __init__(
        self,
        filepath: str,
        credentials: dict[str, Any] | None = None,
        fail: str | None = None,
    ) -> None:
        self._filepath = filepath
        self._options = credentials or {}
        if fail == "init":
            raise ConnectionError(f"cannot log in with {self._options}")
        self._fail = fail

    def load(self) -> Any:
        if self._fail == "load":
            raise ConnectionError(f"login refused for password={SECRET}")
        return 1

    def save(self, data: Any) -> None:
        if self._fail == "save":
            raise PermissionError(f"key {KEY_ID} may not write")

    def _describe(self) -> dict[str, Any]:
        # 'options' and 'key' do not look secret by name: masked by value.
        return {
            "filepath": self._filepath,
            "options": self._options,
            "url": f"postgresql://scott:{SECRET}@db/app",
        }


LEAKY = f"{LeakyDataset.__module__}.LeakyDataset"
CREDENTIALS = {"db": {"key": KEY_ID, "secret": SECRET}}


def _catalog(**entry: Any) -> DataCatalog:
    config = {
        "data": {"type": LEAKY, "filepath": "d.bin", "credentials": "db", **entry}
    }
    return DataCatalog.from_config(config, CREDENTIALS)


def _assert_clean(text: str) -> None:
    assert SECRET not in text
    assert KEY_ID not in text


def test_repr_str_and_describe_of_dataset_and_catalog() -> None:
    catalog = _catalog()
    _assert_clean(repr(catalog))  # before building
    _assert_clean(str(catalog.describe_datasets()))
    dataset = catalog["data"]
    for text in (repr(dataset), str(dataset), str(dataset.describe()), repr(catalog)):
        _assert_clean(text)
        assert "***" in text
    _assert_clean(str(catalog.describe_datasets()))
    _assert_clean(str(catalog.resolve_patterns()))


def test_to_config_keeps_secrets_only_in_the_credentials_part() -> None:
    catalog = _catalog()
    entries, credentials, _, _ = catalog.to_config()
    _assert_clean(str(entries))
    assert entries["data"]["credentials"] == "data_credentials"
    assert credentials == {"data_credentials": CREDENTIALS["db"]}
    catalog["data"]  # built: same answer
    _assert_clean(str(catalog.to_config()[0]))


@pytest.mark.parametrize("operation", ["load", "save"])
def test_failed_load_or_save_message_is_masked(operation: str) -> None:
    catalog = _catalog(fail=operation)
    with pytest.raises(DatasetError) as info:
        if operation == "load":
            catalog.load("data")
        else:
            catalog.save("data", 1)
    _assert_clean(str(info.value))
    assert "dataset 'data'" in str(info.value)


def test_failed_construction_message_is_masked() -> None:
    catalog = _catalog(fail="init")
    with pytest.raises(DatasetError) as info:
        catalog["data"]
    _assert_clean(str(info.value))


def test_config_errors_never_quote_credentials() -> None:
    config = {"data": {"type": LEAKY, "filepath": "x", "credentials": "db", "bad": 1}}
    with pytest.raises(CatalogConfigError) as info:
        DataCatalog.from_config(config, CREDENTIALS)
    _assert_clean(str(info.value))


def test_debug_logging_of_a_whole_session_is_clean(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG):
        catalog = _catalog()
        catalog.load("data")
        catalog.save("data", 2)
        catalog.exists("data")
        catalog.release("data")
        with pytest.raises(DatasetError):
            _catalog(fail="load").load("data")
    assert caplog.records
    _assert_clean(caplog.text)
