"""Math in the search index as readers read it, not as TeX.

Material's search plugin indexes each page's content before the formulas are typeset,
so its index holds the TeX (``\\(P(y \\mid x)\\)``), which search results would show raw.
``plain`` turns a formula's MathML (the assistive MathML in MathJax's markup) into one
line of text (``P(y ∣ x)``); ``search_index`` replaces every formula of the index with it.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping

from .page import Formula

_MATHML = re.compile(r"<math\b.*?</math>", re.S)
# The formulas in the index's text, as arithmatex wrote them; Material's parser turned
# their newlines into spaces.
_IN_INDEX = re.compile(
    r"\\\((?P<inline>.+?)\\\)|\\\[(?P<display>.+?)\\\]"
    r"|(?P<env>\\begin\{(?P<name>[a-zA-Z]+\*?)\}.*?\\end\{(?P=name)\})",
    re.S,
)


def _tag(element: ET.Element) -> str:
    return element.tag.rpartition("}")[2]


def _group(text: str) -> str:
    """``text`` as one operand: parenthesised unless it is a single symbol or number."""
    return text if len(text) <= 1 or re.fullmatch(r"[\w.]+", text) else f"({text})"


def _read(element: ET.Element) -> str:
    kind = _tag(element)
    parts = [_read(child) for child in element]
    if kind in ("mi", "mn", "mo", "mtext", "ms"):
        return (element.text or "").strip()
    if kind == "mspace":
        return " "
    if kind == "mfrac" and len(parts) == 2:
        return f"{_group(parts[0])}/{_group(parts[1])}"
    if kind == "msqrt":
        return f"√{_group(''.join(parts))}"
    if kind == "mroot" and len(parts) == 2:
        return f"root {parts[1]} of {_group(parts[0])}"
    if kind == "msup" and len(parts) == 2:
        return f"{parts[0]}^{_group(parts[1])}"
    if kind == "msub" and len(parts) == 2:
        return f"{parts[0]}_{_group(parts[1])}"
    if kind == "msubsup" and len(parts) == 3:
        return f"{parts[0]}_{_group(parts[1])}^{_group(parts[2])}"
    if kind in ("munder", "mover", "munderover"):
        return parts[0] if parts else ""  # Σ, lim, a hat or a bar: the base reads alone
    if kind == "mtr" or kind == "mlabeledtr":
        return " ".join(p for p in parts if p)
    if kind == "mtable":
        return "; ".join(p for p in parts if p)
    return "".join(parts)


def plain(markup: str) -> str:
    """The plain reading of one formula's MathJax markup: its MathML as a line of text,
    ``x^2``, ``a/b``, ``√x``; the markup's text if it holds no MathML."""
    found = _MATHML.search(markup)
    if found is None:
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())
    try:
        root = ET.fromstring(found.group(0))
    except ET.ParseError:
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(0))).split())
    reading = _read(root)
    return " ".join(reading.replace("\u2061", "").replace("\u2062", "").split())


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

    for doc in index.get("docs", []):
        for field in ("title", "text"):
            if isinstance(doc.get(field), str):
                doc[field] = _IN_INDEX.sub(replace, doc[field])
    return count
