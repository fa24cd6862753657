"""Configuration: Kedro's ``OmegaConfigLoader`` with no size cap and clear errors.

``OmegaConfigLoader(conf_source, env, runtime_params, ...)`` merges ``conf/base``
with the run environment per configuration kind (``loader["catalog"]``,
``loader["parameters"]``, ``loader["credentials"]``, ``loader["globals"]``).
``flatten_parameters`` turns the parameters into the ``parameters`` /
``params:a.b`` names that nodes use.
"""

from __future__ import annotations

from ordino.config.abstract import AbstractConfigLoader
from ordino.config.loader import OmegaConfigLoader
from ordino.config.parameters import flatten_parameters
from ordino.errors import (
    BadConfigException,
    MissingConfigException,
    UnknownConfigKeyError,
)

__all__ = [
    "AbstractConfigLoader",
    "BadConfigException",
    "MissingConfigException",
    "OmegaConfigLoader",
    "UnknownConfigKeyError",
    "flatten_parameters",
]
