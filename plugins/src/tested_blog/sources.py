"""The site's sources stay inside the repository: no file under docs/ may be a symbolic
link (itself, or through a linked folder) to a file outside it, or the site would publish
a file the repository does not have, and a clone would build a different site."""

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
