"""The top-level package: its version, its public surface and its import cost."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import subprocess
import sys
import types

import pytest

import ordino


def test_version_is_defined_once_and_exposed() -> None:
    assert ordino.__version__.count(".") == 2


def test_every_name_in_all_resolves() -> None:
    for name in ordino.__all__:
        assert getattr(ordino, name) is not None, name


def test_all_lists_exactly_the_lazy_exports_and_the_version() -> None:
    assert sorted(ordino.__all__) == sorted(["__version__", *ordino._LAZY_EXPORTS])


def test_every_export_resolves_to_the_object_its_module_defines() -> None:
    for name, module_name in ordino._LAZY_EXPORTS.items():
        value = getattr(ordino, name)
        assert value is getattr(importlib.import_module(module_name), name), name
        assert not isinstance(value, types.ModuleType), name


def test_no_export_is_named_like_a_subpackage_or_module() -> None:
    # ``import ordino.x`` binds the attribute ``ordino.x`` to the module, so an
    # export called ``x`` would change meaning with import order.
    submodules = {info.name for info in pkgutil.iter_modules(ordino.__path__)}
    assert {"pipeline", "io", "runner", "config"} <= submodules
    assert not submodules & set(ordino.__all__)
    package = importlib.import_module("ordino.pipeline")
    assert ordino.pipeline is package  # the attribute is the subpackage, always
    function = package.pipeline
    assert callable(function)
    assert not isinstance(function, types.ModuleType)


def test_type_checkers_see_the_same_names_as_the_lazy_exports() -> None:
    tree = ast.parse(inspect.getsource(ordino))
    seen: dict[str, str] = {}
    for statement in tree.body:
        if isinstance(statement, ast.If) and ast.unparse(statement.test) == (
            "TYPE_CHECKING"
        ):
            for imported in statement.body:
                assert isinstance(imported, ast.ImportFrom)
                for alias in imported.names:
                    seen[alias.asname or alias.name] = str(imported.module)
    assert seen.keys() == ordino._LAZY_EXPORTS.keys()
    for name, module in seen.items():  # the module itself or where it defines it
        exported_from = ordino._LAZY_EXPORTS[name]
        assert module == exported_from or module.startswith(f"{exported_from}."), name


def test_importing_ordino_imports_none_of_its_subpackages() -> None:
    code = (
        "import sys, ordino\n"
        "print(sorted(m for m in sys.modules if m.startswith('ordino.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    # Only the stdlib-only helper that implements the lazy names themselves.
    assert out.stdout.strip() == "['ordino._lazy']"


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="does_not_exist"):
        ordino.does_not_exist  # noqa: B018 - the access itself is the test


def test_importing_ordino_pipeline_imports_no_third_party_package() -> None:
    code = (
        "import sys, ordino.pipeline\n"
        "bad = {'pandas','numpy','fsspec','rich','click','omegaconf','yaml','pluggy'}\n"
        "print(sorted(bad & set(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
