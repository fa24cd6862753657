"""``find_pipelines``: discover ``<package>.pipelines.<name>.create_pipeline``.

Discovery lists directories; it imports nothing. The mapping it returns imports a
pipeline's module the first time that pipeline is asked for, so ``ordino run
--pipelines data_processing`` never imports the data-science pipeline (nor the
libraries its nodes import).
"""

from __future__ import annotations

import importlib
import logging
import warnings
from collections.abc import (
    Callable,
    ItemsView,
    Iterator,
    KeysView,
    MutableMapping,
    ValuesView,
)
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ordino.pipeline import Pipeline

from ordino.errors import ProjectError

__all__ = ["LazyPipelines", "PipelineImportError", "find_pipelines"]

_logger = logging.getLogger(__name__)


class LazyPipelines(MutableMapping[str, "Pipeline"]):
    """A ``dict[str, Pipeline]`` whose values are built on first access.

    Keys are known up front (listing them imports nothing); each value is created by
    its loader once and cached. A loader may return None: that entry is dropped (a
    module without ``create_pipeline`` warns and contributes nothing, as in Kedro).

    Example:
        >>> from ordino.pipeline import Pipeline
        >>> pipes = LazyPipelines({"empty": lambda: Pipeline([])})
        >>> list(pipes)
        ['empty']
        >>> len(pipes["empty"].nodes)
        0
    """

    def __init__(
        self, loaders: dict[str, Callable[[], Pipeline | None]] | None = None
    ) -> None:
        self._loaders: dict[str, Callable[[], Pipeline | None]] = dict(loaders or {})
        self._loaded: dict[str, Pipeline] = {}

    def _load(self, name: str) -> Pipeline | None:
        if name in self._loaded:
            return self._loaded[name]
        loader = self._loaders.pop(name, None)
        if loader is None:
            return None
        pipeline = loader()
        if pipeline is not None:
            self._loaded[name] = pipeline
        return pipeline

    def __getitem__(self, name: str) -> Pipeline:
        pipeline = self._load(name)
        if pipeline is None:
            raise KeyError(name)
        return pipeline

    def __setitem__(self, name: str, pipeline: Pipeline) -> None:
        self._loaders.pop(name, None)
        self._loaded[name] = pipeline

    def __delitem__(self, name: str) -> None:
        if name not in self:
            raise KeyError(name)
        self._loaders.pop(name, None)
        self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        # Loaded entries first, then pending ones; both keep insertion order.
        return iter(
            [*self._loaded, *(k for k in self._loaders if k not in self._loaded)]
        )

    def __len__(self) -> int:
        return len(self._loaded.keys() | self._loaders.keys())

    def __contains__(self, name: object) -> bool:
        return name in self._loaded or name in self._loaders

    def load_all(self) -> None:
        """Build every pending pipeline (dropping the ones that fail to load)."""
        for name in list(self._loaders):
            self._load(name)

    # Iterating, ``in`` and ``len`` stay lazy; the views that hand out every value
    # (and ``keys()``, which ``dict(mapping)`` uses) load first, so they never
    # list a pipeline whose module turns out to be broken.
    def keys(self) -> KeysView[str]:
        self.load_all()
        return KeysView(self)

    def values(self) -> ValuesView[Pipeline]:
        self.load_all()
        return ValuesView(self)

    def items(self) -> ItemsView[str, Pipeline]:
        self.load_all()
        return ItemsView(self)

    def set_loader(self, name: str, loader: Callable[[], Pipeline | None]) -> None:
        """Register ``name`` to be built by ``loader`` when first asked for."""
        self._loaded.pop(name, None)
        self._loaders[name] = loader

    def is_loaded(self, name: str) -> bool:
        """Whether the pipeline ``name`` has been built (its module imported)."""
        return name in self._loaded

    def __repr__(self) -> str:
        return f"LazyPipelines({sorted(self)!r})"


class PipelineImportError(ProjectError, ImportError):
    """A module of the project's pipelines failed to import.

    ``.module`` is the module asked for, ``.path`` the file where the error
    happened (with ``.line``); the original error is chained. It is also an
    ``ImportError``, as Kedro raises one here.
    """

    module: str | None = None
    line: int | None = None


def pipeline_import_error(
    module_name: str, exc: BaseException, *, what: str | None = None
) -> PipelineImportError:
    """The error for ``module_name`` failing to import with ``exc`` (not raised).

    Names the module, the file and line where it failed (the user's file, not
    importlib's), and the cause, in one line. ``what`` describes the module
    (default: "Pipeline module '<name>'").
    """
    where, line = _failure_location(exc)
    shown = _shown_path(where) if where else module_name
    at = f"{shown}, line {line}" if line else shown
    if isinstance(exc, SyntaxError) and exc.msg:
        detail = exc.msg  # str() repeats the file and line given below
    else:
        detail = str(exc).strip() or "(no message)"
    missing = exc.name if isinstance(exc, ModuleNotFoundError) else None
    hint = (
        f"Install the package that provides '{missing}' in this environment, "
        "or fix the import."
        if missing
        else f"Fix the error in {shown}"
        + (f" at line {line}" if line else "")
        + ", then run the command again."
    )
    subject = what or f"Pipeline module '{module_name}'"
    error = PipelineImportError(
        f"{subject} could not be imported: {type(exc).__name__}: {detail} ({at}).",
        hint=hint,
        module=module_name,
        line=line,
    )
    error.path = where  # after __init__: ImportError's own __init__ resets .path
    return error


def _failure_location(exc: BaseException) -> tuple[str | None, int | None]:
    """The file and line where an import failed: the innermost non-library frame."""
    if isinstance(exc, SyntaxError) and exc.filename:
        return exc.filename, exc.lineno
    where: tuple[str | None, int | None] = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if not filename.startswith("<frozen ") and "importlib" not in filename:
            where = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return where


def _shown_path(filename: str) -> str:
    """``filename`` relative to the project (or the current directory) if inside."""
    from ordino.framework import project

    path = Path(filename)
    for root in (project.PROJECT_PATH, Path.cwd()):
        if root is None:
            continue
        try:
            return path.resolve().relative_to(Path(root).resolve()).as_posix()
        except (ValueError, OSError):
            continue
    return filename


def _pipeline_from_module(module_name: str, raise_errors: bool) -> Pipeline | None:
    from ordino.pipeline import Pipeline

    try:
        module = importlib.import_module(module_name)
    except Exception as exc:
        error = pipeline_import_error(module_name, exc)
        if raise_errors:
            raise error from exc
        warnings.warn(
            f"An error occurred while importing the '{module_name}' module. Nothing "
            f"defined therein will be returned by 'find_pipelines'.\n\n"
            f"{error.message}",
            UserWarning,
            stacklevel=3,
        )
        return None
    create = getattr(module, "create_pipeline", None)
    if create is None:
        warnings.warn(
            f"The '{module_name}' module does not expose a 'create_pipeline' "
            "function, so no pipelines defined therein will be returned by "
            "'find_pipelines'.",
            UserWarning,
            stacklevel=3,
        )
        return None
    pipeline = create()
    if not isinstance(pipeline, Pipeline):
        warnings.warn(
            f"Expected the 'create_pipeline' function in the '{module_name}' module "
            f"to return a 'Pipeline' object, got '{type(pipeline).__name__}' instead. "
            "Nothing defined therein will be returned by 'find_pipelines'.",
            UserWarning,
            stacklevel=3,
        )
        return None
    return pipeline


def _package_dir(package_name: str) -> Path | None:
    import importlib.util

    try:
        spec = importlib.util.find_spec(package_name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _loader(module_name: str, raise_errors: bool) -> Callable[[], Pipeline | None]:
    return lambda: _pipeline_from_module(module_name, raise_errors)


def find_pipelines(
    raise_errors: bool = False, *, package_name: str | None = None
) -> LazyPipelines:
    """Find the project's pipelines without importing them yet.

    A pipeline named ``x`` is a package ``<package>.pipelines.x`` with a
    ``create_pipeline()`` function; a simplified project may instead have a module
    ``<package>.pipeline`` whose pipeline becomes ``"__default__"``. Names starting
    with ``_`` or ``.`` are skipped.

    Args:
        raise_errors: Raise when a pipeline module fails to import instead of warning
            and leaving that pipeline out.
        package_name: The package to search; defaults to the configured project's.

    Returns:
        A mapping of pipeline name to ``Pipeline``; each value is created (and its
        module imported) when first accessed.

    Example:
        >>> def register_pipelines():  # in pipeline_registry.py
        ...     pipelines = find_pipelines()
        ...     pipelines["__default__"] = sum(pipelines.values())
        ...     return pipelines
    """
    if package_name is None:
        from ordino.framework import project

        package_name = project.PACKAGE_NAME
    if not package_name:
        from ordino.errors import ProjectError

        raise ProjectError(
            "find_pipelines() needs a configured project.",
            hint="Call bootstrap_project(path) first, or pass package_name=.",
        )
    loaders: dict[str, Callable[[], Pipeline | None]] = {}
    root = _package_dir(package_name)
    if root is not None and (
        (root / "pipeline.py").is_file() or (root / "pipeline").is_dir()
    ):
        loaders["__default__"] = _loader(f"{package_name}.pipeline", raise_errors)
    pipelines_dir = root / "pipelines" if root is not None else None
    if pipelines_dir is not None and pipelines_dir.is_dir():
        for entry in sorted(pipelines_dir.iterdir(), key=lambda p: p.name):
            name = entry.stem if entry.suffix == ".py" else entry.name
            if name.startswith(("_", ".")) or not name.isidentifier():
                continue
            if entry.is_dir() or entry.suffix == ".py":
                module_name = f"{package_name}.pipelines.{name}"
                loaders[name] = _loader(module_name, raise_errors)
    elif root is not None:
        _logger.debug("No pipelines directory in package %s", package_name)
    return LazyPipelines(loaders)


def _sum_pipelines(pipelines: Any) -> Pipeline:
    """Add up pipelines (the default ``__default__``) without relying on ``sum``."""
    from ordino.pipeline import Pipeline

    total = Pipeline([])
    for pipeline in pipelines:
        total = total + pipeline
    return total
