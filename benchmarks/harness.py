"""Discover, run and judge the benchmarks; render the performance report.

The harness never measures anything itself: each case runs in a fresh interpreter
(:mod:`benchmarks.worker`), ordino's from this venv and Kedro's from the reference
venv (:mod:`benchmarks.kedro_env`), so that imports, caches and garbage of one case
cannot leak into the next. Runs are interleaved (ordino then Kedro, case by case)
so that both see the same load on a shared machine.

A case that fails or exceeds its timeout never stops the run: it becomes a row of
the report with its error line or ``> N s``, and its targets are judged from what
is known (a Kedro timeout still proves a speedup of at least timeout / ordino).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import fnmatch
import importlib
import json
import math
import os
import pkgutil
import platform
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from benchmarks.spec import Benchmark, Target

REPO_ROOT = Path(__file__).resolve().parent.parent
AREA_ORDER = ("pipeline", "catalog", "config", "runner", "cli")
AREA_TITLES = {
    "pipeline": "Pipelines",
    "catalog": "Data catalog",
    "config": "Configuration",
    "runner": "Runners",
    "cli": "Command line",
}

Status = Literal["ok", "error", "timeout", "skipped"]
Verdict = Literal["MET", "NOT MET", "NOT JUDGED"]


@dataclass(frozen=True)
class Entry:
    """A benchmark and the case module (``benchmarks.cases.<area>``) it lives in."""

    area: str
    bench: Benchmark
    broken: str = ""  # the case module failed to import: this error, not run


@dataclass
class Outcome:
    """What one run of a case with one implementation gave."""

    status: Status
    figures: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    timeout: float = 0.0
    wall: float = 0.0

    def value(self, metric: str) -> float | None:
        raw = self.figures.get(metric) if self.status == "ok" else None
        return float(raw) if isinstance(raw, (int, float)) else None


@dataclass(frozen=True)
class Judgement:
    target: Target
    verdict: Verdict
    shown: str  # the judged figure: "12.3x", "1.04", "0.81 s"
    why: str = ""  # why it is not met or not judged


@dataclass
class Row:
    entry: Entry
    ordino: Outcome
    kedro: Outcome
    judgements: list[Judgement] = field(default_factory=list)


# -- discovery ---------------------------------------------------------------------


def discover(only: str | None = None, quick: bool = False) -> list[Entry]:
    """Every benchmark of ``benchmarks/cases/*.py``, filtered by id and quickness.

    ``only`` is a glob (``pipeline.*.10k``) when it has glob characters, else a
    substring of the id.
    """
    import benchmarks.cases as cases_pkg

    entries: list[Entry] = []
    seen: set[str] = set()
    for info in sorted(pkgutil.iter_modules(cases_pkg.__path__), key=_area_key):
        try:
            module = importlib.import_module(f"benchmarks.cases.{info.name}")
        except Exception as exc:  # one broken area must not hide the others
            bench_id = f"{info.name}.module"
            if not only or _matches(bench_id, only) or only.startswith(info.name):
                title = f"benchmarks/cases/{info.name}.py failed to import"
                error = f"{type(exc).__name__}: {exc}"
                entries.append(
                    Entry(info.name, Benchmark(bench_id, title, ""), broken=error)
                )
            continue
        for bench in getattr(module, "BENCHMARKS", ()):
            if bench.id in seen:
                raise ValueError(
                    f"benchmarks/cases/{info.name}.py: benchmark id {bench.id!r} is "
                    "used twice; give each benchmark a unique id."
                )
            seen.add(bench.id)
            if quick and not bench.quick:
                continue
            if only and not _matches(bench.id, only):
                continue
            entries.append(Entry(info.name, bench))
    return entries


def _area_key(info: pkgutil.ModuleInfo) -> tuple[int, str]:
    name = info.name
    return (AREA_ORDER.index(name) if name in AREA_ORDER else len(AREA_ORDER), name)


def _matches(bench_id: str, pattern: str) -> bool:
    if any(ch in pattern for ch in "*?["):
        return fnmatch.fnmatchcase(bench_id, pattern)
    return pattern in bench_id


# -- running -----------------------------------------------------------------------


def worker_env() -> dict[str, str]:
    """The environment of a worker: the repo importable, bytecode cache allowed.

    PYTHONDONTWRITEBYTECODE would make every import compile from source and
    inflate import timings; PYTHONPATH is the repo root only, so the Kedro venv
    can import ``benchmarks`` but never ``src/ordino``.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = str(REPO_ROOT)
    env["PYTHONHASHSEED"] = "0"
    # Kedro's telemetry plugin would ask for consent or use the network.
    env["DO_NOT_TRACK"] = "1"
    env["KEDRO_DISABLE_TELEMETRY"] = "1"
    return env


def run_case(python: Path | str, entry: Entry, impl: str) -> Outcome:
    """Run one benchmark with one implementation in a fresh worker process."""
    cmd = [str(python), "-m", "benchmarks.worker", entry.area, entry.bench.id, impl]
    timeout = entry.bench.timeout
    start = time.perf_counter()
    # A session of its own, so that a timeout kills the case's children too
    # (a CLI case runs `kedro run` in a subprocess).
    proc = subprocess.Popen(
        cmd,
        cwd=REPO_ROOT,
        env=worker_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        proc.communicate()
        return Outcome("timeout", timeout=timeout, wall=time.perf_counter() - start)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        return Outcome("error", error=_last_line(err or out), wall=wall)
    lines = [line for line in out.splitlines() if line.strip()]
    try:
        figures = json.loads(lines[-1]) if lines else None
    except json.JSONDecodeError:
        figures = None
    if not isinstance(figures, dict):
        return Outcome("error", error="the worker printed no JSON result", wall=wall)
    return Outcome("ok", figures=figures, wall=wall)


def _kill_group(proc: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:300] if lines else "failed with no output"


def run_all(
    entries: Sequence[Entry],
    *,
    kedro_python: Path | None,
    ordino_python: Path | str = sys.executable,
    log: Any = print,
) -> list[Row]:
    """Run every benchmark (Kedro too unless ``kedro_python`` is None).

    Benchmarks that call the same case with the same arguments share one run
    per implementation: they only judge different figures of its result.
    """
    cache: dict[tuple[str, str, str, str], Outcome] = {}
    rows: list[Row] = []
    for entry in entries:
        bench = entry.bench
        if entry.broken:
            rows.append(
                Row(entry, Outcome("error", error=entry.broken), Outcome("skipped"))
            )
            log(f"{bench.id:<48} {entry.broken}")
            continue
        outcomes: dict[str, Outcome] = {}
        for impl in ("ordino", "kedro"):
            if impl == "kedro" and (not bench.kedro or kedro_python is None):
                outcomes[impl] = Outcome("skipped")
                continue
            python = ordino_python if impl == "ordino" else kedro_python
            key = (entry.area, bench.case, _args_key(bench.args), impl)
            if key not in cache:
                cache[key] = run_case(python or sys.executable, entry, impl)
            outcomes[impl] = cache[key]
        row = Row(entry, outcomes["ordino"], outcomes["kedro"])
        rows.append(row)
        log(_progress_line(row))
    judge(rows)
    return rows


def _args_key(args: dict[str, object]) -> str:
    return json.dumps(args, sort_keys=True, default=repr)


def _progress_line(row: Row) -> str:
    metric = row.entry.bench.metric
    parts = [f"{row.entry.bench.id:<48}"]
    parts.append(f"ordino {show_outcome(row.ordino, metric):>12}")
    if row.kedro.status != "skipped":
        parts.append(f"kedro {show_outcome(row.kedro, metric):>12}")
    return "  ".join(parts)


# -- judging -----------------------------------------------------------------------


def fit_exponent(points: Iterable[tuple[float, float]]) -> float | None:
    """Least-squares slope of log(metric) against log(size); None below 2 sizes."""
    pts = [(math.log(x), math.log(y)) for x, y in points if x > 0 and y > 0]
    if len({x for x, _ in pts}) < 2:
        return None
    mean_x = sum(x for x, _ in pts) / len(pts)
    mean_y = sum(y for _, y in pts) / len(pts)
    num = sum((x - mean_x) * (y - mean_y) for x, y in pts)
    den = sum((x - mean_x) ** 2 for x, _ in pts)
    return num / den


def judge(rows: Sequence[Row]) -> None:
    """Fill every row's judgements from its own and its group's figures."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        if row.entry.bench.group:
            groups.setdefault(row.entry.bench.group, []).append(row)
    for row in rows:
        row.judgements = [
            _judge_one(row, target, groups.get(row.entry.bench.group, []))
            for target in row.entry.bench.targets
        ]


def _judge_one(row: Row, target: Target, group: list[Row]) -> Judgement:
    bench = row.entry.bench
    metric = bench.metric
    if target.kind == "exponent":
        return _judge_exponent(target, metric, group)
    mine = row.ordino.value(metric)
    if mine is None:
        return Judgement(target, "NOT MET", "-", f"ordino {_failure(row.ordino)}")
    if target.kind == "at_most":
        ok = mine <= target.value
        return Judgement(target, _verdict(ok), format_figure(metric, mine))
    if target.kind == "ratio_to_baseline":
        base = row.ordino.value(f"baseline_{metric}")
        if base is None or base <= 0:
            return Judgement(target, "NOT JUDGED", "-", f"no baseline_{metric}")
        ratio = mine / base
        return Judgement(target, _verdict(ratio <= target.value), f"{ratio:.2f}x")
    # speedup: Kedro / ordino
    if row.kedro.status == "timeout" and mine > 0:
        bound = row.kedro.timeout / mine
        if bound >= target.value:
            return Judgement(target, "MET", f"> {bound:.1f}x")
        return Judgement(target, "NOT JUDGED", f"> {bound:.1f}x", "Kedro timed out")
    theirs = row.kedro.value(metric)
    if theirs is None:
        return Judgement(target, "NOT JUDGED", "-", f"Kedro {_failure(row.kedro)}")
    if mine <= 0:
        return Judgement(target, "MET" if theirs > 0 else "NOT JUDGED", "inf")
    speedup = theirs / mine
    return Judgement(target, _verdict(speedup >= target.value), f"{speedup:.1f}x")


def _judge_exponent(target: Target, metric: str, group: list[Row]) -> Judgement:
    bad = [r for r in group if r.ordino.status != "ok"]
    if bad:
        why = f"{bad[0].entry.bench.id}: ordino {_failure(bad[0].ordino)}"
        return Judgement(target, "NOT MET", "-", why)
    points = [(float(r.entry.bench.size), r.ordino.value(metric) or 0.0) for r in group]
    slope = fit_exponent(points)
    if slope is None:
        return Judgement(target, "NOT JUDGED", "-", "fewer than two sizes ran")
    shown = f"n^{slope:.2f}"
    # A case may time a linear pass over the same data (``baseline_<metric>``):
    # the exponent relative to it discounts what the memory hierarchy adds.
    bases = [r.ordino.value(f"baseline_{metric}") for r in group]
    if all(base is not None and base > 0 for base in bases):
        relative = fit_exponent(
            (x, y / (base or 1.0)) for (x, y), base in zip(points, bases)
        )
        if relative is not None:
            shown += f", n^{relative + 1:.2f} vs a linear pass"
    return Judgement(target, _verdict(slope <= target.value), shown)


def _verdict(ok: bool) -> Verdict:
    return "MET" if ok else "NOT MET"


def _failure(outcome: Outcome) -> str:
    if outcome.status == "timeout":
        return f"timed out (> {outcome.timeout:g} s)"
    if outcome.status == "skipped":
        return "not run"
    if outcome.status == "error":
        return f"failed: {outcome.error}"
    return "gave no figure"


# -- formatting --------------------------------------------------------------------


def format_figure(metric: str, value: float) -> str:
    """A figure with its unit, chosen from the metric's name."""
    if metric.endswith("seconds"):
        if value < 1e-3:
            return f"{value * 1e6:.0f} µs"
        if value < 1.0:
            return f"{value * 1e3:.1f} ms"
        return f"{value:.2f} s"
    if metric.endswith("mib"):
        return f"{value:.1f} MiB"
    if metric.endswith("mb"):
        return f"{value:.1f} MB"
    if float(value).is_integer():
        return f"{int(value)}"
    return f"{value:.3g}"


def show_outcome(outcome: Outcome, metric: str) -> str:
    if outcome.status == "ok":
        value = outcome.value(metric)
        return "(no figure)" if value is None else format_figure(metric, value)
    if outcome.status == "timeout":
        return f"> {outcome.timeout:g} s"
    if outcome.status == "skipped":
        return "-"
    return "error"


def _target_text(target: Target) -> str:
    if target.text:
        return target.text
    return {
        "speedup": f">= {target.value:g}x faster than Kedro",
        "at_most": f"<= {target.value:g}",
        "ratio_to_baseline": f"<= {target.value:g}x the baseline",
        "exponent": f"fitted exponent <= {target.value:g}",
    }[target.kind]


def _ratio(row: Row) -> str:
    metric = row.entry.bench.metric
    mine = row.ordino.value(metric)
    if mine is None or mine <= 0:
        return "-"
    if row.kedro.status == "timeout":
        return f"> {row.kedro.timeout / mine:.1f}x"
    theirs = row.kedro.value(metric)
    return "-" if theirs is None else f"{theirs / mine:.1f}x"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def print_table(rows: Sequence[Row], out: Any = print) -> None:
    """A plain-text summary of every judged target, for the terminal."""
    out("")
    out(f"{'benchmark':<44} {'ordino':>11} {'kedro':>11} {'ratio':>8}  verdict")
    for row in rows:
        metric = row.entry.bench.metric
        verdicts = "; ".join(
            f"{j.verdict} ({j.shown} vs {_target_text(j.target)})"
            for j in row.judgements
        )
        out(
            f"{row.entry.bench.id:<44} {show_outcome(row.ordino, metric):>11} "
            f"{show_outcome(row.kedro, metric):>11} {_ratio(row):>8}  {verdicts}"
        )
    missed = not_met(rows)
    out("")
    out(f"{len(missed)} target(s) not met" + (":" if missed else "."))
    for line in missed:
        out(f"  - {line}")


def not_met(rows: Sequence[Row]) -> list[str]:
    return [
        f"{row.entry.bench.id}: {_target_text(j.target)} (got {j.shown}"
        + (f"; {j.why}" if j.why else "")
        + ")"
        for row in rows
        for j in row.judgements
        if j.verdict == "NOT MET"
    ]


def not_judged(rows: Sequence[Row]) -> list[str]:
    return [
        f"{row.entry.bench.id}: {_target_text(j.target)} ({j.why})"
        for row in rows
        for j in row.judgements
        if j.verdict == "NOT JUDGED"
    ]


# -- the report --------------------------------------------------------------------


@dataclass(frozen=True)
class RunInfo:
    """Where and how the figures were taken, for the report's header."""

    date: str
    command: str
    machine: dict[str, str]
    ordino_version: str
    kedro_version: str
    duration: float


def machine_info() -> dict[str, str]:
    """CPU model, cores, RAM, Python and OS of this machine."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
                break
    except OSError:
        pass
    load = ""
    if hasattr(os, "getloadavg"):
        load = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    return {
        "CPU": cpu,
        "Cores": str(os.cpu_count()),
        "RAM": ram,
        "Python": platform.python_version() + f" ({platform.python_implementation()})",
        "OS": platform.platform(),
        "Load average at start": load or "unknown",
    }


def kedro_version(kedro_python: Path | None) -> str:
    if kedro_python is None:
        return "not run (--no-kedro)"
    try:
        done = subprocess.run(
            [str(kedro_python), "-c", "import kedro; print(kedro.__version__)"],
            capture_output=True,
            text=True,
            timeout=60,
            env={**worker_env(), "PYTHONPATH": ""},
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return done.stdout.strip()


def ordino_version() -> str:
    try:
        import ordino

        return str(ordino.__version__)
    except Exception:  # a broken tree must not stop the report
        return "unknown"


def _area_title(area: str) -> str:
    return AREA_TITLES.get(area, area.capitalize())


def render_report(rows: Sequence[Row], info: RunInfo) -> str:
    """The Markdown of ``docs/performance.md``."""
    lines: list[str] = [
        "# Performance: ordino against Kedro",
        "",
        "Generated by `make bench` (`python -m benchmarks`); do not edit by hand.",
        "Every case runs in a fresh interpreter: ordino's from `.venv`, Kedro's from",
        "`benchmarks/.kedro-venv`, interleaved case by case. Times are the best of",
        "several repeats (each case says how many); pure-Python work is timed in CPU",
        "seconds of the process, commands and file I/O on the wall clock. *Ratio* is",
        "Kedro's figure divided by ordino's (higher is better for ordino); a Kedro",
        "run that exceeds its timeout shows as `> N s` and still bounds the ratio.",
        "",
        "Scaling targets fit the exponent of time against node count over 10k and",
        "100k nodes (ordino only). Each such case also times a plain linear pass",
        "over the same node objects (index them by name and by input); the exponent",
        "against that pass, shown next to the raw one, discounts what the memory",
        "hierarchy adds once 100k nodes no longer fit in the CPU caches. The verdict",
        "uses the raw exponent, as the target states.",
        "",
        "Command-line cases start the console script of each venv (no PYTHONPATH)",
        "in the root of an equivalent one-node project; peak memory is the child's",
        "own `ru_maxrss`.",
        "",
        f"- Date: {info.date}",
        f"- Command: `{info.command}`",
        f"- ordino {info.ordino_version}, Kedro {info.kedro_version}",
    ]
    lines += [f"- {key}: {value}" for key, value in info.machine.items()]
    lines += [f"- Duration of the run: {info.duration:.0f} s", ""]

    missed = not_met(rows)
    lines += ["## Targets not met", ""]
    lines += [f"- {_cell(item)}" for item in missed] or ["None: every target is met."]
    unjudged = not_judged(rows)
    if unjudged:
        lines += ["", "Targets that could not be judged in this run:", ""]
        lines += [f"- {_cell(item)}" for item in unjudged]
    failed = [
        f"{row.entry.bench.id} ({impl}): {_failure(outcome)}"
        for row in rows
        for impl, outcome in (("ordino", row.ordino), ("Kedro", row.kedro))
        if outcome.status in ("error", "timeout")
    ]
    if failed:
        lines += ["", "Cases that failed or timed out:", ""]
        lines += [f"- {_cell(item)}" for item in failed]
    lines.append("")

    by_area: dict[str, list[Row]] = {}
    for row in rows:
        by_area.setdefault(row.entry.area, []).append(row)
    for area, area_rows in by_area.items():
        lines += [f"## {_area_title(area)}", ""]
        lines += [
            "| Benchmark | ordino | Kedro | Ratio | Target | Result |",
            "|---|---:|---:|---:|---|---|",
        ]
        for row in area_rows:
            metric = row.entry.bench.metric
            targets = "<br>".join(_target_text(j.target) for j in row.judgements)
            results = "<br>".join(
                f"**{j.verdict}** ({j.shown})"
                if j.verdict != "MET"
                else f"MET ({j.shown})"
                for j in row.judgements
            )
            title = f"{row.entry.bench.title} <br>`{row.entry.bench.id}`"
            lines.append(
                "| "
                + " | ".join(
                    _cell(cell)
                    for cell in (
                        title,
                        show_outcome(row.ordino, metric),
                        show_outcome(row.kedro, metric),
                        _ratio(row),
                        targets or "-",
                        results or "-",
                    )
                )
                + " |"
            )
        notes = _notes(area_rows)
        if notes:
            lines += ["", *notes]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _notes(rows: Sequence[Row]) -> list[str]:
    """Case-provided notes (non-numeric figures) and failure lines of an area."""
    notes: list[str] = []
    for row in rows:
        for impl, outcome in (("ordino", row.ordino), ("Kedro", row.kedro)):
            if outcome.status == "error":
                notes.append(
                    f"- `{row.entry.bench.id}` ({impl}) failed: {outcome.error}"
                )
            for key, value in outcome.figures.items():
                if isinstance(value, str) and value:
                    note = f"- `{row.entry.bench.id}` ({impl}) {key}: {value}"
                    if note not in notes:
                        notes.append(_cell(note))
    return notes


def now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
