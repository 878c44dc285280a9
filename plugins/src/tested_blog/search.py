"""Material's search index, tidied for the reader.

The search plugin gives every section of a page its own entry, each with all of the
page's tags, so a search that matches five sections of a post shows its tags five times.
``tags_once_per_page`` keeps them on the page's own entry only (its location has no
``#``), which is the one a tag search needs to find.
"""

from __future__ import annotations


def tags_once_per_page(index: dict) -> int:
    """Drop ``tags`` from every section entry of ``index`` (in place); returns how many."""
    dropped = 0
    for doc in index.get("docs", []):
        if "#" in str(doc.get("location", "")) and doc.pop("tags", None) is not None:
            dropped += 1
    return dropped
