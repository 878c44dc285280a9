"""Check every ``--8<--`` reference of every page before pymdownx.snippets embeds it.

The rules live in ``sitebuild.embeds`` (what may be embedded) and ``sitebuild.sections``
(the marker and reference grammar). This hook reports, for the page at hand, every
reference that cannot work as one clean MkDocs error naming the author's file (for a
notebook post, the notebook, not its generated Markdown), the line, the snippet file and
the section, and listing the sections that file does have.
"""

from __future__ import annotations

from pathlib import Path

import _repo  # noqa: F401  (puts the repository root on sys.path)
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from sitebuild.authored import author_src_uri
from sitebuild.embeds import page_problems


def _author_line(config: MkDocsConfig, author: str, text: str) -> int | None:
    """Line of the author's file holding ``text`` (for pages generated from a notebook)."""
    path = Path(config.docs_dir) / author
    if not path.is_file():
        return None
    lines = path.read_text(encoding="utf-8").splitlines()
    return next((n for n, line in enumerate(lines, start=1) if text in line), None)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    author = author_src_uri(page.file)
    # Scan the source file, front matter included, so line numbers match the editor's.
    source = page.file.content_string
    problems = page_problems(source, config)
    if not problems:
        return markdown
    lines = source.splitlines()
    errors = []
    for number, why in problems:
        if author != page.file.src_uri:  # generated page: point into the author's file
            found = _author_line(config, author, lines[number - 1].strip())
            where = f"line {found}" if found else "a Markdown cell"
        else:
            where = f"line {number}"
        errors.append(f"  {where}: {why}")
    raise PluginError(f"Post/page '{author}' embeds code wrongly:\n" + "\n".join(errors))
