"""tested_blog.provenance.check: the state of a shown section against the record, and what
a strict build says about each state."""

from __future__ import annotations

import pytest
from tested_blog import sections
from tested_blog.provenance.check import Shown, check, missing_record_message, summary
from tested_blog.provenance.record import section_digest

TEXT = "x = 1\n# --8<-- [start:f]\ndef f():\n    return 1\n# --8<-- [end:f]\n"


def record(**entry) -> dict:
    base = {
        "sha256": section_digest(sections.section_body(TEXT, "f")),
        "start": 2,
        "statements": 1,
        "definitions": 1,
        "untested": [],
        "tests": 3,
        "passed": 3,
        "failed": 0,
        "other": 0,
        "failing": [],
        "examples": [{"id": "tests/t.py::test_f", "file": "tests/t.py", "line": 4}],
    }
    return {
        "format": 2,
        "measured": ["snippets/a.py"],
        "sections": {"snippets/a.py:f": {**base, **entry}},
    }


def state(rec: dict | None, text: str = TEXT) -> Shown:
    return check(rec, "snippets/a.py", "f", text)


def test_a_section_its_passing_tests_ran_is_passed_and_not_a_problem():
    shown = state(record())
    assert (shown.state, shown.tests, shown.passed, shown.problem()) == ("passed", 3, 3, None)
    assert (shown.first, shown.last) == (3, 4)  # the section's text, markers excluded
    assert shown.examples[0]["id"] == "tests/t.py::test_f"


@pytest.mark.parametrize(
    "rec, expected, says",
    [
        (
            record(failed=1, passed=2, failing=["tests/t.py::test_g"]),
            "failed",
            "failed in 1 of the 3 tests that executed it: tests/t.py::test_g",
        ),
        (record(tests=0, passed=0, examples=[]), "untested", "no passing test executed"),
        (record(tests=2, passed=0, other=2), "untested", "no passing test executed"),
        (record(sha256="0" * 64), "changed", "changed since the tests ran"),
        ({**record(), "sections": {}}, "changed", "changed since the tests ran"),
        ({**record(), "measured": []}, "unmeasured", "[tool.coverage.run] source"),
        (record(untested=[2]), "partial", "line(s) 4 that no passing test executed"),
    ],
)
def test_each_problem_state_says_why_the_strict_build_refuses_it(rec, expected, says):
    shown = state(rec)
    assert shown.state == expected
    assert says in shown.problem()


def test_untested_lines_follow_the_section_when_lines_above_it_change():
    shown = state(record(untested=[2]), "import os\n\n" + TEXT)
    assert shown.untested == (6,) and (shown.first, shown.last) == (5, 6)


def test_without_a_record_the_state_is_unrecorded_and_the_message_says_what_to_run():
    shown = state(None)
    assert shown.state == "unrecorded" and shown.problem() is None
    message = missing_record_message()
    assert "python -m pytest" in message and ".cache/provenance.json" in message
    assert missing_record_message("x.json is not valid JSON").startswith("x.json is not")


def test_the_summary_counts_each_shown_section_once():
    ok = state(record(statements=4, definitions=2))
    partial = check(
        record(untested=[2], statements=4),  # another section, one line untested
        "snippets/a.py",
        "f",
        TEXT,
    )
    line = summary([ok, ok])
    assert "1 shown section(s)" in line and "4 of 4 lines" in line and "2 def/class" in line
    assert "3 of 4 lines" in summary([partial]) and "1 section(s) with a problem" in summary(
        [partial]
    )
    assert "no record" in summary([state(None)])


def test_a_change_to_any_file_its_tests_ran_reopens_the_question():
    """The section's text is unchanged, but a helper it calls, or its test, is not: the
    record no longer speaks for it (a review kept "all passed" on a function whose
    checking decorator had changed)."""
    inputs = {"snippets/a.py": "d-a", "snippets/helper.py": "d-h", "tests/t.py": "d-t"}
    now = dict(inputs)
    rec = record(inputs=inputs)
    assert check(rec, "snippets/a.py", "f", TEXT, now.get).state == "passed"
    for changed in sorted(inputs):
        now = {**inputs, changed: "edited"}
        shown = check(rec, "snippets/a.py", "f", TEXT, now.get)
        assert (shown.state, shown.changed_input) == ("changed", changed)
        assert f"was recorded with {changed} as it was, which has changed since" in (
            shown.problem() or ""
        )
    gone = check(rec, "snippets/a.py", "f", TEXT, {**inputs, "tests/t.py": None}.get)
    assert gone.state == "changed"
    # a record without inputs (an older format) does not speak for the section either
    assert check(record(), "snippets/a.py", "f", TEXT, now.get).state == "changed"
