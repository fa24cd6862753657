"""What a benchmark is, shared by the harness and the case modules.

A case module in ``benchmarks/cases/`` holds plain functions (the *cases*) and a
list ``BENCHMARKS`` of :class:`Benchmark` records that say which case to run with
which arguments and what target it must meet. The harness runs every case in a
fresh interpreter (``python -m benchmarks.worker``): ordino's from ``.venv`` and
Kedro's from ``benchmarks/.kedro-venv``, so neither sees the other's imports and
both are measured in the same run on the same machine.

A case function has the signature ``case(impl: str, **args) -> dict[str, float]``
where ``impl`` is ``"ordino"`` or ``"kedro"``. It imports the framework it measures
inside the function, never at module level (the module is imported by both
interpreters), and returns named figures, for example ``{"seconds": 0.012}`` or
``{"seconds": 0.8, "peak_mib": 230.0}``. A case that compares ordino with a plain
library call (pandas, numpy) returns both figures itself, for example
``{"seconds": 1.02, "baseline_seconds": 1.0}``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

TargetKind = Literal["speedup", "at_most", "ratio_to_baseline", "exponent"]


@dataclass(frozen=True)
class Target:
    """What a benchmark must show.

    - ``speedup``: Kedro's ``metric`` divided by ordino's is at least ``value``.
    - ``at_most``: ordino's ``metric`` is at most ``value`` (in the metric's unit).
    - ``ratio_to_baseline``: ordino's ``metric`` divided by ``baseline_<metric>``
      from the same result is at most ``value``.
    - ``exponent``: over the benchmarks sharing this benchmark's ``group``, the
      slope of log(metric) against log(size) is at most ``value``.
    """

    kind: TargetKind
    value: float
    text: str = ""  # the wording, shown in the report


@dataclass(frozen=True)
class Benchmark:
    id: str  # unique, dotted: "pipeline.build.chain.10k"
    title: str  # one line for the report
    case: str  # function name in the same module
    args: dict[str, object] = field(default_factory=dict)
    metric: str = "seconds"  # the key of the case's result that is judged
    kedro: bool = True  # also run the case with impl="kedro"
    targets: tuple[Target, ...] = ()
    group: str = ""  # benchmarks of one scaling series share a group
    size: int = 0  # the x of an exponent fit
    quick: bool = True  # part of `make bench BENCH_ARGS=--quick`
    timeout: float = 300.0  # seconds per run; beyond it the figure is "> N s"
