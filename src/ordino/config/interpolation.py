"""Resolving ``${...}`` interpolations in a plain-dict configuration tree.

OmegaConf resolves a config by wrapping every value in a node object first, which is
what makes a large catalog slow. Here the tree stays plain dicts and lists: a string
is only looked at when it contains ``${``. The common forms (``${a.b}``,
``${.sibling}``, ``${name:arg, 1}``, several of them inside one string) are read by a
small regular-expression parser; anything more exotic (quotes, escapes, nested
interpolations, list or dict arguments) goes through OmegaConf's own grammar and
visitor, so the meaning is OmegaConf's in every case. The tests compare both paths
with OmegaConf on random expressions.

Errors name the key path and the file (the caller supplies ``origin``) and never
quote a value when the tree holds credentials.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Mapping
from copy import deepcopy
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ordino.errors import BadConfigException

__all__ = ["Problem", "Resolution", "ResolverCall", "format_path"]

Path = tuple[Any, ...]

_MISSING = "???"
_SIMPLE_INTERPOLATION = re.compile(r"\$\{([^${}\\'\"]*)\}")
_RESOLVER_NAME = re.compile(r"[A-Za-z_][\w\-]*(?:\.[A-Za-z_][\w\-]*)*")
_SIMPLE_ARG = re.compile(r"[\w/\-+.%*@?|]+")
_NODE_PATH = re.compile(r"(\.*)([\w\-/]+(?:\.[\w\-/]+|\[[\w\-/]+\])*)")
_PATH_PART = re.compile(r"\.?([\w\-/]+)|\[([\w\-/]+)\]")
_UINT = r"(?:0|[1-9](?:_?[0-9])*)"
_DIGITS = r"[0-9](?:_?[0-9])*"
_POINT_FLOAT = rf"(?:{_UINT}?\.{_DIGITS}|{_UINT}\.)"
_INT = re.compile(rf"[+-]?{_UINT}")
_FLOAT = re.compile(
    rf"[+-]?(?:{_POINT_FLOAT}|(?:{_UINT}|{_POINT_FLOAT})[eE][+-]?{_DIGITS}"
    r"|[Ii][Nn][Ff]|[Nn][Aa][Nn])"
)


class Problem(Exception):
    """Raised by a resolver: what went wrong, without the where (added later).

    ``secret_free`` says the message holds no configuration value, so it may be
    shown even for credentials.
    """

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        suggestions: tuple[str, ...] = (),
        secret_free: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.suggestions = suggestions
        self.secret_free = secret_free


@dataclass
class ResolverCall:
    """What a resolver gets besides its arguments: where it is and how to look up."""

    resolution: Resolution
    path: Path

    def select(self, key: str) -> Any:
        """Look ``key`` up like ``${key}`` written at this position."""
        dots = len(key) - len(key.lstrip("."))
        return self.resolution.lookup(
            split_key(key.lstrip(".")), dots, self.path, raw=key
        )


Resolver = Callable[[tuple[Any, ...], ResolverCall], Any]


def format_path(path: Path) -> str:
    """``("a", 0, "b")`` -> ``a[0].b``: a key path as a user writes it."""
    text = ""
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


@dataclass
class Resolution:
    """One resolution of one tree; memoises every interpolated string it resolves.

    Args:
        root: The merged, unresolved tree (never modified).
        resolvers: Name -> resolver for ``${name:...}``.
        origin: Key path -> the file it came from, for messages.
        secret: The tree holds credentials.
        unknown_resolver: Called with a name that is not in ``resolvers``; returns a
            resolver or raises :class:`Problem`.
    """

    root: Any
    resolvers: Mapping[str, Resolver]
    origin: Callable[[Path], str | None]
    secret: bool = False
    unknown_resolver: Callable[[str], Resolver] | None = None
    label: str = "config"
    tainted: set[Path] = field(default_factory=set)
    _done: dict[Path, Any] = field(default_factory=dict)
    _active: list[Path] = field(default_factory=list)
    _taint_frames: list[bool] = field(default_factory=list)

    def resolve(self) -> Any:
        """Return a resolved copy of the whole tree."""
        return self._node(self.root, ())

    def mark_tainted(self) -> None:
        """Note that the string being resolved used a run-time value."""
        if self._taint_frames:
            self._taint_frames[-1] = True

    # -- walking ------------------------------------------------------------------

    def _node(self, value: Any, path: Path) -> Any:
        kind = type(value)
        if kind is dict:
            out: dict[Any, Any] = {}
            for key, item in value.items():
                item_kind = type(item)
                if item_kind is str:
                    out[key] = (
                        self._string(item, (*path, key)) if "${" in item else item
                    )
                elif item_kind is dict or item_kind is list:
                    out[key] = self._node(item, (*path, key))
                else:
                    out[key] = item
            return out
        if kind is list:
            return [
                self._node(item, (*path, index)) for index, item in enumerate(value)
            ]
        if kind is str and "${" in value:
            return self._string(value, path)
        return value

    def _string(self, text: str, path: Path) -> Any:
        if path in self._done:
            return self._done[path]
        if path in self._active:
            cycle = [*self._active[self._active.index(path) :], path]
            raise self._error(
                path,
                "circular interpolation: "
                + " -> ".join(f"'{format_path(p)}'" for p in cycle),
                hint="Break the loop: one of these keys must hold a value.",
            )
        self._active.append(path)
        self._taint_frames.append(False)
        try:
            value = self._evaluate(text, path)
        except BadConfigException:
            raise
        except Problem as problem:
            raise self._problem_error(path, text, problem) from None
        finally:
            self._active.pop()
            tainted = self._taint_frames.pop()
        if tainted:
            self.tainted.add(path)
            self.mark_tainted()
        self._done[path] = value
        return value

    # -- evaluating one string -----------------------------------------------------

    def _evaluate(self, text: str, path: Path) -> Any:
        simple = self._evaluate_simple(text, path)
        if simple is not _NOT_SIMPLE:
            return simple
        return self._evaluate_with_grammar(text, path)

    def _evaluate_simple(self, text: str, path: Path) -> Any:
        template = _compile_simple(text)
        if template is None:
            return _NOT_SIMPLE
        pieces, items = template
        if not pieces:
            return self._run(items[0], path)
        out = [pieces[0]]
        for item, piece in zip(items, pieces[1:]):
            out.append(str(self._run(item, path)))
            out.append(piece)
        return "".join(out)

    def _run(self, item: Any, path: Path) -> Any:
        kind, first, second = item
        if kind == "node":
            return self.lookup(first, second, path, raw=None)
        return self.call(first, second, path)

    def _evaluate_with_grammar(self, text: str, path: Path) -> Any:
        from omegaconf.errors import GrammarParseError
        from omegaconf.grammar_parser import parse
        from omegaconf.grammar_visitor import GrammarVisitor

        def on_node(key: Any, memo: Any) -> Any:
            return self.lookup(key.parts, key.relative_dots, path, raw=key.raw)

        def on_resolver(name: str, args: tuple[Any, ...], args_str: Any) -> Any:
            return self.call(name, args, path)

        try:
            tree = parse(text)
        except (GrammarParseError, Exception) as exc:  # antlr raises plain ones too
            detail = "" if self.secret else f" {text!r} ({exc})"
            raise Problem(
                f"invalid interpolation syntax{detail}",
                hint="Interpolations look like ${key.path} or ${resolver:arg, ...}.",
            ) from None
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                value = GrammarVisitor(on_node, on_resolver, None).visit(tree)
        except (Problem, BadConfigException):
            raise
        except Exception as exc:  # an OmegaConf rule, e.g. a key that is no string
            detail = "" if self.secret else f": {exc}"
            raise Problem(f"cannot resolve this interpolation{detail}") from None
        if isinstance(value, str) and type(value) is not str:
            value = str(value)
        return value

    # -- lookups and resolver calls ------------------------------------------------

    def lookup(self, parts: Any, dots: int, path: Path, *, raw: str | None) -> Any:
        """Resolve ``${parts}`` written at ``path`` (``dots`` leading dots)."""
        parts = tuple(parts)
        spelled = raw if raw is not None else "." * dots + ".".join(map(str, parts))
        base: Path = path[: len(path) - dots] if dots else ()
        if dots > len(path):
            raise Problem(
                f"interpolation '${{{spelled}}}' goes above the top of the file",
                secret_free=True,
            )
        node: Any = self.root if not base else self._raw_at(base)
        current: Path = base
        resolved_branch = False
        for part in parts:
            if not resolved_branch and type(node) is str and "${" in node:
                node = self._string(node, current)
                resolved_branch = True
            key = child_key(node, part)
            if key is ABSENT:
                raise Problem(
                    f"interpolation '${{{spelled}}}' refers to "
                    f"'{format_path((*current, part))}', which does not exist",
                    suggestions=_similar_keys(node, part),
                    hint="Check the spelling, or define that key.",
                    secret_free=True,
                )
            node = node[key]
            current = (*current, key)
        if not resolved_branch and type(node) is str and "${" in node:
            node = self._string(node, current)
            resolved_branch = True
        if current in self.tainted:
            self.mark_tainted()
        if node == _MISSING and type(node) is str:
            raise Problem(
                f"interpolation '${{{spelled}}}' refers to "
                f"'{format_path(current)}', which is marked missing (???)",
                hint="Give that key a value.",
                secret_free=True,
            )
        if resolved_branch:
            return deepcopy(node) if isinstance(node, (dict, list)) else node
        return self._node(node, current)

    def call(self, name: str, args: tuple[Any, ...], path: Path) -> Any:
        """Call resolver ``name`` for the string at ``path``."""
        resolver = self.resolvers.get(name)
        if resolver is None:
            if self.unknown_resolver is None:
                raise Problem(f"unknown resolver '{name}'", secret_free=True)
            resolver = self.unknown_resolver(name)
        try:
            return resolver(args, ResolverCall(self, path))
        except (Problem, BadConfigException):
            raise
        except Exception as exc:
            detail = "" if self.secret else f": {exc}"
            raise Problem(
                f"resolver '{name}' failed with {type(exc).__name__}{detail}",
                secret_free=not detail,
            ) from exc

    def _raw_at(self, path: Path) -> Any:
        node = self.root
        for part in path:
            node = node[part]
        return node

    # -- errors --------------------------------------------------------------------

    def _problem_error(
        self, path: Path, text: str, problem: Problem
    ) -> BadConfigException:
        message = problem.message
        if self.secret and not problem.secret_free:
            message = "an interpolation could not be resolved"
        return self._error(
            path, message, hint=problem.hint, suggestions=problem.suggestions
        )

    def _error(
        self,
        path: Path,
        message: str,
        *,
        hint: str | None = None,
        suggestions: tuple[str, ...] = (),
    ) -> BadConfigException:
        where = self.origin(path)
        key = format_path(path)
        prefix = f"{where}, " if where else ""
        return BadConfigException(
            f"{prefix}{self.label} key '{key}': {message}.",
            path=where,
            key=key,
            hint=hint,
            suggestions=suggestions,
        )


class _NotSimple:
    pass


_NOT_SIMPLE: Any = _NotSimple()
ABSENT: Any = object()


@lru_cache(maxsize=65536)
def _compile_simple(text: str) -> tuple[tuple[str, ...], tuple[Any, ...]] | None:
    """Split a simple interpolated string into literal pieces and interpolations.

    Returns ``((), (item,))`` when the whole string is one interpolation (its value
    keeps its type), ``(pieces, items)`` with ``len(pieces) == len(items) + 1`` for
    a string to concatenate, or None when the grammar parser is needed.
    """
    if "\\" in text:
        return None
    matches = list(_SIMPLE_INTERPOLATION.finditer(text))
    if not matches:
        return None
    items = tuple(_parse_simple(m.group(1)) for m in matches)
    if any(item is None for item in items):
        return None
    pieces = []
    cursor = 0
    for match in matches:
        pieces.append(text[cursor : match.start()])
        cursor = match.end()
    pieces.append(text[cursor:])
    if any("${" in piece for piece in pieces):
        return None
    if len(matches) == 1 and pieces == ["", ""]:
        return (), items
    return tuple(pieces), items


@lru_cache(maxsize=65536)
def _parse_simple(inner: str) -> tuple[str, Any, Any] | None:
    """Parse the inside of a quote- and escape-free ``${...}``, or return None."""
    inner = inner.strip(" \t")
    head, colon, tail = inner.partition(":")
    if colon:
        name = head.strip(" \t")
        if not _RESOLVER_NAME.fullmatch(name):
            return None
        if not tail.strip(" \t"):
            return ("resolver", name, ())
        raw_args = [arg.strip(" \t") for arg in tail.split(",")]
        if not all(_SIMPLE_ARG.fullmatch(arg) for arg in raw_args):
            return None
        return ("resolver", name, tuple(_primitive(arg) for arg in raw_args))
    match = _NODE_PATH.fullmatch(inner)
    if match is None:
        return None
    dots = len(match.group(1))
    parts = tuple(a or b for a, b in _PATH_PART.findall(match.group(2)))
    return ("node", parts, dots)


def _primitive(arg: str) -> Any:
    """Type an unquoted resolver argument the way OmegaConf's grammar does."""
    if _INT.fullmatch(arg):
        return int(arg)
    if _FLOAT.fullmatch(arg):
        return float(arg)
    lowered = arg.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered == "null":
        return None
    return arg


@lru_cache(maxsize=8192)
def split_key(key: str) -> tuple[str, ...]:
    """``"a.b[0]"`` -> ``("a", "b", "0")``: the parts of a dotted key path."""
    parts = tuple(a or b for a, b in _PATH_PART.findall(key))
    return parts if parts else (key,)


def child_key(node: Any, part: Any) -> Any:
    if isinstance(node, dict):
        if part in node:
            return part
        text = str(part)
        for key in node:
            if not isinstance(key, str) and str(key) == text:
                return key
        return ABSENT
    if isinstance(node, list):
        try:
            index = int(part)
        except (TypeError, ValueError):
            return ABSENT
        return index if 0 <= index < len(node) else ABSENT
    return ABSENT


def _similar_keys(node: Any, part: Any) -> tuple[str, ...]:
    if not isinstance(node, dict):
        return ()
    from ordino.suggest import closest_matches

    return closest_matches(str(part), [str(k) for k in node])
