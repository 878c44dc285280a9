"""Equivalence marks: the author's note that a surviving mutant cannot change any result.

Some mutants compute the same thing as the code (``x ** 2`` and ``x * x`` would be one;
a bound checked twice another). No test can catch them, so the author marks the line with
a comment naming the operator and the reason, and the tested-by line counts the mutant as
equivalent instead of failing the build::

    scale = 1.0 / n  # equivalent mutant (NumberReplacer): ...the reason...

or, when the line is long, on a comment line of its own just above it::

    # equivalent mutant (ReplaceComparisonOperator_Gt_GtE): at x = 0 both branches give 0
    return np.where(x > 0, x, alpha * x)

The mark covers the mutants of that operator on its line. A mark with no reason, with an
operator this build does not use, or on a line where the tests catch every mutant of the
operator is itself a problem (the build names it), so marks cannot outlive their reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tested_blog.text import lines as text_lines

MARK = re.compile(r"#\s*equivalent mutant\s*\((?P<operator>[^)]*)\)\s*:?(?P<reason>.*)$")


@dataclass(frozen=True)
class Mark:
    line: int  # 1-based line of the file: the code line the mark is about
    operator: str
    reason: str


def marks(text: str, start: int, end: int) -> list[Mark]:
    """The marks about the lines strictly between lines ``start`` and ``end`` of ``text``
    (a mark on a comment line is about the next line that is not a comment)."""
    lines = text_lines(text)
    found = []
    for number, line in enumerate(lines, start=1):
        if not (start < number < end and (m := MARK.search(line))):
            continue
        target = number
        while line.lstrip().startswith("#") and target < len(lines):
            target += 1
            line = lines[target - 1]
        found.append(Mark(target, m.group("operator").strip(), m.group("reason").strip()))
    return found
