"""Link previews: the Open Graph and Twitter-card tags of a page, from its front matter.

A chat app or social network that is sent a link reads these ``<meta>`` tags to draw a
title card. Everything comes from the page itself (title, ``description`` front matter,
the post's dates, categories and tags) and from ``site_url``, so the card names the
address under the site's sub-path and nothing is fetched from another host. No image
is given: a ``summary`` card without one is valid, and a picture would have to be
generated (Material's social plugin needs fonts from the network).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from html import escape


@dataclass(frozen=True)
class MetaTag:
    """One ``<meta>`` tag: Open Graph uses ``property=``, Twitter cards ``name=``."""

    attribute: str  # "property" or "name"
    key: str
    content: str

    def html(self) -> str:
        return f'<meta {self.attribute}="{escape(self.key)}" content="{escape(self.content)}">'


def iso_date(value: date | datetime) -> str:
    """ISO 8601 for a front-matter date: ``2026-11-20`` when no time of day was given."""
    if isinstance(value, datetime):
        if value.time() == time(0, 0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    return value.isoformat()


def social_tags(
    *,
    title: str,
    description: str,
    url: str,
    site_name: str,
    published: date | datetime | None = None,
    updated: date | datetime | None = None,
    section: str | None = None,
    tags: Sequence[str] = (),
) -> list[MetaTag]:
    """The tags for one page. ``url``: its canonical address (under ``site_url``); with a
    ``published`` date the page is an article (a blog post), otherwise a website page."""
    if not title.strip():
        raise ValueError(f"page {url}: a link preview needs a title, got {title!r}")
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"page {url!r}: a link preview needs an absolute URL (is site_url set?)")
    og = [
        ("og:type", "article" if published is not None else "website"),
        ("og:site_name", site_name),
        ("og:title", title),
        ("og:url", url),
    ]
    if description.strip():
        og.append(("og:description", description.strip()))
    if published is not None:
        og.append(("article:published_time", iso_date(published)))
        if updated is not None and updated != published:
            og.append(("article:modified_time", iso_date(updated)))
        if section:
            og.append(("article:section", section))
        og.extend(("article:tag", tag) for tag in tags)
    twitter = [("twitter:card", "summary"), ("twitter:title", title)]
    if description.strip():
        twitter.append(("twitter:description", description.strip()))
    return [MetaTag("property", k, v) for k, v in og] + [MetaTag("name", k, v) for k, v in twitter]
