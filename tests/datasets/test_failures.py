"""One DatasetError naming the path; secrets never leak through a library's error."""

from __future__ import annotations

import traceback

import pytest

from ordino.datasets._failures import reported
from ordino.datasets._imports import require
from ordino.datasets._secrets import collect_secrets, redact
from ordino.errors import DatasetError, MissingDependencyError

SECRET = "s3cr3t-passw0rd"


def _boom(message: str):
    def operation():
        raise ValueError(message)

    return operation


def test_library_error_becomes_one_dataset_error_with_the_cause_chained():
    with pytest.raises(DatasetError) as info:
        reported("load", "pandas.CSVDataset", "data/cars.csv", _boom("bad line 3"))
    assert str(info.value) == (
        "Failed to load pandas.CSVDataset from 'data/cars.csv': ValueError: bad line 3"
    )
    assert info.value.path == "data/cars.csv"
    assert isinstance(info.value.__cause__, ValueError)


def test_dataset_errors_pass_through_unchanged():
    original = DatasetError("already precise")

    def operation():
        raise original

    with pytest.raises(DatasetError) as info:
        reported("save", "x", "p", operation)
    assert info.value is original


def test_an_error_quoting_a_secret_is_redacted_and_not_chained():
    secrets = collect_secrets({"con": f"postgresql://scott:{SECRET}@db/prod"})
    with pytest.raises(DatasetError) as info:
        reported(
            "load",
            "pandas.SQLTableDataset",
            "t",
            _boom(f"cannot connect as scott:{SECRET}@db"),
            secrets=secrets,
        )
    error = info.value
    assert error.__cause__ is None
    assert error.__context__ is None  # not even as implicit context
    printed = "".join(traceback.format_exception(error))
    assert SECRET not in printed
    assert "***" in str(error)


def test_collect_secrets_finds_nested_values_and_url_passwords():
    found = collect_secrets(
        {"con": f"mysql://u:{SECRET}@h/db", "client_kwargs": {"key": "AKIAEXAMPLE"}}
    )
    assert SECRET in found
    assert "AKIAEXAMPLE" in found
    assert redact(f"x {SECRET} y", found) == "x *** y"


def test_require_names_the_pip_command_for_a_missing_library():
    with pytest.raises(MissingDependencyError, match="no_such_lib_xyz") as info:
        require("no_such_lib_xyz", extra="pandas", dataset="pandas.CSVDataset")
    assert info.value.install == 'pip install "ordino[pandas]"'
    assert 'pip install "ordino[pandas]"' in str(info.value)
