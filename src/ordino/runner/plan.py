"""Everything a run needs to know about its pipeline, computed once, in linear time.

A ``RunPlan`` numbers the nodes (the scheduler works on ints), records each node's
predecessors, and counts how many nodes read each dataset so that releasing a dataset
after its last reader costs a decrement per input instead of the rescan of the whole
pipeline that makes Kedro's runners quadratic.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ordino.errors import MissingInputsError
from ordino.suggest import closest_matches

if TYPE_CHECKING:
    from ordino.pipeline import Node, Pipeline

__all__ = ["RunPlan", "check_inputs", "is_ephemeral"]


class RunPlan:
    """The nodes of a run, numbered in topological order, and their bookkeeping.

    Attributes:
        nodes: The nodes, topologically sorted; a node's number is its index.
        predecessors: For each node, the numbers of the nodes it depends on.
        successors: For each node, the numbers of the nodes that depend on it.
        reads: For each node, its distinct inputs.
        readers: For each dataset, how many nodes read it.
        releasable: Datasets to release after their last reader: everything read
            except the pipeline's own inputs (which belong to whoever provided
            them, as in Kedro).
        inputs: The pipeline's free inputs. outputs: its free outputs.
    """

    __slots__ = (
        "_producers",
        "inputs",
        "nodes",
        "outputs",
        "predecessors",
        "readers",
        "reads",
        "releasable",
        "runtime",
        "successors",
    )

    def __init__(self, pipeline: Pipeline) -> None:
        self.nodes: list[Node] = list(pipeline.nodes)
        # Predecessors from who writes what, by number: no set of nodes per node
        # and no hashing of nodes (measurable at 100,000 nodes). A dataset has one
        # producer (the pipeline checks it); transcoded names share it.
        produced: dict[str, int] = {}
        for i, node in enumerate(self.nodes):
            for name in node.outputs:
                produced[_base(name)] = i
        self._producers = produced
        #: Each node's distinct inputs (a dataset bound to two parameters counts once).
        self.reads: list[tuple[str, ...]] = [
            tuple(dict.fromkeys(node.inputs)) for node in self.nodes
        ]
        find = produced.get
        predecessors: list[tuple[int, ...]] = []
        for names in self.reads:
            found = [p for p in map(find, map(_base, names)) if p is not None]
            predecessors.append(tuple(dict.fromkeys(found)) if found else ())
        self.predecessors = predecessors
        successors: list[list[int]] = [[] for _ in predecessors]
        for i, preds in enumerate(predecessors):
            for p in preds:
                successors[p].append(i)
        self.successors = successors
        readers: dict[str, int] = {}
        get = readers.get
        for names in self.reads:
            for name in names:
                readers[name] = get(name, 0) + 1
        self.readers = readers
        self.inputs: set[str] = set(pipeline.inputs())
        self.outputs: set[str] = set(pipeline.outputs())
        self.releasable = frozenset(name for name in readers if name not in self.inputs)
        #: Datasets the catalog had no entry or pattern for (set by the runner).
        self.runtime: frozenset[str] = frozenset()

    def producers(self) -> dict[str, int]:
        """Dataset name (transcoding stripped) -> number of the node writing it."""
        return dict(self._producers)


def _base(name: str) -> str:
    return name.split("@", 1)[0] if "@" in name else name


def is_ephemeral(catalog: Any, name: str) -> bool:
    """Whether ``name`` lives only in memory for this run (lost when it ends).

    A name with no explicit catalog entry gets a ``MemoryDataset`` at run time; an
    entry whose dataset class sets ``_EPHEMERAL`` (``MemoryDataset``,
    ``SharedMemoryDataset``) is in memory too.
    """
    if name not in catalog:
        return True
    from ordino.io import MemoryDataset, SharedMemoryDataset

    dataset = catalog.get(name)
    return bool(getattr(dataset, "_EPHEMERAL", False)) or isinstance(
        dataset, MemoryDataset | SharedMemoryDataset
    )


def check_inputs(catalog: Any, inputs: Iterable[str]) -> None:
    """Raise one error naming every pipeline input the catalog cannot provide."""
    missing = sorted(name for name in inputs if name not in catalog)
    if not missing:
        return
    known = list(catalog.keys())
    lines = []
    for name in missing:
        close = closest_matches(name, known)
        guess = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
        lines.append(f"'{name}'{guess}")
    plural = "s" if len(missing) > 1 else ""
    raise MissingInputsError(
        f"The pipeline needs {len(missing)} input{plural} that the catalog does not "
        f"have: " + ", ".join(lines) + ".",
        missing=tuple(missing),
        hint=(
            "Add them to conf/base/catalog.yml (parameters to parameters.yml), pass "
            "them to the catalog, or add the nodes that produce them to the pipeline."
        ),
    )
