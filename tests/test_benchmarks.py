"""The benchmark harness: a worker run, target judging and the report's content.

Benchmarks are not tests; these only check that `make bench` measures and judges
correctly: a real worker run of one small ordino case, and judging and rendering
of fabricated results (so a wrong verdict cannot hide behind machine noise).
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # importlib mode does not add the rootdir
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks import harness  # noqa: E402
from benchmarks.spec import Benchmark, Target  # noqa: E402


def test_worker_runs_a_pipeline_case_with_ordino() -> None:
    # Only the pipeline cases are imported: other areas' modules do not matter here.
    from benchmarks.cases.pipeline import BENCHMARKS

    (bench,) = [b for b in BENCHMARKS if b.id == "pipeline.filter.layered.1k"]
    entry = harness.Entry("pipeline", bench)
    outcome = harness.run_case(sys.executable, entry, "ordino")
    assert outcome.status == "ok", outcome.error
    assert outcome.figures["nodes"] == 1_000
    assert 0 < outcome.figures["seconds"] < 1.0


def test_worker_failure_becomes_an_error_line() -> None:
    entry = harness.Entry(
        "pipeline", Benchmark(id="no.such.benchmark", title="", case="")
    )
    outcome = harness.run_case(sys.executable, entry, "ordino")
    assert outcome.status == "error"
    assert "no benchmark 'no.such.benchmark'" in outcome.error


def _row(
    bench: Benchmark,
    ordino: harness.Outcome,
    kedro: harness.Outcome | None = None,
    area: str = "pipeline",
) -> harness.Row:
    return harness.Row(
        harness.Entry(area, bench), ordino, kedro or harness.Outcome("skipped")
    )


def _ok(**figures: float) -> harness.Outcome:
    return harness.Outcome("ok", figures=dict(figures))


def test_fit_exponent_is_the_log_log_slope() -> None:
    assert harness.fit_exponent([(10, 1.0), (100, 10.0)]) == 1.0
    assert abs(harness.fit_exponent([(1e4, 1.0), (1e5, 100.0)]) - 2.0) < 1e-9  # type: ignore[operator]
    assert harness.fit_exponent([(10, 1.0)]) is None


def test_judging_every_target_kind() -> None:
    speed = Target("speedup", 5.0)
    linear = Target("exponent", 1.15)
    rows = [
        _row(
            Benchmark("a.fast", "", "c", targets=(speed,)),
            _ok(seconds=0.1),
            _ok(seconds=1.0),
        ),
        _row(
            Benchmark("a.slow", "", "c", targets=(speed,)),
            _ok(seconds=0.5),
            _ok(seconds=1.0),
        ),
        _row(
            Benchmark("a.kedro_timeout", "", "c", targets=(speed,)),
            _ok(seconds=1.0),
            harness.Outcome("timeout", timeout=60.0),
        ),
        _row(Benchmark("a.no_kedro", "", "c", targets=(speed,)), _ok(seconds=1.0)),
        _row(
            Benchmark(
                "a.mem", "", "c", metric="peak_mib", targets=(Target("at_most", 60),)
            ),
            _ok(peak_mib=61.0),
        ),
        _row(
            Benchmark("a.io", "", "c", targets=(Target("ratio_to_baseline", 1.1),)),
            _ok(seconds=1.05, baseline_seconds=1.0),
        ),
        _row(Benchmark("g.10k", "", "c", group="lin", size=10_000), _ok(seconds=0.01)),
        _row(
            Benchmark("g.100k", "", "c", group="lin", size=100_000, targets=(linear,)),
            _ok(seconds=0.1),
        ),
        _row(Benchmark("q.10k", "", "c", group="quad", size=10_000), _ok(seconds=0.01)),
        _row(
            Benchmark("q.100k", "", "c", group="quad", size=100_000, targets=(linear,)),
            _ok(seconds=1.0),
        ),
        _row(
            Benchmark("a.broken", "", "c", targets=(Target("at_most", 1.0),)),
            harness.Outcome("error", error="ValueError: boom"),
        ),
    ]
    harness.judge(rows)
    verdicts = {row.entry.bench.id: [j.verdict for j in row.judgements] for row in rows}
    assert verdicts == {
        "a.fast": ["MET"],
        "a.slow": ["NOT MET"],
        "a.kedro_timeout": ["MET"],  # at least 60x: Kedro did not finish
        "a.no_kedro": ["NOT JUDGED"],
        "a.mem": ["NOT MET"],
        "a.io": ["MET"],
        "g.10k": [],
        "g.100k": ["MET"],
        "q.10k": [],
        "q.100k": ["NOT MET"],
        "a.broken": ["NOT MET"],
    }
    missed = harness.not_met(rows)
    assert [line.split(":")[0] for line in missed] == [
        "a.slow",
        "a.mem",
        "q.100k",
        "a.broken",
    ]
    assert "n^2.00" in missed[2]
    assert "ValueError: boom" in missed[3]


def test_report_lists_unmet_targets_first_and_tables_per_area() -> None:
    rows = [
        _row(
            Benchmark(
                "pipeline.build",
                "Build",
                "c",
                targets=(Target("speedup", 5.0, ">= 5x"),),
            ),
            _ok(seconds=0.002),
            _ok(seconds=0.02),
        ),
        _row(
            Benchmark(
                "cli.run", "Run", "c", targets=(Target("speedup", 4.0, "<= 0.25x"),)
            ),
            _ok(seconds=0.5),
            harness.Outcome("error", error="RuntimeError: kedro run exited 1"),
            area="cli",
        ),
        _row(
            Benchmark(
                "cli.mem",
                "Memory",
                "c",
                metric="peak_mib",
                targets=(Target("at_most", 60.0, "<= 60 MiB"),),
            ),
            _ok(peak_mib=75.5),
            area="cli",
        ),
    ]
    harness.judge(rows)
    info = harness.RunInfo(
        date="2026-01-01 00:00 UTC",
        command="make bench",
        machine={"CPU": "Test CPU", "Cores": "2"},
        ordino_version="0.1.0",
        kedro_version="1.7.0",
        duration=12.0,
    )
    text = harness.render_report(rows, info)
    head, _, tables = text.partition("## Pipelines")
    assert "- Command: `make bench`" in head
    assert "- CPU: Test CPU" in head
    assert "ordino 0.1.0, Kedro 1.7.0" in head
    not_met = head.split("## Targets not met", 1)[1]
    assert "cli.mem: <= 60 MiB (got 75.5 MiB)" in not_met
    assert "pipeline.build" not in not_met.split("could not be judged")[0]
    assert "RuntimeError: kedro run exited 1" in not_met  # the failed Kedro case
    assert "| 2.0 ms | 20.0 ms | 10.0x | >= 5x | MET (10.0x) |" in tables
    assert "## Command line" in tables
    assert "| 75.5 MiB | - | - | <= 60 MiB | **NOT MET** (75.5 MiB) |" in tables


def test_exponent_against_a_linear_pass_is_shown_but_not_judged() -> None:
    target = Target("exponent", 1.15)
    rows = [
        _row(
            Benchmark("c.10k", "", "c", group="g", size=10_000),
            _ok(seconds=0.01, baseline_seconds=0.001),
        ),
        _row(
            Benchmark("c.100k", "", "c", group="g", size=100_000, targets=(target,)),
            _ok(seconds=0.2, baseline_seconds=0.02),
        ),
    ]
    harness.judge(rows)
    (judgement,) = rows[1].judgements
    assert judgement.verdict == "NOT MET"  # raw n^1.30 exceeds the target
    assert judgement.shown == "n^1.30, n^1.00 vs a linear pass"
