"""Bad input, driven through the real ``ordino`` command in a subprocess.

Each case must end with one ``Error:`` message that names what is wrong (and, where
there is one, how to fix it), a non-zero exit code, no traceback, and nothing
half-written. A small project is built once for the module; cases that break the
project work on their own copy of it.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

PREP = """\
from ordino.pipeline import Pipeline, node


def clean(numbers):
    return [n for n in numbers if n >= 0]


def create_pipeline(**kwargs):
    return Pipeline([node(clean, "raw_numbers", "clean_numbers", name="clean",
                          tags=["prep"])])
"""

MODEL = """\
from ordino.pipeline import Pipeline, node, pipeline


def scale(numbers, factor):
    return [n * factor for n in numbers]


def create_pipeline(**kwargs):
    base = Pipeline([node(scale, ["clean_numbers", "params:factor"], "scaled",
                          name="scale")])
    return pipeline(base, namespace="ns1", inputs={"clean_numbers": "clean_numbers"})
"""

FRAGILE = """\
from ordino.pipeline import Pipeline, node


def explode(numbers):
    raise ValueError("boom: the numbers are cursed")


def create_pipeline(**kwargs):
    return Pipeline([node(explode, "clean_numbers", "exploded", name="explode")])
"""

REGISTRY = """\
from ordino.framework.project import find_pipelines


def register_pipelines():
    pipelines = find_pipelines(raise_errors=True)
    pipelines["__default__"] = pipelines["prep"] + pipelines["model"]
    return pipelines
"""

CATALOG = {
    "raw_numbers": {"type": "json.JSONDataset", "filepath": "data/01_raw/numbers.json"},
    "clean_numbers": {
        "type": "json.JSONDataset",
        "filepath": "data/02_intermediate/clean.json",
    },
    "exploded": {
        "type": "json.JSONDataset",
        "filepath": "data/03_primary/exploded.json",
    },
    "ns1.scaled": {
        "type": "json.JSONDataset",
        "filepath": "data/03_primary/scaled.json",
    },
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ordino.testing import make_project

    root = tmp_path_factory.mktemp("bad") / "badin"
    make_project(
        root,
        package_name="badin_project",
        pipelines={"prep": PREP, "model": MODEL, "fragile": FRAGILE},
        registry=REGISTRY,
        parameters={"factor": 3, "ns1": {"factor": 3}},
        catalog=CATALOG,
        envs={"prod": {"parameters": {"factor": 10}}},
        extra_files={"data/01_raw/numbers.json": "[1, -2, 3]\n"},
    )
    return root


@dataclass
class Case:
    args: tuple[str, ...]
    expect: tuple[str, ...]
    change: Callable[[Path], None] | None = None
    code: int | None = None
    where: str = "project"  # or "outside"
    absent: tuple[str, ...] = field(default=())  # files that must not exist after
    env: dict[str, str] = field(default_factory=dict)


def _edit(relative: str, old: str, new: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = root / relative
        text = path.read_text()
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new))

    return change


def _write(relative: str, text: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))

    return change


def _remove(relative: str) -> Callable[[Path], None]:
    return lambda root: (root / relative).unlink()


def _block_import(module: str) -> Callable[[Path], None]:
    """A sitecustomize that makes ``import module`` fail, as if not installed."""

    def change(root: Path) -> None:
        (root / "blocker").mkdir()
        (root / "blocker" / "sitecustomize.py").write_text(
            f"import sys\nsys.modules[{module!r}] = None\n"
        )

    return change


def _all(*changes: Callable[[Path], None]) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        for one in changes:
            one(root)

    return change


CASES: dict[str, Case] = {
    # -- where the project is -------------------------------------------------------
    "outside-run": Case(
        ("run",), ("No ordino project found", "ordino new"), where="outside"
    ),
    "outside-registry": Case(
        ("registry", "list"), ("No ordino project found",), where="outside"
    ),
    "outside-catalog": Case(
        ("catalog", "list-patterns"), ("No ordino project",), where="outside"
    ),
    "outside-pipeline-create": Case(
        ("pipeline", "create", "x"), ("No ordino project",), where="outside"
    ),
    "malformed-pyproject": Case(
        ("run",),
        ("pyproject.toml", "TOML"),
        change=_edit(
            "pyproject.toml",
            'package_name = "badin_project"',
            'package_name = "badin_project',
        ),
    ),
    "pyproject-missing-key": Case(
        ("run",),
        ("package_name", "[tool.ordino]"),
        change=_edit("pyproject.toml", 'package_name = "badin_project"\n', ""),
    ),
    "pyproject-typo-key": Case(
        ("run",),
        ("pakage_name", "Did you mean", "'package_name'"),
        change=_edit(
            "pyproject.toml",
            'source_dir = "src"',
            'pakage_name = "x"\nsource_dir = "src"',
        ),
    ),
    "incompatible-init-version": Case(
        ("run",),
        ("9.0.0", "ordino_init_version"),
        change=_edit(
            "pyproject.toml",
            'ordino_init_version = "',
            'ordino_init_version = "9.0.0"\n#',
        ),
    ),
    # -- selections -----------------------------------------------------------------
    "unknown-pipeline": Case(
        ("run", "--pipelines", "prepp"), ("'prepp'", "Did you mean 'prep'")
    ),
    "unknown-old-pipeline": Case(
        ("run", "--pipeline", "modle"), ("'modle'", "Did you mean 'model'")
    ),
    "unknown-node": Case(("run", "--nodes", "claen"), ("claen", "'clean'")),
    "unknown-from-node": Case(("run", "--from-nodes", "scal"), ("scal",)),
    "unknown-to-node": Case(("run", "--to-nodes", "nope"), ("nope",)),
    "unknown-tag": Case(("run", "--tags", "prepp"), ("prepp",)),
    "unknown-namespace": Case(("run", "--namespaces", "ns2"), ("ns2", "ns1")),
    "unknown-from-input": Case(("run", "--from-inputs", "raw_numbrs"), ("raw_numbrs",)),
    "unknown-to-output": Case(("run", "--to-outputs", "scaled"), ("scaled",)),
    "registry-unknown": Case(
        ("registry", "describe", "prepp"), ("'prepp'", "Did you mean 'prep'")
    ),
    # -- option values --------------------------------------------------------------
    "params-bad-yaml": Case(
        ("run", "--params", "factor=[1,2"),
        ("--params", "'factor'", "not valid YAML"),
        code=2,
    ),
    "params-no-value": Case(
        ("run", "--params", "factor"), ("--params", "key=value"), code=2
    ),
    "params-conflict": Case(
        ("run", "--params", "a=1,a.b=2"), ("'a.b'", "plain value"), code=2
    ),
    "load-versions-format": Case(
        ("run", "--load-versions", "raw_numbers"), ("dataset:version",), code=2
    ),
    "unknown-runner": Case(
        ("run", "--runner", "SequentalRunner"),
        ("Did you mean 'SequentialRunner'",),
        code=2,
    ),
    "runner-import-path": Case(
        ("run", "--runner", "nowhere.MyRunner"),
        ("cannot import module 'nowhere'",),
        code=2,
    ),
    "runner-params-unknown": Case(
        ("run", "--runner", "ThreadRunner", "--runner-params", "max_worker=2"),
        ("max_worker", "Did you mean 'max_workers'"),
        code=2,
    ),
    "unknown-option": Case(("run", "--tagz", "x"), ("--tagz", "--tags"), code=2),
    "unknown-command": Case(("rnu",), ("No such command 'rnu'", "'run'"), code=2),
    "config-missing-file": Case(("run", "--config", "nope.yml"), ("nope.yml",), code=2),
    "config-bad-yaml": Case(
        ("run", "--config", "run.yml"),
        ("run.yml", "not valid YAML at line"),
        change=_write("run.yml", "run:\n  tags: [a\n"),
        code=2,
    ),
    "config-unknown-key": Case(
        ("run", "--config", "run.yml"),
        ("'tagz'", "Did you mean 'tags'"),
        change=_write("run.yml", "run:\n  tagz: [a]\n"),
        code=2,
    ),
    "config-no-run-section": Case(
        ("run", "--config", "run.yml"),
        ("'run:'",),
        change=_write("run.yml", "tags: [a]\n"),
        code=2,
    ),
    "unknown-env": Case(
        ("run", "--env", "prd"), ("Unknown environment 'prd'", "Did you mean 'prod'")
    ),
    "unknown-env-variable": Case(("run",), ("'stagin'",), env={"ORDINO_ENV": "stagin"}),
    "conf-source-missing": Case(("run", "--conf-source", "nowhere"), ("nowhere",)),
    # -- configuration and settings -------------------------------------------------
    "settings-typo": Case(
        ("run",),
        ("HOOK", "HOOKS"),
        change=_write("src/badin_project/settings.py", "HOOK = ()\n"),
    ),
    "settings-wrong-type": Case(
        ("run",),
        ("CONF_SOURCE",),
        change=_write("src/badin_project/settings.py", "CONF_SOURCE = 3\n"),
    ),
    "catalog-unknown-type": Case(
        ("run",),
        ("raw_numbers", "json.JSONDatset", "Did you mean"),
        change=_edit("conf/base/catalog.yml", "json.JSONDataset", "json.JSONDatset"),
    ),
    "catalog-bad-yaml": Case(
        ("run",),
        ("catalog.yml", "line"),
        change=_write("conf/base/catalog.yml", "raw_numbers:\n  type: [json\n"),
    ),
    "parameters-bad-yaml": Case(
        ("run",),
        ("parameters.yml",),
        change=_write("conf/base/parameters.yml", "factor: {3\n"),
    ),
    "duplicate-top-level-key": Case(
        ("run",),
        ("factor", "parameters_extra.yml"),
        change=_write("conf/base/parameters_extra.yml", "factor: 4\n"),
    ),
    "missing-parameter": Case(
        ("run",),
        ("'ns1.factor'", "--params ns1.factor="),
        change=_write("conf/base/parameters.yml", "factor: 1\nns2:\n  factor: 1\n"),
    ),
    "missing-credentials": Case(
        ("run",),
        ("raw_numbers", "db_creds"),
        change=_write(
            "conf/base/catalog.yml",
            """\
            raw_numbers:
              type: pandas.SQLTableDataset
              table_name: numbers
              credentials: db_creds
            """,
        ),
    ),
    "broken-pipeline-module": Case(
        ("run",),
        ("badin_project.pipelines.model", "SyntaxError"),
        change=_edit(
            "src/badin_project/pipelines/model/pipeline.py",
            "def scale(numbers, factor):",
            "def scale(numbers, factor)",
        ),
    ),
    # -- data -----------------------------------------------------------------------
    "missing-raw-file": Case(
        ("run",),
        ("raw_numbers", "numbers.json"),
        change=_remove("data/01_raw/numbers.json"),
        absent=("data/02_intermediate/clean.json",),
    ),
    "failing-node": Case(
        ("run", "--pipelines", "prep,fragile"),
        ("explode", "boom: the numbers are"),
        absent=("data/03_primary/exploded.json",),
    ),
    "missing-dependency": Case(
        ("run",),
        ("openpyxl", "pip install"),
        change=_all(
            _write(
                "conf/base/catalog.yml",
                """\
                raw_numbers:
                  type: pandas.ExcelDataset
                  filepath: data/01_raw/numbers.xlsx
                """,
            ),
            _write("data/01_raw/numbers.xlsx", "not really excel"),
            _block_import("openpyxl"),
        ),
        env={"PYTHONPATH": "blocker"},
    ),
    # -- other commands -------------------------------------------------------------
    "new-keyword-name": Case(
        ("new", "--name", "class"), ("Python keyword",), where="outside"
    ),
    "new-stdlib-name": Case(
        ("new", "--name", "json"), ("standard library",), where="outside"
    ),
    "new-bad-characters": Case(("new", "--name", "my/proj"), ("'/'",), where="outside"),
    "new-unknown-starter": Case(
        ("new", "--name", "fine", "--starter", "spacefligts"),
        ("Did you mean 'spaceflights'",),
        where="outside",
    ),
    "pipeline-create-bad-name": Case(
        ("pipeline", "create", "Bad-Name"), ("Invalid pipeline name 'Bad-Name'",)
    ),
    "pipeline-create-exists": Case(
        ("pipeline", "create", "prep"), ("already exists", "ordino pipeline delete")
    ),
    "pipeline-delete-unknown": Case(
        ("pipeline", "delete", "prepp", "-y"),
        ("No pipeline 'prepp'", "Did you mean 'prep'"),
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_gives_one_clear_error(
    name: str, project: Path, tmp_path: Path, run_ordino, clean_error
) -> None:
    case = CASES[name]
    if case.where == "outside":
        cwd = tmp_path
    elif case.change is not None:
        cwd = tmp_path / "copy"
        shutil.copytree(project, cwd)
        case.change(cwd)
    else:
        cwd = project
    before = _snapshot(cwd)
    result = run_ordino(*case.args, cwd=cwd, env=case.env)
    clean_error(result, *case.expect, code=case.code)
    for relative in case.absent:
        assert not (cwd / relative).exists(), relative
    leftovers = [p for p in _snapshot(cwd) - before if _looks_partial(p)]
    assert leftovers == [], leftovers
    if case.where == "outside":
        assert list(tmp_path.iterdir()) == []


def _snapshot(root: Path) -> set[str]:
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if "__pycache__" not in p.parts and ".ordino" not in p.parts
    }


def _looks_partial(relative: str) -> bool:
    name = relative.rsplit("/", 1)[-1]
    return name.startswith(".") or name.endswith((".tmp", ".part", "~"))


def test_there_are_at_least_forty_cases() -> None:
    assert len(CASES) >= 40
