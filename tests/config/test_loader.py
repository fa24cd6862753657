"""OmegaConfigLoader: Kedro 1.x semantics, one behaviour per test."""

from __future__ import annotations

import pytest

from ordino.config import (
    AbstractConfigLoader,
    BadConfigException,
    MissingConfigException,
    OmegaConfigLoader,
    UnknownConfigKeyError,
)
from ordino.errors import OrdinoError


def project_loader(conf: str, **kwargs: object) -> OmegaConfigLoader:
    kwargs.setdefault("base_env", "base")
    kwargs.setdefault("default_run_env", "local")
    return OmegaConfigLoader(conf, **kwargs)  # type: ignore[arg-type]


def test_run_environment_replaces_whole_top_level_keys(write, conf):
    write(
        "base/catalog.yml",
        """
        cars: {type: pandas.CSVDataset, filepath: cars.csv, save_args: {index: true}}
        trains: {type: MemoryDataset}
    """,
    )
    write(
        "local/catalog.yml",
        """
        cars:
          type: pandas.CSVDataset
          filepath: local_cars.csv
        boats: {type: MemoryDataset}
    """,
    )
    catalog = project_loader(conf)["catalog"]
    assert catalog == {
        "cars": {"type": "pandas.CSVDataset", "filepath": "local_cars.csv"},
        "trains": {"type": "MemoryDataset"},
        "boats": {"type": "MemoryDataset"},
    }


def test_soft_merge_strategy_merges_nested_keys(write, conf):
    write("base/parameters.yml", "model: {rate: 0.1, layers: [8, 4]}\n")
    write("local/parameters.yml", "model: {layers: [2]}\n")
    soft = project_loader(conf, merge_strategy={"parameters": "soft"})
    assert soft["parameters"] == {"model": {"rate": 0.1, "layers": [2]}}
    assert project_loader(conf)["parameters"] == {"model": {"layers": [2]}}


def test_unknown_merge_strategy_is_refused_with_suggestion():
    with pytest.raises(BadConfigException, match="accepted merging strategies") as err:
        OmegaConfigLoader("conf", merge_strategy={"catalog": "sofft"})
    assert err.value.suggestions == ("soft",)


def test_yml_yaml_and_json_in_subfolders_are_read(write, conf):
    write("base/catalog.yml", "a: 1\n")
    write("base/catalog/more.yaml", "b: 2\n")
    write("base/pipelines/x/catalog_x.json", '{"c": 3}')
    write("base/catalog_notes.txt", "d: 4\n")
    assert project_loader(conf)["catalog"] == {"a": 1, "b": 2, "c": 3}


def test_hidden_files_and_folders_are_ignored_unless_asked(write, conf):
    write("base/catalog.yml", "a: 1\n")
    write("base/catalog/.hidden.yml", "b: 2\n")
    write("base/.ipynb_checkpoints/catalog.yml", "c: 3\n")
    assert project_loader(conf)["catalog"] == {"a": 1}
    everything = project_loader(conf, ignore_hidden=False)["catalog"]
    assert everything == {"a": 1, "b": 2, "c": 3}


def test_patterns_can_step_out_of_the_environment(write, conf):
    write("base/catalog0.yml", "env: base\ncommon: common\n")
    write("dev/catalog1.yml", "env: dev\ndev_specific: wiz\n")
    write("dev/user1/catalog2.yml", "user1_c2: true\n")
    loader = OmegaConfigLoader(
        conf,
        base_env="base",
        env="dev",
        config_patterns={
            "catalog": ["catalog*", "catalog*/**", "../**/user1/catalog2*"]
        },
    )
    assert loader["catalog"] == {
        "env": "dev",
        "common": "common",
        "dev_specific": "wiz",
        "user1_c2": True,
    }


def test_empty_file_gives_empty_config(write, conf):
    write("base/catalog.yml", "# nothing yet\n")
    assert project_loader(conf)["catalog"] == {}


def test_env_equal_to_base_reads_base_once(write, conf):
    write("base/catalog.yml", "a: 1\n")
    assert project_loader(conf, env="base")["catalog"] == {"a": 1}


def test_no_matching_files_is_missing_config(write, conf):
    with pytest.raises(MissingConfigException, match=r"No files of YAML or JSON"):
        project_loader(conf)["credentials"]


def test_globals_may_be_absent(write, conf):
    assert project_loader(conf)["globals"] == {}


def test_custom_kind_with_own_patterns(write, conf):
    write("base/spark.yml", "spark.driver.memory: 2g\n")
    loader = project_loader(conf, config_patterns={"spark": ["spark*"]})
    assert loader["spark"] == {"spark.driver.memory": "2g"}


# -- the mapping interface ------------------------------------------------------------


def test_mapping_interface(write, conf):
    write("base/catalog.yml", "a: {type: MemoryDataset}\n")
    loader = project_loader(conf)
    assert isinstance(loader, AbstractConfigLoader)
    assert set(loader.keys()) == {"catalog", "parameters", "credentials", "globals"}
    assert "catalog" in loader
    assert "spark" not in loader
    assert loader.get("spark") is None
    assert loader.get("catalog") == {"a": {"type": "MemoryDataset"}}


def test_assignment_bypasses_the_files(write, conf):
    write("base/catalog.yml", "a: {type: MemoryDataset}\n")
    loader = project_loader(conf)
    loader["catalog"] = {"b": {"type": "MemoryDataset"}}
    loader["spark"] = {"x": 1}
    assert loader["catalog"] == {"b": {"type": "MemoryDataset"}}
    assert loader["spark"] == {"x": 1}
    assert "spark" in loader


def test_assigned_globals_feed_the_globals_resolver(write, conf):
    write("base/globals.yml", "root: data\n")
    write("base/catalog.yml", "a: {filepath: '${globals:root}/a.csv'}\n")
    loader = project_loader(conf)
    assert loader["catalog"]["a"]["filepath"] == "data/a.csv"
    loader["globals"] = {"root": "s3://bucket"}
    assert loader["catalog"]["a"]["filepath"] == "s3://bucket/a.csv"


def test_unknown_key_is_a_key_error_with_suggestion(conf):
    loader = project_loader(conf)
    with pytest.raises(UnknownConfigKeyError, match="No config patterns were found"):
        loader["catalgo"]
    with pytest.raises(KeyError) as err:
        loader["catalgo"]
    assert isinstance(err.value, OrdinoError)
    assert err.value.suggestions == ("catalog",)


# -- underscores and interpolation ----------------------------------------------------


def test_underscore_keys_are_templates_hidden_from_the_catalog(write, conf):
    write(
        "base/catalog.yml",
        """
        _csv:
          type: pandas.CSVDataset
          load_args: {sep: ","}
        _root: data/01_raw
        cars:
          type: ${_csv.type}
          load_args: ${_csv.load_args}
          filepath: ${_root}/cars.csv
    """,
    )
    assert project_loader(conf)["catalog"] == {
        "cars": {
            "type": "pandas.CSVDataset",
            "load_args": {"sep": ","},
            "filepath": "data/01_raw/cars.csv",
        }
    }


def test_parameters_keep_underscore_keys_like_kedro(write, conf):
    # Kedro filters "_" keys from every kind except parameters; ordino matches.
    write("base/parameters.yml", "_rate: 0.1\nmodel: {rate: '${_rate}'}\n")
    assert project_loader(conf)["parameters"] == {
        "_rate": 0.1,
        "model": {"rate": 0.1},
    }


def test_interpolation_across_files_of_one_environment(write, conf):
    write("base/catalog/paths.yml", "_paths: {raw: data/01_raw}\n")
    write("base/catalog/cars.yml", "cars: {filepath: '${_paths.raw}/cars.csv'}\n")
    assert project_loader(conf)["catalog"] == {
        "cars": {"filepath": "data/01_raw/cars.csv"}
    }


def test_interpolation_does_not_reach_across_environments(write, conf):
    write("base/catalog.yml", "_root: data\n")
    write("local/catalog.yml", "cars: {filepath: '${_root}/cars.csv'}\n")
    with pytest.raises(BadConfigException, match=r"'_root', which does not exist"):
        project_loader(conf)["catalog"]


def test_interpolation_keeps_types_and_supports_relative_keys(write, conf):
    write(
        "base/parameters.yml",
        """
        n: 3
        copy: ${n}
        text: n is ${n}
        model:
          depth: 2
          twice: ${.depth}
          top: ${..n}
        items: [10, 20]
        second: ${items[1]}
        first: ${items.0}
    """,
    )
    params = project_loader(conf)["parameters"]
    assert params["copy"] == 3
    assert params["text"] == "n is 3"
    assert params["model"] == {"depth": 2, "twice": 2, "top": 3}
    assert (params["second"], params["first"]) == (20, 10)


def test_escaped_interpolation_stays_literal(write, conf):
    write("base/parameters.yml", "template: \\${not_resolved}\n")
    assert project_loader(conf)["parameters"] == {"template": "${not_resolved}"}


# -- globals --------------------------------------------------------------------------


def test_globals_resolver_with_defaults_and_run_env_override(write, conf):
    write(
        "base/globals.yml",
        """
        bucket: base-bucket
        formats: {csv: pandas.CSVDataset}
    """,
    )
    write("local/globals.yml", "bucket: local-bucket\n")
    write(
        "base/catalog.yml",
        """
        cars:
          type: ${globals:formats.csv}
          filepath: s3://${globals:bucket}/cars.csv
          layer: ${globals:layer, raw}
          versioned: ${globals:versioned,false}
    """,
    )
    loader = project_loader(conf)
    assert loader["globals"] == {
        "bucket": "local-bucket",
        "formats": {"csv": "pandas.CSVDataset"},
    }
    assert loader["catalog"]["cars"] == {
        "type": "pandas.CSVDataset",
        "filepath": "s3://local-bucket/cars.csv",
        "layer": "raw",
        "versioned": False,
    }


def test_globals_merge_strategy_applies_to_globals(write, conf):
    write("base/globals.yml", "formats: {csv: pandas.CSVDataset}\n")
    write("local/globals.yml", "formats: {parquet: pandas.ParquetDataset}\n")
    write("base/catalog.yml", "cars: {type: '${globals:formats.csv}'}\n")
    with pytest.raises(BadConfigException, match=r"globals key 'formats\.csv'"):
        project_loader(conf)["catalog"]  # destructive: local replaced "formats"
    soft = project_loader(conf, merge_strategy={"globals": "soft"})
    assert soft["catalog"] == {"cars": {"type": "pandas.CSVDataset"}}


def test_globals_underscore_keys_cannot_be_used(write, conf):
    write("base/globals.yml", "_secret_root: x\n")
    write("base/catalog.yml", "a: {filepath: '${globals:_secret_root}'}\n")
    with pytest.raises(BadConfigException, match="starts with '_'"):
        project_loader(conf)["catalog"]


def test_missing_globals_key_names_it_and_suggests(write, conf):
    write("base/globals.yml", "bucket: b\n")
    write("base/catalog.yml", "a: {filepath: '${globals:buckt}'}\n")
    with pytest.raises(BadConfigException, match="globals key 'buckt' not found") as e:
        project_loader(conf)["catalog"]
    assert e.value.suggestions == ("bucket",)


# -- runtime params -------------------------------------------------------------------


def test_runtime_params_override_parameters_deeply(write, conf):
    write(
        "base/parameters.yml",
        """
        model: {rate: 0.1, layers: 3}
        derived: ${model.rate}
        name: base
    """,
    )
    write("local/parameters.yml", "name: local\n")
    loader = project_loader(conf, runtime_params={"model.rate": 0.5, "extra": 1})
    assert loader.runtime_params == {"model": {"rate": 0.5}, "extra": 1}
    assert loader["parameters"] == {
        "model": {"rate": 0.5, "layers": 3},  # Kedro would drop "layers" here
        "derived": 0.5,
        "name": "local",
        "extra": 1,
    }


def test_runtime_params_resolver_and_defaults(write, conf):
    write(
        "base/catalog.yml",
        """
        cars:
          filepath: ${runtime_params:path, '/default/cars.csv'}
          layer: ${runtime_params:layer}
    """,
    )
    loader = project_loader(conf, runtime_params={"layer": "raw"})
    assert loader["catalog"]["cars"] == {
        "filepath": "/default/cars.csv",
        "layer": "raw",
    }
    with pytest.raises(BadConfigException, match="runtime parameter 'layer' not given"):
        project_loader(conf)["catalog"]


def test_runtime_params_are_never_merged_into_globals(write, conf):
    write("base/globals.yml", "bucket: b\n")
    loader = project_loader(conf, runtime_params={"bucket": "evil"})
    assert loader["globals"] == {"bucket": "b"}


def test_runtime_params_resolver_is_refused_in_globals(write, conf):
    write("base/globals.yml", "bucket: ${runtime_params:bucket}\n")
    loader = project_loader(conf, runtime_params={"bucket": "x"})
    with pytest.raises(BadConfigException, match="not supported in globals"):
        loader["globals"]


def test_restricted_runtime_type_selection(write, conf):
    write(
        "base/catalog.yml",
        """
        boats:
          type: ${runtime_params:dataset_type, 'pandas.CSVDataset'}
          filepath: ${runtime_params:path, boats.csv}
    """,
    )
    strict = {"restrict_runtime_params_type_selection": True}
    # Defaults and run-time paths are fine; a run-time *type* is not.
    assert project_loader(conf, **strict)["catalog"]["boats"]["type"] == (
        "pandas.CSVDataset"
    )
    path_only = project_loader(conf, runtime_params={"path": "x.csv"}, **strict)
    assert path_only["catalog"]["boats"]["filepath"] == "x.csv"
    evil = project_loader(conf, runtime_params={"dataset_type": "os.system"}, **strict)
    with pytest.raises(BadConfigException, match=r"boats.type.*run-time parameter"):
        evil["catalog"]
    relaxed = project_loader(conf, runtime_params={"dataset_type": "x.Y"})
    assert relaxed["catalog"]["boats"]["type"] == "x.Y"


def test_restriction_follows_indirect_references(write, conf):
    write(
        "base/catalog.yml",
        """
        _kind: ${runtime_params:kind, MemoryDataset}
        boats: {type: '${_kind}'}
    """,
    )
    loader = project_loader(
        conf,
        runtime_params={"kind": "os.system"},
        restrict_runtime_params_type_selection=True,
    )
    with pytest.raises(BadConfigException, match="run-time parameter"):
        loader["catalog"]


# -- oc.env and custom resolvers ------------------------------------------------------


def test_oc_env_only_in_credentials(write, conf, monkeypatch):
    monkeypatch.setenv("ORDINO_TEST_USER", "alice")
    write("local/credentials.yml", "db: {user: '${oc.env:ORDINO_TEST_USER}'}\n")
    write("base/catalog.yml", "a: {filepath: '${oc.env:ORDINO_TEST_USER}'}\n")
    loader = project_loader(conf)
    assert loader["credentials"] == {"db": {"user": "alice"}}
    with pytest.raises(BadConfigException, match=r"unknown resolver 'oc\.env'") as err:
        loader["catalog"]
    assert "only resolved in credentials" in str(err.value)


def test_oc_env_default_and_enabling_it_everywhere(write, conf, monkeypatch):
    from omegaconf.resolvers import oc

    monkeypatch.delenv("ORDINO_UNSET_VAR", raising=False)
    write("base/credentials.yml", "k: ${oc.env:ORDINO_UNSET_VAR, fallback}\n")
    write("base/catalog.yml", "a: {filepath: '${oc.env:ORDINO_UNSET_VAR,x}/a.csv'}\n")
    assert project_loader(conf)["credentials"] == {"k": "fallback"}
    enabled = project_loader(conf, custom_resolvers={"oc.env": oc.env})
    assert enabled["catalog"] == {"a": {"filepath": "x/a.csv"}}


def test_custom_resolvers_receive_typed_arguments(write, conf):
    write(
        "base/parameters.yml",
        """
        total: ${add:1, 2, 3.5}
        shout: ${upper:hello}-${upper:world}
    """,
    )
    loader = project_loader(
        conf,
        custom_resolvers={"add": lambda *xs: sum(xs), "upper": str.upper},
    )
    assert loader["parameters"] == {"total": 6.5, "shout": "HELLO-WORLD"}


def test_custom_resolvers_may_return_objects(write, conf):
    import datetime

    write("base/parameters.yml", "start: ${today:}\n")
    day = datetime.date(2024, 1, 2)
    loader = project_loader(conf, custom_resolvers={"today": lambda: day})
    assert loader["parameters"] == {"start": day}


def test_custom_resolvers_do_not_leak(write, conf):
    from omegaconf import OmegaConf

    write("base/parameters.yml", "x: ${ordino_private_resolver:1}\n")
    first = project_loader(conf, custom_resolvers={"ordino_private_resolver": str})
    assert first["parameters"] == {"x": "1"}
    del first
    assert not OmegaConf.has_resolver("ordino_private_resolver")
    with pytest.raises(BadConfigException, match="unknown resolver"):
        project_loader(conf)["parameters"]


def test_builtin_oc_resolvers(write, conf):
    write(
        "base/parameters.yml",
        """
        table: {a: 1, b: 2}
        keys: ${oc.dict.keys:table}
        values: ${oc.dict.values:table}
        picked: ${oc.select:table.c, 9}
        decoded: ${oc.decode:'[1, 2]'}
    """,
    )
    params = project_loader(conf)["parameters"]
    assert params["keys"] == ["a", "b"]
    assert params["values"] == [1, 2]
    assert params["picked"] == 9
    assert params["decoded"] == [1, 2]


def test_resolvers_registered_with_omegaconf_are_still_found(write, conf):
    from omegaconf import OmegaConf

    write("base/parameters.yml", "x: ${ordino_global_double:21}\n")
    OmegaConf.register_resolver("ordino_global_double", lambda v: v * 2)
    try:
        assert project_loader(conf)["parameters"] == {"x": 42}
    finally:
        OmegaConf.clear_resolver("ordino_global_double")


def test_repr_names_the_setup_not_the_contents(write, conf):
    write("base/credentials.yml", "db: {password: hunter2}\n")
    loader = project_loader(conf)
    loader["credentials"]
    assert "hunter2" not in repr(loader)
    assert "conf_source=" in repr(loader)


def test_conf_source_may_be_a_path(write, tmp_path):
    write("base/catalog.yml", "a: 1\n")
    loader = OmegaConfigLoader(tmp_path / "conf", base_env="base")
    assert loader["catalog"] == {"a": 1}


def test_the_documented_catalog_example(write, conf):
    write(
        "base/catalog.yml",
        """
        _csv:
          sep: ","
          encoding: utf-8
        _raw: data/01_raw

        companies:
          type: pandas.CSVDataset
          filepath: ${_raw}/companies.csv      # string interpolation
          load_args: ${_csv}                   # a whole mapping, copied
        shuttles:
          type: pandas.ExcelDataset
          filepath: ${_raw}/shuttles.xlsx
          metadata:
            source: ${companies.filepath}      # any key of this environment
            kind: ${..type}                    # relative
    """,
    )
    assert project_loader(conf)["catalog"] == {
        "companies": {
            "type": "pandas.CSVDataset",
            "filepath": "data/01_raw/companies.csv",
            "load_args": {"sep": ",", "encoding": "utf-8"},
        },
        "shuttles": {
            "type": "pandas.ExcelDataset",
            "filepath": "data/01_raw/shuttles.xlsx",
            "metadata": {
                "source": "data/01_raw/companies.csv",
                "kind": "pandas.ExcelDataset",
            },
        },
    }


def test_flatten_parameters_names_every_level():
    from ordino.config import flatten_parameters

    params = {"model": {"rate": 0.1, "opt": {"lr": 3}}, "seed": 1, "tags": ["a"]}
    assert flatten_parameters(params) == {
        "parameters": params,
        "params:model": {"rate": 0.1, "opt": {"lr": 3}},
        "params:model.rate": 0.1,
        "params:model.opt": {"lr": 3},
        "params:model.opt.lr": 3,
        "params:seed": 1,
        "params:tags": ["a"],
    }


def test_a_custom_loader_subclasses_the_abstract_one():
    class StaticLoader(AbstractConfigLoader):
        def __getitem__(self, key: str) -> object:
            return {"catalog": {}}[key]

    loader = StaticLoader("conf", env="prod", runtime_params={"a": 1})
    assert (loader.conf_source, loader.env, loader.runtime_params) == (
        "conf",
        "prod",
        {"a": 1},
    )
    assert loader["catalog"] == {}


def test_missing_env_is_reported_before_problems_in_base(write, conf):
    write("base/catalog.yml", "a: {filepath: '${nope}'}\n")
    loader = OmegaConfigLoader(conf, base_env="base", env="prd")
    with pytest.raises(MissingConfigException, match="'prd' not found"):
        loader["catalog"]


def test_source_files_name_the_file_in_effect_for_each_entry(write, conf):
    write("base/catalog.yml", "cars: {type: MemoryDataset}\n_tpl: {a: 1}\n")
    write("base/more/trains.yml", "trains: {type: MemoryDataset}\n")
    write("local/catalog.yml", "cars: {type: MemoryDataset, copy_mode: assign}\n")
    loader = project_loader(conf, config_patterns={"catalog": ["catalog*", "**/*"]})
    files = loader.source_files("catalog")
    assert files["cars"].endswith("local/catalog.yml")  # the run env wins
    assert files["trains"].endswith("base/more/trains.yml")
    loader["catalog"] = {"x": {"type": "MemoryDataset"}}
    assert loader.source_files("catalog") == {}  # set in code, not read from files
