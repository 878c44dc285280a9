"""The runner on a small project: each way a mutant's run can end, and a baseline's
record of its tests' times. It forks, so it runs in a process of its own here."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from provenance_runs import write_project

MODULE = """\
LIMIT = [0] * 2
SIZES = (1, 2)


def merged(a, b):
    return {**a, **b}


def clamp(x):
    return min(max(x, 0), 10)


def spin(n):
    while n > 0:
        n -= 1
    return n


def inverse(x):
    return 1 / (x - 1)
"""
TESTS = """\
import subprocess

import pytest

from pkg.mod import SIZES, clamp, inverse, merged, spin

INVERSES = [inverse(2)]  # computed when the module is collected

# a process of the tests' own, started on import: not the runner's to wait for
HELPER = subprocess.Popen(["sleep", "0.2"])


@pytest.mark.parametrize("n", SIZES)
def test_sizes(n):
    assert n > 0


def test_inverse():
    assert INVERSES == [1.0]


def test_merged():
    assert merged({"a": 1}, {"b": 2}) == {"a": 1, "b": 2}


def test_clamp():
    assert clamp(-5) == 0 and clamp(50) == 10


def test_spin():
    assert spin(3) == 0


def test_clamp_runs():
    clamp(5)  # asserts nothing
"""
DRIVER = """\
import json, sys
from pathlib import Path
from tested_blog.mutants.generate import Mutant, change, mutants
from tested_blog.mutants.runner import Job, run, warm

root = Path.cwd()
text = (root / "pkg" / "mod.py").read_text()
def mutant(operator, line):
    return next(m for m in mutants(text, 0, 99) if (m.operator, m.line) == (operator, line))
def changed_to(after):
    return next(m for m in mutants(text, 0, 99) if change(text, m)[1] == after)
module = dict(module="pkg.mod", path=str(root / "pkg" / "mod.py"), text=text, timeout=3.0)
jobs = [
    Job(("tests/test_mod.py::test_clamp",), durations=str(root / "durations.json"), **module),
    Job(("tests/test_mod.py::test_clamp",), mutant=mutant("NumberReplacer", 10), **module),
    Job(("tests/test_mod.py::test_clamp_runs",), mutant=mutant("NumberReplacer", 10), **module),
    Job(("tests/test_mod.py::test_clamp",), mutant=mutant("ReplaceBinaryOperator_Mul_Div", 1),
        **module),
    Job(("tests/test_mod.py::test_spin",), mutant=mutant("AugmentedAssignment", 15), **module),
    Job(("tests/test_mod.py::test_clamp",), mutant=Mutant("NumberReplacer", 99, 10), **module),
    Job(("tests/test_mod.py::test_clamp",), mutant=mutant("NumberReplacer", 10),
        **{**module, "module": "mod"}),
    Job(("tests/test_mod.py::test_merged",), mutant=mutant("ReplaceBinaryOperator_Pow_Mul", 6),
        **module),
    Job(("tests/test_mod.py::test_sizes[1]",), mutant=mutant("NumberReplacer", 2), **module),
    Job(("tests/test_mod.py::test_inverse",), mutant=changed_to("return 1 / (x - 2)"), **module),
]
scratch = root / "scratch"
warm(root, ["tests/test_mod.py"], scratch)
print(json.dumps([o.state for o in run(root, jobs, 2, scratch)]))
"""


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    root = write_project(
        tmp_path_factory.mktemp("runner-project"),
        {
            "pkg/__init__.py": "",
            "pkg/mod.py": MODULE,
            "tests/test_mod.py": TESTS,
            "pyproject.toml": '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
        },
    )
    done = subprocess.run(
        [sys.executable, "-c", DRIVER], cwd=root, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1]), root


def test_the_code_as_written_passes_and_its_times_are_kept(outcomes):
    states, root = outcomes
    assert states[0] == "survived"  # exit 0: the baseline passes
    times = json.loads((root / "durations.json").read_text())
    assert times["passed"] == ["tests/test_mod.py::test_clamp"]
    assert set(times["seconds"]) == {"tests/test_mod.py::test_clamp"}


def test_a_checking_test_catches_what_a_running_test_lets_survive(outcomes):
    states, _ = outcomes
    assert states[1] == "caught"  # clamp's 0 made 1: clamp(-5) == 0 fails
    assert states[2] == "survived"  # the same mutant, a test that asserts nothing


def test_a_module_that_no_longer_imports_has_crashed(outcomes):
    states, _ = outcomes
    assert states[3] == "crashed"  # [0] / 2 raises at import


def test_a_loop_that_no_longer_ends_times_out(outcomes):
    states, _ = outcomes
    assert states[4] == "timed out"  # n += 1


def test_a_mutant_that_cannot_be_made_is_an_error_not_a_catch(outcomes):
    states, _ = outcomes
    assert states[5] == "error"


def test_a_mutant_the_tests_never_imported_is_an_error_not_a_survivor(outcomes):
    states, _ = outcomes
    assert states[6] == "error"  # served as `mod`, imported as `pkg.mod`: the tests passed


def test_a_mutant_that_does_not_compile_is_not_counted(outcomes):
    states, _ = outcomes
    assert states[7] == "invalid"  # {**a, **b} made {*a, **b}: no program to test


def test_a_mutant_that_changes_which_tests_exist_is_an_error_not_a_catch(outcomes):
    states, _ = outcomes
    assert states[8] == "error"  # SIZES = (2, 2): there is no test_sizes[1] to run


def test_a_mutant_that_raises_while_the_tests_are_collected_is_caught(outcomes):
    states, _ = outcomes
    assert states[9] == "crashed"  # inverse(2) divides by zero when test_mod.py is imported


def test_the_checkout_is_left_as_it_was(outcomes):
    _, root = outcomes
    assert (root / "pkg" / "mod.py").read_text() == MODULE
