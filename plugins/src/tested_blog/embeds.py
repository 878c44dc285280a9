"""Whether each code embed of a page will show what its author means, before pymdownx runs.

pymdownx.snippets (``check_paths: true``) stops on a missing file or section, but with a
traceback that does not name the section's file, and it happily embeds things this
project must not publish. A reference here is a problem when:

* it embeds by line numbers (``file.py:10:20`` drifts silently when the file changes);
* its file does not exist under pymdownx's ``base_path``;
* its file, symbolic links followed, lies outside the folders that may be embedded
  (the ``snippet_folders`` option of ``tested/code``, relative to mkdocs.yml; ``[snippets]``
  if unset);
  pymdownx's own ``restrict_base_path`` compares paths without resolving links;
* the file's section markers are broken (see ``sections.marker_problems``);
* it names no section: the whole file would be shown, which no test record covers;
* the named section is not in the file, or holds an embed line of its own (pymdownx would
  splice that file's code into the shown code);
* it is not inside a fenced code block: the code would be shown as text (or an
  indented block) that the "tested by" check does not see.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from tested_blog import sections
from tested_blog.fences import fences
from tested_blog.sources import not_utf8
from tested_blog.text import lines as text_lines

DEFAULT_FOLDERS = ("snippets",)


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def reference_problems(
    ref: str, bases: Sequence[Path], folders: Sequence[Path], root: Path
) -> list[str]:
    """Why ``ref`` cannot be embedded as meant (empty list when it can); ``root`` is the
    folder paths in messages are shown relative to."""
    if "://" in ref:
        return []  # URL snippets are off in this project; pymdownx rejects them itself.
    path, name, lines = sections.split_reference(ref)
    if lines:
        return [
            f"'{ref}' embeds by line numbers; embed a named section instead "
            "('path/file.py:name', marked with # --8<-- [start:name] / [end:name])"
        ]
    target = next((b / path for b in bases if (b / path).is_file()), None)
    if target is None:
        where = ", ".join(str(b) for b in bases)
        return [f"'{ref}': the file '{path}' does not exist (looked in {where})"]
    real = target.resolve()
    if not any(real.is_relative_to(folder) for folder in folders):
        allowed = ", ".join(_shown(f, root) + "/" for f in folders)
        via = f" (it resolves to {real})" if real != target.absolute() else ""
        return [
            f"'{ref}': '{path}'{via} is outside the folders that may be embedded "
            f"({allowed}); move the code there or list its folder in the "
            "snippet_folders option of tested/code in mkdocs.yml"
        ]
    shown = _shown(target, root)
    undecodable = not_utf8(real)
    if undecodable is not None:
        return [f"'{ref}': {shown} {undecodable}"]
    text = real.read_text(encoding="utf-8")
    broken = [
        f"'{ref}': {shown} line {line}: {why}" for line, why in sections.marker_problems(text)
    ]
    if broken:
        return broken
    if name is None:
        return [
            f"'{ref}' embeds the whole file; embed a named section ('{path}:name', marked"
            " with # --8<-- [start:name] / [end:name]), which the tests' record covers"
        ]
    have = sections.section_names(text)
    if name not in have:
        listed = ", ".join(have) if have else "none"
        return [f"'{ref}': '{path}' has no section '{name}' (its sections: {listed})"]
    nested = sections.references(sections.section_body(text, name))
    if nested:
        return [
            f"'{ref}': the section holds an embed line ('--8<-- \"{nested[0].text}\"' in"
            f" {shown}), which pymdownx would replace with that file's code; write it with"
            " a ';' before the --8<-- if it is meant as text"
        ]
    return []


def page_problems(
    markdown: str,
    *,
    root: Path,
    bases: Sequence[Path],
    folders: Sequence[str] = DEFAULT_FOLDERS,
) -> list[tuple[int, str]]:
    """(line in ``markdown``, problem) for every reference of a page that cannot work.
    ``root``: the site's folder (mkdocs.yml's), which messages show paths relative to;
    ``bases``: where pymdownx.snippets looks for files; ``folders``: those (relative to
    ``root``) whose files may be embedded, symbolic links followed."""
    from tested_blog.provenance.lines import embedded_blocks

    allowed = [(root / folder).resolve() for folder in folders]
    fenced = {ref.line for block in embedded_blocks(markdown) for ref in block.refs}
    problems = [
        (
            number,
            f"{line.strip()!r} looks like an embed, but pymdownx does not read it {why}:"
            " it would be published as text",
        )
        for number, line, why in sections.unread_embeds(markdown)
    ]
    for ref in sections.references(markdown):
        why = reference_problems(ref.text, bases, allowed, root)
        if not why and ref.line not in fenced:
            why = [
                f"'{ref.text}' is not inside a fenced code block (```python … ```): the code"
                " would be shown as plain text, and its tested-by check would not see it"
            ]
        problems += [(ref.line, w) for w in why]
    for ref in sections.mentions(markdown, folders):
        problems += [
            (ref.line, f"the text names a section that cannot be embedded: {why}")
            for why in reference_problems(ref.text, bases, allowed, root)
        ]
    return problems + _unembedded_lines(markdown)


def _unembedded_lines(markdown: str) -> list[tuple[int, str]]:
    """(line, problem) for the first line of each code block that embeds a section and
    holds a line of its own too: the tested-by line under the block would vouch for code
    no test ran."""
    embedded = {n for e in sections.embeds(markdown) for n in range(e.first, e.last + 1)}
    lines = text_lines(markdown)
    problems = []
    for fence in fences(markdown):
        inside = range(fence.start + 1, fence.end)
        if not fence.closed or not embedded.intersection(inside):
            continue
        own = next((n for n in inside if n not in embedded and lines[n - 1].strip()), None)
        if own is not None:
            problems.append(
                (
                    own,
                    f"{lines[own - 1].strip()!r} is in a code block that embeds a section, but"
                    " it is not from the package: no test ran it, yet the tested-by line would"
                    " vouch for it; a block that embeds holds embeds only (put the line in"
                    " the package, or in a block of its own)",
                )
            )
    return problems


def page_error(
    source: str,
    *,
    author: str,
    author_text: str | None,
    root: Path,
    bases: Sequence[Path],
    folders: Sequence[str] = DEFAULT_FOLDERS,
) -> str | None:
    """The error for a page whose embeds cannot work (None when they all can), naming the
    file the author edits and each line with why.

    ``source`` is the page's Markdown as written, front matter included, so line numbers
    match the editor's. A page generated from another file (a notebook post) gives that
    file's name as ``author`` and its text as ``author_text``: each problem then names the
    line of the author's file that holds the embed ("a Markdown cell" if none does)."""
    problems = page_problems(source, root=root, bases=bases, folders=folders)
    if not problems:
        return None
    lines = text_lines(source)
    errors = []
    for number, why in problems:
        if author_text is not None:
            wanted = lines[number - 1].strip()
            found = next(
                (n for n, line in enumerate(text_lines(author_text), 1) if wanted in line), None
            )
            where = f"line {found}" if found else "a Markdown cell"
        else:
            where = f"line {number}"
        errors.append(f"  {where}: {why}")
    return f"Post/page '{author}' embeds code wrongly:\n" + "\n".join(errors)
