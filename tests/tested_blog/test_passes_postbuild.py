"""tested_blog.passes.postbuild: the engine's site finished, and checked against what was
staged, so a page the engine lost (or lost part of) fails the build."""

from __future__ import annotations

import pytest
from mkdocs.config import load_config
from tested_blog.passes import BuildError, Staged, StagedPage, finish
from tested_blog.passes.postbuild import excerpt_regions, page_url

POST = "blog/posts/post.md"


def config_of(tmp_path, plugins: str = "tested/guards"):
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: A blog\ntheme:\n  name: material\nplugins:\n  - {plugins}\n",
        encoding="utf-8",
    )
    return load_config(config_file=str(tmp_path / "mkdocs.yml"))


def written(site, uri: str, body: str) -> None:
    path = site / uri
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"<html><head><title>t</title><script>var a = 1;</script></head><body>{body}</body></html>",
        encoding="utf-8",
    )


def staged(tmp_path, tested_by: int = 1) -> Staged:
    return Staged(
        tmp_path / "staged", {POST: StagedPage(POST, POST, tested_by)}, [], [], token=TOKEN
    )


TOKEN = "0123456789abcdef"  # one build's, for every Staged of these tests


def test_the_source_comment_goes_and_every_page_gets_its_policy(tmp_path):
    site = tmp_path / "site"
    line = '<p class="tested-by">Tested by 1 test</p>'
    written(site, "blog/post/index.html", f"<p>Text</p>{line}{staged(tmp_path).source(POST)}")
    written(site, "index.html", "<p>Home</p>")
    assert finish(site, staged(tmp_path), config_of(tmp_path)) == []
    post = (site / "blog" / "post" / "index.html").read_text(encoding="utf-8")
    assert "tested-blog source" not in post and line in post
    for path in (site / "index.html", site / "blog" / "post" / "index.html"):
        text = path.read_text(encoding="utf-8")
        # first in <head>, with the hash of the page's own inline script
        assert text.startswith('<html><head><meta http-equiv="Content-Security-Policy"')
        assert "'sha256-" in text


def test_a_staged_page_the_engine_did_not_publish_fails(tmp_path):
    site = tmp_path / "site"
    written(site, "index.html", "<p>Home</p>")
    with pytest.raises(BuildError, match=r"Post/page 'blog/posts/post.md': the engine published"):
        finish(site, staged(tmp_path), config_of(tmp_path))


def test_a_page_that_lost_a_tested_by_line_fails(tmp_path):
    site = tmp_path / "site"
    written(site, "blog/post/index.html", f"<pre>code</pre>{staged(tmp_path).source(POST)}")
    with pytest.raises(BuildError, match=r"shows 0 of its 1 tested-by lines"):
        finish(site, staged(tmp_path), config_of(tmp_path))


def test_a_fetch_from_another_host_is_a_warning_naming_the_author_file(tmp_path):
    site = tmp_path / "site"
    body = f'<img src="https://cdn.example.com/a.png">{staged(tmp_path).source(POST)}'
    written(site, "blog/post/index.html", body)
    warnings = finish(site, staged(tmp_path, tested_by=0), config_of(tmp_path))
    assert len(warnings) == 1 and warnings[0].startswith(f"Doc file '{POST}': ")
    assert "cdn.example.com" in warnings[0]


@pytest.mark.parametrize(
    ("uri", "url"),
    [
        ("index.html", ""),
        ("blog/post/index.html", "blog/post/"),
        (".well-known/index.html", ".well-known/"),
        ("404.html", "404.html"),
    ],
)
def test_page_urls(tmp_path, uri, url):
    assert page_url(tmp_path, tmp_path / uri) == url


def test_a_comment_like_a_source_comment_but_without_the_builds_token_names_nothing(tmp_path):
    site = tmp_path / "site"
    written(site, "blog/post/index.html", f"{staged(tmp_path, 0).source(POST)}")
    written(site, "about/index.html", "<!-- tested-blog source: blog/posts/post.md -->")
    assert finish(site, staged(tmp_path, 0), config_of(tmp_path)) == []  # not published twice
    assert "tested-blog source: blog" in (site / "about" / "index.html").read_text("utf-8")


def test_an_excerpt_ends_where_its_own_article_closes():
    text = (
        '<article class="md-post md-post--excerpt"><article><p>inner</p></article>'
        "<p>still the excerpt</p></article><p>after</p>"
    )
    ((start, end),) = excerpt_regions(text)
    assert text[start:end].endswith("<p>still the excerpt</p></article>")


def excerpt(staged_: Staged, author: str, body: str) -> str:
    return f'<article class="md-post md-post--excerpt">{staged_.source(author)}{body}</article>'


def test_an_excerpt_links_another_post_where_the_post_itself_does(tmp_path):
    """Zensical 0.0.73 links a post from another post's excerpt on an index page by the
    linked post's file path (blog/posts/other/), where the site has nothing: the link is
    pointed at the post's page, anchor kept, as the post's own page links it."""
    other = "blog/posts/other.md"
    pages = {POST: StagedPage(POST, POST, 0), other: StagedPage(other, other, 0)}
    stage = Staged(tmp_path / "staged", pages, [], [], token=TOKEN)
    site = tmp_path / "site"
    written(site, "blog/post/index.html", f'<a href="../other/#a">o</a>{stage.source(POST)}')
    written(site, "blog/other/index.html", f"<h2 id='a'>A</h2>{stage.source(other)}")
    written(site, "blog/index.html", excerpt(stage, POST, '<a href="posts/other/#a">o</a>'))
    assert finish(site, stage, config_of(tmp_path)) == []
    index = (site / "blog" / "index.html").read_text(encoding="utf-8")
    assert '<a href="other/#a">o</a>' in index


def test_a_broken_link_in_an_excerpt_is_a_warning_naming_the_post(tmp_path):
    stage = staged(tmp_path, tested_by=0)
    site = tmp_path / "site"
    written(site, "blog/post/index.html", f"<p>text</p>{stage.source(POST)}")
    written(site, "blog/index.html", excerpt(stage, POST, '<a href="gone/">g</a>'))
    (warning,) = finish(site, stage, config_of(tmp_path))
    assert warning.startswith(f"Doc file '{POST}': its excerpt on blog/: ")
    assert "'blog/gone/'" in warning


def test_the_blog_indexs_further_pages_are_titled_as_the_index(tmp_path):
    """Found by a review: Zensical titled blog/page/2/ and after "Index" (the tab, the link
    previews and the heading), where Material gives them the blog index's title."""
    stage = staged(tmp_path, tested_by=0)
    site = tmp_path / "site"
    written(site, "blog/post/index.html", f"<p>text</p>{stage.source(POST)}")
    written(site, "blog/index.html", '<h1 id="blog">Blog</h1>')
    index = (site / "blog" / "index.html").read_text(encoding="utf-8")
    (site / "blog" / "index.html").write_text(
        index.replace("<title>t</title>", "<title>Blog - A blog</title>")
    )
    for page in ("blog/page/2/index.html", "blog/category/x/page/2/index.html"):
        written(site, page, '<h1 id="index">Index</h1><p>posts</p>')
        path = site / page
        path.write_text(
            path.read_text().replace("<title>t</title>", "<title>Index - A blog</title>")
        )
    config = config_of(tmp_path, plugins="blog")
    assert finish(site, stage, config) == []
    further = (site / "blog" / "page" / "2" / "index.html").read_text(encoding="utf-8")
    assert "<title>Blog - A blog</title>" in further and '<h1 id="blog">Blog</h1>' in further
    assert "<p>posts</p>" in further
    category = (site / "blog" / "category" / "x" / "page" / "2" / "index.html").read_text()
    assert "<title>Index - A blog</title>" in category  # not the blog index's own pages
