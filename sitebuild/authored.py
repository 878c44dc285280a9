"""Which file the author edits for a page: the name every build error must give."""

from __future__ import annotations

from mkdocs.structure.files import File

# Set on the Markdown page that a notebook post becomes, to the notebook's ``src_uri``.
SOURCE_ATTRIBUTE = "authored_src_uri"


def author_src_uri(file: File) -> str:
    """The page's source as the author knows it, relative to ``docs_dir``.

    For a page generated from a notebook post that is the ``.py``/``.ipynb`` notebook, not
    the Markdown file in the build cache; for every other page, its own ``src_uri``."""
    return getattr(file, SOURCE_ATTRIBUTE, None) or file.src_uri


def mark_generated_from(page: File, source: File) -> None:
    """Record that ``page`` was generated from the author's file ``source``."""
    setattr(page, SOURCE_ATTRIBUTE, author_src_uri(source))
