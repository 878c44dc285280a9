"""Material's blog plugin, without the work it repeats: excerpts and read times.

**Excerpts.** Material's blog shows a post's excerpt on every view that lists the post
(the blog index, its archive and category pages), and renders it once per view: it
converts the *whole* post and cuts the HTML at the separator (``<!-- more -->``). For a
notebook post almost all of that work is highlighting code that no view shows, and it is
paid again on every ``mkdocs serve`` rebuild.

``HeadExcerpt`` converts only what a view shows: the Markdown above the separator, plus
the link reference and abbreviation definitions of the rest (a reference used above the
separator may be defined at the end of the post). Where the separator is not a line of its
own at the start of a line outside fenced code (it may be absent, or quoted in a code
block), it falls back to Material's own rendering, so what a view shows never differs.

The views come out as Material renders them, tables of contents included
(tests/tested_blog/test_blog.py builds a site both ways and compares).

**Read times.** The plugin counts the words of each post's HTML with ``html.parser`` on
every build; ``readtime`` remembers the answer for HTML it has seen, so a ``mkdocs serve``
rebuild counts only the posts that changed.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache

from material.plugins.blog.readtime import readtime as material_readtime
from material.plugins.blog.structure import Excerpt

from tested_blog.fences import code_lines

# Definitions Python-Markdown collects from anywhere in a document: link references
# ("[id]: url") and abbreviations ("*[HTML]: ..."); footnotes are not, as a view cuts
# its footnote list away with the rest of the post anyway.
DEFINITION = re.compile(r"^ {0,3}(\[[^\]^][^\]]*\]|\*\[[^\]]+\]):")
MORE = "(the rest of the post)"  # Material's templates only ask whether there is more


def markdown_above(markdown: str, separator: str) -> str | None:
    """The Markdown a view shows of a post: everything above the first line that is just
    ``separator`` (outside fenced code), then the definitions below it. None when there is
    no such line."""
    lines = markdown.splitlines(keepends=True)
    code = code_lines(markdown)
    for at, line in enumerate(lines):
        if at + 1 not in code and line.rstrip() == separator:
            below = [row for row in lines[at + 1 :] if DEFINITION.match(row)]
            return "".join(lines[:at]) + ("\n" + "".join(below) if below else "")
    return None


class HeadExcerpt(Excerpt):
    """Material's excerpt, rendered from ``markdown_above`` the separator."""

    def render(self, page, separator: str) -> None:
        full = self.post.markdown
        head = markdown_above(full, separator)
        if head is None:
            super().render(page, separator)
            return
        # Material reads the post's Markdown; it is handed only the head, for this call.
        self.post.markdown = head
        try:
            super().render(page, separator)
        finally:
            self.post.markdown = full
        self.more = MORE


def convert_above_separator(excerpt: object) -> None:
    """Make a Material blog excerpt render only what its views show (in place)."""
    if type(excerpt) is Excerpt:
        excerpt.__class__ = HeadExcerpt  # same state, one method overridden


@lru_cache(maxsize=256)
def readtime(html: str, words_per_minute: int) -> int:
    """Material's read time of a post's HTML, in minutes (remembered by the HTML)."""
    return material_readtime(html, words_per_minute)


def posts_dir(blog) -> str:
    """The folder of ``blog``'s posts (a Material blog plugin instance), relative to docs/,
    without a trailing slash: its ``post_dir`` option with ``{blog}`` filled in, normalised
    (``blog_dir: .``, a blog at the site's root, gives ``posts``, not ``./posts``)."""
    folder = posixpath.normpath(blog.config.post_dir.format(blog=blog.config.blog_dir))
    return "" if folder == "." else folder.strip("/")


def blog_posts(config) -> list:
    """The posts of Material's blog plugin in a MkDocs ``config``, as it resolved them (none
    without the plugin, or before its ``on_files``)."""
    blog = config.plugins.get("material/blog")
    return blog.blog.posts if blog is not None and getattr(blog, "blog", None) else []
