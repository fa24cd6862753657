"""pandas datasets: ``pandas.CSVDataset``, ``pandas.ParquetDataset`` and friends.

Importing this package does not import pandas: each dataset imports it the first
time it loads or saves.
"""

from __future__ import annotations

from ordino.datasets.pandas.csv import CSVDataset
from ordino.datasets.pandas.excel import ExcelDataset
from ordino.datasets.pandas.feather import FeatherDataset
from ordino.datasets.pandas.generic import GenericDataset
from ordino.datasets.pandas.json import JSONDataset
from ordino.datasets.pandas.parquet import ParquetDataset
from ordino.datasets.pandas.sql import SQLQueryDataset, SQLTableDataset

__all__ = [
    "CSVDataset",
    "ExcelDataset",
    "FeatherDataset",
    "GenericDataset",
    "JSONDataset",
    "ParquetDataset",
    "SQLQueryDataset",
    "SQLTableDataset",
]
