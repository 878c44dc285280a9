"""tested_blog.front_matter: the block Material's blog reads, and what an author is told
when it cannot be parsed."""

from __future__ import annotations

import pytest
from tested_blog.front_matter import FrontMatterError, load, split


def test_the_block_and_where_the_post_starts():
    post = "---\ndate: 2026-01-02\n---\n# Title\n"
    text, start = split(post)
    assert text == "date: 2026-01-02\n" and post[start:] == "# Title\n"
    assert split("# No front matter\n---\nx: 1\n---\n") == (None, 0)


def test_the_blog_reads_the_same_block():
    """Material's own reader of a post's front matter agrees (its pattern is the one used)."""
    from material.plugins.blog.structure import YAML_RE

    post = "---\ntitle: x\n...\nbody\n"
    assert split(post)[0] == YAML_RE.match(post).group(1)


@pytest.mark.parametrize(
    "text, said",
    [
        ("date: 2026-02-30\n", "impossible date '2026-02-30'"),
        ("a: [1\n", "invalid front matter"),
        ("- a\n- b\n", "not a YAML mapping"),
    ],
)
def test_what_cannot_be_parsed_says_why(text, said):
    with pytest.raises(FrontMatterError, match=said):
        load(text)


def test_an_empty_block_is_an_empty_mapping():
    assert load("") == {} and load("slug: x\n") == {"slug": "x"}
