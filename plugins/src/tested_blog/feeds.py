"""Feed dates that come from the posts and nothing else, so feeds change only with them.

mkdocs-rss-plugin reads a post's dates through a dotted key of its front matter
(``date.created``), so the scalar form ``date: 2026-11-25`` that Material's blog accepts
gets the build time instead, and a post without ``updated`` is "updated" at every build.
``post_dates`` gives both dates as Material's blog read them (``updated`` defaults to
``created``). The channel's ``<pubDate>`` and ``<lastBuildDate>`` are the build time too;
``pin_channel_dates`` sets them to the newest item date, so an unchanged site rebuilds to
byte-identical feeds. (The JSON feeds carry no build time.)

Zensical writes its own feeds and dates a post without ``updated`` by the build's clock
too, in the RSS and the JSON feeds alike; ``dated_items`` and ``dated_json_items`` set each
item's date from its post, in the order of those dates, as the MkDocs build has them.
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


_ITEM = re.compile(r"<item>.*?</item>", re.S)
_LINK = re.compile(r"<link>([^<]*)</link>")
_PUB_DATE = re.compile(r"<pubDate>([^<]*)</pubDate>")


def dated_items(rss: str, dates: Mapping[str, datetime]) -> str:
    """``rss`` with the ``pubDate`` of each item whose link ``dates`` knows set to that
    date, and the items newest first; the rest of the document as it was."""
    items = _ITEM.findall(rss)
    if not items:
        return rss

    def dated(item: str) -> tuple[datetime | None, str]:
        link = _LINK.search(item)
        when = dates.get(link.group(1)) if link else None
        if when is None:
            found = _PUB_DATE.search(item)
            return (parsedate_to_datetime(found.group(1)) if found else None), item
        stamp = f"<pubDate>{format_datetime(when)}</pubDate>"
        if _PUB_DATE.search(item):
            return when, _PUB_DATE.sub(stamp, item, count=1)
        return when, item.replace("</item>", stamp + "</item>")

    ordered = sorted(
        map(dated, items),
        key=lambda pair: pair[0].timestamp() if pair[0] else float("-inf"),
        reverse=True,
    )
    start, end = rss.index(items[0]), rss.rindex(items[-1]) + len(items[-1])
    between = rss[start:end]
    for item in items:
        between = between.replace(item, "", 1)
    return rss[:start] + "".join(item for _, item in ordered) + between + rss[end:]


def dated_json_items(feed: dict, dates: Mapping[str, datetime], field: str) -> int:
    """In a JSON feed, set ``field`` (``date_published`` or ``date_modified``) of each item
    whose ``url`` ``dates`` knows, and order the items newest first; returns how many."""
    items = feed.get("items") or []
    count = 0
    for item in items:
        when = dates.get(item.get("url", ""))
        if when is not None:
            item[field] = when.isoformat()
            count += 1
    items.sort(key=lambda item: str(item.get(field) or ""), reverse=True)
    return count
