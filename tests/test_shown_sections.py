"""Every section a page can embed is the bare algorithm: no argument checks, <= 30 lines.

The sections are read the way the site reads them, through pymdownx.snippets itself, so
this test sees exactly the code a reader sees.
"""

from __future__ import annotations

import io
import re
import tokenize

import pytest
from conftest import ROOT
from embedded import embedded
from tested_blog import sections

MAX_CODE_LINES = 30
SECTIONS = sorted(
    (path.relative_to(ROOT).as_posix(), name)
    for path in (ROOT / "snippets").glob("*.py")
    for name in sections.section_names(path.read_text(encoding="utf-8"))
)
CHECK_CALL = re.compile(r"\b_?check\w*\(|\bchecked_with\b|\bcheck_array\b")


def shown(path: str, name: str) -> str:
    return "\n".join(embedded(f"{path}:{name}")) + "\n"


def code_lines(source: str) -> int:
    """Lines holding code: not blank, not only a comment, not part of a docstring."""
    skip = set()
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    for i, tok in enumerate(tokens):
        previous = next(
            (
                t
                for t in reversed(tokens[:i])
                if t.type
                not in (
                    tokenize.NL,
                    tokenize.NEWLINE,
                    tokenize.INDENT,
                    tokenize.DEDENT,
                    tokenize.COMMENT,
                )
            ),
            None,
        )
        docstring = tok.type == tokenize.STRING and (previous is None or previous.string == ":")
        if docstring:
            skip.update(range(tok.start[0], tok.end[0] + 1))
    count = 0
    for number, line in enumerate(source.splitlines(), start=1):
        text = line.strip()
        if text and not text.startswith("#") and number not in skip:
            count += 1
    return count


def test_sections_are_found():
    assert len(SECTIONS) >= 40, SECTIONS


@pytest.mark.parametrize("path, name", SECTIONS, ids=[f"{p}:{n}" for p, n in SECTIONS])
def test_shown_section_is_the_bare_algorithm(path, name):
    source = shown(path, name)
    assert source.strip(), f"{path}:{name} is empty"
    checks = [line.strip() for line in source.splitlines() if CHECK_CALL.search(line)]
    assert not checks, f"{path}:{name} shows argument checks: {checks}"
    assert "ContextVar" not in source and "need_dx" not in source
    n = code_lines(source)
    assert n <= MAX_CODE_LINES, f"{path}:{name} has {n} lines of code (at most {MAX_CODE_LINES})"


def test_code_lines_skips_docstrings_comments_and_blank_lines():
    source = 'def f(x):\n    """Doc\n    more."""\n\n    # a comment\n    return x  # why\n'
    assert code_lines(source) == 2


def test_shown_adam_is_the_textbook_update():
    source = shown("snippets/optim.py", "adam_step")
    for line in ("m_hat = m / (1 - beta1**t)", "v_hat = v / (1 - beta2**t)"):
        assert line in source
