"""Plugins of the command line: entry points found without importlib.metadata.

``importlib.metadata`` costs about 40 ms to import (it pulls in the e-mail parser),
more than a quarter of the start-up budget of ``ordino --help``. The entry points ordino
needs live in ``entry_points.txt`` files of installed distributions, a simple INI
format, so this module scans ``sys.path`` for them directly (about 2 ms) and imports
a plugin's module only when its object is actually needed.
"""

from __future__ import annotations

import importlib
import os
import sys
from dataclasses import dataclass
from functools import cache
from typing import Any

GROUPS = (
    "ordino.global_commands",
    "ordino.project_commands",
    "ordino.cli_hooks",
    "ordino.starters",
    "ordino.hooks",
)


@dataclass(frozen=True, slots=True)
class EntryPoint:
    """One ``name = module:attribute`` line of a distribution's entry points."""

    group: str
    name: str
    value: str
    distribution: str
    version: str

    def load(self) -> Any:
        """Import the module and return the attribute the entry point names."""
        module_name, _, attribute = self.value.partition(":")
        target: Any = importlib.import_module(module_name.strip())
        for part in filter(None, attribute.strip().split(".")):
            target = getattr(target, part)
        return target


def entry_points(group: str) -> tuple[EntryPoint, ...]:
    """The entry points of ``group`` of every installed distribution, by name."""
    return tuple(ep for ep in _scan() if ep.group == group)


@cache
def _scan() -> tuple[EntryPoint, ...]:
    found: dict[tuple[str, str], EntryPoint] = {}
    for folder in sys.path:
        if not folder or not os.path.isdir(folder):
            continue
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if not entry.name.endswith((".dist-info", ".egg-info")):
                continue
            text = _read(os.path.join(entry.path, "entry_points.txt"))
            if text is None or "[ordino." not in text:
                continue
            dist, version = _distribution_name(entry.name)
            for ep in _parse(text, dist, version):
                # the first one on sys.path wins, as with importlib.metadata
                found.setdefault((ep.group, ep.name), ep)
    return tuple(sorted(found.values(), key=lambda e: (e.group, e.name)))


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError:
        return None


def _distribution_name(folder: str) -> tuple[str, str]:
    stem = folder.rsplit(".", 1)[0]
    name, _, version = stem.partition("-")
    return name, version


def _parse(text: str, dist: str, version: str) -> list[EntryPoint]:
    group = ""
    points: list[EntryPoint] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            group = line[1:-1].strip()
            continue
        if group.startswith("ordino.") and "=" in line:
            name, _, value = line.partition("=")
            points.append(EntryPoint(group, name.strip(), value.strip(), dist, version))
    return points


def installed_plugins() -> dict[str, list[str]]:
    """``distribution version`` -> the ordino entry point groups it provides."""
    plugins: dict[str, list[str]] = {}
    for ep in _scan():
        key = f"{ep.distribution} {ep.version}".strip()
        groups = plugins.setdefault(key, [])
        if ep.group not in groups:
            groups.append(ep.group)
    return plugins
