"""Command-line cases: ``--help``, ``--version`` and ``run`` of a one-node project.

Each command runs as a user would start it (the console script of the measured
venv, no PYTHONPATH) from the root of an equivalent one-node project: ordino's is
written by :func:`ordino.testing.make_project`, Kedro's by :func:`kedro_project`
with the same pipeline (``doubled = [n * factor for n in numbers]``, both inputs
parameters, every dataset in memory). Times are wall-clock, best of N; peak
memory is the child's own ``ru_maxrss`` from ``os.wait4``, so one run's peak is
never mixed with another's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

from benchmarks.spec import Benchmark, Target

__all__ = ["BENCHMARKS", "command", "kedro_project", "ordino_project", "run_project"]

WORK = Path(__file__).resolve().parents[1] / ".work"
PACKAGE = "bench_cli_project"
FORBIDDEN = ("pandas", "rich", PACKAGE)

PIPELINE = """\
from {impl}.pipeline import Pipeline, node


def double(numbers, factor):
    return [n * factor for n in numbers]


def create_pipeline(**kwargs):
    return Pipeline(
        [node(double, ["params:numbers", "params:factor"], "doubled", name="double")]
    )
"""

REGISTRY = """\
from {impl}.framework.project import find_pipelines


def register_pipelines():
    pipelines = find_pipelines()
    pipelines["__default__"] = sum(pipelines.values())
    return pipelines
"""


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


def _fresh(name: str) -> Path:
    root = WORK / f"{name}-{os.getpid()}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    return root


def kedro_project() -> Path:
    """A minimal Kedro 1.x project with the one-node pipeline."""
    import kedro

    root = _fresh("cli-kedro")
    _write(
        root / "pyproject.toml",
        f"""\
        [project]
        name = "{PACKAGE.replace("_", "-")}"
        version = "0.1.0"

        [tool.kedro]
        package_name = "{PACKAGE}"
        project_name = "Bench CLI Project"
        kedro_init_version = "{kedro.__version__}"
        source_dir = "src"
        """,
    )
    package = root / "src" / PACKAGE
    _write(package / "__init__.py", '"""Bench CLI Project."""\n')
    _write(package / "settings.py", '"""Project settings; all defaults."""\n')
    _write(package / "pipeline_registry.py", REGISTRY.format(impl="kedro"))
    _write(package / "pipelines" / "__init__.py", "")
    demo = package / "pipelines" / "demo"
    _write(demo / "__init__.py", "from .pipeline import create_pipeline\n")
    _write(demo / "pipeline.py", PIPELINE.format(impl="kedro"))
    _write(root / "conf" / "base" / "parameters.yml", "numbers: [1, 2, 3]\nfactor: 2\n")
    _write(root / "conf" / "base" / "catalog.yml", "{}\n")
    (root / "conf" / "local").mkdir(parents=True)
    (root / "data").mkdir()
    return root


def ordino_project() -> Path:
    """The same project for ordino, written by ordino's own test helper."""
    from ordino.testing import make_project

    root = _fresh("cli-ordino")
    return make_project(
        root,
        package_name=PACKAGE,
        project_name="Bench CLI Project",
        pipelines={"demo": PIPELINE.format(impl="ordino")},
        registry=REGISTRY.format(impl="ordino"),
        parameters={"numbers": [1, 2, 3], "factor": 2},
    )


def _project(impl: str) -> Path:
    return kedro_project() if impl == "kedro" else ordino_project()


def _script(impl: str) -> Path:
    return Path(sys.executable).parent / impl


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["COLUMNS"] = "100"
    env["DO_NOT_TRACK"] = "1"
    env["KEDRO_DISABLE_TELEMETRY"] = "1"
    return env


def _timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of one run of ``cmd``."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        env=_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode != 0:
        lines = [line.strip() for line in err.splitlines() if line.strip()]
        errors = [line for line in lines if line.startswith("Error")]
        last = (errors or lines or [""])[-1]
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {last}")
    return seconds, usage.ru_maxrss / 1024  # KiB on Linux


def _imported(cmd: list[str], cwd: Path) -> list[str]:
    """Top-level packages imported by ``cmd`` (run once under -X importtime)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *cmd],
        cwd=cwd,
        env=_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and line.count("|") >= 2:
            names.add(line.split("|")[2].strip().split(".")[0])
    return sorted(names)


def command(impl: str, flag: str, repeat: int = 7) -> dict[str, Any]:
    """``<impl> <flag>`` in the project's root: time, and forbidden imports."""
    root = _project(impl)
    cmd = [str(_script(impl)), flag]
    try:
        runs = [_timed(cmd, root) for _ in range(repeat)]
        forbidden = [name for name in _imported(cmd, root) if name in FORBIDDEN]
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return {
        "seconds": min(seconds for seconds, _ in runs),
        "peak_mib": min(peak for _, peak in runs),
        "forbidden_imports": len(forbidden),
        "imports": ", ".join(forbidden) if forbidden else "",
    }


def run_project(impl: str, repeat: int = 5) -> dict[str, Any]:
    """``<impl> run`` of the one-node project: best wall time and its peak memory."""
    root = _project(impl)
    cmd = [str(_script(impl)), "run"]
    try:
        runs = [_timed(cmd, root) for _ in range(repeat)]
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return {
        "seconds": min(seconds for seconds, _ in runs),
        "peak_mib": max(peak for _, peak in runs),
    }


def _flag_benchmarks(flag: str) -> list[Benchmark]:
    name = flag.lstrip("-")
    return [
        Benchmark(
            id=f"cli.{name}",
            title=f"ordino {flag} vs kedro {flag}, in a project (best of 7)",
            case="command",
            args={"flag": flag},
            targets=(
                Target("at_most", 0.150, "<= 150 ms"),
                Target("speedup", 1 / 0.15, "<= 0.15x Kedro's time"),
            ),
        ),
        Benchmark(
            id=f"cli.{name}.imports",
            title=f"ordino {flag} imports none of pandas, rich, the project",
            case="command",
            args={"flag": flag},
            metric="forbidden_imports",
            kedro=False,
            targets=(Target("at_most", 0, "imports none of pandas, rich, project"),),
        ),
    ]


BENCHMARKS: list[Benchmark] = [
    *_flag_benchmarks("--help"),
    *_flag_benchmarks("--version"),
    Benchmark(
        id="cli.run",
        title="run of a one-node project (best of 5)",
        case="run_project",
        targets=(Target("speedup", 1 / 0.25, "<= 0.25x Kedro's time"),),
    ),
    Benchmark(
        id="cli.run.memory",
        title="peak memory of run of a one-node project (worst of 5)",
        case="run_project",
        metric="peak_mib",
        targets=(Target("at_most", 60.0, "<= 60 MiB"),),
    ),
]
