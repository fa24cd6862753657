"""The hook manager: one pluggy ``PluginManager`` per session, never a global.

Besides creating it, this module registers the two kinds of plugins a project has:
the hook objects listed in ``settings.HOOKS`` and the hooks that installed packages
advertise under the ``ordino.hooks`` entry point group. Registration checks every
implementation against the specs, so a misspelt hook name or argument fails loudly
instead of silently never running.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import pluggy

from ordino.errors import SettingsError
from ordino.framework.hooks.markers import HOOK_NAMESPACE
from ordino.framework.hooks.specs import (
    ContextSpecs,
    DataCatalogSpecs,
    DatasetSpecs,
    NodeSpecs,
    PipelineSpecs,
)
from ordino.suggest import closest_matches

__all__ = [
    "PLUGIN_HOOKS_GROUP",
    "_create_hook_manager",
    "_register_hooks",
    "_register_hooks_entry_points",
]

#: The entry point group installed packages use to register hook objects.
PLUGIN_HOOKS_GROUP = "ordino.hooks"

_SPEC_CLASSES = (DataCatalogSpecs, NodeSpecs, PipelineSpecs, DatasetSpecs, ContextSpecs)

logger = logging.getLogger(__name__)


def _create_hook_manager() -> pluggy.PluginManager:
    """Create a plugin manager that knows every ordino hook spec and has no plugin."""
    manager = pluggy.PluginManager(HOOK_NAMESPACE)
    for spec_class in _SPEC_CLASSES:
        manager.add_hookspecs(spec_class)
    return manager


def _register_hooks(
    hook_manager: pluggy.PluginManager, hooks: Iterable[Any], *, source: str = "HOOKS"
) -> None:
    """Register hook objects (``settings.HOOKS``), each once, keeping their order.

    Hooks run last-registered-first (LIFO), as in Kedro: of ``HOOKS = (a, b)``,
    ``b``'s implementation of a hook runs before ``a``'s.

    Raises:
        SettingsError: A hook object is a class instead of an instance, names a hook
            that does not exist, or takes an argument its spec does not have.
    """
    for hook in hooks:
        if isinstance(hook, type):
            raise SettingsError(
                f"{source} lists the class {hook.__name__}, not an instance of it.",
                setting=source,
                hint=f"Write {hook.__name__}() in {source}.",
            )
        if hook_manager.is_registered(hook):
            continue
        _register_checked(hook_manager, hook, name=None, source=source)


def _register_hooks_entry_points(
    hook_manager: pluggy.PluginManager, disabled_plugins: Iterable[str] = ()
) -> None:
    """Register the hooks of installed plugins (entry point group ``ordino.hooks``).

    Args:
        hook_manager: The session's manager.
        disabled_plugins: ``settings.DISABLE_HOOKS_FOR_PLUGINS``: distribution names
            (``"ordino-viz"``) whose hooks are not registered. Names compare
            case-insensitively and with ``-``, ``_`` and ``.`` treated alike.
    """
    from importlib.metadata import entry_points

    disabled = {_normalise(name) for name in disabled_plugins}
    skipped: set[str] = set()
    registered: list[str] = []
    for entry_point in entry_points(group=PLUGIN_HOOKS_GROUP):
        dist = entry_point.dist
        dist_name = dist.metadata["Name"] if dist is not None else entry_point.name
        if _normalise(dist_name) in disabled:
            skipped.add(dist_name)
            continue
        plugin = entry_point.load()
        if hook_manager.is_registered(plugin):
            continue
        _register_checked(
            hook_manager,
            plugin,
            name=f"{dist_name}:{entry_point.name}",
            source=f"plugin {dist_name!r} (entry point {entry_point.value!r})",
        )
        registered.append(dist_name)
    if registered:
        logger.debug(
            "Registered hooks from %d installed plugin(s): %s",
            len(registered),
            ", ".join(sorted(set(registered))),
        )
    if skipped:
        logger.debug("Hooks are disabled for plugin(s): %s", ", ".join(sorted(skipped)))


def _normalise(distribution_name: str) -> str:
    # PEP 503 normalisation: "Ordino_Viz" and "ordino-viz" are the same distribution.
    import re

    return re.sub(r"[-_.]+", "-", distribution_name).lower()


def _register_checked(
    hook_manager: pluggy.PluginManager, plugin: Any, *, name: str | None, source: str
) -> None:
    where = f"{source}: {type(plugin).__name__}"
    try:
        hook_manager.register(plugin, name=name)
    except pluggy.PluginValidationError as exc:
        raise _argument_error(hook_manager, plugin, where, source) from exc
    except ValueError as exc:  # pluggy: the same name registered twice
        raise SettingsError(f"{where}: {exc}", setting=source) from exc
    unknown = [
        caller.name
        for caller in hook_manager.get_hookcallers(plugin) or ()
        if not caller.has_spec()
        and any(
            impl.plugin is plugin and not impl.optionalhook
            for impl in caller.get_hookimpls()
        )
    ]
    if unknown:
        hook_manager.unregister(plugin)
        known = _spec_names(hook_manager)
        first = unknown[0]
        raise SettingsError(
            f"{where} implements {first!r}, which is not an ordino hook.",
            setting=source,
            suggestions=closest_matches(first, known),
            hint="Hook names: " + ", ".join(known) + ".",
        )


def _spec_names(hook_manager: pluggy.PluginManager) -> list[str]:
    return sorted(
        name
        for name, caller in vars(hook_manager.hook).items()
        if isinstance(caller, pluggy.HookCaller) and caller.has_spec()
    )


def _argument_error(
    hook_manager: pluggy.PluginManager, plugin: Any, where: str, source: str
) -> SettingsError:
    """Find the implementation whose arguments do not fit and say which and why."""
    import inspect

    for attr in dir(plugin):
        method = getattr(plugin, attr, None)
        caller = getattr(hook_manager.hook, attr, None)
        if not callable(method) or not isinstance(caller, pluggy.HookCaller):
            continue
        if not caller.has_spec() or caller.spec is None:
            continue
        allowed = caller.spec.argnames
        params = [
            p.name
            for p in inspect.signature(method).parameters.values()
            if p.default is inspect.Parameter.empty
            and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
        extra = [p for p in params if p not in allowed]
        if extra:
            hint = f"{attr} accepts any of: {', '.join(allowed)}."
            if "session_id" in extra:
                hint += (
                    " Kedro 0.19's 'session_id' is 'run_id' in ordino (and Kedro 1)."
                )
            return SettingsError(
                f"{where}.{attr} takes argument {extra[0]!r}, which the "
                f"{attr} hook does not provide.",
                setting=source,
                suggestions=closest_matches(extra[0], allowed),
                hint=hint,
            )
    return SettingsError(f"{where}: its hook implementations do not fit the specs.")
