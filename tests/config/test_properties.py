"""Merge laws, and a fuzz test: nothing but OrdinoError escapes the loader."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ordino.config import OmegaConfigLoader
from ordino.config.merge import deep_merge, expand_dotted
from ordino.errors import OrdinoError

names = st.text(alphabet="abcdefgh", min_size=1, max_size=3)
leaves = st.one_of(st.integers(), st.booleans(), st.none(), st.text(max_size=5))
trees = st.recursive(
    leaves, lambda inner: st.dictionaries(names, inner, max_size=3), max_leaves=8
)
mappings = st.dictionaries(names, trees, max_size=4)

_PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _layout(files: dict[str, Any]) -> Path:
    root = Path(tempfile.mkdtemp(prefix="ordino-conf-"))
    for env in ("base", "local"):
        (root / env).mkdir()
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(yaml.safe_dump(content), encoding="utf-8")
    return root


def _load(root: Path, key: str, **kwargs: Any) -> Any:
    loader = OmegaConfigLoader(
        str(root), base_env="base", default_run_env="local", **kwargs
    )
    return loader[key]


@_PROPERTY
@given(mappings, mappings)
def test_soft_merge_of_disjoint_keys_is_order_independent(left, right):
    right = {k: v for k, v in right.items() if k not in left}
    assert deep_merge(left, right) == deep_merge(right, left)
    root = _layout({"base/parameters.yml": left, "local/parameters.yml": right})
    swapped = _layout({"base/parameters.yml": right, "local/parameters.yml": left})
    try:
        strategy = {"merge_strategy": {"parameters": "soft"}}
        assert _load(root, "parameters", **strategy) == _load(
            swapped, "parameters", **strategy
        )
    finally:
        shutil.rmtree(root)
        shutil.rmtree(swapped)


@_PROPERTY
@given(mappings, mappings)
def test_destructive_merge_keeps_exactly_the_run_environments_top_level_keys(base, run):
    root = _layout({"base/catalog.yml": base, "local/catalog.yml": run})
    try:
        merged = _load(root, "catalog")
    finally:
        shutil.rmtree(root)
    visible = {k: v for k, v in base.items() if not k.startswith("_")}
    for key, value in run.items():
        if not key.startswith("_"):
            assert merged[key] == value  # replaced whole, never merged
    for key, value in visible.items():
        if key not in run:
            assert merged[key] == value
    assert set(merged) == set(visible) | {k for k in run if not k.startswith("_")}


@_PROPERTY
@given(mappings, mappings)
def test_deep_merge_never_modifies_its_inputs(left, right):
    before = (repr(left), repr(right))
    deep_merge(left, right)
    assert (repr(left), repr(right)) == before


@_PROPERTY
@given(st.dictionaries(st.lists(names, min_size=1, max_size=3).map(".".join), leaves))
def test_dotted_runtime_keys_mean_nested_keys(flat):
    # Prefix-free keys: "a" and "a.b" together would be a contradiction.
    assume(not any(o.startswith(k + ".") for k in flat for o in flat))
    nested = expand_dotted(flat)
    for dotted, value in flat.items():
        node: Any = nested
        for part in dotted.split("."):
            node = node[part]
        assert node == value


# -- fuzz -----------------------------------------------------------------------------

yaml_fragments = st.sampled_from(
    [
        "a: 1",
        "b:",
        "  c: ${a}",
        "- x",
        "d: [1, 2",
        "e: {f: 1}",
        "g: ${globals:h}",
        "i: ${runtime_params:j, 2}",
        "k: ${oc.env:HOME}",
        "l: ${nope:1}",
        "m: ${m}",
        "n: &x {o: 1}",
        "p: *x",
        "q: *missing",
        "r: |",
        "  text",
        "s: '${a'",
        "_t: 1",
        "u: ${_t}",
        "v: ${..w}",
        "\tx: 1",
        "y: !!python/object:os.system x",
        "z: ???",
        "aa: ${z}",
        "bb: \\${a}",
        "cc: ${oc.select:a}",
        "dd: ${oc.decode:'{'}",
        "---",
        "ee: 1e3",
        "a: 2",
        "ff: ${items[5]}",
        "items: [1]",
        "gg: ${echo:[1, {k: v}]}",
        "hh: ${oc.dict.keys:a}",
        "ii: 0b_",
        "jj: ${globals:_x}",
        "null: 1",
        "? kk",
        "ll: ${a.${ee}}",
        "mm: ${${ee}:x}",
        "nn: ${oc.create:'[1'}",
        "oo: ${oc.dict.values:[1]}",
    ]
)
documents = st.lists(yaml_fragments, max_size=6).map("\n".join) | st.text(max_size=40)
file_names = st.sampled_from(
    [
        "base/catalog.yml",
        "base/catalog/x.yaml",
        "base/parameters.yml",
        "base/parameters.json",
        "base/credentials.yml",
        "base/globals.yml",
        "local/catalog.yml",
        "local/parameters.yml",
        "local/globals.yml",
        "local/credentials.yml",
        "base/.hidden/catalog.yml",
        "base/catalog.txt",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(file_names, documents | st.binary(max_size=20), max_size=5),
    st.sampled_from([None, "local", "base", "missing"]),
    st.dictionaries(names, leaves, max_size=2),
)
def test_random_files_never_raise_outside_the_ordino_error_tree(files, env, params):
    root = Path(tempfile.mkdtemp(prefix="ordino-fuzz-"))
    try:
        for env_name in ("base", "local"):
            (root / env_name).mkdir()
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        loader = OmegaConfigLoader(
            str(root),
            env=env,
            runtime_params=params,
            base_env="base",
            default_run_env="local",
            custom_resolvers={"echo": repr},
        )
        for key in ("catalog", "parameters", "credentials", "globals", "spark"):
            with contextlib.suppress(OrdinoError):
                loader[key]
    finally:
        shutil.rmtree(root)
