"""Nodes and pipelines: plain functions wired together by dataset name.

``node()`` wraps a function with the names of the datasets it reads and writes;
``Pipeline`` orders nodes by those names, slices and combines them; ``pipeline()``
reuses a pipeline under a namespace with renamed connections. Importing this package
costs no third-party import.

Example:
    >>> from ordino.pipeline import Pipeline, node, pipeline
    >>> p = Pipeline([node(len, "words", "count", name="count")])
    >>> pipeline(p, namespace="en").inputs()
    {'en.words'}
"""

from __future__ import annotations

from ordino.errors import (
    CircularDependencyError,
    ConfirmNotUniqueError,
    DuplicateNodeNameError,
    EmptyPipelineError,
    ModularPipelineError,
    OutputNotUniqueError,
    PipelineError,
    TranscodingError,
    UnknownNameError,
)
from ordino.pipeline.grouping import GroupedNodes
from ordino.pipeline.namespace import pipeline as _pipeline_function
from ordino.pipeline.node import Node, node
from ordino.pipeline.pipeline import Pipeline

# Importing the submodule ``ordino.pipeline.pipeline`` sets the package attribute
# ``pipeline`` to that module; bind the function last so that it wins.
pipeline = _pipeline_function

__all__ = [
    "CircularDependencyError",
    "ConfirmNotUniqueError",
    "DuplicateNodeNameError",
    "EmptyPipelineError",
    "GroupedNodes",
    "ModularPipelineError",
    "Node",
    "OutputNotUniqueError",
    "Pipeline",
    "PipelineError",
    "TranscodingError",
    "UnknownNameError",
    "node",
    "pipeline",
]
