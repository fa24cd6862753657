"""Type lookup: short names, Kedro spellings, typos and missing libraries."""

from __future__ import annotations

import sys

import pytest

from ordino.errors import DatasetTypeError, MissingDependencyError
from ordino.io import CachedDataset, DataCatalog, MemoryDataset
from ordino.io.types import (
    KNOWN_DATASET_TYPES,
    normalise_type_name,
    resolve_dataset_type,
)


@pytest.mark.parametrize(
    ("type_name", "expected"),
    [
        ("MemoryDataset", MemoryDataset),
        ("CachedDataset", CachedDataset),
        ("ordino.io.MemoryDataset", MemoryDataset),
        ("kedro.io.MemoryDataset", MemoryDataset),
        ("kedro.io.memory_dataset.MemoryDataset", MemoryDataset),
        ("ordino.io.memory.MemoryDataset", MemoryDataset),
    ],
)
def test_io_types_resolve_by_short_name_full_path_and_kedro_path(
    type_name: str, expected: type
) -> None:
    assert resolve_dataset_type(type_name) is expected


def test_kedro_datasets_paths_map_to_ordino_families() -> None:
    assert (
        normalise_type_name("kedro_datasets.pandas.CSVDataset") == "pandas.CSVDataset"
    )
    assert (
        normalise_type_name("kedro_datasets.pandas.csv_dataset.CSVDataset")
        == "pandas.CSVDataset"
    )
    assert normalise_type_name("kedro.io.CachedDataset") == "CachedDataset"
    assert normalise_type_name("my.pkg.Thing") == "my.pkg.Thing"


def test_every_registered_family_type_resolves() -> None:
    # The static registry must name real classes under ordino.datasets.
    for name in KNOWN_DATASET_TYPES:
        cls = resolve_dataset_type(name)
        assert cls.__name__ == name.split(".")[-1], name
        assert resolve_dataset_type(f"kedro_datasets.{name}") is cls


def test_unknown_type_suggests_the_closest_known_one() -> None:
    with pytest.raises(DatasetTypeError, match="Unknown dataset type") as info:
        resolve_dataset_type("pandas.CSVDatset")
    assert info.value.suggestions[0] == "pandas.CSVDataset"
    assert "Did you mean one of 'pandas.CSVDataset'" in str(info.value)


def test_suggesting_does_not_import_pandas() -> None:
    import subprocess

    code = (
        "import sys\n"
        "from ordino.io.types import resolve_dataset_type\n"
        "try:\n    resolve_dataset_type('pandas.CSVDatset')\n"
        "except Exception as e:\n    print(type(e).__name__)\n"
        "print('pandas' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["DatasetTypeError", "False"]


def test_a_class_that_is_not_a_dataset_is_rejected() -> None:
    with pytest.raises(DatasetTypeError, match="not a dataset class"):
        resolve_dataset_type("collections.OrderedDict")


def test_missing_library_gives_the_pip_install_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "polars", None)  # simulate: not installed
    with pytest.raises(MissingDependencyError) as info:
        resolve_dataset_type("polars.EagerPolarsDataset")
    assert info.value.install == 'pip install "ordino[polars]"'
    assert 'pip install "ordino[polars]"' in str(info.value)
    assert isinstance(info.value, ImportError)


def test_missing_library_is_reported_by_from_config_with_the_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ordino.errors import CatalogConfigError

    monkeypatch.setitem(sys.modules, "sqlalchemy", None)
    config = {"table": {"type": "pandas.SQLTableDataset", "table_name": "t"}}
    with pytest.raises(
        CatalogConfigError, match=r'pip install "ordino\[sql\]"'
    ) as info:
        DataCatalog.from_config(config, source="conf/base/catalog.yml")
    assert info.value.problems[0].startswith("conf/base/catalog.yml, dataset 'table'")


def test_user_module_with_a_missing_import_says_which(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "user_ds_mod.py").write_text("import not_a_real_lib_xyz\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(MissingDependencyError, match="not_a_real_lib_xyz"):
        resolve_dataset_type("user_ds_mod.Thing")
