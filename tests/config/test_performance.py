"""No hidden size cap, and large catalogs load quickly."""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

from ordino.config import OmegaConfigLoader

_spec = importlib.util.spec_from_file_location(
    "bench_catalog", Path(__file__).with_name("bench_catalog.py")
)
assert _spec is not None
assert _spec.loader is not None
bench_catalog = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_catalog)
time_ordino = bench_catalog.time_ordino
write_project = bench_catalog.write_project


def test_twenty_thousand_entries_load_without_any_environment_variable(
    tmp_path, monkeypatch
):
    monkeypatch.delenv("OMEGACONF_MAX_YAML_EXPANDED_NODES", raising=False)
    write_project(tmp_path, 20_000)
    start = time.perf_counter()
    catalog = OmegaConfigLoader(
        str(tmp_path), base_env="base", default_run_env="local"
    )["catalog"]
    elapsed = time.perf_counter() - start
    assert len(catalog) == 20_000
    assert catalog["dataset_19999"] == {
        "type": "pandas.CSVDataset",
        "filepath": "data/01_raw/dataset_19999.csv",
        "load_args": {"sep": ",", "encoding": "utf-8"},
        "save_args": {"index": False},
        "metadata": {
            "owner": "data-team",
            "layer": "raw",
            "description": "dataset number 19999",
        },
    }
    assert catalog["dataset_0"] == {"type": "MemoryDataset"}
    assert elapsed < 10  # generous: about 0.6 s here; Kedro cannot load it at all


def test_two_thousand_entries_load_well_within_a_tenth_of_kedros_time(
    tmp_path: Path,
):
    # Kedro 1.x takes 1.34 s on this machine for such a catalog. The bound is
    # loose so that a busy CI machine does not fail it; `make bench` measures.
    write_project(tmp_path, 2_000)
    assert time_ordino(tmp_path, repeat=3) < 0.5


def test_typical_catalogs_take_the_fast_reader(tmp_path: Path):
    from ordino.config.fast_yaml import DECLINED, parse_block_yaml
    from ordino.config.yaml_reader import type_plain_scalar

    for anchors in (False, True):
        root = write_project(tmp_path / str(anchors), 50, anchors=anchors)
        for name in ("catalog.yml", "globals.yml", "parameters.yml"):
            text = (root / "base" / name).read_text()
            assert parse_block_yaml(text, type_plain_scalar) is not DECLINED, name


def test_loading_a_plain_project_imports_neither_omegaconf_nor_fsspec(tmp_path):
    import subprocess
    import sys

    write_project(tmp_path, 5)
    code = (
        "import sys\n"
        "from ordino.config import OmegaConfigLoader\n"
        f"loader = OmegaConfigLoader({str(tmp_path)!r}, base_env='base',"
        " default_run_env='local')\n"
        "loader['catalog']; loader['parameters']\n"
        "print(sorted(m for m in ('omegaconf', 'fsspec') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_kedro_style_catalog_takes_the_fast_reader():
    from ordino.config.fast_yaml import DECLINED, parse_block_yaml
    from ordino.config.yaml_reader import type_plain_scalar

    text = (
        "# datasets\n"
        "shuttles:\n"
        "  type: pandas.ExcelDataset\n"
        "  filepath: data/01_raw/shuttles.xlsx\n"
        "  load_args:\n"
        "    engine: openpyxl\n"
        "  save_args: {index: false}\n"
        '"{name}_plot":\n'
        "  type: plotly.JSONDataset\n"
        "  filepath: data/08_reporting/{name}.json  # one file per plot\n"
        "features:\n"
        "  - engines\n"
        "  - crew\n"
    )
    assert parse_block_yaml(text, type_plain_scalar) == {
        "shuttles": {
            "type": "pandas.ExcelDataset",
            "filepath": "data/01_raw/shuttles.xlsx",
            "load_args": {"engine": "openpyxl"},
            "save_args": {"index": False},
        },
        "{name}_plot": {
            "type": "plotly.JSONDataset",
            "filepath": "data/08_reporting/{name}.json",
        },
        "features": ["engines", "crew"],
    }
    assert parse_block_yaml(text, type_plain_scalar) is not DECLINED
