"""Catalog entries (the YAML mappings) into datasets, with every problem reported.

Two steps, on purpose: :func:`check_entries` inspects all entries of a catalog
cheaply (shape, type, constructor arguments, credentials, placeholders) and raises
one :class:`CatalogConfigError` listing every problem, each naming the catalog file
when known, the dataset, what is wrong and the fix. :func:`build_dataset` then builds
one dataset from one entry, when the catalog first needs it.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from ordino.errors import (
    CatalogConfigError,
    DatasetError,
    DatasetTypeError,
    MissingDependencyError,
    OrdinoError,
)
from ordino.io.dataset import Version
from ordino.io.types import resolve_dataset_type
from ordino.suggest import closest_matches

if TYPE_CHECKING:
    from ordino.io.dataset import AbstractDataset

__all__ = [
    "CATALOG_KEYS",
    "accepted_arguments",
    "build_dataset",
    "check_entries",
    "resolve_credentials",
]

#: Keys of an entry that the catalog consumes; they never reach the constructor.
CATALOG_KEYS = frozenset({"type", "versioned", "validator"})

# class -> (names it accepts, whether it takes **kwargs)
_ARGUMENTS: dict[type, tuple[frozenset[str], bool]] = {}


def accepted_arguments(cls: type) -> tuple[frozenset[str], bool]:
    """The keyword arguments ``cls(...)`` accepts, and whether it takes ``**kwargs``."""
    known = _ARGUMENTS.get(cls)
    if known is None:
        try:
            params = list(inspect.signature(cls).parameters.values())
        except (TypeError, ValueError):
            known = (frozenset(), True)
        else:
            names = frozenset(
                p.name
                for p in params
                if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
            )
            known = (names, any(p.kind is p.VAR_KEYWORD for p in params))
        _ARGUMENTS[cls] = known
    return known


def build_dataset(
    name: str,
    config: Mapping[str, Any],
    *,
    load_version: str | None = None,
    save_version: str | None = None,
    default_type: type[AbstractDataset[Any, Any]] | None = None,
) -> AbstractDataset[Any, Any]:
    """Build the dataset one (credential-resolved) catalog entry describes.

    Raises:
        DatasetTypeError: unknown type, or an argument the class does not accept.
        MissingDependencyError: the type's library is missing.
        DatasetError: the constructor failed; its error is chained.
    """
    if type(config) is not dict and not isinstance(config, Mapping):
        raise CatalogConfigError(
            f"Dataset '{name}': the entry must be a mapping with a 'type', "
            f"got {type(config).__name__}.",
            dataset=name,
        )
    type_name = config.get("type")
    if type_name is None and default_type is None:
        raise CatalogConfigError(
            f"Dataset '{name}' has no 'type'.",
            hint="Add e.g. 'type: pandas.CSVDataset'.",
            dataset=name,
        )
    cls = resolve_dataset_type(type_name) if type_name is not None else default_type
    assert cls is not None
    # A copy minus the catalog's keys: cheaper than a filtering comprehension.
    kwargs = dict(config)
    kwargs.pop("type", None)
    if "versioned" in kwargs and kwargs.pop("versioned"):
        kwargs["version"] = Version(load_version, save_version)
    kwargs.pop("validator", None)
    try:
        return cls(**kwargs)
    except TypeError as exc:
        problem = argument_problem(name, cls, kwargs)
        if problem is not None:
            raise DatasetTypeError(problem, dataset=name) from exc
        raise _construction_error(
            name, type_name or cls.__qualname__, exc, config
        ) from exc
    except OrdinoError as exc:
        if isinstance(exc, DatasetError) and exc.dataset is None:
            exc.dataset = name
        if f"'{name}'" not in exc.message:
            exc.message = f"Dataset '{name}': {exc.message}"
            exc.args = (exc.message,)
        raise
    except Exception as exc:
        raise _construction_error(
            name, type_name or cls.__qualname__, exc, config
        ) from exc


def _construction_error(
    name: str, type_name: str, exc: Exception, config: Mapping[str, Any]
) -> DatasetError:
    from ordino.io.failures import mask, secret_strings

    detail = mask(f"{type(exc).__name__}: {exc}", secret_strings([config]))
    return DatasetError(
        f"Dataset '{name}': building {type_name} failed: {detail}",
        hint="Check the arguments of this catalog entry.",
        dataset=name,
    )


def argument_problem(name: str, cls: type, kwargs: Mapping[str, Any]) -> str | None:
    """Describe the first argument ``cls`` cannot take, or a missing required one."""
    accepted, any_keyword = accepted_arguments(cls)
    if not any_keyword:
        for key in kwargs:
            if key in accepted:
                continue
            if key == "version":
                return (
                    f"dataset '{name}': {cls.__qualname__} does not support "
                    "versioning. Remove 'versioned: true' from the entry."
                )
            tips = closest_matches(key, accepted)
            tip = f" Did you mean '{tips[0]}'?" if tips else ""
            allowed = ", ".join(sorted(accepted)) or "none"
            return (
                f"dataset '{name}': {cls.__qualname__} does not accept the argument "
                f"'{key}'.{tip} It accepts: {allowed}."
            )
    try:
        inspect.signature(cls).bind(**kwargs)
    except TypeError as exc:
        return f"dataset '{name}': {cls.__qualname__}: {exc}."
    except ValueError:
        return None
    return None


# Values that can hold nothing: checked by exact type, which is much cheaper than
# ``isinstance(value, Mapping)`` (an ABC check) on every leaf of every entry.
_LEAVES = frozenset({str, int, float, bool, type(None), bytes})


def _has_reference(value: Any) -> bool:
    """Whether a ``credentials: <name>`` reference is anywhere in ``value``."""
    kind = type(value)
    if kind is list:
        return any(_has_reference(item) for item in value)
    if kind is not dict and (kind in _LEAVES or not isinstance(value, Mapping)):
        return False
    if type(value.get("credentials")) is str:
        return True
    for item in value.values():
        item_kind = type(item)
        if item_kind is dict:  # load_args and the like, inlined: saves a call each
            if type(item.get("credentials")) is str:
                return True
            for inner in item.values():
                if type(inner) not in _LEAVES and _has_reference(inner):
                    return True
        elif item_kind not in _LEAVES and _has_reference(item):
            return True
    return False


def resolve_credentials(
    name: str,
    config: Mapping[str, Any],
    credentials: Mapping[str, Any],
    missing: list[str] | None = None,
) -> dict[str, Any]:
    """Replace every ``credentials: <name>`` (at any depth) by that credentials entry.

    Entries without references are returned as they are (not copied: datasets must
    not mutate their arguments). A reference to an unknown name is recorded in
    ``missing`` (if given) or raised.
    """
    if not _has_reference(config):
        return config if type(config) is dict else dict(config)

    def walk(value: Any) -> Any:
        if isinstance(value, Mapping):
            out = {}
            for key, item in value.items():
                if key == "credentials" and isinstance(item, str):
                    if item not in credentials:
                        problem = _missing_credentials(name, item, credentials)
                        if missing is None:
                            raise CatalogConfigError(problem, dataset=name)
                        missing.append(problem)
                        out[key] = item
                        continue
                    out[key] = credentials[item]
                else:
                    out[key] = walk(item)
            return out
        if isinstance(value, list):
            return [walk(item) for item in value]
        return value

    result: dict[str, Any] = walk(config)
    return result


def _missing_credentials(name: str, ref: str, credentials: Mapping[str, Any]) -> str:
    tips = closest_matches(ref, credentials)
    tip = f" Did you mean '{tips[0]}'?" if tips else ""
    return (
        f"dataset '{name}' uses credentials '{ref}', which are not defined.{tip} "
        "Add them to conf/local/credentials.yml (or fix the name)."
    )


def check_entries(
    entries: Mapping[str, Any],
    *,
    credentials: Mapping[str, Any] | None = None,
    sources: Mapping[str, str] | None = None,
    source: str | None = None,
) -> dict[str, dict[str, Any]]:
    """Inspect every entry and resolve its credentials, in one pass.

    Checks: each entry is a mapping with a ``type``; the type exists and its library
    is installed; every argument is accepted by the class; ``credentials`` names
    exist; a pattern's entry only uses placeholders the pattern defines; at most
    one catch-all pattern. ``sources`` maps an entry to its file, ``source`` is the
    file of all entries; either makes each problem start with the file.

    Returns:
        The entries with credentials resolved.

    Raises:
        CatalogConfigError: listing every problem (``.problems``), if any.
    """
    from ordino.io.factories import catch_all_problem, pattern_problems

    problems: list[str] = []
    creds = credentials or {}
    resolved: dict[str, dict[str, Any]] = {}
    known: dict[Any, _TypeFacts | None] = {}  # type string -> facts (None: bad)
    patterns: list[str] = []

    for name, entry in entries.items():
        if name.startswith("_"):
            continue  # a YAML anchor to reuse (the config loader drops them too)
        if type(entry) is not dict and not isinstance(entry, Mapping):
            found = [
                f"dataset '{name}': the entry must be a mapping with a 'type' key, "
                f"got {type(entry).__name__} {entry!r}. Write it as "
                "'<name>: {type: <DatasetType>, ...}' (or start the key with '_' "
                "if it is a YAML anchor to reuse)."
            ]
        else:
            missing: list[str] = []
            if type(entry) is not dict or _has_reference(entry):
                entry = resolve_credentials(name, entry, creds, missing)
            resolved[name] = entry
            found = missing
            if "{" in name:
                patterns.append(name)
                found.extend(pattern_problems(name, entry))
            type_name = entry.get("type")
            facts = known.get(type_name, _UNKNOWN) if type(type_name) is str else None
            if (
                facts is _UNKNOWN
                or facts is None
                or not (facts.any_keyword or facts.allowed.issuperset(entry))
                or "versioned" in entry
            ):
                # The common case (a known type, accepted keys) was decided above.
                found.extend(_entry_problems(name, entry, known))
            if "validator" in entry:
                found.extend(_validator_problems(name, entry["validator"]))
        if found:
            file = (sources or {}).get(name, source)
            prefix = f"{file}, " if file else ""
            problems.extend(prefix + text for text in found)
    extra = catch_all_problem(patterns) if len(patterns) > 1 else None
    if extra:
        problems.append((f"{source}, " if source else "") + extra)
    if problems:
        count = len(problems)
        plural = "problem" if count == 1 else "problems"
        raise CatalogConfigError(
            f"The catalog has {count} {plural}:\n  - " + "\n  - ".join(problems),
            problems=tuple(problems),
            source=source,
            hint="Fix every entry listed; nothing was loaded.",
        )
    return resolved


class _TypeFacts(NamedTuple):
    """What checking an entry needs to know about its type, found once per type."""

    cls: type
    accepted: frozenset[str]
    any_keyword: bool
    allowed: frozenset[str]  # accepted plus the catalog's own keys


_UNKNOWN: Any = object()


def _entry_problems(
    name: str, entry: Mapping[str, Any], known: dict[Any, _TypeFacts | None]
) -> list[str]:
    type_name = entry.get("type")
    if type_name is None:
        return [f"dataset '{name}' has no 'type'. Add e.g. 'type: pandas.CSVDataset'."]
    if not isinstance(type_name, str):
        return [
            f"dataset '{name}': 'type' must be a string such as "
            f"'pandas.CSVDataset', got {type(type_name).__name__} {type_name!r}."
        ]
    if type_name in known:
        facts = known[type_name]
        if facts is None:
            return [_type_problem(name, type_name)]
    elif isinstance(type_name, str) and "{" in type_name:
        return []  # a pattern's type is only known per match
    else:
        try:
            cls = _resolve(type_name)
        except OrdinoError:
            known[type_name] = None
            return [_type_problem(name, type_name)]
        accepted, any_keyword = accepted_arguments(cls)
        facts = _TypeFacts(cls, accepted, any_keyword, accepted | CATALOG_KEYS)
        known[type_name] = facts
    if facts.any_keyword:
        return []
    if not facts.allowed.issuperset(entry):
        bad = next(key for key in entry if key not in facts.allowed)
        kwargs = {k: v for k, v in entry.items() if k not in CATALOG_KEYS}
        problem = argument_problem(name, facts.cls, kwargs)
        return [problem or f"dataset '{name}': bad '{bad}'"]
    if entry.get("versioned") and "version" not in facts.accepted:
        return [argument_problem(name, facts.cls, {"version": None}) or ""]
    return []


def _validator_problems(name: str, spec: Any) -> list[str]:
    """The shape of ``validator:`` (importing it waits until first use)."""
    if isinstance(spec, Mapping) or callable(spec):
        return []
    if isinstance(spec, str) and "." in spec.strip(".") and " " not in spec:
        return []
    return [
        f"dataset '{name}': 'validator' must be the import path of a pandera schema "
        f"or of a function ('package.module.name'), or an inline pandera schema; "
        f"got {spec!r}."
    ]


def _resolve(type_name: Any) -> type:
    return resolve_dataset_type(type_name)


def _type_problem(name: str, type_name: Any) -> str:
    try:
        _resolve(type_name)
    except MissingDependencyError as exc:
        return f"dataset '{name}': {exc.message} {exc.hint}"
    except DatasetTypeError as exc:
        tip = f" Did you mean '{exc.suggestions[0]}'?" if exc.suggestions else ""
        return f"dataset '{name}': {exc.message}{tip} {exc.hint or ''}".rstrip()
    except OrdinoError as exc:
        return f"dataset '{name}': {exc}"
    return f"dataset '{name}': type '{type_name}' cannot be used."
