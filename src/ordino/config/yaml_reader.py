"""Reading one configuration file: YAML or JSON text to plain Python values.

Values mean what they mean in OmegaConf (and so in Kedro): YAML 1.1 scalars, minus
timestamps (dates stay strings), plus ``1e3``-style floats; a key repeated inside one
mapping is an error. Three readers share that meaning, fastest first:

1. ``.json`` files go through :func:`json.loads`;
2. plain block YAML goes through :mod:`ordino.config.fast_yaml`;
3. everything else goes through PyYAML's C parser with OmegaConf's typing rules.

Positions are only computed when something is wrong: a syntax error carries its
line and column, and :func:`locate` re-reads a file to find the line of a key path
for errors found later (an unknown interpolation, say). There is no cap on the size
of a file; only alias "bombs" (a few anchors expanding into millions of nodes) are
refused.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import yaml

from ordino.config.fast_yaml import DECLINED, parse_block_yaml
from ordino.errors import BadConfigException

__all__ = ["load_text", "locate", "type_plain_scalar"]

_STR_TAG = "tag:yaml.org,2002:str"

# Aliases may expand a document by at most this factor once it has this many nodes:
# enough for any template reuse, far too little for a "billion laughs" document.
_MAX_ALIAS_EXPANSION = 100
_ALIAS_EXPANSION_FLOOR = 1_000

try:  # pragma: no branch - the C parser is there on every supported platform
    _BaseLoader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _BaseLoader = yaml.SafeLoader


class _Loader(_BaseLoader):  # type: ignore[misc] # PyYAML is untyped here
    """SafeLoader with OmegaConf's scalar typing and duplicate-key rule."""

    check_aliases = False

    def construct_document(self, node: yaml.Node) -> Any:
        if self.check_aliases:
            _check_aliases(node)
        return super().construct_document(node)

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if key_node.tag == _STR_TAG:
                if key_node.value in seen:
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping",
                        node.start_mark,
                        f"found duplicate key {key_node.value}",
                        key_node.start_mark,
                    )
                seen.add(key_node.value)
        super().flatten_mapping(node)


def _without_timestamps(
    table: dict[Any, list[tuple[str, re.Pattern[str]]]],
) -> dict[Any, list[tuple[str, re.Pattern[str]]]]:
    return {
        first: [(tag, rx) for tag, rx in pairs if not tag.endswith(":timestamp")]
        for first, pairs in table.items()
    }


# YAML 1.1 needs a dot in a float; OmegaConf also reads "1e3", "1_000e-2", ...
_EXPONENT_FLOAT = re.compile(
    r"""^(?:[-+]?[0-9]+(?:_[0-9]+)*\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?[0-9]+(?:_[0-9]+)*[eE][-+]?[0-9]+
        |\.[0-9]+(?:_[0-9]+)*(?:[eE][-+][0-9]+)?
        |[-+]?[0-9]+(?:_[0-9]+)*(?::[0-5]?[0-9])+\.[0-9_]*
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
    re.X,
)
_Loader.yaml_implicit_resolvers = _without_timestamps(
    {k: list(v) for k, v in _BaseLoader.yaml_implicit_resolvers.items()}
)
for _first in "-+0123456789.":
    _Loader.yaml_implicit_resolvers.setdefault(_first, []).append(
        ("tag:yaml.org,2002:float", _EXPONENT_FLOAT)
    )


def _construct_path(loader: Any, node: yaml.Node) -> Any:
    import pathlib

    return pathlib.Path(*loader.construct_sequence(node))


for _tag in ("Path", "PosixPath", "WindowsPath"):
    for _module in ("pathlib", "pathlib._local"):
        _Loader.add_constructor(
            f"tag:yaml.org,2002:python/object/apply:{_module}.{_tag}", _construct_path
        )

_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_IMPLICIT = _Loader.yaml_implicit_resolvers
_WILDCARD = _IMPLICIT.get(None, [])
_BUILDERS = {
    "tag:yaml.org,2002:int": _CONSTRUCTOR.construct_yaml_int,
    "tag:yaml.org,2002:float": _CONSTRUCTOR.construct_yaml_float,
    "tag:yaml.org,2002:bool": _CONSTRUCTOR.construct_yaml_bool,
    "tag:yaml.org,2002:null": _CONSTRUCTOR.construct_yaml_null,
}


@lru_cache(maxsize=65536)
def type_plain_scalar(text: str) -> tuple[str, Any]:
    """Type a plain (unquoted) scalar the way the full loader does: ``(tag, value)``.

    Example:
        >>> type_plain_scalar("1e3"), type_plain_scalar("no"), type_plain_scalar("x")
        (('tag:yaml.org,2002:float', 1000.0), ('tag:yaml.org,2002:bool', False), \
('tag:yaml.org,2002:str', 'x'))
    """
    candidates = _IMPLICIT.get(text[0] if text else "", [])
    for tag, rx in [*candidates, *_WILDCARD]:
        if rx.match(text):
            build = _BUILDERS.get(tag)
            if build is None:
                return tag, text
            return tag, build(yaml.ScalarNode(tag, text))
    return _STR_TAG, text


def load_text(text: str, *, display: str, is_json: bool, secret: bool) -> Any:
    """Parse one file's text; a syntax error names the file, line and column.

    Args:
        text: The file's content.
        display: How to name the file in messages.
        is_json: The file has a ``.json`` suffix (tried with :mod:`json` first).
        secret: The file holds credentials: no part of it may appear in a message.
    """
    if is_json:
        value = _load_json(text)
        if value is not DECLINED:
            return value
    value = parse_block_yaml(text, type_plain_scalar)
    if value is not DECLINED:
        return value
    loader = _Loader(text)
    loader.check_aliases = "&" in text
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, display=display, secret=secret) from (
            None if secret else exc
        )
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        detail = "" if secret else f": {exc}"
        raise BadConfigException(
            f"{display}: cannot be read as YAML{detail}.",
            path=display,
            hint="Check the file's syntax; YAML and JSON are accepted.",
        ) from (None if secret else exc)
    finally:
        loader.dispose()


class _DuplicateJsonKeyError(ValueError):
    pass


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _DuplicateJsonKeyError
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


def _load_json(text: str) -> Any:
    try:
        return json.loads(
            text,
            object_pairs_hook=_reject_duplicates,
            parse_constant=_reject_constant,
        )
    except (ValueError, RecursionError):
        # Not strict JSON (or a duplicate key): YAML reads JSON too and reports
        # problems with a position.
        return DECLINED


def _syntax_error(
    exc: yaml.MarkedYAMLError, *, display: str, secret: bool
) -> BadConfigException:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    where = f"line {line}, column {column}" if mark is not None else "somewhere"
    problem = (exc.problem or exc.context or "invalid syntax").strip()
    duplicate = re.fullmatch(r"found duplicate key (.*)", problem, flags=re.S)
    if duplicate:
        return BadConfigException(
            f"{display}, line {line}: key '{duplicate.group(1)}' appears twice in "
            "the same mapping.",
            path=display,
            line=line,
            column=column,
            key=duplicate.group(1),
            hint="Remove or rename one of them.",
        )
    detail = "" if secret else f": {problem}"
    return BadConfigException(
        f"{display}: invalid YAML at {where}{detail}.",
        path=display,
        line=line,
        column=column,
        hint="Check the indentation, colons and quotes on that line and the one "
        "before it.",
    )


def _check_aliases(root: yaml.Node) -> None:
    """Refuse recursive aliases and alias "bombs" (not big files: there is no cap)."""
    unique: set[int] = set()
    expanded: dict[int, int] = {}
    visiting: set[int] = set()

    def count(node: yaml.Node) -> int:
        ident = id(node)
        if ident in expanded:
            return expanded[ident]
        if ident in visiting:
            raise yaml.constructor.ConstructorError(
                None, None, "recursive aliases are not supported", node.start_mark
            )
        visiting.add(ident)
        unique.add(ident)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(count(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(count(k) + count(v) for k, v in node.value)
        visiting.discard(ident)
        expanded[ident] = total
        return total

    total = count(root)
    if total > _ALIAS_EXPANSION_FLOOR and total > len(unique) * _MAX_ALIAS_EXPANSION:
        raise yaml.constructor.ConstructorError(
            None,
            None,
            f"aliases expand {len(unique)} nodes into {total}, more than "
            f"{_MAX_ALIAS_EXPANSION} times; refusing a possible alias bomb",
            root.start_mark,
        )


def locate(text: str, key_path: Sequence[Any]) -> tuple[int, int] | None:
    """Return the 1-based (line, column) of ``key_path`` in a YAML text, if found.

    Only used to enrich an error message, so any failure simply returns ``None``.
    """
    try:
        node = yaml.compose(text, Loader=_BaseLoader)
    except Exception:
        return None
    found: tuple[int, int] | None = None
    for part in key_path:
        if isinstance(node, yaml.MappingNode):
            match = next((kv for kv in node.value if kv[0].value == str(part)), None)
            if match is None:
                break
            key_node, node = match
            found = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if not 0 <= part < len(node.value):
                break
            node = node.value[part]
            found = (node.start_mark.line + 1, node.start_mark.column + 1)
        else:
            break
    return found
