"""MkDocs plugins for a Material blog whose code is tested (the mkdocs-tested-blog
distribution).

A package per feature, each with a ``plugin`` module: a ``Config`` class and a thin
``BasePlugin`` registered under the ``mkdocs.plugins`` entry points (``tested/notebooks``,
``tested/code``, ``tested/math``, ``tested/guards``, ``tested/reader``,
``tested/rebuilds``) over functions that need no MkDocs running. Importing a module does
nothing.
"""
