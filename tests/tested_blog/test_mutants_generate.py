"""The mutants of a section: only its lines, cosmic-ray's operators plus augmented
assignments, never a signature's ``*``; each one made again from the text alone."""

from __future__ import annotations

import pytest
from tested_blog.mutants.generate import Mutant, change, mutants, mutated

SOURCE = """\
def outside(a, b):
    return a + b


# --8<-- [start:shown]
def shown(x, *, scale=2, **options):
    total = 0
    for value in x:
        total += value * scale
    return total if total > 0 else -total
# --8<-- [end:shown]
"""
START, END = 5, 11  # the marker lines


def test_only_the_sections_lines_are_mutated():
    found = mutants(SOURCE, START, END)
    assert found and all(START < m.line < END for m in found)
    assert not any(m.line == 2 for m in found)  # `a + b` lies outside the section


def test_the_kinds_of_change_on_each_line():
    by_line: dict[int, set[str]] = {}
    for m in mutants(SOURCE, START, END):
        by_line.setdefault(m.line, set()).add(m.operator)
    # the default 2 (one up, one down); the bare `*` and `**options` are not operators
    assert by_line[6] == {"NumberReplacer"}
    assert by_line[7] == {"NumberReplacer"}
    assert by_line[8] == {"ZeroIterationForLoop"}
    assert by_line[9] == {"AugmentedAssignment", "ReplaceBinaryOperator_Mul_Div"}
    assert by_line[10] == {
        "AddNot",  # the conditional expression's condition negated
        "ReplaceComparisonOperator_Gt_GtE",
        "NumberReplacer",
        "ReplaceUnaryOperator_USub_UAdd",
    }


@pytest.mark.parametrize(
    "operator, before, after",
    [
        ("AugmentedAssignment", "total += value * scale", "total -= value * scale"),
        ("ReplaceBinaryOperator_Mul_Div", "total += value * scale", "total += value / scale"),
        ("ZeroIterationForLoop", "for value in x:", "for value in []:"),
        (
            "ReplaceUnaryOperator_USub_UAdd",
            "return total if total > 0 else -total",
            "return total if total > 0 else +total",
        ),
    ],
)
def test_each_mutant_is_made_again_from_the_text(operator, before, after):
    (mutant,) = [m for m in mutants(SOURCE, START, END) if m.operator == operator]
    assert change(SOURCE, mutant) == (before, after)
    code = mutated(SOURCE, mutant)
    assert code != SOURCE and code.count("\n") == SOURCE.count("\n")
    compile(code, "mutant.py", "exec")


def test_a_mutant_that_is_not_in_the_text_is_refused():
    with pytest.raises(ValueError, match="not a position"):
        mutated(SOURCE, Mutant("AugmentedAssignment", 5, 9))
