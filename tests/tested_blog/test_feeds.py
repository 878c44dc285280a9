"""The RSS and JSON feeds: each item dated by its post's front matter, in both documented
date forms; an unchanged site rebuilds to byte-identical feeds."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from conftest import SITE_URL, front_matter, mkdocs_build, posts
from site_copy import make_site, post
from tested_blog.feeds import pin_channel_dates, post_dates

FEEDS = (
    "feed_rss_created.xml",
    "feed_rss_updated.xml",
    "feed_json_created.json",
    "feed_json_updated.json",
)


def as_datetime(value: date | datetime) -> datetime:
    """A front-matter date as Material reads it: a bare date is midnight UTC."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)


def expected_dates(meta: dict) -> tuple[datetime, datetime]:
    """(created, updated) of a post's front matter, in either form."""
    value = meta["date"]
    if not isinstance(value, dict):
        value = {"created": value}
    created = as_datetime(value["created"])
    return created, as_datetime(value["updated"]) if value.get("updated") else created


def feed_dates(site: Path) -> dict[str, dict[str, datetime]]:
    """Per item link: the date each of the four feeds gives it."""
    found: dict[str, dict[str, datetime]] = {}
    for name in ("feed_rss_created.xml", "feed_rss_updated.xml"):
        for item in ET.parse(site / name).getroot().iter("item"):
            found.setdefault(item.findtext("link"), {})[name] = parsedate_to_datetime(
                item.findtext("pubDate")
            )
    for name in ("feed_json_created.json", "feed_json_updated.json"):
        for item in json.loads((site / name).read_text(encoding="utf-8"))["items"]:
            dates = found.setdefault(item["url"], {})
            dates[name + " published"] = datetime.fromisoformat(item["date_published"])
            dates[name + " modified"] = datetime.fromisoformat(item["date_modified"])
    return found


def assert_items_dated_like_posts(site: Path, metas: dict[str, dict]) -> None:
    """``metas``: post URL -> front matter. Every feed dates every post by its front matter."""
    found = feed_dates(site)
    assert set(found) == set(metas), f"feed items {sorted(found)} != posts {sorted(metas)}"
    for url, meta in metas.items():
        created, updated = expected_dates(meta)
        assert found[url] == {
            "feed_rss_created.xml": created,
            "feed_rss_updated.xml": updated,
            "feed_json_created.json published": created,
            "feed_json_created.json modified": updated,
            "feed_json_updated.json published": created,
            "feed_json_updated.json modified": updated,
        }, url


@pytest.mark.site
def test_both_date_forms_date_the_feeds_and_rebuilds_are_identical(tmp_path):
    config = make_site(
        tmp_path / "copy",
        {
            "scalar.md": post("scalar", "Scalar date", date="2026-11-25"),
            "mapping.md": post(
                "mapping", "Mapping date", date="\n  created: 2026-10-02\n  updated: 2026-11-03"
            ),
            "datetime.md": post("with-time", "With a time", date="2026-09-01 14:30:00"),
        },
    )
    first, second = tmp_path / "first", tmp_path / "second"
    for out in (first, second):
        result = mkdocs_build(config, out)
        assert result.returncode == 0, result.stdout + result.stderr
    metas = {
        SITE_URL + f"blog/{slug}/": front_matter(config.parent / "docs/blog/posts" / name)
        for slug, name in [
            ("scalar", "scalar.md"),
            ("mapping", "mapping.md"),
            ("with-time", "datetime.md"),
        ]
    }
    assert_items_dated_like_posts(first, metas)
    for name in FEEDS:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


@pytest.mark.site
def test_the_real_sites_feeds_date_every_post_by_its_front_matter(built_site):
    metas = {SITE_URL + f"blog/{front_matter(p)['slug']}/": front_matter(p) for p in posts()}
    assert_items_dated_like_posts(built_site, metas)


def test_post_dates_default_updated_to_created():
    created = datetime(2026, 1, 2, tzinfo=timezone.utc)
    later = datetime(2026, 2, 3, tzinfo=timezone.utc)
    assert post_dates({"created": created}) == {"created": created, "updated": created}
    assert post_dates({"created": created, "updated": later})["updated"] == later


def test_pin_channel_dates_uses_the_newest_item():
    rss = (
        "<rss><channel><pubDate>now</pubDate><lastBuildDate>now</lastBuildDate>"
        "<item><pubDate>Mon, 02 Nov 2026 00:00:00 +0000</pubDate></item>"
        "<item><pubDate>Wed, 25 Nov 2026 00:00:00 +0000</pubDate></item></channel></rss>"
    )
    pinned = pin_channel_dates(rss)
    head, items = pinned.split("<item>", 1)
    assert head.count("Wed, 25 Nov 2026 00:00:00 +0000") == 2 and "now" not in pinned
    assert items == rss.split("<item>", 1)[1]
    assert pin_channel_dates("<rss><channel><pubDate>x</pubDate></channel></rss>").count("x") == 1


def test_items_are_dated_by_their_posts_newest_first():
    """Zensical dated a post without `updated` by the build's clock, in both feeds."""
    from datetime import datetime, timezone

    from tested_blog.feeds import dated_items, dated_json_items

    utc = timezone.utc
    rss = (
        "<rss><channel><title>t</title>"
        "<item><title>A</title><link>https://x.test/a/</link>"
        "<pubDate>Mon, 07 Dec 2026 04:50:17 +0000</pubDate></item>"
        "<item><title>B</title><link>https://x.test/b/</link>"
        "<pubDate>Mon, 07 Dec 2026 04:50:17 +0000</pubDate></item>"
        "<item><title>C</title><link>https://x.test/c/</link></item>"
        "</channel></rss>"
    )
    dates = {
        "https://x.test/a/": datetime(2026, 3, 1, tzinfo=utc),
        "https://x.test/b/": datetime(2026, 3, 2, tzinfo=utc),
    }
    out = dated_items(rss, dates)
    assert out.index("<title>B</title>") < out.index("<title>A</title>")  # newest first
    assert "<pubDate>Sun, 01 Mar 2026 00:00:00 +0000</pubDate>" in out
    assert "04:50:17" not in out
    assert out.startswith("<rss><channel><title>t</title><item>")
    assert out.endswith("</item></channel></rss>") and out.count("<item>") == 3
    assert dated_items("<rss><channel></channel></rss>", dates) == "<rss><channel></channel></rss>"

    feed = {"items": [{"url": "https://x.test/a/"}, {"url": "https://x.test/b/"}, {"url": "z"}]}
    assert dated_json_items(feed, dates, "date_modified") == 2
    assert [item.get("date_modified") for item in feed["items"]] == [
        "2026-03-02T00:00:00+00:00",
        "2026-03-01T00:00:00+00:00",
        None,
    ]
