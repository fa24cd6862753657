"""``ordino new`` and ``ordino starter list``: layout, tools, prompts, refusals."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ordino.cli.main import cli

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def new(tmp_path: Path, *args: str, input: str | None = None):
    return CliRunner().invoke(
        cli, ["new", "--output-dir", str(tmp_path), *args], input=input
    )


def test_the_project_template_has_kedros_layout(tmp_path: Path) -> None:
    result = new(tmp_path, "--name", "Rocket Science", "--tools", "all")
    assert result.exit_code == 0, result.output
    root = tmp_path / "rocket-science"
    for relative in [
        "conf/base/catalog.yml",
        "conf/base/parameters.yml",
        "conf/local/credentials.yml",
        "conf/logging.yml",
        "data/01_raw/.gitkeep",
        "data/08_reporting/.gitkeep",
        "docs/index.md",
        "src/rocket_science/__init__.py",
        "src/rocket_science/__main__.py",
        "src/rocket_science/settings.py",
        "src/rocket_science/pipeline_registry.py",
        "src/rocket_science/pipelines/__init__.py",
        "tests/test_project.py",
        "requirements.txt",
        "README.md",
        ".gitignore",
    ]:
        assert (root / relative).is_file(), relative
    meta = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["ordino"]
    assert meta["package_name"] == "rocket_science"
    assert meta["project_name"] == "Rocket Science"
    assert "conf/local/**" in (root / ".gitignore").read_text()
    assert f"cd {root}" in result.output
    compile((root / "src/rocket_science/__main__.py").read_text(), "main", "exec")


def test_tools_choose_the_files(tmp_path: Path) -> None:
    result = new(tmp_path, "--name", "lean", "--tools", "none")
    assert result.exit_code == 0, result.output
    root = tmp_path / "lean"
    assert not (root / "tests").exists()
    assert not (root / "data").exists()
    assert not (root / "conf/logging.yml").exists()
    text = (root / "pyproject.toml").read_text()
    assert "[tool.ruff]" not in text
    assert "[tool.pytest" not in text
    assert tomllib.loads(text)["tool"]["ordino"]["tools"] == []


def test_tools_accept_numbers_and_ranges(tmp_path: Path) -> None:
    result = new(tmp_path, "--name", "numbered", "--tools", "1-2,5")
    assert result.exit_code == 0, result.output
    meta = tomllib.loads((tmp_path / "numbered/pyproject.toml").read_text())
    assert meta["tool"]["ordino"]["tools"] == ["lint", "test", "data"]


def test_the_example_adds_the_spaceflights_starter(tmp_path: Path) -> None:
    result = new(tmp_path, "--name", "Flights", "--example", "yes", "--tools", "lint")
    assert result.exit_code == 0, result.output
    root = tmp_path / "flights"
    pipelines = root / "src/flights/pipelines"
    assert (pipelines / "data_processing/nodes.py").is_file()
    assert (pipelines / "data_science/pipeline.py").is_file()
    assert (root / "tests/pipelines/test_data_science.py").is_file()
    assert (root / "data/08_reporting").is_dir()  # the starter needs data and tests
    assert "{namespace}.regressor" in (root / "conf/base/catalog.yml").read_text()
    assert (
        "from flights.pipelines"
        in (root / "tests/pipelines/test_data_science.py").read_text()
    )


def test_starter_by_alias_equals_the_example(tmp_path: Path) -> None:
    result = new(tmp_path, "--name", "alias", "--starter", "spaceflights")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "alias/src/alias/pipelines/data_science").is_dir()


def test_a_local_folder_is_a_starter(tmp_path: Path) -> None:
    starter = tmp_path / "my-starter"
    (starter / "conf/base").mkdir(parents=True)
    (starter / "conf/base/parameters.yml").write_text("owner: {{ project_name }}\n")
    out = tmp_path / "out"
    result = new(out, "--name", "Local Thing", "--starter", str(starter))
    assert result.exit_code == 0, result.output
    assert (out / "local-thing/conf/base/parameters.yml").read_text() == (
        "owner: Local Thing\n"
    )


def test_interactive_prompts(tmp_path: Path) -> None:
    result = new(tmp_path, input="class\nAsk Me\nlint,test\nn\n")
    assert result.exit_code == 0, result.output
    assert "Python keyword" in result.output  # the first answer was refused
    assert (tmp_path / "ask-me/tests").is_dir()
    assert not (tmp_path / "ask-me/data").exists()


def test_prompts_without_input_say_how_to_run_non_interactively(tmp_path: Path) -> None:
    result = new(tmp_path, input="")
    assert result.exit_code == 1
    assert "ordino new --name" in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_config_file_answers_everything(tmp_path: Path) -> None:
    config = tmp_path / "new.yml"
    config.write_text(
        f"project_name: From Config\ntools: test\nexample_pipeline: 'no'\n"
        f"output_dir: {tmp_path / 'here'}\npython_package: configured_pkg\n"
    )
    result = CliRunner().invoke(cli, ["new", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "here/from-config/src/configured_pkg/settings.py").is_file()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--name", "json"], 1, "standard library"),
        (["--name", "lambda"], 1, "Python keyword"),
        (["--name", "a/b"], 1, "contains '/'"),
        (["--name", "ok name", "--tools", "lnt"], 2, "Did you mean 'lint'"),
        (["--name", "ok name", "--tools", "9"], 2, "not a tool number"),
        (["--name", "ok name", "--example", "maybe"], 2, "not yes or no"),
        (
            ["--name", "ok name", "--starter", "spaceflight"],
            1,
            "Did you mean 'spaceflights'",
        ),
        (
            ["--name", "ok name", "--starter", "https://example.com/s.git"],
            1,
            "does not download",
        ),
        (
            ["--name", "ok name", "--starter", "spaceflights", "--tools", "lint"],
            2,
            "cannot be combined",
        ),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_written(
    tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    result = new(tmp_path, *args)
    assert result.exit_code == code, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_an_existing_folder_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken/notes.txt").write_text("mine")
    result = new(tmp_path, "--name", "taken")
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert (tmp_path / "taken/notes.txt").read_text() == "mine"
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]


def test_starter_list_shows_the_builtin_starter() -> None:
    result = CliRunner().invoke(cli, ["starter", "list"])
    assert result.exit_code == 0
    assert "spaceflights" in result.output
    assert "ordino new --starter" in result.output
