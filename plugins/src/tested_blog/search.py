"""Material's search index, tidied for the reader.

The search plugin gives every section of a page its own entry, each with all of the
page's tags, so a search that matches five sections of a post shows its tags five times.
``tags_once_per_page`` keeps them on the page's own entry only (its location has no
``#``), which is the one a tag search needs to find. ``rewrite_index`` is how a plugin
changes the index the search plugin wrote (this one, and tested/math's formulas); it reads
Material's index and Zensical's alike. ``name_search_dialog`` gives Material's search
dialog the accessible name its template leaves out.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from pathlib import Path

INDEX = Path("search") / "search_index.json"  # where Material's search plugin writes it
ZENSICAL_INDEX = Path("search.json")  # where Zensical writes its own


def entries(index: dict) -> list[dict]:
    """The entries of a search ``index``: Material's ``docs``, or Zensical's ``items``."""
    found = index.get("docs", index.get("items"))
    return found if isinstance(found, list) else []


def rewrite_index(site_dir: str | Path, change: Callable[[dict], int]) -> None:
    """Apply ``change`` to the site's search index (Material's or Zensical's), if there is
    one, and write it back when ``change`` says it changed something (returns a count above
    0)."""
    for name in (INDEX, ZENSICAL_INDEX):
        path = Path(site_dir) / name
        if not path.is_file():
            continue
        index = json.loads(path.read_text(encoding="utf-8"))
        if change(index):
            path.write_text(
                json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
            )


def tags_once_per_page(index: dict) -> int:
    """Drop ``tags`` from every section entry of ``index`` (in place); returns how many."""
    dropped = 0
    for doc in entries(index):
        if "#" in str(doc.get("location", "")) and doc.pop("tags", None) is not None:
            dropped += 1
    return dropped


# Material's search dialog: role=dialog, and no accessible name (Lighthouse: "ARIA dialog
# elements have accessible names"); Zensical's has one
_NAMELESS_DIALOG = re.compile(
    r'<div\b(?=[^>]*\bdata-md-component="search")(?=[^>]*\brole="dialog")'
    r"(?![^>]*\baria-label=)[^>]*>"
)
_QUERY_LABEL = re.compile(r'<input\b(?=[^>]*\bclass="md-search__input")[^>]*\baria-label="([^"]*)"')


def name_search_dialog(page: str) -> str:
    """``page`` with its search dialog named as its search field is (in the theme's language:
    "Search"), when the theme left the dialog without a name."""
    dialog = _NAMELESS_DIALOG.search(page)
    if dialog is None:
        return page
    field = _QUERY_LABEL.search(page, dialog.end())
    name = field.group(1) if field else "Search"
    at = dialog.end() - 1
    return f'{page[:at]} aria-label="{name}"{page[at:]}'


# CJK ideographs (the unified block, extension A, compatibility ideographs)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def segment_chinese(index: dict) -> int:
    """Split each run of Chinese characters in the titles and texts of a search ``index``
    into its words (jieba), with a zero-width space (U+200B) around each word, as
    Material's search plugin does for its own index, so a search splitting on U+200B finds
    优化 inside 自适应优化方法; returns how many runs (0 when jieba is not installed)."""
    try:
        import jieba
    except ImportError:
        return 0
    jieba.setLogLevel(logging.WARNING)  # not its four lines on every build
    count = 0

    def split(run: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return "\u200b" + "\u200b".join(jieba.cut(run.group(0))) + "\u200b"

    for entry in entries(index):
        for field in ("title", "text"):
            if isinstance(entry.get(field), str):
                entry[field] = _HAN.sub(split, entry[field])
    return count
