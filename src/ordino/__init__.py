"""ordino: order for data and machine-learning workflows.

The top-level package is deliberately cheap to import: the public names below are
resolved lazily on first access, so ``ordino --version`` and ``import ordino.pipeline``
do not pay for the catalog, the config loader or the runners.

No exported name equals a subpackage's. A name like ``pipeline`` would be ambiguous:
once ``ordino.pipeline`` (the package) is imported, Python binds it as the attribute
``ordino.pipeline``, so ``from ordino import pipeline`` would give the package or the
function depending on import order. Import the function as Kedro users do:
``from ordino.pipeline import pipeline``.

Example:
    >>> from ordino import node, Pipeline
    >>> p = Pipeline([node(lambda x: x + 1, "a", "b", name="inc")])
    >>> p.inputs(), p.outputs()
    ({'a'}, {'b'})
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ordino._lazy import lazy_attributes

if TYPE_CHECKING:
    # What type checkers and IDEs see; at run time the same names come from
    # __getattr__ below, on first use. Keep the two lists in step (a test checks).
    from ordino.config import OmegaConfigLoader
    from ordino.errors import OrdinoError
    from ordino.io import AbstractDataset, DataCatalog, MemoryDataset
    from ordino.pipeline import GroupedNodes, Node, Pipeline

    # from the defining module: mypy confuses ``ordino.pipeline.node`` the module
    # with the function that ``ordino.pipeline`` re-exports under the same name
    from ordino.pipeline.node import node
    from ordino.runner import ParallelRunner, SequentialRunner, ThreadRunner

__version__ = "0.1.0"

# public name -> module that defines it
_LAZY_EXPORTS: dict[str, str] = {
    "OrdinoError": "ordino.errors",
    "node": "ordino.pipeline",
    "Node": "ordino.pipeline",
    "Pipeline": "ordino.pipeline",
    "GroupedNodes": "ordino.pipeline",
    "DataCatalog": "ordino.io",
    "AbstractDataset": "ordino.io",
    "MemoryDataset": "ordino.io",
    "OmegaConfigLoader": "ordino.config",
    "SequentialRunner": "ordino.runner",
    "ThreadRunner": "ordino.runner",
    "ParallelRunner": "ordino.runner",
}

__all__ = [
    "AbstractDataset",
    "DataCatalog",
    "GroupedNodes",
    "MemoryDataset",
    "Node",
    "OmegaConfigLoader",
    "OrdinoError",
    "ParallelRunner",
    "Pipeline",
    "SequentialRunner",
    "ThreadRunner",
    "__version__",
    "node",
]


__getattr__, __dir__ = lazy_attributes(__name__, _LAZY_EXPORTS, globals(), __all__)
