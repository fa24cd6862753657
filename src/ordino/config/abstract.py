"""The interface of every configuration loader (Kedro's ``AbstractConfigLoader``)."""

from __future__ import annotations

from collections import UserDict
from typing import Any

__all__ = ["AbstractConfigLoader"]


class AbstractConfigLoader(UserDict[str, Any]):
    """A mapping from configuration kind (``"catalog"``...) to its merged contents.

    Subclass it to write your own loader: take ``conf_source``, ``env`` and
    ``runtime_params`` and implement ``__getitem__``. Values assigned with
    ``loader[key] = value`` are kept as they are and returned instead of files.

    Example:
        >>> class StaticLoader(AbstractConfigLoader):
        ...     def __getitem__(self, key):
        ...         return {"catalog": {}, "parameters": {"rate": 0.1}}[key]
        >>> StaticLoader("conf")["parameters"]
        {'rate': 0.1}
    """

    def __init__(
        self,
        conf_source: str,
        env: str | None = None,
        runtime_params: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__()
        self.conf_source = conf_source
        self.env = env
        self.runtime_params: dict[str, Any] = runtime_params or {}
