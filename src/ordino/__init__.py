"""ordino: order for data and machine-learning workflows.

The top-level package is deliberately cheap to import: the public names below are
resolved lazily on first access, so ``ordino --version`` and ``import ordino.pipeline``
do not pay for the catalog, the config loader or the runners.

Example:
    >>> from ordino import node, Pipeline
    >>> p = Pipeline([node(lambda x: x + 1, "a", "b", name="inc")])
    >>> p.inputs(), p.outputs()
    ({'a'}, {'b'})
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_LAZY_EXPORTS: dict[str, str] = {
    "OrdinoError": "ordino.errors",
    "node": "ordino.pipeline",
    "Node": "ordino.pipeline",
    "Pipeline": "ordino.pipeline",
    "pipeline": "ordino.pipeline",
    "GroupedNodes": "ordino.pipeline",
    "DataCatalog": "ordino.io",
    "AbstractDataset": "ordino.io",
    "MemoryDataset": "ordino.io",
    "OmegaConfigLoader": "ordino.config",
    "SequentialRunner": "ordino.runner",
    "ThreadRunner": "ordino.runner",
    "ParallelRunner": "ordino.runner",
}

__all__ = ["__version__", *_LAZY_EXPORTS]


def __getattr__(name: str) -> Any:
    module_name = _LAZY_EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'ordino' has no attribute {name!r}")
    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
