"""Math typeset by MathJax 3 at build time, so readers' browsers load no MathJax script.

- ``page``: where the formulas are in a built page's HTML, and MathJax's error marker;
- ``process``: one long-lived Node process running ``typeset.js`` (JSON lines);
- ``node``: which Node runs it (the machine's, else the pip-installed one);
- ``distribution``: the MathJax distribution (django-static-mathjax) it loads;
- ``cache``: rendered formulas on disk, keyed by TeX, display mode and MathJax version;
- ``fonts``: which of MathJax's fonts the markup uses (shipped, and preloaded per page);
- ``typesetter``: all of it per build, plus the stylesheet and fonts the site serves.

``shared(cache_dir)`` gives the one Typesetter of this Python process for a cache folder,
so the rebuilds of ``mkdocs serve`` reuse its Node process and in-memory cache.
"""

from __future__ import annotations

import atexit
from pathlib import Path

from .distribution import MathJaxMissing
from .node import NodeNotFound
from .page import Formula, TexError, formulas, leftover_tex
from .process import MathJaxFailed
from .typesetter import FONT_DIR, STYLESHEET, PageResult, Typesetter

__all__ = [
    "FONT_DIR",
    "STYLESHEET",
    "Formula",
    "MathJaxFailed",
    "MathJaxMissing",
    "NodeNotFound",
    "PageResult",
    "TexError",
    "Typesetter",
    "close_all",
    "formulas",
    "leftover_tex",
    "shared",
]

_TYPESETTERS: dict[Path, Typesetter] = {}


def shared(cache_dir: Path) -> Typesetter:
    """The Typesetter for ``cache_dir``, created on first use and kept for the process."""
    key = Path(cache_dir).resolve()
    if key not in _TYPESETTERS:
        _TYPESETTERS[key] = Typesetter(key)
    return _TYPESETTERS[key]


def close_all() -> None:
    """End every MathJax process this Python process started (the caches stay on disk)."""
    for typesetter in _TYPESETTERS.values():
        typesetter.close()


atexit.register(close_all)
