"""Folders of files: ``partitions.PartitionedDataset`` and ``IncrementalDataset``."""

from __future__ import annotations

from ordino.datasets.partitions.incremental import IncrementalDataset
from ordino.datasets.partitions.partitioned import PartitionedDataset

__all__ = ["IncrementalDataset", "PartitionedDataset"]
