"""Dataset factories: ``"{name}_csv"`` patterns, ranked once, matched fast.

A pattern compiles once to an anchored regular expression (each placeholder a lazy
group, like the ``parse`` library Kedro uses), with its literal prefix, suffix and
middle text checked first (``startswith``/``in``), so most non-matching names never
reach the regex engine, and its entry compiles once to a filler that formats only
the strings that have placeholders. Patterns are
ranked once by Kedro's rule: more characters outside braces first, then fewer
placeholders, then by name. A pattern of only placeholders is a catch-all; one is
allowed per catalog.

:class:`CatalogConfigResolver` holds a catalog's explicit entries (credentials
resolved), its ranked patterns, its catch-all and the runtime patterns, and caches
which pattern each name resolves to.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ordino.errors import DatasetError

__all__ = [
    "CatalogConfigResolver",
    "Pattern",
    "catch_all_problem",
    "is_pattern",
    "pattern_problems",
    "rank_patterns",
]

logger = logging.getLogger(__name__)

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_MISSING: Any = object()
CREDENTIALS_KEY = "credentials"


def is_pattern(name: str) -> bool:
    """Whether a catalog key is a factory pattern (it has a ``{``)."""
    return "{" in name


def specificity(pattern: str) -> int:
    """Characters outside the braces: ``"{ns}.companies"`` -> 10."""
    return len(_PLACEHOLDER.sub("", pattern))


def _rank_key(pattern: str) -> tuple[int, int, str]:
    return (-specificity(pattern), -pattern.count("{"), pattern)


def rank_patterns(patterns: list[str]) -> list[str]:
    """Patterns in matching order (Kedro's ranking)."""
    return sorted(patterns, key=_rank_key)


def catch_all_problem(patterns: list[str]) -> str | None:
    """The problem with having more than one catch-all pattern, if there is one."""
    catch_all = sorted(p for p in patterns if specificity(p) == 0)
    if len(catch_all) <= 1:
        return None
    listed = ", ".join(f"'{p}'" for p in catch_all)
    return (
        f"the catalog has {len(catch_all)} catch-all patterns ({listed}); only one "
        "is allowed because they all match every name. Keep one and remove the rest."
    )


def _placeholders_in(value: Any, found: set[str]) -> None:
    if isinstance(value, Mapping):
        for item in value.values():
            _placeholders_in(item, found)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _placeholders_in(item, found)
    elif isinstance(value, str) and "{" in value:
        found.update(m.split(":")[0].split("!")[0] for m in _PLACEHOLDER.findall(value))


def pattern_problems(pattern: str, config: Mapping[str, Any]) -> list[str]:
    """Problems of one pattern entry: malformed braces, unknown placeholders."""
    problems = []
    names = _PLACEHOLDER.findall(pattern)
    stripped = _PLACEHOLDER.sub("", pattern)
    if "{" in stripped or "}" in stripped or any(not n.strip() for n in names):
        problems.append(
            f"pattern '{pattern}' is malformed: every '{{' needs a matching '}}' "
            "around a placeholder name, e.g. '{name}_csv'."
        )
        return problems
    used: set[str] = set()
    _placeholders_in(config, used)
    unknown = sorted(used - {n.split(":")[0] for n in names})
    if unknown:
        listed = ", ".join(f"'{{{u}}}'" for u in unknown)
        problems.append(
            f"pattern '{pattern}' uses {listed} in its entry, but the pattern does "
            "not define it. Use only placeholders that appear in the pattern name."
        )
    return problems


@dataclass(frozen=True, eq=False)  # identity: patterns are compared as objects
class Pattern:
    """One compiled factory pattern and the entry it expands to."""

    text: str
    config: Mapping[str, Any]
    regex: re.Pattern[str] = field(repr=False)
    prefix: str = field(repr=False)
    suffix: str = field(repr=False)
    #: The literal text between placeholders: a name lacking one cannot match, and
    #: ``in`` rules that out far faster than the regex engine.
    literals: tuple[str, ...] = field(repr=False, default=())
    filler: Callable[[Mapping[str, str]], Any] | None = field(repr=False, default=None)

    @classmethod
    def compile(cls, text: str, config: Mapping[str, Any]) -> Pattern:
        parts: list[str] = []
        seen: set[str] = set()
        position = 0
        for match in _PLACEHOLDER.finditer(text):
            parts.append(re.escape(text[position : match.start()]))
            name = match.group(1).split(":")[0]
            if name in seen:
                parts.append(f"(?P={name})")  # the same placeholder twice: same value
            else:
                parts.append(f"(?P<{name}>.+?)")
                seen.add(name)
            position = match.end()
        parts.append(re.escape(text[position:]))
        first = _PLACEHOLDER.search(text)
        last = list(_PLACEHOLDER.finditer(text))[-1] if first else None
        prefix = text[: first.start()] if first else text
        suffix = text[last.end() :] if last else ""
        middle = text[len(prefix) : len(text) - len(suffix)] if first else ""
        return cls(
            text=text,
            config=config,
            regex=re.compile("".join(parts), re.DOTALL),
            prefix=prefix,
            suffix=suffix,
            literals=tuple(p for p in _PLACEHOLDER.split(middle)[::2] if p),
            filler=_compile_fill(config, text),
        )

    def __getstate__(self) -> dict[str, Any]:
        # The filler is made of closures, which do not pickle (catalogs travel to
        # worker processes): it is compiled again on the other side.
        state = dict(self.__dict__)
        state["filler"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for key, value in state.items():
            object.__setattr__(self, key, value)
        object.__setattr__(self, "filler", _compile_fill(self.config, self.text))

    def could_match(self, name: str) -> bool:
        """False when ``name`` lacks the pattern's literal text (a quick test)."""
        if not (name.startswith(self.prefix) and name.endswith(self.suffix)):
            return False
        return all(literal in name for literal in self.literals)

    def match(self, name: str) -> dict[str, str] | None:
        """The placeholder values if ``name`` matches, else None."""
        if not self.could_match(name):
            return None
        found = self.regex.fullmatch(name)
        return found.groupdict() if found else None

    def expand(self, values: Mapping[str, str]) -> dict[str, Any]:
        """The entry with placeholders filled in (containers are new objects)."""
        filler = self.filler
        if filler is None:  # built by hand rather than by Pattern.compile
            filler = _compile_fill(self.config, self.text)
            object.__setattr__(self, "filler", filler)
        result: dict[str, Any] = filler(values)
        return result


def _fill_error(value: str, pattern: str, exc: Exception) -> DatasetError:
    return DatasetError(
        f"Cannot fill '{value}' from pattern '{pattern}': {exc}",
        hint="Use only placeholders that appear in the pattern name.",
    )


def _compile_fill(value: Any, pattern: str) -> Callable[[Mapping[str, str]], Any]:
    """A function that returns ``value`` with placeholders filled in.

    Compiled once per pattern: resolving thousands of names through it then only
    formats the strings that have placeholders and copies the containers, instead
    of walking and type-testing the whole entry each time. Containers are always
    new objects, so a dataset that changes its arguments cannot change the pattern.
    """
    kind = type(value)
    if kind is str:
        if "{" not in value:
            return lambda values: value
        text: str = value

        def fill_text(values: Mapping[str, str]) -> str:
            try:
                return text.format_map(values)
            except (KeyError, ValueError, IndexError) as exc:
                raise _fill_error(text, pattern, exc) from exc

        return fill_text
    if kind is dict or isinstance(value, Mapping):
        parts: list[tuple[Any, Callable[[Mapping[str, str]], Any] | None, Any]] = []
        for key, item in value.items():
            item_kind = type(item)
            if (item_kind is str and "{" not in item) or item_kind in _ATOMS:
                parts.append((key, None, item))  # copied as it is
            else:
                parts.append((key, _compile_fill(item, pattern), None))
        if all(fill is None for _, fill, _ in parts):
            constants = {key: item for key, _, item in parts}
            return lambda values: dict(constants)

        def fill_mapping(values: Mapping[str, str]) -> dict[Any, Any]:
            filled = {}
            for key, fill, constant in parts:
                filled[key] = constant if fill is None else fill(values)
            return filled

        return fill_mapping
    if kind is list or kind is tuple:
        items = [_compile_fill(item, pattern) for item in value]
        return lambda values: [fill(values) for fill in items]
    return lambda values: value


# Values copied as they are (immutable, nothing to fill).
_ATOMS = frozenset({int, float, bool, type(None), bytes})


_PlanStep = tuple[
    "Pattern", str, str, tuple[str, ...], Callable[[str], "re.Match[str] | None"]
]


def _match_plan(ranked: list[Pattern]) -> list[_PlanStep]:
    """What matching tries per pattern, in rank order, as plain tuples (local
    variables in the loop instead of attribute look-ups)."""
    return [(p, p.prefix, p.suffix, p.literals, p.regex.fullmatch) for p in ranked]


class CatalogConfigResolver:
    """A catalog's entries and patterns, resolved and ranked once.

    Args:
        config: The catalog entries (names and patterns to entries).
        credentials: Credentials that entries reference by name.
        default_runtime_patterns: Patterns used when a name matches nothing else
            (the catalog's ``{default}`` MemoryDataset).
        sources: Entry name -> the file it came from, for error messages.
        source: The file all entries came from, when there is one.

    Raises:
        CatalogConfigError: every problem of the configuration at once.

    Example:
        >>> resolver = CatalogConfigResolver(
        ...     {"{name}_csv": {"type": "MemoryDataset", "metadata": {"f": "{name}"}}}
        ... )
        >>> resolver.resolve_pattern("cars_csv")
        {'type': 'MemoryDataset', 'metadata': {'f': 'cars'}}
    """

    def __init__(
        self,
        config: Mapping[str, Any] | None = None,
        credentials: Mapping[str, Any] | None = None,
        default_runtime_patterns: Mapping[str, Mapping[str, Any]] | None = None,
        *,
        sources: Mapping[str, str] | None = None,
        source: str | None = None,
    ) -> None:
        from ordino.io.catalog_config import check_entries

        resolved = check_entries(
            config or {}, credentials=credentials, sources=sources, source=source
        )
        self.sources: dict[str, str] = dict(sources or {})
        self.source = source
        self._resolved: dict[str, dict[str, Any]] = {}
        user_patterns: list[str] = []
        pattern_configs: dict[str, dict[str, Any]] = {}
        for name, entry in resolved.items():
            if "{" in name:
                user_patterns.append(name)
                pattern_configs[name] = entry
            else:
                self._resolved[name] = entry
        ranked = rank_patterns(user_patterns)
        catch_all = [p for p in ranked if specificity(p) == 0]
        self._patterns = [
            Pattern.compile(p, pattern_configs[p]) for p in ranked if p not in catch_all
        ]
        self._catch_all = [Pattern.compile(p, pattern_configs[p]) for p in catch_all]
        self._ranked = [*self._patterns, *self._catch_all]
        self._plan = _match_plan(self._ranked)
        runtime = default_runtime_patterns or {
            "{default}": {"type": "ordino.io.MemoryDataset"}
        }
        self._runtime = [Pattern.compile(p, dict(c)) for p, c in runtime.items()]
        self._matches: dict[str, tuple[Pattern, dict[str, str]] | None] = {}

    # -- Kedro's API ----------------------------------------------------------------

    @property
    def config(self) -> dict[str, dict[str, Any]]:
        """The explicit entries, credentials resolved (mutable, as in Kedro)."""
        return self._resolved

    @staticmethod
    def is_pattern(pattern: str) -> bool:
        """Whether a catalog key is a factory pattern."""
        return is_pattern(pattern)

    def list_patterns(self) -> list[str]:
        """Every pattern in matching order: user patterns, catch-all, runtime."""
        texts = [p.text for p in (*self._patterns, *self._catch_all)]
        texts.extend(p.text for p in self._runtime if p.text not in texts)
        return texts

    def _match_user(self, name: str) -> tuple[Pattern, dict[str, str]] | None:
        cached = self._matches.get(name, _MISSING)
        if cached is not _MISSING:
            result: tuple[Pattern, dict[str, str]] | None = cached
            return result
        found = None
        for pattern, prefix, suffix, literals, fullmatch in self._plan:
            # Pattern.could_match, unrolled: this runs for every pattern and name.
            if prefix and not name.startswith(prefix):
                continue
            if suffix and not name.endswith(suffix):
                continue
            for literal in literals:
                if literal not in name:
                    break
            else:
                match = fullmatch(name)
                if match is not None:
                    found = (pattern, match.groupdict())
                    break  # out of the pattern loop (this is the for-else)
        if len(self._matches) < 1_000_000:  # bounded: names come from pipelines
            self._matches[name] = found
        return found

    def match_dataset_pattern(self, name: str) -> str | None:
        """The best-ranked user pattern (not the catch-all) matching ``name``."""
        found = self._match_user(name)
        if found is None or found[0] in self._catch_all:
            return None
        return found[0].text

    def match_user_catch_all_pattern(self, name: str) -> str | None:
        """The user's catch-all pattern if it is what ``name`` resolves to."""
        found = self._match_user(name)
        if found is None or found[0] not in self._catch_all:
            return None
        return found[0].text

    def match_runtime_pattern(self, name: str) -> str:
        """The runtime pattern for ``name`` (the last resort, always matches)."""
        for pattern in self._runtime:
            if pattern.match(name) is not None:
                return pattern.text
        raise DatasetError(f"No runtime pattern matches '{name}'.")

    def matches(self, name: str) -> bool:
        """Whether an explicit entry or a user pattern (catch-all included) applies."""
        return name in self._resolved or self._match_user(name) is not None

    def user_config(self, name: str) -> dict[str, Any] | None:
        """The entry for ``name`` from the explicit entries or a user pattern
        (catch-all included); None if neither applies (no runtime pattern)."""
        config = self._resolved.get(name)
        if config is not None:
            return config
        found = self._match_user(name)
        if found is None:
            return None
        return self._expand(name, *found)

    def _expand(
        self, name: str, pattern: Pattern, values: dict[str, str]
    ) -> dict[str, Any]:
        if self._catch_all and pattern in self._catch_all:
            logger.debug(
                "Dataset '%s' is built from the catch-all pattern '%s'.",
                name,
                pattern.text,
            )
        return pattern.expand(values)

    def resolve_pattern(self, name: str, *, runtime: bool = True) -> dict[str, Any]:
        """The entry for ``name``: explicit, else from the best pattern.

        With ``runtime`` (the default, as in Kedro) a name no user pattern matches
        gets the runtime pattern's entry; without it, ``{}``.
        """
        if name in self._resolved:
            return self._resolved[name]
        found = self._match_user(name)
        if found is None:
            if not runtime:
                return {}
            for pattern in self._runtime:
                values = pattern.match(name)
                if values is not None:
                    return pattern.expand(values)
            return {}
        return self._expand(name, *found)

    def source_of(self, name: str) -> str | None:
        """The catalog file an entry (or the pattern it matches) came from."""
        if name in self.sources:
            return self.sources[name]
        found = self._match_user(name) if name not in self._resolved else None
        if found is not None and found[0].text in self.sources:
            return self.sources[found[0].text]
        return self.source

    def add_runtime_patterns(self, patterns: Mapping[str, Mapping[str, Any]]) -> None:
        """Add runtime patterns (ranked among themselves)."""
        merged = {p.text: p.config for p in self._runtime}
        merged.update({k: dict(v) for k, v in patterns.items()})
        self._runtime = [
            Pattern.compile(p, merged[p]) for p in rank_patterns(list(merged))
        ]

    @staticmethod
    def unresolve_credentials(
        name: str, config: Mapping[str, Any]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Replace the first ``credentials`` value by ``<name>_credentials``.

        Returns the entry (new containers) and ``{"<name>_credentials": value}``.
        """
        reference = f"{name}_{CREDENTIALS_KEY}"
        extracted: dict[str, Any] = {}

        def walk(value: Any) -> Any:
            if isinstance(value, Mapping):
                out = {}
                for key, item in value.items():
                    if key == CREDENTIALS_KEY and item and not extracted:
                        extracted[reference] = item
                        out[key] = reference
                    else:
                        out[key] = walk(item)
                return out
            if isinstance(value, list):
                return [walk(item) for item in value]
            return value

        return walk(config), extracted

    _unresolve_credentials = unresolve_credentials  # Kedro's private spelling
