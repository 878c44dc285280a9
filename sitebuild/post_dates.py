"""A post's ``date`` front matter in the forms Material's blog reads without crashing.

Material's blog takes ``date: 2026-11-20`` or ``date: {created: …, updated: …}``; a mapping
without ``created`` ends its build in ``KeyError: 'created'`` naming no post. Used for
notebook posts (``notebooks.posts.validate``) and, before the blog plugin reads them, for
Markdown posts (``hooks/post_checks.py``).
"""

from __future__ import annotations

import datetime
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
