"""What a post's template shows besides its content: link previews and the neighbours.

``on_page_context`` gives every page ``social_tags`` (Open Graph and Twitter-card tags,
``sitebuild.social``), which ``overrides/main.html`` writes into ``<head>``; and gives
each blog post ``post_neighbours`` (previous and next post of its category by date,
``sitebuild.neighbours``), which ``overrides/partials/post-neighbours.html`` shows at the
bottom of the post.
"""

from __future__ import annotations

import _repo  # noqa: F401  (puts the repository root on sys.path for sitebuild)
from babel.dates import format_date
from material.plugins.blog.structure import Post
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from sitebuild.authored import author_src_uri
from sitebuild.neighbours import Dated, neighbours
from sitebuild.social import social_tags

_built: dict[str, dict] = {}


def on_nav(nav: Navigation, config: MkDocsConfig, **kwargs) -> Navigation:
    _built.clear()  # a new build (or `mkdocs serve` rebuild): posts may have changed
    return nav


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


def _neighbours(config: MkDocsConfig) -> dict:
    if "neighbours" not in _built:
        blog = config.plugins.get("material/blog")
        posts = list(blog.blog.posts) if blog is not None and getattr(blog, "blog", None) else []
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
        _built["neighbours"] = {
            url: {
                "category": next(c for c in by_url[url].categories if c.name == n.category),
                "previous": _shown(by_url[n.previous], blog, config) if n.previous else None,
                "next": _shown(by_url[n.next], blog, config) if n.next else None,
            }
            for url, n in found.items()
        }
    return _built["neighbours"]


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
    post = page if isinstance(page, Post) else None
    try:
        context["social_tags"] = social_tags(
            title=page.title or config.site_name,
            description=page.meta.get("description") or config.site_description or "",
            url=page.canonical_url,
            site_name=config.site_name,
            published=post.config.date.created if post else None,
            updated=post.config.date.get("updated") if post else None,
            section=post.config.categories[0] if post and post.config.categories else None,
            tags=(page.meta.get("tags") or []) if post else [],
        )
    except ValueError as exc:
        raise PluginError(f"Doc file '{author_src_uri(page.file)}': {exc}") from None
    if post is not None:
        context["post_neighbours"] = _neighbours(config).get(post.url)
    return context
