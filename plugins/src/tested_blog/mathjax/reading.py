"""Math in the search index as readers read it, not as TeX.

Material's search plugin indexes each page's content before the formulas are typeset,
so its index holds the TeX (``\\(P(y \\mid x)\\)``), which search results would show raw.
``plain`` turns a formula's MathML (the assistive MathML in MathJax's markup) into one
line of text (``P(y ∣ x)``); ``search_index`` replaces every formula of the index with it.
"""

from __future__ import annotations

import html
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Mapping

from ..search import entries
from .page import Formula

_MATHML = re.compile(r"<math\b.*?</math>", re.S)
# code in the index's text (Material keeps <code> and <pre>): TeX there is shown as code
_CODE = re.compile(r"(<pre>.*?</pre>|<code>.*?</code>)", re.S)
# The formulas in the index's text, as arithmatex wrote them; Material's parser turned
# their newlines into spaces.
_IN_INDEX = re.compile(
    r"\\\((?P<inline>.+?)\\\)|\\\[(?P<display>.+?)\\\]"
    r"|(?P<env>\\begin\{(?P<name>[a-zA-Z]+\*?)\}.*?\\end\{(?P=name)\})",
    re.S,
)


def _tag(element: ET.Element) -> str:
    return element.tag.rpartition("}")[2]


# An accent over or under a letter, as a combining character after it: \hat{y} is ŷ.
ACCENTS = {
    "^": "\u0302",
    "\u02c6": "\u0302",
    "\u00af": "\u0304",
    "\u203e": "\u0305",
    "_": "\u0332",
    "~": "\u0303",
    "\u02dc": "\u0303",
    "\u2192": "\u20d7",
    "\u20d7": "\u20d7",
    "\u02d9": "\u0307",
    "\u00a8": "\u0308",
    "\u02c7": "\u030c",
    "\u2015": "\u0305",
}
# braces over and under an expression: the expression reads alone
BRACES = {"\u23de", "\u23df", "\u23b4", "\u23b5", "\u23dc", "\u23dd"}
# MathML's invisible operators: function application reads as a space, the others as
# nothing (a product) or a comma (a separator)
INVISIBLE = {"\u2061": " ", "\u2062": "", "\u2063": ",", "\u2064": "+"}


def _group(text: str) -> str:
    """``text`` as one operand: parenthesised unless it is one symbol, one word or one
    number, so that x^(2y) and x^2 y, 1/(2x) and 1/2 x read apart."""
    if re.fullmatch(r".[\u0300-\u036f\u20d0-\u20ff]*|[^\W\d_]+|\d+(?:\.\d+)?", text):
        return text
    return f"({text})"


_WORD_END = r"[\w)\]][\u0300-\u036f\u20d0-\u20ff]*$"  # a letter (accents too), ) or ]


def _join(parts: list[str]) -> str:
    """Adjacent operands with a space where they would run together (max x_i, 1/2 1)."""
    out = ""
    for part in parts:
        if out and part and re.search(_WORD_END, out) and re.match(r"\w", part):
            out += " "
        out += part
    return out


def _accent(element: ET.Element) -> str | None:
    """The combining character of an accent element (an ``<mo>`` such as ^ or ¯)."""
    text = (element.text or "").strip() if _tag(element) == "mo" else ""
    return ACCENTS.get(text)


def _read(element: ET.Element) -> str:
    kind = _tag(element)
    children = list(element)
    parts = [_read(child) for child in children]
    if kind in ("mi", "mn", "mo", "ms"):
        text = (element.text or "").strip()
        return INVISIBLE.get(text, text)
    if kind == "mtext":
        return " ".join((element.text or "").split())
    if kind == "mspace":
        return " "
    if kind == "mphantom":
        return ""
    if kind == "mfrac" and len(parts) == 2:
        if element.get("linethickness") in ("0", "0px", "0em"):  # \binom
            return f"{parts[0]} choose {parts[1]}"
        return f"{_group(parts[0])}/{_group(parts[1])}"
    if kind == "msqrt":
        return f"√{_group(_join(parts))}"
    if kind == "mroot" and len(parts) == 2:
        return f"root {parts[1]} of {_group(parts[0])}"
    if kind in ("msup", "msub", "msubsup") and len(parts) >= 2:
        base = _group(parts[0])
        if kind == "msup":
            return f"{base}^{_group(parts[1])}"
        scripts = f"{base}_{_group(parts[1])}"
        return scripts + (f"^{_group(parts[2])}" if kind == "msubsup" and len(parts) > 2 else "")
    if kind in ("munder", "mover", "munderover") and parts:
        base, below, above = parts[0], None, None
        if kind == "mover" and len(children) > 1:
            above = children[1]
        elif kind == "munder" and len(children) > 1:
            below = children[1]
        elif kind == "munderover" and len(children) > 2:
            below, above = children[1], children[2]
        scripts = ""
        for script, mark in ((below, "_"), (above, "^")):
            if script is None:
                continue
            if (accent := _accent(script)) is not None:
                base = (base if len(base) == 1 else f"({base})") + accent
            elif (script.text or "").strip() not in BRACES:
                scripts += f"{mark}{_group(_read(script))}"
        return f"{_group(base)}{scripts}" if scripts else base
    if kind in ("mtr", "mlabeledtr"):
        return " ".join(p for p in parts if p)
    if kind == "mtable":
        return "; ".join(p for p in parts if p)
    return _join(parts)


def plain(markup: str) -> str:
    """The plain reading of one formula's MathJax markup: its MathML as a line of text,
    ``x^2``, ``a/b``, ``√x``; the markup's text if it holds no MathML."""
    found = _MATHML.search(markup)
    mathml = found.group(0) if found else markup
    try:
        reading = _read(ET.fromstring(mathml)) if found else None
    except ET.ParseError:
        reading = None
    if reading is None:  # no MathML to read, or none XML can parse: the text alone
        reading = html.unescape(re.sub(r"<[^>]+>", " ", mathml))
    # one character for a letter and its accent where Unicode has one (ŷ, not y + ^)
    return unicodedata.normalize("NFC", _normal(reading))


def _normal(tex: str) -> str:
    return " ".join(tex.split())


def search_index(index: dict, readings: Mapping[Formula, str]) -> int:
    """Replace, in the title and text of every document of a Material search ``index``,
    each formula that ``readings`` knows with its plain reading; returns how many."""
    known = {(_normal(f.tex), f.display): text for f, text in readings.items()}
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        if match.group("inline") is not None:
            key = (_normal(html.unescape(match.group("inline"))), False)
        elif match.group("display") is not None:
            key = (_normal(html.unescape(match.group("display"))), True)
        else:
            key = (_normal(html.unescape(match.group("env"))), True)
        if key not in known:
            return match.group(0)
        count += 1
        return html.escape(known[key], quote=False)

    def outside_code(text: str) -> str:
        pieces = _CODE.split(text)  # odd pieces are code: kept as written
        return "".join(p if i % 2 else _IN_INDEX.sub(replace, p) for i, p in enumerate(pieces))

    for doc in entries(index):
        for field in ("title", "text"):
            if isinstance(doc.get(field), str):
                doc[field] = outside_code(doc[field])
    return count
