"""Dataset factories: ``"{name}_csv"`` patterns, ranked once, matched fast.

A pattern compiles once to an anchored regular expression (each placeholder a lazy
group, like the ``parse`` library Kedro uses), with its literal prefix and suffix
checked first so most non-matching names never reach the regex engine. Patterns are
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
from collections.abc import Mapping
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
        return cls(
            text=text,
            config=config,
            regex=re.compile("".join(parts), re.DOTALL),
            prefix=text[: first.start()] if first else text,
            suffix=text[last.end() :] if last else "",
        )

    def match(self, name: str) -> dict[str, str] | None:
        """The placeholder values if ``name`` matches, else None."""
        if not (name.startswith(self.prefix) and name.endswith(self.suffix)):
            return None
        found = self.regex.fullmatch(name)
        return found.groupdict() if found else None

    def expand(self, values: Mapping[str, str]) -> dict[str, Any]:
        """The entry with placeholders filled in (containers are new objects)."""
        result: dict[str, Any] = _fill(self.config, values, self.text)
        return result


def _fill(value: Any, values: Mapping[str, str], pattern: str) -> Any:
    kind = type(value)
    if kind is str:
        if "{" not in value:
            return value
        try:
            return value.format_map(values)
        except (KeyError, ValueError, IndexError) as exc:
            raise DatasetError(
                f"Cannot fill '{value}' from pattern '{pattern}': {exc}",
                hint="Use only placeholders that appear in the pattern name.",
            ) from exc
    if kind is dict or isinstance(value, Mapping):
        return {key: _fill(item, values, pattern) for key, item in value.items()}
    if kind is list or kind is tuple:
        return [_fill(item, values, pattern) for item in value]
    return value


def _combined_regex(patterns: list[Pattern]) -> re.Pattern[str]:
    """One alternation of every pattern, in rank order: the first that matches the
    whole name wins, exactly as trying them one by one, in one regex call."""
    alternatives = []
    for index, pattern in enumerate(patterns):
        body = pattern.regex.pattern
        body = re.sub(r"\(\?P<(\w+)>", rf"(?P<p{index}_\1>", body)
        body = re.sub(r"\(\?P=(\w+)\)", rf"(?P=p{index}_\1)", body)
        alternatives.append(f"(?P<p{index}>{body})")
    return re.compile("|".join(alternatives), re.DOTALL)


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
        self._combined = _combined_regex(self._ranked) if self._ranked else None
        # outer group index -> (pattern, its placeholder group names)
        self._groups: dict[int, tuple[Pattern, list[tuple[str, str]]]] = {}
        if self._combined is not None:
            index_of = self._combined.groupindex
            for number, pattern in enumerate(self._ranked):
                names = [
                    (name[len(f"p{number}_") :], name)
                    for name in index_of
                    if name.startswith(f"p{number}_")
                ]
                self._groups[index_of[f"p{number}"]] = (pattern, names)
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
        if self._combined is not None:
            match = self._combined.fullmatch(name)
            if match is not None:
                pattern, names = self._groups[match.lastindex or 0]
                found = (pattern, {short: match.group(full) for short, full in names})
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
        pattern, values = found
        if pattern in self._catch_all:
            logger.debug(
                "Dataset '%s' is built from the catch-all pattern '%s'.",
                name,
                pattern.text,
            )
        return pattern.expand(values)

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
