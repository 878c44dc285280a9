"""The newest posts, listed on any page that asks for them with ``<!-- latest-posts -->``.

A blog's home page usually shows its newest posts; Material's blog shows them only on the
blog's own index. A page that holds the marker (a line of its own in its Markdown) gets,
in its place, the newest posts: title linked, date, and the summary of each (the
``description`` of its front matter, the text Material also puts in link previews). Titles
and summaries are Markdown rendered with the site's own extensions, so their code, emphasis
and math read as on the post itself.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

MARKER = "<!-- latest-posts -->"
# the marker as Markdown passes it on: a block of its own (an HTML comment), spaces free
_BLOCK = re.compile(r"^<!--\s*latest-posts\s*-->[ \t]*$", re.M)
_ANYWHERE = re.compile(r"<!--\s*latest-posts\s*-->")
# an ATX heading (closing #s and an attribute list dropped) or a setext one
_ATX = re.compile(r"^#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*(?:\{[^}]*\})?[ \t]*$")
_SETEXT = re.compile(r"^=+[ \t]*$")


@dataclass(frozen=True)
class Listed:
    """One post as the list shows it."""

    title: str  # HTML: the title's Markdown rendered as the site renders it
    href: str  # relative to the page the list is on
    iso: str  # the date for <time datetime>
    date: str  # the date as the blog writes it
    summary: str  # HTML, likewise


def title_of(meta: dict, markdown: str, stem: str) -> str:
    """A post's title (Markdown) before MkDocs renders it: its ``title`` key, else its first
    level-1 heading outside code, else its file name as MkDocs makes a title of it."""
    from .fences import code_lines

    if isinstance(meta.get("title"), str) and meta["title"].strip():
        return meta["title"].strip()
    in_code = code_lines(markdown)
    lines = markdown.splitlines()
    for number, line in enumerate(lines, start=1):
        if number in in_code:
            continue
        if found := _ATX.match(line):
            return found.group(1).strip()
        following = lines[number] if number < len(lines) else ""
        if line.strip() and _SETEXT.match(following) and number + 1 not in in_code:
            return line.strip()
    title = stem.replace("-", " ").replace("_", " ").strip()
    return title.capitalize() if title.lower() == title else title  # as MkDocs does


def markers(content_html: str) -> tuple[int, int]:
    """How many markers a page's HTML has on a line of their own, and in all."""
    return len(_BLOCK.findall(content_html)), len(_ANYWHERE.findall(content_html))


def replace_markers(content_html: str, listing: str) -> str:
    """Each marker that stands on a line of its own replaced by ``listing``."""
    return _BLOCK.sub(lambda _: listing, content_html)


def with_list(content_html: str, listing: Callable[[], str]) -> str:
    """A page's content with ``listing()`` where it says ``MARKER`` (unchanged without a
    marker; the list is made only when needed). Raises ValueError, saying why, for a marker
    that does not stand on a line of its own."""
    alone, anywhere = markers(content_html)
    if not anywhere:
        return content_html
    if alone < anywhere:
        raise ValueError(
            f"{MARKER} must stand on a line of its own, with blank lines around it (the list"
            " cannot go in a paragraph)"
        )
    return replace_markers(content_html, listing())


def html_list(posts: list[Listed]) -> str:
    """The list that replaces the marker."""
    items = "".join(
        f'<li class="latest-posts__item"><a href="{html.escape(p.href)}">'
        f"{p.title}</a> "
        f'<time datetime="{p.iso}">{html.escape(p.date)}</time>'
        + (f"<p>{p.summary}</p>" if p.summary else "")
        + "</li>"
        for p in posts
    )
    return f'<ul class="latest-posts">{items}</ul>'


def inline_renderer(extensions: list, configs: dict) -> Callable[[str], str]:
    """A renderer of one line of Markdown (a title, a summary) with the site's Markdown
    ``extensions`` and their ``configs``, without the paragraph around it."""
    from markdown import Markdown

    inline = Markdown(extensions=extensions, extension_configs=configs)

    def render(text: str) -> str:
        rendered = inline.reset().convert(text)
        return re.sub(r"^<p>(.*)</p>$", r"\1", rendered.strip(), flags=re.S)

    return render
