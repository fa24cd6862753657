"""Factory patterns: Kedro's ranking and matching, fast and exact."""

from __future__ import annotations

import subprocess
import sys
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from ordino.io import DataCatalog
from ordino.io.factories import CatalogConfigResolver, Pattern, rank_patterns

_PIECES = st.sampled_from(["{a}", "{b}", "{c}", "_", ".", "x", "csv", "raw"])
# Keys starting with "_" are YAML anchors, not patterns.
_PATTERNS = (
    st.lists(_PIECES, min_size=1, max_size=5)
    .map("".join)
    .filter(lambda p: "{" in p and not p.startswith("_"))
)
_NAMES = st.lists(
    st.sampled_from(["_", ".", "x", "csv", "raw", "k", "q"]), min_size=1, max_size=8
).map("".join)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(_PATTERNS, min_size=1, max_size=6, unique=True),
    st.lists(_NAMES, max_size=10),
)
def test_matching_equals_trying_ranked_patterns_in_order(
    patterns: list[str], names: list[str]
) -> None:
    catch_all = [
        p
        for p in patterns
        if not p.replace("{a}", "").replace("{b}", "").replace("{c}", "")
    ]
    if len(catch_all) > 1:
        patterns = [p for p in patterns if p not in catch_all[1:]]
    config = {p: {"type": "MemoryDataset", "metadata": {"p": p}} for p in patterns}
    resolver = CatalogConfigResolver(config)
    compiled = [Pattern.compile(p, config[p]) for p in rank_patterns(patterns)]
    for name in names:
        expected = next((p.text for p in compiled if p.match(name) is not None), None)
        got = resolver.match_dataset_pattern(
            name
        ) or resolver.match_user_catch_all_pattern(name)
        assert got == expected, (name, patterns)


def test_repeated_placeholder_must_repeat_the_same_value() -> None:
    resolver = CatalogConfigResolver({"{a}_{a}": {"type": "MemoryDataset"}})
    assert resolver.match_user_catch_all_pattern("x_x") is None  # has characters
    assert resolver.match_dataset_pattern("x_x") == "{a}_{a}"
    assert resolver.match_dataset_pattern("x_y") is None


def test_placeholders_match_lazily_like_parse() -> None:
    resolver = CatalogConfigResolver(
        {
            "{ns}.{name}": {
                "type": "MemoryDataset",
                "metadata": {"ns": "{ns}", "n": "{name}"},
            }
        }
    )
    assert resolver.resolve_pattern("a.b.c")["metadata"] == {"ns": "a", "n": "b.c"}


def test_runtime_patterns_can_be_added() -> None:
    resolver = CatalogConfigResolver()
    resolver.add_runtime_patterns(
        {"{x}#mem": {"type": "MemoryDataset", "copy_mode": "assign"}}
    )
    assert resolver.list_patterns() == ["{x}#mem", "{default}"]
    assert resolver.resolve_pattern("a#mem") == {
        "type": "MemoryDataset",
        "copy_mode": "assign",
    }
    assert resolver.match_runtime_pattern("a#mem") == "{x}#mem"


def test_ten_thousand_names_through_twenty_patterns_is_fast() -> None:
    """A loose guard (the benchmark is tighter): membership and access of 10,000
    pattern-matched names in well under a second on a loaded machine."""
    config = {
        f"{{name}}_layer{i}_mem": {"type": "MemoryDataset", "metadata": {"l": i}}
        for i in range(19)
    }
    config["{namespace}.{name}"] = {"type": "MemoryDataset"}
    names = [
        f"d{i}_layer{i % 19}_mem" if i % 2 else f"ns{i}.d{i}" for i in range(10_000)
    ]
    start = time.process_time()
    catalog = DataCatalog.from_config(config)
    assert all(name in catalog for name in names)
    for name in names:
        catalog[name]
    assert time.process_time() - start < 1.5


def test_ten_thousand_explicit_entries_are_cheap() -> None:
    config = {
        f"d{i}": {"type": "MemoryDataset", "copy_mode": "assign"} for i in range(10_000)
    }
    start = time.process_time()
    catalog = DataCatalog.from_config(config)
    for name in config:
        catalog[name]
    assert time.process_time() - start < 1.0


def test_catalog_with_memory_datasets_imports_no_heavy_library() -> None:
    code = (
        "import sys\n"
        "from ordino.io import DataCatalog\n"
        "m = {'type': 'MemoryDataset'}\n"
        "c = DataCatalog.from_config({'a': m, '{x}_m': m})\n"
        "c.save('a', [1]); c.load('a'); c['q_m']\n"
        "heavy = {'pandas', 'numpy', 'fsspec', 'pandera', 'yaml'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
