"""tested_blog.post_meta: the date forms Material's blog reads, and the ones it crashes on."""

from __future__ import annotations

import datetime

import pytest
from tested_blog.post_meta import date_problems, misspelt_keys

DAY = datetime.date(2026, 1, 15)


@pytest.mark.parametrize(
    "date",
    [
        DAY,
        datetime.datetime(2026, 1, 15, 9, 30),
        {"created": DAY},
        {"created": DAY, "updated": DAY},
    ],
)
def test_the_forms_the_blog_reads_pass(date):
    assert date_problems({"date": date}) == []


@pytest.mark.parametrize(
    ("date", "problem"),
    [
        (None, "key 'date': missing"),
        ({"updated": DAY}, "needs a 'created' date"),
        ({"create": DAY, "updated": DAY}, "needs a 'created' date"),  # a misspelt key
        ({"created": DAY, "updated": datetime.date(2026, 1, 1)}, "updated (2026-01-01) is before"),
    ],
)
def test_the_forms_it_crashes_on_or_misreads_are_named(date, problem):
    (found,) = date_problems({} if date is None else {"date": date})
    assert found.startswith("key 'date'") and problem in found


def test_misspelt_keys_are_named_with_the_key_they_look_like():
    meta = {"drafts": True, "categorie": ["x"], "tag": ["y"], "date": DAY, "difficulty": 3}
    assert misspelt_keys(meta) == [
        "key 'drafts': the site does not read it (did you mean 'draft'?)",
        "key 'categorie': the site does not read it (did you mean 'categories'?)",
        "key 'tag': the site does not read it (did you mean 'tags'?)",
    ]  # 'difficulty' is the author's own key: left alone
    assert misspelt_keys({"draft": True, "description": "d", "slug": "s"}) == []
