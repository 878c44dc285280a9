"""Which MathJax CHTML fonts a page's math uses, so that the site ships only those.

MathJax 3's TeX font for CHTML: every glyph sits in an element with class ``MJX-TEX``
(family MJXTEX, the Main-Regular font) and may carry a variant class ``TEX-<V>`` (family
MJXTEX-<V>); MJXZERO (zero-width glyphs) comes first in every family list, and stretchy
delimiters fall back through S1, S4, the main font and AMS. ``FONT_FILES`` maps each family
to its woff file; tests/test_mathjax_fonts.py checks it against MathJax's own stylesheet.
"""

from __future__ import annotations

import re

FONT_FILES = {
    "MJXZERO": "MathJax_Zero.woff",
    "MJXTEX": "MathJax_Main-Regular.woff",
    "MJXTEX-B": "MathJax_Main-Bold.woff",
    "MJXTEX-I": "MathJax_Math-Italic.woff",
    "MJXTEX-MI": "MathJax_Main-Italic.woff",
    "MJXTEX-BI": "MathJax_Math-BoldItalic.woff",
    "MJXTEX-S1": "MathJax_Size1-Regular.woff",
    "MJXTEX-S2": "MathJax_Size2-Regular.woff",
    "MJXTEX-S3": "MathJax_Size3-Regular.woff",
    "MJXTEX-S4": "MathJax_Size4-Regular.woff",
    "MJXTEX-A": "MathJax_AMS-Regular.woff",
    "MJXTEX-C": "MathJax_Calligraphic-Regular.woff",
    "MJXTEX-CB": "MathJax_Calligraphic-Bold.woff",
    "MJXTEX-FR": "MathJax_Fraktur-Regular.woff",
    "MJXTEX-FRB": "MathJax_Fraktur-Bold.woff",
    "MJXTEX-SS": "MathJax_SansSerif-Regular.woff",
    "MJXTEX-SSB": "MathJax_SansSerif-Bold.woff",
    "MJXTEX-SSI": "MathJax_SansSerif-Italic.woff",
    "MJXTEX-SC": "MathJax_Script-Regular.woff",
    "MJXTEX-T": "MathJax_Typewriter-Regular.woff",
    "MJXTEX-V": "MathJax_Vector-Regular.woff",
    "MJXTEX-VB": "MathJax_Vector-Bold.woff",
}
BASE = ("MJXZERO", "MJXTEX")
STRETCHY = ("MJXTEX-S1", "MJXTEX-S4", "MJXTEX-A")
VARIANT = re.compile(r'class="[^"]*\bTEX-([A-Z0-9]+)\b')
STRETCHY_TAG = re.compile(r"<mjx-stretchy-[vh]\b")


def families(markup: str) -> set[str]:
    """The font families MathJax markup draws with (empty for markup without math)."""
    if "<mjx-container" not in markup:
        return set()
    used = set(BASE) | {f"MJXTEX-{v}" for v in VARIANT.findall(markup)}
    if STRETCHY_TAG.search(markup):
        used.update(STRETCHY)
    return used & FONT_FILES.keys()


def files(used: set[str]) -> list[str]:
    """MathJax's woff files of ``used`` families, sorted (the site serves each cut, as
    WOFF2: ``webfonts``)."""
    return sorted(FONT_FILES[f] for f in used)
