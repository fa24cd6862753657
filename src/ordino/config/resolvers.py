"""The resolvers a loader offers: ``globals``, ``runtime_params``, ``oc.*`` and yours.

Every loader builds its own table, so a custom resolver given to one loader is never
seen by another, and nothing is registered in OmegaConf's process-wide registry.
As in Kedro, ``oc.env`` works only in credentials unless you pass it yourself in
``custom_resolvers``; a resolver registered directly with OmegaConf is still found
(Kedro resolves through OmegaConf, so such projects keep working).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

from ordino.config.interpolation import (
    ABSENT,
    Problem,
    Resolver,
    ResolverCall,
    child_key,
    split_key,
)

__all__ = ["NO_DEFAULT", "build_resolvers", "omegaconf_resolver", "select_path"]

NO_DEFAULT: Any = object()
_BUILTIN_NAMES = ("globals", "runtime_params")


def select_path(tree: Any, key: str) -> Any:
    """Return the value at dotted ``key`` (``a.b``, ``a[0]``) or :data:`NO_DEFAULT`."""
    node = tree
    for part in split_key(key):
        child = child_key(node, part)
        if child is ABSENT:
            return NO_DEFAULT
        node = node[child]
    return node


def build_resolvers(
    *,
    globals_tree: Callable[[], Mapping[str, Any]] | None,
    runtime_params: Mapping[str, Any] | None,
    environment: bool,
    custom: Mapping[str, Callable[..., Any]],
) -> dict[str, Resolver]:
    """Build the resolver table for resolving one configuration key.

    Args:
        globals_tree: Returns the resolved globals; ``None`` inside globals files.
        runtime_params: The run's parameters; ``None`` where they are not allowed
            (inside globals files).
        environment: ``oc.env`` is allowed (credentials, or the user enabled it).
        custom: The user's resolvers, name -> function.
    """
    table: dict[str, Resolver] = {
        "oc.select": _oc_select,
        "oc.decode": _oc_decode,
        "oc.create": _oc_create,
        "oc.dict.keys": _oc_dict_keys,
        "oc.dict.values": _oc_dict_values,
    }
    for name, function in custom.items():
        if name not in table:
            table[name] = _wrap_custom(function)
    if environment:
        table["oc.env"] = _oc_env
    table["globals"] = (
        _globals_resolver(globals_tree) if globals_tree else _globals_in_globals
    )
    table["runtime_params"] = (
        _runtime_resolver(runtime_params)
        if runtime_params is not None
        else _runtime_in_globals
    )
    return table


def _wrap_custom(function: Callable[..., Any]) -> Resolver:
    def call(args: tuple[Any, ...], where: ResolverCall) -> Any:
        return function(*args)

    return call


def _split_default(name: str, args: tuple[Any, ...]) -> tuple[str, Any]:
    if not args or len(args) > 2:
        raise Problem(
            f"'{name}' takes a key and an optional default, got {len(args)} "
            "argument(s)",
            hint=f"Write ${{{name}:key}} or ${{{name}:key, default}}.",
            secret_free=True,
        )
    key = args[0]
    if not isinstance(key, str):
        key = str(key)
    return key, args[1] if len(args) == 2 else NO_DEFAULT


def _globals_resolver(tree: Callable[[], Mapping[str, Any]]) -> Resolver:
    def call(args: tuple[Any, ...], where: ResolverCall) -> Any:
        key, default = _split_default("globals", args)
        if key.startswith("_"):
            raise Problem(
                f"globals key '{key}' starts with '_'; such keys are hidden and "
                "cannot be used with ${globals:...}",
                hint="Rename the key in globals.yml without the leading '_'.",
                secret_free=True,
            )
        globals_ = tree()
        value = select_path(globals_, key)
        if value is NO_DEFAULT:
            if default is NO_DEFAULT:
                from ordino.suggest import closest_matches

                raise Problem(
                    f"globals key '{key}' not found and no default given",
                    suggestions=closest_matches(key, _dotted_keys(globals_)),
                    hint=f"Add '{key}' to globals.yml, or give a default: "
                    f"${{globals:{key}, <default>}}.",
                    secret_free=True,
                )
            return default
        return _copy(value)

    return call


def _runtime_resolver(params: Mapping[str, Any]) -> Resolver:
    def call(args: tuple[Any, ...], where: ResolverCall) -> Any:
        key, default = _split_default("runtime_params", args)
        value = select_path(params, key)
        if value is NO_DEFAULT:
            if default is NO_DEFAULT:
                raise Problem(
                    f"runtime parameter '{key}' not given and no default set",
                    hint=f"Run with --params {key}=<value>, or give a default: "
                    f"${{runtime_params:{key}, <default>}}.",
                    secret_free=True,
                )
            return default
        where.resolution.mark_tainted()
        return _copy(value)

    return call


def _globals_in_globals(args: tuple[Any, ...], where: ResolverCall) -> Any:
    raise Problem(
        "${globals:...} cannot be used inside the globals files themselves",
        hint="Refer to another globals key with a plain interpolation: ${key}.",
        secret_free=True,
    )


def _runtime_in_globals(args: tuple[Any, ...], where: ResolverCall) -> Any:
    raise Problem(
        "the runtime_params resolver is not supported in globals",
        hint="Use ${runtime_params:...} in parameters or catalog files instead.",
        secret_free=True,
    )


def _oc_env(args: tuple[Any, ...], where: ResolverCall) -> Any:
    if not args or len(args) > 2:
        raise Problem(
            "oc.env takes a variable name and an optional default",
            secret_free=True,
        )
    name = str(args[0])
    if name in os.environ:
        return os.environ[name]
    if len(args) == 2:
        default = args[1]
        return None if default is None else str(default)
    raise Problem(
        f"environment variable '{name}' is not set",
        hint=f"Set it (export {name}=...) or give a default: "
        f"${{oc.env:{name}, <default>}}.",
        secret_free=True,
    )


def _oc_select(args: tuple[Any, ...], where: ResolverCall) -> Any:
    key, default = _split_default("oc.select", args)
    try:
        return where.select(key)
    except Problem:
        if default is NO_DEFAULT:
            return None
        return default


def _oc_decode(args: tuple[Any, ...], where: ResolverCall) -> Any:
    if len(args) != 1:
        raise Problem("oc.decode takes one argument", secret_free=True)
    text = args[0]
    if text is None:
        return None
    if not isinstance(text, str):
        raise Problem(
            f"oc.decode takes a string, got {type(text).__name__}", secret_free=True
        )
    from omegaconf.grammar_parser import parse
    from omegaconf.grammar_visitor import GrammarVisitor

    resolution = where.resolution

    def on_node(key: Any, memo: Any) -> Any:
        return resolution.lookup(key.parts, key.relative_dots, where.path, raw=key.raw)

    def on_resolver(name: str, args: tuple[Any, ...], args_str: Any) -> Any:
        return resolution.call(name, args, where.path)

    tree = parse(text, parser_rule="singleElement", lexer_mode="VALUE_MODE")
    return GrammarVisitor(on_node, on_resolver, None).visit(tree)


def _oc_create(args: tuple[Any, ...], where: ResolverCall) -> Any:
    if len(args) != 1:
        raise Problem("oc.create takes one argument", secret_free=True)
    value = args[0]
    if isinstance(value, str):
        import yaml

        value = yaml.safe_load(value)
    return _copy(value)


def _oc_dict(args: tuple[Any, ...], where: ResolverCall, name: str) -> dict[Any, Any]:
    if len(args) != 1:
        raise Problem(f"{name} takes one argument", secret_free=True)
    value = where.select(args[0]) if isinstance(args[0], str) else args[0]
    if not isinstance(value, dict):
        raise Problem(
            f"{name} needs a mapping, got {type(value).__name__}", secret_free=True
        )
    return value


def _oc_dict_keys(args: tuple[Any, ...], where: ResolverCall) -> Any:
    return list(_oc_dict(args, where, "oc.dict.keys"))


def _oc_dict_values(args: tuple[Any, ...], where: ResolverCall) -> Any:
    return list(_oc_dict(args, where, "oc.dict.values").values())


def omegaconf_resolver(name: str, available: list[str]) -> Resolver:
    """Find ``name`` in OmegaConf's own registry, or raise an "unknown" problem."""
    if name != "oc.env" and not name.startswith(_BUILTIN_NAMES):
        try:
            from omegaconf.basecontainer import BaseContainer

            wrapper = BaseContainer._resolvers.get(name)
        except (ImportError, AttributeError):  # pragma: no cover - other OmegaConf
            wrapper = None
        if wrapper is not None:

            def call(args: tuple[Any, ...], where: ResolverCall) -> Any:
                return wrapper(
                    config=None,
                    parent=None,
                    node=None,
                    args=args,
                    args_str=tuple(map(str, args)),
                )

            return call
    from ordino.suggest import closest_matches

    hint = (
        "oc.env is only resolved in credentials files; to use it everywhere, pass "
        "custom_resolvers={'oc.env': omegaconf.resolvers.oc.env}."
        if name == "oc.env"
        else "Register it with OmegaConfigLoader(custom_resolvers={"
        f"'{name}': function}}) (CONFIG_LOADER_ARGS in settings.py)."
    )
    raise Problem(
        f"unknown resolver '{name}'",
        suggestions=closest_matches(name, available),
        hint=hint,
        secret_free=True,
    )


def _dotted_keys(tree: Mapping[str, Any], prefix: str = "") -> list[str]:
    keys: list[str] = []
    for key, value in tree.items():
        dotted = f"{prefix}{key}"
        keys.append(dotted)
        if isinstance(value, dict):
            keys.extend(_dotted_keys(value, f"{dotted}."))
    return keys


def _copy(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        from copy import deepcopy

        return deepcopy(value)
    return value
