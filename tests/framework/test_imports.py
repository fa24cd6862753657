"""The framework's modules are cheap to import: heavy libraries load on use only."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pandas", "rich", "pluggy", "omegaconf", "fsspec", "IPython", "pydantic")


def _imported_after(statement: str) -> set[str]:
    code = (
        f"import sys\n{statement}\n"
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_framework_modules_import_nothing_heavy():
    statement = (
        "import ordino.framework.project, ordino.framework.session, "
        "ordino.framework.startup, ordino.framework.context, "
        "ordino.framework.validation, ordino.ipython, ordino.framework.logs"
    )
    assert _imported_after(statement) == set()


def test_bootstrap_imports_nothing_heavy(tmp_path):
    from ordino.testing import make_project

    root = make_project(tmp_path / "p")
    statement = (
        "from ordino.framework.startup import bootstrap_project\n"
        f"bootstrap_project({str(root)!r})\n"
        "from ordino.framework.project import settings, validate_settings\n"
        "validate_settings(); settings.CONF_SOURCE"
    )
    assert _imported_after(statement) == set()
