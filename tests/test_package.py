"""The top-level package: its version, its public surface and its import cost."""

from __future__ import annotations

import subprocess
import sys

import pytest

import ordino


def test_version_is_defined_once_and_exposed() -> None:
    assert ordino.__version__.count(".") == 2


def test_every_name_in_all_resolves() -> None:
    for name in ordino.__all__:
        assert getattr(ordino, name) is not None, name


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="does_not_exist"):
        ordino.does_not_exist  # noqa: B018 - the access itself is the test


def test_importing_ordino_pipeline_imports_no_third_party_package() -> None:
    code = (
        "import sys, ordino.pipeline\n"
        "bad = {'pandas','numpy','fsspec','rich','click','omegaconf','yaml','pluggy'}\n"
        "print(sorted(bad & set(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
