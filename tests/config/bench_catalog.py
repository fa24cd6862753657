"""A generated project configuration for timing the loader (ordino or Kedro).

``write_project(root, entries)`` writes ``root/base`` and ``root/local`` with a
catalog of ``entries`` datasets that use ``_``-templates, ``${globals:...}`` and
plain interpolations, plus globals and parameters. Run this file to time ordino::

    .venv/bin/python tests/config/bench_catalog.py 2000

``make bench`` uses the same generator (``benchmarks/cases/config.py`` loads this
file by path), so the tests and the benchmark measure one project shape.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path


def write_project(root: Path, entries: int, *, anchors: bool = False) -> Path:
    """Write the configuration tree and return ``root``.

    With ``anchors=True`` the entries also use a YAML anchor and ``<<: *csv`` merge
    keys, the other templating style Kedro's documentation shows.
    """
    (root / "base").mkdir(parents=True, exist_ok=True)
    (root / "local").mkdir(parents=True, exist_ok=True)
    (root / "base" / "globals.yml").write_text(
        "paths:\n  raw: data/01_raw\n  primary: data/03_primary\n"
        "owner: data-team\nformats:\n  csv: pandas.CSVDataset\n"
    )
    lines = ["_layer: raw", "_csv_load:", "  sep: ','", "  encoding: utf-8", ""]
    if anchors:
        lines += ["_csv: &csv", "  versioned: false", "  credentials: dev_s3", ""]
    for i in range(entries):
        lines += [
            f"dataset_{i}:",
            *(["  <<: *csv"] if anchors else []),
            "  type: ${globals:formats.csv}",
            f"  filepath: ${{globals:paths.raw}}/dataset_{i}.csv",
            "  load_args: ${_csv_load}",
            "  save_args:",
            "    index: false",
            "  metadata:",
            "    owner: ${globals:owner}",
            "    layer: ${_layer}",
            f"    description: dataset number {i}",
            "",
        ]
    (root / "base" / "catalog.yml").write_text("\n".join(lines))
    (root / "local" / "catalog.yml").write_text("dataset_0:\n  type: MemoryDataset\n")
    (root / "base" / "parameters.yml").write_text(
        "model:\n  rate: 0.1\n  layers: [8, 4]\nsplit: ${model.rate}\n"
    )
    return root


def time_ordino(root: Path, repeat: int = 5) -> float:
    """Best wall time of a fresh loader's ``loader["catalog"]``, in seconds."""
    from ordino.config import OmegaConfigLoader

    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        loader = OmegaConfigLoader(str(root), base_env="base", default_run_env="local")
        loader["catalog"]
        best = min(best, time.perf_counter() - start)
    return best


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    for use_anchors in (False, True):
        with tempfile.TemporaryDirectory() as tmp:
            project = write_project(Path(tmp), count, anchors=use_anchors)
            style = "with anchors" if use_anchors else "interpolations"
            elapsed = time_ordino(project) * 1000
            print(f"ordino: {count} entries ({style}) in {elapsed:.1f} ms")
