"""The credential values this process has loaded, so output can mask them.

The catalog masks secrets in the messages it raises, but a library's own exception
is chained unchanged (``__cause__``), and ``ordino --verbose`` prints the whole
chain. A connection error that echoes a token would then reach the terminal or a CI
log. ``Context`` records every credential value it reads here, and the CLI masks
them in anything it prints about a failure.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

__all__ = ["forget_all", "known_secrets", "mask_secrets", "remember_credentials"]

_MASK = "***"
_MIN_LENGTH = 4  # shorter values ("1", "yes") would mask ordinary words
_lock = threading.Lock()
_known: set[str] = set()


def remember_credentials(credentials: Mapping[str, Any]) -> None:
    """Record every string value (at any depth) of a credentials configuration."""
    found: list[str] = []

    def collect(value: Any) -> None:
        if isinstance(value, Mapping):
            for item in value.values():
                collect(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                collect(item)
        elif isinstance(value, str) and len(value) >= _MIN_LENGTH:
            found.append(value)

    collect(credentials)
    if found:
        with _lock:
            _known.update(found)


def known_secrets() -> list[str]:
    """Every recorded secret, longest first (so one containing another is whole)."""
    with _lock:
        return sorted(_known, key=len, reverse=True)


def mask_secrets(text: str) -> str:
    """``text`` with every recorded secret replaced by ``***``.

    Example:
        >>> remember_credentials({"db": {"password": "hunter22"}})
        >>> mask_secrets("login failed for password=hunter22")
        'login failed for password=***'
        >>> forget_all()
    """
    for secret in known_secrets():
        if secret in text:
            text = text.replace(secret, _MASK)
    return text


def forget_all() -> None:
    """Forget every recorded secret (tests; a long-lived process between projects)."""
    with _lock:
        _known.clear()
