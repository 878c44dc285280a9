"""MkDocs plugins for a Material blog whose code is tested (the mkdocs-tested-blog
distribution).

A package per feature, each with a ``plugin`` module: a ``Config`` class and a thin
``BasePlugin`` registered under the ``mkdocs.plugins`` entry points (``tested/notebooks``,
``tested/code``, ``tested/math``, ``tested/guards``, ``tested/reader``,
``tested/rebuilds``) over functions that need no MkDocs running. Importing a module does
nothing.
"""

# What a message tells an author to run when a package the plugins need is missing: pip
# installs whatever the distribution requires and the Python lacks (a site that pins its
# requirements, as this repository does in requirements.txt, says so in its README).
INSTALL = "python -m pip install mkdocs-tested-blog"
INSTALL_ZENSICAL = "python -m pip install 'mkdocs-tested-blog[zensical]'"
