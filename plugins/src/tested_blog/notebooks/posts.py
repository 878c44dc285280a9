"""Notebook posts: which files are posts, their cells, and their front matter.

A notebook post is a jupytext percent script (``.py``) or an ``.ipynb`` in the blog's
posts folder whose first cell is the post's front matter, the same YAML as a Markdown
post's between ``---`` lines (in a percent script: the ``# ---`` header lines). A file
whose name starts with ``_`` is not a post: it is a helper the posts can import or read.

Front matter is checked here, before any kernel starts, with the blog plugin's own rules
(Material's ``PostConfig``) plus the ones the blog and tags plugins apply later: known
authors, allowed categories, tags as a list of strings, and the slug rule.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..front_matter import FrontMatterError, load
from ..post_meta import date_problems, misspelt_keys
from ..slugs import slug_problem
from .errors import NotebookPostError

SUFFIXES = (".py", ".ipynb")
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*\Z", re.DOTALL)
# jupytext's header of a percent script: the leading block of '# ' lines between '# ---'
# lines (group 1: the lines between)
PERCENT_HEADER = re.compile(r"(?:[ \t]*\n)*# ---[ \t]*\n((?:#.*\n)*?)# ---[ \t]*(?:\n|\Z)")
# jupytext's cell markers in a percent script (the patterns of its percent reader): where
# each cell starts in the source. '# %% options', '#%%', '  # %%'; and alone on a line,
# '# In[ ]:' and '# <codecell>'.
PERCENT_MARKER = re.compile(r"^\s*#\s*%%(%*)\s(?P<options>.*)$")
BARE_MARKER = re.compile(r"^\s*#\s*(%%|<codecell>|In\[[0-9 ]*\]:?)\s*$")
# the kind of a cell that is not code: '# %% [markdown]', '# %% Title [raw]'
TEXT_CELL_KIND = re.compile(r"\[(?:markdown|md|raw)\]")
# what jupytext does not read as a kind ('[Markdown]' is a title): the cell stays code
MISSPELT_KIND = re.compile(r"\[(?:markdown|md|raw)\]", re.IGNORECASE)
# A Markdown heading written as a comment line of a percent script: '# ## Results' (not a
# code comment such as '## Compute the mean' or '#### Setup ####')
COMMENTED_HEADING = re.compile(r"^#[ \t]+(#{1,6})[ \t]+\S")
# a comment that reads as a sentence for the reader: four words or more, then . ? ! or :
PROSE = re.compile(r"^#[ \t]+\S+(?:[ \t]+\S+){3,}[.?!:。？！：][ \t]*$")
HIDDEN_SOURCE_TAGS = ("remove-cell", "remove-input")  # cells whose code the page omits


def is_post(src_uri: str, posts_dir: str) -> bool:
    """Whether the file at ``src_uri`` (relative to docs) is a notebook post."""
    path = PurePosixPath(src_uri)
    return (
        path.suffix in SUFFIXES
        and not path.name.startswith("_")
        and str(path).startswith(posts_dir.rstrip("/") + "/")
    )


@dataclass
class NotebookPost:
    """One notebook post as the author wrote it."""

    src_uri: str  # relative to docs/, e.g. blog/posts/adam-from-scratch.py
    path: Path  # absolute path of the file
    source: bytes  # the file's bytes: part of the cache key
    front_matter: str  # the "---\n...\n---" block, as the Markdown post will start
    meta: dict[str, Any]  # the front matter parsed

    @property
    def draft(self) -> bool:
        return self.meta.get("draft") is True

    def error(self, problem: str) -> NotebookPostError:
        return NotebookPostError(self.src_uri, problem)


def front_matter_meta(src_uri: str, front_matter: str) -> dict[str, Any]:
    """The parsed YAML of a ``---`` block (kept in the cache, re-checked every build)."""
    match = FRONT_MATTER.match(front_matter.strip())
    if not match:
        raise NotebookPostError(
            src_uri,
            "has no front matter: its first cell must be a YAML block between "
            "'---' lines (in a percent script: '# ---' header lines)",
        )
    try:
        return load(match.group(1) or "")
    except FrontMatterError as exc:
        raise NotebookPostError(src_uri, str(exc)) from None


def read_notebook(path: Path, src_uri: str):
    """The notebook (nbformat) of a ``.py`` or ``.ipynb`` file, front matter cell first."""
    import jupytext

    try:
        return jupytext.reads(path.read_text(encoding="utf-8"), fmt=path.suffix.lstrip("."))
    except Exception as exc:
        raise NotebookPostError(src_uri, f"could not be read as a notebook: {exc}") from None


def head(path: Path, src_uri: str) -> NotebookPost:
    """The post's front matter without parsing the rest (enough on a cache hit)."""
    source = path.read_bytes()
    if path.suffix == ".py":
        match = PERCENT_HEADER.match(source.decode("utf-8"))
        front = (
            ""
            if not match
            else ("---\n" + re.sub(r"^# ?", "", match.group(1), flags=re.MULTILINE) + "---")
        )
    else:
        nb = read_notebook(path, src_uri)
        first = nb.cells[0] if nb.cells else None
        front = first.source.strip() if first is not None and first.cell_type != "code" else ""
    meta = front_matter_meta(src_uri, front)
    return NotebookPost(src_uri=src_uri, path=path, source=source, front_matter=front, meta=meta)


def body(post: NotebookPost):
    """The post's cells after the front matter cell, as an nbformat notebook."""
    nb = read_notebook(post.path, post.src_uri)
    first = nb.cells[0] if nb.cells else None
    if first is None or first.cell_type == "code" or not FRONT_MATTER.match(first.source.strip()):
        raise NotebookPostError(
            post.src_uri,
            "has no front matter: its first cell must be a YAML block between "
            "'---' lines (in a percent script: '# ---' header lines)",
        )
    nb.cells = nb.cells[1:]
    return nb


def cell_lines(post: NotebookPost) -> list[int]:
    """Line (1-based) in the source of the first line of each cell after the front
    matter: the line after its ``# %%`` marker. Empty for an ``.ipynb``."""
    return [cell.first_line for cell in percent_cells(post)]


@dataclass
class PercentCell:
    """One cell of a percent script as written: its marker line and the lines after it."""

    marker: str  # the '# %%' line itself ('' for what comes before the first marker)
    first_line: int  # 1-based line number of the line after the marker
    lines: list[str]

    @property
    def options(self) -> str:
        found = PERCENT_MARKER.match(self.marker)
        return found.group("options") if found else ""

    @property
    def code(self) -> bool:
        return TEXT_CELL_KIND.search(self.options) is None

    @property
    def raw(self) -> bool:
        return "[raw]" in self.options

    @property
    def hidden(self) -> bool:
        """Tagged so that the page omits its source (jupytext's reading of the options)."""
        from jupytext.cell_metadata import text_to_metadata

        try:
            _, metadata = text_to_metadata(self.options, allow_title=True)
        except Exception:  # options jupytext cannot read: not ours to judge here
            return False
        tags = metadata.get("tags", [])
        return isinstance(tags, list) and any(tag in tags for tag in HIDDEN_SOURCE_TAGS)


def percent_cells(post: NotebookPost) -> list[PercentCell]:
    """The cells of a percent script after its header, as the author wrote them, split
    where jupytext splits them (line numbers stay those of the file); what stands between
    the header and the first marker is a cell too, as jupytext reads it. Empty for an
    ``.ipynb``."""
    if post.path.suffix != ".py":
        return []
    lines = post.source.decode("utf-8").splitlines()
    header = PERCENT_HEADER.match(post.source.decode("utf-8"))
    start = header.group(0).count("\n") if header else 0
    cells: list[PercentCell] = [PercentCell("", start + 1, [])]
    for number, line in enumerate(lines[start:], start=start + 1):
        if PERCENT_MARKER.match(line) or BARE_MARKER.match(line):
            cells.append(PercentCell(line, number + 1, []))
        else:
            cells[-1].lines.append(line)
    if not any(line.strip() for line in cells[0].lines):
        cells.pop(0)  # nothing before the first marker
    return cells


def swallowed_markdown(post: NotebookPost) -> list[str]:
    """Markdown that became comments of a code cell because its ``# %% [markdown]``
    line is missing or misspelt, each problem naming its line: a cell kind jupytext does
    not read (``[Markdown]``); a commented heading (``# ## Results``) in a code or raw cell
    (the page would show it as code, or not at all); and, in a cell the page does not show
    (tagged ``remove-cell`` or ``remove-input``), comment lines that end it after a blank
    line and read as sentences (the page would lose them)."""
    problems = []
    for cell in percent_cells(post):
        if cell.code and (misspelt := MISSPELT_KIND.search(cell.options)):
            problems.append(
                f"line {cell.first_line - 1}: jupytext reads '{misspelt.group(0)}' as the "
                f"cell's title, not its kind, so the cell is code; write "
                f"'# %% {misspelt.group(0).lower()}'"
            )
        if not (cell.code or cell.raw):
            continue
        where = (
            "a raw cell, which the page does not show"
            if cell.raw
            else "a code cell the page does not show"
            if cell.hidden
            else "a code cell"
        )
        headings = 0
        for offset, line in enumerate(cell.lines):
            if heading := COMMENTED_HEADING.match(line):
                headings += 1
                problems.append(
                    f"line {cell.first_line + offset}: the Markdown heading "
                    f"'{line[heading.start(1) :]}' is a comment in {where}; start a Markdown "
                    "cell above it with a '# %% [markdown]' line"
                )
        if not cell.hidden or headings:
            continue
        lines = list(cell.lines)
        while lines and not lines[-1].strip():
            lines.pop()
        code = len(lines)  # the trailing comment lines are lines[code:]
        while code and lines[code - 1].startswith("#"):
            code -= 1
        trailing = lines[code:]
        after_blank = code > 0 and not lines[code - 1].strip()
        if after_blank and len(trailing) > 1 and any(PROSE.match(line) for line in trailing):
            problems.append(
                f"lines {cell.first_line + code}-{cell.first_line + len(lines) - 1}: "
                f"comment lines end {where}; if they are text for the reader, start a "
                "Markdown cell above them with a '# %% [markdown]' line"
            )
    return problems


def validate(
    post: NotebookPost,
    *,
    authors: Collection[str] | None,
    categories_allowed: Collection[str] | None,
) -> list[str]:
    """Every problem with the post's front matter, each naming the key."""
    from material.plugins.blog.structure.config import PostConfig

    meta = post.meta
    if dates := date_problems(meta):
        return dates + misspelt_keys(meta)
    config = PostConfig(str(post.path))
    config.load_dict({key: meta[key] for key in meta.keys() & set(config.keys())})
    errors, _ = config.validate()
    problems = [f"key '{key}': {error}" for key, error in errors]
    tags = meta.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        problems.append(f"key 'tags': expected a list of strings, got {tags!r}")
    if authors is not None and isinstance(meta.get("authors"), list):
        problems.extend(
            f"key 'authors': unknown author {a!r} (known: {', '.join(authors)})"
            for a in meta["authors"]
            if a not in authors
        )
    if categories_allowed and isinstance(meta.get("categories"), list):
        problems.extend(
            f"key 'categories': {c!r} is not an allowed category"
            for c in meta["categories"]
            if c not in categories_allowed
        )
    if "slug" in meta and (why := slug_problem(meta["slug"])):
        problems.append(f"key 'slug': {why}")
    return problems + misspelt_keys(meta)
