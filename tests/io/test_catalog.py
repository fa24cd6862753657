"""DataCatalog: Kedro 1.x semantics, laziness, versions and error context."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest

from ordino.errors import (
    DatasetError,
    DatasetNotFoundError,
    VersionAlreadyExistsError,
)
from ordino.io import (
    AbstractDataset,
    CachedDataset,
    DataCatalog,
    MemoryDataset,
    Version,
)

_BUILT: list[str] = []


class CountingDataset(AbstractDataset[Any, Any]):
    """Records each construction, to prove the catalog builds lazily."""

    def __init__(self, filepath: str, load_args: dict[str, Any] | None = None) -> None:
        _BUILT.append(filepath)
        self._filepath = filepath
        self._load_args = load_args or {}
        self._data: Any = None

    def load(self) -> Any:
        if self._data is None:
            raise FileNotFoundError(f"No such file: '{self._filepath}'")
        return self._data

    def save(self, data: Any) -> None:
        if data == "explode":
            raise OSError("disk full")
        self._data = data

    def _exists(self) -> bool:
        return self._data is not None

    def _describe(self) -> dict[str, Any]:
        return {"filepath": self._filepath, "load_args": self._load_args}


COUNTING = f"{CountingDataset.__module__}.CountingDataset"


def test_from_config_builds_nothing_until_first_access() -> None:
    _BUILT.clear()
    config = {f"d{i}": {"type": COUNTING, "filepath": f"f{i}.csv"} for i in range(50)}
    catalog = DataCatalog.from_config(config)
    assert _BUILT == []
    assert len(catalog) == 50
    assert "d3" in catalog
    assert _BUILT == []
    first = catalog["d3"]
    assert _BUILT == ["f3.csv"]
    assert catalog["d3"] is first  # built once
    assert catalog.get_type("d7") == COUNTING
    assert _BUILT == ["f3.csv"]  # get_type does not build


def test_mapping_protocol_and_raw_values() -> None:
    catalog = DataCatalog(
        datasets={"a": MemoryDataset(1)}, raw_data={"params:rate": 0.5}
    )
    catalog["b"] = [1, 2]
    assert set(catalog) == {"a", "b", "params:rate"}
    assert sorted(catalog.keys()) == ["a", "b", "params:rate"]
    assert len(catalog) == 3
    assert isinstance(catalog["b"], MemoryDataset)
    assert catalog.load("params:rate") == 0.5
    assert [name for name, _ in catalog.items()] == catalog.keys()
    assert all(isinstance(ds, MemoryDataset) for ds in catalog.values())
    assert catalog.get("missing") is None


def test_unknown_name_is_not_found_with_a_suggestion() -> None:
    catalog = DataCatalog(raw_data={"companies": 1})
    with pytest.raises(DatasetNotFoundError, match="Did you mean 'companies'") as info:
        catalog["companys"]
    assert info.value.dataset == "companys"
    with pytest.raises(KeyError):  # still a KeyError, as in Kedro
        catalog.load("nothing")
    with pytest.raises(DatasetNotFoundError):  # save does not invent datasets
        catalog.save("nothing", 1)


def test_runtime_pattern_only_with_fallback() -> None:
    catalog = DataCatalog()
    assert "intermediate" not in catalog
    assert catalog.get("intermediate") is None
    dataset = catalog.get("intermediate", fallback_to_runtime_pattern=True)
    assert isinstance(dataset, MemoryDataset)
    assert "intermediate" in catalog  # registered once created
    catalog.save("intermediate", 42)
    assert catalog.load("intermediate") == 42


def test_explicit_entries_win_over_patterns_and_patterns_rank() -> None:
    config = {
        "{name}": {"type": "MemoryDataset", "metadata": {"by": "catch-all"}},
        "{ns}.{name}": {"type": "MemoryDataset", "metadata": {"by": "two"}},
        "{ns}.companies": {"type": "MemoryDataset", "metadata": {"by": "companies"}},
        "france.companies": {"type": "MemoryDataset", "metadata": {"by": "explicit"}},
    }
    catalog = DataCatalog.from_config(config)
    assert catalog.list_patterns() == [
        "{ns}.companies",
        "{ns}.{name}",
        "{name}",
        "{default}",
    ]
    by = {
        n: catalog[n].metadata["by"]
        for n in ("france.companies", "spain.companies", "spain.shuttles", "plain")
    }
    assert by == {
        "france.companies": "explicit",
        "spain.companies": "companies",
        "spain.shuttles": "two",
        "plain": "catch-all",
    }


def test_ranking_ties_break_on_fewer_placeholders_then_name() -> None:
    config = {
        "{a}_{b}_x": {"type": "MemoryDataset", "metadata": {"p": 1}},
        "{a}_x_x": {"type": "MemoryDataset", "metadata": {"p": 2}},
        "b_{a}": {"type": "MemoryDataset", "metadata": {"p": 3}},
        "a_{a}": {"type": "MemoryDataset", "metadata": {"p": 4}},
    }
    catalog = DataCatalog.from_config(config)
    # specificity: {a}_x_x = 4, {a}_{b}_x = 3; then a_{a} vs b_{a}: both 2, same
    # number of placeholders, alphabetical.
    assert catalog.list_patterns()[:4] == ["{a}_x_x", "{a}_{b}_x", "a_{a}", "b_{a}"]


def test_catch_all_is_a_match_but_runtime_pattern_is_not() -> None:
    with_catch_all = DataCatalog.from_config({"{x}": {"type": "MemoryDataset"}})
    assert "anything" in with_catch_all
    assert "anything" not in DataCatalog.from_config({})


def test_pattern_values_fill_nested_entries() -> None:
    config = {
        "{layer}.{name}@csv": {
            "type": COUNTING,
            "filepath": "data/{layer}/{name}.csv",
            "load_args": {"comment": "{name}", "list": ["{layer}", 1]},
        }
    }
    catalog = DataCatalog.from_config(config)
    dataset = catalog["raw.cars@csv"]
    assert dataset.describe() == {
        "filepath": "data/raw/cars.csv",
        "load_args": {"comment": "cars", "list": ["raw", 1]},
    }


def test_versioned_datasets_load_versions_and_listing(tmp_path: Path) -> None:
    from ordino.io.dataset import AbstractVersionedDataset

    filepath = str(tmp_path / "cars.txt")
    config = {"cars": {"type": TEXT, "filepath": filepath, "versioned": True}}
    first = DataCatalog.from_config(config, save_version="2024-01-01T00.00.00.000Z")
    first.save("cars", "v1")
    second = DataCatalog.from_config(config, save_version="2024-01-02T00.00.00.000Z")
    second.save("cars", "v2")
    dataset = second["cars"]
    assert isinstance(dataset, AbstractVersionedDataset)
    assert dataset.list_versions() == [
        "2024-01-01T00.00.00.000Z",
        "2024-01-02T00.00.00.000Z",
    ]
    assert (tmp_path / "cars.txt" / "2024-01-01T00.00.00.000Z" / "cars.txt").exists()
    assert second.load("cars") == "v2"  # latest by default
    assert second.load("cars", version="2024-01-01T00.00.00.000Z") == "v1"
    assert second.load("cars") == "v2"  # the stored dataset kept its own version
    pinned = DataCatalog.from_config(
        config, load_versions={"cars": "2024-01-01T00.00.00.000Z"}
    )
    assert pinned.load("cars") == "v1"
    with pytest.raises(VersionAlreadyExistsError, match="already exists"):
        second.save("cars", "again")


def test_load_versions_for_unknown_dataset_is_an_error() -> None:
    with pytest.raises(DatasetNotFoundError, match=r"'load_versions'.*nope"):
        DataCatalog.from_config({}, load_versions={"nope": "2024"})


def test_one_save_version_per_catalog(tmp_path: Path) -> None:
    from ordino.io.dataset import AbstractVersionedDataset

    class V(AbstractVersionedDataset[Any, Any]):
        def __init__(self, version: Version) -> None:
            super().__init__(tmp_path / "v", version)  # type: ignore[arg-type]

        def load(self) -> Any: ...
        def save(self, data: Any) -> None: ...
        def _describe(self) -> dict[str, Any]:
            return {}

    catalog = DataCatalog({"a": V(Version(None, "2024-01-01T00.00.00.000Z"))})
    with pytest.raises(VersionAlreadyExistsError, match="one version"):
        catalog["b"] = V(Version(None, "2025-01-01T00.00.00.000Z"))


def test_failed_load_names_dataset_and_path_and_chains_the_cause() -> None:
    catalog = DataCatalog.from_config({"cars": {"type": COUNTING, "filepath": "c.csv"}})
    with pytest.raises(
        DatasetError, match=r"loading dataset 'cars'.*at 'c\.csv'"
    ) as info:
        catalog.load("cars")
    assert isinstance(info.value.__cause__, FileNotFoundError)
    assert info.value.dataset == "cars"


def test_failed_save_names_dataset_and_keeps_the_cause() -> None:
    catalog = DataCatalog.from_config({"cars": {"type": COUNTING, "filepath": "c.csv"}})
    with pytest.raises(DatasetError, match=r"saving dataset 'cars'.*disk full") as info:
        catalog.save("cars", "explode")
    assert isinstance(info.value.__cause__, OSError)


def test_load_and_save_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    catalog = DataCatalog(raw_data={"x": 1})
    with caplog.at_level(logging.INFO, logger="ordino.io.catalog"):
        catalog.save("x", 2)
        catalog.load("x")
    assert "Saving data to 'x' (MemoryDataset)" in caplog.text
    assert "Loading data from 'x' (MemoryDataset)" in caplog.text


def test_exists_release_confirm() -> None:
    catalog = DataCatalog(raw_data={"x": 1})
    assert catalog.exists("x")
    assert not catalog.exists("unknown")
    catalog.release("x")
    assert not catalog.exists("x")
    with pytest.raises(DatasetError, match="does not have a 'confirm' method"):
        catalog.confirm("x")

    class Confirmable(MemoryDataset):
        confirmed = False

        def confirm(self) -> None:
            self.confirmed = True

    catalog["c"] = ds = Confirmable()
    catalog.confirm("c")
    assert ds.confirmed


def test_filter_by_name_type_regex_and_class() -> None:
    catalog = DataCatalog.from_config(
        {
            "raw_cars": {"type": COUNTING, "filepath": "a"},
            "raw_boats": {"type": "MemoryDataset"},
            "model_input": {"type": COUNTING, "filepath": "b"},
        }
    )
    assert catalog.filter(name_regex="^raw") == ["raw_cars", "raw_boats"]
    assert catalog.filter(name_regex=re.compile("input$")) == ["model_input"]
    assert catalog.filter(type_regex="Counting") == ["raw_cars", "model_input"]
    assert catalog.filter(by_type=MemoryDataset) == ["raw_boats"]
    assert catalog.filter(name_regex="raw", by_type=[CountingDataset]) == ["raw_cars"]


def test_to_config_round_trips_and_moves_credentials_out() -> None:
    config = {
        "cars": {
            "type": COUNTING,
            "filepath": "cars.csv",
            "load_args": {"credentials": "db"},
        },
        "memory": {"type": "MemoryDataset"},
    }
    credentials = {"db": {"token": "s3cr3t-token"}}
    catalog = DataCatalog.from_config(config, credentials, save_version="v1")
    catalog["coded"] = CountingDataset(filepath="coded.csv")
    catalog["raw"] = 5
    entries, creds, load_versions, save_version = catalog.to_config()
    assert entries == {
        "cars": {
            "type": COUNTING,
            "filepath": "cars.csv",
            "load_args": {"credentials": "cars_credentials"},
        },
        "coded": {
            "type": f"{CountingDataset.__module__}.CountingDataset",
            "filepath": "coded.csv",
        },
    }
    assert creds == {"cars_credentials": {"token": "s3cr3t-token"}}
    assert load_versions == {"cars": None, "coded": None}
    assert save_version == "v1"
    rebuilt = DataCatalog.from_config(entries, creds, load_versions, save_version)
    assert rebuilt["cars"].describe() == catalog["cars"].describe()


def test_cached_dataset_versioned_in_config(tmp_path: Path) -> None:
    filepath = str(tmp_path / "model.txt")
    config = {
        "model": {
            "type": "CachedDataset",
            "versioned": True,
            "dataset": {"type": TEXT, "filepath": filepath},
        }
    }
    catalog = DataCatalog.from_config(config, save_version="2024-03-03T03.03.03.003Z")
    catalog.save("model", "weights")
    assert (tmp_path / "model.txt" / "2024-03-03T03.03.03.003Z" / "model.txt").exists()
    assert isinstance(catalog["model"], CachedDataset)
    assert catalog.load("model") == "weights"


def test_describe_datasets_and_resolve_patterns_with_pipelines() -> None:
    class FakePipeline:
        def __init__(self, names: set[str]) -> None:
            self._names = names

        def datasets(self) -> set[str]:
            return self._names

    catalog = DataCatalog.from_config(
        {
            "cars": {"type": COUNTING, "filepath": "cars.csv"},
            "{name}_mem": {"type": "MemoryDataset"},
        }
    )
    pipe = FakePipeline({"cars", "x_mem", "other", "params:a"})
    described = catalog.describe_datasets({"__default__": pipe})
    assert described["__default__"]["datasets"] == {COUNTING: ["cars"]}
    assert list(described["__default__"]["factories"].values()) == [["x_mem"]]
    assert list(described["__default__"]["defaults"].values()) == [["other"]]
    assert catalog.describe_datasets() == {
        "cars": {"type": COUNTING, "filepath": "cars.csv"}
    }
    resolved = catalog.resolve_patterns([pipe])
    assert resolved["x_mem"] == {"type": "MemoryDataset"}
    assert resolved["other"] == {"type": "ordino.io.MemoryDataset"}
    assert "params:a" not in resolved


TEXT = "tests_io_text_dataset.TextFile"


def _text_module() -> None:
    """Register a real importable module for the text dataset (types need a path)."""
    import sys
    import types

    from ordino.io.dataset import AbstractVersionedDataset

    module = types.ModuleType("tests_io_text_dataset")

    class TextFile(AbstractVersionedDataset[str, str]):
        def __init__(self, filepath: str, version: Version | None = None) -> None:
            from pathlib import PurePosixPath

            super().__init__(PurePosixPath(filepath), version)

        def load(self) -> str:
            return Path(str(self._get_load_path())).read_text()

        def save(self, data: str) -> None:
            with self._open_for_save("w") as stream:
                stream.write(data)

        def _describe(self) -> dict[str, Any]:
            return {"filepath": str(self._filepath), "version": self._version}

    TextFile.__module__ = module.__name__
    module.TextFile = TextFile  # type: ignore[attr-defined]
    sys.modules[module.__name__] = module


_text_module()


def test_threads_asking_for_one_runtime_dataset_share_it() -> None:
    import threading

    catalog = DataCatalog()
    found: list[Any] = []
    barrier = threading.Barrier(8)

    def worker() -> None:
        barrier.wait()
        found.append(catalog.get("shared", fallback_to_runtime_pattern=True))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(ds) for ds in found}) == 1


def test_catalog_pickles() -> None:
    import pickle

    catalog = DataCatalog.from_config({"{x}_m": {"type": "MemoryDataset"}})
    catalog["a"] = [1]
    clone = pickle.loads(pickle.dumps(catalog))
    assert clone.load("a") == [1]
    assert "q_m" in clone


def test_from_config_on_a_class_uses_it_when_type_is_absent() -> None:
    dataset = MemoryDataset.from_config("x", {"copy_mode": "assign"})
    assert isinstance(dataset, MemoryDataset)
    assert dataset._copy_mode == "assign"
    assert isinstance(
        AbstractDataset.from_config("y", {"type": "MemoryDataset"}), MemoryDataset
    )


def test_load_with_release_releases_any_dataset() -> None:
    inner = MemoryDataset([1])
    catalog = DataCatalog({"c": CachedDataset(inner)})
    assert catalog.load("c", release=True) == [1]
    assert not inner.exists()
