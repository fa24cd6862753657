"""polars datasets: ``CSVDataset``, ``EagerPolarsDataset``, ``LazyPolarsDataset``.

Importing this package does not import polars: each dataset imports it on first use.
"""

from __future__ import annotations

from ordino.datasets.polars.csv import CSVDataset
from ordino.datasets.polars.eager import EagerPolarsDataset
from ordino.datasets.polars.lazy import LazyPolarsDataset

__all__ = ["CSVDataset", "EagerPolarsDataset", "LazyPolarsDataset"]
