"""``ordino registry list|describe``: the project's registered pipelines."""

from __future__ import annotations

import click


@click.group("registry", context_settings={"help_option_names": ["-h", "--help"]})
def registry() -> None:
    """List and describe the registered pipelines."""


@registry.command("list")
def list_pipelines() -> None:
    """The names of the registered pipelines (YAML)."""
    import yaml

    from ordino.cli.project import bootstrap

    bootstrap()
    from ordino.framework.project import pipelines

    click.echo(yaml.safe_dump(sorted(pipelines), sort_keys=False), nl=False)


@registry.command("describe")
@click.argument("name", default="__default__")
def describe(name: str) -> None:
    """The nodes of pipeline NAME (default __default__), in run order (YAML)."""
    import yaml

    from ordino.cli.project import bootstrap

    bootstrap()
    from ordino.framework.project import pipelines

    chosen = pipelines[name]
    nodes = [f"{node.name} ({_function_name(node)})" for node in chosen.nodes]
    click.echo(yaml.safe_dump({"Nodes": nodes}, sort_keys=False), nl=False)
    click.echo(f"\nRun it with: ordino run --pipelines {name}")


def _function_name(node: object) -> str:
    func = getattr(node, "func", None)
    return str(getattr(func, "__name__", None) or type(func).__name__)
