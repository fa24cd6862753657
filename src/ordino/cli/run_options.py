"""Parsing ``ordino run``'s option values: lists, ``--params``, versions, runners.

Each parser raises :class:`click.BadParameter` naming the option and the offending
item, so a mistyped flag is a usage error (exit code 2) with one clear line.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import click

from ordino.suggest import closest_matches, did_you_mean

RUNNERS = ("SequentialRunner", "ThreadRunner", "ParallelRunner", "DaskRunner")

# keys a ``--config run.yml`` file may set under ``run:``, as the option names
RUN_CONFIG_KEYS = (
    "pipelines",
    "pipeline",
    "tags",
    "nodes",
    "node_names",
    "from_nodes",
    "to_nodes",
    "from_inputs",
    "to_outputs",
    "namespaces",
    "runner",
    "is_async",
    "async",
    "env",
    "params",
    "load_versions",
    "conf_source",
    "runner_params",
    "only_missing_outputs",
)


def split_top_level(text: str, sep: str = ",") -> list[str]:
    """Split on ``sep`` outside brackets and quotes: ``a=[1,2],b=3`` has two items."""
    items: list[str] = []
    depth = 0
    quote = ""
    current: list[str] = []
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "[{(":
            depth += 1
        elif char in "]})":
            depth = max(depth - 1, 0)
        elif char == sep and depth == 0:
            items.append("".join(current))
            current = []
            continue
        current.append(char)
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]


def split_names(values: tuple[str, ...] | list[str] | str | None) -> list[str]:
    """Comma-separated and repeated options, flattened: ``-t a,b -t c``."""
    if not values:
        return []
    if isinstance(values, str):
        values = [values]
    names: list[str] = []
    for value in values:
        names.extend(part.strip() for part in str(value).split(",") if part.strip())
    return list(dict.fromkeys(names))


def parse_key_values(
    values: tuple[str, ...] | list[str] | str | dict[str, Any] | None, option: str
) -> dict[str, Any]:
    """``key=value`` items, values parsed as YAML; dotted keys nest.

    ``--params "model.alpha=0.1,features=[a,b]"`` gives
    ``{"model": {"alpha": 0.1}, "features": ["a", "b"]}``.
    """
    if not values:
        return {}
    if isinstance(values, dict):  # from a --config file
        result: dict[str, Any] = {}
        for key, value in values.items():
            _assign(result, str(key), value, option)
        return result
    if isinstance(values, str):
        values = [values]
    import yaml

    parsed: dict[str, Any] = {}
    for value in values:
        for item in split_top_level(str(value)):
            key, sep, raw = item.partition("=")
            key = key.strip()
            if not sep or not key:
                raise click.BadParameter(
                    f"'{item}' is not of the form key=value. Example: "
                    f"{option} model.alpha=0.1,features=[a,b]",
                    param_hint=f"'{option}'",
                )
            try:
                loaded = yaml.safe_load(raw) if raw.strip() else ""
            except yaml.YAMLError as exc:
                problem = str(getattr(exc, "problem", "") or exc).strip()
                raise click.BadParameter(
                    f"the value of '{key}' ({raw.strip()!r}) is not valid YAML "
                    f"({problem}). Quote it to pass it as a string: "
                    f"{option} \"{key}='{raw.strip()}'\"",
                    param_hint=f"'{option}'",
                ) from exc
            _assign(parsed, key, loaded, option)
    return parsed


def _assign(target: dict[str, Any], dotted: str, value: Any, option: str) -> None:
    parts = dotted.split(".")
    if any(not part for part in parts):
        raise click.BadParameter(
            f"'{dotted}' has an empty part between dots.", param_hint=f"'{option}'"
        )
    node = target
    for part in parts[:-1]:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise click.BadParameter(
                f"'{dotted}' sets a key inside '{part}', which is also given a "
                "plain value. Give one or the other.",
                param_hint=f"'{option}'",
            )
        node = child
    node[parts[-1]] = value


def parse_load_versions(
    values: tuple[str, ...] | list[str] | str | dict[str, str] | None,
) -> dict[str, str]:
    """``dataset:version`` items; the version is everything after the first colon."""
    if not values:
        return {}
    if isinstance(values, dict):
        return {str(k): str(v) for k, v in values.items()}
    versions: dict[str, str] = {}
    for item in split_names(values):
        name, sep, version = item.partition(":")
        if not sep or not name.strip() or not version.strip():
            raise click.BadParameter(
                f"'{item}' is not of the form dataset:version. Example: "
                "--load-versions regressor:2026-01-31T12.00.00.000Z",
                param_hint="'--load-versions'",
            )
        versions[name.strip()] = version.strip()
    return versions


def resolve_runner_class(name: str) -> type[Any]:
    """A runner class from its name in ``ordino.runner`` or a full import path."""
    if "." not in name:
        runner_module = importlib.import_module("ordino.runner")
        runner = getattr(runner_module, name, None)
        if isinstance(runner, type):
            return runner
        known = [r for r in RUNNERS if hasattr(runner_module, r)] or list(RUNNERS)
        hint = did_you_mean(closest_matches(name, known))
        raise click.BadParameter(
            f"unknown runner '{name}'. {hint} Known runners: {', '.join(known)}, "
            "or give a full import path such as my_package.runners.MyRunner.",
            param_hint="'--runner'",
        )
    module_name, _, class_name = name.rpartition(".")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise click.BadParameter(
            f"cannot import module '{module_name}' for runner '{name}': {exc}.",
            param_hint="'--runner'",
        ) from exc
    runner = getattr(module, class_name, None)
    if not isinstance(runner, type):
        raise click.BadParameter(
            f"module '{module_name}' has no class '{class_name}'.",
            param_hint="'--runner'",
        )
    return runner


def build_runner(name: str, *, is_async: bool, params: dict[str, Any]) -> Any:
    """Instantiate the runner, checking ``--async`` and ``--runner-params`` first."""
    import inspect

    runner_class = resolve_runner_class(name)
    accepted = inspect.signature(runner_class).parameters
    takes_any = any(p.kind is p.VAR_KEYWORD for p in accepted.values())
    kwargs = dict(params)
    if is_async:
        if "is_async" not in accepted and not takes_any:
            raise click.BadParameter(
                f"the runner {runner_class.__name__} does not support --async. "
                "Use ThreadRunner or ParallelRunner with --async.",
                param_hint="'--async'",
            )
        kwargs["is_async"] = True
    if not takes_any:
        names = [n for n in accepted if n != "self"]
        for key in kwargs:
            if key not in accepted:
                hint = did_you_mean(closest_matches(key, names))
                raise click.BadParameter(
                    f"{runner_class.__name__} takes no parameter '{key}'. {hint} "
                    f"It accepts: {', '.join(names) or 'nothing'}.",
                    param_hint="'--runner-params'",
                )
    return runner_class(**kwargs)


def read_run_config(path: Path) -> dict[str, Any]:
    """The ``run:`` section of a ``--config`` YAML file, keys checked."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise click.BadParameter(
            f"{path} is not valid YAML{where}: {getattr(exc, 'problem', exc)}.",
            param_hint="'--config'",
        ) from exc
    except OSError as exc:
        raise click.BadParameter(
            f"cannot read {path}: {exc.strerror}.", param_hint="'--config'"
        ) from exc
    if not isinstance(data, dict) or not isinstance(data.get("run"), dict):
        raise click.BadParameter(
            f"{path} must have a 'run:' mapping of options, for example:\n"
            "    run:\n      pipelines: data_processing\n      tags: [fast]",
            param_hint="'--config'",
        )
    section: dict[str, Any] = {}
    for raw_key, value in data["run"].items():
        key = str(raw_key).replace("-", "_")
        if key not in RUN_CONFIG_KEYS:
            hint = did_you_mean(closest_matches(key, RUN_CONFIG_KEYS))
            raise click.BadParameter(
                f"{path}: unknown key '{raw_key}' under 'run:'. {hint}".strip(),
                param_hint="'--config'",
            )
        key = {"node_names": "nodes", "async": "is_async"}.get(key, key)
        section[key] = value
    return section
