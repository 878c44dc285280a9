"""The site owner's name lives in one place, ``docs/blog/.authors.yml``.

The footer's copyright line and ``site_author`` (the pages' ``<meta name="author">``) are
filled from the single author listed there, so setting the name once changes every page.
"""

from __future__ import annotations

from pathlib import Path

import yaml

AUTHORS_FILE = Path("docs") / "blog" / ".authors.yml"
# The name a new copy of the site ships with: it claims no one, and the build says how to
# change it (``placeholder_notice``) instead of publishing an instruction.
PLACEHOLDER = "Site Owner"


def owner_name(authors_file: Path) -> str:
    """The ``name`` of the one author in ``authors_file``; raise naming the file otherwise."""
    data = yaml.safe_load(authors_file.read_text(encoding="utf-8")) or {}
    authors = data.get("authors") if isinstance(data, dict) else None
    if not isinstance(authors, dict) or len(authors) != 1:
        raise ValueError(f"{authors_file}: expected exactly one author under 'authors:'")
    (entry,) = authors.values()
    name = entry.get("name") if isinstance(entry, dict) else None
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"{authors_file}: the author needs a non-empty 'name'")
    return name.strip()


def copyright_line(name: str, year: int) -> str:
    """The footer text for ``name``."""
    return f"Copyright &copy; {year} {name}"


def placeholder_notice(name: str, authors_file: Path) -> str | None:
    """What the build tells the author while ``name`` is still the placeholder."""
    if name != PLACEHOLDER:
        return None
    return f"the site's author is still called {PLACEHOLDER!r}: set your name in {authors_file}"
