"""Ctrl-C on a real process running a pipeline: it stops, cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

HERE = Path(__file__).parent

SCRIPT = """
import sys
sys.path.insert(0, {here!r})
from runner_testlib import TextFile
from ordino.io import DataCatalog
from ordino.pipeline import Pipeline, node
from ordino.runner import ParallelRunner, SequentialRunner, ThreadRunner

if __name__ == "__main__":
    pipe = Pipeline([
        node(str.upper, "a", "b", name="first"),
        node(lambda b: b * {chars}, "b", "out", name="slow_save"),
        node(str.lower, "out", "final", name="after"),
    ])
    catalog = DataCatalog(
        {{
            "b": TextFile({b!r}),
            "out": TextFile({out!r}, chunk_delay=0.05, marker={marker!r}),
        }},
        raw_data={{"a": "x"}},
    )
    {runner}.run(pipe, catalog)
"""


def _wait_for(path: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not (path.exists() and path.read_text()):
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} never appeared")
        time.sleep(0.05)


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.slow
@pytest.mark.parametrize(
    "runner", ["SequentialRunner()", "ParallelRunner(max_workers=2)"]
)
def test_sigint_stops_the_run_cleanly(tmp_path: Path, runner: str) -> None:
    out, stderr, saver, children = _interrupt_a_slow_save(tmp_path, runner, 200)
    assert 'ordino run --from-nodes "slow_save"' in stderr
    # No half-written output, no temporary left next to it.
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "b.txt",
        "run.py",
        "saving.pid",
    ]
    # The process that was saving (a worker, for ParallelRunner) is gone, and so is
    # every other process the run started.
    assert _gone(saver, 10)
    if runner.startswith("Parallel"):
        assert len(children) >= 2
    assert [pid for pid in children if not _gone(pid, 10)] == []


@pytest.mark.slow
def test_sigint_lets_a_thread_runner_node_finish_its_save(tmp_path: Path) -> None:
    # A thread cannot be stopped from outside: the node that is saving finishes
    # (atomically), nothing else starts, and the run ends interrupted.
    out, stderr, _, _ = _interrupt_a_slow_save(tmp_path, "ThreadRunner(2)", 20)
    assert 'ordino run --from-nodes "after"' in stderr  # out.txt is on disk
    assert out.read_text() == "X" * 20  # whole, never partial
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "b.txt",
        "out.txt",
        "run.py",
        "saving.pid",
    ]


def _interrupt_a_slow_save(
    tmp_path: Path, runner: str, chars: int
) -> tuple[Path, str, int, list[int]]:
    """Run the script, send SIGINT while it saves; checks the common outcome."""
    out, marker = tmp_path / "out.txt", tmp_path / "saving.pid"
    script = tmp_path / "run.py"
    script.write_text(
        textwrap.dedent(
            SCRIPT.format(
                here=str(HERE),
                b=str(tmp_path / "b.txt"),
                out=str(out),
                marker=str(marker),
                runner=runner,
                chars=chars,
            )
        )
    )
    process = subprocess.Popen(
        [sys.executable, str(script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(marker, 60)
        saver = int(marker.read_text())
        children = _children(process.pid) if Path("/proc").exists() else []
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode != 0
    assert "RunInterruptedError" in stderr
    return out, stderr, saver, children
