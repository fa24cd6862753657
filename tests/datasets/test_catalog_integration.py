"""ordino.datasets through the DataCatalog, as a project uses them."""

from __future__ import annotations

import pandas as pd
import pytest

from ordino.errors import DatasetError
from ordino.io import DataCatalog

SECRET = "catalog-SECRET-db-name-9"


@pytest.fixture
def catalog(tmp_path):
    config = {
        "cars": {"type": "pandas.CSVDataset", "filepath": str(tmp_path / "cars.csv")},
        "cars_table": {
            "type": "pandas.SQLTableDataset",
            "table_name": "cars",
            "credentials": "warehouse",
            "save_args": {"if_exists": "replace"},
        },
        "daily": {
            "type": "partitions.PartitionedDataset",
            "path": str(tmp_path / "daily"),
            "dataset": "pandas.ParquetDataset",
            "filename_suffix": ".parquet",
        },
        "model": {
            "type": "kedro_datasets.pickle.PickleDataset",
            "filepath": str(tmp_path / "model.pkl"),
            "versioned": True,
        },
    }
    credentials = {"warehouse": {"con": f"sqlite:///{tmp_path / SECRET}.db"}}
    return DataCatalog.from_config(config, credentials)


def test_every_family_saves_and_loads_through_the_catalog(catalog):
    frame = pd.DataFrame({"a": [1, 2]})
    catalog.save("cars", frame)
    catalog.save("cars_table", catalog.load("cars"))
    catalog.save("daily", {"2024-01-01": frame})
    catalog.save("model", {"coef": 3})
    pd.testing.assert_frame_equal(catalog.load("cars_table"), frame)
    pd.testing.assert_frame_equal(catalog.load("daily")["2024-01-01"](), frame)
    assert catalog.load("model") == {"coef": 3}


def test_the_catalog_prints_no_connection_string(catalog):
    printed = repr(catalog) + str(catalog.describe_datasets())
    assert SECRET not in printed


def test_a_failing_load_names_the_dataset_and_the_path(catalog, tmp_path):
    with pytest.raises(DatasetError, match="cars") as info:
        catalog.load("cars")
    message = str(info.value)
    assert "'cars'" in message
    assert str(tmp_path / "cars.csv") in message
