"""tested_blog.latest: the newest posts in place of <!-- latest-posts -->."""

import pytest
from tested_blog.latest import Listed, html_list, markers, replace_markers, title_of


@pytest.mark.parametrize(
    "meta, markdown, title",
    [
        ({"title": "From the front matter"}, "# From the heading\n", "From the front matter"),
        ({}, "Intro.\n\n# Adam from scratch\n\nText.\n", "Adam from scratch"),
        ({}, "# Question one? { #q1 .easy }\n", "Question one?"),
        ({"title": "  "}, "no heading\n", "My post"),
        # found by a review: closing hashes, setext headings, a heading-like line in code
        ({}, "# Closing hashes #\n", "Closing hashes"),
        ({}, "Setext title\n============\n\nText.\n", "Setext title"),
        (
            {},
            "```bash\n# install first\npip install x\n```\n\n# The real title\n",
            "The real title",
        ),
        ({}, "# Why **bold** and `code`\n", "Why **bold** and `code`"),
    ],
)
def test_the_title_before_mkdocs_renders_the_post(meta, markdown, title):
    assert title_of(meta, markdown, "my-post") == title


def test_only_markers_on_a_line_of_their_own_are_replaced():
    page = "<p>Intro.</p>\n<!--latest-posts-->\n<p>x</p>\n<!-- latest-posts -->\n"
    assert markers(page) == (2, 2)
    assert replace_markers(page, "<ul></ul>") == "<p>Intro.</p>\n<ul></ul>\n<p>x</p>\n<ul></ul>\n"
    assert markers("<p>Recent: <!-- latest-posts --> and more.</p>") == (0, 1)


def test_the_list_links_each_post_with_its_date_and_summary():
    posts = [
        Listed("A <b>bold</b> &amp; c", "../a/", "2026-12-06", "December 6, 2026", "Why x &lt; y."),
        Listed("No summary", "b/", "2026-01-02", "January 2, 2026", ""),
    ]
    assert html_list(posts) == (
        '<ul class="latest-posts">'
        '<li class="latest-posts__item"><a href="../a/">A <b>bold</b> &amp; c</a> '
        '<time datetime="2026-12-06">December 6, 2026</time><p>Why x &lt; y.</p></li>'
        '<li class="latest-posts__item"><a href="b/">No summary</a> '
        '<time datetime="2026-01-02">January 2, 2026</time></li></ul>'
    )
