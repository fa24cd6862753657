"""Run one benchmark case in this interpreter and print its figures as JSON.

``python -m benchmarks.worker <module> <benchmark id> <impl>``: the harness starts
this in a fresh process per case and implementation, with ordino's interpreter or
the Kedro venv's, so each framework is measured without the other's imports or
leftover state. The last line of stdout is the result (a JSON object); anything a
case prints before it is ignored. A failing case exits with status 1 and its
traceback on stderr, whose last line the report shows.
"""

from __future__ import annotations

import importlib
import json
import sys
from typing import Any

from benchmarks.spec import Benchmark


def find_benchmark(module_name: str, benchmark_id: str) -> tuple[Any, Benchmark]:
    """The case module ``benchmarks.cases.<module_name>`` and its benchmark."""
    module = importlib.import_module(f"benchmarks.cases.{module_name}")
    for bench in getattr(module, "BENCHMARKS", ()):
        if bench.id == benchmark_id:
            return module, bench
    raise SystemExit(
        f"benchmarks/cases/{module_name}.py: no benchmark {benchmark_id!r} in "
        "BENCHMARKS; check the id (python -m benchmarks --only ... lists them)."
    )


def run(module_name: str, benchmark_id: str, impl: str) -> dict[str, Any]:
    """Call the benchmark's case with ``impl`` and its arguments."""
    module, bench = find_benchmark(module_name, benchmark_id)
    case = getattr(module, bench.case)
    result = case(impl, **bench.args)
    if not isinstance(result, dict):
        raise TypeError(
            f"benchmarks/cases/{module_name}.py: case {bench.case}() returned "
            f"{type(result).__name__}, not a dict of figures."
        )
    return result


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[2] not in ("ordino", "kedro"):
        print(
            "usage: python -m benchmarks.worker <module> <benchmark id> ordino|kedro",
            file=sys.stderr,
        )
        return 2
    result = run(*argv)
    sys.stdout.flush()
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
