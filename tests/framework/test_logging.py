from __future__ import annotations

import io
import logging
import subprocess
import sys

import pytest

from ordino.errors import ProjectError
from ordino.framework.logs import ConsoleHandler, default_logging_config, wants_rich
from ordino.framework.project import LOGGING, configure_logging
from ordino.framework.startup import bootstrap_project


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _console_handlers() -> list[logging.Handler]:
    return [h for h in logging.getLogger().handlers if isinstance(h, ConsoleHandler)]


def test_default_configuration_after_bootstrap(project):
    bootstrap_project(project())
    assert LOGGING.data == default_logging_config("demo_project")
    assert len(_console_handlers()) == 1
    assert logging.getLogger("ordino").level == logging.INFO
    assert logging.getLogger("demo_project").level == logging.INFO


def test_project_logging_yml_overrides_the_default(project):
    config = {
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {"plain": {"class": "logging.NullHandler"}},
        "loggers": {"ordino": {"level": "DEBUG"}},
        "root": {"handlers": ["plain"]},
    }
    bootstrap_project(project(logging_config=config))
    assert LOGGING.data == config
    assert logging.getLogger("ordino").level == logging.DEBUG
    assert _console_handlers() == []


def test_environment_variable_wins_over_the_project_file(
    project, tmp_path, monkeypatch
):
    custom = tmp_path / "custom_logging.yml"
    custom.write_text("version: 1\nloggers:\n  ordino:\n    level: ERROR\n")
    monkeypatch.setenv("ORDINO_LOGGING_CONFIG", str(custom))
    bootstrap_project(project(logging_config={"version": 1}))
    assert logging.getLogger("ordino").level == logging.ERROR


def test_environment_variable_to_a_missing_file(project, tmp_path, monkeypatch):
    monkeypatch.setenv("ORDINO_LOGGING_CONFIG", str(tmp_path / "nope.yml"))
    with pytest.raises(
        ProjectError,
        match=r"\$ORDINO_LOGGING_CONFIG points to .*nope.yml, which does not exist",
    ):
        bootstrap_project(project())


def test_invalid_logging_file(project, tmp_path, monkeypatch):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "version: 1\nhandlers:\n  x:\n    class: no.such.Handler\n"
        "root:\n  handlers: [x]\n"
    )
    monkeypatch.setenv("ORDINO_LOGGING_CONFIG", str(bad))
    with pytest.raises(ProjectError, match="The logging configuration is invalid"):
        bootstrap_project(project())
    bad.write_text("version: [1\n")
    with pytest.raises(ProjectError, match=r"bad.yml: not valid YAML"):
        configure_logging()


def test_a_kedro_logging_file_gets_a_hint(tmp_path, monkeypatch):
    kedro = tmp_path / "logging.yml"
    kedro.write_text(
        "version: 1\nhandlers:\n  rich:\n    class: kedro.logging.RichHandler\n"
        "root:\n  handlers: [rich]\n"
    )
    monkeypatch.setenv("ORDINO_LOGGING_CONFIG", str(kedro))
    with pytest.raises(ProjectError, match=r"(?s)invalid.*replace kedro.logging"):
        configure_logging()


def test_console_handler_is_plain_off_a_terminal():
    stream = io.StringIO()
    logger = logging.getLogger("test.plain")
    logger.propagate = False
    handler = ConsoleHandler(stream=stream)
    logger.addHandler(handler)
    try:
        logger.warning("disk %s", "full")
    finally:
        logger.removeHandler(handler)
    assert "WARNING disk full" in stream.getvalue()
    assert "\x1b[" not in stream.getvalue()


def test_console_handler_uses_rich_on_a_terminal(monkeypatch):
    stream = _Tty()
    assert wants_rich(stream)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not wants_rich(stream)
    monkeypatch.delenv("NO_COLOR")
    handler = ConsoleHandler(stream=stream)
    handler.emit(
        logging.LogRecord("x", logging.INFO, __file__, 1, "hello rich", None, None)
    )
    assert "hello rich" in stream.getvalue()
    from rich.logging import RichHandler

    assert isinstance(handler._delegate, RichHandler)


def test_configuring_logging_does_not_import_rich(project):
    root = project()
    code = (
        "import sys\n"
        "from ordino.framework.startup import bootstrap_project\n"
        f"bootstrap_project({str(root)!r})\n"
        "import logging; logging.getLogger('ordino').info('plain line')\n"
        "print('rich' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
    assert "INFO    plain line" in result.stderr
