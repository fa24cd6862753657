"""The pluggy markers for ordino's hooks.

Kept apart from the specs so that a project's ``hooks.py`` imports only this small
module (and pluggy) to decorate its implementations.
"""

from __future__ import annotations

import pluggy

__all__ = ["HOOK_NAMESPACE", "hook_impl", "hook_spec"]

#: The pluggy project name: implementations must be marked with this project's marker.
HOOK_NAMESPACE = "ordino"

hook_spec = pluggy.HookspecMarker(HOOK_NAMESPACE)
hook_impl = pluggy.HookimplMarker(HOOK_NAMESPACE)
