"""A mutation result holds while everything it depends on is unchanged."""

from __future__ import annotations

import copy

import pytest
from tested_blog.mutants.key import carry, current, mutation_key, operator_names, wanted

ENTRY = {
    "sha256": "abc",
    "inputs": {"pkg/m.py": "1", "tests/test_m.py": "2"},
    "covered_by": ["tests/test_m.py::b", "tests/test_m.py::a"],
    "passed": 2,
    "failed": 0,
    "untested": [],
}


@pytest.mark.parametrize(
    "change",
    [
        lambda e: e.update(sha256="abd"),  # the section's text
        lambda e: e["inputs"].update({"pkg/helper.py": "3"}),  # a module its tests ran
        lambda e: e["inputs"].update({"tests/test_m.py": "9"}),  # a test
        lambda e: e["covered_by"].append("tests/test_m.py::c"),  # another test runs it
    ],
)
def test_the_key_follows_the_text_the_inputs_and_the_tests(change):
    other = copy.deepcopy(ENTRY)
    change(other)
    assert mutation_key(other) != mutation_key(ENTRY)


def test_the_order_of_the_tests_does_not_matter():
    other = copy.deepcopy(ENTRY)
    other["covered_by"].reverse()
    assert mutation_key(other) == mutation_key(ENTRY)


def test_results_carry_over_only_while_their_key_holds():
    result = {"key": mutation_key(ENTRY), "total": 3, "caught": 3, "survived": []}
    previous = {
        "sections": {
            "m:kept": {**ENTRY, "mutants": result},
            "m:edited": {**ENTRY, "mutants": result},
        }
    }
    record = {"sections": {"m:kept": copy.deepcopy(ENTRY), "m:edited": {**ENTRY, "sha256": "new"}}}
    assert carry(previous, record) == 1
    assert current(record["sections"]["m:kept"])
    assert "mutants" not in record["sections"]["m:edited"]
    assert carry(None, record) == 0


def test_a_run_that_could_not_be_made_is_tried_again():
    failed = {**ENTRY, "mutants": {"key": mutation_key(ENTRY), "error": "its tests fail"}}
    assert not current(failed)


@pytest.mark.parametrize(
    "entry, expected",
    [
        (ENTRY, True),
        ({**ENTRY, "failed": 1}, False),  # a failing test: the build refuses it anyway
        ({**ENTRY, "untested": [3]}, False),  # a line no test ran
        ({**ENTRY, "passed": 0}, False),
    ],
)
def test_which_sections_are_run(entry, expected):
    assert wanted(entry) is expected


def test_operator_names_are_short():
    names = operator_names()
    assert "NumberReplacer" in names and "AugmentedAssignment" in names
    assert not any(n.startswith("core/") for n in names)
