"""The grammar of embedded code: section markers in snippet files, references in pages.

One place for it, used by the build check (the ``tested/code`` plugin), the tests and the
benchmarks. The patterns are pymdownx.snippets' own (``SnippetPreprocessor``'s class
regexes), so what is checked here is what the extension will do when it embeds:

* a **marker** is ``--8<-- [start:name]`` or ``--8<-- [end:name]`` anywhere on a line of a
  snippet file (``# --8<-- [start:adam]`` in Python); a ``;`` right before the scissors
  escapes it. Names match case-sensitively, as pymdownx compares them.
* a **reference** in a page is ``--8<-- "path:name"`` on a line of its own, or a path per
  line between two bare ``--8<--`` lines; ``;`` in front escapes it. The path may end in
  ``:name`` (a section) or in line numbers ``:10:20`` (which this project rejects).
"""

from __future__ import annotations

import posixpath
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from pymdownx.snippets import SnippetPreprocessor

from tested_blog.text import lines as text_lines

MARKER = SnippetPreprocessor.RE_SNIPPET_SECTION  # groups: escape, type, name
REFERENCE = SnippetPreprocessor.RE_ALL_SNIPPETS  # groups: escape, snippet, block_marker
PATH_PARTS = SnippetPreprocessor.RE_SNIPPET_FILE  # groups: path, line numbers, :section


@dataclass(frozen=True)
class Marker:
    """One section marker: its 1-based line, ``"start"`` or ``"end"`` as written (pymdownx
    finds markers whatever their case but reads only lower-case ones), the section name."""

    line: int
    kind: str
    name: str
    in_code: bool = False  # after code on its line (inside a string): not a comment line


@dataclass(frozen=True)
class Reference:
    """One embed in a page: its 1-based line and the path as written (``file.py:name``)."""

    line: int
    text: str


# A marker line as a snippet file should hold it: a comment of its own (``# --8<-- …``).
_COMMENT_LINE = re.compile(r"^\s*(#|//|<!--)?\s*$")


def marker(line: str) -> Marker | None:
    """The marker on ``line`` (line number 0), or None if it has none or it is escaped."""
    m = MARKER.match(line) if "8<-" in line else None
    if m is None or m.group("escape"):
        return None
    in_code = not _COMMENT_LINE.match(m.group("pre"))
    return Marker(0, m.group("type"), m.group("name"), in_code)


def markers(text: str) -> list[Marker]:
    """Every (unescaped) section marker of a snippet file's ``text``, in order."""
    found = []
    for number, line in enumerate(text_lines(text), start=1):
        m = marker(line)
        if m is not None:
            found.append(Marker(number, m.kind, m.name, m.in_code))
    return found


def section_names(text: str) -> list[str]:
    """Names of the sections started in ``text``, in order of their start markers."""
    return [m.name for m in markers(text) if m.kind == "start"]


def marker_problems(text: str) -> list[tuple[int, str]]:
    """(line, what is wrong) for each marker pymdownx would embed wrongly or not at all:
    a start without an end (it embeds the rest of the file), an end without a start, a
    section started twice (only the first would ever show); and marker text that is not a
    comment line of its own (inside a string, after code), which pymdownx drops from the
    embedded code, line and all."""
    problems: list[tuple[int, str]] = []
    open_at: dict[str, int] = {}
    started: dict[str, int] = {}
    for m in markers(text):
        if m.kind not in ("start", "end"):
            problems.append(
                (
                    m.line,
                    f"[{m.kind}:{m.name}] is written in capitals, which pymdownx does not read"
                    f" as a marker: write [{m.kind.lower()}:{m.name}]",
                )
            )
            continue
        if m.in_code:
            problems.append(
                (
                    m.line,
                    "section marker text inside a line of code: pymdownx drops the whole line"
                    " from the embedded code; a marker must be a comment line of its own",
                )
            )
        if m.kind == "start":
            if m.name in started:
                problems.append(
                    (
                        m.line,
                        f"section '{m.name}' is started again (first "
                        f"started on line {started[m.name]}); names must "
                        "be unique in a file",
                    )
                )
                open_at.setdefault(m.name, m.line)  # its end is not reported a second time
                continue
            started[m.name] = open_at[m.name] = m.line
        elif m.name in open_at:
            del open_at[m.name]
        else:
            problems.append((m.line, f"[end:{m.name}] has no [start:{m.name}] before it"))
    for name, line in open_at.items():
        problems.append((line, f"[start:{name}] has no [end:{name}] after it"))
    return sorted(problems)


def section_body(text: str, name: str) -> str:
    """Section ``name`` of ``text`` as pymdownx embeds it with ``dedent_subsections``: the
    lines between its markers, nested marker lines dropped, dedented, no blank edges.
    Raises ValueError unless the section is marked exactly once, start before end."""
    own = [m for m in markers(text) if m.name == name]
    if [m.kind for m in own] != ["start", "end"]:
        raise ValueError(
            f"section {name!r} is not marked once with a start and then an end "
            f"(markers on lines {[m.line for m in own]})"
        )
    lines = text_lines(text)[own[0].line : own[1].line - 1]
    body = [line for line in lines if marker(line) is None]
    return textwrap.dedent("\n".join(body)).strip("\n")


def without_markers(text: str) -> str:
    """``text`` with every line that holds a section marker removed."""
    return "\n".join(line for line in text_lines(text) if marker(line) is None)


@dataclass(frozen=True)
class Embed:
    """One embed of a page: lines ``first`` to ``last`` (1-based; one line for the one-line
    form, the markers included for the block form), the indentation of its first line,
    and its references. ``closed``: False for a block whose end marker never comes."""

    first: int
    last: int
    indent: str
    refs: tuple[Reference, ...]
    closed: bool = True


def embeds(markdown: str) -> list[Embed]:
    """Every (unescaped) embed of a page's Markdown, one-line and block form, in order."""
    found: list[Embed] = []
    block: tuple[int, str, list[Reference]] | None = None  # first line, indent, refs
    lines = text_lines(markdown)
    for number, line in enumerate(lines, start=1):
        m = REFERENCE.match(line) if "8<-" in line else None
        if m and m.group("block_marker") and not m.group("escape"):
            if block is None:
                block = (number, m.group("space"), [])
            else:
                found.append(Embed(block[0], number, block[1], tuple(block[2])))
                block = None
        elif block is not None:
            written = line.strip()
            if written and not written.startswith(";"):
                block[2].append(Reference(number, written))
        elif m and m.group("snippet") and not m.group("escape"):
            one = Reference(number, m.group("snippet")[1:-1])
            found.append(Embed(number, number, m.group("space"), (one,)))
    if block is not None:
        found.append(Embed(block[0], len(lines), block[1], tuple(block[2]), closed=False))
    return found


# The start of an embed line, as an author writes one: pymdownx reads the line only if all of
# it is an embed (REFERENCE); otherwise the line is published as it is.
_EMBED_START = re.compile(r"^[ \t]*(?P<escape>;*)-{1,}8<-{1,}")


def unread_embeds(markdown: str) -> list[tuple[int, str, str]]:
    """(line, the line, why) for each line that starts like an embed, unescaped, which
    pymdownx does not read as one."""
    found = []
    for number, line in enumerate(text_lines(markdown), start=1):
        start = _EMBED_START.match(line) if "8<-" in line else None
        if start is None or start.group("escape") or REFERENCE.match(line):
            continue
        if REFERENCE.match(line.rstrip()):
            why = "(spaces after it: remove them)"
        elif re.match(r"^[ \t]*-{1,}8<-{1,}[ \t]*[^\s\"']", line):
            why = '(the path must be in quotes: --8<-- "path:section")'
        else:
            why = '(write --8<-- "path:section", or ;--8<-- to show the text itself)'
        found.append((number, line, why))
    return found


def references(markdown: str) -> list[Reference]:
    """Every (unescaped) snippet reference of a page's Markdown, with its line number."""
    return [ref for embed in embeds(markdown) for ref in embed.refs]


# A section named in running text: the embed syntax in inline code
# (`snippets/optim.py:adam_step`), or "the `adam_step` section of `snippets/optim.py`"
# (also "sections", "in", a list of names, "section `name` of", across a line break).
# Checked like an embed, so the prose cannot name a missing section.
_NAME = r"[A-Za-z_][\w-]*"
_PATH = r"[\w./-]+\.\w+"
_MENTION = re.compile(
    rf"`(?P<path>{_PATH}):(?P<name>{_NAME})`"
    rf"|(?P<names>`{_NAME}`(?:(?:,\s*|,?\s+and\s+|,?\s+or\s+)`{_NAME}`)*)"
    rf"\s+sections?\s+(?:of|in)\s+`(?P<of>{_PATH})`"
    rf"|\b[Ss]ection\s+`(?P<alone>{_NAME})`\s+(?:of|in)\s+`(?P<in>{_PATH})`"
)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)


def mentions(markdown: str, folders: Sequence[str]) -> list[Reference]:
    """Every section a page names in its text (not embeds) in a file of ``folders`` (the
    embeddable folders, relative to the site), as ``path:name``; not in fenced code or an
    HTML comment, where a name is an example or unpublished."""
    from tested_blog.fences import code_lines

    in_code = code_lines(markdown)
    hidden = [(m.start(), m.end()) for m in _HTML_COMMENT.finditer(markdown)]
    prefixes = tuple(folder.strip("/") + "/" for folder in folders)
    found = []
    for m in _MENTION.finditer(markdown):
        line = markdown.count("\n", 0, m.start()) + 1
        if line in in_code or any(a <= m.start() < b for a, b in hidden):
            continue
        if m["path"]:
            pairs = [(m["path"], m["name"])]
        elif m["of"]:
            pairs = [(m["of"], name) for name in re.findall(rf"`({_NAME})`", m["names"])]
        else:
            pairs = [(m["in"], m["alone"])]
        found += [
            Reference(line, f"{path}:{name}")
            for path, name in ((posixpath.normpath(path), name) for path, name in pairs)
            if path.startswith(prefixes)
        ]
    return found


def split_reference(ref: str) -> tuple[str, str | None, str | None]:
    """``(path, section or None, line numbers or None)`` of a reference's text."""
    path, lines, section = PATH_PARTS.match(ref).groups()
    return path, (section[1:] if section else None), lines
