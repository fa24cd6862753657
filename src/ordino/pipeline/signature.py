"""Binding a node's declared inputs to its function's parameters.

``node()`` checks at construction that its inputs can be passed to the function, so
a wrong count or a misspelt keyword fails where the pipeline is written. For plain
functions (nearly every node) the parameters are read straight off the code object:
``inspect.signature`` would cost more than building the rest of the node, and even
importing ``inspect`` costs ~20 ms, so that happens only for other callables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from types import FunctionType, MethodType
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from ordino.suggest import closest_matches

if TYPE_CHECKING:
    from ordino.pipeline.declaration import DatasetNames

__all__ = ["BindProblem", "bind", "fits_positionally", "readable_func_name"]

_CO_VARARGS = 0x04


_CO_VARKEYWORDS = 0x08


def readable_func_name(func: Callable[..., Any]) -> str:
    name = getattr(func, "__name__", None)
    if isinstance(name, str):
        return name
    if isinstance(func, partial):
        return readable_func_name(func.func)
    return type(func).__name__


class _Spec:
    """What binding needs to know of a signature: who takes positions, names, defaults.

    Read straight from ``__code__`` for plain functions (no ``inspect``: cheap enough
    to do for every node) and through ``inspect.signature`` for everything else.
    Like Kedro (``follow_wrapped=False``), a decorated function is checked against the
    wrapper's own parameters.
    """

    __slots__ = (
        "defaults",
        "kwonly",
        "n_posonly",
        "orders",
        "positional",
        "var_keyword",
        "var_positional",
    )

    def __init__(
        self,
        positional: tuple[str, ...],
        n_posonly: int,
        kwonly: tuple[str, ...],
        defaults: frozenset[str],
        var_positional: str | None,
        var_keyword: str | None,
    ) -> None:
        self.positional = positional
        self.n_posonly = n_posonly
        # inputs-dict keys -> their binding order, for dicts that bound cleanly: a
        # function reused by many nodes with the same keys is inspected once.
        self.orders: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.kwonly = kwonly
        self.defaults = defaults
        self.var_positional = var_positional
        self.var_keyword = var_keyword

    def describe(self, func_name: str) -> str:
        """Render the signature as ``name(a, /, b=..., *args, c, **kw)``."""
        parts = [self._param(p) for p in self.positional]
        if self.n_posonly:
            parts.insert(self.n_posonly, "/")
        if self.var_positional:
            parts.append(f"*{self.var_positional}")
        elif self.kwonly:
            parts.append("*")
        parts.extend(self._param(p) for p in self.kwonly)
        if self.var_keyword:
            parts.append(f"**{self.var_keyword}")
        return f"{func_name}({', '.join(parts)})"

    def _param(self, name: str) -> str:
        return f"{name}=..." if name in self.defaults else name


def _spec_from_code(func: FunctionType, skip: int = 0) -> _Spec:
    code = func.__code__
    argc = code.co_argcount
    names = code.co_varnames
    end = argc + code.co_kwonlyargcount
    var_positional = var_keyword = None
    if code.co_flags & _CO_VARARGS:
        var_positional = names[end]
        end += 1
    if code.co_flags & _CO_VARKEYWORDS:
        var_keyword = names[end]
    n_defaults = len(func.__defaults__ or ())
    defaults = set(names[max(argc - n_defaults, skip) : argc])
    defaults.update(func.__kwdefaults__ or ())
    return _Spec(
        names[skip:argc],
        max(code.co_posonlyargcount - skip, 0),
        names[argc : argc + code.co_kwonlyargcount],
        frozenset(defaults),
        var_positional,
        var_keyword,
    )


def _spec_from_inspect(func: Callable[..., Any]) -> _Spec | None:
    import inspect  # ~20 ms of imports: only for callables that are not functions

    try:
        signature = inspect.signature(func, follow_wrapped=False)
    except (TypeError, ValueError):
        return None  # some builtins have no signature: nothing to check against
    positional: list[str] = []
    kwonly: list[str] = []
    defaults: set[str] = set()
    n_posonly = 0
    var_positional = var_keyword = None
    for param in signature.parameters.values():
        kind = param.kind
        if kind is param.POSITIONAL_ONLY:
            positional.append(param.name)
            n_posonly += 1
        elif kind is param.POSITIONAL_OR_KEYWORD:
            positional.append(param.name)
        elif kind is param.VAR_POSITIONAL:
            var_positional = param.name
        elif kind is param.KEYWORD_ONLY:
            kwonly.append(param.name)
        else:
            var_keyword = param.name
        if param.default is not param.empty:
            defaults.add(param.name)
    return _Spec(
        tuple(positional),
        n_posonly,
        tuple(kwonly),
        frozenset(defaults),
        var_positional,
        var_keyword,
    )


# Callables other than plain functions go through inspect, which is slow, so their
# specs are cached. Weak keys: a cache must not keep a user's objects alive. A
# partial's spec depends only on its function, how many positions it fills and
# which keywords it sets, so partials made in a loop share one entry.
_SPECS: WeakKeyDictionary[Any, _Spec | None] = WeakKeyDictionary()


_PARTIAL_SPECS: WeakKeyDictionary[Any, dict[tuple[Any, ...], _Spec | None]] = (
    WeakKeyDictionary()
)


_UNKNOWN: Any = object()


def _spec_of(func: Callable[..., Any]) -> _Spec | None:
    kind = type(func)
    if kind is MethodType and type(func.__func__) is FunctionType:  # type: ignore[attr-defined]  # checked just above
        return _spec_from_code(func.__func__, skip=1)  # type: ignore[attr-defined]  # same
    if kind is partial:
        key = (len(func.args), *sorted(func.keywords))  # type: ignore[attr-defined]  # a partial
        try:
            per_func = _PARTIAL_SPECS.setdefault(func.func, {})  # type: ignore[attr-defined]  # a partial
        except TypeError:  # the wrapped callable cannot be weakly referenced
            return _spec_from_inspect(func)
        if key not in per_func:
            per_func[key] = _spec_from_inspect(func)
        return per_func[key]
    try:
        cached = _SPECS.get(func, _UNKNOWN)
        if cached is _UNKNOWN:
            if isinstance(func, FunctionType):
                cached = _SPECS[func] = _spec_from_code(func)
            else:
                cached = _SPECS[func] = _spec_from_inspect(func)
    except TypeError:  # unhashable or not weakly referenceable: not cached
        return _spec_from_inspect(func)
    return cached  # type: ignore[no-any-return]  # a _Spec or None


class BindProblem:
    """Why inputs do not bind, kept apart from the node label it is reported with."""

    __slots__ = ("hint", "message", "suggestions")

    def __init__(
        self, message: str, hint: str, suggestions: tuple[str, ...] = ()
    ) -> None:
        self.message = message
        self.hint = hint
        self.suggestions = suggestions


def _missing_problem(missing: list[str], described: str) -> BindProblem:
    quoted = ", ".join(f"'{m}'" for m in missing)
    plural = len(missing) > 1
    return BindProblem(
        f"parameter{'s' if plural else ''} {quoted} of {described} "
        f"{'get' if plural else 'gets'} no input and {'have' if plural else 'has'} "
        "no default",
        f"Add an input for {'each of them' if plural else 'it'}, or give "
        f"{'them' if plural else 'it'} a default value in the function.",
    )


def _bind_positional(spec: _Spec, count: int, func_name: str) -> BindProblem | None:
    if count > len(spec.positional) and spec.var_positional is None:
        described = spec.describe(func_name)
        return BindProblem(
            f"{described} takes {len(spec.positional)} positional argument"
            f"{'' if len(spec.positional) == 1 else 's'} but {count} inputs were given",
            "Remove the extra inputs, or give the function a parameter for each.",
        )
    missing = [p for p in spec.positional[count:] if p not in spec.defaults]
    missing += [k for k in spec.kwonly if k not in spec.defaults]
    if missing:
        return _missing_problem(missing, spec.describe(func_name))
    return None


def _bind_keywords(
    spec: _Spec, keys: Iterable[str], func_name: str
) -> tuple[tuple[str, ...], BindProblem | None]:
    """Order the argument names as they bind (signature order, then ``**kwargs``)."""
    index = {name: i for i, name in enumerate((*spec.positional, *spec.kwonly))}
    posonly = spec.positional[: spec.n_posonly]
    extra = len(index)
    ranked: list[tuple[int, str]] = []
    bound: set[str] = set()
    for key in keys:
        position = index.get(key)
        if position is not None and key not in posonly:
            ranked.append((position, key))
            bound.add(key)
        elif spec.var_keyword is not None:
            ranked.append((extra, key))
            extra += 1
        elif key in posonly:
            return (), BindProblem(
                f"parameter '{key}' of {spec.describe(func_name)} is positional-only "
                "and cannot be bound by name",
                "Give the inputs as a list, in the order of the parameters.",
            )
        else:
            bindable = [p for p in index if p not in posonly]
            return (), BindProblem(
                f"{spec.describe(func_name)} has no parameter '{key}'",
                "The keys of an inputs dict are the function's parameter names.",
                closest_matches(key, bindable),
            )
    ranked.sort()
    order = tuple(key for _, key in ranked)
    missing = [p for p in spec.positional if p not in spec.defaults and p not in bound]
    missing += [k for k in spec.kwonly if k not in spec.defaults and k not in bound]
    if missing:
        return order, _missing_problem(missing, spec.describe(func_name))
    return order, None


def bind(
    func: Callable[..., Any], inputs: DatasetNames, func_name: str
) -> tuple[tuple[str, ...] | None, BindProblem | None]:
    """Check that ``inputs`` bind to ``func``; return the dict binding order."""
    spec = _spec_of(func)
    if isinstance(inputs, dict):
        keys = tuple(inputs)
        if spec is None:
            return keys, None
        known = spec.orders.get(keys)
        if known is not None:
            return known, None
        order, problem = _bind_keywords(spec, keys, func_name)
        if problem is None:
            spec.orders[keys] = order
        return order, problem
    if spec is None:
        return None, None
    count = 0 if inputs is None else 1 if isinstance(inputs, str) else len(inputs)
    return None, _bind_positional(spec, count, func_name)


def fits_positionally(func: FunctionType, count: int) -> bool:
    """The common case of binding, read straight off the code object."""
    code = func.__code__
    argc = code.co_argcount
    if count > argc and not code.co_flags & _CO_VARARGS:
        return False
    if count < argc - len(func.__defaults__ or ()):
        return False
    kwonly = code.co_kwonlyargcount
    return not kwonly or len(func.__kwdefaults__ or ()) >= kwonly
