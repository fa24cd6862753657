"""Turn a library's exception into one DatasetError that names the path.

Every dataset runs its load and save through :func:`reported`: the user sees which
file failed, what the library said, and how to fix the usual causes; the library
error stays chained for the traceback, unless it quotes a credential (see
``_secrets``), in which case it is dropped entirely, ``__context__`` included. The
catalog adds the dataset's name on top.

A plain function rather than a context manager on purpose: an exception raised from
a context manager's ``__exit__`` always gets the original as ``__context__``, which
would keep a quoted secret reachable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from ordino.datasets._secrets import redact, safe_cause
from ordino.errors import DatasetError

__all__ = ["reported"]

T = TypeVar("T")

_HINTS: tuple[tuple[str, type[BaseException], str], ...] = (
    (
        "load",
        FileNotFoundError,
        "Check the filepath, or run the node that produces this dataset first.",
    ),
    ("save", PermissionError, "Check that the folder is writable."),
    ("load", PermissionError, "Check that the file is readable."),
    ("save", TypeError, "Check that the data has the type this dataset saves."),
)


def _hint(action: str, exc: BaseException) -> str | None:
    for hint_action, kind, hint in _HINTS:
        if hint_action == action and isinstance(exc, kind):
            return hint
    return None


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__


def reported(
    action: str,
    kind: str,
    path: str | Callable[[], str],
    operation: Callable[[], T],
    *,
    secrets: Iterable[str] = (),
    where: str | None = None,
) -> T:
    """Run ``operation``; re-raise anything but a DatasetError as one about ``path``.

    Args:
        action: "load", "save", "preview"... the verb of the message.
        kind: The dataset's class name, for example ``"CSVDataset"``.
        path: Where the data lives, as the user wrote it (protocol included); a
            callable is asked only on failure (a versioned save knows its path late).
        operation: The work itself.
        secrets: Strings that must not appear in the message or the chained cause.
        where: How the message names the place, when not a path (``table 'cars'``).

    Raises:
        DatasetError: ``.path`` is ``path``; the library's error is ``__cause__``.
    """
    failure: Exception
    try:
        return operation()
    except DatasetError:
        raise
    except Exception as exc:
        failure = exc
    # Out of the except block: nothing is being handled, so nothing becomes the new
    # error's __context__ unless we chain it explicitly.
    hidden = tuple(secrets)
    if callable(path):
        path = path()
    preposition = "to" if action == "save" else "from"
    place = where or f"'{path}'"
    message = redact(
        f"Failed to {action} {kind} {preposition} {place}: {_first_line(failure)}",
        hidden,
    )
    error = DatasetError(
        message, path=redact(path, hidden), hint=_hint(action, failure)
    )
    cause = safe_cause(failure, hidden)
    del failure
    if cause is None:
        raise error from None
    raise error from cause
