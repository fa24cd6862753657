"""The examples in ordino.io's docstrings run and print what they say."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "ordino.io",
    "ordino.io.cached",
    "ordino.io.catalog",
    "ordino.io.dataset",
    "ordino.io.factories",
    "ordino.io.files",
    "ordino.io.memory",
    "ordino.io.shared_memory",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
