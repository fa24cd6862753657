"""Session stores: where a session records what it did (id, env, user, git commit).

``BaseSessionStore`` keeps the record in memory only, as Kedro's does, so a run
writes nothing to disk unless the project opts in with ``SESSION_STORE_CLASS =
JSONSessionStore`` in ``settings.py``.
"""

from __future__ import annotations

import logging
from collections import UserDict
from pathlib import Path
from typing import Any

__all__ = ["BaseSessionStore", "JSONSessionStore"]


class BaseSessionStore(UserDict[str, Any]):
    """A dict of session facts; ``save()`` persists them (here: nowhere).

    Args:
        path: Directory a persistent store writes under.
        session_id: The session's id (a timestamp), used to name what is saved.

    Example:
        >>> store = BaseSessionStore("sessions", "2024-01-01T00.00.00.000Z")
        >>> store["env"] = "local"
        >>> store.save()  # in memory only
        >>> dict(store)
        {'env': 'local'}
    """

    def __init__(self, path: str, session_id: str) -> None:
        self._path = path
        self._session_id = session_id
        super().__init__(self.read())

    @property
    def _logger(self) -> logging.Logger:
        return logging.getLogger(__name__)

    def read(self) -> dict[str, Any]:
        """What a previous save recorded for this session id ({} here)."""
        return {}

    def save(self) -> None:
        """Persist the store's content (the base class keeps it in memory)."""
        self._logger.debug(
            "%s does not persist session %s", type(self).__name__, self._session_id
        )


class JSONSessionStore(BaseSessionStore):
    """A store that writes ``<path>/<session_id>.json`` atomically on ``save()``.

    Values that JSON cannot hold (paths, sets) are written as their ``str``.
    """

    @property
    def location(self) -> Path:
        """The file this session is saved to."""
        return Path(self._path) / f"{self._session_id}.json"

    def read(self) -> dict[str, Any]:
        import json

        try:
            data = json.loads(self.location.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def save(self) -> None:
        import json
        import os
        import tempfile

        target = self.location
        target.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(dict(self.data), default=str, indent=2, sort_keys=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
