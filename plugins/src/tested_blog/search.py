"""Material's search index, tidied for the reader.

The search plugin gives every section of a page its own entry, each with all of the
page's tags, so a search that matches five sections of a post shows its tags five times.
``tags_once_per_page`` keeps them on the page's own entry only (its location has no
``#``), which is the one a tag search needs to find. ``rewrite_index`` is how a plugin
changes the index the search plugin wrote (this one, and tested/math's formulas).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

INDEX = Path("search") / "search_index.json"  # where Material's search plugin writes it


def rewrite_index(site_dir: str | Path, change: Callable[[dict], int]) -> None:
    """Apply ``change`` to the site's search index, if there is one, and write it back when
    ``change`` says it changed something (returns a count above 0)."""
    path = Path(site_dir) / INDEX
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    if change(index):
        path.write_text(
            json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )


def tags_once_per_page(index: dict) -> int:
    """Drop ``tags`` from every section entry of ``index`` (in place); returns how many."""
    dropped = 0
    for doc in index.get("docs", []):
        if "#" in str(doc.get("location", "")) and doc.pop("tags", None) is not None:
            dropped += 1
    return dropped
