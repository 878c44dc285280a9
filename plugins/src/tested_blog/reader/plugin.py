"""The ``tested/reader`` plugin: what a blog's reader gets beyond the page's text.

* **Quiz mode** on question-and-answer posts (the rules and the HTML: ``tested_blog.quiz``):
  ``on_page_markdown`` reads the question markers of the page's source (front matter
  included, so line numbers match the editor's) and fails the build on one the quiz cannot
  use, naming the author's file; ``on_page_content`` wraps the questions for the quiz
  script. A page without difficulty markers is left as it is.
* **Link previews**: every page's ``<head>`` gets its Open Graph and Twitter-card tags
  (``tested_blog.social``), written into the page as published, so no template is needed.
* **Previous and next post**: each blog post ends with links to the post before and after
  it in its category, by date (``tested_blog.neighbours``).
* **Its styles and script** (``assets/``: reader.css, quiz.js) are published with the site
  and linked from every page (``tested_blog.assets``).
* **Feeds** (mkdocs-rss-plugin): before the RSS plugin reads a post (its
  ``on_page_content`` runs at priority -75), the post's ``date`` meta becomes
  ``{created, updated}`` as Material's blog parsed it, whichever of the two documented
  forms the author wrote; point the RSS plugin's ``date_from_meta`` at ``date.created`` and
  ``date.updated``. After it wrote the RSS files, their channel dates are set from the
  items (``tested_blog.feeds``), so an unchanged site rebuilds byte-identical feeds.
* **Quiet search**: jieba (which Material's search uses to split Chinese text) logs four
  DEBUG lines to stderr on every build; its level is set to WARNING.
* **Latest posts**: a page whose Markdown holds ``<!-- latest-posts -->`` (the home page)
  lists there the newest ``latest_posts`` posts, each with its date and summary
  (``tested_blog.latest``).
* **Tidy search results**: a question's difficulty label and the quiz controls are kept
  out of the index (``data-search-exclude``), and a post's tags are listed once, on its
  page's entry, not on every section (``tested_blog.search``).
* **One stylesheet file**: the stylesheets every page links after the theme's (its
  palette, ``extra_css``, the plugins' and the math's) are fetched as one file
  (``tested_blog.stylesheets``): on a phone's connection each extra request delays the
  first paint. ``on_post_page`` links the bundle, ``on_post_build`` writes it once every
  member is in the site; a stylesheet that cannot be joined fails the build, named.
* **A named search dialog**: Material's dialog (``role="dialog"``) has no accessible name;
  each page's gets its search field's (``tested_blog.search``), so screen readers
  announce it and Lighthouse's "ARIA dialog elements have accessible names" passes.
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
from mkdocs.utils import get_relative_url, is_error_template

from .. import assets
from ..authored import author_src_uri
from ..blog import blog_posts
from ..feeds import pin_channel_dates, post_dates
from ..latest import Listed, html_list, inline_renderer, title_of, with_list
from ..neighbours import Dated, Link, nav_html, neighbours
from ..quiz import Question, QuizMarkupError, mark_up, questions
from ..search import name_search_dialog, rewrite_index, tags_once_per_page
from ..social import MetaTag, social_tags
from ..stylesheets import BundleError, Bundles, site_root


class ReaderConfig(Config):
    enabled = c.Type(bool, default=True)
    quiz = c.Type(bool, default=True)
    social_tags = c.Type(bool, default=True)
    neighbours = c.Type(bool, default=True)
    feeds = c.Type(bool, default=True)
    # how many posts replace <!-- latest-posts --> on a page (tested_blog.latest)
    latest_posts = c.Type(int, default=5)
    # the stylesheets after the theme's fetched as one file (tested_blog.stylesheets)
    bundle_stylesheets = c.Type(bool, default=True)


class ReaderPlugin(BasePlugin[ReaderConfig]):
    def __init__(self) -> None:
        self.questions: dict[str, list[Question]] = {}
        self.neighbours: dict | None = None
        self.quiz_pages: set[str] = set()  # src_uri of the pages with quiz markup
        self.bundles = Bundles()  # for the life of `mkdocs serve`, as the site it writes
        self.stylesheets: dict[str, str] = {}  # site path -> the file, as the author knows it

    def on_config(self, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        assets.link(config, self.assets())
        try:
            import jieba
        except ImportError:  # the search plugin then does without it
            return
        jieba.setLogLevel(logging.WARNING)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if self.config.enabled:
            assets.publish(config, files, self.assets())
            # docs/'s own by their path there, a plugin's or theme's by where it is installed
            self.stylesheets = {
                f.dest_uri: f.src_uri if f.generated_by is None else (f.abs_src_path or f.src_uri)
                for f in files
                if f.dest_uri.endswith(".css")
            }
        return files

    def assets(self) -> list[Path]:
        """The stylesheet (quiz, difficulty labels, previous/next) and the quiz's script."""
        names = ["reader.css", "quiz.js"] if self.config.quiz else ["reader.css"]
        return assets.shipped(__package__, names)

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> None:
        # a new build (or `mkdocs serve` rebuild): posts may have changed
        self.neighbours = None
        self.quiz_pages.clear()

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
        if self.config.latest_posts > 0:
            try:
                html = with_list(html, lambda: self.latest_html(page, config))
            except ValueError as exc:
                raise PluginError(f"Page '{author_src_uri(page.file)}': {exc}") from None
        found = self.questions.pop(page.file.src_uri, [])
        if not self.config.quiz:
            return html
        try:
            marked = mark_up(html, found, key=page.url)
        except QuizMarkupError as exc:
            raise PluginError(f"Post '{author_src_uri(page.file)}': {exc}") from None
        if marked != html:
            self.quiz_pages.add(page.file.src_uri)
        return marked

    @event_priority(-100)  # after the search plugin (0) indexed the page's content
    def on_page_context(  # type: ignore[override]  # the context gets keys of its own
        self, context: dict, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> dict:
        if not self.config.enabled:
            return context
        if isinstance(page, Post) and self.config.neighbours and page.content is not None:
            # at the foot of the post, where the theme puts what comes below a page;
            # after the search index was made, so a search never finds the neighbours
            page.content += self.neighbours_html(page, config)
        return context

    @event_priority(-90)  # before tested/guards (-100) gives the page its policy
    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str:
        # 404.html, made from a template alone, links its files from the server's root
        if not (self.config.enabled and self.config.bundle_stylesheets):
            return output_content
        if not is_error_template(template_name):
            return output_content
        return self.bundles.page(output_content, None, site_root(config.site_url))

    @event_priority(-90)  # before tested/guards (-100) reads the page as published
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if not self.config.enabled:
            return output
        output = name_search_dialog(output)
        if self.config.bundle_stylesheets:  # after tested/math (0) linked its stylesheet
            output = self.bundles.page(output, page.url)
        head = []
        if self.config.quiz and page.file.src_uri in self.quiz_pages:
            # the quiz bar does nothing without its script
            head.append("<noscript><style>.md-typeset .quiz-bar{display:none}</style></noscript>")
        if self.config.social_tags:
            head += [tag.html() for tag in self.social_tags(page, config)]
        if not head:
            return output
        at = output.find("</head>")
        if at < 0:
            raise PluginError(
                f"Doc file '{author_src_uri(page.file)}': its template wrote no </head>, so"
                " tested/reader has nowhere to put the page's link-preview tags; use a"
                " template that extends the theme's base.html"
            )
        return output[:at] + "".join(head) + output[at:]

    def social_tags(self, page: Page, config: MkDocsConfig) -> list[MetaTag]:
        post = page if isinstance(page, Post) else None
        try:
            return social_tags(
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

    def neighbours_html(self, post: Post, config: MkDocsConfig) -> str:
        """The links to ``post``'s previous and next post of its category ("" if none)."""
        if self.neighbours is None:
            self.neighbours = self.find_neighbours(config)
        around = self.neighbours.get(post.url)
        if around is None:
            return ""
        category, previous, after = around

        def link(other: Post | None) -> Link | None:
            if other is None:
                return None
            return Link(
                href=get_relative_url(other.url, post.url),
                title=other.title or "",
                iso=other.config.date.created.date().isoformat(),
                date=post_date(other, config),
            )

        return nav_html(
            category.name, get_relative_url(category.url, post.url), link(previous), link(after)
        )

    def latest_html(self, page: Page, config: MkDocsConfig) -> str:
        """The newest posts (drafts are not in the blog's list when drafts are off)."""
        newest = sorted(blog_posts(config), key=lambda post: post.config.date.created, reverse=True)
        render = inline_renderer(config.markdown_extensions, config.mdx_configs)
        return html_list(
            [
                Listed(
                    title=render(title_of(post.meta, post.markdown, Path(post.file.src_uri).stem)),
                    href=get_relative_url(post.url, page.url),
                    iso=post.config.date.created.date().isoformat(),
                    date=post_date(post, config),
                    summary=render(str(post.meta.get("description") or "").strip()),
                )
                for post in newest[: self.config.latest_posts]
            ]
        )

    def find_neighbours(self, config: MkDocsConfig) -> dict:
        """Post URL -> (its category's page, previous post, next post); once per build."""
        posts = blog_posts(config)
        by_url = {post.url: post for post in posts}
        found = neighbours(
            [
                Dated(post.url, post.config.date.created, post.title or "", post.config.categories)
                for post in posts
            ]
        )
        return {
            url: (
                next(c for c in by_url[url].categories if c.name == n.category),
                by_url[n.previous] if n.previous else None,
                by_url[n.next] if n.next else None,
            )
            for url, n in found.items()
        }

    @event_priority(-100)  # after the RSS and search plugins' on_post_build (0) wrote theirs
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        rewrite_index(config.site_dir, tags_once_per_page)
        if self.config.bundle_stylesheets:  # after tested/math (-50) wrote its stylesheet
            try:
                self.bundles.write(Path(config.site_dir), self.stylesheets)
            except BundleError as exc:
                raise PluginError(f"tested/reader: {exc}") from None
        rss = config.plugins.get("rss")
        if not self.config.feeds or rss is None:
            return
        names = rss.config.feeds_filenames
        for name in (names.rss_created, names.rss_updated):
            path = Path(config.site_dir, name)
            if path.is_file():
                text = path.read_text(encoding="utf-8")
                path.write_text(pin_channel_dates(text), encoding="utf-8")


def post_date(post: Post, config: MkDocsConfig) -> str:
    """The day ``post`` was created, written as the blog writes dates."""
    blog = config.plugins.get("material/blog")
    date_format = blog.config.post_date_format if blog is not None else "long"
    return format_date(
        post.config.date.created, format=date_format, locale=config.theme["language"]
    )
