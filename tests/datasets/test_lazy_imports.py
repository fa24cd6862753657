"""Importing a family must not import its library: catalogs stay cheap to build."""

from __future__ import annotations

import subprocess
import sys

import pytest

FAMILIES = {
    "ordino.datasets.pandas": ("pandas", "sqlalchemy", "pyarrow", "openpyxl"),
    "ordino.datasets.polars": ("polars",),
    "ordino.datasets.matplotlib": ("matplotlib",),
    "ordino.datasets.plotly": ("plotly", "pandas"),
    "ordino.datasets.pickle": ("joblib", "cloudpickle"),
    "ordino.datasets.partitions": ("pandas",),
    "ordino.datasets.json": ("pandas",),
    "ordino.datasets.yaml": ("pandas",),
    "ordino.datasets.text": ("pandas",),
}


def _imported_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


@pytest.mark.parametrize(("family", "heavy"), FAMILIES.items())
def test_importing_a_family_imports_no_heavy_library(family, heavy):
    loaded = _imported_after(f"import {family}")
    assert not loaded & set(heavy), f"{family} imported {loaded & set(heavy)}"


def test_pandas_is_imported_on_first_use_not_before(tmp_path):
    code = (
        "import sys\n"
        "from ordino.datasets.pandas import CSVDataset\n"
        f"ds = CSVDataset(filepath={str(tmp_path / 'x.csv')!r})\n"
        "assert 'pandas' not in sys.modules, 'constructing imported pandas'\n"
        "ds.exists()\n"
        "assert 'pandas' not in sys.modules, 'exists() imported pandas'\n"
    )
    loaded = _imported_after(code)
    assert "pandas" not in loaded
