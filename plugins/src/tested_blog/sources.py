"""The site's sources, as the build can use them.

* They stay inside the repository: no file under docs/ may be a symbolic link (itself, or
  through a linked folder) to a file outside it, or the site would publish a file the
  repository does not have, and a clone would build a different site (``outside``).
* Text the build reads is UTF-8 (``not_utf8``): a file that is not says so, naming the file,
  the line and the column of the first byte that is not, instead of a decoding traceback.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


def outside(paths: Iterable[tuple[str, str]], root: Path) -> list[str]:
    """One message per ``(name, path)`` whose real location is outside ``root``; ``name``
    is how the message calls the file (its path under the repository)."""
    top = os.path.realpath(root)
    problems = []
    for name, path in paths:
        real = os.path.realpath(path)
        if real != top and not real.startswith(top + os.sep):
            problems.append(
                f"'{name}' is a link to '{real}', outside the repository: the site would "
                "publish a file a clone does not have; copy the file into the repository"
            )
    return problems


# Files the build reads as text: pages, notebooks, data the theme and plugins read, and the
# site's own stylesheets, scripts and markup.
TEXT_SUFFIXES = frozenset(
    {".md", ".markdown", ".mdown", ".mkdn", ".mkd", ".py", ".ipynb", ".yml", ".yaml"}
    | {".json", ".css", ".js", ".mjs", ".html", ".htm", ".svg", ".txt"}
)


def not_utf8(path: Path) -> str | None:
    """Why ``path`` cannot be read as UTF-8 text (where, and what to do), or None."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return (
            f"is not UTF-8 text: byte 0x{data[exc.start]:02x} at line {line}, column {column}"
            f" ({exc.reason}); save it as UTF-8"
        )
    return None


def problems(paths: Iterable[tuple[str, str]], root: Path) -> list[str]:
    """Every problem of the author's files ``paths`` (``(name, path)`` pairs, as for
    ``outside``): a link out of ``root``, text that is not UTF-8."""
    paths = list(paths)
    found = outside(paths, root)
    for name, path in paths:
        if Path(path).suffix.lower() in TEXT_SUFFIXES:
            why = not_utf8(Path(path))
            if why is not None:
                found.append(f"'{name}' {why}")
    return found
