"""The examples in docs/runners.md run, in order, as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).parents[2] / "docs"


def python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(), flags=re.DOTALL)


def run_blocks(path: Path) -> None:
    namespace: dict[str, object] = {"__name__": f"docs_{path.stem}"}
    for block in python_blocks(path):
        exec(compile(block, str(path), "exec"), namespace)


@pytest.mark.slow
def test_runners_md_examples_run() -> None:
    assert len(python_blocks(DOCS / "runners.md")) >= 5
    run_blocks(DOCS / "runners.md")
