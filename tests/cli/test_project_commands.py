"""Project commands in-process (CliRunner): run with its flags, catalog, registry,
pipeline create/delete, package, info. One small project per test."""

from __future__ import annotations

import json
import tarfile
import zipfile
from itertools import count
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ordino.cli.main import cli

_ids = count()

PIPE = """\
from ordino.pipeline import Pipeline, node, pipeline


def clean(numbers):
    return [n for n in numbers if n >= 0]


def total(numbers, factor):
    return {"total": sum(numbers) * factor}


def create_pipeline(**kwargs):
    prep = Pipeline([node(clean, "raw_numbers", "clean_numbers", name="clean",
                          tags=["prep"])])
    base = Pipeline([node(total, ["clean_numbers", "params:factor"], "total",
                          name="total")])
    return prep + pipeline(base, namespace="ns1",
                           inputs={"clean_numbers": "clean_numbers"})
"""

CATALOG = {
    "raw_numbers": {"type": "json.JSONDataset", "filepath": "data/01_raw/numbers.json"},
    "clean_numbers": {
        "type": "json.JSONDataset",
        "filepath": "data/02_intermediate/clean.json",
    },
    "{namespace}.total": {
        "type": "json.JSONDataset",
        "filepath": "data/08_reporting/{namespace}/total.json",
    },
}


@pytest.fixture
def project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_project_state: None
) -> Path:
    from ordino.testing import make_project

    package = f"cmd_project_{next(_ids)}"
    root = make_project(
        tmp_path / "proj",
        package_name=package,
        pipelines={"numbers": PIPE},
        parameters={"ns1": {"factor": 2}},
        catalog=CATALOG,
        envs={"prod": {"parameters": {"ns1": {"factor": 100}}}},
        extra_files={
            "data/01_raw/numbers.json": "[1, -2, 3]\n",
            "requirements.txt": "ordino>=0.1\npytest>=8\n",
        },
    )
    monkeypatch.chdir(root)
    monkeypatch.delenv("ORDINO_ENV", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    return root


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def total(root: Path) -> int:
    return json.loads((root / "data/08_reporting/ns1/total.json").read_text())["total"]


def test_run_writes_outputs_and_prints_a_summary(project: Path) -> None:
    result = invoke("run")
    assert result.exit_code == 0, result.output
    assert total(project) == 8
    assert "Ran 2 of 2 nodes in" in result.output
    assert "ns1.total" in result.output
    assert "data/08_reporting/ns1/total.json" in result.output
    assert "[1/2] done clean" in result.output


def test_params_override_with_dotted_keys(project: Path) -> None:
    assert invoke("run", "--params", "ns1.factor=10").exit_code == 0
    assert total(project) == 40


def test_env_selects_a_configuration_environment(project: Path) -> None:
    assert invoke("run", "--env", "prod").exit_code == 0
    assert total(project) == 400


def test_config_file_gives_defaults_that_flags_override(project: Path) -> None:
    (project / "run.yml").write_text(
        "run:\n  params:\n    ns1.factor: 3\n  env: prod\n  runner: ThreadRunner\n"
    )
    assert invoke("run", "--config", "run.yml").exit_code == 0
    assert total(project) == 12  # params beat the environment's file
    assert (
        invoke("run", "--config", "run.yml", "--params", "ns1.factor=5").exit_code == 0
    )
    assert total(project) == 20


@pytest.mark.parametrize(
    ("args", "ran"),
    [
        (["--nodes", "clean"], ["clean"]),
        (["--tags", "prep"], ["clean"]),
        (["--namespaces", "ns1"], ["ns1.total"]),
        (["--from-nodes", "ns1.total"], ["ns1.total"]),
        (["--to-nodes", "clean"], ["clean"]),
        (["--from-inputs", "clean_numbers"], ["ns1.total"]),
        (["--to-outputs", "clean_numbers"], ["clean"]),
        (["--pipelines", "numbers"], ["clean", "ns1.total"]),
        (["--pipeline", "numbers"], ["clean", "ns1.total"]),
    ],
)
def test_selections_run_only_the_chosen_nodes(
    project: Path, args: list[str], ran: list[str]
) -> None:
    if "clean" not in ran:
        assert invoke("run", "--nodes", "clean").exit_code == 0
    result = invoke("run", *args)
    assert result.exit_code == 0, result.output
    done = [line.split()[2] for line in result.output.splitlines() if " done " in line]
    assert done == ran


@pytest.mark.parametrize(
    "args",
    [
        ["--runner", "ThreadRunner", "--async", "--runner-params", "max_workers=2"],
        ["--runner", "ordino.runner.SequentialRunner", "--async"],
        ["--runner", "ParallelRunner", "--runner-params", "max_workers=2"],
    ],
)
def test_runners_by_name_path_and_with_parameters(
    project: Path, args: list[str]
) -> None:
    result = invoke("run", *args)
    assert result.exit_code == 0, result.output
    assert total(project) == 8


def test_only_missing_outputs_skips_what_exists(project: Path) -> None:
    assert invoke("run").exit_code == 0
    (project / "data/08_reporting/ns1/total.json").unlink()
    result = invoke("run", "--only-missing-outputs")
    assert result.exit_code == 0, result.output
    done = [line for line in result.output.splitlines() if " done " in line]
    assert [line.split()[2] for line in done] == ["ns1.total"]
    assert total(project) == 8


def test_conf_source_accepts_a_folder_and_an_archive(
    project: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other_conf"
    (other / "base").mkdir(parents=True)
    (other / "local").mkdir()
    (other / "base/catalog.yml").write_text(
        (project / "conf/base/catalog.yml").read_text()
    )
    (other / "base/parameters.yml").write_text("ns1:\n  factor: 7\n")
    assert invoke("run", "--conf-source", str(other)).exit_code == 0
    assert total(project) == 28
    archive = tmp_path / "conf.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(other, arcname="conf")
    (other / "base/parameters.yml").write_text("ns1:\n  factor: 1\n")  # not used
    assert invoke("run", "--conf-source", str(archive)).exit_code == 0
    assert total(project) == 28


def test_registry_list_and_describe(project: Path) -> None:
    listed = yaml.safe_load(invoke("registry", "list").output)
    assert listed == ["__default__", "numbers"]
    described = invoke("registry", "describe", "numbers").output
    assert yaml.safe_load(described.split("\n\n")[0]) == {
        "Nodes": ["clean (clean)", "ns1.total (total)"]
    }


def test_catalog_commands_print_yaml(project: Path) -> None:
    described = yaml.safe_load(invoke("catalog", "describe-datasets").output)
    numbers = described["numbers"]
    assert sorted([d for names in numbers["datasets"].values() for d in names]) == [
        "clean_numbers",
        "raw_numbers",
    ]
    assert [d for names in numbers["factories"].values() for d in names] == [
        "ns1.total"
    ]
    patterns = yaml.safe_load(invoke("catalog", "list-patterns").output)
    assert "{namespace}.total" in patterns
    resolved = yaml.safe_load(
        invoke("catalog", "resolve-patterns", "-p", "numbers").output
    )
    assert resolved["ns1.total"]["filepath"].endswith(
        "data/08_reporting/ns1/total.json"
    )


def test_pipeline_create_then_delete(project: Path) -> None:
    package = next((project / "src").iterdir()).name
    result = invoke("pipeline", "create", "features")
    assert result.exit_code == 0, result.output
    created = [
        f"src/{package}/pipelines/features/__init__.py",
        f"src/{package}/pipelines/features/nodes.py",
        f"src/{package}/pipelines/features/pipeline.py",
        "conf/base/parameters_features.yml",
        "tests/pipelines/features/test_pipeline.py",
    ]
    for relative in created:
        assert (project / relative).is_file(), relative
    assert not [p for p in project.iterdir() if p.name.startswith(".ordino")]
    result = invoke("pipeline", "delete", "features", "--yes")
    assert result.exit_code == 0, result.output
    for relative in created:
        assert not (project / relative).exists(), relative


def test_pipeline_create_skip_config(project: Path) -> None:
    assert invoke("pipeline", "create", "lean", "--skip-config").exit_code == 0
    assert not (project / "conf/base/parameters_lean.yml").exists()


def test_pipeline_delete_asks_first(project: Path) -> None:
    assert invoke("pipeline", "create", "keep").exit_code == 0
    result = CliRunner().invoke(cli, ["pipeline", "delete", "keep"], input="n\n")
    assert result.exit_code == 1
    assert (project / "conf/base/parameters_keep.yml").is_file()


def test_package_builds_a_wheel_and_a_conf_archive(project: Path) -> None:
    (project / "conf/local/credentials.yml").write_text("secret: hunter2\n")
    result = invoke("package")
    assert result.exit_code == 0, result.output
    package = next((project / "src").iterdir()).name
    wheels = list((project / "dist").glob("*.whl"))
    assert len(wheels) == 1
    with zipfile.ZipFile(wheels[0]) as wheel:
        names = wheel.namelist()
        info = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = wheel.read(info).decode()
    assert f"{package}/pipelines/numbers/pipeline.py" in names
    assert "Requires-Dist: ordino>=0.1" in metadata
    assert "pytest" not in metadata
    with tarfile.open(project / "dist" / f"conf-{package}.tar.gz") as archive:
        members = archive.getnames()
    assert "conf/base/catalog.yml" in members
    assert "conf/local" in members  # empty: the default environment exists
    assert not any(m.startswith("conf/local/") for m in members)


def test_info_names_the_version() -> None:
    from ordino import __version__

    result = invoke("info")
    assert result.exit_code == 0
    assert f"ordino {__version__}" in result.output


def test_run_from_a_sub_folder_of_the_project(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project / "src")
    assert invoke("run").exit_code == 0
    assert total(project) == 8


def test_package_without_conf_writes_nothing(project: Path) -> None:
    import shutil

    shutil.rmtree(project / "conf")
    result = CliRunner().invoke(cli, ["package"])
    assert result.exit_code == 1
    assert "No configuration folder" in result.output
    assert not (project / "dist").exists()


def test_load_versions_reads_an_older_version(project: Path) -> None:
    import yaml as pyyaml

    catalog = pyyaml.safe_load((project / "conf/base/catalog.yml").read_text())
    catalog["clean_numbers"]["versioned"] = True
    (project / "conf/base/catalog.yml").write_text(pyyaml.safe_dump(catalog))
    assert invoke("run", "--to-outputs", "clean_numbers").exit_code == 0
    (first,) = [p.name for p in (project / "data/02_intermediate/clean.json").iterdir()]
    (project / "data/01_raw/numbers.json").write_text("[10, 20]\n")
    assert invoke("run", "--to-outputs", "clean_numbers").exit_code == 0
    result = invoke(
        "run", "--from-nodes", "ns1.total", "--load-versions", f"clean_numbers:{first}"
    )
    assert result.exit_code == 0, result.output
    assert total(project) == 8  # [1, 3] * 2 from the first version, not [10, 20]
