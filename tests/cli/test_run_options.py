"""Parsing ``ordino run`` option values: lists, params, versions, runners, config."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from ordino.cli.run_options import (
    build_runner,
    parse_key_values,
    parse_load_versions,
    read_run_config,
    split_names,
    split_top_level,
)


def test_names_are_split_on_commas_across_repeats_without_duplicates() -> None:
    assert split_names(("a,b", "c", "a")) == ["a", "b", "c"]
    assert split_names(None) == []
    assert split_names("x, y") == ["x", "y"]


def test_top_level_split_respects_brackets_and_quotes() -> None:
    assert split_top_level("a=[1,2],b={c: 1, d: 2},e='x,y'") == [
        "a=[1,2]",
        "b={c: 1, d: 2}",
        "e='x,y'",
    ]


def test_params_values_are_yaml_and_dotted_keys_nest() -> None:
    parsed = parse_key_values(
        ("model.alpha=0.1,features=[a,b],flag=true", "model.name=lasso,empty="),
        "--params",
    )
    assert parsed == {
        "model": {"alpha": 0.1, "name": "lasso"},
        "features": ["a", "b"],
        "flag": True,
        "empty": "",
    }


def test_params_keep_strings_that_look_like_dates_as_yaml_says() -> None:
    assert parse_key_values("v=2024-01-01T00.00.00Z", "--params") == {
        "v": "2024-01-01T00.00.00Z"
    }


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("novalue", "not of the form key=value"),
        ("=3", "not of the form key=value"),
        ("a=[1,2", "not valid YAML"),
        ("a..b=1", "empty part"),
        ("a=1,a.b=2", "also given a plain value"),
    ],
)
def test_bad_params_are_usage_errors_that_say_why(value: str, message: str) -> None:
    with pytest.raises(click.BadParameter, match=message):
        parse_key_values(value, "--params")


def test_load_versions_split_on_the_first_colon() -> None:
    assert parse_load_versions(("a:2024-01-01T00.00.00.000Z,b:v1",)) == {
        "a": "2024-01-01T00.00.00.000Z",
        "b": "v1",
    }
    with pytest.raises(click.BadParameter, match="dataset:version"):
        parse_load_versions(("justaname",))


def test_runner_by_name_and_by_path() -> None:
    from ordino.runner import SequentialRunner, ThreadRunner

    assert isinstance(
        build_runner("SequentialRunner", is_async=False, params={}), SequentialRunner
    )
    runner = build_runner(
        "ordino.runner.ThreadRunner", is_async=True, params={"max_workers": 2}
    )
    assert isinstance(runner, ThreadRunner)


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("SequentalRunner", {}, "Did you mean 'SequentialRunner'"),
        ("nowhere.Runner", {}, "cannot import module 'nowhere'"),
        ("ordino.runner.NoSuchRunner", {}, "has no class 'NoSuchRunner'"),
        ("ThreadRunner", {"max_worker": 2}, "Did you mean 'max_workers'"),
    ],
)
def test_bad_runners_are_named(name: str, params: dict, message: str) -> None:
    with pytest.raises(click.BadParameter, match=message):
        build_runner(name, is_async=False, params=params)


def test_run_config_reads_the_run_section(tmp_path: Path) -> None:
    path = tmp_path / "run.yml"
    path.write_text("run:\n  tags: [a, b]\n  from-nodes: x\n  node_names: y\n")
    assert read_run_config(path) == {
        "tags": ["a", "b"],
        "from_nodes": "x",
        "nodes": "y",
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("run: [unclosed\n", "not valid YAML at line"),
        ("tags: [a]\n", "must have a 'run:' mapping"),
        ("run:\n  tagz: [a]\n", "unknown key 'tagz'.*Did you mean 'tags'"),
    ],
)
def test_bad_run_config_files(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "run.yml"
    path.write_text(text)
    with pytest.raises(click.BadParameter, match=message):
        read_run_config(path)
