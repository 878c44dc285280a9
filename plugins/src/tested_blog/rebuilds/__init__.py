"""Fast ``mkdocs serve`` rebuilds that stay flat in memory (the ``tested/rebuilds`` plugin,
``plugin``)."""
