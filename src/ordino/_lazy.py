"""Lazy package attributes: ``import ordino.io`` stays free until a name is used.

A package lists ``name -> defining module`` and gets the module-level
``__getattr__`` and ``__dir__`` (PEP 562) from :func:`lazy_attributes`. The first
use of a name imports its module and stores the value in the package, so later
look-ups never reach ``__getattr__`` again.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["lazy_attributes"]


def lazy_attributes(
    package: str,
    exports: Mapping[str, str],
    namespace: dict[str, Any],
    public: Iterable[str],
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``(__getattr__, __dir__)`` pair for ``package``.

    Args:
        package: The package's ``__name__``, for the error message.
        exports: Public name -> the module that defines it.
        namespace: The package's ``globals()``, where resolved values are stored.
        public: The package's ``__all__``.
    """
    listed = frozenset(public)

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value  # later look-ups skip this function
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | listed)

    return __getattr__, __dir__
