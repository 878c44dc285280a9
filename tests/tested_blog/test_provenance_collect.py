"""tested_blog.provenance.collect: which runs count as the full suite, and how the phases of
a test's reports make one outcome. (A real run in a copy:
tests/tested_blog/test_provenance_site.py.)"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from tested_blog.provenance.collect import Recorder, covers_suite, selects_part

ROOT = Path("/repo")


@pytest.mark.parametrize(
    "args, cwd, full",
    [
        (["tests"], ROOT, True),
        (["."], ROOT, True),
        ([".."], ROOT / "docs", True),
        (["tests/test_a.py"], ROOT, False),
        (["tests/test_a.py::test_x"], ROOT, False),
        (["tests", "tests/test_a.py::test_x"], ROOT, False),
        (["docs"], ROOT, False),
    ],
)
def test_only_arguments_that_take_in_every_test_path_are_the_full_suite(args, cwd, full):
    assert covers_suite(args, ["tests"], cwd, ROOT) is full


def test_without_testpaths_the_full_suite_is_the_root():
    assert covers_suite(["."], [], ROOT, ROOT)
    assert not covers_suite(["tests"], [], ROOT, ROOT)


def report(when: str, outcome: str, **extra) -> pytest.TestReport:
    return pytest.TestReport(
        "tests/test_a.py::test_x",
        ("tests/test_a.py", 11, "test_x"),
        {},
        outcome,
        None,
        when,
        **extra,
    )


@pytest.mark.parametrize(
    "phases, expected",
    [
        ([("setup", "passed"), ("call", "passed"), ("teardown", "passed")], "passed"),
        ([("setup", "passed"), ("call", "failed"), ("teardown", "passed")], "failed"),
        ([("setup", "passed"), ("call", "passed"), ("teardown", "failed")], "failed"),
        ([("setup", "failed"), ("teardown", "passed")], "failed"),
        ([("setup", "skipped"), ("teardown", "passed")], "other"),
        ([("setup", "passed"), ("call", "skipped"), ("teardown", "passed")], "other"),
    ],
)
def test_one_outcome_per_test_from_its_phases(phases, expected):
    recorder = Recorder()
    for when, outcome in phases:
        recorder.pytest_runtest_logreport(report(when, outcome))
    result = recorder.results["tests/test_a.py::test_x"]
    assert (result.outcome, result.file, result.line) == (expected, "tests/test_a.py", 12)


def test_an_unexpected_pass_is_not_counted_as_passing():
    recorder = Recorder()
    recorder.pytest_runtest_logreport(report("call", "passed", wasxfail="flaky"))
    assert recorder.results["tests/test_a.py::test_x"].outcome == "other"


@pytest.mark.parametrize(
    "options, part",
    [
        ({}, False),
        ({"keyword": "", "markexpr": "", "deselect": [], "lf": False}, False),
        ({"keyword": "double"}, True),
        ({"markexpr": "not browser"}, True),
        ({"deselect": ["tests/test_a.py::test_x"]}, True),
        ({"lf": True}, True),
        ({"stepwise": True}, True),
        ({"ignore": ["tests/test_a.py"]}, True),
        ({"ignore_glob": ["*_a.py"]}, True),
        # another definition of what a test is (a review recorded such a run as full)
        ({"override_ini": ["python_files=test_optim.py"]}, True),
        ({"override_ini": ["python_functions = test_adam*"]}, True),
        ({"override_ini": ["tmp_path_retention_policy=all"]}, False),
        ({"inifilename": "/elsewhere/pytest.ini"}, True),  # -c: another configuration
    ],
)
def test_options_that_pick_some_tests_make_a_partial_run(options, part):
    # Under pytest-xdist only the workers see the deselection; the main process, which
    # writes the record, goes by the options (tests/tested_blog/test_provenance_site.py runs
    # it for real).
    assert selects_part(SimpleNamespace(**options)) is part


def fake_session() -> SimpleNamespace:
    """Just what Recorder.why_not reads before it looks at the run's losses."""
    option = SimpleNamespace(
        cov_source=["snippets"], no_cov=False, cov_context="test", collectonly=False
    )
    return SimpleNamespace(config=SimpleNamespace(option=option))


def test_a_collection_error_or_a_crashed_worker_makes_the_run_partial():
    recorder = Recorder()
    recorder.pytest_runtest_logreport(report("call", "passed"))
    failed = pytest.CollectReport("tests/test_b.py", "failed", "ImportError", [])
    recorder.pytest_collectreport(failed)
    assert recorder.why_not(fake_session(), 1) == (
        "the run lost tests: tests/test_b.py could not be collected"
    )
    crashed = Recorder()
    crashed.pytest_runtest_logreport(report("call", "passed"))
    crashed.pytest_testnodedown(SimpleNamespace(gateway=SimpleNamespace(id="gw1")), None)
    assert not crashed.broken  # a worker that ended normally
    crashed.pytest_testnodedown(SimpleNamespace(gateway=SimpleNamespace(id="gw1")), "killed")
    assert crashed.why_not(fake_session(), 1) == "the run lost tests: test worker gw1 crashed"


@pytest.mark.parametrize("turned_on", [False, True])
def test_the_installed_plugin_records_only_where_a_project_turns_it_on(tmp_path, turned_on):
    """Installed with the plugins (the pytest11 entry point), it stays silent in any other
    project's test run; provenance_record (the record's path) turns it on."""
    import subprocess
    import sys

    ini = 'provenance_record = "out/record.json"\n' if turned_on else ""
    (tmp_path / "pyproject.toml").write_text(f"[tool.pytest.ini_options]\n{ini}")
    (tmp_path / "test_one.py").write_text("def test_one():\n    assert True\n")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout
    said = [line for line in run.stdout.splitlines() if line.startswith("provenance:")]
    if turned_on:
        assert len(said) == 1 and said[0].startswith("provenance: not recorded: coverage is off")
    else:
        assert said == [], run.stdout
