"""The Kedro reference interpreter the benchmarks compare ordino against.

Kedro lives in its own venv (``benchmarks/.kedro-venv``) so that neither framework
sees the other's imports and the reference version is pinned: figures from two
runs are only comparable when both measured the same Kedro. The venv is built on
first use and rebuilt when the pinned requirements change (a stamp file records
what was installed), so ``make bench`` needs no separate setup step.

Run ``python -m benchmarks.kedro_env`` to build it ahead of a benchmark run.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
VENV_DIR = REPO_ROOT / "benchmarks" / ".kedro-venv"
STAMP = VENV_DIR / ".ordino-bench-requirements"
BASE_PYTHON = "python3.11"
KEDRO_VERSION = "1.7.0"
REQUIREMENTS = (
    f"kedro=={KEDRO_VERSION}",
    "kedro-datasets[pandas-csvdataset,pandas-parquetdataset]==9.6.0",
    "pandas",
    "pyarrow",
    "numpy",
)


def kedro_python() -> Path:
    """The interpreter of the Kedro venv (it may not exist yet)."""
    return VENV_DIR / "bin" / "python"


def _wanted_stamp() -> str:
    return "\n".join((BASE_PYTHON, *REQUIREMENTS)) + "\n"


def is_ready() -> bool:
    """Whether the venv exists and holds exactly the pinned requirements."""
    if not kedro_python().exists() or not STAMP.exists():
        return False
    return STAMP.read_text(encoding="utf-8") == _wanted_stamp()


def ensure_kedro_venv(*, quiet: bool = False) -> Path:
    """Create or refresh the Kedro venv; return its interpreter.

    A stale venv (other pins, or a half-finished install without a stamp) is
    removed and rebuilt from scratch rather than upgraded in place, so that no
    leftover package can change what is measured.
    """
    if is_ready():
        return kedro_python()
    base = shutil.which(BASE_PYTHON) or sys.executable
    if VENV_DIR.exists():
        shutil.rmtree(VENV_DIR)
    if not quiet:
        print(f"Creating the Kedro reference venv in {VENV_DIR} ...", flush=True)
    subprocess.run([base, "-m", "venv", str(VENV_DIR)], check=True)
    pip = [str(kedro_python()), "-m", "pip", "install", "--disable-pip-version-check"]
    if quiet:
        pip.append("--quiet")
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, *REQUIREMENTS], check=True)
    STAMP.write_text(_wanted_stamp(), encoding="utf-8")
    return kedro_python()


if __name__ == "__main__":
    print(ensure_kedro_venv())
