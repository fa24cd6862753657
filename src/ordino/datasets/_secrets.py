"""Keep credentials out of every message a dataset produces.

A library error may quote what it was given: SQLAlchemy prints an engine's URL with
its query string, a driver may echo a DSN, an fsspec backend its options. Datasets
therefore treat every string in their ``credentials`` (and the password inside any
URL among them) as a secret: a message that would contain one is redacted, and a
library error that quotes one is not chained (its traceback would print it) but
summarised, redacted, in the dataset's own message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["REDACTED", "collect_secrets", "redact", "safe_cause"]

REDACTED = "***"

# user:password@ in a URL; the password alone may be quoted by a driver.
_URL_PASSWORD = re.compile(r"://[^:/@\s]*:(?P<password>[^@\s]+)@")
# Shorter strings ("s3", "true") are settings rather than secrets, and redacting them
# would mangle every message.
_MIN_SECRET_LENGTH = 4


def collect_secrets(credentials: Mapping[str, Any] | None) -> tuple[str, ...]:
    """Every string worth hiding in ``credentials``, longest first."""
    found: set[str] = set()
    pending: list[Any] = [credentials or {}]
    while pending:
        value = pending.pop()
        if isinstance(value, Mapping):
            pending.extend(value.values())
        elif isinstance(value, (list, tuple, set, frozenset)):
            pending.extend(value)
        elif isinstance(value, str) and len(value) >= _MIN_SECRET_LENGTH:
            found.add(value)
            found.update(m.group("password") for m in _URL_PASSWORD.finditer(value))
    return tuple(sorted(found, key=len, reverse=True))


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every occurrence of every secret replaced by ``***``."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return text


def _chain(exc: BaseException) -> Iterable[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def safe_cause(exc: BaseException, secrets: Iterable[str]) -> BaseException | None:
    """``exc`` if neither it nor anything it chains quotes a secret, else ``None``."""
    hidden = [s for s in secrets if s]
    if not hidden:
        return exc
    for link in _chain(exc):
        texts = [str(link), repr(link), *(repr(arg) for arg in link.args)]
        if any(secret in text for text in texts for secret in hidden):
            return None
    return exc
