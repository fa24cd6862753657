"""Every public dataset's docstring example runs (they are what users copy first)."""

from __future__ import annotations

import doctest
import importlib
import tempfile

import matplotlib
import pytest

MODULES = [
    "ordino.datasets.pandas.csv",
    "ordino.datasets.pandas.parquet",
    "ordino.datasets.pandas.excel",
    "ordino.datasets.pandas.json",
    "ordino.datasets.pandas.feather",
    "ordino.datasets.pandas.generic",
    "ordino.datasets.pandas.sql",
    "ordino.datasets.polars.csv",
    "ordino.datasets.polars.eager",
    "ordino.datasets.polars.lazy",
    "ordino.datasets.pickle",
    "ordino.datasets.json",
    "ordino.datasets.yaml",
    "ordino.datasets.text",
    "ordino.datasets.matplotlib",
    "ordino.datasets.plotly",
    "ordino.datasets.partitions.partitioned",
    "ordino.datasets.partitions.incremental",
]


@pytest.mark.parametrize("name", MODULES)
def test_examples_run(name, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # examples' mkdtemp()
    matplotlib.use("Agg")
    module = importlib.import_module(name)
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert tried > 0, f"{name} has no example"
    assert failures == 0
