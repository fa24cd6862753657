"""Configuration loader cases: a big templated catalog, a huge one, reads per file.

The project tree comes from ``tests/config/bench_catalog.py`` (``write_project``),
the generator the config tests use too, loaded by path so that both share one
definition: ``_``-templates, ``${globals:...}`` and plain interpolations, globals
and parameters, and a ``local`` override. Times are CPU seconds of this process,
best of N (see :mod:`benchmarks.cases.catalog`).
"""

from __future__ import annotations

import builtins
import gc
import importlib.util
import io
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.cases.catalog import scratch_dir
from benchmarks.spec import Benchmark, Target

__all__ = ["BENCHMARKS", "large_catalog", "load_catalog", "reads_per_file"]

_GENERATOR = (
    Path(__file__).resolve().parents[2] / "tests" / "config" / "bench_catalog.py"
)


def write_project(root: Path, entries: int, *, anchors: bool = False) -> Path:
    """``tests/config/bench_catalog.py``'s ``write_project``, loaded by file path."""
    spec = importlib.util.spec_from_file_location("_bench_catalog", _GENERATOR)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load the project generator {_GENERATOR}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written: Path = module.write_project(root, entries, anchors=anchors)
    return written


def _loader(impl: str, root: Path) -> Any:
    if impl == "kedro":
        from kedro.config import OmegaConfigLoader as KedroLoader

        return KedroLoader(str(root), base_env="base", default_run_env="local")
    from ordino.config import OmegaConfigLoader

    return OmegaConfigLoader(str(root), base_env="base", default_run_env="local")


def load_catalog(
    impl: str, entries: int = 2_000, repeat: int = 5, anchors: bool = False
) -> dict[str, float]:
    """A fresh loader's ``loader["catalog"]`` for a generated project, best of N.

    Such a catalog has more than 10,000 YAML nodes, which OmegaConf 2.4 (Kedro's
    YAML reader) refuses by default; the limit is lifted here so that Kedro's time
    can be measured at all (``config.catalog.20k`` measures the refusal).
    """
    os.environ["OMEGACONF_MAX_YAML_EXPANDED_NODES"] = "none"
    if impl == "kedro":
        repeat = min(repeat, 2)  # 1.5 to 5 s a load
    root = scratch_dir(f"config-{entries}")
    try:
        write_project(root, entries, anchors=anchors)
        _loader(impl, root)["catalog"]  # warm: imports and resolver registration
        best = float("inf")
        for _ in range(repeat):
            gc.collect()
            start = time.process_time()
            catalog = _loader(impl, root)["catalog"]
            best = min(best, time.process_time() - start)
            if len(catalog) != entries:
                raise AssertionError(f"{len(catalog)} entries, expected {entries}")
        return {"seconds": best, "ms_per_1k_entries": best / entries * 1e6}
    finally:
        shutil.rmtree(root, ignore_errors=True)


def large_catalog(
    impl: str, entries: int = 20_000, repeat: int = 3
) -> dict[str, float]:
    """Whether a 20,000-entry catalog loads at all with no environment variable.

    OmegaConf refuses YAML that expands to more than 10,000 nodes unless
    ``OMEGACONF_MAX_YAML_EXPANDED_NODES`` is raised; Kedro uses OmegaConf's YAML
    loader, ordino its own. A load that works gives ``seconds``, CPU seconds of a
    fresh loader's ``loader["catalog"]`` (best of ``repeat``, imports warmed on a
    small project first). A refused load raises, naming the refusal: for Kedro
    that is the expected result, and the report lists it as Kedro's failure.
    """
    os.environ.pop("OMEGACONF_MAX_YAML_EXPANDED_NODES", None)
    root = scratch_dir(f"config-{entries}")
    try:
        write_project(root / "warm", 5)
        _loader(impl, root / "warm")["catalog"]
        write_project(root / "big", entries)
        best = float("inf")
        for _ in range(repeat):
            gc.collect()
            start = time.process_time()
            try:
                catalog = _loader(impl, root / "big")["catalog"]
            except Exception as exc:
                if impl == "ordino":
                    raise  # ordino must load it: an error row, never a figure
                # Kedro's refusal is the finding; the report lists it with this
                # line (a figure would be shown as if it were a comparable time).
                reason = str(exc).splitlines()[0][:200]
                raise RuntimeError(
                    f"Kedro refused the {entries:,}-entry catalog with no "
                    f"OMEGACONF_MAX_YAML_EXPANDED_NODES set: {type(exc).__name__}: "
                    f"{reason}"
                ) from None
            best = min(best, time.process_time() - start)
            if len(catalog) != entries:
                raise AssertionError(f"{len(catalog)} entries, expected {entries}")
        return {"seconds": best}
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def _count_opens(root: Path) -> Iterator[Counter[str]]:
    """Count every open of a file under ``root`` by ``open``, ``io.open``, ``os.open``.

    Both loaders reach local files through one of these (ordino directly, Kedro
    through fsspec's local filesystem, which calls ``open``); directory listings
    are not opens and are not counted.
    """
    prefix = str(root.resolve()) + os.sep
    counts: Counter[str] = Counter()
    originals = (builtins.open, io.open, os.open)

    def note(path: Any) -> None:
        if isinstance(path, (str, os.PathLike)):
            full = os.path.abspath(os.fspath(path))
            if full.startswith(prefix) and os.path.isfile(full):
                counts[full] += 1

    def wrap(original: Callable[..., Any]) -> Callable[..., Any]:
        def counting(path: Any, *args: Any, **kwargs: Any) -> Any:
            note(path)
            return original(path, *args, **kwargs)

        return counting

    builtins.open = io.open = wrap(originals[0])
    os.open = wrap(originals[2])
    try:
        yield counts
    finally:
        builtins.open, io.open, os.open = originals


def reads_per_file(impl: str, entries: int = 200) -> dict[str, float]:
    """Opens of each config file while one loader serves its four standard keys.

    ``loader["catalog"]``, ``["parameters"]``, ``["credentials"]`` and
    ``["globals"]`` on one loader: globals are needed by the catalog and the
    parameters too, so a loader that does not keep what it parsed reads
    ``globals.yml`` several times.
    """
    root = scratch_dir("config-reads")
    try:
        write_project(root, entries)
        (root / "local" / "credentials.yml").write_text(
            "db:\n  user: analyst\n  password: not-a-secret\n"
        )
        (root / "base" / "parameters_model.yml").write_text(
            "features: [a, b, c]\nowner: ${globals:owner}\n"
        )
        files = [p for p in root.rglob("*.yml") if p.is_file()]
        _loader(impl, root)  # imports outside the count
        with _count_opens(root) as counts:
            loader = _loader(impl, root)
            for key in ("catalog", "parameters", "credentials", "globals"):
                loader[key]
        per_file = [counts.get(str(p.resolve()), 0) for p in files]
        return {
            "max_reads_per_file": float(max(per_file)),
            "mean_reads_per_file": sum(per_file) / len(per_file),
            "files": float(len(files)),
        }
    finally:
        shutil.rmtree(root, ignore_errors=True)


BENCHMARKS: list[Benchmark] = [
    Benchmark(
        id="config.catalog.2k",
        title="loader['catalog'] of 2,000 entries with templates and globals",
        case="load_catalog",
        args={"entries": 2_000},
        targets=(
            Target(
                "speedup",
                10.0,
                "a 2,000-entry catalog with interpolations and globals loads >= 10x "
                "faster than Kedro's OmegaConfigLoader",
            ),
        ),
    ),
    Benchmark(
        id="config.catalog.2k.anchors",
        title="loader['catalog'] of 2,000 entries with YAML anchors and merge keys",
        case="load_catalog",
        args={"entries": 2_000, "anchors": True},
        quick=False,
    ),
    Benchmark(
        id="config.catalog.20k",
        title="loader['catalog'] of 20,000 entries, no environment variable set",
        case="large_catalog",
        args={"entries": 20_000},
        targets=(
            Target(
                "at_most",
                3.0,
                "a 20,000-entry catalog loads without any environment variable "
                "(Kedro: refused by OmegaConf), in at most 3 s",
            ),
        ),
    ),
    Benchmark(
        id="config.reads_per_file",
        title="opens per config file for catalog, parameters, credentials, globals",
        case="reads_per_file",
        metric="max_reads_per_file",
        targets=(
            Target(
                "at_most",
                1.0,
                "loading a project's configuration reads and parses each file once",
            ),
        ),
    ),
]
