"""What the CLI prints about configuration: never a credential value, always the file
to fix, and the right answer for missing environments and broken pipeline modules.

Every test runs ``python -m ordino`` in a subprocess, as a user would.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from ordino.testing import DEFAULT_PIPELINE, make_project

SECRET = "s3cr3t-Tok3n-9f8e7d"

LEAKY_PIPELINE = """\
from ordino.pipeline import Pipeline, node


def join(table, cars):
    return table


def create_pipeline(**kwargs):
    return Pipeline([node(join, ["remote_table", "cars_csv"], "out", name="join")])
"""

# A dataset whose library error echoes its credentials, as database drivers do
# with connection strings.
LEAKY_DATASET = """\
from ordino.io import AbstractDataset


class LeakyDataset(AbstractDataset):
    def __init__(self, url, credentials=None):
        self._url = url
        self._credentials = credentials or {}

    def load(self):
        token = self._credentials.get("token")
        raise ConnectionError(f"cannot connect to {self._url} with token={token}")

    def save(self, data):
        raise NotImplementedError

    def _describe(self):
        return {"url": self._url}
"""


@pytest.fixture
def secret_project(tmp_path: Path) -> Path:
    """A project whose conf/local/credentials.yml holds SECRET, used by two
    datasets (one explicit, one from a pattern), logging to a file too."""
    return make_project(
        tmp_path / "secret",
        pipelines={"demo": LEAKY_PIPELINE},
        catalog={
            "remote_table": {
                "type": "demo_project.leaky.LeakyDataset",
                "url": "db://host/table",
                "credentials": "db",
            },
            "{name}_csv": {
                "type": "ordino.datasets.text.TextDataset",
                "filepath": "data/{name}.txt",
                "credentials": "db",
            },
        },
        credentials={"db": {"token": SECRET}},
        logging_config={
            "version": 1,
            "disable_existing_loggers": False,
            "handlers": {
                "file": {
                    "class": "logging.FileHandler",
                    "filename": str(tmp_path / "secret" / "run.log"),
                    "level": "DEBUG",
                },
                "console": {"class": "ordino.framework.logs.ConsoleHandler"},
            },
            "loggers": {
                "ordino": {"level": "DEBUG"},
                "demo_project": {"level": "DEBUG"},
            },
            "root": {"handlers": ["console", "file"], "level": "DEBUG"},
        },
        extra_files={"src/demo_project/leaky.py": LEAKY_DATASET},
    )


def _everything_written(root: Path) -> str:
    """The text of every file under ``root`` except the credentials themselves."""
    texts = []
    for path in root.rglob("*"):
        if path.is_file() and path.name != "credentials.yml":
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(texts)


@pytest.mark.parametrize("verbose", [False, True])
def test_no_command_prints_a_credential(
    secret_project: Path, run_ordino, verbose: bool
) -> None:
    flags = ["--verbose"] if verbose else []
    outputs = {}
    for command in ("describe-datasets", "list-patterns", "resolve-patterns"):
        result = run_ordino(*flags, "catalog", command, cwd=secret_project)
        assert result.returncode == 0, result.stderr
        outputs[command] = result.stdout + result.stderr
    run = run_ordino(*flags, "run", cwd=secret_project)
    assert run.returncode == 1, run.stdout + run.stderr
    outputs["run"] = run.stdout + run.stderr
    for command, text in outputs.items():
        assert SECRET not in text, f"ordino {command} printed the secret:\n{text}"
    assert SECRET not in _everything_written(secret_project)
    # the failure itself is still reported, with the secret masked
    assert "remote_table" in outputs["run"]
    assert "token=***" in outputs["run"]
    if verbose:
        assert "Traceback" in outputs["run"]
    assert (secret_project / "run.log").read_text(encoding="utf-8")  # logs written


def test_resolve_patterns_shows_credentials_as_references(
    secret_project: Path, run_ordino
) -> None:
    result = run_ordino("catalog", "resolve-patterns", cwd=secret_project)
    assert result.returncode == 0, result.stderr
    resolved = yaml.safe_load(result.stdout)
    assert resolved["cars_csv"]["filepath"].endswith("data/cars.txt")
    assert resolved["cars_csv"]["credentials"] == "cars_csv_credentials"
    assert resolved["remote_table"]["credentials"] == "remote_table_credentials"


# -- environments ----------------------------------------------------------------------


@pytest.fixture
def cloned_project(tmp_path: Path) -> Path:
    """A project after a git clone that dropped the empty conf/local."""
    root = make_project(
        tmp_path / "cloned",
        parameters={"numbers": [1, 2], "factor": 5},
        catalog={
            "doubled": {
                "type": "ordino.datasets.json.JSONDataset",
                "filepath": "data/doubled.json",
            }
        },
        envs={"prod": {"parameters": {"factor": 7}}},
    )
    shutil.rmtree(root / "conf" / "local")
    return root


def test_a_missing_default_env_uses_base(cloned_project: Path, run_ordino) -> None:
    result = run_ordino("run", cwd=cloned_project)
    assert result.returncode == 0, result.stdout + result.stderr
    # base parameters and base catalog were both used
    written = (cloned_project / "data" / "doubled.json").read_text()
    assert yaml.safe_load(written) == [5, 10]
    assert "No local configuration environment" in result.stderr


def test_catalog_commands_work_without_the_default_env(
    cloned_project: Path, run_ordino
) -> None:
    result = run_ordino("catalog", "resolve-patterns", cwd=cloned_project)
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load(result.stdout)["doubled"]["filepath"].endswith(
        "data/doubled.json"
    )


@pytest.mark.parametrize("how", ["option", "variable"])
def test_an_unknown_env_asked_for_is_an_error(
    cloned_project: Path, run_ordino, clean_error, how: str
) -> None:
    if how == "option":
        result = run_ordino("run", "--env", "prd", cwd=cloned_project)
    else:
        result = run_ordino("run", cwd=cloned_project, env={"ORDINO_ENV": "prd"})
    output = clean_error(result, "Unknown environment 'prd'", code=1)
    assert str(cloned_project / "conf" / "prd") in output
    assert "Environments of this project: prod." in output
    assert "Did you mean 'prod'?" in output
    assert not (cloned_project / "data" / "doubled.json").exists()


def test_asking_for_the_missing_default_env_by_name_is_an_error(
    cloned_project: Path, run_ordino, clean_error
) -> None:
    result = run_ordino("run", "--env", "local", cwd=cloned_project)
    clean_error(result, "Unknown environment 'local'", "of this project: prod", code=1)


def test_an_existing_env_is_used(cloned_project: Path, run_ordino) -> None:
    result = run_ordino("run", "--env", "prod", cwd=cloned_project)
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load((cloned_project / "data/doubled.json").read_text()) == [7, 14]


# -- catalog file in errors ----------------------------------------------------------


def test_a_bad_catalog_entry_names_its_file(
    tmp_path: Path, run_ordino, clean_error
) -> None:
    root = make_project(
        tmp_path / "badcat",
        catalog={"doubled": {"type": "text.NoSuchDataset", "filepath": "x.txt"}},
    )
    result = run_ordino("run", cwd=root)
    output = clean_error(result, code=1)
    assert "conf/base/catalog.yml, dataset 'doubled'" in output


def test_a_bad_entry_in_the_run_env_names_that_file(
    tmp_path: Path, run_ordino, clean_error
) -> None:
    root = make_project(tmp_path / "badlocal")
    (root / "conf/local/catalog.yml").write_text(
        "doubled:\n  type: text.TextDataset\n  filepth: x.txt\n"
    )
    output = clean_error(run_ordino("run", cwd=root), code=1)
    assert "conf/local/catalog.yml, dataset 'doubled'" in output


# -- broken pipeline modules ---------------------------------------------------------


STRICT_REGISTRY = """\
from ordino.framework.project import find_pipelines


def register_pipelines():
    return find_pipelines(raise_errors=True)
"""


@pytest.mark.parametrize(
    ("source", "cause"),
    [
        ("import os\nimport no_such_lib_xyz\n", "ModuleNotFoundError"),
        ("import os\ndef f(:\n    pass\n", "SyntaxError"),
    ],
)
def test_a_pipeline_module_that_fails_to_import(
    tmp_path: Path, run_ordino, clean_error, source: str, cause: str
) -> None:
    root = make_project(
        tmp_path / "broken",
        pipelines={"broken": "from .nodes import f\n", "demo": DEFAULT_PIPELINE},
        registry=STRICT_REGISTRY,
        extra_files={"src/demo_project/pipelines/broken/nodes.py": source},
    )
    output = clean_error(run_ordino("run", cwd=root), code=1)
    assert "Pipeline module 'demo_project.pipelines.broken'" in output
    assert "src/demo_project/pipelines/broken/nodes.py, line 2" in output
    assert cause in output
    verbose = run_ordino("--verbose", "run", cwd=root)
    assert verbose.returncode == 1
    assert "Traceback" in verbose.stderr
    assert "The above exception was the direct cause" in verbose.stderr
    # a pipeline that does not need the broken module still runs
    assert run_ordino("run", "--pipelines", "demo", cwd=root).returncode == 0
