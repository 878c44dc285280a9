"""Nothing of one ``mkdocs serve`` rebuild outlives it.

``mkdocs serve`` builds every rebuild from a fresh configuration in the same process. Two
unbounded ``functools.cache``s of the API-reference toolchain are keyed by objects of one
build, and so keep every build alive for the life of the process:

- mkdocstrings-python remembers whether a template exists per Jinja environment, and an
  environment holds its build's handler, configuration and pages;
- griffe's dataclasses extension remembers a class's parameters per ``Class``, which
  holds its whole module tree.

About 2.5 MB and 8,000 objects more per rebuild, and each rebuild slower than the one
before it as the garbage collector walks them. Each build starts by emptying both; within
a build they fill again and work as before. ``tests/test_site_build.py`` checks that the
first build is freed after a rebuild, so a version that renames these fails there.
"""

from __future__ import annotations

import importlib

from mkdocs.config.defaults import MkDocsConfig

PER_BUILD_CACHES = (  # (module, function): caches keyed by one build's objects
    ("mkdocstrings_handlers.python._internal.rendering", "_test_existing_template"),
    ("griffe._internal.extensions.dataclasses", "_dataclass_parameters"),
)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    for module_name, function in PER_BUILD_CACHES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:  # not installed, or moved: the test notices a leak
            continue
        cached = getattr(module, function, None)
        if hasattr(cached, "cache_clear"):
            cached.cache_clear()
    return config
