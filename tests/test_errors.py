"""The error tree: one root, Kedro's names, built-in bases that port, and pickling."""

from __future__ import annotations

import pickle

import pytest

from ordino import errors
from ordino.errors import (
    BadConfigException,
    CircularDependencyError,
    DatasetError,
    DatasetNotFoundError,
    MissingConfigException,
    OrdinoError,
    error_classes,
)


def test_every_exported_error_derives_from_the_root() -> None:
    for name in errors.__all__:
        cls = getattr(errors, name)
        assert issubclass(cls, OrdinoError), name


@pytest.mark.parametrize(
    ("cls", "builtin"),
    [
        (errors.PipelineError, ValueError),
        (errors.NodeSignatureError, TypeError),
        (errors.DatasetNotFoundError, KeyError),
        (errors.DatasetTypeError, TypeError),
        (errors.MissingDependencyError, ImportError),
        (errors.BadConfigException, ValueError),
        (errors.UnknownConfigKeyError, KeyError),
        (errors.MissingInputsError, ValueError),
        (errors.SettingsError, ValueError),
    ],
)
def test_kedro_builtin_bases_are_kept_so_except_clauses_port(
    cls: type[OrdinoError], builtin: type[BaseException]
) -> None:
    assert issubclass(cls, builtin)


def test_kedro_names_sit_under_their_families() -> None:
    assert issubclass(DatasetNotFoundError, DatasetError)
    assert issubclass(MissingConfigException, errors.ConfigError)
    assert issubclass(BadConfigException, errors.ConfigError)


def test_message_renders_suggestions_and_hint_on_their_own_lines() -> None:
    err = OrdinoError(
        "Unknown node 'clen'.",
        suggestions=["clean", "clear"],
        hint="Run `ordino registry describe` to list the nodes.",
    )
    assert str(err).splitlines() == [
        "Unknown node 'clen'.",
        "  Did you mean one of 'clean', 'clear'?",
        "  Run `ordino registry describe` to list the nodes.",
    ]


def test_key_error_subclasses_do_not_quote_their_message() -> None:
    # KeyError's own __str__ would print the repr of the message.
    err = DatasetNotFoundError("Dataset 'x' not found.", dataset="x")
    assert str(err) == "Dataset 'x' not found."
    assert err.dataset == "x"


@pytest.mark.parametrize("cls", error_classes())
def test_every_error_survives_pickling_with_its_facts(cls: type[OrdinoError]) -> None:
    err = cls("boom", hint="fix it", suggestions=["a"], node="n", dataset="d")
    clone = pickle.loads(pickle.dumps(err))
    assert type(clone) is cls
    assert str(clone) == str(err)
    assert (clone.node, clone.dataset, clone.suggestions) == ("n", "d", ("a",))  # type: ignore[attr-defined]


def test_cycle_is_a_fact_not_just_text() -> None:
    err = CircularDependencyError("cycle", cycle=("a", "b", "a"))
    assert err.cycle == ("a", "b", "a")
