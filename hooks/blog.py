"""Material's blog plugin without its repeated work (``sitebuild.blog``).

``on_page_markdown`` runs after the blog plugin has made a post's excerpt and makes it
convert only the Markdown above ``<!-- more -->``, once per view that lists the post, not
the whole post. ``on_page_content`` runs before the plugin counts a post's words and
gives it the read time remembered for that HTML, so ``mkdocs serve`` rebuilds count only
the posts that changed.
"""

from __future__ import annotations

import _repo  # noqa: F401  (puts the repository root on sys.path for sitebuild)
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from sitebuild.blog import convert_above_separator, readtime


@event_priority(-100)  # after the blog plugin has made the excerpt
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> None:
    convert_above_separator(getattr(page, "excerpt", None))


@event_priority(100)  # before the blog plugin counts the words
def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> None:
    blog = config.plugins.get("material/blog")
    if blog is None or not blog.config.post_readtime or page not in blog.blog.posts:
        return
    if not page.config.readtime:
        page.config.readtime = readtime(html, blog.config.post_readtime_words_per_minute)
