"""Logging for projects: the default configuration and a console handler.

The default console handler renders with rich on a terminal and as plain lines
otherwise (a pipe, a CI log, ``NO_COLOR``). rich is imported the first time a record
is actually written to a terminal, never when logging is configured: configuring
logging is on every command's start-up path.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import IO, Any

__all__ = [
    "ConsoleHandler",
    "apply_default_config",
    "default_logging_config",
    "is_default_config",
    "wants_rich",
]

PLAIN_FORMAT = "[%(asctime)s] %(levelname)-7s %(message)s"
PLAIN_DATE_FORMAT = "%Y-%m-%d %H:%M:%S"


def wants_rich(stream: IO[str] | None) -> bool:
    """Whether output to ``stream`` should be rich: a terminal that allows colour."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


class ConsoleHandler(logging.Handler):
    """Log to the console: rich on a terminal, plain lines elsewhere.

    Args:
        level: The handler's level.
        stream: Where to write; standard error by default (standard output stays
            free for command output such as ``ordino catalog describe-datasets``).
        rich: Force rich output on (True) or off (False); decided from the stream
            when None.
        **rich_kwargs: Passed to ``rich.logging.RichHandler`` when rich is used.

    Example:
        >>> import io, logging
        >>> out = io.StringIO()
        >>> log = logging.getLogger("doc.console")
        >>> log.addHandler(ConsoleHandler(stream=out)); log.propagate = False
        >>> log.warning("hello")
        >>> "WARNING hello" in out.getvalue()
        True
    """

    def __init__(
        self,
        level: int | str = logging.NOTSET,
        stream: IO[str] | None = None,
        rich: bool | None = None,
        **rich_kwargs: Any,
    ) -> None:
        super().__init__(level)
        self._stream = stream
        self._rich = rich
        self._rich_kwargs = rich_kwargs
        self._delegate: logging.Handler | None = None

    @property
    def stream(self) -> IO[str]:
        """The stream records go to (looked up late so test captures work)."""
        return self._stream if self._stream is not None else sys.stderr

    def _build_delegate(self) -> logging.Handler:
        stream = self.stream
        use_rich = self._rich if self._rich is not None else wants_rich(stream)
        if use_rich:
            from rich.console import Console
            from rich.logging import RichHandler

            options = {"rich_tracebacks": True, "markup": False, **self._rich_kwargs}
            return RichHandler(console=Console(file=stream), **options)
        handler = logging.StreamHandler(stream)
        handler.setFormatter(logging.Formatter(PLAIN_FORMAT, PLAIN_DATE_FORMAT))
        return handler

    def emit(self, record: logging.LogRecord) -> None:
        if self._delegate is None:
            self._delegate = self._build_delegate()
            if self.formatter is not None and self._rich is False:
                self._delegate.setFormatter(self.formatter)
        self._delegate.emit(record)

    def flush(self) -> None:
        if self._delegate is not None:
            self._delegate.flush()


def default_logging_config(package_name: str | None = None) -> dict[str, Any]:
    """The configuration used when neither the project nor the environment has one.

    ordino's own loggers and the project package's log at INFO; everything else
    keeps the root level (WARNING), as in Kedro.
    """
    loggers: dict[str, Any] = {"ordino": {"level": "INFO"}}
    if package_name:
        loggers[package_name] = {"level": "INFO"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {"console": {"class": "ordino.framework.logs.ConsoleHandler"}},
        "loggers": loggers,
        "root": {"handlers": ["console"]},
    }


def is_default_config(config: dict[str, Any]) -> bool:
    """Whether ``config`` is a ``default_logging_config`` (for some package)."""
    loggers = config.get("loggers", {})
    package = next((name for name in loggers if name != "ordino"), None)
    return config == default_logging_config(package)


def apply_default_config(config: dict[str, Any]) -> None:
    """Do what ``dictConfig(config)`` does for the default configuration.

    ``logging.config`` imports sockets, threads and queues (8 ms): too much for
    every command's start-up, for a configuration of one handler and two levels.
    """
    root = logging.getLogger()
    for handler in root.handlers[:]:
        root.removeHandler(handler)
        handler.close()
    root.addHandler(ConsoleHandler())
    for name, options in config["loggers"].items():
        logger = logging.getLogger(name)
        for handler in logger.handlers[:]:
            logger.removeHandler(handler)
            handler.close()
        logger.setLevel(options["level"])
        logger.propagate = True
        logger.disabled = False
