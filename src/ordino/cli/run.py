"""``ordino run``: run the project's pipeline, or a slice of it, with Kedro 1.x flags.

Every option is checked before the project is loaded, so a typo costs milliseconds,
not a pipeline import. A ``--config run.yml`` file supplies defaults under ``run:``;
options on the command line win over it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ordino.cli import run_options as opts

NAMES = "Comma-separated; may be repeated."


@click.command("run", context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--from-inputs", multiple=True, help=f"Run from these datasets on. {NAMES}"
)
@click.option("--to-outputs", multiple=True, help=f"Run up to these datasets. {NAMES}")
@click.option("--from-nodes", multiple=True, help=f"Run from these nodes on. {NAMES}")
@click.option("--to-nodes", multiple=True, help=f"Run up to these nodes. {NAMES}")
@click.option(
    "--nodes", "-n", "nodes", multiple=True, help=f"Run only these nodes. {NAMES}"
)
@click.option(
    "--runner",
    "-r",
    help="Runner name (SequentialRunner, ThreadRunner, "
    "ParallelRunner) or import path of a runner class.",
)
@click.option(
    "--async",
    "is_async",
    is_flag=True,
    default=None,
    help="Load and save node inputs and outputs asynchronously (threads).",
)
@click.option(
    "--env",
    "-e",
    envvar="ORDINO_ENV",
    help="Configuration environment under conf/ (default: local).",
)
@click.option(
    "--tags", "-t", multiple=True, help=f"Run nodes with any of these tags. {NAMES}"
)
@click.option(
    "--load-versions",
    "-lv",
    multiple=True,
    help="Versions to load, as dataset:version. Comma-separated.",
)
@click.option(
    "--pipelines",
    "-p",
    multiple=True,
    help=f"Registered pipelines to run (default __default__). {NAMES}",
)
@click.option(
    "--pipeline",
    "old_pipeline",
    help="One pipeline to run (older spelling of --pipelines).",
)
@click.option(
    "--namespaces",
    "-ns",
    multiple=True,
    help=f"Run only nodes in these namespaces. {NAMES}",
)
@click.option(
    "--config",
    "-c",
    "config_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML file whose 'run:' section gives defaults for these options.",
)
@click.option("--conf-source", help="Configuration folder or .tar.gz/.zip archive.")
@click.option(
    "--params",
    multiple=True,
    help="Override parameters: key=value,... Values are YAML; "
    "dotted keys nest (model.alpha=0.1).",
)
@click.option(
    "--runner-params",
    multiple=True,
    help="Arguments of the runner, key=value,... (max_workers=4).",
)
@click.option(
    "--only-missing-outputs",
    is_flag=True,
    default=None,
    help="Skip nodes whose persisted outputs all exist already.",
)
@click.pass_context
def run(ctx: click.Context, /, **options: Any) -> None:
    """Run the project's pipeline, or a slice of it.

    \b
    Examples:
      ordino run
      ordino run --pipelines data_processing --tags fast
      ordino run --params "model.alpha=0.1,features=[a,b]" --env prod
      ordino run --from-nodes train_model --runner ThreadRunner --async
    """
    merged = _merge_config(ctx, options)
    request = _build_request(merged)
    root = ctx.find_root().obj
    packaged = root.get("packaged") if isinstance(root, dict) else None
    if packaged:
        # an installed package (python -m <package>): no pyproject.toml around it
        from ordino.framework.project import configure_project

        configure_project(str(packaged), project_path=Path.cwd())
        execute(Path.cwd(), request)
        return
    from ordino.cli.project import bootstrap

    metadata = bootstrap()
    execute(Path(metadata.project_path), request)


def _merge_config(ctx: click.Context, options: dict[str, Any]) -> dict[str, Any]:
    """Options from ``--config`` where the command line did not give them."""
    config_file = options.pop("config_file")
    if config_file is None:
        return options
    from click.core import ParameterSource

    from_file = opts.read_run_config(config_file)
    if "pipeline" in from_file:
        from_file["old_pipeline"] = from_file.pop("pipeline")
    merged = dict(options)
    for key, value in from_file.items():
        if ctx.get_parameter_source(key) in (None, ParameterSource.DEFAULT):
            merged[key] = value
    return merged


def _build_request(options: dict[str, Any]) -> dict[str, Any]:
    """Parse and check every option; nothing about the project is needed yet."""
    pipelines = opts.split_names(options.get("pipelines"))
    old = options.get("old_pipeline")
    if old:
        if pipelines:
            raise click.UsageError(
                "give either --pipelines or the older --pipeline, not both."
            )
        pipelines = [str(old)]
    runner_params = opts.parse_key_values(
        options.get("runner_params"), "--runner-params"
    )
    return {
        "pipelines": pipelines or None,
        "tags": opts.split_names(options.get("tags")),
        "nodes": opts.split_names(options.get("nodes")),
        "from_nodes": opts.split_names(options.get("from_nodes")),
        "to_nodes": opts.split_names(options.get("to_nodes")),
        "from_inputs": opts.split_names(options.get("from_inputs")),
        "to_outputs": opts.split_names(options.get("to_outputs")),
        "namespaces": opts.split_names(options.get("namespaces")),
        "runner": str(options.get("runner") or "SequentialRunner"),
        "is_async": bool(options.get("is_async")),
        "runner_params": runner_params,
        "env": options.get("env") or None,
        "params": opts.parse_key_values(options.get("params"), "--params"),
        "load_versions": opts.parse_load_versions(options.get("load_versions")),
        "conf_source": options.get("conf_source") or None,
        "only_missing_outputs": bool(options.get("only_missing_outputs")),
    }


def execute(project_path: Path, request: dict[str, Any]) -> None:
    """Create the session, attach the progress display and run."""
    runner = opts.build_runner(
        request["runner"],
        is_async=request["is_async"],
        params=request["runner_params"],
    )
    from ordino.cli.conf_source import prepared_conf_source

    with prepared_conf_source(project_path, request["conf_source"]) as conf_source:
        _run_session(project_path, conf_source, runner, request)


def _run_session(
    project_path: Path, conf_source: str | None, runner: Any, request: dict[str, Any]
) -> None:
    from ordino.cli.progress import RunProgress
    from ordino.framework.session import Session

    progress = RunProgress(project_path)
    with Session.create(
        project_path=project_path,
        env=request["env"],
        runtime_params=request["params"] or None,
        conf_source=conf_source,
    ) as session:
        session.hook_manager.register(progress, name="ordino-cli-progress")
        try:
            session.run(
                pipeline_names=request["pipelines"],
                tags=request["tags"] or None,
                runner=runner,
                node_names=request["nodes"] or None,
                from_nodes=request["from_nodes"] or None,
                to_nodes=request["to_nodes"] or None,
                from_inputs=request["from_inputs"] or None,
                to_outputs=request["to_outputs"] or None,
                load_versions=request["load_versions"] or None,
                namespaces=request["namespaces"] or None,
                only_missing_outputs=request["only_missing_outputs"],
            )
        except BaseException:
            if progress.total:
                click.echo(
                    f"Stopped after {progress.done} of {progress.total} nodes.",
                    err=True,
                )
            raise
    click.echo(progress.summary())
