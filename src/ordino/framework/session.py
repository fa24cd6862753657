"""``Session``: one run of a project, from configuration to the runner and back.

A session finds and bootstraps the project, builds a hook manager with the project's
hooks and installed plugins, creates contexts on demand and runs the pipeline once.
What it did (id, env, user, git commit, the command line) goes to the session store.
"""

from __future__ import annotations

import getpass
import logging
import os
import traceback
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from ordino.errors import MissingConfigException, ProjectNotFoundError, SessionError
from ordino.framework.facts import cli_facts, generate_session_id, git_facts
from ordino.framework.store import BaseSessionStore

if TYPE_CHECKING:
    from ordino.config import AbstractConfigLoader
    from ordino.framework.context import Context
    from ordino.pipeline import Pipeline

__all__ = ["BaseSessionStore", "Session", "SessionError", "generate_session_id"]

ENV_VAR = "ORDINO_ENV"
_logger = logging.getLogger(__name__)


def _resolve_project(project_path: Path | str | None) -> Path:
    """Find the project root and bootstrap it if it is not the configured one."""
    from ordino.framework import project
    from ordino.framework.startup import bootstrap_project, find_project_root

    if project_path is None:
        root = find_project_root(Path.cwd())
        if root is None and project.PACKAGE_NAME is None:
            raise ProjectNotFoundError(
                f"No ordino project at or above {Path.cwd()}: no pyproject.toml with "
                "a [tool.ordino] table.",
                path=str(Path.cwd()),
                hint="Run from inside a project, pass project_path=, or create a "
                "project with 'ordino new'.",
            )
        root = root or project.PROJECT_PATH or Path.cwd()
    else:
        root = Path(project_path).expanduser().resolve()
    configured = project.PROJECT_PATH
    if project.PACKAGE_NAME is None or (configured is not None and configured != root):
        bootstrap_project(root)
    return root


class Session:
    """One run of a project. Create it with ``Session.create()``; use it with ``with``.

    Example:
        >>> from ordino.framework.session import Session
        >>> with Session.create(env="local") as session:  # doctest: +SKIP
        ...     session.run(pipeline_names=["data_processing"])
    """

    def __init__(
        self,
        session_id: str,
        package_name: str | None = None,
        project_path: Path | str | None = None,
        save_on_close: bool = False,
        conf_source: str | None = None,
    ) -> None:
        from ordino.framework import project

        self._project_path = Path(project_path or Path.cwd()).expanduser().resolve()
        self.session_id = session_id
        self.save_on_close = save_on_close
        self._package_name = package_name or project.PACKAGE_NAME
        self._store = self._init_store()
        self._run_called = False
        self._hook_manager = self._init_hook_manager()
        self._conf_source = str(
            conf_source or self._project_path / project.settings.CONF_SOURCE
        )

    @classmethod
    def create(
        cls,
        project_path: Path | str | None = None,
        save_on_close: bool = True,
        env: str | None = None,
        runtime_params: dict[str, Any] | None = None,
        conf_source: str | None = None,
    ) -> Session:
        """Create a session for the project at ``project_path`` (default: found
        from the current directory), bootstrapping the project if needed.

        Args:
            project_path: The project's root directory.
            save_on_close: Save the session store when the session closes.
            env: The configuration environment; defaults to ``$ORDINO_ENV``, then
                the config loader's default (``local``).
            runtime_params: Parameters that override the parameters files.
            conf_source: A configuration directory (or archive) to use instead of
                the project's ``conf``.

        Raises:
            ProjectNotFoundError: No project was found or its metadata is malformed.
            SettingsError: The project's ``settings.py`` has an invalid setting.
        """
        from ordino.framework.project import validate_settings

        root = _resolve_project(project_path)
        validate_settings()
        session = cls(
            session_id=generate_session_id(),
            project_path=root,
            save_on_close=save_on_close,
            conf_source=conf_source,
        )
        data: dict[str, Any] = {
            "project_path": session._project_path,
            "session_id": session.session_id,
        }
        cli = cli_facts()
        if cli:
            data["cli"] = cli
        env = env or os.environ.get(ENV_VAR) or None
        if env:
            data["env"] = env
        if runtime_params:
            data["runtime_params"] = runtime_params
        try:
            data["username"] = getpass.getuser()
        except Exception as exc:  # no user name in some containers
            _logger.debug("Unable to get the user name: %s", exc)
        data.update(git_facts(session._project_path))
        session._store.update(data)
        return session

    # -- parts ------------------------------------------------------------------------

    def _init_store(self) -> BaseSessionStore:
        from ordino.errors import SettingsError
        from ordino.framework.project import settings

        store_class = settings.SESSION_STORE_CLASS
        store_args = dict(settings.SESSION_STORE_ARGS)
        store_args.setdefault("path", (self._project_path / "sessions").as_posix())
        store_args["session_id"] = self.session_id
        try:
            store: BaseSessionStore = store_class(**store_args)
        except TypeError as exc:
            raise SettingsError(
                f"SESSION_STORE_ARGS do not fit {store_class.__qualname__}: {exc}.",
                setting="SESSION_STORE_ARGS",
                hint="Pass only arguments its constructor accepts.",
            ) from exc
        return store

    def _init_hook_manager(self) -> Any:
        from ordino.framework.entry_points import group_may_be_declared
        from ordino.framework.hooks import (
            PLUGIN_HOOKS_GROUP,
            _create_hook_manager,
            _register_hooks,
            _register_hooks_entry_points,
        )
        from ordino.framework.project import settings

        manager = _create_hook_manager()
        _register_hooks(manager, settings.HOOKS)
        # Reading every package's metadata costs tens of milliseconds; skip it when
        # no installed package declares a hooks plugin.
        if group_may_be_declared(PLUGIN_HOOKS_GROUP):
            _register_hooks_entry_points(manager, settings.DISABLE_HOOKS_FOR_PLUGINS)
        return manager

    @property
    def hook_manager(self) -> Any:
        """The session's pluggy manager: register a plugin here before ``run``."""
        return self._hook_manager

    @property
    def store(self) -> dict[str, Any]:
        """A copy of what the session recorded."""
        return dict(self._store)

    @property
    def project_path(self) -> Path:
        """The project's root directory."""
        return self._project_path

    @property
    def conf_source(self) -> str:
        """The configuration directory (or archive) the session reads."""
        return self._conf_source

    def _loader_args(self) -> dict[str, Any]:
        from ordino.framework.project import settings

        return dict(settings.CONFIG_LOADER_ARGS)

    def _check_env(self, env: str | None) -> None:
        """Fail early, with the environments that do exist, for a misspelt env.

        This is the one place that checks ``--env`` / ``ORDINO_ENV`` (the CLI relies
        on it): an environment asked for by name must exist.
        """
        source = Path(self._conf_source)
        if source.is_file() or "://" in self._conf_source:
            return  # an archive or a remote source: the loader checks it
        if not source.is_dir():
            raise MissingConfigException(
                f"Configuration directory {source} does not exist.",
                path=str(source),
                hint="Create it, or point --conf-source (or CONF_SOURCE in "
                "settings.py) at the project's configuration.",
            )
        if env is None or (source / env).is_dir():
            return
        from ordino.suggest import closest_matches

        base = self._loader_args().get("base_env", "base")
        envs = sorted(
            p.name
            for p in source.iterdir()
            if p.is_dir() and p.name != base and not p.name.startswith(".")
        )
        raise MissingConfigException(
            f"Unknown environment {env!r}: there is no directory {source / env}.",
            path=str(source / env),
            key=env,
            environments=tuple(envs),
            suggestions=closest_matches(env, envs),
            hint="Environments of this project: "
            + (", ".join(envs) if envs else "none besides " + base)
            + f". Create {source / env} to add one.",
        )

    def _default_env_args(self, args: dict[str, Any]) -> dict[str, Any]:
        """Loader arguments that tolerate a missing default run environment.

        An empty ``conf/local`` is easily lost (git does not keep empty folders), and
        it only ever adds to base: without it, base alone is used. Kedro fails here;
        ordino logs it and goes on. An environment asked for by name is checked
        by :meth:`_check_env` instead and must exist.
        """
        default = args.get("default_run_env")
        base = args.get("base_env") or ""
        if not default or default == base or self._env_exists(default, base):
            return args
        _logger.info(
            "No %s configuration environment (%s): using %s alone.",
            default,
            Path(self._conf_source) / default,
            base or "the configuration root",
        )
        return {**args, "default_run_env": base}

    def _env_exists(self, env: str, base: str) -> bool:
        source = Path(self._conf_source)
        if source.is_dir():
            return (source / env).is_dir()
        from ordino.config.sources import open_source
        from ordino.errors import OrdinoError

        try:  # an archive or a URL: list it (the loader reads it anyway)
            return open_source(self._conf_source, base_env=base).is_dir(env)
        except OrdinoError:
            return True  # unreadable: let the loader report it as usual

    def _get_config_loader(self) -> AbstractConfigLoader:
        from ordino.framework.project import settings

        env = self._store.get("env")
        self._check_env(env)
        args = self._loader_args()
        if env is None:
            args = self._default_env_args(args)
        loader: AbstractConfigLoader = settings.CONFIG_LOADER_CLASS(
            conf_source=self._conf_source,
            env=env,
            runtime_params=self._store.get("runtime_params"),
            **args,
        )
        return loader

    def load_context(self) -> Context:
        """Create the project's ``Context`` (calls ``after_context_created``)."""
        from ordino.framework.hook_calls import call_hook
        from ordino.framework.project import settings

        context: Context = settings.CONTEXT_CLASS(
            package_name=self._package_name,
            project_path=self._project_path,
            config_loader=self._get_config_loader(),
            env=self._store.get("env"),
            runtime_params=self._store.get("runtime_params"),
            hook_manager=self._hook_manager,
        )
        call_hook(self._hook_manager, "after_context_created", context=context)
        return context

    # -- lifecycle --------------------------------------------------------------------

    def close(self) -> None:
        """Close the session, saving its store if ``save_on_close``."""
        if self.save_on_close:
            self._store.save()

    def __enter__(self) -> Session:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None:
            self._store["exception"] = {
                "type": f"{exc_type.__module__}.{exc_type.__qualname__}",
                "value": str(exc_value),
                "traceback": traceback.format_tb(tb),
            }
        self.close()

    # -- running ----------------------------------------------------------------------

    def _select(self, names: list[str]) -> Pipeline:
        from ordino.framework.project import pipelines

        selected = [pipelines[name] for name in names]  # PipelineNotFoundError
        combined = selected[0]
        for pipeline in selected[1:]:
            combined = combined + pipeline
        return combined

    def _describe_source(self, env: str | None) -> Any:
        from ordino.framework.validation import find_parameter_file

        args = self._loader_args()
        base = args.get("base_env", "base")
        run_env = env or args.get("default_run_env", "local")
        envs = [e for e in (base, run_env) if e]

        def describe(key: str) -> str:
            found = find_parameter_file(self._conf_source, envs, key)
            if found is not None:
                try:
                    return found.relative_to(self._project_path).as_posix()
                except ValueError:
                    return found.as_posix()
            conf = Path(self._conf_source)
            if conf.is_relative_to(self._project_path):
                conf = conf.relative_to(self._project_path)
            return " or ".join(f"{conf.as_posix()}/{e}/parameters.yml" for e in envs)

        return describe

    def run(
        self,
        pipeline_names: list[str] | None = None,
        tags: Iterable[str] | None = None,
        runner: Any = None,
        node_names: Iterable[str] | None = None,
        from_nodes: Iterable[str] | None = None,
        to_nodes: Iterable[str] | None = None,
        from_inputs: Iterable[str] | None = None,
        to_outputs: Iterable[str] | None = None,
        load_versions: dict[str, str] | None = None,
        namespaces: Iterable[str] | None = None,
        only_missing_outputs: bool = False,
        *,
        pipeline_name: str | None = None,
    ) -> dict[str, Any]:
        """Run the selected part of the project's pipelines, once per session.

        Every selection applies to the sum of ``pipeline_names`` (default
        ``["__default__"]``) and the results are intersected, as in Kedro. Parameters
        are checked (present, and of their annotated type) before any node runs.

        ``pipeline_name`` (one name) is Kedro's older spelling of
        ``pipeline_names``; a single string given as ``pipeline_names`` means that
        one pipeline.

        Returns:
            The runner's result: free output name -> dataset.

        Raises:
            SessionError: The session already completed a run, or ``runner`` is a
                class rather than an instance.
            PipelineNotFoundError: A pipeline name is not registered.
            ParameterValidationError: A parameter is missing or invalid.
        """
        from ordino import __version__
        from ordino.framework.hook_calls import call_hook
        from ordino.framework.validation import check_parameters

        if self._run_called:
            raise SessionError(
                "This session has already completed a run; a session runs once.",
                hint="Create a new session for another run: "
                "with Session.create() as session: session.run()",
            )
        if pipeline_name:
            _logger.warning(
                "session.run(pipeline_name=...) is deprecated; use pipeline_names=[...]"
            )
            pipeline_names = [pipeline_name]
        if isinstance(pipeline_names, str):
            pipeline_names = [pipeline_names]
        runner = self._runner(runner)
        context = self.load_context()
        names = list(pipeline_names or ["__default__"])
        filtered = self._select(names).filter(
            tags=tags,
            from_nodes=from_nodes,
            to_nodes=to_nodes,
            node_names=node_names,
            from_inputs=from_inputs,
            to_outputs=to_outputs,
            node_namespaces=list(namespaces) if namespaces is not None else None,
        )
        runtime_params = self._store.get("runtime_params") or {}
        run_params = {
            "run_id": self.session_id,
            "session_id": self.session_id,
            "project_path": self._project_path.as_posix(),
            "env": context.env,
            "ordino_version": __version__,
            "tags": tags,
            "from_nodes": from_nodes,
            "to_nodes": to_nodes,
            "node_names": node_names,
            "from_inputs": from_inputs,
            "to_outputs": to_outputs,
            "load_versions": load_versions,
            "runtime_params": runtime_params,
            "pipeline_names": pipeline_names,
            "pipeline_name": names[0] if len(names) == 1 else None,
            "namespaces": namespaces,
            "runner": type(runner).__name__,
            "only_missing_outputs": only_missing_outputs,
        }
        catalog = context._get_catalog(
            catalog_class=self._catalog_class(runner),
            save_version=self.session_id,
            load_versions=load_versions,
        )
        check_parameters(
            filtered,
            catalog,
            context.params,
            runtime_params=runtime_params,
            describe_source=self._describe_source(context.env),
        )
        # Logged once the selection is known to be valid: an error comes alone.
        _logger.info("ordino project %s", self._package_name or self._project_path.name)
        hooks = self._hook_manager
        call_hook(
            hooks,
            "before_pipeline_run",
            run_params=run_params,
            pipeline=filtered,
            catalog=catalog,
        )
        try:
            result: dict[str, Any] = runner.run(
                filtered,
                catalog,
                hooks,
                run_id=self.session_id,
                only_missing_outputs=only_missing_outputs,
            )
            self._run_called = True
        except Exception as error:
            call_hook(
                hooks,
                "on_pipeline_error",
                error=error,
                run_params=run_params,
                pipeline=filtered,
                catalog=catalog,
            )
            raise
        call_hook(
            hooks,
            "after_pipeline_run",
            run_params=run_params,
            run_result=result,
            pipeline=filtered,
            catalog=catalog,
        )
        return result

    @staticmethod
    def _runner(runner: Any) -> Any:
        if runner is None:
            from ordino.runner import SequentialRunner

            return SequentialRunner()
        if isinstance(runner, type):
            raise SessionError(
                f"runner= takes a runner instance, got the class {runner.__name__}.",
                hint=f"Call it: runner={runner.__name__}()",
            )
        if not callable(getattr(runner, "run", None)):
            raise SessionError(
                f"runner= must be a runner with a run() method, got "
                f"{type(runner).__name__}.",
            )
        return runner

    @staticmethod
    def _catalog_class(runner: Any) -> type[Any]:
        from ordino.framework.project import settings

        # Checked by name so a sequential run never imports the parallel runner.
        parallel = any(
            cls.__name__ == "ParallelRunner" and cls.__module__.startswith("ordino.")
            for cls in type(runner).__mro__
        )
        if parallel:
            from ordino.io import SharedMemoryDataCatalog

            shared: type[Any] = SharedMemoryDataCatalog
            return shared
        catalog_class: type[Any] = settings.DATA_CATALOG_CLASS
        return catalog_class
