"""Nodes: a function plus the names of the datasets it reads and writes.

``node()`` checks everything it can when the node is built (the function is callable,
the inputs bind to its signature, names are well formed, no output is also an input),
so that a broken pipeline fails where it is written rather than hours into a run.
``Node.run`` then only has to check what depends on the data: the input keys it was
handed and the shape of what the function returned.

Shapes, as in Kedro 1.x:

* inputs: ``None`` (no arguments), ``"a"`` (one positional argument), ``["a", "b"]``
  (positional, in order) or ``{"x": "a"}`` (bound by parameter name);
* outputs: ``None`` (the return value is dropped), ``"a"`` (the whole return value),
  ``["a", "b"]`` (a list or tuple of that length, unpacked in order) or
  ``{"key": "a"}`` (a mapping returned by the function, taken key by key).

The shapes the user gave are kept as they are (``_inputs``, ``_outputs``,
``_confirms``) because equality and ``repr`` follow them; the flat name tuples
(``_input_names``, ``_output_names``, ``_confirm_names``) are computed once.

Generator functions (Kedro 1.x): a function that returns a generator produces its
outputs chunk by chunk, and a runner saves every chunk as it comes, so the whole
output never has to be in memory. Each yielded chunk has the shape the outputs
declare. ``Node.run_chunks`` is the way a runner consumes that: it yields one
``{output name: chunk}`` dict per chunk (a single dict for an ordinary function).
``Node.run`` keeps Kedro's return value: for a generator, each output name maps to a
lazy iterator over its chunks.

Where ordino deliberately differs from Kedro:

* a generator node without outputs is still run to its end (Kedro never starts it);
* dataset names may contain dots anywhere (Kedro rejects ``a.b`` outside a matching
  namespace), but not whitespace, ``,`` or ``;``: those make the default node name
  ambiguous and cannot be given to ``--from-inputs`` / ``--to-outputs``;
* the default name of a ``functools.partial`` or a callable object uses the wrapped
  function's or the class's name, never an address or ``<partial>``, so it is stable
  across processes;
* tuples are accepted wherever Kedro takes a list of names.

For ``ordino.pipeline`` itself (read-only, never mutate): ``_input_names``,
``_output_names``, ``_confirm_names`` (tuples, no copying), ``_tags`` (frozenset),
``_name`` (the name given, or None) and the copy helpers ``_copy`` and ``_rename``,
which skip the signature check when only names change. Binding lives in
``signature.py``, the argument checks in ``declaration.py`` and running (input
keys, output shapes, generator chunks) in ``running.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from types import FunctionType
from typing import Any

from ordino.errors import NodeError, NodeSignatureError
from ordino.pipeline.declaration import (
    DatasetNames,
    check_callable,
    check_confirms,
    check_dataset_names,
    check_name,
    check_shape,
    node_label,
    plain_names,
    quoted,
    tag_set,
)
from ordino.pipeline.running import run_node, run_node_chunks
from ordino.pipeline.signature import bind, fits_positionally, readable_func_name
from ordino.pipeline.transcoding import TRANSCODING_SEPARATOR, split_transcoding

__all__ = ["Node", "node"]


_NO_TAGS: frozenset[str] = frozenset()
_COPY_KEYS = frozenset(
    {"func", "inputs", "outputs", "name", "tags", "confirms", "namespace"}
)


class _Keep:
    """Marks an argument of :meth:`Node._rename` that stays as it is."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<keep>"


_KEEP: Any = _Keep()


# -- shapes ---------------------------------------------------------------------------


def _same_binding(old: DatasetNames, new: DatasetNames) -> bool:
    """Whether ``new`` binds to a function exactly as ``old`` does (names aside)."""
    if isinstance(old, dict) and old:
        return isinstance(new, dict) and new.keys() == old.keys()
    if isinstance(new, dict) and new:
        return False
    return _positions(old) == _positions(new)


def _positions(names: DatasetNames) -> int:
    if not names:
        return 0
    return 1 if isinstance(names, str) else len(names)


def _hashable(shape: DatasetNames) -> Any:
    # Kedro compares the shapes as given: a dict regardless of order, a list in order.
    if isinstance(shape, dict):
        return tuple(sorted(shape.items(), key=repr))
    if isinstance(shape, list):
        return tuple(shape)
    return shape


def _bracketed(names: tuple[str, ...]) -> str:
    return f"[{';'.join(names)}]" if names else "None"


# -- the node -------------------------------------------------------------------------


class Node:
    """A function bound to named inputs and outputs: one step of a pipeline.

    Build nodes with :func:`node`; see there for the arguments. Nodes are immutable
    values: :meth:`tag` and the pipeline's renaming return new nodes.

    Two nodes are equal when their full names and the declared input and output
    shapes are equal (the function and the tags are not compared, as in Kedro). The
    hash is the full name's, which ``str`` caches: nodes are cheap dictionary keys,
    and a node sent to another process hashes the same there.

    Example:
        >>> n = Node(lambda a, b: a + b, ["x", "y"], "total", name="add")
        >>> n.run({"x": 1, "y": 2})
        {'total': 3}
        >>> str(n)
        'add: <lambda>([x;y]) -> [total]'
    """

    __slots__ = (
        "_bind_order",
        "_confirm_names",
        "_confirms",
        "_full_name",
        "_func",
        "_input_names",
        "_inputs",
        "_name",
        "_namespace",
        "_output_names",
        "_outputs",
        "_tags",
    )

    _func: Callable[..., Any]
    _inputs: DatasetNames
    _outputs: DatasetNames
    _confirms: str | list[str] | None
    _name: str | None
    _namespace: str | None
    _tags: frozenset[str]
    _input_names: tuple[str, ...]
    _output_names: tuple[str, ...]
    _confirm_names: tuple[str, ...]
    _bind_order: tuple[str, ...] | None
    _full_name: str

    def __init__(
        self,
        func: Callable[..., Any],
        inputs: DatasetNames | tuple[str, ...],
        outputs: DatasetNames | tuple[str, ...],
        *,
        name: str | None = None,
        tags: str | Iterable[str] | None = None,
        confirms: str | list[str] | tuple[str, ...] | None = None,
        namespace: str | None = None,
    ) -> None:
        # The common shapes are unpacked inline and all names checked in one go:
        # this constructor runs for every node of every pipeline.
        if type(func) is FunctionType:
            func_name = func.__name__
        else:
            func_name = check_callable(func, name)
        if type(inputs) is str:
            raw_in: DatasetNames = inputs
            in_names: tuple[str, ...] = (inputs,)
        elif type(inputs) is list:
            raw_in = inputs[:]
            in_names = tuple(raw_in)
        else:
            raw_in, in_names = check_shape(inputs, "inputs", name, func, validate=False)
        if type(outputs) is str:
            raw_out: DatasetNames = outputs
            out_names: tuple[str, ...] = (outputs,)
        elif type(outputs) is list:
            raw_out = outputs[:]
            out_names = tuple(raw_out)
        else:
            raw_out, out_names = check_shape(
                outputs, "outputs", name, func, validate=False
            )
        transcoded = not plain_names(in_names + out_names)
        if transcoded:  # or a bad name, which these raise for
            check_dataset_names(in_names, inputs, "inputs", name, func)
            check_dataset_names(out_names, outputs, "outputs", name, func)
        raw_confirms: str | list[str] | None = None
        confirm_names: tuple[str, ...] = ()
        if confirms is not None:
            raw_confirms, confirm_names = check_confirms(confirms, name, func)
        if not in_names and not out_names:
            raise NodeError(
                f"{node_label(name, func)} has neither inputs nor outputs, so a "
                "pipeline could never order or run it.",
                node=name,
                hint="Give it inputs or outputs: node(func, inputs, outputs).",
            )
        if name is not None or namespace is not None:
            check_name(name, namespace)
        frozen_tags = _NO_TAGS if tags is None else tag_set(tags, (), name or func_name)
        order: tuple[str, ...] | None = None
        if type(raw_in) is not dict and type(func) is FunctionType:
            problem = None
            if not fits_positionally(func, len(in_names)):
                problem = bind(func, raw_in, func_name)[1]
        else:
            order, problem = bind(func, raw_in, func_name)
            if isinstance(raw_in, dict):
                in_names = tuple(raw_in[k] for k in order or raw_in)
        self._setup(
            func,
            raw_in,
            raw_out,
            raw_confirms,
            name,
            namespace,
            frozen_tags,
            in_names,
            out_names,
            confirm_names,
            order,
            func_name,
        )
        if problem is not None:
            raise NodeSignatureError(
                f"Node '{self._full_name}': inputs {quoted(in_names)} do not fit "
                f"the function: {problem.message}.",
                node=self._full_name,
                hint=problem.hint,
                suggestions=problem.suggestions,
            )
        self._check_datasets(transcoded)

    def _setup(
        self,
        func: Callable[..., Any],
        inputs: DatasetNames,
        outputs: DatasetNames,
        confirms: str | list[str] | None,
        name: str | None,
        namespace: str | None,
        tags: frozenset[str],
        input_names: tuple[str, ...],
        output_names: tuple[str, ...],
        confirm_names: tuple[str, ...],
        bind_order: tuple[str, ...] | None,
        func_name: str | None = None,
    ) -> None:
        self._func = func
        self._inputs = inputs
        self._outputs = outputs
        self._confirms = confirms
        self._name = name
        self._namespace = namespace
        self._tags = tags
        self._input_names = input_names
        self._output_names = output_names
        self._confirm_names = confirm_names
        self._bind_order = bind_order
        if name is None:
            if func_name is None:
                func_name = readable_func_name(func)
            ins = "[" + ";".join(input_names) + "]" if input_names else "None"
            outs = "[" + ";".join(output_names) + "]" if output_names else "None"
            name = f"{func_name}({ins}) -> {outs}"
        self._full_name = f"{namespace}.{name}" if namespace else name

    def _check_datasets(self, transcoded: bool | None = None) -> None:
        outputs = self._output_names
        if len(outputs) > 1 and len(set(outputs)) != len(outputs):
            twice = sorted({o for o in outputs if outputs.count(o) > 1})
            raise NodeError(
                f"Node '{self._full_name}' declares the output"
                f"{'s' if len(twice) > 1 else ''} {quoted(twice)} more than once.",
                node=self._full_name,
                dataset=twice[0],
                hint="Each output must be written to its own dataset name.",
            )
        inputs = self._input_names
        if not inputs or not outputs:
            return
        if transcoded is None:
            transcoded = TRANSCODING_SEPARATOR in "".join(inputs) + "".join(outputs)
        if transcoded:
            written = {_base(o): o for o in outputs}
            clash = next((i for i in inputs if _base(i) in written), None)
        elif (
            outputs[0] not in inputs
            if len(outputs) == 1  # the common case, without building a set
            else set(outputs).isdisjoint(inputs)
        ):
            clash = None
        else:
            clash = next(i for i in inputs if i in outputs)
            written = {clash: clash}
        if clash is not None:
            output = written[_base(clash)]
            same = "the same dataset" if clash == output else f"'{output}', both"
            raise NodeError(
                f"Node '{self._full_name}' reads '{clash}' and writes {same}"
                + (f" dataset '{_base(clash)}'." if clash != output else ".")
                + (
                    " Transcoded names ('x@pandas', 'x@spark') are one dataset."
                    if clash != output
                    else ""
                ),
                node=self._full_name,
                dataset=_base(clash),
                hint="A node cannot overwrite its own input: write to a new dataset.",
            )

    # -- copies, for tag() and for the pipeline's renaming ---------------------------

    def _copy(self, **overrides: Any) -> Node:
        """Return a copy with some of :func:`node`'s arguments replaced.

        Takes the keywords ``func``, ``inputs``, ``outputs``, ``name``, ``tags``,
        ``confirms``, ``namespace`` (passing ``None`` clears that argument). ``tags``
        replaces the tags (use :meth:`tag` to add).

        When the function stays the same and the new inputs bind the same way (the
        same number of positional names, or a dict with the same keys), the
        signature is not checked again: renaming datasets, namespacing and tagging
        cost a few dictionary operations per node. Names, tags, duplicate outputs
        and inputs that are also outputs are still checked.
        """
        unknown = overrides.keys() - _COPY_KEYS
        if unknown:
            raise TypeError(
                f"Node._copy() got unknown arguments {sorted(unknown)}; it takes "
                f"{sorted(_COPY_KEYS)}."
            )
        func = overrides.get("func", self._func)
        inputs = overrides.get("inputs", self._inputs)
        if func is not self._func or not _same_binding(self._inputs, inputs):
            return type(self)(
                func,
                inputs,
                overrides.get("outputs", self._outputs),
                name=overrides.get("name", self._name),
                tags=overrides.get("tags", self._tags),
                confirms=overrides.get("confirms", self._confirms),
                namespace=overrides.get("namespace", self._namespace),
            )
        return self._copy_names(
            inputs,
            overrides.get("outputs", self._outputs),
            overrides.get("confirms", self._confirms),
            overrides.get("name", self._name),
            overrides.get("namespace", self._namespace),
            overrides.get("tags", self._tags),
        )

    def _rename(
        self,
        rename_dataset: Callable[[str], str],
        *,
        name: str | None = _KEEP,
        namespace: str | None = _KEEP,
        tags: Iterable[str] = _KEEP,
    ) -> Node:
        """Return a copy with every dataset name passed through ``rename_dataset``.

        This is what ``pipeline()`` needs to namespace and remap a node: inputs,
        outputs and confirms are all renamed, each keeping its shape (a str stays a
        str, a list a list in the same order, a dict keeps its keys and renames its
        values). ``name``, ``namespace`` and ``tags`` replace the node's own when
        given (``None`` clears them); left out, they stay.

        The function is not re-inspected (see :meth:`_copy`); the renamed node is
        still checked for duplicate outputs and for an input that became an output.

        Example:
            >>> n = node(lambda x: x, "a", "b", name="f")
            >>> m = n._rename(lambda d: f"ns.{d}", namespace="ns")
            >>> m.name, m.inputs, m.outputs
            ('ns.f', ['ns.a'], ['ns.b'])
        """
        return self._copy_names(
            _rename_shape(self._inputs, rename_dataset),
            _rename_shape(self._outputs, rename_dataset),
            _rename_shape(self._confirms, rename_dataset),  # type: ignore[arg-type]  # a dict never gets here
            self._name if name is _KEEP else name,
            self._namespace if namespace is _KEEP else namespace,
            self._tags if tags is _KEEP else tags,
        )

    def _copy_names(
        self,
        inputs: DatasetNames,
        outputs: DatasetNames,
        confirms: str | list[str] | None,
        name: str | None,
        namespace: str | None,
        tags: Iterable[str],
    ) -> Node:
        if name != self._name or namespace != self._namespace:
            check_name(name, namespace)
        func = self._func
        if inputs is self._inputs:
            in_names = self._input_names
        elif type(inputs) is list:
            inputs = inputs[:]
            in_names = tuple(inputs)
        elif type(inputs) is str:
            in_names = (inputs,)
        else:
            inputs, in_names = check_shape(inputs, "inputs", name, func, validate=False)
            if isinstance(inputs, dict) and self._bind_order is not None:
                in_names = tuple(inputs[k] for k in self._bind_order)
        if outputs is self._outputs:
            out_names = self._output_names
        elif type(outputs) is list:
            outputs = outputs[:]
            out_names = tuple(outputs)
        elif type(outputs) is str:
            out_names = (outputs,)
        else:
            outputs, out_names = check_shape(
                outputs, "outputs", name, func, validate=False
            )
        transcoded = not plain_names(in_names + out_names)
        if transcoded:  # or a bad name, which these raise for
            check_dataset_names(in_names, inputs, "inputs", name, func)
            check_dataset_names(out_names, outputs, "outputs", name, func)
        if confirms is self._confirms:
            confirm_names = self._confirm_names
        else:
            confirms, confirm_names = check_confirms(confirms, name, self._func)
        frozen_tags = self._tags
        if tags is not self._tags:
            frozen_tags = tag_set(tags, self._tags, name or self._full_name)
        new = object.__new__(type(self))
        new._setup(
            self._func,
            inputs,
            outputs,
            confirms,
            name,
            namespace,
            frozen_tags,
            in_names,
            out_names,
            confirm_names,
            self._bind_order,
        )
        if inputs is not self._inputs or outputs is not self._outputs:
            new._check_datasets(transcoded)
        return new

    # -- identity ----------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Node):
            return NotImplemented
        return (
            self._full_name == other._full_name
            and _hashable(self._inputs) == _hashable(other._inputs)
            and _hashable(self._outputs) == _hashable(other._outputs)
        )

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Node):
            return NotImplemented
        mine = (self._full_name, self._input_names, self._output_names)
        return mine < (other._full_name, other._input_names, other._output_names)

    def __hash__(self) -> int:
        # Equal nodes have equal names, so the name alone is a valid hash; str
        # caches its own hash, and nothing here depends on the process's hash seed.
        return hash(self._full_name)

    def __str__(self) -> str:
        prefix = f"{self._name}: " if self._name else ""
        return (
            f"{prefix}{readable_func_name(self._func)}"
            f"({_bracketed(self._input_names)}) -> {_bracketed(self._output_names)}"
        )

    def __repr__(self) -> str:
        return (
            f"Node({readable_func_name(self._func)}, {self._inputs!r}, "
            f"{self._outputs!r}, {self._name!r})"
        )

    # -- public attributes -------------------------------------------------------------

    @property
    def func(self) -> Callable[..., Any]:
        """The function the node runs."""
        return self._func

    @func.setter
    def func(self, func: Callable[..., Any]) -> None:
        # Hooks may wrap the function. The node keeps its name, inputs and hash (so
        # it stays the same dictionary key); the wrapper must accept the inputs.
        func_name = check_callable(func, self._full_name)
        _, problem = bind(func, self._inputs, func_name)
        if problem is not None:
            raise NodeSignatureError(
                f"Node '{self._full_name}': the new function does not fit its inputs "
                f"{quoted(self._input_names)}: {problem.message}.",
                node=self._full_name,
                hint=problem.hint,
                suggestions=problem.suggestions,
            )
        self._func = func

    @property
    def name(self) -> str:
        """The full name: ``<namespace>.<name>``, the name defaulting to ``str(node)``.

        The default is built from the function's name and the dataset names, so it is
        the same in every process and differs between nodes with different outputs.
        """
        return self._full_name

    @property
    def short_name(self) -> str:
        """A readable label: the given name without namespace, or the function's name
        in title case (``clean_data`` -> ``Clean Data``). Not unique."""
        if self._name:
            return self._name
        return readable_func_name(self._func).replace("_", " ").title()

    @property
    def namespace(self) -> str | None:
        """The dotted namespace, outermost first, or None."""
        return self._namespace

    @property
    def tags(self) -> set[str]:
        """The node's tags (a copy: change them with :meth:`tag`)."""
        return set(self._tags)

    def tag(self, tags: str | Iterable[str]) -> Node:
        """Return a copy of this node with ``tags`` added to its tags."""
        added = tag_set(tags, self._tags, self._full_name)
        return self._copy(tags=self._tags | added)

    @property
    def inputs(self) -> list[str]:
        """Input dataset names, in the order they bind to the function's parameters."""
        return list(self._input_names)

    @property
    def outputs(self) -> list[str]:
        """Output dataset names, in the declared order."""
        return list(self._output_names)

    @property
    def confirms(self) -> list[str]:
        """Datasets whose ``confirm()`` the runner calls after a successful run."""
        return list(self._confirm_names)

    # -- running -----------------------------------------------------------------------

    def __call__(self, **inputs: Any) -> dict[str, Any]:
        return self.run(inputs)

    def run(self, inputs: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Call the function with ``inputs`` and return its outputs by dataset name.

        Args:
            inputs: One value per input dataset name, no more, no fewer.

        Returns:
            ``{output name: value}`` in the declared order; ``{}`` when the node
            declares no outputs (a returned value is dropped, as in Kedro). When the
            function returns a generator, each output name maps to a lazy iterator
            over its chunks (with several outputs, the first chunk is drawn and
            checked at once); runners should use :meth:`run_chunks` instead, which
            does not buffer chunks of one output while another is being saved.

        Raises:
            NodeError: ``inputs`` misses a declared input or has an unexpected one.
            NodeOutputError: The function's result does not match the outputs.
            Exception: Whatever the function raises, unchanged.
        """
        return run_node(self, inputs)

    def run_chunks(
        self, inputs: Mapping[str, Any] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Run the node and iterate over its outputs, one dict per saved chunk.

        The function is called at once (so input errors and the function's own
        errors raise here). For an ordinary function the iterator gives one dict,
        the same as :meth:`run`. For a function that returns a generator it gives one
        ``{output name: chunk}`` dict per yielded item, checked against the declared
        outputs as it comes, so a runner can save each chunk and forget it::

            for chunk in node.run_chunks(loaded):
                for name, value in chunk.items():
                    catalog.save(name, value)

        A node without outputs gives ``{}`` per chunk: the generator is still run to
        its end, for its side effects.
        """
        return run_node_chunks(self, inputs)


def _base(name: str) -> str:
    if TRANSCODING_SEPARATOR in name:
        return split_transcoding(name)[0]
    return name


def _rename_shape(shape: DatasetNames, rename: Callable[[str], str]) -> DatasetNames:
    if shape is None:
        return None
    if isinstance(shape, str):
        return rename(shape)
    if isinstance(shape, list):
        return [rename(n) for n in shape]
    return {key: rename(n) for key, n in shape.items()}


# -- the constructor function ----------------------------------------------------------


def node(
    func: Callable[..., Any],
    inputs: DatasetNames | tuple[str, ...],
    outputs: DatasetNames | tuple[str, ...],
    *,
    name: str | None = None,
    tags: str | Iterable[str] | None = None,
    confirms: str | list[str] | tuple[str, ...] | None = None,
    namespace: str | None = None,
) -> Node:
    """Create a node: ``func`` called with the ``inputs`` datasets, writing ``outputs``.

    Args:
        func: Any callable: a function, lambda, ``functools.partial``, bound method,
            class or callable object. A generator function writes its outputs chunk
            by chunk (see :meth:`Node.run_chunks`).
        inputs: ``None``, a dataset name, a list of names (passed by position) or a
            dict of parameter name to dataset name (passed by keyword). Parameters
            with defaults may be left out; ``params:x`` names are ordinary inputs.
        outputs: ``None``, a dataset name (the whole return value), a list of names
            (the function returns a list or tuple of that length) or a dict of
            returned key to dataset name (the function returns a dict).
        name: Optional name of letters, digits, ``_``, ``-`` and ``.``; defaults to
            ``func([inputs]) -> [outputs]``.
        tags: A tag or tags (same characters as names), used to select nodes.
        confirms: Dataset name(s) whose ``confirm()`` runs after the node succeeds.
        namespace: Optional dotted namespace; the node's full name is
            ``<namespace>.<name>``.

    Returns:
        The node.

    Raises:
        NodeError: A malformed argument (not callable, bad name or tag, duplicate
            outputs, an input that is also an output, no inputs nor outputs).
        NodeSignatureError: The inputs cannot be bound to the function's parameters.

    Example:
        >>> def split(data):
        ...     return data[:2], data[2:]
        >>> n = node(split, "numbers", ["head", "tail"], tags="demo")
        >>> n.run({"numbers": [1, 2, 3]})
        {'head': [1, 2], 'tail': [3]}
        >>> n.name
        'split([numbers]) -> [head;tail]'
    """
    return Node(
        func,
        inputs,
        outputs,
        name=name,
        tags=tags,
        confirms=confirms,
        namespace=namespace,
    )
