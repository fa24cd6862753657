"""The fast YAML reader gives exactly what PyYAML + OmegaConf's typing give."""

from __future__ import annotations

import io
import math
import warnings
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ordino.config.fast_yaml import DECLINED, parse_block_yaml
from ordino.config.yaml_reader import _Loader, load_text, locate, type_plain_scalar
from ordino.errors import BadConfigException


def typed(value: Any) -> Any:
    """A comparable form that tells 1, 1.0 and True apart (and nan from nan)."""
    if isinstance(value, dict):
        return ("dict", [(typed(k), typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [typed(v) for v in value])
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


def full_load(text: str) -> Any:
    return yaml.load(text, Loader=_Loader)


def omegaconf_load(text: str) -> Any:
    from omegaconf import OmegaConf

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        config = OmegaConf.load(io.StringIO(text), max_yaml_expanded_nodes=None)
        return OmegaConf.to_container(config, resolve=False)


TRICKY_SCALARS = [
    "1",
    "-1",
    "+1",
    "0",
    "007",
    "0x1F",
    "0o17",
    "0b101",
    "1_000",
    "1.5",
    "-1.5",
    "1e3",
    "1E-3",
    "1.5e+3",
    ".5",
    "5.",
    ".inf",
    "-.inf",
    ".nan",
    "1:30",
    "190:20:30",
    "yes",
    "No",
    "on",
    "OFF",
    "true",
    "False",
    "y",
    "n",
    "~",
    "null",
    "Null",
    "NULL",
    "2024-01-02",
    "2024-01-02 10:00:00",
    "a b",
    "x:y",
    "http://h:80/p?q=1#frag",
    "${globals:bucket}/x.csv",
    "${a.b}",
    "-x",
    "?x",
    ":x",
    "a#b",
    "a,b",
    "[x]",
    "{x}",
    "*x",
    "&x",
    "!x",
    "|",
    ">",
    "%x",
    "@x",
    "`x",
    "'q'",
    '"d"',
    "it's",
    "é",
    "🙂",
    "a  b",
    "=",
    "<<",
    "-",
    "?",
    ":",
    "#",
    "- x",
    "a: b",
    "a:",
    "",
]


def render_scalar(value: str, style: str) -> str:
    if style == "single":
        return "'" + value.replace("'", "''") + "'"
    if style == "double":
        return '"' + value + '"'
    return value


def st_space_choice(key: str) -> str:
    # A quoted key may have spaces before its colon; vary it deterministically.
    return " " if len(key) % 3 == 0 else ""


scalar_text = st.builds(
    render_scalar,
    st.sampled_from(TRICKY_SCALARS) | st.text(min_size=0, max_size=8),
    st.sampled_from(["plain", "plain", "single", "double"]),
)
plain_keys = st.sampled_from(
    ["a", "b", "cars", "_root", "x y", "1", "true", "k:v", "n"]
) | st.text(alphabet="abcxyz_-.0123456789", min_size=1, max_size=6)
quoted_keys = st.builds(
    render_scalar,
    st.sampled_from(["{name}_csv", "a", "it's", "x: y", "1", "", "a#b", "a\\b"]),
    st.sampled_from(["single", "double"]),
).map(lambda key: key + st_space_choice(key))
keys = plain_keys | quoted_keys


@st.composite
def documents(draw: st.DrawFn, depth: int = 0) -> list[str]:
    lines: list[str] = []
    indent = " " * (2 * depth)
    for _ in range(draw(st.integers(1, 4))):
        key = draw(keys)
        kind = draw(
            st.sampled_from(
                [
                    "scalar",
                    "scalar",
                    "map",
                    "list",
                    "empty",
                    "anchor",
                    "alias",
                    "merge",
                    "flow",
                ]
            )
        )
        if draw(st.booleans()):
            lines.append(indent + draw(st.sampled_from(["# note", "", "   "])))
        anchor = draw(st.sampled_from(["t1", "t2"]))
        if kind == "map" and depth < 3:
            lines.append(f"{indent}{key}:")
            lines.extend(draw(documents(depth + 1)))
        elif kind == "anchor" and depth < 3:
            lines.append(
                f"{indent}{key}: &{anchor}" + draw(st.sampled_from(["", " 1"]))
            )
            if draw(st.booleans()):
                lines.extend(draw(documents(depth + 1)))
        elif kind == "flow":
            atoms = draw(st.lists(st.sampled_from(TRICKY_SCALARS), max_size=3))
            if draw(st.booleans()):
                body = ", ".join(atoms)
                lines.append(f"{indent}{key}: [{body}]")
            else:
                pairs = ", ".join(f"{k}: {v}" for k, v in zip(atoms, atoms[::-1]))
                lines.append(f"{indent}{key}: {{{pairs}}}")
        elif kind == "alias":
            lines.append(f"{indent}{key}: *{anchor}")
        elif kind == "merge":
            lines.append(f"{indent}<<: *{anchor}")
        elif kind == "list":
            lines.append(f"{indent}{key}:")
            item_indent = indent + draw(st.sampled_from(["", "  "]))
            for _ in range(draw(st.integers(1, 3))):
                lines.append(f"{item_indent}- {draw(scalar_text)}")
        elif kind == "empty":
            lines.append(f"{indent}{key}:" + draw(st.sampled_from(["", " # c"])))
        else:
            comment = draw(st.sampled_from(["", " # c", "  #c"]))
            lines.append(f"{indent}{key}: {draw(scalar_text)}{comment}")
    return lines


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_fast_reader_agrees_with_pyyaml_and_declines_what_it_cannot_read(lines):
    text = "\n".join(lines) + "\n"
    fast = parse_block_yaml(text, type_plain_scalar)
    try:
        expected = full_load(text)
    except (yaml.YAMLError, ValueError):
        assert fast is DECLINED, text
        return
    if fast is not DECLINED:
        assert typed(fast) == typed(expected), text


LINE_FRAGMENTS = [
    "a: 1",
    "  b: x",
    "- y",
    "  - z",
    "c:",
    "    d: 'q''s'",
    'e: "w"',
    "# c",
    "",
    "f: g: h",
    " g: 1",
    "h: [1]",
    "i: &x 1",
    "j: *x",
    "k: |",
    "  text",
    "l: -",
    "- m: 1",
    "n: a # b",
    "o:  ",
    "'p': 1",
    "q : 2",
    "r: 'unclosed",
    "s: {a: 1}",
    "<<: *x",
    "t: &t",
    "  u: 1",
    "  <<: *t",
    "v: *t",
    "- *x",
    "w: &w [1]",
    "t: &t 2",
    "x: [1, a, 1.5, yes]",
    "x2: []",
    "x3: {a: 1, b: no}",
    "x4: {}",
    "x5: [a b, c]  # c",
    "x6: [a, [b]]",
    "x7: {a: 1, a: 2}",
    "x8: [a, ]",
    "x9: [a: 1]",
    "y1: {a: [1]}",
    "y2: [1, 2",
    "y3: {a:1}",
    "y4: [-, - a, -1]",
    "y5: {1: x, ~: y}",
    "y6: [a,b] x",
    "y7: [${a}]",
    "  - [1, 2]",
    '"{n}_csv": 1',
    "'{n}_x' : a",
    '"k":1',
    '"a\\"b": 1',
    "'a''b': 2",
    '"q": # c',
    '"unclosed: 1',
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(LINE_FRAGMENTS), max_size=8))
def test_fast_reader_never_accepts_what_pyyaml_reads_differently(lines):
    text = "\n".join(lines)
    fast = parse_block_yaml(text, type_plain_scalar)
    try:
        expected = full_load(text)
    except (yaml.YAMLError, ValueError):
        assert fast is DECLINED, text
        return
    if fast is not DECLINED:
        assert typed(fast) == typed(expected), text


@settings(max_examples=100, deadline=None)
@given(documents())
def test_reading_agrees_with_omegaconf(lines):
    text = "\n".join(lines) + "\n"
    try:
        expected = omegaconf_load(text)
    except Exception:
        # OmegaConf also refuses some valid YAML (null keys, for one); ordino reads
        # it. What OmegaConf accepts, ordino must read the same way.
        return
    ours = load_text(text, display="f.yml", is_json=False, secret=False)
    assert typed(ours or {}) == typed(expected), text


@pytest.mark.parametrize("scalar", [s for s in TRICKY_SCALARS if s])
def test_plain_scalar_typing_matches_omegaconf(scalar):
    from omegaconf._yaml import get_yaml_loader

    loader = get_yaml_loader()
    try:
        expected = yaml.load(f"k: {scalar}\n", Loader=loader)
    except yaml.YAMLError:
        return
    if scalar[0] in "'\"&*!|>[{#" or " #" in scalar or ": " in scalar:
        return  # not a plain scalar
    if isinstance(expected, dict) and "k" in expected:
        assert typed(type_plain_scalar(scalar)[1]) == typed(expected["k"])


def test_json_files_use_the_json_reader_and_keep_yaml_semantics():
    assert load_text(
        '{"a": 1, "b": [true, null]}', display="x.json", is_json=True, secret=False
    ) == {"a": 1, "b": [True, None]}
    with pytest.raises(BadConfigException, match="appears twice"):
        load_text('{"a": 1, "a": 2}', display="x.json", is_json=True, secret=False)


def test_locate_finds_nested_keys_and_list_items():
    text = "a:\n  b:\n    - x\n    - c: 1\n"
    assert locate(text, ("a", "b")) == (2, 3)
    assert locate(text, ("a", "b", 1, "c")) == (4, 7)
    assert locate("a: [", ("a",)) is None
