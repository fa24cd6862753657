"""Suggestions ("did you mean") for names the user typed: nodes, datasets, keys.

Kept in its own module so every layer can use it; difflib is imported only when an
error is actually being built, never on the happy path.
"""

from __future__ import annotations

from collections.abc import Iterable


def closest_matches(
    name: str, candidates: Iterable[str], *, limit: int = 3, cutoff: float = 0.6
) -> tuple[str, ...]:
    """Return up to ``limit`` candidates that look like ``name``, best first.

    A case-insensitive exact match always comes first: ``Companies`` for
    ``companies`` is the most likely slip of all.
    """
    import difflib

    pool = list(dict.fromkeys(candidates))
    lowered = name.lower()
    exact = [c for c in pool if c.lower() == lowered and c != name]
    fuzzy = difflib.get_close_matches(name, pool, n=limit + len(exact), cutoff=cutoff)
    ordered = dict.fromkeys([*exact, *(c for c in fuzzy if c != name)])
    return tuple(ordered)[:limit]


def did_you_mean(suggestions: Iterable[str]) -> str:
    """Render suggestions as one sentence, or "" when there are none."""
    quoted = [f"'{s}'" for s in suggestions]
    if not quoted:
        return ""
    if len(quoted) == 1:
        return f"Did you mean {quoted[0]}?"
    return f"Did you mean one of {', '.join(quoted)}?"
