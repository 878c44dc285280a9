"""tested_blog.social: the Open Graph and Twitter-card tags of a page."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from tested_blog.social import iso_date, social_tags

URL = "https://example.test/ml-interview-qa/blog/post/"


def as_dict(tags):
    out: dict[str, list[str]] = {}
    for tag in tags:
        out.setdefault(tag.key, []).append(tag.content)
    return out


def test_a_post_is_an_article_with_its_dates_section_and_tags():
    tags = social_tags(
        title="Adam",
        description=" From scratch. ",
        url=URL,
        site_name="Site",
        published=datetime(2026, 11, 20, tzinfo=timezone.utc),
        updated=datetime(2026, 12, 2, tzinfo=timezone.utc),
        section="Worked programs",
        tags=["optimisation", "numpy"],
    )
    got = as_dict(tags)
    assert got["og:type"] == ["article"] and got["og:url"] == [URL]
    assert got["og:title"] == got["twitter:title"] == ["Adam"]
    assert got["og:description"] == got["twitter:description"] == ["From scratch."]
    assert got["article:published_time"] == ["2026-11-20T00:00:00+00:00"]
    assert got["article:modified_time"] == ["2026-12-02T00:00:00+00:00"]
    assert got["article:tag"] == ["optimisation", "numpy"]
    assert got["twitter:card"] == ["summary"]
    assert {t.attribute for t in tags if t.key.startswith("twitter:")} == {"name"}
    assert {t.attribute for t in tags if not t.key.startswith("twitter:")} == {"property"}


def test_a_page_is_a_website_without_article_tags():
    got = as_dict(
        social_tags(
            title="Home",
            description="",
            url=URL,
            site_name="Site",
            section="ignored",
            tags=["ignored"],
        )
    )
    assert got["og:type"] == ["website"]
    assert not any(k.startswith("article:") for k in got) and "og:description" not in got


def test_an_unchanged_post_has_no_modified_time():
    day = datetime(2026, 11, 20)
    assert "article:modified_time" not in as_dict(
        social_tags(title="A", description="d", url=URL, site_name="S", published=day, updated=day)
    )


def test_dates_keep_what_the_author_gave():
    assert iso_date(date(2026, 11, 20)) == "2026-11-20"
    assert iso_date(datetime(2026, 11, 20)) == "2026-11-20"
    assert iso_date(datetime(2026, 11, 20, 9, 30)) == "2026-11-20T09:30:00"


@pytest.mark.parametrize(
    "title, url, named", [("", URL, "title"), ("T", "/blog/post/", "absolute URL")]
)
def test_missing_title_or_relative_url_is_an_error(title, url, named):
    with pytest.raises(ValueError, match=named):
        social_tags(title=title, description="", url=url, site_name="S")
