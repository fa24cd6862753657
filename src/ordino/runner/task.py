"""Run one node: load its inputs, call its hooks and function, save its outputs.

Used unchanged by every runner, in the main process, in threads and in worker
processes. ``io`` is anything with ``load``/``save``/``release`` by dataset name: the
catalog itself, or a worker's view of it (see ``parallel_worker``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from ordino.errors import RunnerError
from ordino.runner.hookset import RunHooks

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from ordino.pipeline import Node

__all__ = ["DataIO", "data_io", "run_node"]


class DataIO(Protocol):
    """What a task needs from a catalog.

    ``load(name, release=True)`` is a dataset's last read: the catalog releases the
    dataset, and may hand a memory dataset's object over without copying it.
    """

    def load(self, name: str, *, release: bool = False) -> Any: ...

    def save(self, name: str, data: Any) -> None: ...

    def release(self, name: str) -> None: ...


def data_io(catalog: Any) -> DataIO:
    """The catalog itself, or an adapter when its ``load`` takes no ``release``.

    Checked once per run, so a catalog written for Kedro's ``CatalogProtocol``
    works too (it just does not get the copy-free last read).
    """
    import inspect

    try:
        parameters = inspect.signature(catalog.load).parameters.values()
    except (TypeError, ValueError):
        return _PlainLoad(catalog)
    if any(p.name == "release" or p.kind is p.VAR_KEYWORD for p in parameters):
        return catalog  # type: ignore[no-any-return] # the catalog is untyped (Any)
    return _PlainLoad(catalog)


class _PlainLoad:
    __slots__ = ("_catalog",)

    def __init__(self, catalog: Any) -> None:
        self._catalog = catalog

    def load(self, name: str, *, release: bool = False) -> Any:
        data = self._catalog.load(name)
        if release:
            self._catalog.release(name)
        return data

    def save(self, name: str, data: Any) -> None:
        self._catalog.save(name, data)

    def release(self, name: str) -> None:
        self._catalog.release(name)


def run_node(
    node: Node,
    io: DataIO,
    hooks: RunHooks,
    *,
    catalog: Any,
    run_id: str | None,
    io_pool: Executor | None = None,
    release_after_load: Collection[str] = (),
) -> None:
    """Run ``node`` once, saving its outputs through ``io``.

    Args:
        node: The node to run.
        io: Loads and saves by dataset name.
        hooks: The run's hooks.
        catalog: What hooks receive as ``catalog``.
        run_id: What hooks receive as ``run_id``.
        io_pool: When given (``is_async=True``), loads and saves run on it.
        release_after_load: Inputs no other node will read: loaded with
            ``release=True``, so a chain of large in-memory values is handed
            from node to node without copies.
    """
    is_async = io_pool is not None
    inputs: dict[str, Any] = {}
    try:
        if io_pool is not None:
            _load_async(node, io, hooks, inputs, io_pool, release_after_load)
        else:
            _load(node, io, hooks, inputs, release_after_load)
        if hooks.before_node_run is not None:
            inputs = _replaced_inputs(node, hooks, inputs, catalog, is_async, run_id)
        outputs = node.run(inputs)
        if hooks.after_node_run is not None:
            # The hooks get their own dict: saving below empties ``outputs`` (see
            # ``_save``), and a hook may keep what it is given. Once the call
            # returns only a hook that kept the dict still holds the values, so a
            # large array is stored without a copy unless a hook really kept it.
            hooks.after_node_run(
                node=node,
                catalog=catalog,
                inputs=inputs,
                outputs=dict(outputs),
                is_async=is_async,
                run_id=run_id,
            )
        # The function's inputs are no longer needed: drop them before saving so a
        # chain of large values never holds input, output and saved copy at once.
        inputs = {}
        _save(node, io, hooks, outputs, io_pool)
    except Exception as error:
        if hooks.on_node_error is not None:
            hooks.on_node_error(
                error=error,
                node=node,
                catalog=catalog,
                inputs=inputs,
                is_async=is_async,
                run_id=run_id,
            )
        raise


def _load(
    node: Node,
    io: DataIO,
    hooks: RunHooks,
    inputs: dict[str, Any],
    last_reads: Collection[str],
) -> None:
    before, after = hooks.before_dataset_loaded, hooks.after_dataset_loaded
    for name in node.inputs:
        if name in inputs:  # the same dataset bound to two parameters
            continue
        if before is not None:
            before(dataset_name=name, node=node)
        if name in last_reads:
            inputs[name] = io.load(name, release=True)
        else:
            inputs[name] = io.load(name)
        if after is not None:
            after(dataset_name=name, data=inputs[name], node=node)


def _load_one(
    node: Node, io: DataIO, hooks: RunHooks, name: str, last_read: bool
) -> Any:
    if hooks.before_dataset_loaded is not None:
        hooks.before_dataset_loaded(dataset_name=name, node=node)
    data = io.load(name, release=True) if last_read else io.load(name)
    if hooks.after_dataset_loaded is not None:
        hooks.after_dataset_loaded(dataset_name=name, data=data, node=node)
    return data


def _load_async(
    node: Node,
    io: DataIO,
    hooks: RunHooks,
    inputs: dict[str, Any],
    pool: Executor,
    last_reads: Collection[str],
) -> None:
    names = list(dict.fromkeys(node.inputs))
    futures = [
        pool.submit(_load_one, node, io, hooks, name, name in last_reads)
        for name in names
    ]
    for name, future in zip(names, futures):
        inputs[name] = future.result()


def _replaced_inputs(
    node: Node,
    hooks: RunHooks,
    inputs: dict[str, Any],
    catalog: Any,
    is_async: bool,
    run_id: str | None,
) -> dict[str, Any]:
    assert hooks.before_node_run is not None
    # The hook sees a copy, so an implementation that mutates it changes nothing.
    results = hooks.before_node_run(
        node=node,
        catalog=catalog,
        inputs=dict(inputs),
        is_async=is_async,
        run_id=run_id,
    )
    for result in results or ():
        if result is None:
            continue
        if not isinstance(result, Mapping):
            raise RunnerError(
                f"A before_node_run hook returned {type(result).__name__!r} for node "
                f"'{node.name}'; it must return None or a dict of input name -> data.",
            )
        unknown = [key for key in result if key not in inputs]
        if unknown:
            raise RunnerError(
                f"A before_node_run hook returned a value for {unknown[0]!r}, which "
                f"is not an input of node '{node.name}'.",
                hint=f"Inputs of '{node.name}': {', '.join(inputs) or 'none'}.",
            )
        inputs.update(result)
    return inputs


def _save(
    node: Node,
    io: DataIO,
    hooks: RunHooks,
    outputs: dict[str, Any],
    pool: Executor | None,
) -> None:
    values = outputs.values()
    if (
        outputs
        and isinstance(next(iter(values)), Iterator)  # cheap first: usually False
        and all(isinstance(value, Iterator) for value in values)
    ):
        # A generator node: save chunk by chunk, in declaration order.
        names = list(outputs)
        for chunk in zip(*outputs.values()):
            for name, data in zip(names, chunk):
                _save_one(node, io, hooks, name, data)
        return
    if pool is None or len(outputs) < 2:
        if hooks.before_dataset_saved is None and hooks.after_dataset_saved is None:
            for name in list(outputs):
                # Handed over as a temporary: this frame keeps no reference, so the
                # catalog may store it without a defensive copy.
                io.save(name, outputs.pop(name))
            return
        for name, data in outputs.items():
            _save_one(node, io, hooks, name, data)
        return
    futures = [
        pool.submit(_save_one, node, io, hooks, name, data)
        for name, data in outputs.items()
    ]
    errors = [f.exception() for f in futures]
    for error in errors:
        if error is not None:
            raise error


def _save_one(node: Node, io: DataIO, hooks: RunHooks, name: str, data: Any) -> None:
    if hooks.before_dataset_saved is not None:
        hooks.before_dataset_saved(dataset_name=name, data=data, node=node)
    io.save(name, data)
    if hooks.after_dataset_saved is not None:
        hooks.after_dataset_saved(dataset_name=name, data=data, node=node)
