"""A post's front matter as the blog reads it: what it would crash on or silently ignore.

- ``date``: Material's blog takes ``date: 2026-11-20`` or ``date: {created: …, updated: …}``;
  a mapping without ``created`` ends its build in ``KeyError: 'created'`` naming no post.
- Keys: one the site does not read is ignored, so a misspelt ``drafts: true`` published a
  draft. A key close to a known one is reported; other keys of the author's are left alone.

Used for notebook posts (``notebooks.posts.validate``) and, before the blog plugin reads
them, for Markdown posts (the ``tested/guards`` plugin).
"""

from __future__ import annotations

import datetime
import difflib
import functools
from typing import Any


def _day(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    return value if isinstance(value, datetime.date) else None


def date_problems(meta: dict[str, Any]) -> list[str]:
    """What is wrong with ``meta["date"]``, each naming the key; [] when the blog can read
    it (Material itself rejects what is not a date)."""
    date = meta.get("date")
    if date is None:
        return ["key 'date': missing (a date such as 2026-11-20, or created:/updated:)"]
    if not isinstance(date, dict):
        return []
    if "created" not in date:
        return ["key 'date': the created:/updated: form needs a 'created' date"]
    created, updated = _day(date.get("created")), _day(date.get("updated"))
    if created and updated and updated < created:
        return [f"key 'date': updated ({updated}) is before created ({created})"]
    return []


# Front-matter keys the site reads besides a blog post's own config (Material's PostConfig,
# read in known_keys): MkDocs and Material pages, the tags plugin.
PAGE_KEYS = frozenset(
    {"title", "description", "template", "hide", "search", "status", "subtitle", "icon"}
    | {"tags", "comments", "social"}
)


@functools.cache
def known_keys() -> frozenset[str]:
    """Every front-matter key the site reads: the blog's post config and ``PAGE_KEYS``."""
    from material.plugins.blog.structure.config import PostConfig

    return PAGE_KEYS | frozenset(PostConfig("").keys())


def misspelt_keys(meta: dict[str, Any]) -> list[str]:
    """Keys of ``meta`` the site does not read that look like one it does."""
    known = known_keys()
    problems = []
    for key in meta:
        if not isinstance(key, str) or key in known:
            continue
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.8)
        if close:
            problems.append(f"key '{key}': the site does not read it (did you mean '{close[0]}'?)")
    return problems
