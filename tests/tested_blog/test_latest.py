"""tested_blog.latest: the newest posts in place of <!-- latest-posts -->."""

import pytest
from tested_blog.latest import Listed, html_list, title_of


@pytest.mark.parametrize(
    "meta, markdown, title",
    [
        ({"title": "From the front matter"}, "# From the heading\n", "From the front matter"),
        ({}, "Intro.\n\n# Adam from scratch\n\nText.\n", "Adam from scratch"),
        ({}, "# Question one? { #q1 .easy }\n", "Question one?"),
        ({"title": "  "}, "no heading\n", ""),
    ],
)
def test_the_title_before_mkdocs_renders_the_post(meta, markdown, title):
    assert title_of(meta, markdown) == title


def test_the_list_links_each_post_with_its_date_and_summary_escaped():
    posts = [
        Listed("A <b> & c", "../a/", "2026-12-06", "December 6, 2026", "Why x < y."),
        Listed("No summary", "b/", "2026-01-02", "January 2, 2026", ""),
    ]
    assert html_list(posts) == (
        '<ul class="latest-posts">'
        '<li class="latest-posts__item"><a href="../a/">A &lt;b&gt; &amp; c</a> '
        '<time datetime="2026-12-06">December 6, 2026</time><p>Why x &lt; y.</p></li>'
        '<li class="latest-posts__item"><a href="b/">No summary</a> '
        '<time datetime="2026-01-02">January 2, 2026</time></li></ul>'
    )
