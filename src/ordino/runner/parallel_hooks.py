"""Hooks and ``ParallelRunner``: which hook objects travel, which stay home.

A hook object that pickles is copied into every worker, where its node and dataset
hooks run next to the data. One that does not pickle (or sets
``run_hooks_in_parent = True``) stays in the main process in a small pluggy manager
of its own; workers report the calls it implements, with just the arguments it
takes, and ``replay`` makes them here.
"""

from __future__ import annotations

import itertools
import logging
import pickle
from typing import Any

from ordino.runner.hookset import NODE_HOOKS, RunHooks

__all__ = ["ParentHooks"]

logger = logging.getLogger("ordino.runner")


class ParentHooks:
    """The hook objects that stay in the parent, and what workers must report."""

    def __init__(self, hooks: RunHooks) -> None:
        self.shipped: tuple[Any, ...] = ()
        self.spec_classes: tuple[type, ...] = ()
        self.project_name: str | None = None
        self.wanted: dict[str, frozenset[str]] = {}
        self.relay: Any = None
        manager = hooks.manager
        if manager is None or not hooks.any:
            return
        self.project_name = getattr(manager, "project_name", None)
        self.spec_classes = _spec_classes(manager)
        shipped, kept = [], []
        for _, plugin in manager.list_name_plugin():
            if plugin is None or not _implements_node_hooks(manager, plugin):
                continue
            if getattr(plugin, "run_hooks_in_parent", False) or not _picklable(plugin):
                kept.append(plugin)
            else:
                shipped.append(plugin)
        self.shipped = tuple(shipped)
        if kept:
            self._keep(kept)

    def _keep(self, plugins: list[Any]) -> None:
        import pluggy

        relay = pluggy.PluginManager(self.project_name or "ordino")
        for spec in self.spec_classes:
            relay.add_hookspecs(spec)
        for plugin in plugins:
            relay.register(plugin)
        for name in NODE_HOOKS:
            impls = getattr(relay.hook, name).get_hookimpls()
            if impls:
                self.wanted[name] = frozenset(
                    itertools.chain.from_iterable(i.argnames for i in impls)
                )
        if "before_node_run" in self.wanted:
            logger.warning(
                "Hook objects that stay in the main process (%s) get before_node_run "
                "calls after the fact: inputs they return cannot replace a worker's.",
                ", ".join(type(p).__name__ for p in plugins),
            )
        self.relay = relay

    def replay(
        self, name: str, kwargs: dict[str, Any], node: Any, catalog: Any
    ) -> None:
        caller = getattr(self.relay.hook, name)
        full = dict.fromkeys(caller.spec.argnames)
        full.update(kwargs)
        if "node" in full:
            full["node"] = node
        if "catalog" in full:
            full["catalog"] = catalog
        caller(**full)


def _spec_classes(manager: Any) -> tuple[type, ...]:
    found: dict[type, None] = {}
    for name in NODE_HOOKS:
        caller = getattr(manager.hook, name, None)
        spec = getattr(caller, "spec", None)
        if spec is not None:
            found[
                spec.namespace
                if isinstance(spec.namespace, type)
                else type(spec.namespace)
            ] = None
    return tuple(found)


def _implements_node_hooks(manager: Any, plugin: Any) -> bool:
    callers = manager.get_hookcallers(plugin) or ()
    return any(caller.name in NODE_HOOKS for caller in callers)


def _picklable(value: Any) -> bool:
    try:
        pickle.dumps(value)
    except Exception:
        return False
    return True
