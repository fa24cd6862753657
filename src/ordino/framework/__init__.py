"""The project layer: metadata, settings, pipelines registry, sessions and contexts.

Modules (each imported on its own; this package imports none of them):

* ``startup``: ``bootstrap_project`` and ``ProjectMetadata`` (``[tool.ordino]``);
* ``project``: ``settings``, ``pipelines``, ``find_pipelines``,
  ``configure_project``, ``configure_logging``;
* ``settings``: the validated view of a project's ``settings.py``;
* ``registry``: pipeline discovery that imports only the pipelines asked for;
* ``session``: ``Session`` (one run); ``store``: session stores;
* ``context``: ``Context`` (configuration, parameters, catalog);
* ``validation``: parameters checked and typed before any node runs;
* ``logs``: the default console logging;
* ``hooks``: hook specifications, ``hook_impl`` and the plugin manager.
"""
