"""The run progress plugin: plain lines, a live display, and the closing summary."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

import pytest

from ordino.cli import progress
from ordino.cli.progress import RunProgress


class FakeDataset:
    def __init__(self, filepath: str | None) -> None:
        self.filepath = filepath

    def describe(self) -> dict[str, object]:
        return {"filepath": self.filepath} if self.filepath else {}


def _run(reporter: RunProgress, tmp_path: Path) -> None:
    nodes = [SimpleNamespace(name=f"n{i}") for i in range(3)]
    catalog = {
        "a": FakeDataset(str(tmp_path / "data" / "a.csv")),
        "m": FakeDataset(None),
    }
    reporter.before_pipeline_run(pipeline=SimpleNamespace(nodes=nodes), catalog=catalog)
    for node in nodes:
        reporter.before_node_run(node=node)
        reporter.after_node_run(node=node)
    reporter.after_dataset_saved(dataset_name="a")
    reporter.after_dataset_saved(dataset_name="m")
    reporter.after_pipeline_run()


def test_plain_lines_and_a_summary_with_relative_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reporter = RunProgress(tmp_path, live=False)
    _run(reporter, tmp_path)
    err = capsys.readouterr().err
    assert "[1/3] done n0" in err
    assert "[3/3] done n2" in err
    summary = reporter.summary()
    assert summary.startswith("Ran 3 of 3 nodes in ")
    assert "  a  data/a.csv" in summary
    assert " m " not in summary  # in memory: nothing to show


def test_live_display_runs_without_printing_plain_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    reporter = RunProgress(tmp_path, live=True)
    _run(reporter, tmp_path)
    assert "done n0" not in capsys.readouterr().err
    assert reporter.done == 3
    assert reporter._bar is None  # stopped


@pytest.mark.parametrize(
    ("env", "tty", "expected"),
    [
        ({}, True, True),
        ({"NO_COLOR": "1"}, True, False),
        ({}, False, False),
        ({"TERM": "dumb"}, True, False),
    ],
)
def test_live_only_on_a_colour_terminal(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], tty: bool, expected: bool
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    stream = io.StringIO()
    stream.isatty = lambda: tty  # type: ignore[method-assign]
    monkeypatch.setattr(progress.sys, "stderr", stream)
    assert progress.use_live_display() is expected


def test_live_display_routes_log_handlers_through_it_and_restores_them(
    tmp_path: Path,
) -> None:
    import logging
    import sys

    handler = logging.StreamHandler(sys.stderr)
    logger = logging.getLogger("ordino.test_progress")
    logger.addHandler(handler)
    try:
        reporter = RunProgress(tmp_path, live=True)
        reporter.before_pipeline_run(pipeline=SimpleNamespace(nodes=[]), catalog={})
        assert handler.stream is sys.stderr  # rich's proxy while the display runs
        assert reporter._restore
        reporter.after_pipeline_run()
        assert handler.stream is sys.__stderr__ or handler.stream is sys.stderr
        assert reporter._restore == []
    finally:
        logger.removeHandler(handler)
