from __future__ import annotations

import pytest

from ordino.errors import SettingsError
from ordino.framework.context import Context
from ordino.framework.project import settings, validate_settings
from ordino.framework.settings import SETTING_NAMES, Settings
from ordino.framework.startup import bootstrap_project
from ordino.framework.store import BaseSessionStore, JSONSessionStore


def _with_settings(project, text: str):
    root = project(settings=text)
    bootstrap_project(root)
    return root


def test_defaults_without_a_project():
    fresh = Settings()
    assert fresh.CONF_SOURCE == "conf"
    assert fresh.HOOKS == ()
    assert fresh.DISABLE_HOOKS_FOR_PLUGINS == ()
    assert fresh.CONFIG_LOADER_ARGS == {"base_env": "base", "default_run_env": "local"}
    assert fresh.SESSION_STORE_ARGS == {}
    assert fresh.CONTEXT_CLASS is Context
    assert fresh.SESSION_STORE_CLASS is BaseSessionStore
    assert fresh.DATA_CATALOG_CLASS.__name__ == "DataCatalog"
    assert set(fresh.as_dict()) == set(SETTING_NAMES)


def test_values_from_settings_py(project):
    _with_settings(
        project,
        """
        from ordino.framework.store import JSONSessionStore

        class Hooks:
            pass

        HOOKS = (Hooks(),)
        CONF_SOURCE = "configuration"
        SESSION_STORE_CLASS = JSONSessionStore
        SESSION_STORE_ARGS = {"path": "/tmp/sessions"}
        MY_OWN_CONSTANT = 3
        """,
    )
    validate_settings()
    assert settings.CONF_SOURCE == "configuration"
    assert type(settings.HOOKS[0]).__name__ == "Hooks"
    assert settings.SESSION_STORE_CLASS is JSONSessionStore
    assert settings.SESSION_STORE_ARGS == {"path": "/tmp/sessions"}


def test_a_project_without_settings_py_uses_defaults(project):
    root = project()
    (root / "src" / "demo_project" / "settings.py").unlink()
    bootstrap_project(root)
    validate_settings()
    assert settings.CONF_SOURCE == "conf"


def test_misspelt_setting_is_an_error_with_did_you_mean(project):
    _with_settings(project, "HOOK = ()\n")
    with pytest.raises(
        SettingsError,
        match=r"settings.py: unknown setting 'HOOK'.*\n.*Did you mean 'HOOKS'",
    ) as info:
        validate_settings()
    assert info.value.setting == "HOOK"


def test_unknown_attribute_access_suggests():
    with pytest.raises(
        SettingsError,
        match=r"unknown setting 'CONF_SORCE'.*\n.*Did you mean 'CONF_SOURCE'",
    ):
        Settings().CONF_SORCE  # noqa: B018 - the access is the test


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("HOOKS = 3", r"setting HOOKS must be a tuple of hook objects, got int"),
        ("HOOKS = 'x'", r"setting HOOKS must be a tuple of hook objects, got str"),
        (
            "class H: pass\nHOOKS = (H,)",
            r"setting HOOKS item 0 is the class 'H', not an instance"
            r".*\n.*HOOKS = \(H\(\),\)",
        ),
        (
            "DISABLE_HOOKS_FOR_PLUGINS = 'ordino-viz'",
            r"DISABLE_HOOKS_FOR_PLUGINS must be a tuple of plugin names",
        ),
        ("DISABLE_HOOKS_FOR_PLUGINS = (1,)", r"must hold plugin names \(str\), got 1"),
        ("CONF_SOURCE = 5", r"setting CONF_SOURCE must be a path \(str\), got int 5"),
        (
            "CONFIG_LOADER_ARGS = ['base']",
            r"setting CONFIG_LOADER_ARGS must be a dict, got list",
        ),
        (
            "SESSION_STORE_ARGS = {1: 2}",
            r"setting SESSION_STORE_ARGS must have str keys",
        ),
        (
            "CONTEXT_CLASS = 'my.Context'",
            r"setting CONTEXT_CLASS must be a class, got str",
        ),
        (
            "CONTEXT_CLASS = dict",
            r"CONTEXT_CLASS must be a subclass of ordino.framework.context.Context, "
            r"got builtins.dict",
        ),
        (
            "SESSION_STORE_CLASS = dict",
            r"SESSION_STORE_CLASS must be a subclass of "
            r"ordino.framework.store.BaseSessionStore",
        ),
        (
            "DATA_CATALOG_CLASS = dict",
            r"DATA_CATALOG_CLASS must be a catalog class with a from_config\(\) method",
        ),
    ],
)
def test_wrong_types_name_the_setting(project, line, message):
    _with_settings(project, line + "\n")
    with pytest.raises(SettingsError, match=message) as info:
        validate_settings()
    setting = line.split("\n")[-1].split(" =")[0]
    assert info.value.setting == setting
    assert "settings.py" in str(info.value)


def test_a_context_subclass_is_accepted(project):
    _with_settings(
        project,
        """
        from ordino.framework.context import Context

        class MyContext(Context):
            pass

        CONTEXT_CLASS = MyContext
        """,
    )
    assert settings.CONTEXT_CLASS.__name__ == "MyContext"


def test_set_overrides_and_validates():
    fresh = Settings()
    fresh.set("CONF_SOURCE", "elsewhere")
    assert fresh.CONF_SOURCE == "elsewhere"
    fresh.set("HOOKS", [1])
    assert fresh.HOOKS == (1,)
    with pytest.raises(SettingsError, match="unknown setting 'HOKS'"):
        fresh.set("HOKS", ())


def test_an_import_error_inside_settings_is_named(project):
    _with_settings(project, "import a_module_that_does_not_exist\n")
    with pytest.raises(
        SettingsError,
        match=r"settings \(demo_project.settings\) could not be imported: "
        r"ModuleNotFoundError: No module named 'a_module_that_does_not_exist'"
        r".*\n.*pip install a_module_that_does_not_exist",
    ) as info:
        validate_settings()
    assert isinstance(info.value.__cause__, ModuleNotFoundError)


def test_a_syntax_error_in_settings_names_file_and_line(project):
    _with_settings(project, "HOOKS = (\n")
    with pytest.raises(
        SettingsError, match=r"settings \(.*settings.py, line 1\) could not be imported"
    ):
        validate_settings()
