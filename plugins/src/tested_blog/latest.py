"""The newest posts, listed on any page that asks for them with ``<!-- latest-posts -->``.

A blog's home page usually shows its newest posts; Material's blog shows them only on the
blog's own index. A page that holds the marker (a line of its own in its Markdown) gets,
in its place, the newest posts: title linked, date, and the summary of each (the
``description`` of its front matter, the text Material also puts in link previews).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

MARKER = "<!-- latest-posts -->"
_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t]*(?:\{[^}]*\})?[ \t]*$", re.M)


@dataclass(frozen=True)
class Listed:
    """One post as the list shows it."""

    title: str
    href: str  # relative to the page the list is on
    iso: str  # the date for <time datetime>
    date: str  # the date as the blog writes it
    summary: str


def title_of(meta: dict, markdown: str) -> str:
    """A post's title before MkDocs renders it: its ``title`` key, else its first ``#``
    heading (without an attribute list), else empty."""
    if isinstance(meta.get("title"), str) and meta["title"].strip():
        return meta["title"].strip()
    found = _HEADING.search(markdown)
    return found.group(1).strip() if found else ""


def html_list(posts: list[Listed]) -> str:
    """The list that replaces the marker."""
    items = "".join(
        f'<li class="latest-posts__item"><a href="{html.escape(p.href)}">'
        f"{html.escape(p.title)}</a> "
        f'<time datetime="{p.iso}">{html.escape(p.date)}</time>'
        + (f"<p>{html.escape(p.summary)}</p>" if p.summary else "")
        + "</li>"
        for p in posts
    )
    return f'<ul class="latest-posts">{items}</ul>'
