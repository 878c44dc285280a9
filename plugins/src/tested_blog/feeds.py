"""Feed dates that come from the posts and nothing else, so feeds change only with them.

mkdocs-rss-plugin reads a post's dates through a dotted key of its front matter
(``date.created``), so the scalar form ``date: 2026-11-25`` that Material's blog accepts
gets the build time instead, and a post without ``updated`` is "updated" at every build.
``post_dates`` gives both dates as Material's blog read them (``updated`` defaults to
``created``). The channel's ``<pubDate>`` and ``<lastBuildDate>`` are the build time too;
``pin_channel_dates`` sets them to the newest item date, so an unchanged site rebuilds to
byte-identical feeds. (The JSON feeds carry no build time.)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime

ITEM_DATE = re.compile(r"<item>.*?<pubDate>([^<]*)</pubDate>", re.S)
CHANNEL_DATE = re.compile(r"(<(pubDate|lastBuildDate)>)[^<]*(</\2>)")


def post_dates(date: Mapping[str, datetime]) -> dict[str, datetime]:
    """Front-matter dates of a post as Material parsed them (``post.config.date``), with
    ``updated`` set to ``created`` when the post has none."""
    return {**date, "created": date["created"], "updated": date.get("updated") or date["created"]}


def pin_channel_dates(rss: str) -> str:
    """``rss`` (an RSS 2.0 document) with the channel's pubDate and lastBuildDate set to
    its newest item's pubDate; unchanged when it has no items."""
    dates = [parsedate_to_datetime(d) for d in ITEM_DATE.findall(rss)]
    if not dates:
        return rss
    newest = format_datetime(max(dates))
    head, items = rss.split("<item>", 1) if "<item>" in rss else (rss, None)
    head = CHANNEL_DATE.sub(lambda m: f"{m.group(1)}{newest}{m.group(3)}", head)
    return head if items is None else head + "<item>" + items
