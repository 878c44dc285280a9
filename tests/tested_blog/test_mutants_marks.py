"""Equivalence marks, on the line or on a comment line above it."""

from __future__ import annotations

from tested_blog.mutants.marks import Mark, marks

TEXT = """\
# --8<-- [start:s]
def f(x):
    y = x * 1  # equivalent mutant (NumberReplacer): why one
    # equivalent mutant (ReplaceComparisonOperator_Gt_GtE): why two
    # (a second comment line)
    return y > 0
z = 3  # equivalent mutant (NumberReplacer)
# --8<-- [end:s]
w = 1  # equivalent mutant (NumberReplacer): outside the section
"""


def test_marks_on_the_line_and_above_it():
    assert marks(TEXT, 1, 8) == [
        Mark(3, "NumberReplacer", "why one"),
        Mark(6, "ReplaceComparisonOperator_Gt_GtE", "why two"),
        Mark(7, "NumberReplacer", ""),  # no reason: the verdict reports it
    ]
