"""``python -m benchmarks``: run the benchmarks, judge the targets, write the report.

Examples::

    make bench                                  # everything, report in docs/
    make bench BENCH_ARGS=--quick               # the quick subset
    python -m benchmarks --only 'pipeline.*.10k' --no-kedro --report ''
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import time
from pathlib import Path

from benchmarks import harness


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Benchmark ordino against Kedro and write docs/performance.md.",
    )
    parser.add_argument(
        "--quick", action="store_true", help="only the benchmarks marked quick"
    )
    parser.add_argument(
        "--only",
        metavar="PATTERN",
        help="benchmark ids to run: a glob (pipeline.*.10k) or a substring",
    )
    parser.add_argument(
        "--no-kedro",
        action="store_true",
        help="skip the Kedro reference runs (speedup targets are then not judged)",
    )
    parser.add_argument(
        "--report",
        default="docs/performance.md",
        metavar="PATH",
        help="where to write the Markdown report ('' for none); "
        "default docs/performance.md",
    )
    parser.add_argument(
        "--list", action="store_true", help="list the selected benchmarks and exit"
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exit with status 1 when a target is not met",
    )
    return parser.parse_args(argv)


def _command(argv: list[str]) -> str:
    if os.environ.get("MAKELEVEL"):
        args = shlex.join(argv)
        return f"make bench BENCH_ARGS={shlex.quote(args)}" if args else "make bench"
    return shlex.join(["python", "-m", "benchmarks", *argv])


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    entries = harness.discover(only=args.only, quick=args.quick)
    if args.list or not entries:
        for entry in entries:
            print(f"{entry.bench.id:<48} {entry.bench.title}")
        if not entries:
            print("No benchmark matches the selection.", file=sys.stderr)
            return 1
        return 0

    kedro_python: Path | None = None
    if not args.no_kedro and any(entry.bench.kedro for entry in entries):
        from benchmarks.kedro_env import ensure_kedro_venv

        kedro_python = ensure_kedro_venv()

    started = time.perf_counter()
    machine = harness.machine_info()
    date = harness.now()
    print(f"Running {len(entries)} benchmark(s)...", flush=True)
    rows = harness.run_all(
        entries,
        kedro_python=kedro_python,
        log=lambda line: print(line, flush=True),
    )
    harness.print_table(rows)
    if args.report:
        info = harness.RunInfo(
            date=date,
            command=_command(argv),
            machine=machine,
            ordino_version=harness.ordino_version(),
            kedro_version=harness.kedro_version(kedro_python),
            duration=time.perf_counter() - started,
        )
        path = Path(args.report)
        if not path.is_absolute():
            path = harness.REPO_ROOT / path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(harness.render_report(rows, info), encoding="utf-8")
        print(f"\nReport written to {path}")
    if args.strict and harness.not_met(rows):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
