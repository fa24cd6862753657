"""Hook specifications: the points of a run where plugins may add behaviour.

The names and arguments are Kedro 1.x's, so a hook class written for Kedro works once
its import reads ``from ordino.framework.hooks import hook_impl``. An implementation
may take any subset of a spec's arguments, by name; pluggy passes only those.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ordino.framework.hooks.markers import hook_spec

if TYPE_CHECKING:
    from ordino.io import DataCatalog
    from ordino.pipeline import Node, Pipeline

__all__ = [
    "ContextSpecs",
    "DataCatalogSpecs",
    "DatasetSpecs",
    "NodeSpecs",
    "PipelineSpecs",
]


class DataCatalogSpecs:
    """Hooks around the creation of the data catalog."""

    @hook_spec
    def after_catalog_created(
        self,
        catalog: DataCatalog,
        conf_catalog: dict[str, Any],
        conf_creds: dict[str, Any],
        parameters: dict[str, Any],
        save_version: str,
        load_versions: dict[str, str],
    ) -> None:
        """Called once the context has built the catalog for a run.

        Args:
            catalog: The catalog that was created.
            conf_catalog: The catalog configuration it was built from.
            conf_creds: The credentials configuration it was built from.
            parameters: The parameters added to the catalog as ``params:`` entries.
            save_version: The version every versioned dataset saves under.
            load_versions: The versions to load, per dataset name.
        """


class NodeSpecs:
    """Hooks around each node of a run.

    With ``ParallelRunner`` these run in the worker process that runs the node (see
    docs/hooks.md for how hook objects are shipped there).
    """

    @hook_spec
    def before_node_run(
        self,
        node: Node,
        catalog: DataCatalog,
        inputs: dict[str, Any],
        is_async: bool,
        run_id: str,
    ) -> dict[str, Any] | None:
        """Called after the node's inputs are loaded, before its function runs.

        Args:
            node: The node about to run.
            catalog: The catalog of the run.
            inputs: The loaded inputs, dataset name -> data.
            is_async: Whether inputs are loaded and outputs saved on threads.
            run_id: The id of the run.

        Returns:
            None, or a dict of dataset name -> data that replaces those inputs.
        """

    @hook_spec
    def after_node_run(
        self,
        node: Node,
        catalog: DataCatalog,
        inputs: dict[str, Any],
        outputs: dict[str, Any],
        is_async: bool,
        run_id: str,
    ) -> None:
        """Called after the node's function returned, before its outputs are saved.

        Args:
            node: The node that ran.
            catalog: The catalog of the run.
            inputs: The inputs the function received, dataset name -> data.
            outputs: What it returned, dataset name -> data.
            is_async: Whether inputs are loaded and outputs saved on threads.
            run_id: The id of the run.
        """

    @hook_spec
    def on_node_error(
        self,
        error: Exception,
        node: Node,
        catalog: DataCatalog,
        inputs: dict[str, Any],
        is_async: bool,
        run_id: str,
    ) -> None:
        """Called when loading, running or saving a node raised.

        Args:
            error: The exception the node raised.
            node: The node that failed.
            catalog: The catalog of the run.
            inputs: The inputs loaded so far, dataset name -> data.
            is_async: Whether inputs are loaded and outputs saved on threads.
            run_id: The id of the run.
        """


class PipelineSpecs:
    """Hooks around a whole pipeline run; the session calls them in the main process."""

    @hook_spec
    def before_pipeline_run(
        self, run_params: dict[str, Any], pipeline: Pipeline, catalog: DataCatalog
    ) -> None:
        """Called before the runner starts.

        Args:
            run_params: The parameters of the run: ``run_id``, ``project_path``,
                ``env``, ``ordino_version``, ``tags``, ``from_nodes``, ``to_nodes``,
                ``node_names``, ``from_inputs``, ``to_outputs``, ``load_versions``,
                ``runtime_params``, ``pipeline_name``, ``namespaces``, ``runner``,
                ``only_missing_outputs``.
            pipeline: The pipeline about to run.
            catalog: The catalog of the run.
        """

    @hook_spec
    def after_pipeline_run(
        self,
        run_params: dict[str, Any],
        run_result: dict[str, Any],
        pipeline: Pipeline,
        catalog: DataCatalog,
    ) -> None:
        """Called after every node ran.

        Args:
            run_params: As for ``before_pipeline_run``.
            run_result: What the runner returned: free output name -> dataset.
            pipeline: The pipeline that ran.
            catalog: The catalog of the run.
        """

    @hook_spec
    def on_pipeline_error(
        self,
        error: Exception,
        run_params: dict[str, Any],
        pipeline: Pipeline,
        catalog: DataCatalog,
    ) -> None:
        """Called when the run failed.

        Args:
            error: The exception the run raised.
            run_params: As for ``before_pipeline_run``.
            pipeline: The pipeline that failed.
            catalog: The catalog of the run.
        """


class DatasetSpecs:
    """Hooks around each load and save a runner does for a node."""

    @hook_spec
    def before_dataset_loaded(self, dataset_name: str, node: Node) -> None:
        """Called before a node's input is loaded.

        Args:
            dataset_name: The dataset about to be loaded.
            node: The node it is loaded for.
        """

    @hook_spec
    def after_dataset_loaded(self, dataset_name: str, data: Any, node: Node) -> None:
        """Called after a node's input was loaded.

        Args:
            dataset_name: The dataset that was loaded.
            data: The loaded data.
            node: The node it was loaded for.
        """

    @hook_spec
    def before_dataset_saved(self, dataset_name: str, data: Any, node: Node) -> None:
        """Called before a node's output is saved.

        Args:
            dataset_name: The dataset about to be saved.
            data: The data about to be saved.
            node: The node that produced it.
        """

    @hook_spec
    def after_dataset_saved(self, dataset_name: str, data: Any, node: Node) -> None:
        """Called after a node's output was saved.

        Args:
            dataset_name: The dataset that was saved.
            data: The data that was saved.
            node: The node that produced it.
        """


class ContextSpecs:
    """Hooks around the creation of the project context (Kedro's KedroContextSpecs)."""

    @hook_spec
    def after_context_created(self, context: Any) -> None:
        """Called once the session created the context: the earliest project hook.

        Args:
            context: The ``ordino.framework.context.Context`` that was created.
        """
