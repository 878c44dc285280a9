"""tested_blog.neighbours: previous and next post by date within the first category."""

from __future__ import annotations

from datetime import datetime

import pytest
from tested_blog.neighbours import Dated, neighbours


def post(key, day, categories, title=None):
    return Dated(key, datetime(2026, 11, day), title or key, categories)


def test_posts_link_to_the_older_and_newer_post_of_their_category():
    posts = [
        post("c", 24, ["Worked"]),
        post("basics", 20, ["Basics"]),
        post("a", 20, ["Worked"]),
        post("b", 22, ["Worked", "Basics"]),
    ]
    found = neighbours(posts)
    assert (found["a"].previous, found["a"].next) == (None, "b")
    assert (found["b"].previous, found["b"].next) == ("a", "c")
    assert (found["c"].previous, found["c"].next) == ("b", None)
    assert found["b"].category == "Worked"  # its first category decides
    # "b" is also in Basics, so the Basics post links to it, by date
    assert (found["basics"].previous, found["basics"].next) == (None, "b")


def test_same_day_posts_are_ordered_by_title_whatever_the_input_order():
    one = [post("x", 20, ["W"], "Beta"), post("y", 20, ["W"], "Alpha")]
    for posts in (one, one[::-1]):
        found = neighbours(posts)
        assert found["y"].next == "x" and found["x"].previous == "y"


def test_a_post_without_category_has_no_neighbours_and_keys_must_differ():
    assert neighbours([post("a", 1, [])]) == {}
    with pytest.raises(ValueError, match="given twice: a"):
        neighbours([post("a", 1, ["W"]), post("a", 2, ["W"])])
