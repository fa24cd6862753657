"""``ordino catalog describe-datasets|list-patterns|resolve-patterns`` (YAML on stdout).

The catalog of the chosen environment is built once; for each selected pipeline
every dataset it uses is classified as an explicit catalog entry, a dataset matched
by a factory pattern, or a default (in-memory) dataset, as in Kedro 1.x.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import click


@click.group("catalog", context_settings={"help_option_names": ["-h", "--help"]})
def catalog() -> None:
    """Describe the data catalog's datasets and patterns."""


_pipeline_option = click.option(
    "--pipeline",
    "-p",
    "pipeline_names",
    multiple=True,
    help="Pipelines to describe (default: all). Comma-separated; may be repeated.",
)
_env_option = click.option("--env", "-e", envvar="ORDINO_ENV", help="Environment.")


@catalog.command("describe-datasets")
@_pipeline_option
@_env_option
def describe_datasets(pipeline_names: tuple[str, ...], env: str | None) -> None:
    """Per pipeline, its datasets grouped by kind and type."""
    data_catalog, selected = _load(env, pipeline_names)
    explicit = _explicit_names(data_catalog)
    result: dict[str, Any] = {}
    for name, pipe in selected.items():
        groups: dict[str, dict[str, list[str]]] = {
            "datasets": {},
            "factories": {},
            "defaults": {},
        }
        for dataset in sorted(_datasets(pipe)):
            if dataset in explicit:
                kind = "datasets"
            elif _matches_pattern(data_catalog, dataset):
                kind = "factories"
            else:
                groups["defaults"].setdefault("MemoryDataset", []).append(dataset)
                continue
            groups[kind].setdefault(_type_name(data_catalog, dataset), []).append(
                dataset
            )
        result[name] = {k: v for k, v in groups.items() if v}
    _echo_yaml(result)


@catalog.command("list-patterns")
@_env_option
def list_patterns(env: str | None) -> None:
    """The dataset factory patterns, in the order they are matched."""
    data_catalog, _ = _load(env, ())
    patterns = getattr(data_catalog, "list_patterns", None)
    _echo_yaml(list(patterns()) if callable(patterns) else [])


@catalog.command("resolve-patterns")
@_pipeline_option
@_env_option
def resolve_patterns(pipeline_names: tuple[str, ...], env: str | None) -> None:
    """The configuration of every dataset a pipeline uses, patterns resolved.

    Credentials are shown as a ``<dataset>_credentials`` reference, never as their
    values.
    """
    data_catalog, selected = _load(env, pipeline_names)
    # The catalog's own resolve_patterns() swaps every credential value for a
    # reference: this output is meant to be pasted into issues and CI logs.
    resolved = data_catalog.resolve_patterns(selected)
    wanted = set().union(*(_datasets(pipe) for pipe in selected.values()))
    _echo_yaml({name: entry for name, entry in resolved.items() if name in wanted})


def _load(env: str | None, names: Iterable[str]) -> tuple[Any, dict[str, Any]]:
    from ordino.cli.project import bootstrap
    from ordino.cli.run_options import split_names

    metadata = bootstrap()
    from ordino.framework.project import pipelines
    from ordino.framework.session import Session

    with Session.create(
        project_path=metadata.project_path, env=env, save_on_close=False
    ) as session:
        context = session.load_context()
        chosen = split_names(list(names)) or sorted(pipelines)
        selected = {name: pipelines[name] for name in chosen}
        return context.catalog, selected


def _datasets(pipe: Any) -> set[str]:
    return {
        d for d in pipe.datasets() if d != "parameters" and not d.startswith("params:")
    }


def _explicit_names(data_catalog: Any) -> set[str]:
    try:
        return set(data_catalog.keys())
    except Exception:
        return set()


def _matches_pattern(data_catalog: Any, name: str) -> bool:
    try:
        return name in data_catalog
    except Exception:
        return False


def _type_name(data_catalog: Any, name: str) -> str:
    get_type = getattr(data_catalog, "get_type", None)
    try:
        found = get_type(name) if callable(get_type) else None
    except Exception:
        found = None
    if found:
        return str(found).replace("ordino.io.", "").replace("ordino.datasets.", "")
    return "unknown"


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _echo_yaml(data: Any) -> None:
    import yaml

    click.echo(yaml.safe_dump(_plain(data), sort_keys=False), nl=False)
