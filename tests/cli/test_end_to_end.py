"""End to end, as a new user: ``ordino new`` the starter, run it, test it, package it.

These start real processes (a few seconds each) and are marked slow; CI runs them.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def starter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ordino.cli.main import main

    where = tmp_path_factory.mktemp("e2e")
    with pytest.raises(SystemExit) as exit_info:
        main(
            [
                "new",
                "--name",
                "Rocket Prices",
                "--example",
                "yes",
                "--output-dir",
                str(where),
            ]
        )
    assert exit_info.value.code == 0
    return where / "rocket-prices"


@pytest.mark.slow
def test_the_starter_runs_offline_and_writes_its_outputs(
    starter: Path, run_ordino
) -> None:
    result = run_ordino("run", cwd=starter)
    assert result.returncode == 0, result.stderr
    for relative in [
        "data/01_raw/shuttles.csv",
        "data/03_primary/model_input_table.parquet",
        "data/08_reporting/linear_model/actual_vs_predicted.png",
        "data/08_reporting/forest_model/actual_vs_predicted.png",
    ]:
        assert (starter / relative).is_file(), relative
    for variant in ("linear_model", "forest_model"):
        metrics = json.loads(
            (starter / f"data/08_reporting/{variant}/metrics.json").read_text()
        )
        assert metrics["r2"] > 0.6, (variant, metrics)
        versions = list(
            (starter / f"data/06_models/{variant}/regressor.pickle").iterdir()
        )
        assert len(versions) == 1
        assert (versions[0] / "regressor.pickle").is_file()
    assert "Ran 12 of 12 nodes" in result.stdout
    assert "data/08_reporting/forest_model/metrics.json" in result.stdout
    # deterministic raw data: a second run generates the same shuttles
    first = (starter / "data/01_raw/shuttles.csv").read_text()
    again = run_ordino("run", "--pipelines", "data_processing", cwd=starter)
    assert again.returncode == 0, again.stderr
    assert (starter / "data/01_raw/shuttles.csv").read_text() == first


@pytest.mark.slow
def test_the_starter_namespaces_and_params_work(starter: Path, run_ordino) -> None:
    result = run_ordino(
        "run",
        "--namespaces",
        "forest_model",
        "--params",
        "forest_model.model_options.model_params.n_estimators=5",
        cwd=starter,
    )
    assert result.returncode == 0, result.stderr
    assert "Ran 4 of 4 nodes" in result.stdout
    assert "linear_model" not in result.stderr


@pytest.mark.slow
def test_the_starters_own_tests_pass(starter: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:randomly"],
        cwd=starter,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "7 passed" in result.stdout


@pytest.mark.slow
def test_the_packaged_project_runs_with_python_m(
    starter: Path, tmp_path: Path, run_ordino, subprocess_env
) -> None:
    result = run_ordino("package", cwd=starter)
    assert result.returncode == 0, result.stderr
    wheel = next((starter / "dist").glob("*.whl"))
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)  # what pip install does for a pure wheel
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    conf = starter / "dist" / "conf-rocket_prices.tar.gz"
    env = subprocess_env(PYTHONPATH=str(site))
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "rocket_prices",
            "--conf-source",
            str(conf),
            "--pipelines",
            "data_processing",
        ],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert (elsewhere / "data/03_primary/model_input_table.parquet").is_file()
