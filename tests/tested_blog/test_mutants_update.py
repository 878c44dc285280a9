"""The mutation pass on a small project of its own: each mutant's outcome, the results
kept in the record, and nothing run again while nothing changed."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from provenance_runs import write_project

PYPROJECT = """\
[tool.pytest.ini_options]
testpaths = ["tests"]
addopts = "-p no:xdist --cov --cov-context=test --cov-report="
provenance_record = "record.json"
provenance_mutants = false

[tool.coverage.run]
source = ["pkg"]
"""
CALC = """\
# --8<-- [start:double]
def double(x):
    return 2 * x
# --8<-- [end:double]


# --8<-- [start:countdown]
def countdown(n):
    steps = 0
    while n > 0:
        n -= 1
        steps += 1
    return steps
# --8<-- [end:countdown]


# --8<-- [start:half]
def half(x):
    return x / 2
# --8<-- [end:half]
"""
TESTS = """\
from pkg.calc import countdown, double, half


def test_double():
    assert double(3) == 6


def test_countdown():
    assert countdown(3) == 3


def test_half_is_positive():
    assert half(4) > 0  # too weak to pin the line
"""


def mutants_run(root, *args):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tested_blog.mutants",
            "--root",
            str(root),
            "--record",
            "record.json",
            "--time-limit-floor",
            "1",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.strip()


def project_after_its_tests(root, tests: str):
    """pkg/calc.py (CALC) with the test module ``tests``, under ``root``, after its own
    test run has written its record (without the mutants: mutants_run runs them)."""
    write_project(
        root,
        {
            "pkg/__init__.py": "",
            "pkg/calc.py": CALC,
            "tests/test_calc.py": tests,
            "pyproject.toml": PYPROJECT,
        },
    )
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--basetemp", str(root.parent / f"{root.name}-tmp")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return root


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = project_after_its_tests(tmp_path_factory.mktemp("mutants-project"), TESTS)
    first = mutants_run(root)
    record = json.loads((root / "record.json").read_text())
    return root, first, record["sections"]


def test_every_mutant_of_a_pinned_section_is_caught(project):
    _, _, sections = project
    double = sections["pkg/calc.py:double"]["mutants"]
    # 2 -> 3, 2 -> 1, * -> /
    assert (double["total"], double["caught"], double["survived"]) == (3, 3, [])


def test_a_loop_that_no_longer_ends_is_timed_out_and_counts_as_caught(project):
    _, _, sections = project
    countdown = sections["pkg/calc.py:countdown"]["mutants"]
    assert countdown["survived"] == []
    # `n -= 1` made `n += 1`, or `n -= 0`: the loop never ends
    assert countdown["timed_out"] == 2
    assert countdown["caught"] + countdown["crashed"] + countdown["timed_out"] == countdown["total"]


def test_a_weak_test_leaves_survivors_named_by_line_and_change(project):
    _, first, sections = project
    half = sections["pkg/calc.py:half"]["mutants"]
    changes = {(s["line"], s["before"], s["after"]) for s in half["survived"]}
    assert changes == {
        (2, "return x / 2", "return x * 2"),
        (2, "return x / 2", "return x / 3"),
        (2, "return x / 2", "return x / 1"),
    }
    assert first.startswith("mutants: ") and "3 survived" in first


def test_nothing_runs_again_while_nothing_changed(project):
    root, _, _ = project
    assert mutants_run(root) == "mutants: the results of all 3 sections are current"


def test_again_runs_every_section_all_the_same(project):
    root, first, _ = project
    again = mutants_run(root, "--again")
    # the same outcome as the first run (only the time differs)
    assert again.split(" (")[0] == first.split(" (")[0]
    assert again.split("; ", 1)[1] == first.split("; ", 1)[1]


def test_a_file_edited_since_the_tests_ran_waits_for_the_next_test_run(project, tmp_path):
    root, _, _ = project
    record = json.loads((root / "record.json").read_text())
    for entry in record["sections"].values():
        del entry["mutants"]
    copy = tmp_path / "record.json"
    copy.write_text(json.dumps(record))
    calc = root / "pkg" / "calc.py"
    calc.write_text(CALC.replace("return 2 * x", "return x + x"))
    try:
        line = mutants_run(root, "--record", str(copy))
    finally:
        calc.write_text(CALC)
    # the record describes the tests' run of the old text: nothing to run against the new
    assert line == "mutants: nothing run; 3 section(s) wait for the next test run"
    assert all("mutants" not in e for e in json.loads(copy.read_text())["sections"].values())


ORDERED_TESTS = """\
import time

from pkg.calc import double

STATE = {}


def test_a_prepares():
    time.sleep(0.3)  # the slower one: the mutants' runs put it second
    STATE["ready"] = True
    assert isinstance(double(1), int)


def test_b_needs_the_other_first():
    assert STATE.get("ready") and isinstance(double(2), int)
"""


def test_tests_that_pass_only_in_one_order_are_an_error_not_a_catch(tmp_path):
    # In id order they pass; in the order the mutants' runs use (fastest first) the second
    # fails whatever the code does, which would count every mutant as caught.
    root = project_after_its_tests(tmp_path / "ordered", ORDERED_TESTS)
    line = mutants_run(root)
    assert "could not be run" in line
    result = json.loads((root / "record.json").read_text())["sections"]["pkg/calc.py:double"]
    assert "they pass in one order and fail in another" in result["mutants"]["error"]


@pytest.mark.parametrize("workers", ["-p no:xdist", "-n 1"])
def test_the_mutants_progress_starts_on_a_line_of_its_own(tmp_path, workers):
    """Found by a new author: the mutants' first line came right after pytest's "[100%]"
    (with pytest-xdist too, as this repository's own run has it)."""
    root = project_after_its_tests(tmp_path / "project", TESTS)
    pyproject = root / "pyproject.toml"
    text = pyproject.read_text().replace("provenance_mutants = false", "provenance_mutants = true")
    pyproject.write_text(text.replace('addopts = "-p no:xdist ', f'addopts = "{workers} '))
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--basetemp", str(tmp_path / "run")],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout
    assert "%]mutants" not in done.stdout, done.stdout
    assert re.search(r"^mutants: ", done.stdout, re.M), done.stdout
