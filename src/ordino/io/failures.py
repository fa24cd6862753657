"""What the catalog says when a load or save fails, with secrets kept out.

The message names the operation, the dataset and its path, and the library's own
error (chained as ``__cause__``). Any credential value the dataset was configured
with is masked in the message, so a library that echoes a connection string or a
key does not leak it into logs or the terminal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ordino.errors import DatasetError, OrdinoError

__all__ = ["describe_failure", "mask", "mask_values", "secret_strings"]

_MASK = "***"


def secret_strings(sources: Iterable[Any]) -> list[str]:
    """Every string under a ``credentials`` key (at any depth) of ``sources``."""
    found: list[str] = []

    def collect(value: Any, secret: bool) -> None:
        if isinstance(value, Mapping):
            for key, item in value.items():
                collect(item, secret or key == "credentials")
        elif isinstance(value, (list, tuple)):
            for item in value:
                collect(item, secret)
        elif secret and isinstance(value, str) and len(value) >= 4:
            found.append(value)

    for source in sources:
        collect(source, False)
    # Longest first, so a secret containing another is masked whole.
    return sorted(set(found), key=len, reverse=True)


def mask(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret replaced by ``***``."""
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, _MASK)
    return text


def mask_values(value: Any, secrets: list[str]) -> Any:
    """``value`` (a description) with every secret masked in every string."""
    if isinstance(value, Mapping):
        return {key: mask_values(item, secrets) for key, item in value.items()}
    if type(value) in (list, tuple):
        return type(value)(mask_values(item, secrets) for item in value)
    if isinstance(value, str):
        return mask(value, secrets)
    return value


def _path_of(dataset: Any) -> str | None:
    try:
        described = dataset.describe()
    except Exception:  # a broken _describe must not hide the real failure
        return None
    for key in ("filepath", "path", "table_name", "sql", "url"):
        value = described.get(key)
        if value:
            return str(value)
    return None


def describe_failure(
    operation: str,
    name: str,
    dataset: Any,
    exc: Exception,
    secrets: list[str],
) -> Exception:
    """The error the catalog raises for a failed ``load``/``save`` of ``name``."""
    if isinstance(exc, OrdinoError):
        if isinstance(exc, DatasetError) and exc.dataset is None:
            exc.dataset = name
        if f"'{name}'" not in exc.message:
            exc.message = mask(f"Dataset '{name}': {exc.message}", secrets)
            exc.args = (exc.message,)
        return exc
    path = _path_of(dataset)
    where = f" at '{path}'" if path else ""
    verb = "loading" if operation == "load" else "saving"
    detail = mask(f"{type(exc).__name__}: {exc}", secrets)
    return DatasetError(
        f"Failed while {verb} dataset '{name}' ({type(dataset).__name__}){where}: "
        f"{detail}",
        hint="The error from the underlying library is chained above."
        if operation == "load"
        else "Nothing was written: the previous data, if any, is intact.",
        dataset=name,
        path=path,
        operation=operation,
    )
