"""The "tested by" line under each embedded block, in a page's Markdown.

``embedded_blocks`` finds the code fences of a page that hold ``--8<--`` references to
sections (fences as ``tested_blog.fences`` reads them, references as
``tested_blog.sections`` does); ``insert_after`` puts a paragraph, indented like the fence,
right after each such fence, so it stays inside a collapsible answer or a tab. The
paragraph (``line``) is one short sentence with the class ``tested-by`` and Material's
``data-search-exclude`` (search results should show the answer, not this line).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from tested_blog import sections
from tested_blog.fences import fences
from tested_blog.provenance import TEST_COMMAND
from tested_blog.provenance.check import Shown
from tested_blog.text import lines as text_lines

CLASS = "tested-by"
EXAMPLES_WIDTH = 56  # characters of test names the line shows at most, past the first


@dataclass(frozen=True)
class Block:
    """A fence that embeds sections: its closing line (0-based), indentation, references."""

    end: int
    indent: str
    refs: tuple[sections.Reference, ...]


@dataclass(frozen=True)
class Links:
    """Where links to sources point: ``repository`` (a GitHub-style URL, or None for no
    links) at ``commit`` (a commit id, or ``HEAD``)."""

    repository: str | None
    commit: str = "HEAD"

    def blob(self, path: str, first: int | None, last: int | None = None) -> str | None:
        if not self.repository:
            return None
        anchor = "" if first is None else f"#L{first}" + (f"-L{last}" if last else "")
        return f"{self.repository.rstrip('/')}/blob/{self.commit}/{quote(path)}{anchor}"


def embedded_blocks(markdown: str) -> list[Block]:
    """Every closed fence of ``markdown`` whose content has a reference to a section."""
    refs: dict[int, sections.Reference] = {
        r.line: r for r in sections.references(markdown) if sections.split_reference(r.text)[1]
    }
    blocks = []
    for fence in fences(markdown):
        inside = tuple(refs[n] for n in range(fence.start + 1, fence.end) if n in refs)
        if fence.closed and inside:
            blocks.append(Block(fence.end - 1, fence.indent, inside))
    return blocks


def insert_after(markdown: str, blocks: Sequence[Block], paragraph: Callable[[Block], str]) -> str:
    """``markdown`` with ``paragraph(block)`` after each block's fence, indented like it."""
    lines = text_lines(markdown)
    for block in sorted(blocks, key=lambda b: b.end, reverse=True):
        added = ["", *(block.indent + p if p else "" for p in text_lines(paragraph(block)))]
        if block.end + 1 < len(lines) and lines[block.end + 1].strip():
            added.append("")
        lines[block.end + 1 : block.end + 1] = added
    return "\n".join(lines) + ("\n" if markdown.endswith("\n") else "")


def _code(text: str) -> str:
    ticks = "``" if "`" in text else "`"
    pad = " " if ticks == "``" else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _link(text: str, url: str | None, title: str | None = None) -> str:
    if url is None:
        return text
    shown_title = f' "{title.replace(chr(34), chr(39))}"' if title else ""
    return f"[{text}]({url}{shown_title})"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def sentence(shown: Shown, links: Links) -> str:
    """What the line says about one section (Markdown, one line)."""
    picked = list(shown.examples[:1])
    if (
        len(shown.examples) > 1
        and sum(len(e["id"].split("::")[-1]) for e in shown.examples[:2]) <= EXAMPLES_WIDTH
    ):
        picked.append(shown.examples[1])  # a second example only while the line stays short
    examples = ", ".join(
        _link(_code(e["id"].split("::")[-1]), links.blob(e["file"], e.get("line")), e["id"])
        for e in picked
    )
    if shown.state == "unrecorded":
        text = (
            f"Not yet tested here: the tests have not been run in this checkout "
            f"({_code(TEST_COMMAND)} records which tests run this code)"
        )
    elif shown.state == "unmeasured":
        text = "Not tested: the tests do not measure this file"
    elif shown.state == "changed":
        text = "Not tested as shown: this code changed after the tests last ran"
    elif shown.state == "untested":
        text = "Not tested: no passing test runs this code"
    elif shown.state == "failed":
        text = (
            f"Failing: {shown.failed} of the {_plural(shown.tests, 'test')} that run "
            f"this code failed ({', '.join(_code(t) for t in shown.failing[:2])})"
        )
    else:
        if shown.passed == shown.tests:
            text = f"Tested by {_plural(shown.tests, 'test')}, all passed"
        else:
            text = (
                f"Tested by {_plural(shown.tests, 'test')}: {shown.passed} passed, "
                f"{shown.other} skipped"
            )
        if shown.state == "partial":
            text += f", but {_plural(len(shown.untested), 'line')} ran in none"
        if examples:
            text += f", e.g. {examples}"
        if shown.mutation is not None and shown.mutation.figure():
            # one unbreakable phrase: "16/16 mutants caught" never splits across lines
            text += " · " + shown.mutation.figure().replace(" ", "\u00a0")
    source = _link(_code(shown.key), links.blob(shown.path, shown.first, shown.last))
    return f"{text} · {source}"


def line(shown: Sequence[Shown], links: Links) -> str:
    """The paragraph under a block that shows the sections ``shown`` (Markdown)."""
    states = sorted({s.state for s in shown})
    classes = " ".join(f".{CLASS}--{s}" for s in states)
    body = "  \n".join(sentence(s, links) for s in shown)  # a line break between sections
    return f"{body}\n{{: .{CLASS} {classes} data-search-exclude }}"
