"""A post's front matter, read once and the same way everywhere: the YAML block at the top
of a Markdown post as Material's blog finds it (its own pattern), parsed with the message
an author needs when it cannot be.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import yaml
from material.plugins.blog.structure import YAML_RE

DATE_LIKE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")


class FrontMatterError(ValueError):
    """Front matter that is not a YAML mapping; the message says why."""


def split(markdown: str) -> tuple[str | None, int]:
    """The front matter's YAML (None without a block) and where the rest of the post starts."""
    match = YAML_RE.match(markdown)
    return (match.group(1), match.end()) if match else (None, 0)


def load(text: str) -> dict[str, Any]:
    """The YAML ``text`` of a front matter as a mapping (empty for an empty block)."""
    try:
        meta = yaml.safe_load(text) or {}
    except Exception as exc:  # PyYAML raises ValueError for dates such as 2026-02-30
        if bad := _impossible_dates(text):
            raise FrontMatterError(
                f"has an impossible date {bad[0]!r} in its front matter ({exc}); dates are"
                " YYYY-MM-DD"
            ) from None
        raise FrontMatterError(f"has invalid front matter: {exc}") from None
    if not isinstance(meta, dict):
        raise FrontMatterError("has front matter that is not a YAML mapping")
    return meta


def _impossible_dates(text: str) -> list[str]:
    found = []
    for match in DATE_LIKE.finditer(text):
        try:
            datetime.date(*map(int, match.groups()))
        except ValueError:
            found.append(match.group(0))
    return found
