"""Transcoded dataset names: one dataset seen through several formats.

``companies@pandas`` and ``companies@spark`` are two views of the same stored data
``companies``: the catalog gives each its own loader, while the pipeline treats them
as one dataset when it orders nodes and checks that no node reads what it writes.
Every place that compares dataset names goes through these helpers, so the rules for
a well-formed name (at most one separator, text on both sides of it) live here only.

Example:
    >>> split_transcoding("companies@pandas")
    ('companies', 'pandas')
    >>> strip_transcoding("companies")
    'companies'
"""

from __future__ import annotations

from ordino.errors import TranscodingError

__all__ = [
    "TRANSCODING_SEPARATOR",
    "is_transcoded",
    "split_transcoding",
    "strip_transcoding",
]

TRANSCODING_SEPARATOR = "@"


def split_transcoding(name: str) -> tuple[str, str]:
    """Split ``name`` into the dataset it refers to and its format.

    Args:
        name: A dataset name, transcoded (``x@fmt``) or plain (``x``).

    Returns:
        ``(base, fmt)``; ``fmt`` is ``""`` for a plain name.

    Raises:
        TranscodingError: ``name`` has more than one separator, or nothing before or
            after it (``a@b@c``, ``@x``, ``x@``).
    """
    if TRANSCODING_SEPARATOR not in name:
        return name, ""
    base, _, fmt = name.partition(TRANSCODING_SEPARATOR)
    if base and fmt and TRANSCODING_SEPARATOR not in fmt:
        return base, fmt
    raise _malformed(name)


def strip_transcoding(name: str) -> str:
    """Return the dataset that ``name`` refers to: ``x@pandas`` -> ``x``.

    Raises:
        TranscodingError: ``name`` is malformed (see :func:`split_transcoding`).
    """
    if TRANSCODING_SEPARATOR not in name:
        return name
    return split_transcoding(name)[0]


def is_transcoded(name: str) -> bool:
    """Tell whether ``name`` names a format of a dataset (``x@fmt``).

    Raises:
        TranscodingError: ``name`` is malformed (see :func:`split_transcoding`).
    """
    return bool(split_transcoding(name)[1])


def _malformed(name: str) -> TranscodingError:
    count = name.count(TRANSCODING_SEPARATOR)
    if count > 1:
        problem = f"it has {count} '{TRANSCODING_SEPARATOR}' separators, at most 1 is"
        problem += " allowed"
    else:
        side = "before" if name.startswith(TRANSCODING_SEPARATOR) else "after"
        problem = f"nothing comes {side} the '{TRANSCODING_SEPARATOR}' separator"
    return TranscodingError(
        f"Dataset name '{name}' is not a valid transcoded name: {problem}.",
        dataset=name,
        hint=(
            "Write a transcoded name as '<dataset>@<format>', for example "
            "'companies@pandas', or drop the '@' for a plain name."
        ),
    )
