"""The examples in docs/hooks.md run, in order, as written."""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).parents[3] / "docs"


def test_hooks_md_examples_run() -> None:
    path = DOCS / "hooks.md"
    blocks = re.findall(r"```python\n(.*?)```", path.read_text(), flags=re.DOTALL)
    assert len(blocks) >= 4
    namespace: dict[str, object] = {"__name__": "docs_hooks"}
    for block in blocks:
        exec(compile(block, str(path), "exec"), namespace)
