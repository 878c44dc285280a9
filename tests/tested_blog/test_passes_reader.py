"""tested_blog.passes.reader: tested/reader's features on pages another engine wrote, with
each post's URL, dates and categories taken from the staged pages and the site."""

from __future__ import annotations

import datetime

import pytest
from mkdocs.config import load_config
from tested_blog.passes import BuildError, StagedPage
from tested_blog.passes.reader import ReaderPass, moment, post_of

UTC = datetime.timezone.utc


def test_front_matter_dates_are_read_as_the_blog_reads_them():
    assert moment(datetime.date(2026, 3, 1)) == datetime.datetime(2026, 3, 1, tzinfo=UTC)
    assert moment(datetime.datetime(2026, 3, 1, 8)) == datetime.datetime(2026, 3, 1, 8, tzinfo=UTC)
    assert moment("last tuesday") is None


def post(name: str, day: int, **meta) -> StagedPage:
    meta = {"date": datetime.date(2026, 3, day), "categories": ["Recipes"], **meta}
    return StagedPage(
        f"blog/posts/{name}.md", f"blog/posts/{name}.md", 0, meta, f"# {name}\n", post=True
    )


def test_a_post_has_its_dates_title_and_categories():
    found = post_of(post("b", 2, date={"created": datetime.date(2026, 3, 2)}), "blog/b/")
    assert found is not None
    assert (found.url, found.title, found.categories) == ("blog/b/", "b", ["Recipes"])
    assert found.updated == found.created  # no update: the day it was written
    page = StagedPage("about.md", "about.md", 0, {}, "# About\n")
    assert post_of(page, "about/") is None  # not a post


@pytest.fixture
def reader(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: A blog\nsite_url: https://example.test/\ntheme:\n  name: material\n"
        "plugins:\n  - tested/reader:\n      latest_posts: 1\n",
        encoding="utf-8",
    )
    config = load_config(config_file=str(tmp_path / "mkdocs.yml"))
    pages = {p.author: p for p in (post("a", 1), post("b", 2, description="The *second*."))}
    published = {"blog/posts/a.md": "blog/a/", "blog/posts/b.md": "blog/b/"}
    return ReaderPass(config, config.plugins["tested/reader"], pages, published)


def html(content: str) -> str:
    return (
        '<html><head><title>t</title></head><body><a href="../category/recipes/">Recipes</a>'
        f'<article class="md-content__inner md-typeset">{content}</article></body></html>'
    )


def test_the_newest_posts_replace_the_marker(reader):
    out = reader.page(html("<h1>Home</h1>\n<!-- latest-posts -->\n"), "", None)
    assert '<ul class="latest-posts"><li class="latest-posts__item"><a href="blog/b/">b</a>' in out
    assert "<p>The <em>second</em>.</p>" in out  # its summary, rendered
    assert "blog/a/" not in out  # latest_posts: 1


def test_a_marker_inside_a_paragraph_is_refused(reader):
    with pytest.raises(BuildError, match=r"Page 'index.md': <!-- latest-posts --> must stand"):
        home = StagedPage("index.md", "index.md", 0, {}, "# Home\n")
        reader.page(html("<p>See <!-- latest-posts --> here</p>"), "", home)


def test_a_post_links_its_neighbours_and_gets_its_link_previews(reader, tmp_path):
    out = reader.page(html("<h1>a</h1><p>Text</p>"), "blog/a/", post("a", 1))
    assert '<nav class="post-neighbours" aria-label="More posts in Recipes">' in out
    assert 'href="../b/" rel="next"' in out and 'href="../category/recipes/"' in out
    assert '<meta property="og:url" content="https://example.test/blog/a/">' in out
    assert '<meta property="article:published_time" content="2026-03-01T00:00:00+00:00">' in out
