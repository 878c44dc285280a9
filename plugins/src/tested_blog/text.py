"""Lines of a text file as everything that numbers them here does.

Python's tokenizer (and so coverage.py), Python-Markdown and pymdownx.snippets break lines
at ``\\n``, ``\\r\\n`` and ``\\r`` only. ``str.splitlines`` also breaks at form feeds, the
information separators and U+2028/U+2029, so a file holding one of those would be numbered
differently from the tests' record and from the page: a line could be credited to a test
that never ran it. Every reader of lines in this package uses ``lines``.
"""

from __future__ import annotations


def lines(text: str) -> list[str]:
    """``text``'s lines, without their line breaks (a final break ends the last line)."""
    found = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if found and found[-1] == "":
        found.pop()
    return found
