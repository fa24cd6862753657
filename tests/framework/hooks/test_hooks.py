"""Hook specs, the marker, the manager and plugin registration."""

from __future__ import annotations

import inspect
import sys
import textwrap
from pathlib import Path
from typing import Any

import pluggy
import pytest

from ordino.errors import SettingsError
from ordino.framework.hooks import (
    HOOK_NAMESPACE,
    _create_hook_manager,
    _register_hooks,
    _register_hooks_entry_points,
    hook_impl,
    specs,
)

# Kedro 1.x's hook specs, name -> arguments: a Kedro hook class must register as is.
KEDRO_SPECS = {
    "after_catalog_created": [
        "catalog",
        "conf_catalog",
        "conf_creds",
        "parameters",
        "save_version",
        "load_versions",
    ],
    "before_node_run": ["node", "catalog", "inputs", "is_async", "run_id"],
    "after_node_run": ["node", "catalog", "inputs", "outputs", "is_async", "run_id"],
    "on_node_error": ["error", "node", "catalog", "inputs", "is_async", "run_id"],
    "before_pipeline_run": ["run_params", "pipeline", "catalog"],
    "after_pipeline_run": ["run_params", "run_result", "pipeline", "catalog"],
    "on_pipeline_error": ["error", "run_params", "pipeline", "catalog"],
    "before_dataset_loaded": ["dataset_name", "node"],
    "after_dataset_loaded": ["dataset_name", "data", "node"],
    "before_dataset_saved": ["dataset_name", "data", "node"],
    "after_dataset_saved": ["dataset_name", "data", "node"],
    "after_context_created": ["context"],
}


def test_specs_have_kedros_names_and_arguments() -> None:
    manager = _create_hook_manager()
    found = {
        name: list(caller.spec.argnames)
        for name, caller in vars(manager.hook).items()
        if isinstance(caller, pluggy.HookCaller) and caller.has_spec()
    }
    assert found == KEDRO_SPECS


def test_spec_classes_keep_kedros_names() -> None:
    names = {name for name, _ in inspect.getmembers(specs, inspect.isclass)}
    assert {"DataCatalogSpecs", "NodeSpecs", "PipelineSpecs", "DatasetSpecs"} <= names


def test_marker_belongs_to_the_ordino_project() -> None:
    assert HOOK_NAMESPACE == "ordino"

    class Hooks:
        @hook_impl
        def after_context_created(self, context: Any) -> None: ...

    assert hasattr(Hooks.after_context_created, "ordino_impl")


def _kedro_style_hooks() -> Any:
    """A hook class as written for Kedro 1.x, with only the import renamed."""

    class ProjectHooks:
        def __init__(self) -> None:
            self.seen: list[str] = []

        @hook_impl
        def after_catalog_created(
            self,
            catalog,
            conf_catalog,
            conf_creds,
            parameters,
            save_version,
            load_versions,
        ):
            self.seen.append("after_catalog_created")

        @hook_impl
        def before_node_run(self, node, catalog, inputs, is_async, run_id):
            self.seen.append("before_node_run")

        @hook_impl
        def after_node_run(self, node, catalog, inputs, outputs, is_async, run_id):
            self.seen.append("after_node_run")

        @hook_impl
        def on_node_error(self, error, node, catalog, inputs, is_async, run_id):
            self.seen.append("on_node_error")

        @hook_impl
        def before_pipeline_run(self, run_params, pipeline, catalog):
            self.seen.append("before_pipeline_run")

        @hook_impl
        def after_pipeline_run(self, run_params, run_result, pipeline, catalog):
            self.seen.append("after_pipeline_run")

        @hook_impl
        def on_pipeline_error(self, error, run_params, pipeline, catalog):
            self.seen.append("on_pipeline_error")

        @hook_impl
        def before_dataset_loaded(self, dataset_name, node):
            self.seen.append("before_dataset_loaded")

        @hook_impl
        def after_dataset_loaded(self, dataset_name, data, node):
            self.seen.append("after_dataset_loaded")

        @hook_impl
        def before_dataset_saved(self, dataset_name, data, node):
            self.seen.append("before_dataset_saved")

        @hook_impl
        def after_dataset_saved(self, dataset_name, data, node):
            self.seen.append("after_dataset_saved")

        @hook_impl
        def after_context_created(self, context):
            self.seen.append("after_context_created")

    return ProjectHooks()


def test_a_kedro_hook_class_registers_and_runs_unchanged() -> None:
    manager = _create_hook_manager()
    hooks = _kedro_style_hooks()
    _register_hooks(manager, [hooks])
    for name, args in KEDRO_SPECS.items():
        getattr(manager.hook, name)(**dict.fromkeys(args))
    assert hooks.seen == list(KEDRO_SPECS)


def test_an_implementation_may_take_any_subset_of_the_arguments() -> None:
    received: list[Any] = []

    class Hooks:
        @hook_impl
        def after_node_run(self, outputs: Any) -> None:
            received.append(outputs)

    manager = _create_hook_manager()
    _register_hooks(manager, [Hooks()])
    manager.hook.after_node_run(
        node=None, catalog=None, inputs={}, outputs={"y": 1}, is_async=False, run_id="r"
    )
    assert received == [{"y": 1}]


def test_hooks_run_last_registered_first() -> None:
    order: list[str] = []

    def make(label: str) -> Any:
        class Hooks:
            @hook_impl
            def after_context_created(self, context: Any) -> None:
                order.append(label)

        return Hooks()

    manager = _create_hook_manager()
    _register_hooks(manager, [make("first"), make("second"), make("third")])
    manager.hook.after_context_created(context=None)
    assert order == ["third", "second", "first"]


def test_registering_the_same_object_twice_registers_it_once() -> None:
    calls: list[int] = []

    class Hooks:
        @hook_impl
        def after_context_created(self) -> None:
            calls.append(1)

    hooks = Hooks()
    manager = _create_hook_manager()
    _register_hooks(manager, [hooks, hooks])
    _register_hooks(manager, [hooks])
    manager.hook.after_context_created(context=None)
    assert calls == [1]


def test_a_class_instead_of_an_instance_is_a_clear_error() -> None:
    class MyHooks:
        pass

    with pytest.raises(
        SettingsError, match=r"(?s)HOOKS lists the class MyHooks.*MyHooks\(\)"
    ):
        _register_hooks(_create_hook_manager(), [MyHooks])


def test_a_misspelt_hook_name_is_an_error_with_a_suggestion() -> None:
    class Hooks:
        @hook_impl
        def before_node_runs(self, node: Any) -> None: ...

    manager = _create_hook_manager()
    with pytest.raises(
        SettingsError,
        match=r"(?s)'before_node_runs', which is not an ordino hook.*"
        r"Did you mean .*'before_node_run'",
    ):
        _register_hooks(manager, [Hooks()])
    assert not manager.get_plugins()


def test_an_argument_the_spec_lacks_is_an_error_naming_it() -> None:
    class Hooks:
        @hook_impl
        def before_node_run(self, node: Any, session_id: str) -> None: ...

    with pytest.raises(
        SettingsError,
        match=r"(?s)Hooks\.before_node_run takes argument 'session_id'.*'run_id'",
    ):
        _register_hooks(_create_hook_manager(), [Hooks()])


@pytest.fixture
def installed_plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two installed distributions that register hooks through entry points."""
    for dist, module in [
        ("ordino-audit", "audit_plugin"),
        ("Ordino_Viz", "viz_plugin"),
    ]:
        (tmp_path / f"{module}.py").write_text(
            textwrap.dedent(
                f"""
                from ordino.framework.hooks import hook_impl

                class Hooks:
                    calls = []

                    @hook_impl
                    def after_context_created(self, context):
                        Hooks.calls.append({module!r})

                hooks = Hooks()
                """
            )
        )
        info = tmp_path / f"{dist}-1.0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n"
        )
        (info / "entry_points.txt").write_text(
            f"[ordino.hooks]\n{module} = {module}:hooks\n"
        )
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def test_entry_point_plugins_are_registered(installed_plugins: Path) -> None:
    manager = _create_hook_manager()
    _register_hooks_entry_points(manager)
    manager.hook.after_context_created(context=None)
    audit = sys.modules["audit_plugin"].Hooks.calls
    viz = sys.modules["viz_plugin"].Hooks.calls
    assert audit == ["audit_plugin"]
    assert viz == ["viz_plugin"]


def test_disabled_plugins_are_not_registered(installed_plugins: Path) -> None:
    manager = _create_hook_manager()
    # Distribution names compare normalised: "ordino-viz" disables "Ordino_Viz".
    _register_hooks_entry_points(manager, disabled_plugins=["ordino-viz"])
    registered = {name for name, _ in manager.list_name_plugin()}
    assert any(name.startswith("ordino-audit") for name in registered)
    assert not any("Viz" in name or "viz" in name for name in registered)
