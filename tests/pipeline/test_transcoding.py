from __future__ import annotations

import pytest

from ordino.errors import PipelineError, TranscodingError
from ordino.pipeline.transcoding import (
    TRANSCODING_SEPARATOR,
    is_transcoded,
    split_transcoding,
    strip_transcoding,
)


def test_separator_is_kedros_at_sign() -> None:
    assert TRANSCODING_SEPARATOR == "@"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("companies@pandas", ("companies", "pandas")),
        ("companies", ("companies", "")),
        ("params:model.alpha", ("params:model.alpha", "")),
        ("ns.cars@spark", ("ns.cars", "spark")),
    ],
)
def test_split_transcoding(name: str, expected: tuple[str, str]) -> None:
    assert split_transcoding(name) == expected


def test_strip_and_is_transcoded() -> None:
    assert strip_transcoding("cars@pandas") == "cars"
    assert strip_transcoding("cars") == "cars"
    assert is_transcoded("cars@pandas")
    assert not is_transcoded("cars")


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("a@b@c", "it has 2 '@' separators, at most 1 is allowed"),
        ("@x", "nothing comes before the '@' separator"),
        ("x@", "nothing comes after the '@' separator"),
        ("@", "nothing comes before the '@' separator"),
    ],
)
def test_malformed_names_are_errors(name: str, problem: str) -> None:
    for helper in (split_transcoding, strip_transcoding, is_transcoded):
        with pytest.raises(TranscodingError, match=problem) as info:
            helper(name)
        assert info.value.dataset == name
        assert f"Dataset name '{name}'" in str(info.value)
        assert "'<dataset>@<format>'" in str(info.value)


def test_transcoding_error_is_a_value_error_like_kedros() -> None:
    with pytest.raises(ValueError):
        split_transcoding("a@b@c")
    assert issubclass(TranscodingError, PipelineError)
