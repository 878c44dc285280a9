"""Find the formulas in a built page's HTML and put MathJax's markup in their place.

pymdownx.arithmatex (``generic: true``) writes inline math as
``<span class="arithmatex">\\(…\\)</span>`` and display math as
``<div class="arithmatex">\\[…\\]</div>`` (or a bare ``\\begin{env}…\\end{env}``), with the
TeX HTML-escaped. A heading's math also reaches the navigation and the table of contents
as plain text (``<span class="md-ellipsis">Minimising \\(f(x)\\)</span>``), so inline
``\\(…\\)`` inside those labels is math too. Nothing else on a page is: a ``\\(`` in code
stays as it is.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

ARITHMATEX = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.S)
# A navigation/TOC label: text only (a label with markup in it is left alone).
LABEL = re.compile(r'(<span class="md-ellipsis">)([^<]*)(</span>)')
INLINE = re.compile(r"\\\((.+?)\\\)", re.S)
DISPLAY = re.compile(r"\A\s*\\\[(.*)\\\]\s*\Z", re.S)
# MathJax marks a TeX error as <mjx-merror data-mjx-error="message">.
CONTAINER = "<mjx-container"
MERROR = re.compile(r'<mjx-merror\b[^>]*\bdata-mjx-error="([^"]*)"')


@dataclass(frozen=True)
class Formula:
    """One formula as MathJax takes it: TeX source (unescaped) and display or inline."""

    tex: str
    display: bool

    def source(self) -> str:
        """The formula as an author would write it in a post (for error messages)."""
        return f"$${self.tex}$$" if self.display else f"${self.tex}$"


@dataclass(frozen=True)
class TexError:
    """A formula MathJax could not typeset, with MathJax's message."""

    formula: Formula
    message: str


def _arithmatex_formula(tag: str, inner: str) -> Formula:
    tex = html.unescape(inner)
    if tag == "span":
        match = INLINE.fullmatch(tex.strip())
        return Formula(match.group(1) if match else tex.strip(), display=False)
    match = DISPLAY.match(tex)
    return Formula((match.group(1) if match else tex).strip(), display=True)


def formulas(page_html: str) -> Iterator[Formula]:
    """Every formula of a page (repeats included): the arithmatex ones in page order,
    then those in navigation/TOC labels."""
    for match in ARITHMATEX.finditer(page_html):
        yield _arithmatex_formula(match.group(1), match.group(2))
    for match in LABEL.finditer(page_html):
        for inline in INLINE.finditer(html.unescape(match.group(2))):
            yield Formula(inline.group(1).strip(), display=False)


def substitute(page_html: str, markup: Callable[[Formula], str]) -> str:
    """``page_html`` with each formula replaced by ``markup(formula)``.

    The arithmatex element stays around its formula (Material styles ``div.arithmatex``:
    a wide display formula scrolls instead of overflowing the page)."""

    def arithmatex(match: re.Match[str]) -> str:
        tag = match.group(1)
        return (
            f'<{tag} class="arithmatex">{markup(_arithmatex_formula(tag, match.group(2)))}</{tag}>'
        )

    def label(match: re.Match[str]) -> str:
        text = html.unescape(match.group(2))
        if not INLINE.search(text):
            return match.group(0)
        parts, last = [], 0
        for inline in INLINE.finditer(text):
            parts.append(html.escape(text[last : inline.start()], quote=False))
            parts.append(markup(Formula(inline.group(1).strip(), display=False)))
            last = inline.end()
        parts.append(html.escape(text[last:], quote=False))
        return match.group(1) + "".join(parts) + match.group(3)

    return LABEL.sub(label, ARITHMATEX.sub(arithmatex, page_html))


def with_source(markup: str, tex: str) -> str:
    """``markup`` (an ``<mjx-container …>``) with the TeX in a ``data-tex`` attribute, for
    readers who copy a formula (docs/javascripts/copy-tex.js reads it)."""
    if not markup.startswith(CONTAINER):
        raise ValueError(f"expected MathJax markup starting {CONTAINER!r}, got {markup[:60]!r}")
    escaped = html.escape(tex, quote=True)
    return f'{CONTAINER} data-tex="{escaped}"{markup[len(CONTAINER) :]}'


def tex_error(markup: str) -> str | None:
    """MathJax's error message in a formula's markup, or None when it typeset cleanly."""
    match = MERROR.search(markup)
    return html.unescape(match.group(1)) if match else None


# What arithmatex leaves as text when it does not see math: ``$$`` of display math not
# preceded by a blank line, TeX delimiters, and a ``$`` next to TeX syntax (``$\alpha``,
# ``_1$`` or a cell holding only ``$``, of a ``$…$`` that a table's ``|`` split). A ``$``
# among words is a dollar sign.
_NOT_PROSE = re.compile(
    r'<(pre|code|script|style|textarea)\b.*?</\1\s*>|<(span|div) class="arithmatex">.*?</\2>',
    re.S | re.I,
)
_TAG = re.compile(r"<[^>]*>")
_LONE_DOLLAR = re.compile(r">\s*\$\s*<")
_LONE = "\ue000"  # marks such a $ for _LEFT_TEX (a private-use character: not in any text)
_LEFT_TEX = re.compile(r"\$\$|\\[()[\]]|\\begin\{|\$[\\{]|[\\{}^_][\w{}]*\$|" + _LONE + r"\$")


def leftover_problems(content_html: str) -> list[str]:
    """One message per place of a page's content where TeX is left as plain text
    (``leftover_tex``), saying how to write it so that it is typeset."""
    return [
        f"math left as plain text, not typeset: '{quote}' (display math needs a blank line"
        " before its $$; inside a table, write | as \\|)"
        for quote in leftover_tex(content_html)
    ]


def leftover_tex(content_html: str) -> list[str]:
    """Each place of a page's rendered content where TeX is left as plain text (outside
    code and outside the formulas arithmatex found), as a short quote of the text."""
    prose = _NOT_PROSE.sub(" ", content_html)
    # a lone $ in an element: what is left of a $…$ a table's | split into extra cells
    text = html.unescape(_TAG.sub(" ", _LONE_DOLLAR.sub(">" + _LONE + "$<", prose)))
    found = []
    for match in _LEFT_TEX.finditer(text):
        quote = " ".join(text[max(0, match.start() - 30) : match.end() + 30].split())
        quote = quote.replace(_LONE, "")
        if quote not in found:
            found.append(quote)
    return found
