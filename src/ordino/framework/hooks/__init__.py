"""Hooks: pluggy-based extension points with Kedro's names and arguments.

Example:
    >>> from ordino.framework.hooks import _create_hook_manager, hook_impl
    >>> class Hello:
    ...     @hook_impl
    ...     def before_node_run(self, node):
    ...         print(f"running {node}")
    >>> manager = _create_hook_manager()
    >>> manager.register(Hello())  # doctest: +ELLIPSIS
    '...'
"""

from __future__ import annotations

from ordino.framework.hooks.manager import (
    PLUGIN_HOOKS_GROUP,
    _create_hook_manager,
    _register_hooks,
    _register_hooks_entry_points,
)
from ordino.framework.hooks.markers import HOOK_NAMESPACE, hook_impl, hook_spec

__all__ = [
    "HOOK_NAMESPACE",
    "PLUGIN_HOOKS_GROUP",
    "_create_hook_manager",
    "_register_hooks",
    "_register_hooks_entry_points",
    "hook_impl",
    "hook_spec",
]
