"""A project's ``settings.py``, read lazily and validated.

``Settings`` is the object behind ``ordino.framework.project.settings``. It imports the
project's settings module on first use, checks every known setting's type, and turns a
near miss of a setting's name (``HOOK = ...``) into an error instead of silently
ignoring it. Defaults that are classes are imported only when asked for, so reading
``settings.CONF_SOURCE`` does not import the config loader or the catalog.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any

from ordino.errors import SettingsError

__all__ = ["SETTING_NAMES", "Settings"]

# setting -> default; a "module:Class" string default is imported on first access.
_DEFAULTS: dict[str, Any] = {
    "HOOKS": (),
    "DISABLE_HOOKS_FOR_PLUGINS": (),
    "CONF_SOURCE": "conf",
    "CONFIG_LOADER_CLASS": "ordino.config:OmegaConfigLoader",
    "CONFIG_LOADER_ARGS": {"base_env": "base", "default_run_env": "local"},
    "DATA_CATALOG_CLASS": "ordino.io:DataCatalog",
    "CONTEXT_CLASS": "ordino.framework.context:Context",
    "SESSION_STORE_CLASS": "ordino.framework.store:BaseSessionStore",
    "SESSION_STORE_ARGS": {},
}
# class settings -> the base class their value must derive from
_BASES: dict[str, str] = {
    "CONFIG_LOADER_CLASS": "ordino.config:AbstractConfigLoader",
    "CONTEXT_CLASS": "ordino.framework.context:Context",
    "SESSION_STORE_CLASS": "ordino.framework.store:BaseSessionStore",
}
SETTING_NAMES: tuple[str, ...] = tuple(_DEFAULTS)


def _import_target(target: str) -> Any:
    module_name, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


class Settings:
    """The validated settings of the configured project (defaults without one).

    Example:
        >>> s = Settings()
        >>> s.CONF_SOURCE
        'conf'
        >>> s.configure("my_project.settings")  # doctest: +SKIP
    """

    def __init__(self, module_name: str | None = None) -> None:
        self._module_name = module_name
        self._values: dict[str, Any] | None = None
        self._resolved: dict[str, Any] = {}
        self._overrides: dict[str, Any] = {}
        self._location = "settings.py"

    def configure(self, module_name: str | None) -> None:
        """Point the settings at a project's module (``<package>.settings``)."""
        self._module_name = module_name
        self._values = None
        self._resolved = {}
        self._overrides = {}

    @property
    def module_name(self) -> str | None:
        """The settings module in use, or None when only defaults apply."""
        return self._module_name

    def set(self, name: str, value: Any) -> None:
        """Override one setting (validated like a value from ``settings.py``).

        Tests and embedding applications use this instead of writing a module.
        """
        self._check_name(name)
        self._overrides[name] = value
        self._resolved.pop(name, None)

    def validate(self) -> None:
        """Load the settings module now and check every setting in it.

        Raises:
            SettingsError: A setting has the wrong type or a misspelt name.
        """
        given = {*self._module_values(), *self._overrides}
        for name in SETTING_NAMES:
            if name in given:  # defaults need no check (nor their imports)
                getattr(self, name)

    def as_dict(self) -> dict[str, Any]:
        """Every setting with its current value (defaults included)."""
        return {name: getattr(self, name) for name in SETTING_NAMES}

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or not name.isupper():
            raise AttributeError(name)
        self._check_name(name)
        if name not in self._resolved:
            self._resolved[name] = self._resolve(name)
        return self._resolved[name]

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *SETTING_NAMES})

    # -- loading ----------------------------------------------------------------------

    def _check_name(self, name: str) -> None:
        if name in _DEFAULTS:
            return
        from ordino.suggest import closest_matches

        raise SettingsError(
            f"{self._location}: unknown setting {name!r}.",
            setting=name,
            suggestions=closest_matches(name, SETTING_NAMES),
            hint="Known settings: " + ", ".join(SETTING_NAMES) + ".",
        )

    def _module_values(self) -> dict[str, Any]:
        if self._values is None:
            self._values = self._load_module()
        return self._values

    def _load_module(self) -> dict[str, Any]:
        if not self._module_name:
            return {}
        try:
            module = importlib.import_module(self._module_name)
        except ModuleNotFoundError as exc:
            if exc.name == self._module_name:
                return {}  # a project without settings.py uses the defaults
            raise self._import_error(exc) from exc
        except Exception as exc:
            raise self._import_error(exc) from exc
        self._location = getattr(module, "__file__", None) or self._module_name
        values = {k: v for k, v in vars(module).items() if k.isupper()}
        self._reject_typos(values, module)
        return values

    def _import_error(self, exc: Exception) -> SettingsError:
        location = self._module_name
        if isinstance(exc, SyntaxError) and exc.filename:
            location = f"{exc.filename}, line {exc.lineno}"
        missing = exc.name if isinstance(exc, ModuleNotFoundError) else None
        return SettingsError(
            f"The project's settings ({location}) could not be imported: "
            f"{type(exc).__name__}: {getattr(exc, 'msg', None) or exc}",
            setting=None,
            hint=f"Install the missing package: pip install {missing}"
            if missing
            else "Fix settings.py; the error above says where.",
        )

    def _reject_typos(self, values: Mapping[str, Any], module: ModuleType) -> None:
        from ordino.suggest import closest_matches

        for name in values:
            if name in _DEFAULTS:
                continue
            # Project constants are allowed; a near miss of a setting is a typo.
            near = closest_matches(name, SETTING_NAMES, cutoff=0.8)
            if near:
                raise SettingsError(
                    f"{self._location}: unknown setting {name!r}; it would be "
                    "silently ignored.",
                    setting=name,
                    suggestions=near,
                )

    def _resolve(self, name: str) -> Any:
        if name in self._overrides:
            value, given = self._overrides[name], True
        else:
            values = self._module_values()
            given = name in values
            value = values[name] if given else _DEFAULTS[name]
        if not given:
            return _import_target(value) if name.endswith("_CLASS") else value
        return _VALIDATORS[name](self, name, value)

    # -- validation -------------------------------------------------------------------

    def _error(self, name: str, problem: str, hint: str | None = None) -> SettingsError:
        return SettingsError(
            f"{self._location}: setting {name} {problem}", setting=name, hint=hint
        )

    def _hooks(self, name: str, value: Any) -> tuple[Any, ...]:
        if isinstance(value, str | bytes) or not _iterable(value):
            raise self._error(
                name,
                f"must be a tuple of hook objects, got {type(value).__name__}.",
                hint=f"For example: {name} = (ProjectHooks(),)",
            )
        hooks = tuple(value)
        for index, hook in enumerate(hooks):
            if isinstance(hook, type):
                raise self._error(
                    name,
                    f"item {index} is the class {hook.__name__!r}, not an instance "
                    "of it.",
                    hint=f"Call it: {name} = ({hook.__name__}(),)",
                )
        return hooks

    def _names(self, name: str, value: Any) -> tuple[str, ...]:
        if isinstance(value, str) or not _iterable(value):
            raise self._error(
                name,
                f"must be a tuple of plugin names, got {type(value).__name__} "
                f"{value!r}.",
                hint=f'For example: {name} = ("ordino-viz",)',
            )
        names = tuple(value)
        for item in names:
            if not isinstance(item, str):
                raise self._error(name, f"must hold plugin names (str), got {item!r}.")
        return names

    def _path(self, name: str, value: Any) -> str:
        if not isinstance(value, str | os.PathLike):
            raise self._error(
                name,
                f"must be a path (str), got {type(value).__name__} {value!r}.",
                hint=f'For example: {name} = "conf"',
            )
        return str(os.fspath(value))

    def _mapping(self, name: str, value: Any) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise self._error(
                name,
                f"must be a dict, got {type(value).__name__} {value!r}.",
                hint=f"For example: {name} = {{}}",
            )
        bad = [key for key in value if not isinstance(key, str)]
        if bad:
            raise self._error(name, f"must have str keys, got {bad[0]!r}.")
        return dict(value)

    def _class(self, name: str, value: Any) -> type[Any]:
        if not isinstance(value, type):
            raise self._error(
                name,
                f"must be a class, got {type(value).__name__} {value!r}.",
                hint="Import the class in settings.py and assign the class itself, "
                "not a string or an instance.",
            )
        base_target = _BASES.get(name)
        if base_target is not None:
            base = _import_target(base_target)
            if not issubclass(value, base):
                raise self._error(
                    name,
                    f"must be a subclass of {base.__module__}.{base.__qualname__}, "
                    f"got {value.__module__}.{value.__qualname__}.",
                )
        elif not callable(getattr(value, "from_config", None)):
            raise self._error(
                name,
                f"must be a catalog class with a from_config() method, got "
                f"{value.__module__}.{value.__qualname__}.",
                hint="Subclass ordino.io.DataCatalog.",
            )
        return value


def _iterable(value: Any) -> bool:
    try:
        iter(value)
    except TypeError:
        return False
    return True


_Validator = Callable[[Settings, str, Any], Any]
_VALIDATORS: dict[str, _Validator] = {
    "HOOKS": Settings._hooks,
    "DISABLE_HOOKS_FOR_PLUGINS": Settings._names,
    "CONF_SOURCE": Settings._path,
    "CONFIG_LOADER_CLASS": Settings._class,
    "CONFIG_LOADER_ARGS": Settings._mapping,
    "DATA_CATALOG_CLASS": Settings._class,
    "CONTEXT_CLASS": Settings._class,
    "SESSION_STORE_CLASS": Settings._class,
    "SESSION_STORE_ARGS": Settings._mapping,
}
