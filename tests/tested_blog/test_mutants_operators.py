"""The operator set: cosmic-ray's chosen operators resolve, and the one added here
mutates augmented assignments as its examples say."""

from __future__ import annotations

import pytest
from cosmic_ray.mutating import mutate_code
from tested_blog.mutants.key import COSMIC_RAY
from tested_blog.mutants.operators import AugmentedAssignment, by_name, operators, short_name


def test_every_chosen_operator_exists_in_cosmic_ray():
    found = operators()
    assert [name for name, _ in found][: len(COSMIC_RAY)] == [short_name(n) for n in COSMIC_RAY]
    assert found[-1][0] == "AugmentedAssignment"
    for name, operator in found:
        assert type(by_name(name)) is type(operator)


@pytest.mark.parametrize("example", AugmentedAssignment.examples(), ids=str)
def test_augmented_assignment_examples(example):
    assert mutate_code(example.pre_mutation_code, AugmentedAssignment(), 0) == (
        example.post_mutation_code
    )


@pytest.mark.parametrize(
    "code, mutated",
    [("x -= 1", "x += 1"), ("x /= y", "x *= y"), ("x **= 2", None), ("f(a=-1)", None)],
)
def test_augmented_assignment_touches_only_its_four_operators(code, mutated):
    assert mutate_code(code, AugmentedAssignment(), 0) == mutated
