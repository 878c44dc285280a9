"""A page's own problems, read from its Markdown and front matter before it is rendered.

* a ``template:`` that is not a file name, or names no template of the theme;
* a title with math and no plain ``title:`` in the front matter, or a ``title:`` with
  math: the browser tab, link previews and the RSS feed would show the raw TeX;
* a ``description:`` the page's ``<meta name="description">`` does not carry whole (the
  theme writes it into the attribute unescaped: a ``"`` ends it);
* raw-HTML links in a post's excerpt, which break on the blog's index pages
  (``tested_blog.links``).

Each function gives the message without the page's name; the caller names the file the
author edits.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from jinja2 import TemplateNotFound
from mkdocs.config.defaults import MkDocsConfig
from selectolax.lexbor import LexborHTMLParser

from ..links import excerpt_raw_links


def template_problem(name: object, config: MkDocsConfig) -> str | None:
    """Why a page's ``template:`` front matter (``name``, None without one) cannot work."""
    if name is None:
        return None
    if not isinstance(name, str):
        return f"its front matter's template: must be a file name such as main.html, not {name!r}"
    if not name:
        return None
    env = config.theme.get_env()
    assert env.loader is not None  # MkDocs gives the theme a file-system loader
    try:
        env.loader.get_source(env, name)  # finds the file; compiles nothing
    except TemplateNotFound:
        return (
            f"its front matter's template: {name!r} is not a template of the theme"
            " (overrides/ or Material's)"
        )
    return None


# how math starts in Markdown (pymdownx.arithmatex): $, \( or \[
MATH = re.compile(r"\$|\\\(|\\\[")


def title_problem(title: str, meta: Mapping[str, object]) -> str | None:
    """Why a page's ``title`` (its heading, or ``title:``) does not read as plain text."""
    written = meta.get("title")
    if isinstance(written, str) and MATH.search(written):
        return (
            f"its front matter's title: {written!r} has math, which the browser tab, link"
            " previews and the RSS feed show as raw TeX (only a page's text is typeset);"
            " write it in plain text"
        )
    if "title" in meta or not MATH.search(title):
        return None
    return (
        f"its title {title!r} has math, which the browser tab, link previews and the RSS feed"
        " show as raw TeX; add a plain-text title: to its front matter (the heading keeps its"
        " math)"
    )


def shown_description(tree: LexborHTMLParser) -> str | None:
    """The content of a parsed page's ``<meta name="description">`` as a browser reads it
    (None without one)."""
    described = tree.css_first('meta[name="description"]')
    return described.attributes.get("content") if described is not None else None


def description_problem(shown: str | None, meta: Mapping[str, object]) -> str | None:
    """Why the page's ``<meta name="description">``, whose content a browser reads as
    ``shown`` (None without one), misstates its front matter's ``description:``."""
    written = meta.get("description")
    if not isinstance(written, str) or shown is None or shown == written:
        return None
    return (
        f"its description: {written!r} reaches search engines as {shown!r}: the theme writes"
        ' it into an attribute as it is, so a " ends it; write it without "'
    )


def excerpt_problems(markdown: str, separator: str) -> list[str]:
    """One message per raw-HTML link in the excerpt of a post's ``markdown``."""
    return [
        f"the excerpt's raw HTML {link} breaks on the blog index, archive and category pages,"
        " which show the excerpt at other URLs; write it in Markdown, or move it below the"
        " excerpt separator"
        for link in excerpt_raw_links(markdown, separator)
    ]
