"""sitebuild.post_dates: the date forms Material's blog reads, and the ones it crashes on."""

from __future__ import annotations

import datetime

import pytest

from sitebuild.post_dates import date_problems

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
