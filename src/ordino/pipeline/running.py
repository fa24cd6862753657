"""Running a node: feeding it its inputs and checking what it returns.

``Node.run`` and ``Node.run_chunks`` are thin doors into this module, which holds
everything that depends on the data rather than on the declaration: the input keys
a run was handed, the shape of the returned value and, for generator functions, the
chunk-by-chunk stream (see ``node.py`` for the shapes). Keeping it apart leaves
``node.py`` with building and identity, and gives the runners one place to read.

Reads the node's private fields (``_func``, ``_inputs``, ``_outputs``,
``_input_names``, ``_output_names``, ``_full_name``) and never changes them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from types import GeneratorType
from typing import TYPE_CHECKING, Any

from ordino.errors import NodeError, NodeOutputError
from ordino.pipeline.declaration import a_type, quoted
from ordino.suggest import closest_matches

if TYPE_CHECKING:
    from ordino.pipeline.node import Node

__all__ = ["run_node", "run_node_chunks"]


def run_node(node: Node, inputs: Mapping[str, Any] | None) -> dict[str, Any]:
    """What :meth:`Node.run` returns: outputs by name, lazy for a generator."""
    result = _call(node, inputs)
    if isinstance(result, GeneratorType):
        return _lazy_outputs(node, result)
    return _map_outputs(node, result, None)


def run_node_chunks(
    node: Node, inputs: Mapping[str, Any] | None
) -> Iterator[dict[str, Any]]:
    """What :meth:`Node.run_chunks` returns: one checked dict per chunk."""
    result = _call(node, inputs)
    if not isinstance(result, GeneratorType):
        return iter((_map_outputs(node, result, None),))
    return (_map_outputs(node, c, i) for i, c in enumerate(result, start=1))


def _call(node: Node, inputs: Mapping[str, Any] | None) -> Any:
    if inputs is None:
        inputs = {}
    elif not isinstance(inputs, Mapping):
        raise NodeError(
            f"Node '{node._full_name}': run() takes a dict of input name to value, "
            f"not {a_type(inputs)}.",
            node=node._full_name,
            hint=f"Call it as node.run({{name: value}}) for {node._input_names}.",
        )
    names = node._input_names
    if len(inputs) != len(set(names)) or any(n not in inputs for n in names):
        raise _inputs_mismatch(node, inputs)
    raw = node._inputs
    func = node._func
    if not raw:
        return func()
    if isinstance(raw, str):
        return func(inputs[raw])
    if isinstance(raw, list):
        return func(*[inputs[n] for n in raw])
    return func(**{arg: inputs[ds] for arg, ds in raw.items()})


def _inputs_mismatch(node: Node, inputs: Mapping[str, Any]) -> NodeError:
    declared = node._input_names
    missing = [n for n in dict.fromkeys(declared) if n not in inputs]
    unexpected = sorted(str(k) for k in inputs if k not in set(declared))
    problems = []
    if missing:
        problems.append(f"missing {quoted(missing)}")
    if unexpected:
        problems.append(f"unexpected {quoted(unexpected)}")
    suggestions = closest_matches(missing[0], unexpected) if missing else ()
    return NodeError(
        f"Node '{node._full_name}' expects the inputs "
        f"{quoted(dict.fromkeys(declared))} but was given "
        f"{quoted(sorted(map(str, inputs)))}: {', '.join(problems)}.",
        node=node._full_name,
        missing=tuple(missing),
        unexpected=tuple(unexpected),
        suggestions=suggestions,
        hint="Pass exactly the node's inputs, keyed by dataset name.",
    )


def _map_outputs(node: Node, result: Any, chunk: int | None) -> dict[str, Any]:
    raw = node._outputs
    if isinstance(raw, str):
        return {raw: result}
    if not raw:
        return {}
    if isinstance(raw, dict):
        if not isinstance(result, Mapping):
            raise _output_error(
                node, chunk, a_type(result), f"a dict with the keys {quoted(raw)}"
            )
        if len(result) != len(raw) or any(k not in result for k in raw):
            missing = [k for k in raw if k not in result]
            extra = [k for k in result if k not in raw]
            problems = [f"missing {quoted(missing)}"] if missing else []
            problems += [f"unexpected {quoted(extra)}"] if extra else []
            raise _output_error(
                node,
                chunk,
                f"a dict with the keys {quoted(result)} ({', '.join(problems)})",
                f"a dict with the keys {quoted(raw)}",
            )
        return {ds: result[key] for key, ds in raw.items()}
    if not isinstance(result, (list, tuple)):
        raise _output_error(
            node,
            chunk,
            a_type(result),
            f"a list or tuple of {len(raw)} values for {quoted(raw)}",
        )
    if len(result) != len(raw):
        raise _output_error(
            node,
            chunk,
            f"{len(result)} value{'' if len(result) == 1 else 's'}",
            f"{len(raw)} values for {quoted(raw)}",
        )
    return dict(zip(raw, result))


def _output_error(
    node: Node, chunk: int | None, got: str, expected: str
) -> NodeOutputError:
    did = "returned" if chunk is None else f"yielded, as chunk {chunk},"
    return NodeOutputError(
        f"Node '{node._full_name}' {did} {got}, but its outputs are declared as "
        f"{node._outputs!r}, which needs {expected}.",
        node=node._full_name,
        expected=expected,
        got=got,
        hint="Make the function return that shape, or change the node's outputs.",
    )


def _lazy_outputs(node: Node, chunks: Iterator[Any]) -> dict[str, Any]:
    raw = node._outputs
    if isinstance(raw, str):
        return {raw: chunks}
    if not raw:
        for _ in chunks:  # run it for its side effects; see node.py's docstring
            pass
        return {}
    checked = (_map_outputs(node, c, i) for i, c in enumerate(chunks, start=1))
    first = next(checked, None)
    stream: Iterator[dict[str, Any]] = (
        itertools.chain((first,), checked) if first is not None else iter(())
    )
    copies = itertools.tee(stream, len(node._output_names))
    return {name: _pick(copy, name) for name, copy in zip(node._output_names, copies)}


def _pick(chunks: Iterator[dict[str, Any]], name: str) -> Iterator[Any]:
    return (chunk[name] for chunk in chunks)
