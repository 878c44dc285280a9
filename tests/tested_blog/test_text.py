"""tested_blog.text: lines numbered as Python, coverage.py and pymdownx number them."""

from __future__ import annotations

import ast

from tested_blog import sections
from tested_blog.text import lines

SOURCE = (
    "x = 1  # a form feed \x0c and a line separator \u2028 inside a line\r\n"
    "# --8<-- [start:shown]\n"
    "def f():\n"
    "    return x\n"
    "# --8<-- [end:shown]\n"
)


def test_only_newlines_break_lines():
    assert lines("a\x0cb\x1cc\u2028d\ne\r\nf\rg\n") == ["a\x0cb\x1cc\u2028d", "e", "f", "g"]
    assert lines("") == [] and lines("a") == ["a"] and lines("a\n\n") == ["a", ""]


def test_section_markers_are_on_the_lines_python_gives_the_code():
    """str.splitlines() would put the start marker on line 4 and the function on line 5,
    crediting a test with lines it never ran (found by a review)."""
    (start, end) = sections.markers(SOURCE)
    function = next(n for n in ast.walk(ast.parse(SOURCE)) if isinstance(n, ast.FunctionDef))
    assert (start.line, function.lineno, end.line) == (2, 3, 5)
    assert sections.section_body(SOURCE, "shown") == "def f():\n    return x"
