"""``tested/reader``'s features on a site another engine wrote, page by page.

What the MkDocs plugin takes from Material's blog (each post's URL, title, dates and
categories) comes here from the staged pages' front matter and from the site itself: a
post's URL is that of the page that carries its source comment (``prebuild.SOURCE``), its
category's page is the one its own page links under the category's name. With that:

- quiz mode on pages with question markers (``tested_blog.quiz``);
- the newest posts where a page says ``<!-- latest-posts -->`` (``tested_blog.latest``);
- each post's previous and next post of its category (``tested_blog.neighbours``);
- link-preview tags in every page's ``<head>`` (``tested_blog.social``);
- after all pages, in the search index, tags once per page and Chinese text split into
  its words (jieba), and the feeds' channel dates pinned to their newest item
  (``tested_blog.search``, ``tested_blog.feeds``).
"""

from __future__ import annotations

import datetime
import html as html_lib
import json
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from babel.dates import format_date
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils import get_relative_url, is_error_template
from selectolax.lexbor import LexborHTMLParser

from ..feeds import dated_items, dated_json_items, pin_channel_dates
from ..latest import Listed, html_list, inline_renderer, title_of, with_list
from ..neighbours import Dated, Link, nav_html, neighbours
from ..quiz import QuizMarkupError, mark_up
from ..search import rewrite_index, segment_chinese, tags_once_per_page
from ..social import social_tags
from ..stylesheets import BundleError, Bundles, site_root
from ..whole import Marks
from .prebuild import BuildError, StagedPage

# the feeds a blog's pages announce, with their titles as the MkDocs RSS plugin gives them
FEEDS = {
    "feed_rss_created.xml": "RSS feed",
    "feed_rss_updated.xml": "RSS feed of updated content",
}
# the page's content (a blog index's excerpts are articles inside it)
ARTICLE = re.compile(r'<article class="md-content__inner\b[^"]*"[^>]*>')
NO_SCRIPT_QUIZ = "<noscript><style>.md-typeset .quiz-bar{display:none}</style></noscript>"


TITLE = re.compile(r"<title>.*?</title>", re.S)  # a page's, in its <head>


@dataclass(frozen=True)
class Post:
    author: str  # the file its author edits
    url: str  # its page, from the site's root
    title: str  # Markdown
    created: datetime.datetime
    updated: datetime.datetime
    categories: list[str]
    tags: list[str]
    description: str


def between_marks(text: str, marks: Marks) -> tuple[int, int] | None:
    """Where the content is in the HTML ``text`` that ``marks`` wrap (None without both)."""
    start, end = text.find(f"<!--{marks.start}-->"), text.find(f"<!--{marks.end}-->")
    return (start + len(f"<!--{marks.start}-->"), end) if 0 <= start < end else None


def content_region(text: str, marks: Marks | None) -> tuple[int, int] | None:
    """Where a page's own content is in its HTML ``text``: between its ``marks``, else the
    theme's content article (a page the engine made: an archive, a category)."""
    if marks is not None and (region := between_marks(text, marks)) is not None:
        return region
    opening = ARTICLE.search(text)
    if opening is None:
        return None
    return opening.end(), text.rfind("</article>")


def moment(value: object) -> datetime.datetime | None:
    """A front-matter date or datetime as the datetime Material's blog makes of it: in UTC
    when it names no time zone (None for anything else)."""
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time(), tzinfo=datetime.timezone.utc)
    return None


def post_of(page: StagedPage, url: str) -> Post | None:
    """The post ``page`` published at ``url`` (None for a page that is not a dated post)."""
    date = page.meta.get("date")
    created = moment(date.get("created") if isinstance(date, dict) else date)
    if not page.post or created is None:
        return None
    updated = moment(date.get("updated")) if isinstance(date, dict) else None
    return Post(
        author=page.author,
        url=url,
        title=title_of(page.meta, page.markdown, PurePosixPath(page.uri).stem),
        created=created,
        updated=updated or created,
        categories=[str(c) for c in page.meta.get("categories") or []],
        tags=[str(t) for t in page.meta.get("tags") or []],
        description=str(page.meta.get("description") or "").strip(),
    )


class ReaderPass:
    """The reader features of one site; ``page`` for each HTML file, ``site`` at the end."""

    def __init__(
        self,
        config: MkDocsConfig,
        plugin,
        pages: dict[str, StagedPage],
        published: dict[str, str],
        marks: Marks | None = None,
        feeds: list[str] | None = None,
    ) -> None:
        self.config = config
        self.marks = marks  # around each page's own content, when the guards put them
        self.feeds = feeds or []  # the feed files the engine wrote, which pages announce
        self.options = plugin.config
        found = [post_of(pages[a], url) for a, url in published.items() if a in pages]
        self.posts = sorted((p for p in found if p), key=lambda p: p.created, reverse=True)
        self.by_url = {post.url: post for post in self.posts}
        self.around = neighbours(
            [Dated(p.url, p.created, p.title, p.categories) for p in self.posts]
        )
        blog = config.plugins.get("material/blog")
        self.date_format = blog.config.post_date_format if blog is not None else "long"
        self.render = inline_renderer(config.markdown_extensions, config.mdx_configs)
        self.bundles = Bundles()

    def date(self, value: datetime.datetime) -> str:
        return format_date(value, format=self.date_format, locale=self.config.theme["language"])

    def page(self, text: str, url: str, page: StagedPage | None) -> str:
        """The HTML file ``text`` published at ``url`` (from ``page``, if one page's own)
        with the reader's features; raises ``BuildError`` naming the author's file."""
        named = page.author if page is not None else url or "index.html"
        region = content_region(text, self.marks)
        head = []
        if region is not None:
            begin, end = region
            content = text[begin:end]
            content = self.latest(content, url, named)
            if page is not None and page.questions and self.options.quiz:
                try:
                    content = mark_up(content, page.questions, key=url)
                except QuizMarkupError as exc:
                    raise BuildError(f"Post '{named}': {exc}") from None
                head.append(NO_SCRIPT_QUIZ)
            post = self.by_url.get(url)
            if post is not None and self.options.neighbours:
                content += self.neighbours(post, text)
            text = text[:begin] + content + text[end:]
        if self.options.social_tags and not is_error_template(url):  # as MkDocs: a 404
            head += [tag.html() for tag in self.social_tags(text, url, page, named)]  # has none
        if self.options.feeds:  # as the MkDocs RSS plugin announces them, so readers find them
            # (404.html, shown at any URL, from the site's path, as MkDocs links it)
            root = site_root(self.config.site_url) if is_error_template(url) else None
            head += [
                f'<link rel="alternate" type="application/rss+xml" title="{FEEDS[name]}"'
                f' href="{root + name if root else get_relative_url(name, url)}">'
                for name in self.feeds
            ]
        at = text.find("</head>")
        if head and at >= 0:
            text = text[:at] + "".join(head) + text[at:]
        if url == "" and not (page is not None and page.meta.get("title")):
            # as Material's template titles the home page: the site's name alone
            name = html_lib.escape(self.config.site_name, quote=False)
            text = TITLE.sub(lambda _: f"<title>{name}</title>", text, count=1)
        return text

    def stylesheets(self, text: str, url: str) -> str:
        """The page at ``url`` with its stylesheets after the theme's linked as one file:
        last, once every other pass has linked its own (the math's)."""
        if not self.options.bundle_stylesheets:
            return text
        if is_error_template(url):  # 404.html links its files from the server's root
            return self.bundles.page(text, None, site_root(self.config.site_url))
        return self.bundles.page(text, url)

    def latest(self, content: str, url: str, named: str) -> str:
        if self.options.latest_posts <= 0:
            return content

        def listing() -> str:
            return html_list(
                [
                    Listed(
                        title=self.render(post.title),
                        href=get_relative_url(post.url, url),
                        iso=post.created.date().isoformat(),
                        date=self.date(post.created),
                        summary=self.render(post.description),
                    )
                    for post in self.posts[: self.options.latest_posts]
                ]
            )

        try:
            return with_list(content, listing)
        except ValueError as exc:
            raise BuildError(f"Page '{named}': {exc}") from None

    def neighbours(self, post: Post, text: str) -> str:
        around = self.around.get(post.url)
        if around is None:
            return ""
        name = html_lib.escape(around.category, quote=False)
        category = re.search(rf'<a href="([^"]*)"[^>]*>\s*{re.escape(name)}\s*</a>', text)
        if category is None:
            raise BuildError(
                f"Post '{post.author}': its page links no page of its category"
                f" {around.category!r}, so its previous and next posts have nowhere to point"
            )

        def link(key: str | None) -> Link | None:
            other = self.by_url.get(key) if key else None
            if other is None:
                return None
            return Link(
                href=get_relative_url(other.url, post.url),
                title=re.sub(r"<[^>]+>", "", self.render(other.title)),
                iso=other.created.date().isoformat(),
                date=self.date(other.created),
            )

        href = html_lib.unescape(category.group(1))
        return nav_html(around.category, href, link(around.previous), link(around.next))

    def social_tags(self, text: str, url: str, page: StagedPage | None, named: str):
        meta = page.meta if page is not None else {}
        tree = LexborHTMLParser(text)
        # the page's title as the engine wrote it in <title>, without the site's name
        named_in_head = tree.css_first("title")
        heading = named_in_head.text(strip=True) if named_in_head is not None else ""
        heading = heading.removesuffix(f" - {self.config.site_name}")
        if heading == self.config.site_name:
            heading = ""
        title = str(meta.get("title") or "") or heading
        post = self.by_url.get(url)
        try:
            return social_tags(
                title=title or self.config.site_name,
                description=str(meta.get("description") or self.config.site_description or ""),
                url=(self.config.site_url or "") + url,
                site_name=self.config.site_name,
                published=post.created if post else None,
                updated=post.updated if post else None,
                section=post.categories[0] if post and post.categories else None,
                tags=post.tags if post else [],
            )
        except ValueError as exc:
            raise BuildError(f"Doc file '{named}': {exc}") from None

    def site(self, site: Path) -> None:
        """The reader's features of the site's other files, once every page is written:
        the stylesheet bundles the pages link, the search index, the feeds."""
        try:
            self.bundles.write(site)
        except BundleError as exc:
            raise BuildError(f"tested/reader: {exc}") from None
        rewrite_index(site, tags_once_per_page)
        # Material's search plugin segments Chinese text with jieba; Zensical's does not
        rewrite_index(site, segment_chinese)
        if not self.options.feeds:
            return
        # each item dated by its post, as the MkDocs build's feeds are: created, or updated
        # (the created date when the post gives none), never the build's clock
        root = self.config.site_url or ""
        for which, field in (("created", "date_published"), ("updated", "date_modified")):
            dates = {root + post.url: getattr(post, which) for post in self.posts}
            rss = site / f"feed_rss_{which}.xml"
            if rss.is_file():
                text = dated_items(rss.read_text(encoding="utf-8"), dates)
                rss.write_text(pin_channel_dates(text), encoding="utf-8")
            feed = site / f"feed_json_{which}.json"
            if feed.is_file():
                data = json.loads(feed.read_text(encoding="utf-8"))
                dated_json_items(data, dates, field)
                feed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
