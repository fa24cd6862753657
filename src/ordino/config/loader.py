"""``OmegaConfigLoader``: Kedro's configuration loader, fast and with clear errors.

For one configuration kind (``catalog``, ``parameters``...) the loader finds the
files matching its patterns in the base environment and in the run environment,
merges each environment's files, resolves interpolations inside each environment,
drops ``_``-prefixed top-level keys, then merges the run environment over base.
Every file is read and parsed at most once per loader; the result is recomputed on
each access (cheap), so ``loader["globals"] = ...`` takes effect at once.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, KeysView, Mapping
from typing import Any

from ordino.config.abstract import AbstractConfigLoader
from ordino.config.interpolation import Path, Resolution, format_path
from ordino.config.merge import (
    MERGE_STRATEGIES,
    check_duplicates,
    deep_merge,
    expand_dotted,
    merge_all,
    merge_environments,
)
from ordino.config.resolvers import build_resolvers, omegaconf_resolver
from ordino.config.sources import ConfigSource, match_files, open_source
from ordino.config.yaml_reader import load_text, locate
from ordino.errors import (
    BadConfigException,
    MissingConfigException,
    UnknownConfigKeyError,
)
from ordino.suggest import closest_matches

__all__ = ["OmegaConfigLoader"]

_log = logging.getLogger(__name__)

_DEFAULT_PATTERNS: dict[str, list[str]] = {
    "catalog": ["catalog*", "catalog*/**", "**/catalog*"],
    "parameters": ["parameters*", "parameters*/**", "**/parameters*"],
    "credentials": ["credentials*", "credentials*/**", "**/credentials*"],
    "globals": ["globals.yml"],
}


class OmegaConfigLoader(AbstractConfigLoader):
    """Load ``catalog``, ``parameters``, ``credentials``, ``globals`` (and your own
    kinds) from a configuration directory, archive or URL.

    Args:
        conf_source: A directory, a ``.zip``/``.tar.gz`` archive, or an fsspec URL.
        env: The run environment (overrides ``default_run_env``).
        runtime_params: Run-time parameters (``--params``): they override
            ``parameters`` (``"a.b"`` keys mean nested keys) and feed
            ``${runtime_params:...}``. They never change globals.
        config_patterns: Extra or replacement glob patterns per kind.
        base_env: The base environment (a project uses ``"base"``).
        default_run_env: The run environment when ``env`` is not given
            (a project uses ``"local"``).
        custom_resolvers: ``name -> function`` for ``${name:...}``, for this
            loader only.
        merge_strategy: Per kind, ``"destructive"`` (default) or ``"soft"``.
        ignore_hidden: Skip files and folders whose name starts with ``.``.
        restrict_runtime_params_type_selection: Refuse catalog ``type`` values
            that come from run-time parameters.

    Example:
        >>> import pathlib, tempfile
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> (root / "base").mkdir()
        >>> _ = (root / "base" / "parameters.yml").write_text("rate: 0.1\\nn: 3\\n")
        >>> loader = OmegaConfigLoader(str(root), base_env="base",
        ...                            default_run_env="base",
        ...                            runtime_params={"n": 5})
        >>> loader["parameters"]
        {'rate': 0.1, 'n': 5}
    """

    def __init__(
        self,
        conf_source: str | os.PathLike[str],
        env: str | None = None,
        runtime_params: dict[str, Any] | None = None,
        *,
        config_patterns: dict[str, list[str]] | None = None,
        base_env: str | None = None,
        default_run_env: str | None = None,
        custom_resolvers: dict[str, Callable[..., Any]] | None = None,
        merge_strategy: dict[str, str] | None = None,
        ignore_hidden: bool = True,
        restrict_runtime_params_type_selection: bool = False,
    ) -> None:
        super().__init__(
            conf_source=os.fspath(conf_source),
            env=env,
            runtime_params=expand_dotted(runtime_params or {}),
        )
        self.base_env = base_env or ""
        self.default_run_env = default_run_env or ""
        self.config_patterns: dict[str, list[str]] = {
            **{k: list(v) for k, v in _DEFAULT_PATTERNS.items()},
            **{k: list(v) for k, v in (config_patterns or {}).items()},
        }
        self.merge_strategy = dict(merge_strategy or {})
        for kind, strategy in self.merge_strategy.items():
            if strategy not in MERGE_STRATEGIES:
                raise BadConfigException(
                    f"Merging strategy '{strategy}' for '{kind}' is not supported; "
                    f"the accepted merging strategies are {list(MERGE_STRATEGIES)}.",
                    key=kind,
                    suggestions=closest_matches(str(strategy), MERGE_STRATEGIES),
                )
        self.ignore_hidden = ignore_hidden
        self.restrict_runtime_params_type_selection = (
            restrict_runtime_params_type_selection
        )
        self._custom_resolvers = dict(custom_resolvers or {})
        self._source: ConfigSource | None = None
        self._documents: dict[str, Any] = {}
        self._texts: dict[str, str] = {}
        self._globals: dict[str, Any] | None = None
        self._key_files: dict[str, dict[str, str]] = {}

    # -- the mapping interface -----------------------------------------------------

    def __getitem__(self, key: str) -> Any:
        if key in self.data:
            return self.data[key]
        if key not in self.config_patterns:
            raise UnknownConfigKeyError(
                f"No config patterns were found for '{key}' in your config loader.",
                key=key,
                suggestions=closest_matches(key, self.config_patterns),
                hint=f"Add patterns for it: config_patterns={{'{key}': "
                f"['{key}*', '{key}*/**', '**/{key}*']}} (CONFIG_LOADER_ARGS in "
                "settings.py).",
            )
        return self._load(key)

    def __setitem__(self, key: str, value: Any) -> None:
        if key == "globals":
            self._globals = None
        super().__setitem__(key, value)

    def __contains__(self, key: object) -> bool:
        return key in self.data or key in self.config_patterns

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self.keys())

    def keys(self) -> KeysView[str]:
        """The configuration kinds: every pattern key and every assigned key."""
        return dict.fromkeys([*self.config_patterns, *self.data]).keys()

    def source_files(self, key: str) -> dict[str, str]:
        """Top-level name -> the file that defines it, for the config kind ``key``.

        Error messages use it to send the user to the right file ("conf/local/
        catalog.yml, dataset 'cars'"). Where both environments define a name, the
        run environment's file is given: its definition is the one in effect. The
        kind is loaded first if it was not yet; a kind set by assignment (not read
        from files) has no files and gives ``{}``.
        """
        if key in self.data:
            return {}
        if key not in self._key_files:
            self[key]
        return dict(self._key_files.get(key, {}))

    def get(self, key: str, default: Any = None) -> Any:
        """``loader[key]``, or ``default`` for a kind that has no patterns."""
        try:
            return self[key]
        except KeyError:
            return default

    def __repr__(self) -> str:
        return (
            f"OmegaConfigLoader(conf_source={self.conf_source!r}, env={self.env!r}, "
            f"runtime_params={self.runtime_params!r}, "
            f"config_patterns={self.config_patterns!r}, "
            f"base_env={self.base_env!r}, default_run_env={self.default_run_env!r}, "
            f"custom_resolvers={sorted(self._custom_resolvers)!r}, "
            f"merge_strategy={self.merge_strategy!r})"
        )

    # -- loading one kind ----------------------------------------------------------

    def _load(self, key: str) -> Any:
        source = self._get_source()
        patterns = self.config_patterns[key]
        run_env = self.env or self.default_run_env
        only_base = not run_env or run_env == self.base_env
        # Both folders are checked before anything is parsed: a mistyped --env is
        # reported as such, not as some problem in base.
        base_files = self._env_files(source, self.base_env, patterns)
        run_files = [] if only_base else self._env_files(source, run_env, patterns)
        base_docs = self._documents_for(source, base_files, key)
        run_docs = [] if only_base else self._documents_for(source, run_files, key)
        self._key_files[key] = {
            name: source.display(rel)
            for rel, document in (*base_docs, *run_docs)  # the run env wins
            for name in document
            if isinstance(name, str)
        }
        base = self._resolve_env(key, base_docs)
        if only_base:
            return base
        run = self._resolve_env(key, run_docs)
        if not base_files and not run_files and key != "globals":
            raise MissingConfigException(
                f"No files of YAML or JSON format found in "
                f"{source.display(self.base_env)} or {source.display(run_env)} "
                f"matching the glob pattern(s): {patterns}",
                path=source.display(self.base_env),
                key=key,
                hint=f"Create {source.display(self.base_env)}/{key}.yml, or "
                "change config_patterns.",
            )
        strategy = self.merge_strategy.get(key, "destructive")
        if key == "parameters" and strategy == "destructive":
            return _replace_params(base, run, run_docs)
        return merge_environments(
            base,
            run,
            strategy=strategy,
            run_display=source.display(run_env),
            label=key,
        )

    def _get_source(self) -> ConfigSource:
        if self._source is None:
            self._source = open_source(self.conf_source, base_env=self.base_env)
        return self._source

    def _env_files(
        self, source: ConfigSource, env: str, patterns: list[str]
    ) -> list[str]:
        if not source.is_dir(env):
            existing = source.environments()
            listed = ", ".join(existing) if existing else "none"
            raise MissingConfigException(
                f"Configuration environment '{env}' not found: {source.display(env)} "
                "does not exist or is not a directory. Environments in "
                f"{source.display('')}: {listed}.",
                path=source.display(env),
                environments=tuple(existing),
                suggestions=closest_matches(env, existing),
                hint=f"Create {source.display(env)}, or run with --env set to one "
                "of the existing environments.",
            )
        return match_files(source, env, patterns, ignore_hidden=self.ignore_hidden)

    def _documents_for(
        self, source: ConfigSource, files: list[str], key: str
    ) -> list[tuple[str, dict[Any, Any]]]:
        documents = []
        for rel in files:
            if rel not in self._documents:
                self._documents[rel] = self._read(source, rel, key)
            documents.append((rel, self._documents[rel]))
        return documents

    def _read(self, source: ConfigSource, rel: str, key: str) -> dict[Any, Any]:
        display = source.display(rel)
        secret = key == "credentials" or "credentials" in rel.rsplit("/", 1)[-1]
        try:
            text = source.read(rel).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BadConfigException(
                f"{display}: not valid UTF-8 text (byte {exc.start}).",
                path=display,
                hint="Save the file as UTF-8.",
            ) from None
        except OSError as exc:
            raise MissingConfigException(
                f"{display}: cannot be read ({exc.strerror or type(exc).__name__}).",
                path=display,
            ) from None
        self._texts[rel] = text
        document = load_text(
            text, display=display, is_json=rel.endswith(".json"), secret=secret
        )
        if document is None:
            return {}
        if not isinstance(document, dict):
            raise BadConfigException(
                f"{display}: the top level must be a mapping of keys to values, "
                f"not a {type(document).__name__}.",
                path=display,
                hint="Write 'name: value' entries at the top level of the file.",
            )
        return document

    def _resolve_env(
        self, key: str, documents: list[tuple[str, dict[Any, Any]]]
    ) -> dict[Any, Any]:
        if not documents:
            return {}
        source = self._get_source()
        named = [(source.display(rel), doc) for rel, doc in documents]
        check_duplicates(named, by_leaf=key == "parameters", label=key)
        raw = merge_all(doc for _, doc in documents)
        if key == "parameters" and self.runtime_params:
            raw = deep_merge(raw, self.runtime_params)
        table = build_resolvers(
            globals_tree=None if key == "globals" else self._globals_tree,
            runtime_params=None if key == "globals" else self.runtime_params,
            environment=key == "credentials" or "oc.env" in self._custom_resolvers,
            custom=self._custom_resolvers,
        )
        resolution = Resolution(
            raw,
            resolvers=table,
            origin=self._origin(documents),
            secret=key == "credentials",
            unknown_resolver=lambda name: omegaconf_resolver(name, sorted(table)),
            label=key,
        )
        resolved = resolution.resolve()
        if key == "catalog" and self.restrict_runtime_params_type_selection:
            self._refuse_runtime_types(resolution)
        if key == "parameters":
            return dict(resolved)
        return {
            k: v
            for k, v in resolved.items()
            if not (isinstance(k, str) and k.startswith("_"))
        }

    def _origin(
        self, documents: list[tuple[str, dict[Any, Any]]]
    ) -> Callable[[Path], str | None]:
        def origin(path: Path) -> str | None:
            best: tuple[int, str] | None = None
            for rel, document in documents:
                depth = _match_depth(document, path)
                if depth and (best is None or depth > best[0]):
                    best = (depth, rel)
            if best is None:
                return None
            rel = best[1]
            display = self._get_source().display(rel)
            position = locate(self._texts.get(rel, ""), path)
            return f"{display}, line {position[0]}" if position else display

        return origin

    def _refuse_runtime_types(self, resolution: Resolution) -> None:
        for path in sorted(resolution.tainted, key=format_path):
            if path and path[-1] == "type":
                where = resolution.origin(path)
                raise BadConfigException(
                    f"{where}, catalog key '{format_path(path)}': the dataset type "
                    "comes from a run-time parameter, which "
                    "restrict_runtime_params_type_selection=True forbids.",
                    path=where,
                    key=format_path(path),
                    hint="Choose dataset types in the catalog files; use run-time "
                    "parameters for paths and arguments only.",
                )

    def _globals_tree(self) -> Mapping[str, Any]:
        if "globals" in self.data:
            value: Mapping[str, Any] = self.data["globals"]
            return value
        if self._globals is None:
            try:
                self._globals = self._load("globals")
            except MissingConfigException:
                self._globals = {}
        return self._globals


def _match_depth(document: Any, path: Path) -> int:
    depth = 0
    node = document
    for part in path:
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and part < len(node)
        if in_dict or in_list:
            node = node[part]
        else:
            break
        depth += 1
    return depth


def _replace_params(
    base: dict[Any, Any],
    run: dict[Any, Any],
    run_docs: list[tuple[str, dict[Any, Any]]],
) -> dict[Any, Any]:
    """Destructive merge of parameters, with run-time values applied to both sides.

    Both environments were resolved with the run-time parameters merged in. The run
    environment replaces the top-level keys *its files* define; a key that only
    the run-time parameters add to it does not wipe out base's siblings (Kedro
    loses them; ordino keeps them).
    """
    file_keys = {k for _, doc in run_docs for k in doc}
    merged = dict(base)
    for key, value in run.items():
        if key in file_keys or key not in merged:
            merged[key] = value
    return merged
