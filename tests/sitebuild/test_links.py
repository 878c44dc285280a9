"""sitebuild.links: which href/src of a page's HTML reach a published file."""

from __future__ import annotations

import pytest
from mkdocs.structure.files import File, InclusionLevel

from sitebuild.links import SiteFiles, html_links, link_problems, site_path


@pytest.mark.parametrize(
    "link, page, expected",
    [
        ("../other/", "blog/post/", "blog/other/"),
        ("fig.png", "blog/post/", "blog/post/fig.png"),
        ("fig%20a.png", "blog/post/", "blog/post/fig a.png"),
        ("../../", "blog/post/", ""),
        ("img.png", "404.html", "img.png"),
        ("x/#part", "", "x/"),
        ("/abs/", "blog/post/", "/abs/"),
        ("#anchor", "blog/post/", None),
        ("https://example.org/x", "blog/post/", None),
        ("mailto:a@b.c", "blog/post/", None),
        ("data:image/png;base64,AAAA", "blog/post/", None),
    ],
)
def test_site_path(link, page, expected):
    assert site_path(link, page) == expected


def test_html_links_reads_raw_and_rendered_html():
    html = '<p><a href="a/">a</a> <img alt="x" src="b.png"><script src="c.js"></script></p>'
    assert html_links(html) == (
        ("a", "href", "a/"),
        ("img", "src", "b.png"),
        ("script", "src", "c.js"),
    )


def files(tmp_path):
    """A published post, a draft post (excluded, as the blog plugin leaves it) and an image."""
    published = File("blog/posts/live.md", str(tmp_path), str(tmp_path / "site"), True)
    draft = File("blog/posts/draft.md", str(tmp_path), str(tmp_path / "site"), True)
    draft.inclusion = InclusionLevel.EXCLUDED
    image = File("blog/fig.png", str(tmp_path), str(tmp_path / "site"), True)
    return [published, draft, image], draft


def test_link_problems_know_published_draft_and_missing(tmp_path):
    all_files, draft = files(tmp_path)
    site = SiteFiles.from_files(all_files, {id(draft): "blog/posts/draft.md"})
    html = (
        '<a href="../live/">ok</a> <img src="../../fig.png"> <a href="../draft/">d</a>'
        '<img src="missing.png">'
    )
    problems = link_problems(html, "blog/posts/live/", site)
    assert len(problems) == 2, problems
    assert "draft" in problems[0] and "blog/posts/draft.md" in problems[0]
    assert "missing.png" in problems[1] and "not a page or file" in problems[1]


def test_links_to_the_home_page_reach_it(tmp_path):
    """The home page's URL is "./"; a post's "../../" or "../../index.html" reaches it.
    Before: "points to '', which is not a page or file of the site"."""
    home = File("index.md", str(tmp_path), str(tmp_path / "site"), True)
    site = SiteFiles.from_files([home], {})
    html = '<a href="../../">home</a> <a href="../../index.html">home</a> <a href="../">x</a>'
    problems = link_problems(html, "blog/live/", site)
    assert problems == [
        "<a href=\"../\"> points to 'blog/', which is not a page or file of the site"
    ]
