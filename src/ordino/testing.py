"""Helpers for testing ordino projects and plugins: tiny projects and hook recorders.

``make_project`` writes a complete, minimal project into a directory (usually
pytest's ``tmp_path``): ``pyproject.toml`` with ``[tool.ordino]``,
``src/<package>/{settings.py, pipeline_registry.py, pipelines/<name>/...}`` and
``conf/base`` / ``conf/local``. ``reset_project`` forgets it again, so the next
test can make another project with the same package name. ``RecordingHooks``
records every hook call, for asserting what a run did.

Example (in a pytest test)::

    from ordino.testing import make_project, reset_project

    def test_runs(tmp_path):
        root = make_project(tmp_path, parameters={"numbers": [1, 2], "factor": 3})
        try:
            with Session.create(root) as session:
                outputs = session.run()
            assert outputs["doubled"].load() == [3, 6]
        finally:
            reset_project()
"""

from __future__ import annotations

import importlib
import sys
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ordino.framework.hooks import hook_impl

__all__ = [
    "DEFAULT_PIPELINE",
    "RecordingHooks",
    "make_project",
    "reset_project",
    "write_yaml",
]

#: A one-node pipeline: ``doubled = [n * factor for n in numbers]`` where both inputs
#: are parameters, so the project runs with no data file and no dataset library.
DEFAULT_PIPELINE = """\
from ordino.pipeline import Pipeline, node


def double(numbers, factor):
    return [n * factor for n in numbers]


def create_pipeline(**kwargs):
    return Pipeline(
        [node(double, ["params:numbers", "params:factor"], "doubled", name="double")]
    )
"""

DEFAULT_REGISTRY = """\
from ordino.framework.project import find_pipelines


def register_pipelines():
    pipelines = find_pipelines()
    pipelines["__default__"] = sum(pipelines.values())
    return pipelines
"""

DEFAULT_SETTINGS = '''\
"""Project settings; every setting is optional."""
'''

DEFAULT_PARAMETERS: dict[str, Any] = {"numbers": [1, 2, 3], "factor": 2}


def write_yaml(path: Path, data: Any) -> Path:
    """Write ``data`` as YAML to ``path`` (creating parent directories)."""
    import yaml

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


def make_project(
    root: Path | str,
    *,
    package_name: str = "demo_project",
    project_name: str = "Demo Project",
    pipelines: Mapping[str, str] | None = None,
    parameters: Mapping[str, Any] | None = None,
    catalog: Mapping[str, Any] | None = None,
    credentials: Mapping[str, Any] | None = None,
    local_parameters: Mapping[str, Any] | None = None,
    envs: Mapping[str, Mapping[str, Any]] | None = None,
    settings: str | None = None,
    registry: str | None = None,
    logging_config: Mapping[str, Any] | None = None,
    extra_files: Mapping[str, str] | None = None,
    ordino_init_version: str | None = None,
) -> Path:
    """Write a minimal ordino project under ``root`` and return ``root``.

    Args:
        root: The project directory (created if needed).
        package_name: The project's Python package, under ``src/``.
        project_name: The human-readable name in ``[tool.ordino]``.
        pipelines: Pipeline name -> source of ``pipelines/<name>/pipeline.py``
            (which must define ``create_pipeline``). Default: one pipeline ``demo``
            with ``DEFAULT_PIPELINE``.
        parameters: ``conf/base/parameters.yml`` (default ``DEFAULT_PARAMETERS``).
        catalog: ``conf/base/catalog.yml`` (default: none, every dataset in memory).
        credentials: ``conf/local/credentials.yml``.
        local_parameters: ``conf/local/parameters.yml``.
        envs: Extra environments: env name -> {file stem: content}, for example
            ``{"prod": {"parameters": {"factor": 10}}}``.
        settings: Source of ``settings.py`` (default: no setting).
        registry: Source of ``pipeline_registry.py`` (default: ``find_pipelines``
            plus a ``__default__`` that sums them).
        logging_config: ``conf/logging.yml``.
        extra_files: Relative path -> text, for anything else (node modules, data).
        ordino_init_version: Written to ``[tool.ordino]`` (default: this ordino's).

    Returns:
        The project's root directory.
    """
    from ordino import __version__

    root = Path(root)
    version = ordino_init_version or __version__
    _write(
        root / "pyproject.toml",
        f"""\
        [project]
        name = "{package_name.replace("_", "-")}"
        version = "0.1.0"

        [tool.ordino]
        package_name = "{package_name}"
        project_name = "{project_name}"
        ordino_init_version = "{version}"
        source_dir = "src"
        """,
    )
    package = root / "src" / package_name
    _write(package / "__init__.py", f'"""{project_name}."""\n')
    _write(
        package / "settings.py", settings if settings is not None else DEFAULT_SETTINGS
    )
    _write(
        package / "pipeline_registry.py",
        registry if registry is not None else DEFAULT_REGISTRY,
    )
    _write(package / "pipelines" / "__init__.py", "")
    default = {"demo": DEFAULT_PIPELINE}
    for name, source in (pipelines if pipelines is not None else default).items():
        _write(
            package / "pipelines" / name / "__init__.py",
            "from .pipeline import create_pipeline\n",
        )
        _write(package / "pipelines" / name / "pipeline.py", source)
    conf = root / "conf"
    write_yaml(
        conf / "base" / "parameters.yml",
        dict(parameters if parameters is not None else DEFAULT_PARAMETERS),
    )
    write_yaml(conf / "base" / "catalog.yml", dict(catalog or {}))
    (conf / "local").mkdir(parents=True, exist_ok=True)
    if credentials is not None:
        write_yaml(conf / "local" / "credentials.yml", dict(credentials))
    if local_parameters is not None:
        write_yaml(conf / "local" / "parameters.yml", dict(local_parameters))
    for env, files in (envs or {}).items():
        (conf / env).mkdir(parents=True, exist_ok=True)
        for stem, content in files.items():
            write_yaml(conf / env / f"{stem}.yml", content)
    if logging_config is not None:
        write_yaml(conf / "logging.yml", dict(logging_config))
    for relative, text in (extra_files or {}).items():
        _write(root / relative, text)
    (root / "data").mkdir(exist_ok=True)
    importlib.invalidate_caches()  # the path finders cache directory listings
    return root


def reset_project() -> None:
    """Forget the configured project: settings, pipelines, its modules, its path.

    Call it after each test that bootstrapped a project (a fixture's teardown), so
    that the next test's project of the same package name is imported afresh.
    """
    from ordino.framework import project

    package = project.PACKAGE_NAME
    if package:
        for name in [
            m for m in sys.modules if m == package or m.startswith(package + ".")
        ]:
            del sys.modules[name]
    if project.PROJECT_PATH is not None:
        for candidate in (project.PROJECT_PATH / "src", project.PROJECT_PATH):
            text = str(candidate.resolve())
            while text in sys.path:
                sys.path.remove(text)
    project.settings.configure(None)
    project.pipelines.configure(None)
    project.PACKAGE_NAME = None
    project.PROJECT_PATH = None
    importlib.invalidate_caches()


class RecordingHooks:
    """A hooks plugin that records every pipeline, catalog, context, node and
    dataset hook call, in order, as ``(hook name, {argument: value})``.

    Example:
        >>> recorder = RecordingHooks()
        >>> session.hook_manager.register(recorder)  # doctest: +SKIP
        >>> session.run()  # doctest: +SKIP
        >>> recorder.names()[:2]  # doctest: +SKIP
        ['after_context_created', 'after_catalog_created']
    """

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def names(self) -> list[str]:
        """The names of the hooks called, in order."""
        return [name for name, _ in self.calls]

    def of(self, name: str) -> list[dict[str, Any]]:
        """The arguments of every call of hook ``name``."""
        return [kwargs for hook, kwargs in self.calls if hook == name]

    def _record(self, name: str, **kwargs: Any) -> None:
        self.calls.append((name, kwargs))

    @hook_impl
    def after_context_created(self, context: Any) -> None:
        self._record("after_context_created", context=context)

    @hook_impl
    def after_catalog_created(
        self,
        catalog: Any,
        conf_catalog: Any,
        conf_creds: Any,
        save_version: Any,
        load_versions: Any,
    ) -> None:
        self._record(
            "after_catalog_created",
            catalog=catalog,
            conf_catalog=conf_catalog,
            conf_creds=conf_creds,
            save_version=save_version,
            load_versions=load_versions,
        )

    @hook_impl
    def before_pipeline_run(self, run_params: Any, pipeline: Any, catalog: Any) -> None:
        self._record(
            "before_pipeline_run",
            run_params=run_params,
            pipeline=pipeline,
            catalog=catalog,
        )

    @hook_impl
    def after_pipeline_run(
        self, run_params: Any, run_result: Any, pipeline: Any, catalog: Any
    ) -> None:
        self._record(
            "after_pipeline_run",
            run_params=run_params,
            run_result=run_result,
            pipeline=pipeline,
            catalog=catalog,
        )

    @hook_impl
    def on_pipeline_error(
        self, error: Any, run_params: Any, pipeline: Any, catalog: Any
    ) -> None:
        self._record(
            "on_pipeline_error",
            error=error,
            run_params=run_params,
            pipeline=pipeline,
            catalog=catalog,
        )

    @hook_impl
    def before_node_run(self, node: Any, inputs: Any) -> None:
        self._record("before_node_run", node=node, inputs=inputs)

    @hook_impl
    def after_node_run(self, node: Any, inputs: Any, outputs: Any) -> None:
        self._record("after_node_run", node=node, inputs=inputs, outputs=outputs)

    @hook_impl
    def on_node_error(self, error: Any, node: Any) -> None:
        self._record("on_node_error", error=error, node=node)

    @hook_impl
    def before_dataset_loaded(self, dataset_name: str, node: Any) -> None:
        self._record("before_dataset_loaded", dataset_name=dataset_name, node=node)

    @hook_impl
    def after_dataset_saved(self, dataset_name: str, data: Any, node: Any) -> None:
        self._record(
            "after_dataset_saved", dataset_name=dataset_name, data=data, node=node
        )
