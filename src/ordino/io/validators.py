"""Validators declared in the catalog: checked on every load and every save.

A catalog entry may carry ``validator:``, which is one of

* the import path of a pandera schema (``DataFrameSchema`` object or
  ``DataFrameModel`` class), e.g. ``my_project.schemas.companies``;
* an inline pandera schema, written as a mapping in pandera's YAML/dict format
  (``columns:``, ``checks:``...);
* the import path of a callable ``check(data)``: it passes by returning ``None`` or
  ``True``, and fails by returning ``False`` or raising.

The catalog runs the validator after a load and before a save; a failure is an
:class:`ordino.errors.ValidationError` naming the dataset, the operation and the
failed check, with the library's error chained. Nothing is written when a save fails
validation. pandera is imported only when a pandera validator is first used.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ordino.errors import CatalogConfigError, MissingDependencyError, ValidationError

__all__ = ["Validator", "build_validator"]


@dataclass(frozen=True)
class Validator:
    """A check built from a ``validator:`` value; call it with the data."""

    description: str
    check: Callable[[Any], Any]
    is_pandera: bool = False

    def __call__(self, dataset: str, data: Any, operation: str) -> Any:
        """Validate ``data``: return it unchanged, or raise ValidationError."""
        try:
            result = self.check(data)
        except Exception as exc:
            raise _failure(dataset, operation, self, exc) from exc
        if result is False:
            raise ValidationError(
                f"Dataset '{dataset}' failed validation on {operation}: "
                f"{self.description} returned False.",
                hint="Fix the data, or the validator if the data is right.",
                dataset=dataset,
                check=self.description,
            )
        return data


def _failure(
    dataset: str, operation: str, validator: Validator, exc: Exception
) -> ValidationError:
    check = validator.description
    detail = str(exc).strip().splitlines()
    if validator.is_pandera:
        failed = getattr(exc, "check", None)
        if failed is not None:
            check = f"{validator.description}: {failed}"
        schema_errors = getattr(exc, "schema_errors", None)
        if schema_errors:
            checks = [str(getattr(e, "check", "") or e) for e in schema_errors]
            check = f"{validator.description}: {'; '.join(checks[:5])}"
    summary = detail[0] if detail else type(exc).__name__
    return ValidationError(
        f"Dataset '{dataset}' failed validation on {operation}: {check}. {summary}",
        hint="Fix the data, or the validator if the data is right.",
        dataset=dataset,
        check=check,
    )


def build_validator(dataset: str, spec: Any, *, source: str | None = None) -> Validator:
    """Turn a ``validator:`` value into a :class:`Validator`.

    Raises:
        CatalogConfigError: the value names nothing usable.
        MissingDependencyError: a pandera schema without pandera installed.
    """
    where = f"{source}, " if source else ""
    if isinstance(spec, Mapping):
        return _inline_pandera(dataset, spec, where)
    if callable(spec):
        return _from_object(
            dataset, spec, getattr(spec, "__qualname__", repr(spec)), where
        )
    if not isinstance(spec, str) or "." not in spec:
        raise CatalogConfigError(
            f"{where}dataset '{dataset}': 'validator' must be an import path "
            f"('package.module.name') or an inline pandera schema, got {spec!r}.",
            dataset=dataset,
        )
    module_name, _, attr = spec.rpartition(".")
    try:
        target = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise CatalogConfigError(
            f"{where}dataset '{dataset}': cannot import validator '{spec}': {exc}",
            hint="Check the import path; the module must be importable.",
            dataset=dataset,
        ) from exc
    return _from_object(dataset, target, spec, where)


def _from_object(dataset: str, target: Any, name: str, where: str) -> Validator:
    if _is_pandera(target):
        validate = target.validate
        return Validator(name, lambda data: validate(data, lazy=True), is_pandera=True)
    if callable(target):
        return Validator(name, target)
    raise CatalogConfigError(
        f"{where}dataset '{dataset}': validator '{name}' is {type(target).__name__}, "
        "neither a pandera schema nor a callable.",
        dataset=dataset,
    )


def _is_pandera(target: Any) -> bool:
    module = getattr(target, "__module__", "") or ""
    if isinstance(target, type):
        return module.startswith("pandera") or any(
            base.__module__.startswith("pandera") for base in target.__mro__[1:]
        )
    return type(target).__module__.startswith("pandera")


def _inline_pandera(dataset: str, spec: Mapping[str, Any], where: str) -> Validator:
    try:
        try:
            from pandera.io.pandas_io import deserialize_schema
        except ModuleNotFoundError as exc:  # pandera < 0.20 kept it in pandera.io
            if exc.name != "pandera.io.pandas_io":
                raise
            from pandera.io import (  # type: ignore[attr-defined,no-redef]  # old API
                deserialize_schema,
            )
    except ImportError as exc:
        raise MissingDependencyError(
            f"{where}dataset '{dataset}': an inline 'validator' schema needs pandera.",
            hint='Install it with: pip install "ordino[validation]"',
            install='pip install "ordino[validation]"',
            dataset=dataset,
        ) from exc
    body = dict(spec)
    body.setdefault("schema_type", "dataframe")
    body.setdefault("version", _pandera_version())
    try:
        schema = deserialize_schema(body)  # type: ignore[no-untyped-call]  # pandera
    except Exception as exc:
        raise CatalogConfigError(
            f"{where}dataset '{dataset}': the inline 'validator' is not a valid "
            f"pandera schema: {exc}",
            hint="Write it in pandera's schema format (columns: {name: {dtype: ...}}).",
            dataset=dataset,
        ) from exc
    validate = schema.validate
    return Validator(
        "inline pandera schema", lambda data: validate(data, lazy=True), is_pandera=True
    )


def _pandera_version() -> str:
    import pandera

    return str(pandera.__version__)
