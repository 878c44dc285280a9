"""Where a page's fenced code blocks are, read as pymdownx.superfences reads them.

A fence opens on a line that is, after its indentation, three or more backticks or tildes
with an optional language, attributes or options (superfences' own pattern), and closes on
the first later line holding the same run of fence characters and nothing else. One reader
for every part of the machinery that must not look inside code: the embeds that get a
tested-by line, quiz headings, the excerpt separator and the links of an excerpt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pymdownx.superfences import NESTED_FENCE_END, RE_NESTED_FENCE_START

from tested_blog.text import lines as text_lines


@dataclass(frozen=True)
class Fence:
    start: int  # line number (from 1) of the opening fence
    end: int  # line number of the closing fence; the last line when it is never closed
    indent: str  # what precedes the fence characters on the opening line
    closed: bool = True


def fences(markdown: str) -> list[Fence]:
    """Every fenced block of ``markdown``, in order."""
    lines = text_lines(markdown)
    found: list[Fence] = []
    opened: tuple[int, str, re.Pattern[str]] | None = None
    for number, line in enumerate(lines, start=1):
        content = line.lstrip(" \t")
        if opened is None:
            start = RE_NESTED_FENCE_START.match(content)
            if start:
                closing = re.compile(NESTED_FENCE_END % start.group("fence"))
                opened = (number, line[: len(line) - len(content)], closing)
        elif opened[2].match(content):
            found.append(Fence(opened[0], number, opened[1]))
            opened = None
    if opened is not None:
        found.append(Fence(opened[0], len(lines), opened[1], closed=False))
    return found


def code_lines(markdown: str) -> set[int]:
    """The numbers (from 1) of the lines that belong to a fenced block, fences included."""
    return {n for fence in fences(markdown) for n in range(fence.start, fence.end + 1)}
