"""Previous and next post: by date, among the posts of the same category.

Material's blog links no post to the next one. ``neighbours`` orders the posts of each
category by creation date (oldest first; posts of the same day by title, then URL, so the
order never depends on how files were listed) and gives each post the one before and the
one after it in its first category, the one it is filed under; ``nav_html`` writes the
links at the foot of a post.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Dated(Generic[K]):
    """What the ordering needs to know of one post."""

    key: K  # anything that names the post (the reader plugin uses its URL)
    created: datetime
    title: str
    categories: Sequence[str]


@dataclass(frozen=True)
class Neighbours(Generic[K]):
    category: str
    previous: K | None  # the older post, None for the first of its category
    next: K | None  # the newer post, None for the newest


def neighbours(posts: Sequence[Dated[K]]) -> dict[K, Neighbours[K]]:
    """Each post's neighbours in its first category; posts without a category get none."""
    keys = [p.key for p in posts]
    if len(set(keys)) != len(keys):
        twice = sorted({str(k) for k in keys if keys.count(k) > 1})
        raise ValueError(f"posts must have distinct keys; given twice: {', '.join(twice)}")
    by_category: dict[str, list[Dated[K]]] = {}
    for post in posts:
        for category in post.categories:
            by_category.setdefault(category, []).append(post)
    order = {
        c: sorted(group, key=lambda p: (p.created, p.title, str(p.key)))
        for c, group in by_category.items()
    }
    place = {(c, p.key): at for c, group in order.items() for at, p in enumerate(group)}
    found: dict[K, Neighbours[K]] = {}
    for post in posts:
        if not post.categories:
            continue
        category = post.categories[0]
        ordered, at = order[category], place[(category, post.key)]
        found[post.key] = Neighbours(
            category=category,
            previous=ordered[at - 1].key if at > 0 else None,
            next=ordered[at + 1].key if at + 1 < len(ordered) else None,
        )
    return found


@dataclass(frozen=True)
class Link:
    """A post as its neighbour links to it."""

    href: str  # relative to the page that links it
    title: str
    iso: str  # 2026-11-20
    date: str  # as the blog writes dates: November 20, 2026


def nav_html(category: str, category_href: str, previous: Link | None, next: Link | None) -> str:
    """The links to a post's previous and next post of ``category`` ("" with neither)."""
    if previous is None and next is None:
        return ""
    links = []
    for link, rel, side, direction in (
        (previous, "prev", "previous", "Previous post"),
        (next, "next", "next", "Next post"),
    ):
        if link is not None:
            links.append(
                f'<a class="post-neighbours__link post-neighbours__link--{side}"'
                f' href="{escape(link.href)}" rel="{rel}">'
                f'<span class="post-neighbours__direction">{direction}</span>'
                f'<span class="post-neighbours__name">{escape(link.title)}</span>'
                f'<time datetime="{link.iso}">{escape(link.date)}</time></a>'
            )
    name = escape(category)
    return (
        f'<nav class="post-neighbours" aria-label="More posts in {name}">'
        f'<h2 class="post-neighbours__title">More in <a href="{escape(category_href)}">{name}</a>'
        f'</h2><div class="post-neighbours__links">{"".join(links)}</div></nav>'
    )
