"""tested_blog.blog: excerpts converted from the Markdown above the separator, and read
times remembered, with the blog views Material itself renders as the oracle."""

from __future__ import annotations

import re

import pytest
from conftest import mkdocs_build
from material.plugins.blog.readtime import readtime as material_readtime
from site_copy import changed, make_site, post
from tested_blog.blog import markdown_above, readtime

SEPARATOR = "<!-- more -->"


def test_the_head_is_what_comes_before_the_separator_line():
    text = "# Title\n\nIntro.\n\n<!-- more -->\n\n## Body\n\n```python\nx = 1\n```\n"
    assert markdown_above(text, SEPARATOR) == "# Title\n\nIntro.\n\n"


def test_definitions_below_the_separator_come_along():
    text = (
        "Intro with [a link][ref] and HTML.\n\n<!-- more -->\n\nBody.\n\n"
        "[ref]: https://example.org/\n*[HTML]: HyperText Markup Language\n[^1]: A footnote.\n"
    )
    head = markdown_above(text, SEPARATOR)
    assert head.startswith("Intro with [a link][ref] and HTML.\n\n")
    assert "[ref]: https://example.org/\n" in head
    assert "*[HTML]: HyperText Markup Language\n" in head
    assert "Body." not in head and "[^1]" not in head


@pytest.mark.parametrize(
    "text",
    [
        "No separator at all.\n",
        "Intro.\n\n```html\n<!-- more -->\n```\n\nBody.\n",  # quoted in a fence
        "Intro.\n\n~~~~\n<!-- more -->\n~~~~\n",
        "Intro.\n\n    <!-- more -->\n\nBody.\n",  # indented: code, or inside a block
        "Intro <!-- more --> in a paragraph.\n",
    ],
)
def test_no_head_where_material_would_cut_elsewhere(text):
    assert markdown_above(text, SEPARATOR) is None


def test_a_fence_closes_only_on_its_own_kind_and_length():
    text = "````\n```\n<!-- more -->\n```\n````\n\n<!-- more -->\n\nBody.\n"
    assert markdown_above(text, SEPARATOR) == "````\n```\n<!-- more -->\n```\n````\n\n"


def test_readtime_is_materials_and_remembered():
    html = "<p>" + "word " * 800 + "</p><pre><code>" + "x = 1\n" * 50 + "</code></pre>"
    assert readtime(html, 265) == material_readtime(html, 265)
    before = readtime.cache_info().hits
    readtime(html, 265)
    assert readtime.cache_info().hits == before + 1


BODY = """## Details

```python
def f(x):
    return x + 1
```

[home]: ../../index.md
"""
POSTS = {
    # the excerpt uses a link reference defined at the end of the post
    "intro.md": post("intro", "A post with code below the excerpt", BODY).replace(
        "An excerpt.", "An excerpt that links [home][home]."
    ),
    # no separator line, only one quoted in code: Material's whole-post excerpt
    "quoted.md": post("quoted", "A separator only quoted in code").replace(
        "<!-- more -->", "```html\n<!-- more -->\n```"
    ),
}


def views(site) -> dict[str, str]:
    """The blog's index, archive and category pages, whitespace between tags removed."""
    pages = {}
    for page in sorted((site / "blog").rglob("index.html")):
        rel = page.relative_to(site).as_posix()
        if rel.startswith(("blog/index", "blog/archive", "blog/category")):
            html = page.read_text(encoding="utf-8")
            pages[rel] = re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html))
    return pages


@pytest.mark.site
def test_blog_views_are_the_ones_material_renders(tmp_path):
    ours = make_site(tmp_path / "ours", POSTS)
    theirs = make_site(tmp_path / "material", POSTS)
    changed(theirs, plugins={"tested/rebuilds": {"enabled": False}})  # Material's own excerpts
    for config in (ours, theirs):
        result = mkdocs_build(config, config.parent / "site")
        assert result.returncode == 0, result.stderr
    ours_views, material_views = views(ours.parent / "site"), views(theirs.parent / "site")
    assert ours_views.keys() == material_views.keys() and "blog/index.html" in ours_views
    for rel, html in ours_views.items():
        assert html == material_views[rel], rel
    index = ours_views["blog/index.html"]
    assert 'href="../"' in index or 'href="..' in index  # the reference link resolved
    assert "return x + 1" not in index.replace("<span", "").replace("</span>", "")
    assert "A separator only quoted in code" in index


@pytest.mark.parametrize(
    ("blog_dir", "post_dir", "folder"),
    [
        ("blog", "{blog}/posts", "blog/posts"),
        (".", "{blog}/posts", "posts"),  # a blog at the site's root (found by a review)
        ("./news/", "{blog}/posts", "news/posts"),
        ("blog", "articles", "articles"),
    ],
)
def test_the_posts_folder_is_read_as_the_blog_plugin_reads_it(blog_dir, post_dir, folder):
    from types import SimpleNamespace

    from tested_blog.blog import posts_dir

    blog = SimpleNamespace(config=SimpleNamespace(blog_dir=blog_dir, post_dir=post_dir))
    assert posts_dir(blog) == folder
