"""Import a dataset's library when it is first needed, with the fix when absent.

Dataset modules never import pandas, polars, matplotlib... at module level: a catalog
of a thousand entries must build without paying for libraries that no node touches.
They call :func:`require` from inside the methods that need the library instead.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from ordino.errors import MissingDependencyError

__all__ = ["require"]


def require(module: str, *, extra: str, dataset: str) -> ModuleType:
    """Import ``module`` or say exactly which pip command installs it.

    Args:
        module: The import name, for example ``"pandas"`` or ``"sqlalchemy"``.
        extra: The ordino extra that brings it, for example ``"pandas"``.
        dataset: The dataset class that needs it, named in the message.

    Raises:
        MissingDependencyError: The library is not installed (or fails to import);
            ``.install`` holds the command that fixes it.
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        install = f'pip install "ordino[{extra}]"'
        raise MissingDependencyError(
            f"{dataset} needs the '{module}' library, which cannot be imported "
            f"({type(exc).__name__}: {exc}).",
            hint=f"Install it with: {install}",
            install=install,
        ) from exc
