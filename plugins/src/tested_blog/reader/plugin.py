"""The ``tested/reader`` plugin: what a blog's reader gets beyond the page's text.

* **Quiz mode** on question-and-answer posts (the rules and the HTML: ``tested_blog.quiz``):
  ``on_page_markdown`` reads the question markers of the page's source (front matter
  included, so line numbers match the editor's) and fails the build on one the quiz cannot
  use, naming the author's file; ``on_page_content`` wraps the questions for the site's
  quiz script. A page without difficulty markers is left as it is.
* **Link previews and neighbours**: ``on_page_context`` gives every page ``social_tags``
  (Open Graph and Twitter-card tags, ``tested_blog.social``) for the theme's ``<head>``,
  and each blog post ``post_neighbours`` (previous and next post of its category by date,
  ``tested_blog.neighbours``) for a partial at the bottom of the post.
* **Feeds** (mkdocs-rss-plugin): before the RSS plugin reads a post (its
  ``on_page_content`` runs at priority -75), the post's ``date`` meta becomes
  ``{created, updated}`` as Material's blog parsed it, whichever of the two documented
  forms the author wrote; point the RSS plugin's ``date_from_meta`` at ``date.created`` and
  ``date.updated``. After it wrote the RSS files, their channel dates are set from the
  items (``tested_blog.feeds``), so an unchanged site rebuilds byte-identical feeds.
* **Quiet search**: jieba (which Material's search uses to split Chinese text) logs four
  DEBUG lines to stderr on every build; its level is set to WARNING.
"""

from __future__ import annotations

import logging
from pathlib import Path

from babel.dates import format_date
from material.plugins.blog.structure import Post
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..authored import author_src_uri
from ..feeds import pin_channel_dates, post_dates
from ..neighbours import Dated, neighbours
from ..quiz import Question, QuizMarkupError, mark_up, questions
from ..social import social_tags


class ReaderConfig(Config):
    enabled = c.Type(bool, default=True)
    quiz = c.Type(bool, default=True)
    social_tags = c.Type(bool, default=True)
    neighbours = c.Type(bool, default=True)
    feeds = c.Type(bool, default=True)


class ReaderPlugin(BasePlugin[ReaderConfig]):
    def __init__(self) -> None:
        self.questions: dict[str, list[Question]] = {}
        self.neighbours: dict | None = None

    def on_config(self, config: MkDocsConfig) -> None:
        try:
            import jieba
        except ImportError:  # the search plugin then does without it
            return
        jieba.setLogLevel(logging.WARNING)

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> None:
        self.neighbours = None  # a new build (or `mkdocs serve` rebuild): posts may have changed

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        if not (self.config.enabled and self.config.quiz):
            return markdown
        try:
            found = questions(page.file.content_string)
        except QuizMarkupError as exc:
            raise PluginError(f"Post '{author_src_uri(page.file)}' {exc}") from None
        self.questions[page.file.src_uri] = found
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if not self.config.enabled:
            return html
        if self.config.feeds and isinstance(page, Post):
            page.meta["date"] = post_dates(page.config.date)
        found = self.questions.pop(page.file.src_uri, [])
        if not self.config.quiz:
            return html
        try:
            return mark_up(html, found, key=page.url)
        except QuizMarkupError as exc:
            raise PluginError(f"Post '{author_src_uri(page.file)}': {exc}") from None

    def on_page_context(  # type: ignore[override]  # the context gets keys of its own
        self, context: dict, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> dict:
        if not self.config.enabled:
            return context
        post = page if isinstance(page, Post) else None
        if self.config.social_tags:
            try:
                context["social_tags"] = social_tags(
                    title=page.title or config.site_name,
                    description=page.meta.get("description") or config.site_description or "",
                    url=page.canonical_url or "",
                    site_name=config.site_name,
                    published=post.config.date.created if post else None,
                    updated=post.config.date.get("updated") if post else None,
                    section=post.config.categories[0] if post and post.config.categories else None,
                    tags=(page.meta.get("tags") or []) if post else [],
                )
            except ValueError as exc:
                raise PluginError(f"Doc file '{author_src_uri(page.file)}': {exc}") from None
        if post is not None and self.config.neighbours:
            context["post_neighbours"] = self.post_neighbours(config).get(post.url)
        return context

    def post_neighbours(self, config: MkDocsConfig) -> dict:
        """Post URL -> its category and its previous and next post, as the partial shows
        them; worked out once per build."""
        if self.neighbours is None:
            blog = config.plugins.get("material/blog")
            posts = (
                list(blog.blog.posts) if blog is not None and getattr(blog, "blog", None) else []
            )
            by_url = {post.url: post for post in posts}
            found = neighbours(
                [
                    Dated(
                        post.url,
                        post.config.date.created,
                        post.title or "",
                        list(post.config.categories),
                    )
                    for post in posts
                ]
            )
            self.neighbours = {
                url: {
                    "category": next(c for c in by_url[url].categories if c.name == n.category),
                    "previous": _shown(by_url[n.previous], blog, config) if n.previous else None,
                    "next": _shown(by_url[n.next], blog, config) if n.next else None,
                }
                for url, n in found.items()
            }
        return self.neighbours

    @event_priority(-100)  # after the RSS plugin's on_post_build (priority 0) wrote the feeds
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        rss = config.plugins.get("rss")
        if not (self.config.enabled and self.config.feeds) or rss is None:
            return
        names = rss.config.feeds_filenames
        for name in (names.rss_created, names.rss_updated):
            path = Path(config.site_dir, name)
            if path.is_file():
                text = path.read_text(encoding="utf-8")
                path.write_text(pin_channel_dates(text), encoding="utf-8")


def _shown(post: Post, blog, config: MkDocsConfig) -> dict:
    """A neighbour as the partial shows it: the post, and its date as the blog writes it
    (formatted here: the blog's ``date`` filter is missing from builds without the blog)."""
    created = post.config.date.created
    return {
        "post": post,
        "iso": created.date().isoformat(),
        "date": format_date(
            created, format=blog.config.post_date_format, locale=config.theme["language"]
        ),
    }
