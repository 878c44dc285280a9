"""Check every ``--8<--`` reference of a Markdown page before pymdownx.snippets runs.

pymdownx.snippets (with ``check_paths: true``) already stops the build on a missing file or
section, but as a Python traceback whose message does not say which file lacked the
section. This hook reports, for the page at hand, every reference that cannot work, as
one clean MkDocs error naming the page, the snippet file and the section, and listing the
sections that file does have. It also enforces the project rule that code is embedded by
named section, never by line numbers (``file.py:10:20`` silently drifts when the file
changes).

Only the forms this project uses are recognised: ``--8<-- "path:section"`` on a line of
its own and the block form (``--8<--`` lines around one path per line). A reference
escaped with ``;`` is literal text and is skipped, as pymdownx does.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

INLINE = re.compile(r"""^[ \t]*(?P<escape>;*)-+8<-+[ \t]+(?P<q>["'])(?P<ref>.+?)(?P=q)[ \t]*$""")
BLOCK = re.compile(r"^[ \t]*-+8<-+[ \t]*$")
LINE_SPEC = re.compile(r":-?\d")  # file.py:10, file.py:10:20, file.py:-5 ...
SECTION = re.compile(r"^(?P<path>.+?):(?P<name>[A-Za-z][-_0-9A-Za-z]*)$")
START = re.compile(r"-+8<-+[ \t]+\[[ \t]*start[ \t]*:[ \t]*([a-z][-_0-9a-z]*)[ \t]*\]", re.I)


def references(markdown: str) -> list[tuple[int, str]]:
    """(line number, reference) for every snippet reference in ``markdown``."""
    found, in_block = [], False
    for number, line in enumerate(markdown.splitlines(), start=1):
        if BLOCK.match(line):
            in_block = not in_block
            continue
        if in_block:
            ref = line.strip()
            if ref and not ref.startswith(";"):
                found.append((number, ref))
            continue
        m = INLINE.match(line)
        if m and not m.group("escape"):
            found.append((number, m.group("ref")))
    return found


def base_paths(config: MkDocsConfig) -> list[Path]:
    """Where pymdownx.snippets looks for files (its ``base_path`` option)."""
    options = config.mdx_configs.get("pymdownx.snippets", {})
    bases = options.get("base_path", ["."])
    if isinstance(bases, (str, os.PathLike)):
        bases = [bases]
    root = Path(config.config_file_path).parent
    return [root / os.fspath(b) for b in bases]


def section_names(path: Path) -> list[str]:
    """The (lower-cased) section names marked in ``path``."""
    return [s.lower() for s in START.findall(path.read_text(encoding="utf-8"))]


def problem(ref: str, bases: list[Path]) -> str | None:
    """Why ``ref`` cannot be embedded, or None when it can."""
    if "://" in ref:
        return None  # URL snippets are off in this project; pymdownx rejects them itself.
    if LINE_SPEC.search(ref):
        return (f"'{ref}' embeds by line numbers; embed a named section instead "
                "('path/file.py:name', marked with # --8<-- [start:name] / [end:name])")
    m = SECTION.match(ref)
    path, name = (m.group("path"), m.group("name")) if m else (ref, None)
    target = next((b / path for b in bases if (b / path).is_file()), None)
    if target is None:
        where = ", ".join(str(b) for b in bases)
        return f"'{ref}': the file '{path}' does not exist (looked in {where})"
    if name is None:
        return None
    sections = section_names(target)
    if name.lower() not in sections:
        have = ", ".join(sections) if sections else "none"
        return f"'{ref}': '{path}' has no section '{name}' (its sections: {have})"
    return None


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not page.file.src_uri.endswith(".md"):
        return markdown  # notebooks are not run through pymdownx.snippets
    bases = base_paths(config)
    # Scan the source file, front matter included, so line numbers match the editor's.
    errors = [
        f"  line {number}: {why}"
        for number, ref in references(page.file.content_string)
        if (why := problem(ref, bases)) is not None
    ]
    if errors:
        raise PluginError(
            f"Post/page '{page.file.src_uri}' embeds code that cannot be found:\n"
            + "\n".join(errors)
        )
    return markdown
