"""The template renderer: variables, conditionals, file names, and all-or-nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from ordino.cli.render import apply_conditionals, render_tree, substitute
from ordino.errors import ProjectError


def test_substitute_replaces_variables_with_or_without_spaces() -> None:
    text = substitute("{{ a }}-{{b}}", {"a": 1, "b": "x"}, where="f")
    assert text == "1-x"


def test_an_undefined_variable_names_the_file() -> None:
    with pytest.raises(
        ProjectError, match=r"Template conf/x.yml uses '\{\{ nope \}\}'"
    ):
        substitute("{{ nope }}", {"a": 1}, where="conf/x.yml")


def test_conditionals_keep_or_drop_whole_lines_and_nest() -> None:
    text = "a\n{% if x %}\nb\n{% if not y %}\nc\n{% endif %}\n{% endif %}\nd\n"
    assert (
        apply_conditionals(text, {"x": True, "y": False}, where="f") == "a\nb\nc\nd\n"
    )
    assert apply_conditionals(text, {"x": True, "y": True}, where="f") == "a\nb\nd\n"
    assert apply_conditionals(text, {"x": False}, where="f") == "a\nd\n"


def test_an_unclosed_conditional_is_an_error() -> None:
    with pytest.raises(ProjectError, match="never closed"):
        apply_conditionals("{% if x %}\nb\n", {"x": True}, where="f")


def test_render_tree_renames_paths_and_overlays(tmp_path: Path) -> None:
    base = tmp_path / "base"
    (base / "src" / "{{ pkg }}").mkdir(parents=True)
    (base / "src" / "{{ pkg }}" / "mod.py.tmpl").write_text("NAME = '{{ pkg }}'\n")
    (base / "dot-gitignore").write_text("data/\n")
    (base / "README.md").write_text("base\n")
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "README.md").write_text("overlay {{ pkg }}\n")
    target = tmp_path / "out"
    written = render_tree([base, overlay], target, {"pkg": "demo"})
    assert (target / "src" / "demo" / "mod.py").read_text() == "NAME = 'demo'\n"
    assert (target / ".gitignore").is_file()
    assert (target / "README.md").read_text() == "overlay demo\n"
    assert Path("src/demo/mod.py") in written


def test_a_failed_render_leaves_nothing_behind(tmp_path: Path) -> None:
    base = tmp_path / "base"
    base.mkdir()
    (base / "a.txt").write_text("fine\n")
    (base / "b.txt").write_text("{{ missing }}\n")
    with pytest.raises(ProjectError, match="missing"):
        render_tree([base], tmp_path / "out", {})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["base"]


def test_render_tree_refuses_an_existing_target(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")
    with pytest.raises(ProjectError, match="already exists"):
        render_tree([tmp_path], tmp_path / "out", {})
    assert (tmp_path / "out" / "keep.txt").read_text() == "mine"
