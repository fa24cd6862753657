"""Every error ordino raises, under one root.

Kedro's exception names are kept so that ``except DatasetError:`` ports unchanged, and
where Kedro raises a built-in (``ValueError``, ``TypeError``, ``KeyError``) the ordino
exception also derives from that built-in, so ``except ValueError:`` keeps working.

Errors are data: each carries the facts of the failure as attributes (``.node``,
``.dataset``, ``.cycle``, ``.suggestions``, ``.path``, ``.key``), chains its cause
(``raise ... from exc``) and ends with how to fix the problem (``.hint``)::

    OrdinoError
    ├── PipelineError ·························· (ValueError)
    │   ├── NodeError ··························· a node that cannot be built
    │   │   ├── NodeSignatureError ·············· (TypeError) inputs do not bind
    │   │   └── NodeOutputError ················· a run returned the wrong outputs
    │   ├── CircularDependencyError ············· .cycle: the ordered path
    │   ├── OutputNotUniqueError ················ two nodes write one dataset
    │   ├── ConfirmNotUniqueError
    │   ├── DuplicateNodeNameError
    │   ├── TranscodingError ···················· 'x' and 'x@fmt' in one pipeline
    │   ├── UnknownNameError ···················· unknown node/dataset/namespace/tag
    │   ├── EmptyPipelineError ·················· a filter selected nothing
    │   └── ModularPipelineError ················ pipeline(): bad remapping
    ├── DatasetError
    │   ├── DatasetNotFoundError ················ (KeyError)
    │   ├── DatasetAlreadyExistsError
    │   ├── VersionNotFoundError
    │   ├── VersionAlreadyExistsError
    │   ├── DatasetTypeError ···················· (TypeError) unknown or broken type
    │   ├── MissingDependencyError ·············· (ImportError) .install: the fix
    │   ├── CatalogConfigError ·················· (ValueError) .problems: all of them
    │   └── ValidationError ····················· a validator rejected the data
    ├── ConfigError
    │   ├── MissingConfigException
    │   ├── BadConfigException ·················· (ValueError)
    │   └── UnknownConfigKeyError ··············· (KeyError)
    ├── RunnerError
    │   ├── MissingInputsError ·················· (ValueError) .missing
    │   ├── NodeRunError ························ .node, .resume_command
    │   ├── WorkerDiedError ····················· .node
    │   ├── RunInterruptedError ················· Ctrl-C, .resume_command
    │   └── UnpicklableNodeError
    └── ProjectError
        ├── ProjectNotFoundError
        ├── SettingsError ······················· (ValueError) .setting
        ├── PipelineNotFoundError ··············· (KeyError)
        ├── SessionError
        └── ParameterValidationError ············ (ValueError) .key, .path

Every constructor takes the message as its only positional argument and everything
else as keywords with defaults: that keeps exceptions picklable, which matters when a
worker process of ``ParallelRunner`` sends one back to the parent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ordino.suggest import did_you_mean

__all__ = [
    "BadConfigException",
    "CatalogConfigError",
    "CircularDependencyError",
    "ConfigError",
    "ConfirmNotUniqueError",
    "DatasetAlreadyExistsError",
    "DatasetError",
    "DatasetNotFoundError",
    "DatasetTypeError",
    "DuplicateNodeNameError",
    "EmptyPipelineError",
    "MissingConfigException",
    "MissingDependencyError",
    "MissingInputsError",
    "ModularPipelineError",
    "NodeError",
    "NodeOutputError",
    "NodeRunError",
    "NodeSignatureError",
    "OrdinoError",
    "OutputNotUniqueError",
    "ParameterValidationError",
    "PipelineError",
    "PipelineNotFoundError",
    "ProjectError",
    "ProjectNotFoundError",
    "RunInterruptedError",
    "RunnerError",
    "SessionError",
    "SettingsError",
    "TranscodingError",
    "UnknownConfigKeyError",
    "UnknownNameError",
    "UnpicklableNodeError",
    "ValidationError",
    "VersionAlreadyExistsError",
    "VersionNotFoundError",
    "WorkerDiedError",
]


class OrdinoError(Exception):
    """Root of every error ordino raises.

    Args:
        message: What is wrong and where, in one sentence.
        hint: How to fix it; rendered on its own indented line.
        suggestions: Names the user may have meant; rendered as "Did you mean ...?".
        **facts: Further facts stored as attributes (``node=``, ``dataset=``, ...).

    Example:
        >>> err = OrdinoError("Unknown node 'clen'.", suggestions=["clean"])
        >>> print(err)
        Unknown node 'clen'.
          Did you mean 'clean'?
    """

    def __init__(
        self,
        message: str = "",
        *,
        hint: str | None = None,
        suggestions: Iterable[str] = (),
        **facts: Any,
    ) -> None:
        self.message = message
        self.hint = hint
        self.suggestions: tuple[str, ...] = tuple(suggestions)
        for name, value in facts.items():
            setattr(self, name, value)
        super().__init__(message)

    def __str__(self) -> str:
        lines = [self.message]
        extra = did_you_mean(self.suggestions)
        if extra:
            lines.append(extra)
        if self.hint:
            lines.append(self.hint)
        return "\n  ".join(lines)

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuild from the message, then restore the facts: survives pickling into and
        # out of worker processes even for subclasses with extra attributes.
        return (_rebuild_error, (type(self), self.message), self.__dict__.copy())


def _rebuild_error(cls: type[OrdinoError], message: str) -> OrdinoError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    return error


# -- pipeline -------------------------------------------------------------------------


class PipelineError(OrdinoError, ValueError):
    """A node or pipeline is malformed or a selection does not make sense."""


class NodeError(PipelineError):
    """A node cannot be built from what was given. ``.node`` names it."""

    node: str | None = None


class NodeSignatureError(NodeError, TypeError):
    """The declared inputs cannot be bound to the function's parameters."""


class NodeOutputError(NodeError):
    """A node returned outputs that do not match its declaration."""


class CircularDependencyError(PipelineError):
    """The nodes form a cycle; ``.cycle`` is the ordered path, first node repeated."""

    cycle: tuple[str, ...] = ()


class OutputNotUniqueError(PipelineError):
    """Two nodes write the same dataset. ``.dataset`` and ``.nodes`` say which."""

    dataset: str | None = None
    nodes: tuple[str, ...] = ()


class ConfirmNotUniqueError(PipelineError):
    """Two nodes confirm the same dataset."""

    dataset: str | None = None


class DuplicateNodeNameError(PipelineError):
    """Two different nodes share a name."""

    node: str | None = None


class TranscodingError(PipelineError):
    """A dataset is referred to both plainly and transcoded (``x`` and ``x@pandas``)."""

    dataset: str | None = None


class UnknownNameError(PipelineError):
    """A selection names a node, dataset, tag or namespace the pipeline does not have.

    ``.kind`` is "node", "dataset", "tag" or "namespace"; ``.names`` the unknown ones.
    """

    kind: str = ""
    names: tuple[str, ...] = ()


class EmptyPipelineError(PipelineError):
    """A filter or slice selected no node at all.

    ``.filters`` holds the filters that were applied; ``.unknown_tags`` the requested
    tags that no node carries (``.suggestions`` the closest existing ones).
    """

    filters: dict[str, object] | None = None
    unknown_tags: tuple[str, ...] = ()


class ModularPipelineError(PipelineError):
    """``pipeline()`` was asked to remap or namespace something it cannot."""

    dataset: str | None = None


# -- io -------------------------------------------------------------------------------


class DatasetError(OrdinoError):
    """Loading, saving or building a dataset failed. ``.dataset`` names it."""

    dataset: str | None = None


class DatasetNotFoundError(DatasetError, KeyError):
    """The catalog has no dataset, and no pattern, for a name."""


class DatasetAlreadyExistsError(DatasetError):
    """A dataset of that name is already registered and replacing was not asked for."""


class VersionNotFoundError(DatasetError):
    """No saved version exists, or not the one asked for."""


class VersionAlreadyExistsError(DatasetError):
    """Saving would overwrite an existing version, which ordino never does."""


class DatasetTypeError(DatasetError, TypeError):
    """A catalog ``type:`` names no dataset class, or the class cannot be built."""


class MissingDependencyError(DatasetError, ImportError):
    """A dataset's library is not installed; ``.install`` is the pip command."""

    install: str | None = None


class CatalogConfigError(DatasetError, ValueError):
    """A catalog configuration has problems; ``.problems`` lists every one of them."""

    problems: tuple[str, ...] = ()


class ValidationError(DatasetError):
    """A dataset's validator rejected the data on load or save. ``.check`` says how."""

    check: str | None = None


# -- config ---------------------------------------------------------------------------


class ConfigError(OrdinoError):
    """Configuration could not be found, read or merged."""

    path: str | None = None
    key: str | None = None


class MissingConfigException(ConfigError):
    """No configuration file or environment where one was required."""


class BadConfigException(ConfigError, ValueError):
    """Configuration exists but is malformed: bad YAML, duplicate keys, bad values."""


class UnknownConfigKeyError(ConfigError, KeyError):
    """``loader[key]`` for a key that has no pattern and was never assigned."""


# -- runner ---------------------------------------------------------------------------


class RunnerError(OrdinoError):
    """A run could not start or did not finish."""


class MissingInputsError(RunnerError, ValueError):
    """Inputs the pipeline needs are not in the catalog. ``.missing`` lists them."""

    missing: tuple[str, ...] = ()


class NodeRunError(RunnerError):
    """A node raised; ``.node`` names it and ``.resume_command`` resumes the run."""

    node: str | None = None
    resume_command: str | None = None


class WorkerDiedError(RunnerError):
    """A worker process died (killed, out of memory) while running ``.node``."""

    node: str | None = None


class RunInterruptedError(RunnerError, KeyboardInterrupt):
    """The run was stopped by Ctrl-C; ``.resume_command`` continues it."""

    resume_command: str | None = None


class UnpicklableNodeError(RunnerError):
    """A node cannot be sent to a worker process. ``.node`` names it."""

    node: str | None = None


# -- project / framework --------------------------------------------------------------


class ProjectError(OrdinoError):
    """The project around a run is missing or misconfigured."""


class ProjectNotFoundError(ProjectError):
    """No ordino project (a pyproject.toml with ``[tool.ordino]``) was found."""

    path: str | None = None


class SettingsError(ProjectError, ValueError):
    """A value in ``settings.py`` has the wrong type or an unknown name."""

    setting: str | None = None


class PipelineNotFoundError(ProjectError, KeyError):
    """The project registers no pipeline of that name."""


class SessionError(ProjectError):
    """A session was used the wrong way, for example run twice."""


class ParameterValidationError(ProjectError, ValueError):
    """A parameter failed its type annotation. ``.key`` and ``.path`` locate it."""

    key: str | None = None
    path: str | None = None


def error_classes() -> Sequence[type[OrdinoError]]:
    """Every class of the tree, root first: the tests walk it to check pickling."""
    found: list[type[OrdinoError]] = []
    pending: list[type[OrdinoError]] = [OrdinoError]
    while pending:
        cls = pending.pop(0)
        if cls not in found:
            found.append(cls)
            pending.extend(cls.__subclasses__())
    return found
