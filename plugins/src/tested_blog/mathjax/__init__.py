"""Math typeset by MathJax 3 at build time, so readers' browsers load no MathJax script.

- ``page``: where the formulas are in a built page's HTML, and MathJax's error marker;
- ``process``: one long-lived Node process running ``typeset.js`` (JSON lines);
- ``node``: which Node runs it (the machine's, else the pip-installed one);
- ``distribution``: the MathJax distribution (django-static-mathjax) it loads;
- ``cache``: rendered formulas on disk, keyed by TeX, display mode and MathJax version;
- ``fonts``: which of MathJax's fonts the markup uses (only those are shipped);
- ``webfonts``: each shipped font cut to the characters the stylesheet draws, as WOFF2;
- ``typesetter``: all of it per build, plus the stylesheet and fonts the site serves.

The ``tested/math`` plugin keeps one Typesetter for the life of the process (MkDocs keeps
the plugin across the rebuilds of ``mkdocs serve``), so rebuilds reuse its Node process and
in-memory cache; it ends the Node process when it shuts down.
"""

from __future__ import annotations

from .distribution import MathJaxMissing
from .node import NodeNotFound
from .page import Formula, TexError, formulas, leftover_problems, leftover_tex
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
    "formulas",
    "leftover_problems",
    "leftover_tex",
]
