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


# -- the registry stays in step with ordino.datasets and pyproject.toml -----------

_FAMILY_MODULES = ("pickle", "json", "yaml", "text", "matplotlib", "plotly")
_FAMILY_PACKAGES = ("pandas", "polars", "partitions")


def _public_family_classes() -> list[tuple[str, type]]:
    """``(family, class)`` for every public dataset class under ordino.datasets."""
    import importlib
    import pkgutil

    import ordino.datasets
    from ordino.io import AbstractDataset

    found = []
    for info in pkgutil.iter_modules(ordino.datasets.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"ordino.datasets.{info.name}")
        for attr in module.__all__:
            value = getattr(module, attr)
            if isinstance(value, type) and issubclass(value, AbstractDataset):
                found.append((info.name, value))
    return found


def test_the_test_sees_every_family() -> None:
    families = {family for family, _ in _public_family_classes()}
    assert families == set(_FAMILY_MODULES) | set(_FAMILY_PACKAGES)


@pytest.mark.parametrize(
    ("family", "cls"),
    _public_family_classes(),
    ids=lambda value: value if isinstance(value, str) else value.__name__,
)
def test_every_public_dataset_class_is_registered_and_resolves(
    family: str, cls: type
) -> None:
    short = f"{family}.{cls.__name__}"
    assert short in KNOWN_DATASET_TYPES, f"add {short} to ordino.io.types"
    assert resolve_dataset_type(short) is cls
    assert resolve_dataset_type(f"kedro_datasets.{short}") is cls


def _optional_dependencies() -> dict[str, list[str]]:
    from pathlib import Path

    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        tomllib = pytest.importorskip("tomli")
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    extras: dict[str, list[str]] = data["project"]["optional-dependencies"]
    return extras


def _distribution(requirement: str) -> str:
    import re

    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower()


@pytest.mark.parametrize("name", sorted(KNOWN_DATASET_TYPES))
def test_every_registry_entry_is_a_class_whose_extra_exists(name: str) -> None:
    from ordino.io import AbstractDataset
    from ordino.io.types import install_command

    cls = resolve_dataset_type(name)
    assert isinstance(cls, type)
    assert issubclass(cls, AbstractDataset)
    assert cls.__module__.startswith(f"ordino.datasets.{name.split('.')[0]}")
    requirement = KNOWN_DATASET_TYPES[name]
    if requirement.extra is None:
        assert requirement.modules == ()
        return
    extras = _optional_dependencies()
    assert requirement.extra in extras, install_command(requirement.extra)
    shipped = {_distribution(item) for item in extras[requirement.extra]}
    for module in requirement.modules:
        # The hint says `pip install "ordino[<extra>]"`: that extra must install it.
        assert module.split(".")[0].lower() in shipped, (name, module)


def test_extras_named_for_optional_modules_exist() -> None:
    from ordino.io.types import _MODULE_EXTRAS

    extras = _optional_dependencies()
    for module, extra in _MODULE_EXTRAS.items():
        assert extra in extras, (module, extra)
        shipped = {_distribution(item) for item in extras[extra]}
        assert module.lower() in shipped, (module, extra)


def test_matplotlib_is_known_by_its_current_and_its_older_name() -> None:
    from ordino.datasets.matplotlib import MatplotlibDataset, MatplotlibWriter

    assert resolve_dataset_type("matplotlib.MatplotlibDataset") is MatplotlibDataset
    assert (
        resolve_dataset_type("kedro_datasets.matplotlib.MatplotlibDataset")
        is MatplotlibDataset
    )
    writer = resolve_dataset_type("matplotlib.MatplotlibWriter")
    assert writer is MatplotlibWriter
    assert issubclass(writer, MatplotlibDataset)
