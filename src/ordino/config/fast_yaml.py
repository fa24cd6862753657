"""A fast reader for the plain, block-style YAML that configuration files are made of.

PyYAML builds a node object with position marks for every scalar before it constructs
a value, which makes a 2,000-entry catalog cost more than a tenth of a second even
with the C parser. Configuration files use a small part of YAML: indented mappings,
plain or simply quoted one-line scalars, and block lists of scalars. This module
reads exactly that part, line by line, and *declines* anything else (flow
collections, anchors, tags, block scalars, multi-line scalars, escapes, duplicate
keys...), in which case the caller uses the full loader. Declining is always safe;
accepting must give exactly what the full loader gives, which the tests check
against both PyYAML and OmegaConf on random documents.

Scalars are typed with the full loader's own implicit-resolver table, so ``yes``,
``1e3``, ``0x1F``, ``~`` and dates mean the same thing on both paths.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

__all__ = ["DECLINED", "parse_block_yaml"]


class _Declined:
    """Sentinel: the text uses YAML this reader does not handle."""

    def __repr__(self) -> str:
        return "DECLINED"


DECLINED: Any = _Declined()

# First characters that make a plain scalar or key something other than plain text
# (flow collections, anchors, aliases, tags, block scalars, directives, quotes,
# comments, and the "-", "?", ":" indicators). Any of them sends the document to
# the full loader.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")

_STR_TAG = "tag:yaml.org,2002:str"
_VALUE_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null")
)

# Characters YAML refuses, and the line breaks other than "\n" (NEL, LS, PS).
_UNUSUAL = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
    "|[\u2028\u2029]"
)
# "key:" or "key: value" with an identifier-like key: most lines of a config file.
_SIMPLE_KEY = re.compile(r"([A-Za-z_][\w.\-/]*):(?: +(.*))?\Z")
# Anything inside a one-line flow collection that needs the full parser.
_FLOW_UNSAFE = re.compile(r"[\[\]{}'\"#&*!|>%@`\\]|\$\{")
# First letters of plain scalars that YAML may read as a bool or null.
_KEYWORD_START = frozenset("FNOTYfnoty")
_ASCII_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def parse_block_yaml(text: str, typer: Callable[[str], tuple[str, Any]]) -> Any:
    """Parse ``text`` or return :data:`DECLINED`.

    Args:
        text: The document.
        typer: Maps a plain scalar to ``(tag, value)`` exactly as the full loader
            would (see ``yaml_reader.type_plain_scalar``).

    Returns:
        The document's value (``None`` for an empty document), or ``DECLINED``.
    """
    if "\t" in text or "\r" in text or text.startswith(("\ufeff", "%", "---")):
        return DECLINED
    if _ASCII_CONTROL.search(text) if text.isascii() else _UNUSUAL.search(text):
        return DECLINED
    try:
        return _Reader(typer).read(text)
    except (_DeclineError, ValueError, OverflowError, LookupError):
        # ValueError: a scalar the full loader cannot build either ("0b_").
        # LookupError: a shape this reader did not foresee; the full loader is
        # always right, so declining is always safe.
        return DECLINED


class _DeclineError(Exception):
    pass


class _Frame:
    __slots__ = ("container", "indent", "is_list", "merges")

    def __init__(self, indent: int, container: Any, is_list: bool) -> None:
        self.indent = indent
        self.container = container
        self.is_list = is_list
        self.merges: list[dict[Any, Any]] | None = None

    def close(self) -> None:
        """Apply "<<: *anchor" merges: merged keys first, own keys win."""
        if self.merges:
            combined: dict[Any, Any] = {}
            for merged in self.merges:
                combined.update(merged)
            combined.update(self.container)
            self.container.clear()
            self.container.update(combined)


class _Reader:
    __slots__ = ("_anchors", "_expanded", "_nodes", "_sizes", "_stack", "_typer")

    def __init__(self, typer: Callable[[str], tuple[str, Any]]) -> None:
        self._typer = typer
        self._anchors: dict[str, Any] = {}
        self._stack: list[_Frame] = []
        self._sizes: dict[int, int] = {}
        self._expanded = 0
        self._nodes = 0

    def read(self, text: str) -> Any:
        stack = self._stack
        root: Any = None
        # A "key:" line with nothing after it: its value is the block that follows
        # (more indented, or a list at the same indent), or null.
        pending: tuple[dict[Any, Any], Any, int, str | None] | None = None
        for line in text.split("\n"):
            content = line.lstrip(" ")
            if not content or content[0] == "#":
                continue
            self._nodes += 1
            indent = len(line) - len(content)
            is_item = content[0] == "-" and (len(content) == 1 or content[1] == " ")
            if pending is not None:
                parent, key, key_indent, anchor = pending
                pending = None
                if indent > key_indent or (indent == key_indent and is_item):
                    child: Any = [] if is_item else {}
                    parent[key] = child
                    stack.append(_Frame(indent, child, is_item))
                    if anchor is not None:
                        self._anchors[anchor] = child
                elif anchor is not None:
                    self._anchors[anchor] = None
            elif root is None:
                root = [] if is_item else {}
                stack.append(_Frame(indent, root, is_item))
            if is_item:
                while stack and stack[-1].indent > indent:
                    stack.pop().close()
                if not stack or stack[-1].indent != indent or not stack[-1].is_list:
                    raise _DeclineError
                stack[-1].container.append(self._item(content[2:]))
                continue
            while stack and (
                stack[-1].indent > indent
                or (stack[-1].indent == indent and stack[-1].is_list)
            ):
                stack.pop().close()
            if not stack or stack[-1].indent != indent:
                raise _DeclineError
            frame = stack[-1]
            if content.startswith("<<: *"):
                self._merge(frame, content[4:])
                continue
            simple = _SIMPLE_KEY.match(content)
            if simple is None:
                key, rest = self._key(content)
            else:
                key, rest = simple.group(1, 2)
                if key[0] in _KEYWORD_START:  # "yes", "null"... are not strings
                    key = self._typed_key(key)
                if not rest or rest[0] == "#":
                    rest = ""
            if key in frame.container:
                raise _DeclineError  # duplicates: the full loader says what to do
            anchor = None
            if rest.startswith("&"):
                anchor, rest = _anchor(rest)
                if anchor in self._anchors:
                    raise _DeclineError  # the C parser refuses a redefined anchor
            if rest:
                plain = rest.rstrip(" ")
                if (
                    plain[0] not in _INDICATORS
                    and " #" not in plain
                    and ": " not in plain
                    and plain[-1] != ":"
                ):
                    tag, value = self._typer(plain)
                    if tag not in _VALUE_TAGS:
                        raise _DeclineError
                else:
                    value = self._value(rest)
                frame.container[key] = value
                if anchor is not None:
                    self._anchors[anchor] = value
            else:
                frame.container[key] = None
                pending = (frame.container, key, indent, anchor)
        if pending is not None and pending[3] is not None:
            self._anchors[pending[3]] = None
        while stack:
            stack.pop().close()
        if self._expanded > max(1000, 100 * self._nodes):
            raise _DeclineError  # maybe an alias bomb: the full loader decides
        return root

    def _flow(self, rest: str) -> Any:
        """``[a, 1]`` or ``{k: v}`` of plain scalars on one line; nothing nested."""
        close = "]" if rest[0] == "[" else "}"
        end = rest.find(close)
        if end < 0:
            raise _DeclineError
        _after_quote(rest, end)
        body = rest[1:end]
        if _FLOW_UNSAFE.search(body):
            raise _DeclineError
        items = [item.strip(" ") for item in body.split(",")]
        if items == [""]:
            return [] if close == "]" else {}
        if close == "]":
            return [self._flow_scalar(item) for item in items]
        mapping: dict[Any, Any] = {}
        for item in items:
            key, colon, value = item.partition(": ")
            if not colon or ":" in value:
                raise _DeclineError
            typed_key = self._flow_scalar(key.rstrip(" "))
            if typed_key in mapping or not isinstance(typed_key, (str, int, float)):
                raise _DeclineError
            mapping[typed_key] = self._flow_scalar(value.strip(" "))
        return mapping

    def _flow_scalar(self, item: str) -> Any:
        if not item or item[0] in _INDICATORS or ":" in item:
            raise _DeclineError
        tag, value = self._typer(item)
        if tag not in _VALUE_TAGS:
            raise _DeclineError
        return value

    def _merge(self, frame: _Frame, rest: str) -> None:
        target = self._value(rest)
        if not isinstance(target, dict):
            raise _DeclineError
        frame.merges = [*(frame.merges or []), target]

    def _alias(self, rest: str) -> Any:
        cut = rest.find(" #")
        name = (rest[1:cut] if cut >= 0 else rest[1:]).rstrip(" ")
        if not name or name not in self._anchors or not _ANCHOR_NAME.fullmatch(name):
            raise _DeclineError
        target = self._anchors[name]
        if isinstance(target, (dict, list)):
            if any(frame.container is target for frame in self._stack):
                raise _DeclineError  # an alias inside its own anchor: recursive
            self._expanded += self._size(target)
        return target

    def _size(self, value: Any) -> int:
        known = self._sizes.get(id(value))
        if known is not None:
            return known
        if isinstance(value, dict):
            size = 1 + sum(1 + self._size(v) for v in value.values())
        elif isinstance(value, list):
            size = 1 + sum(self._size(v) for v in value)
        else:
            size = 1
        self._sizes[id(value)] = size
        return size

    def _typed_key(self, raw_key: str) -> Any:
        tag, key = self._typer(raw_key)
        if tag != _STR_TAG and not tag.endswith((":int", ":bool", ":float")):
            raise _DeclineError  # null, merge ("<<") and value ("=") keys
        return key

    def _key(self, content: str) -> tuple[Any, str]:
        if content[0] in "'\"":
            return _quoted_key(content)
        if content[0] in _INDICATORS:
            raise _DeclineError
        cut = content.find(": ")
        if cut < 0:
            if not content.endswith(":"):
                raise _DeclineError
            cut = len(content) - 1
        raw_key = content[:cut].rstrip(" ")
        if " #" in raw_key or not raw_key:
            raise _DeclineError
        key = self._typed_key(raw_key)
        rest = content[cut + 1 :].lstrip(" ")
        return key, "" if rest.startswith("#") else rest

    def _item(self, rest: str) -> Any:
        rest = rest.lstrip(" ")
        if not rest or rest[0] == "#":
            raise _DeclineError  # a nested block inside a list
        value = self._value(rest)
        if (
            isinstance(value, str)
            and rest[0] not in "'\""
            and (": " in rest or rest.endswith(":"))
        ):
            raise _DeclineError  # "- key: value" is a mapping inside a list
        return value

    def _value(self, rest: str) -> Any:
        first = rest[0]
        if first == "*":
            return self._alias(rest)
        if first in "[{":
            return self._flow(rest)
        if first == "'":
            return _single_quoted(rest)
        if first == '"':
            return _double_quoted(rest)
        if first in _INDICATORS and (
            first not in "-?:" or len(rest) == 1 or rest[1] == " "
        ):
            raise _DeclineError
        cut = rest.find(" #")
        if cut >= 0:
            rest = rest[:cut]
        rest = rest.rstrip(" ")
        if ": " in rest or rest.endswith(":"):
            raise _DeclineError  # "mapping values are not allowed here"
        tag, value = self._typer(rest)
        if tag not in _VALUE_TAGS:
            raise _DeclineError  # "<<" or "=" as a value: the full loader refuses
        return value


_ANCHOR_NAME = re.compile(r"[^\s,\[\]{}]+")


def _anchor(rest: str) -> tuple[str, str]:
    """Split "&name value" into the anchor's name and the rest of the line."""
    name, _, after = rest[1:].partition(" ")
    if not _ANCHOR_NAME.fullmatch(name):
        raise _DeclineError
    after = after.lstrip(" ")
    return name, "" if after.startswith("#") else after


def _quoted_key(content: str) -> tuple[str, str]:
    """``"{name}_csv": value`` -> the key (always a string) and the rest."""
    quote = content[0]
    end = content.find(quote, 1)
    while quote == "'" and end >= 0 and content[end + 1 : end + 2] == "'":
        end = content.find(quote, end + 2)
    if end < 0:
        raise _DeclineError
    key = content[1:end]
    if quote == '"' and "\\" in key:
        raise _DeclineError
    after = content[end + 1 :].lstrip(" ")
    if not after.startswith(":") or after[1:2] not in ("", " "):
        raise _DeclineError
    rest = after[1:].lstrip(" ")
    key = key.replace("''", "'") if quote == "'" else key
    return key, "" if rest.startswith("#") else rest


def _after_quote(rest: str, end: int) -> None:
    tail = rest[end + 1 :]
    stripped = tail.lstrip(" ")
    if stripped and not (stripped[0] == "#" and len(stripped) < len(tail)):
        raise _DeclineError


def _single_quoted(rest: str) -> str:
    pos = 1
    while True:
        end = rest.find("'", pos)
        if end < 0:
            raise _DeclineError  # continues on the next line
        if end + 1 < len(rest) and rest[end + 1] == "'":
            pos = end + 2
            continue
        _after_quote(rest, end)
        return rest[1:end].replace("''", "'")


def _double_quoted(rest: str) -> str:
    end = rest.find('"', 1)
    if end < 0 or "\\" in rest[1:end]:
        raise _DeclineError
    _after_quote(rest, end)
    return rest[1:end]
