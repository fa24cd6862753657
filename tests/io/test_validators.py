"""Validators in catalog entries: pandera schemas and callables, on load and save."""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from ordino.errors import CatalogConfigError, MissingDependencyError, ValidationError
from ordino.io import AbstractDataset, DataCatalog


class FrameFile(AbstractDataset[pd.DataFrame, pd.DataFrame]):
    """A real CSV file, written atomically, to check nothing is written on failure."""

    def __init__(self, filepath: str) -> None:
        self._filepath = filepath

    def load(self) -> pd.DataFrame:
        return pd.read_csv(self._filepath)

    def save(self, data: pd.DataFrame) -> None:
        from ordino.io.files import atomic_open

        with atomic_open(None, self._filepath, "w") as stream:
            data.to_csv(stream, index=False)

    def _describe(self) -> dict[str, Any]:
        return {"filepath": self._filepath}


FRAME = f"{FrameFile.__module__}.FrameFile"


@pytest.fixture(autouse=True)
def schemas_module() -> Any:
    import pandera.pandas as pa

    module = types.ModuleType("ordino_test_schemas")
    module.companies = pa.DataFrameSchema(  # type: ignore[attr-defined]
        {"rating": pa.Column(float, pa.Check.in_range(0, 5))}
    )

    class Model(pa.DataFrameModel):
        rating: float = pa.Field(ge=0)

    module.CompaniesModel = Model  # type: ignore[attr-defined]

    def positive_rows(data: pd.DataFrame) -> bool:
        return len(data) > 0

    def no_nulls(data: pd.DataFrame) -> None:
        if data.isna().any().any():
            raise ValueError("found nulls")

    module.positive_rows = positive_rows  # type: ignore[attr-defined]
    module.no_nulls = no_nulls  # type: ignore[attr-defined]
    sys.modules[module.__name__] = module
    yield module
    del sys.modules[module.__name__]


def _catalog(tmp_path: Path, validator: Any) -> DataCatalog:
    config = {
        "companies": {
            "type": FRAME,
            "filepath": str(tmp_path / "companies.csv"),
            "validator": validator,
        }
    }
    return DataCatalog.from_config(config, source="conf/base/catalog.yml")


GOOD = pd.DataFrame({"rating": [1.0, 4.5]})
BAD = pd.DataFrame({"rating": [1.0, 9.0]})


@pytest.mark.parametrize(
    "validator",
    [
        "ordino_test_schemas.companies",
        "ordino_test_schemas.CompaniesModel",
        {
            "columns": {
                "rating": {
                    "dtype": "float64",
                    "checks": {"in_range": {"min_value": 0, "max_value": 5}},
                }
            }
        },
    ],
    ids=["schema-path", "model-path", "inline"],
)
def test_pandera_validator_on_save_writes_nothing(
    tmp_path: Path, validator: Any
) -> None:
    catalog = _catalog(tmp_path, validator)
    catalog.save("companies", GOOD)
    before = (tmp_path / "companies.csv").read_text()
    if validator == "ordino_test_schemas.CompaniesModel":
        bad = pd.DataFrame({"rating": [-1.0]})
    else:
        bad = BAD
    with pytest.raises(
        ValidationError, match="Dataset 'companies' failed validation on save"
    ) as info:
        catalog.save("companies", bad)
    assert info.value.dataset == "companies"
    assert info.value.check
    assert (
        "rating" in str(info.value)
        or "in_range" in str(info.value)
        or "greater" in str(info.value)
    )
    assert (tmp_path / "companies.csv").read_text() == before


def test_pandera_validator_on_load(tmp_path: Path) -> None:
    (tmp_path / "companies.csv").write_text("rating\n1.0\n9.0\n")
    catalog = _catalog(tmp_path, "ordino_test_schemas.companies")
    with pytest.raises(ValidationError, match="failed validation on load") as info:
        catalog.load("companies")
    assert "in_range" in info.value.check


def test_callable_validators(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path, "ordino_test_schemas.positive_rows")
    with pytest.raises(ValidationError, match="positive_rows returned False"):
        catalog.save("companies", GOOD.iloc[0:0])
    catalog = _catalog(tmp_path, "ordino_test_schemas.no_nulls")
    with pytest.raises(ValidationError, match=r"no_nulls.*found nulls") as info:
        catalog.save("companies", pd.DataFrame({"rating": [None]}))
    assert isinstance(info.value.__cause__, ValueError)
    catalog.save("companies", GOOD)
    assert catalog.load("companies")["rating"].tolist() == [1.0, 4.5]


def test_unimportable_validator_names_file_and_dataset(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path, "ordino_test_schemas.nope")
    with pytest.raises(
        CatalogConfigError,
        match=r"conf/base/catalog.yml, dataset 'companies': cannot import validator",
    ):
        catalog.save("companies", GOOD)


def test_inline_schema_without_pandera(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandera.io", None)
    monkeypatch.setitem(sys.modules, "pandera.io.pandas_io", None)
    catalog = _catalog(tmp_path, {"columns": {}})
    with pytest.raises(MissingDependencyError, match=r"ordino\[validation\]"):
        catalog.save("companies", GOOD)


def test_malformed_validator_is_reported_by_from_config(tmp_path: Path) -> None:
    with pytest.raises(CatalogConfigError, match="'validator' must be the import path"):
        _catalog(tmp_path, 42)
