"""From a catalog ``type:`` string to a dataset class, with errors that say the fix.

A type is tried as ``ordino.io.<type>``, ``ordino.datasets.<type>``, then as a full
import path; Kedro spellings (``kedro_datasets.pandas.CSVDataset``,
``kedro.io.MemoryDataset``, also with the implementation module in the path) map to
the ordino class. Results are cached: a catalog of 10,000 entries of a handful of
types resolves each type once.

The dataset families shipped in ``ordino.datasets`` are listed statically below with
the extra that installs their libraries. That lets an unknown type get a "did you
mean" without importing pandas, and a known type whose library is missing get the
exact ``pip install`` line instead of a bare ``ModuleNotFoundError``.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from typing import TYPE_CHECKING, Any, NamedTuple

from ordino.errors import DatasetTypeError, MissingDependencyError
from ordino.suggest import closest_matches

if TYPE_CHECKING:
    from ordino.io.dataset import AbstractDataset

__all__ = [
    "BUILTIN_IO_TYPES",
    "KNOWN_DATASET_TYPES",
    "Requirement",
    "check_requirement",
    "known_type_names",
    "resolve_dataset_type",
]


class Requirement(NamedTuple):
    """What a dataset family needs: the pip extra and the modules it imports."""

    extra: str | None
    modules: tuple[str, ...]


_PANDAS = Requirement("pandas", ("pandas",))
_PARQUET = Requirement("pandas", ("pandas", "pyarrow"))
_EXCEL = Requirement("pandas", ("pandas", "openpyxl"))
_SQL = Requirement("sql", ("pandas", "sqlalchemy"))
_POLARS = Requirement("polars", ("polars",))
_MATPLOTLIB = Requirement("viz", ("matplotlib",))
_PLOTLY = Requirement("viz", ("plotly",))
_NONE = Requirement(None, ())

#: Every type under ``ordino.datasets`` -> what it needs. Keep in step with that
#: package (a test checks that each entry resolves).
KNOWN_DATASET_TYPES: dict[str, Requirement] = {
    "pandas.CSVDataset": _PANDAS,
    "pandas.ParquetDataset": _PARQUET,
    "pandas.ExcelDataset": _EXCEL,
    "pandas.JSONDataset": _PANDAS,
    "pandas.FeatherDataset": _PARQUET,
    "pandas.GenericDataset": _PANDAS,
    "pandas.SQLTableDataset": _SQL,
    "pandas.SQLQueryDataset": _SQL,
    "polars.CSVDataset": _POLARS,
    "polars.EagerPolarsDataset": _POLARS,
    "polars.LazyPolarsDataset": _POLARS,
    "pickle.PickleDataset": _NONE,
    "json.JSONDataset": _NONE,
    "yaml.YAMLDataset": _NONE,
    "text.TextDataset": _NONE,
    "matplotlib.MatplotlibDataset": _MATPLOTLIB,
    "matplotlib.MatplotlibWriter": _MATPLOTLIB,  # the name before kedro-datasets 7
    "plotly.PlotlyDataset": _PLOTLY,
    "plotly.JSONDataset": _PLOTLY,
    "partitions.PartitionedDataset": _NONE,
    "partitions.IncrementalDataset": _NONE,
}

#: Types defined in ``ordino.io`` itself.
BUILTIN_IO_TYPES: tuple[str, ...] = (
    "MemoryDataset",
    "CachedDataset",
    "SharedMemoryDataset",
)

# Optional libraries that are not a family's own but that users meet through it.
_MODULE_EXTRAS: dict[str, str] = {
    "pandas": "pandas",
    "pyarrow": "pandas",
    "openpyxl": "pandas",
    "sqlalchemy": "sql",
    "polars": "polars",
    "matplotlib": "viz",
    "plotly": "viz",
    "joblib": "pickle",
    "cloudpickle": "pickle",
    "pandera": "validation",
    "pydantic": "validation",
    "dask": "dask",
}

_FAMILIES = frozenset(name.split(".")[0] for name in KNOWN_DATASET_TYPES)
_KEDRO_PREFIXES = ("kedro_datasets_experimental.", "kedro_datasets.", "kedro.io.")

# type string -> (class, requirement); filled on first resolution of each type
_RESOLVED: dict[str, tuple[type[AbstractDataset[Any, Any]], Requirement]] = {}
_FOUND_MODULES: set[str] = set()


def known_type_names() -> list[str]:
    """Every short type name ordino ships, for "did you mean" and documentation."""
    return [*BUILTIN_IO_TYPES, *KNOWN_DATASET_TYPES]


def install_command(extra: str) -> str:
    """The pip command that installs an extra: ``pip install "ordino[pandas]"``."""
    return f'pip install "ordino[{extra}]"'


def check_requirement(type_name: str, requirement: Requirement) -> None:
    """Raise MissingDependencyError if a module ``requirement`` lists is missing."""
    for module in requirement.modules:
        if module in _FOUND_MODULES and sys.modules.get(module, True) is not None:
            continue
        if not _module_available(module):
            raise _missing(type_name, module, requirement.extra)
        _FOUND_MODULES.add(module)


def _module_available(module: str) -> bool:
    if module in sys.modules:
        return sys.modules[module] is not None
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def _missing(type_name: str, module: str, extra: str | None) -> MissingDependencyError:
    extra = extra or _MODULE_EXTRAS.get(module.split(".")[0])
    install = install_command(extra) if extra else f"pip install {module.split('.')[0]}"
    return MissingDependencyError(
        f"Dataset type '{type_name}' needs the '{module}' package, which is not "
        "installed.",
        hint=f"Install it with: {install}",
        install=install,
        module=module,
    )


def normalise_type_name(type_name: str) -> str:
    """Map Kedro spellings to ordino's: ``kedro_datasets.pandas.CSVDataset`` ->
    ``pandas.CSVDataset``; module paths (``...csv_dataset.CSVDataset``) too."""
    for prefix in _KEDRO_PREFIXES:
        if type_name.startswith(prefix):
            rest = type_name[len(prefix) :]
            parts = rest.split(".")
            if prefix == "kedro.io.":
                return parts[-1]
            return f"{parts[0]}.{parts[-1]}" if len(parts) > 1 else rest
    return type_name


def resolve_dataset_type(type_name: str) -> type[AbstractDataset[Any, Any]]:
    """Return the dataset class a catalog ``type:`` names.

    Raises:
        DatasetTypeError: no such class (with suggestions), or not a dataset class.
        MissingDependencyError: the class's library is not installed (with the fix).
    """
    cached = _RESOLVED.get(type_name)
    if cached is not None:
        check_requirement(type_name, cached[1])
        return cached[0]
    if not isinstance(type_name, str) or not type_name.strip():
        raise DatasetTypeError(
            f"Dataset type must be a non-empty string, got {type_name!r}.",
            hint="Write the type as e.g. 'pandas.CSVDataset' or a full import path.",
        )
    name = normalise_type_name(type_name.strip())
    requirement = KNOWN_DATASET_TYPES.get(name, _NONE)
    check_requirement(type_name, requirement)
    cls = _import_type(type_name, name)
    _check_is_dataset(type_name, cls)
    _RESOLVED[type_name] = (cls, requirement)
    return cls


def _import_type(type_name: str, name: str) -> type[AbstractDataset[Any, Any]]:
    family = name.split(".")[0]
    if family in _FAMILIES and name.count(".") == 1 and name not in KNOWN_DATASET_TYPES:
        # A typo inside one of ordino's families: answer from the registry rather
        # than importing the family (and its library) just to say no.
        raise _unknown(type_name, name)
    candidates = [f"ordino.io.{name}", f"ordino.datasets.{name}", name]
    for candidate in candidates:
        module_name, _, attr = candidate.rpartition(".")
        if not module_name:
            continue
        module = _import_module(type_name, module_name)
        if module is not None and hasattr(module, attr):
            found: type[AbstractDataset[Any, Any]] = getattr(module, attr)
            return found
    raise _unknown(type_name, name)


def _unknown(type_name: str, name: str) -> DatasetTypeError:
    return DatasetTypeError(
        f"Unknown dataset type '{type_name}'.",
        suggestions=closest_matches(name, known_type_names()),
        hint="Use a type ordino ships (see docs/catalog.md) or the full import path "
        "of your own dataset class, e.g. 'my_project.datasets.MyDataset'.",
        type_name=type_name,
    )


def _import_module(type_name: str, module_name: str) -> object | None:
    """Import ``module_name``; None if it (or a parent) does not exist."""
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        missing = exc.name or ""
        if missing == module_name or module_name.startswith(missing + "."):
            return None  # the candidate itself does not exist: try the next one
        raise _missing(type_name, missing, None) from exc
    except ImportError as exc:
        if exc.name and sys.modules.get(exc.name, True) is None:
            raise _missing(type_name, exc.name, None) from exc
        raise DatasetTypeError(
            f"Dataset type '{type_name}': importing '{module_name}' failed: {exc}",
            hint="Fix the import error in that module.",
            type_name=type_name,
        ) from exc


def _check_is_dataset(type_name: str, cls: object) -> None:
    from ordino.io.dataset import AbstractDataset

    if not (isinstance(cls, type) and issubclass(cls, AbstractDataset)):
        raise DatasetTypeError(
            f"Dataset type '{type_name}' is {cls!r}, not a dataset class.",
            hint="A dataset class must subclass ordino.io.AbstractDataset.",
            type_name=type_name,
        )
