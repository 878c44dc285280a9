"""tested_blog.slugs: the slug rule and the URL-clash check, without a build."""

from __future__ import annotations

import pytest
from tested_blog.slugs import clash_messages, slug_messages, slug_problem, spelling_messages


@pytest.mark.parametrize("slug", ["bias-variance", "adam", "l2-regularisation", "2026-review"])
def test_plain_slugs_pass(slug):
    assert slug_problem(slug) is None


@pytest.mark.parametrize(
    "slug",
    [
        "../../escape",
        "a/b",
        "Upper",
        "under_score",
        "",
        "-lead",
        "trail-",
        "double--hyphen",
        "优化",
        "café",
        "with space",
        "a.b",
        2026,
        None,
    ],
)
def test_anything_else_is_refused_with_the_slug_named(slug):
    why = slug_problem(slug)
    assert why is not None and repr(slug) in why


def test_messages_name_the_post_and_where_the_slug_came_from():
    front, title = slug_messages(
        [
            ("blog/posts/a.md", "A", False),
            ("blog/posts/b.py", "", True),
            ("blog/posts/c.md", "fine", False),
        ]
    )
    assert front.startswith("Post 'blog/posts/a.md'") and "front-matter slug" in front
    assert "blog/posts/b.py" in title and "title" in title and "slug:" in title


def test_clashes_name_every_page_at_one_url():
    messages = clash_messages(
        [
            ("blog/posts/a.md", "blog/x/index.html"),
            ("blog/posts/b.py", "blog/x/index.html"),
            ("blog/posts/c.md", "blog/c/index.html"),
        ]
    )
    assert len(messages) == 1
    assert all(
        s in messages[0] for s in ("blog/posts/a.md", "blog/posts/b.py", "blog/x/index.html")
    )


def test_two_spellings_of_one_category_or_tag_are_named_with_their_posts():
    """Found by a review: tags 'deep learning' and 'Deep learning' shared one anchor on the
    tags page, so a reader who followed one landed among the other's posts; categories
    'Machine Learning' and 'Machine learning' crashed the build with a traceback."""
    messages = spelling_messages(
        [
            ("a.md", "tag", "deep learning", "deep-learning"),
            ("b.md", "tag", "Deep learning", "deep-learning"),
            ("c.md", "tag", "deep learning", "deep-learning"),
            ("a.md", "category", "Machine Learning", "machine-learning"),
            ("b.md", "category", "Machine Learning", "machine-learning"),
            ("b.md", "tag", "numpy", "numpy"),
        ]
    )
    assert messages == [
        "the tag spellings 'deep learning' (in a.md, c.md) and 'Deep learning' (in b.md) are"
        " one tag to the blog ('deep-learning'), shown under one of them; write them alike"
    ]
