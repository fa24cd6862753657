"""The root command: lazy sub-commands, start-up cost, plugins, error boundary."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ordino import __version__
from ordino.cli import plugins
from ordino.cli.main import LAZY_COMMANDS, cli
from ordino.errors import DatasetError


def test_help_lists_every_command_with_its_summary() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name, (_, summary) in LAZY_COMMANDS.items():
        assert name in result.output
        assert summary.split()[0] in result.output
    assert "--verbose" in result.output


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"ordino, version {__version__}"


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_import_no_sub_command_and_nothing_heavy(flag: str) -> None:
    code = textwrap.dedent(
        f"""
        import sys
        from ordino.cli.main import main
        try:
            main([{flag!r}])
        except SystemExit:
            pass
        heavy = {{"pandas", "numpy", "rich", "fsspec", "omegaconf", "pluggy", "yaml",
                 "importlib.metadata", "ordino.framework", "ordino.io", "click"}}
        mods = set(sys.modules)
        from ordino.cli.main import LAZY_COMMANDS
        targets = {{t.partition(":")[0] for t, _ in LAZY_COMMANDS.values()}}
        subs = sorted(targets & mods)
        print(sorted(heavy & mods), subs, file=sys.stderr)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stderr.strip() == "[] []"


def test_the_fast_help_is_exactly_what_click_prints(tmp_path: Path, run_ordino) -> None:
    from ordino.cli.main import fast_help

    ctx = click.Context(cli, info_name="ordino", terminal_width=78)
    assert cli.get_help(ctx) + "\n" == fast_help()
    through_click = subprocess.run(
        [
            sys.executable,
            "-c",
            "from ordino.cli.root import cli; cli.main(['--help'], prog_name='ordino')",
        ],
        env={"COLUMNS": "100", "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    fast = run_ordino("--help", cwd=tmp_path, env={"COLUMNS": "100"})
    assert through_click.stdout == fast_help(), through_click.stderr
    assert fast.stdout == fast_help(), fast.stderr


@pytest.mark.parametrize("columns", ["100", "60"])
def test_help_in_a_subprocess_at_any_width(columns: str, run_ordino, tmp_path) -> None:
    result = run_ordino("--help", cwd=tmp_path, env={"COLUMNS": columns})
    assert result.returncode == 0
    assert "run " in result.stdout
    assert "Show full tracebacks" in result.stdout
    version = run_ordino("-V", cwd=tmp_path)
    assert version.stdout == f"ordino, version {__version__}\n"


def test_unknown_command_suggests_the_closest_and_exits_2() -> None:
    result = CliRunner().invoke(cli, ["rnu"])
    assert result.exit_code == 2
    assert "No such command 'rnu'. Did you mean 'run'?" in result.output


def _failing_command(exc: BaseException) -> click.Command:
    @click.command("boom")
    def boom() -> None:
        raise exc

    return boom


@pytest.fixture
def with_command():
    added: list[str] = []

    def add(command: click.Command) -> None:
        cli.add_command(command)
        added.append(str(command.name))

    yield add
    for name in added:
        cli.commands.pop(name, None)


def test_an_ordino_error_is_one_line_exit_1_no_traceback(with_command) -> None:
    with_command(
        _failing_command(DatasetError("Dataset 'x' is broken.", hint="Fix x."))
    )
    result = CliRunner().invoke(cli, ["boom"])
    assert result.exit_code == 1
    assert result.output == "Error: Dataset 'x' is broken.\n  Fix x.\n"


def test_an_unexpected_error_gets_one_line_and_the_verbose_hint(with_command) -> None:
    with_command(_failing_command(ZeroDivisionError("division by zero")))
    result = CliRunner().invoke(cli, ["boom"])
    assert result.exit_code == 1
    assert "Error: ZeroDivisionError: division by zero" in result.output
    assert "--verbose" in result.output
    assert "Traceback" not in result.output


def test_an_interrupted_run_exits_130_with_the_resume_command(with_command) -> None:
    from ordino.errors import RunInterruptedError

    error = RunInterruptedError(
        "Run interrupted.", hint="Resume: ordino run --from-nodes b"
    )
    with_command(_failing_command(error))
    result = CliRunner().invoke(cli, ["boom"])
    assert result.exit_code == 130
    assert (
        result.output
        == "Error: Run interrupted.\n  Resume: ordino run --from-nodes b\n"
    )


def test_verbose_shows_the_traceback(with_command) -> None:
    with_command(_failing_command(DatasetError("Broken.")))
    result = CliRunner().invoke(cli, ["--verbose", "boom"])
    assert result.exit_code == 1
    assert "Traceback" in result.output
    assert "Error: Broken." in result.output


@pytest.fixture
def fake_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A distribution with entry points in every ordino group, on sys.path."""
    (tmp_path / "fake_plugin.py").write_text(
        textwrap.dedent(
            """
            import click
            from ordino.cli.hooks import cli_hook_impl

            CALLS = []

            @click.group()
            def commands():
                pass

            @commands.command("hello")
            def hello():
                \"\"\"Say hello from a plugin.\"\"\"
                click.echo("hello from the plugin")

            class Hooks:
                @cli_hook_impl
                def before_command_run(self, project_metadata, command_args):
                    CALLS.append(("before", list(command_args)))

                @cli_hook_impl
                def after_command_run(self, project_metadata, command_args, exit_code):
                    CALLS.append(("after", exit_code))

            hooks = Hooks()

            class Spec:
                alias = "tiny"
                template_path = __file__.rsplit("/", 1)[0]
                description = "a tiny starter"

            starters = [Spec()]
            """
        )
    )
    info = tmp_path / "fake_plugin-1.2.dist-info"
    info.mkdir()
    (info / "entry_points.txt").write_text(
        "[ordino.global_commands]\nfake = fake_plugin:commands\n\n"
        "[ordino.cli_hooks]\nfake = fake_plugin:hooks\n\n"
        "[ordino.starters]\nfake = fake_plugin:starters\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    plugins._scan.cache_clear()
    monkeypatch.setattr(cli, "_plugins_loaded", False)
    yield
    plugins._scan.cache_clear()
    cli.commands.pop("hello", None)
    sys.modules.pop("fake_plugin", None)


def test_plugin_commands_hooks_and_starters_come_from_entry_points(fake_plugin) -> None:
    runner = CliRunner()
    assert "Say hello from a plugin." in runner.invoke(cli, ["--help"]).output
    result = runner.invoke(cli, ["hello"])
    assert result.exit_code == 0, result.output
    assert result.output == "hello from the plugin\n"
    import fake_plugin as module

    assert ("before", ["hello"]) in module.CALLS
    assert ("after", 0) in module.CALLS
    assert "tiny" in runner.invoke(cli, ["starter", "list"]).output
    info = runner.invoke(cli, ["info"]).output
    assert "fake_plugin 1.2" in info
    assert "ordino.cli_hooks" in info


def test_shell_completion_lists_commands() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ordino"],
        env={
            "_ORDINO_COMPLETE": "bash_complete",
            "COMP_WORDS": "ordino ru",
            "COMP_CWORD": "1",
            "PATH": "",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert "run" in result.stdout
