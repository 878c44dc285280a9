"""The site's build machinery, kept apart from the thin MkDocs hooks in ``hooks/``.

Each module is one concept and is usable without MkDocs running; the hooks adapt it to
MkDocs' events. Not installed with the ``snippets`` distribution: the hooks put the
repository root on ``sys.path`` (see ``hooks/_repo.py``), pytest does so through
``pythonpath`` in pyproject.toml, and ``python -m tested_blog...`` works from the root.
"""
