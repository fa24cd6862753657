"""The node and dataset hooks of one run, looked up once.

The runner never imports ``ordino.framework``: it is handed a hook manager (any object
whose ``.hook.<name>`` is callable by keyword, in practice a pluggy
``PluginManager``) and calls the hooks that have implementations. Which hooks have
implementations is checked once per run, so a manager with no plugin costs one
attribute test per node instead of a pluggy call per hook.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["NODE_HOOKS", "RunHooks"]

#: The hooks a runner calls, in the order a node meets them.
NODE_HOOKS = (
    "before_dataset_loaded",
    "after_dataset_loaded",
    "before_node_run",
    "after_node_run",
    "on_node_error",
    "before_dataset_saved",
    "after_dataset_saved",
)

HookFn = Callable[..., Any]


class RunHooks:
    """The callable hooks of a run; an attribute is ``None`` when nothing implements it.

    Example:
        >>> hooks = RunHooks(None)
        >>> hooks.before_node_run is None and not hooks.any
        True
    """

    __slots__ = ("any", "manager", *NODE_HOOKS)

    before_dataset_loaded: HookFn | None
    after_dataset_loaded: HookFn | None
    before_node_run: HookFn | None
    after_node_run: HookFn | None
    on_node_error: HookFn | None
    before_dataset_saved: HookFn | None
    after_dataset_saved: HookFn | None
    any: bool
    manager: Any | None

    def __init__(self, hook_manager: Any | None) -> None:
        self.manager = hook_manager
        relay = getattr(hook_manager, "hook", None)
        found = False
        for name in NODE_HOOKS:
            caller = getattr(relay, name, None) if relay is not None else None
            if caller is not None and not _has_implementations(caller):
                caller = None
            setattr(self, name, caller)
            found = found or caller is not None
        self.any = found


def _has_implementations(caller: Any) -> bool:
    get = getattr(caller, "get_hookimpls", None)
    # An object that is not a pluggy HookCaller (a fake in a test, a relay): call it.
    return bool(get()) if callable(get) else True
