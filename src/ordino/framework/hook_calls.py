"""Call a hook with exactly the arguments its specification declares.

The framework knows more facts at a call site than some specs take (Kedro's
``after_catalog_created`` took ``feed_dict`` in 0.19 and ``parameters`` later); pluggy
complains about arguments a spec does not declare, so the call is trimmed to the
spec. A hook without a specification is called with everything.
"""

from __future__ import annotations

from typing import Any

__all__ = ["call_hook"]


def call_hook(hook_manager: Any, name: str, **facts: Any) -> list[Any]:
    """Call hook ``name`` on ``hook_manager`` with the facts its spec asks for."""
    caller = getattr(hook_manager.hook, name)
    spec = getattr(caller, "spec", None)
    argnames = getattr(spec, "argnames", None)
    if argnames is not None:
        facts = {key: value for key, value in facts.items() if key in argnames}
    result: list[Any] = caller(**facts)
    return result
