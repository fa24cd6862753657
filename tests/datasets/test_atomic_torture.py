"""SIGKILL a process in the middle of saving a large DataFrame, many times.

After every kill the target must be the complete old file or the complete new one
(byte-identical to a finished save, and loading back to the known frame), and any
other file in the folder must be a hidden temporary of the atomic-write scheme,
which the loader never reads and a later save sweeps once it is stale.

A fork server (``_torture_worker.py``) imports pandas and builds the frames once and
forks a child per trial, so that ~30 kills fit in a few seconds each.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ordino.datasets.pandas import ParquetDataset
from ordino.io import Version
from ordino.io.files import is_temporary_path

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL"),
    pytest.mark.timeout(180),
]

WORKER = Path(__file__).with_name("_torture_worker.py")
KILLS = {"csv": 8, "parquet": 16}
VERSIONED_KILLS = 4


def _worker_module():
    spec = importlib.util.spec_from_file_location("ordino_torture_worker", WORKER)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class ForkServer:
    def __init__(self) -> None:
        src = str(Path(__file__).resolve().parents[2] / "src")
        env = {
            **os.environ,
            "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", ""),
        }
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert self._read() == "ready"

    def _read(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"fork server died: {self.process.wait()}")
        return line.strip()

    def trial(
        self,
        fmt: str,
        target: Path,
        which: int,
        *,
        kill_after: float | None,
        versioned: bool = False,
    ) -> tuple[int, float]:
        """One forked save; SIGKILL it after ``kill_after`` seconds. -> (status, s)."""
        assert self.process.stdin is not None
        started = time.perf_counter()
        self.process.stdin.write(f"save {fmt} {target} {which} {int(versioned)}\n")
        self.process.stdin.flush()
        word, pid = self._read().split()
        assert word == "pid"
        if kill_after is not None:
            time.sleep(kill_after)
            os.kill(int(pid), signal.SIGKILL)  # not reaped yet: never a recycled pid
        self.process.stdin.write("reap\n")
        self.process.stdin.flush()
        word, status = self._read().split()
        assert word == "exit"
        return int(status), time.perf_counter() - started

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("quit\n")
        self.process.stdin.close()
        self.process.wait(timeout=30)
        assert self.process.stdout is not None
        self.process.stdout.close()


@pytest.fixture(scope="module")
def server():
    forks = ForkServer()
    yield forks
    forks.close()


@pytest.fixture(scope="module")
def worker():
    return _worker_module()


@pytest.fixture(scope="module")
def known_frames(worker):
    """The frames the fork server saves, rebuilt here from the same seeds."""
    return {
        fmt: {which: worker.build_frame(fmt, which) for which in (0, 1)}
        for fmt in worker.ROWS
    }


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _others(folder: Path, target: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name != target.name)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_sigkill_mid_save_leaves_the_old_or_the_new_file(
    tmp_path, server, worker, known_frames, fmt
):
    frames = known_frames[fmt]
    target = tmp_path / f"big.{fmt}"
    dataset = worker.make_dataset(fmt, str(target))

    # Two uninterrupted saves: the reference bytes of each complete file, and how
    # long a save takes here (kill moments are drawn around it).
    digests, durations = {}, []
    for which in (0, 1):
        status, took = server.trial(fmt, target, which, kill_after=None)
        assert status == 0
        digests[_digest(target)] = which
        durations.append(took)
    assert len(digests) == 2
    state = 1
    save_time = min(durations)  # a load spike must not push kills past the end
    assert target.stat().st_size > 10_000_000  # "large": tens of MB

    rng = random.Random(20240131 + len(fmt))
    outcomes = {"old": 0, "new": 0}
    interrupted = 0
    for _ in range(KILLS[fmt]):
        other = 1 - state
        status, _ = server.trial(
            fmt, target, other, kill_after=rng.uniform(0.01, 0.95) * save_time
        )
        assert status in (0, -signal.SIGKILL)
        found = digests.get(_digest(target))
        assert found in (state, other), "the target is neither the old nor the new file"
        loaded = dataset.load()
        assert loaded.equals(frames[found])
        outcomes["old" if found == state else "new"] += 1
        state = found
        leftovers = _others(tmp_path, target)
        assert all(is_temporary_path(name) for name in leftovers), leftovers
        interrupted += status == -signal.SIGKILL and bool(leftovers)

    assert outcomes["old"] >= 1, outcomes  # some kills landed before the rename
    assert interrupted >= 1  # and some of them in the middle of writing

    # Crashed saves left temporaries; once stale they go with the next save.
    leftovers = [tmp_path / name for name in _others(tmp_path, target)]
    assert leftovers
    stale = time.time() - 2 * 3600
    for path in leftovers:
        os.utime(path, (stale, stale))
    dataset.save(frames[0].head(3))
    assert _others(tmp_path, target) == []
    assert dataset.load().equals(frames[0].head(3))


def test_sigkill_mid_versioned_save_never_hides_the_latest_version(
    tmp_path, server, worker, known_frames
):
    frames = known_frames["parquet"]
    target = tmp_path / "big.parquet"
    dataset = worker.make_dataset("parquet", str(target), versioned=True)
    status, save_time = server.trial(
        "parquet", target, 0, kill_after=None, versioned=True
    )
    assert status == 0
    listed = dataset.list_versions()
    assert len(listed) == 1
    rng = random.Random(7)
    for _ in range(VERSIONED_KILLS):
        status, _ = server.trial(
            "parquet",
            target,
            1,
            kill_after=rng.uniform(0.05, 0.8) * save_time,
            versioned=True,
        )
        dataset.release()
        versions = dataset.list_versions()
        assert versions[: len(listed)] == listed  # no version vanished
        assert len(versions) - len(listed) in (0, 1)
        if status == 0:  # the save finished before the kill
            assert len(versions) == len(listed) + 1
        for version in versions[len(listed) :]:  # a listed version is complete
            pinned = ParquetDataset(
                filepath=str(target), version=Version(version, None)
            )
            assert pinned.load().equals(frames[1])
        newest = frames[1] if len(versions) > 1 else frames[0]
        assert dataset.load().equals(newest)
        listed = versions
    # Killed saves left version folders holding only hidden temporaries (or
    # nothing): they are not versions.
    for folder in sorted(set(os.listdir(target)) - set(listed)):
        contents = os.listdir(target / folder)
        assert all(is_temporary_path(name) for name in contents), contents
