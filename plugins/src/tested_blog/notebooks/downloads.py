"""The files a reader downloads from a notebook post: the executed notebook and its script.

Both are made from the notebook as the build executed it (front matter and the build's
hidden cells removed), so what a reader opens is what the page shows:

* ``<stem>.ipynb``: every cell with its outputs (text, tables, figures), a Python 3
  kernelspec so Jupyter opens it with a Python kernel, and no execution timing, so an
  unchanged post gives byte-identical files;
* ``<stem>.py``: the same cells as a jupytext percent script, without outputs; it runs
  as a plain ``python`` script too.

Each starts with a Markdown cell saying how to install ``snippets``, which every post
imports, and each ``--8<--`` line of a Markdown cell is replaced by the code it embeds on
the page, since Jupyter knows nothing of pymdownx.snippets.

A notebook that read files of its own folder (a ``_helpers.py`` it imports, a data file it
opens) cannot run without them: those *companions* are published beside the downloads, at
the same paths relative to the notebook, and the note names them.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

from .. import front_matter, sections
from ..fences import code_lines

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}
INSTALL_NOTE = """\
**Running this notebook.** It was executed when the site was built, and its outputs are
the ones on the page. Its code imports `snippets`, the site's tested numpy package;
install it first, in a terminal or in a notebook cell with `%pip`:

```bash
{install}
```

Then run all cells (*Run → Run All Cells*). The `.py` download of this post is the same
notebook as a script: open it in Jupyter with jupytext, or run it with `python`."""


def _section(ref: str, root: Path) -> list[str] | None:
    """The lines a reference's text embeds, as pymdownx embeds them (dedented, marker
    lines dropped), or None when it cannot be resolved."""
    path, section, numbers = sections.split_reference(ref)
    try:
        if numbers:
            raise ValueError("line-number embeds are not expanded")
        text = (root / path).read_text(encoding="utf-8")
        body = (
            sections.section_body(text, section)
            if section
            else sections.without_markers(text).strip("\n")
        )
    except (OSError, ValueError):
        return None
    return body.split("\n")


def _indented(indent: str, lines: list[str]) -> list[str]:
    return [indent + code if code.strip() else "" for code in lines]


def embedded_files(executed: dict) -> list[str]:
    """The files (relative to the repository) that the Markdown cells of ``executed`` embed
    with ``--8<--`` (one-line and block form): the downloads write their code out, so
    they depend on them."""
    found = []
    for cell in executed.get("cells", []):
        if cell.get("cell_type") == "markdown":
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            found += [sections.split_reference(r.text)[0] for r in sections.references(source)]
    return list(dict.fromkeys(found))


def embed_code(markdown: str, root: Path) -> str:
    """``markdown`` with each ``--8<--`` embed replaced by the code it embeds, kept at the
    embed's indentation: the one-line form (``--8<-- "file:section"``) and the block form
    (file lines between two ``--8<--`` lines). Paths are relative to ``root``, the
    repository. An embed that cannot be resolved stays as it is: the build reports it
    (the ``tested/code`` plugin)."""
    lines = markdown.split("\n")  # as the cell was written, a final newline kept
    out: list[str] = []
    done = 0  # lines of ``lines`` already in ``out``
    for embed in sections.embeds(markdown):
        out += lines[done : embed.first - 1]
        bodies = [_section(ref.text, root) for ref in embed.refs]
        if embed.closed and all(body is not None for body in bodies):
            out += [code for body in bodies for code in _indented(embed.indent, body or [])]
        else:
            out += lines[embed.first - 1 : embed.last]
        done = embed.last
    out += lines[done:]
    return "\n".join(out)


def _clean(cell: dict) -> dict:
    cell = copy.deepcopy(cell)
    metadata = cell.get("metadata", {})
    for key in ("execution", "transient", "collapsed", "scrolled"):
        metadata.pop(key, None)
    return cell


def notebook(executed: dict, *, install: str, root: Path) -> dict:
    """The downloadable notebook (nbformat 4 JSON) from the executed cells ``executed``."""
    import nbformat

    cells = [dict(nbformat.v4.new_markdown_cell(INSTALL_NOTE.format(install=install.strip())))]
    for cell in executed.get("cells", []):
        cell = _clean(cell)
        if cell["cell_type"] == "markdown":
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            cell["source"] = embed_code(source, root)
        cells.append(cell)
    for at, cell in enumerate(cells):  # stable ids: the same post gives the same file
        cell["id"] = f"cell-{at}"
    nb = nbformat.v4.new_notebook(cells=[nbformat.from_dict(c) for c in cells])
    nb.metadata = {
        "kernelspec": dict(KERNELSPEC),
        "language_info": {"name": "python", "file_extension": ".py"},
    }
    nbformat.validate(nb)
    return nb


def ipynb_bytes(nb: dict) -> bytes:
    """The notebook as Jupyter writes it (one-space indent, sorted keys, final newline)."""
    import nbformat

    return (nbformat.writes(nbformat.from_dict(nb)) + "\n").encode("utf-8")


def script_bytes(nb: dict) -> bytes:
    """The notebook as a jupytext percent script, outputs dropped."""
    import jupytext
    import nbformat

    bare = nbformat.from_dict(json.loads(json.dumps(nb)))
    for cell in bare.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cell.metadata.pop("id", None)
    # no jupytext/kernelspec header: the script starts with the install note
    bare.metadata = {"jupytext": {"notebook_metadata_filter": "-all"}}
    text = jupytext.writes(bare, fmt="py:percent")
    return re.sub(r"\n{3,}\Z", "\n", text.rstrip("\n") + "\n").encode("utf-8")


def downloads(executed: dict, *, stem: str, install: str, root: Path) -> dict[str, bytes]:
    """File name -> bytes of the two downloads of the post whose file stem is ``stem``."""
    nb = notebook(executed, install=install, root=root)
    return {f"{stem}.ipynb": ipynb_bytes(nb), f"{stem}.py": script_bytes(nb)}


def companions(read: Iterable[str], *, post: Path, root: Path) -> dict[str, bytes]:
    """Path relative to the post's folder -> bytes, of every file in that folder (or below
    it) that the run read, other than the post itself. ``read``: the run's repository-
    relative paths (``Dependencies.files``)."""
    folder = post.parent.resolve()
    found = {}
    for rel in sorted(read):
        path = (root / rel).resolve()
        if path == post.resolve() or folder not in path.parents or "__pycache__" in path.parts:
            continue
        try:
            found[path.relative_to(folder).as_posix()] = path.read_bytes()
        except OSError:  # deleted since: the next build re-runs the post
            continue
    return found


TITLE = re.compile(r"^# .*$", re.MULTILINE)


def with_download_note(
    markdown: str,
    folder: str,
    stem: str,
    install: str,
    needs: Sequence[str] = (),
    *,
    package: str = "snippets",
    separator: str = "<!-- more -->",
) -> str:
    """The post's Markdown with a note linking its downloads (in ``folder``, relative to
    the page's source), placed after the excerpt (the first line that is the blog's
    ``separator``, outside code) so the blog index does not repeat it; without one, after
    the title. ``needs``: the companions (paths relative to the notebook), linked too.
    ``package``: the site's tested package the note tells a reader to install."""
    note = (
        '!!! tip "Run this post yourself"\n\n'
        f'    Download the [executed notebook]({folder}/{stem}.ipynb){{ download="{stem}.ipynb" }}'
        " (`.ipynb`, with every output shown here) or the same notebook as a\n"
        f'    [Python script]({folder}/{stem}.py){{ download="{stem}.py" }} (`.py`). Both import'
        f" `{package}`, this site's tested\n"
        f"    package: install it first with `{install}`.\n"
    )
    if needs:
        links = ", ".join(
            f'[`{rel}`]({folder}/{rel}){{ download="{PurePosixPath(rel).name}" }}' for rel in needs
        )
        note += (
            f"\n    It also reads {links} from its own folder: save "
            f"{'it' if len(needs) == 1 else 'them'} beside the notebook"
            f"{' (keeping the subfolders)' if any('/' in rel for rel in needs) else ''}.\n"
        )
    _, start = front_matter.split(markdown)
    lines, code, offset = markdown.splitlines(keepends=True), code_lines(markdown), 0
    at = title = None
    for number, line in enumerate(lines, start=1):
        offset += len(line)
        if offset <= start or number in code:
            continue  # front matter, or code: a '# comment' there is no title
        end = offset - len(line) + len(line.rstrip("\r\n"))
        if line.rstrip() == separator:
            at = end
            break
        if title is None and TITLE.match(line):
            title = end
    if at is None:
        at = title if title is not None else start
    return markdown[:at] + "\n\n" + note + "\n" + markdown[at:].lstrip("\n")
