"""Which file the author edits for a page: the name every build error must give."""

from __future__ import annotations

import logging

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


class NameAuthoredFiles(logging.Filter):
    """Rewrites a generated page's name to its author's file in log messages.

    MkDocs' own warnings (a broken link, a missing anchor) name ``page.file.src_uri``;
    for a notebook post that is the generated ``x.md``, a file the author never sees.
    Attached to the loggers that report on pages, this names the ``x.py`` instead."""

    def __init__(self) -> None:
        super().__init__()
        self.names: dict[str, str] = {}  # generated src_uri -> the author's src_uri

    def filter(self, record: logging.LogRecord) -> bool:
        if self.names:
            message = record.getMessage()
            for generated, source in self.names.items():
                message = message.replace(f"'{generated}'", f"'{source}'")
            record.msg, record.args = message, ()
        return True

    def attach(self) -> None:
        for name in PAGE_LOGGERS:
            logging.getLogger(name).addFilter(self)


# The loggers through which MkDocs reports problems of a page's content.
PAGE_LOGGERS = ("mkdocs.structure.pages", "mkdocs.structure.toc", "mkdocs.commands.build")
