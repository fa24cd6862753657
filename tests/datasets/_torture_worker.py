"""Fork server for the SIGKILL torture test (run as a script, never imported by pytest).

It pays for importing pandas and building the two large frames once, then forks one
child per trial, so that each of the many kills costs milliseconds instead of a fresh
interpreter. The parent never writes a file itself (no pyarrow thread pool exists at
fork time); every save happens in a forked child, which the test SIGKILLs.

Protocol, one line each way:
    -> ready
    <- save <fmt> <target> <which> <versioned 0|1>
                                       fork a child that saves frame <which> once
    -> pid <pid>
    <- reap                            after the test's SIGKILL (or not)
    -> exit <status>                   status is negative for a signal, as in subprocess
    <- quit
"""

from __future__ import annotations

import os
import sys
from typing import Any

import numpy as np
import pandas as pd

ROWS = {"csv": 330_000, "parquet": 700_000}


def build_frame(fmt: str, which: int) -> pd.DataFrame:
    """The two known frames per format; the test rebuilds them with the same seeds.

    About 22 MB of CSV and 27 MB of Parquet. The CSV frame is mostly integers,
    which pandas formats faster than floats: more kills per second of test.
    """
    rows = ROWS[fmt]
    rng = np.random.default_rng(1_000 * which + rows)
    columns = {
        "id": np.arange(rows, dtype="int64") + which,
        "key": rng.integers(0, 1 << 40, rows),
        "x": rng.random(rows),
    }
    if fmt == "csv":
        columns["k2"] = rng.integers(0, 1 << 40, rows)
        columns["k3"] = rng.integers(0, 1 << 30, rows)
    else:
        columns["y"] = rng.random(rows)
        columns["z"] = rng.random(rows)
    frame = pd.DataFrame(columns)
    frame["label"] = "v" + (frame["key"] % 997).astype(str)
    return frame


def make_dataset(fmt: str, target: str, *, versioned: bool = False) -> Any:
    """The dataset under test; the test process builds the same for loading."""
    from ordino.datasets.pandas import CSVDataset, ParquetDataset
    from ordino.io import Version

    version = Version(None, None) if versioned else None
    if fmt == "csv":
        return CSVDataset(filepath=target, version=version)
    return ParquetDataset(filepath=target, version=version)


def serve() -> None:
    frames = {(fmt, w): build_frame(fmt, w) for fmt in ROWS for w in (0, 1)}
    print("ready", flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            return
        _, fmt, target, which, versioned = words
        pid = os.fork()
        if pid == 0:  # the child: one save, then leave without running atexit hooks
            code = 0
            try:
                dataset = make_dataset(fmt, target, versioned=versioned == "1")
                dataset.save(frames[fmt, int(which)])
            except BaseException as exc:  # report anything, the test asserts on it
                print(f"child error {exc!r}", file=sys.stderr, flush=True)
                code = 1
            os._exit(code)
        print(f"pid {pid}", flush=True)
        # Reap only when told: until then a finished child stays a zombie that
        # keeps its pid, so the test's SIGKILL can never reach a recycled pid.
        if sys.stdin.readline().strip() != "reap":
            return
        _, status = os.waitpid(pid, 0)
        if os.WIFSIGNALED(status):
            print(f"exit {-os.WTERMSIG(status)}", flush=True)
        else:
            print(f"exit {os.WEXITSTATUS(status)}", flush=True)


if __name__ == "__main__":
    serve()
