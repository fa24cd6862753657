"""The IPython extension: ``%load_ext ordino.ipython``.

Loading the extension inside a project defines ``catalog``, ``context``, ``session``
and ``pipelines`` in the interactive namespace, and adds two line magics:

* ``%reload_ordino [path] [--env ENV] [--params k=v,...] [--conf-source DIR]``
  re-reads the project (code changes included: the project's modules are unloaded
  first) and redefines the four variables;
* ``%load_node <name>`` writes, as the next input, the code that runs one node by
  hand: the imports of its module, its inputs loaded from the catalog, its function
  and the call. Useful to debug a failing node.
"""

from __future__ import annotations

import ast
import inspect
import logging
import sys
import textwrap
from pathlib import Path
from typing import Any

__all__ = [
    "load_ipython_extension",
    "load_node",
    "node_code",
    "parse_params",
    "reload_ordino",
]

_logger = logging.getLogger(__name__)
PROJECT_VARIABLES = ("catalog", "context", "session", "pipelines")


def _shell(ipython: Any = None) -> Any:
    if ipython is not None:
        return ipython
    from IPython import get_ipython

    return get_ipython()


def parse_params(text: str | None) -> dict[str, Any]:
    """Parse ``"a.b=1,c=[x, y]"``: values as YAML, dotted keys nest.

    Example:
        >>> parse_params("model.lr=0.1,name=test")
        {'model': {'lr': 0.1}, 'name': 'test'}
    """
    import yaml

    from ordino.errors import BadConfigException

    result: dict[str, Any] = {}
    for item in _split_top_level(text or ""):
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise BadConfigException(
                f"--params: {item!r} is not of the form key=value.",
                hint="For example: --params model.lr=0.1,features=[a,b]",
            )
        try:
            value = yaml.safe_load(raw) if raw.strip() else ""
        except yaml.YAMLError as exc:
            raise BadConfigException(
                f"--params: the value of {key!r} ({raw.strip()!r}) is not valid YAML.",
                key=key,
                hint=f"Quote it to pass a string: --params \"{key}='{raw.strip()}'\"",
            ) from exc
        target = result
        *parents, leaf = key.split(".")
        for part in parents:
            target = target.setdefault(part, {})
        target[leaf] = value
    return result


def _split_top_level(text: str) -> list[str]:
    """Split on commas that are not inside brackets or quotes."""
    items: list[str] = []
    current: list[str] = []
    depth, quote = 0, ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "[{(":
            depth += 1
        elif char in "]})":
            depth -= 1
        elif char == "," and depth == 0:
            items.append("".join(current))
            current = []
            continue
        current.append(char)
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]


def _unload_package(package_name: str) -> None:
    """Forget the project's modules so that edited code is imported afresh."""
    for name in [
        m for m in sys.modules if m == package_name or m.startswith(f"{package_name}.")
    ]:
        del sys.modules[name]


def reload_ordino(
    path: str | Path | None = None,
    env: str | None = None,
    runtime_params: dict[str, Any] | None = None,
    conf_source: str | None = None,
    *,
    ipython: Any = None,
    local_namespace: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """(Re)load the project and define ``catalog``, ``context``, ``session`` and
    ``pipelines`` in the interactive namespace.

    Args:
        path: The project root; default: found from the current directory.
        env: The configuration environment.
        runtime_params: Parameters overriding the files.
        conf_source: Another configuration directory.
        ipython: The shell (default: the running one).
        local_namespace: Where to define the variables instead of the shell.

    Returns:
        The variables defined, by name.

    Raises:
        ProjectNotFoundError: ``path`` (or the current directory) is not in a project.
    """
    from ordino.errors import ProjectNotFoundError
    from ordino.framework import project
    from ordino.framework.session import Session
    from ordino.framework.startup import bootstrap_project, find_project_root

    root = Path(path).expanduser().resolve() if path else find_project_root()
    if root is None:
        raise ProjectNotFoundError(
            f"No ordino project at or above {Path.cwd()}.",
            path=str(Path.cwd()),
            hint="Give the project's path: %reload_ordino /path/to/project",
        )
    if project.PACKAGE_NAME:
        _unload_package(project.PACKAGE_NAME)
    metadata = bootstrap_project(root)
    _unload_package(metadata.package_name)
    session = Session.create(
        project_path=root,
        env=env,
        runtime_params=runtime_params,
        conf_source=conf_source,
    )
    context = session.load_context()
    variables = {
        "context": context,
        "catalog": context.catalog,
        "session": session,
        "pipelines": project.pipelines,
    }
    if local_namespace is not None:
        local_namespace.update(variables)
    else:
        shell = _shell(ipython)
        if shell is not None:
            shell.push(variables)
    _logger.info(
        "ordino project %s: defined %s",
        metadata.project_name,
        ", ".join(repr(name) for name in PROJECT_VARIABLES),
    )
    return variables


# -- %load_node -----------------------------------------------------------------------


def _find_node(name: str) -> Any:
    from ordino.errors import UnknownNameError
    from ordino.framework.project import pipelines
    from ordino.suggest import closest_matches

    seen: dict[str, Any] = {}
    for pipeline_name in pipelines:
        for node in pipelines[pipeline_name].nodes:
            if node.name == name:
                return node
            seen.setdefault(node.name, node)
    raise UnknownNameError(
        f"No node named {name!r} in the project's pipelines.",
        kind="node",
        names=(name,),
        suggestions=closest_matches(name, seen),
        hint="Node names: " + ", ".join(sorted(seen)) + ".",
    )


def _module_imports(func: Any) -> list[str]:
    module = inspect.getmodule(func)
    try:
        source = inspect.getsource(module) if module is not None else ""
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError):
        return []
    return [
        ast.get_source_segment(source, stmt) or ""
        for stmt in tree.body
        if isinstance(stmt, ast.Import | ast.ImportFrom)
    ]


def _argument_names(node: Any) -> list[tuple[str, str]]:
    """(variable, dataset) for each input, named after the function's arguments."""
    raw = getattr(node, "_inputs", None)
    if isinstance(raw, dict):
        return [(argument, dataset) for argument, dataset in raw.items()]
    try:
        parameters = list(inspect.signature(node.func).parameters.values())
    except (TypeError, ValueError):
        parameters = []
    pairs: list[tuple[str, str]] = []
    for index, dataset in enumerate(node.inputs):
        parameter = parameters[index] if index < len(parameters) else None
        if parameter is None or parameter.kind is inspect.Parameter.VAR_POSITIONAL:
            pairs.append(
                (f"{parameters[-1].name if parameters else 'arg'}_{index}", dataset)
            )
        else:
            pairs.append((parameter.name, dataset))
    return pairs


def node_code(name: str) -> str:
    """The code that runs node ``name`` by hand, as ``%load_node`` writes it."""
    node = _find_node(name)
    func = getattr(node.func, "func", node.func)  # unwrap functools.partial
    pairs = _argument_names(node)
    cells = []
    imports = _module_imports(func)
    if imports:
        cells.append("# Imports of the node's module\n" + "\n".join(imports))
    if pairs:
        loads = "\n".join(f'{var} = catalog.load("{ds}")' for var, ds in pairs)
        cells.append("# The node's inputs, loaded from the catalog\n" + loads)
    try:
        body = textwrap.dedent(inspect.getsource(func))
        cells.append("# The node's function\n" + body.rstrip())
    except (OSError, TypeError):
        pass
    func_name = getattr(func, "__name__", "func")
    if isinstance(getattr(node, "_inputs", None), dict):
        call_args = ", ".join(f"{var}={var}" for var, _ in pairs)
    else:
        call_args = ", ".join(var for var, _ in pairs)
    cells.append(f"# Run it\n{func_name}({call_args})")
    return "\n\n".join(cells) + "\n"


def load_node(name: str, *, ipython: Any = None) -> str:
    """Put the code of node ``name`` into the next input of the shell."""
    code = node_code(name.strip())
    shell = _shell(ipython)
    if shell is not None:
        shell.set_next_input(code, replace=False)
    return code


# -- the extension --------------------------------------------------------------------


def _reload_parser() -> Any:
    import argparse

    from ordino.errors import BadConfigException

    class Parser(argparse.ArgumentParser):
        def error(self, message: str) -> Any:  # not sys.exit inside a notebook
            raise BadConfigException(
                f"%reload_ordino: {message}.", hint=self.format_usage()
            )

    parser = Parser(prog="%reload_ordino", add_help=False)
    parser.add_argument("path", nargs="?", default=None)
    parser.add_argument("-e", "--env", default=None)
    parser.add_argument("-p", "--params", default=None)
    parser.add_argument("--conf-source", default=None)
    return parser


def _register_magics(ipython: Any) -> None:
    import shlex

    def reload_ordino_magic(line: str) -> None:
        """%reload_ordino [path] [--env ENV] [--params k=v,...] [--conf-source DIR]:
        reload the project and redefine catalog, context, session and pipelines."""
        args = _reload_parser().parse_args(shlex.split(line))
        reload_ordino(
            args.path,
            env=args.env,
            runtime_params=parse_params(args.params),
            conf_source=args.conf_source,
            ipython=ipython,
        )

    def load_node_magic(line: str) -> None:
        """%load_node <name>: write the code that runs a node into the next input."""
        load_node(line, ipython=ipython)

    ipython.register_magic_function(reload_ordino_magic, "line", "reload_ordino")
    ipython.register_magic_function(load_node_magic, "line", "load_node")


def load_ipython_extension(ipython: Any) -> None:
    """Called by ``%load_ext ordino.ipython``: add the magics, load the project.

    The project is ``$ORDINO_PROJECT_PATH`` when set (the kernel ``ordino jupyter
    setup`` installs sets it, so a notebook anywhere loads its project), else the
    one at or above the current directory.
    """
    import os

    from ordino.errors import OrdinoError
    from ordino.framework.startup import find_project_root

    _register_magics(ipython)
    configured = os.environ.get("ORDINO_PROJECT_PATH")
    root = Path(configured).expanduser() if configured else find_project_root()
    if root is None:
        _logger.warning(
            "ordino's extension is loaded, but %s is not inside an ordino project. "
            "Run %%reload_ordino <project_root>.",
            Path.cwd(),
        )
        return
    try:
        reload_ordino(root, ipython=ipython)
    except OrdinoError as exc:
        _logger.error("Could not load the ordino project: %s", exc)
