"""Hook plugins installed as packages (entry point group ``ordino.hooks``)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ordino.framework.entry_points import group_may_be_declared
from ordino.framework.session import Session

PLUGIN = """
from ordino.framework.hooks import hook_impl


class Announce:
    @hook_impl
    def after_context_created(self, context):
        context.announced = True


hooks = Announce()
"""


@pytest.fixture
def installed_plugin(tmp_path, monkeypatch):
    """A distribution 'ordino-announce' on sys.path with an ordino.hooks entry point."""
    site = tmp_path / "site"
    (site / "ordino_announce").mkdir(parents=True)
    (site / "ordino_announce" / "__init__.py").write_text(PLUGIN)
    dist = site / "ordino_announce-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: ordino-announce\nVersion: 1.0\n"
    )
    (dist / "entry_points.txt").write_text(
        "[ordino.hooks]\nannounce = ordino_announce:hooks\n"
    )
    monkeypatch.syspath_prepend(str(site))
    yield
    sys.modules.pop("ordino_announce", None)


def test_the_quick_check_sees_no_plugin_in_this_environment():
    # A fresh interpreter: other tests in this worker put plugin sites on sys.path.
    probe = (
        "from ordino.framework.entry_points import group_may_be_declared as g;"
        "print(g('ordino.hooks'), g('console_scripts'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    # console_scripts: ordino's own script is declared.
    assert result.stdout.split() == ["False", "True"]


def test_installed_plugin_hooks_run(project, installed_plugin):
    assert group_may_be_declared("ordino.hooks")
    session = Session.create(project())
    assert getattr(session.load_context(), "announced", False) is True


def test_disable_hooks_for_plugins(project, installed_plugin):
    root = project(settings="DISABLE_HOOKS_FOR_PLUGINS = ('Ordino_Announce',)\n")
    session = Session.create(root)
    assert not hasattr(session.load_context(), "announced")
