"""Each page as a reader's browser builds it: the author's content comes out whole.

HTML in a post, or in a notebook's output, that leaves an element or a comment open, or
closes one it never opened, changes what the browser shows after it: an unclosed
``<details>`` folds the rest of the article, an unclosed ``<!--`` hides everything after it
(the footer and the scripts included), a stray ``</div>`` moves the rest of the page out of
the article. Whatever the markup, the proof is the same: the page's content is wrapped in
two marks (``wrap``), and in the finished page, parsed with an HTML5 parser as a browser
parses it (lexbor), both marks must be found, side by side under one parent (``problems``);
and the theme's footer must be outside any article or folded block.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

FOLDING = {"details", "template", "noscript", "select", "textarea", "title", "iframe"}

# The elements a browser knows (HTML's, the obsolete ones it still draws, SVG's, MathML's);
# another name without a hyphen (a custom element has one) is text read as a tag: in
# "x<y and y>z" the browser makes <y and y> an element and shows "xz".
HTML_ELEMENTS = set(
    """a abbr acronym address area article aside audio b base basefont bdi bdo big blink
    blockquote body br button canvas caption center cite code col colgroup data datalist
    dd del details dfn dialog dir div dl dt em embed fieldset figcaption figure font footer
    form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe image img
    input ins isindex kbd keygen label legend li link listing main map mark marquee menu
    menuitem meta meter multicol nav nextid nobr noembed noframes noscript object ol
    optgroup option output p param picture plaintext pre progress q rb rp rt rtc ruby s
    samp script search section select slot small source spacer span strike strong style sub
    summary sup table tbody td template textarea tfoot th thead time title tr track tt u ul
    var video wbr xmp""".split()
)
SVG_ELEMENTS = set(
    """svg a animate animatemotion animatetransform circle clippath defs desc ellipse
    feblend fecolormatrix fecomponenttransfer fecomposite feconvolvematrix
    fediffuselighting fedisplacementmap fedistantlight fedropshadow feflood fefunca
    fefuncb fefuncg fefuncr fegaussianblur feimage femerge femergenode femorphology
    feoffset fepointlight fespecularlighting fespotlight fetile feturbulence filter
    foreignobject g image line lineargradient marker mask metadata mpath path pattern
    polygon polyline radialgradient rect set stop switch symbol text textpath title tspan
    use view""".split()
)
MATHML_ELEMENTS = set(
    """math maction annotation annotation-xml menclose merror mfenced mfrac mglyph mi
    mlabeledtr mmultiscripts mn mo mover mpadded mphantom mprescripts mroot mrow ms mspace
    msqrt mstyle msub msubsup msup mtable mtd mtext mtr munder munderover none semantics""".split()
)
KNOWN_ELEMENTS = HTML_ELEMENTS | SVG_ELEMENTS | MATHML_ELEMENTS


@dataclass
class Marks:
    """The two comments that wrap a page's content, unique to one build."""

    token: str = field(default_factory=lambda: secrets.token_hex(8))

    @property
    def start(self) -> str:
        return f"tested-blog:content:{self.token}"

    @property
    def end(self) -> str:
        return f"/tested-blog:content:{self.token}"

    def wrap(self, content: str) -> str:
        return f"<!--{self.start}-->{content}<!--{self.end}-->"

    def unwrap(self, html: str) -> str:
        return html.replace(f"<!--{self.start}-->", "").replace(f"<!--{self.end}-->", "")


def problems(
    html: str,
    marks: Marks,
    separator: str | None = None,
    tree: LexborHTMLParser | None = None,
) -> list[str]:
    """What in the page a browser would show other than as written, as sentences.
    ``separator``: the blog's excerpt separator, when the page is a post that has one: it
    must stand between whole elements, since the blog's index pages cut the post there.
    ``tree``: ``html`` parsed, when the caller has it."""
    tree = tree or LexborHTMLParser(html)
    if tree.root is None:
        return []
    comments = _find(tree, marks)
    start, end = comments.get(marks.start), comments.get(marks.end)
    found = []
    if start is not None and end is None:
        found.append(
            "its content opens an HTML comment (<!--) that is never closed: the browser hides"
            " everything after it, the rest of the page, its footer and scripts included"
        )
    elif start is not None and end is not None and not _same(start.parent, end.parent):
        found.append(_why_apart(start, end))
    elif start is not None and end is not None:
        carried = _carried_over(end, html, marks)
        if carried:
            shown = " ".join(f"<{tag}>" for tag in carried)
            found.append(
                f"its content leaves {shown} open: the browser carries it over everything"
                " after the content (the footer and the page's own links inside it)"
            )
    if start is not None and end is not None and _same(start.parent, end.parent):
        unknown = _unknown_elements(start, end)
        if unknown:
            shown = ", ".join(f"<{tag}>" for tag in unknown)
            found.append(
                f"its content has {shown}, which no browser knows as an element: text written"
                " like a tag (x<y and y>z), which the browser hides as one; write &lt; for a"
                " < in text, or put the text in `code`"
            )
    if separator and start is not None and start.parent is not None:
        text = separator.strip().removeprefix("<!--").removesuffix("-->").strip()
        beside = [  # the separator where it must be: beside the content's marks
            node
            for node in start.parent.iter(include_text=True)
            if node.tag == "-comment" and (node.comment_content or "").strip() == text
        ]
        if not beside:
            found.append(
                f"its excerpt separator {separator} is inside an element or an HTML comment:"
                " the blog's index, archive and category pages, which show the post up to"
                " it, would cut that element or comment open; move it between paragraphs"
            )
    footers = tree.css("footer")
    footer = footers[-1] if footers else None  # the theme's, after the content
    if footer is not None and (folded := _folded_in(footer)):
        found.append(f"the page's footer ends up inside <{folded}>: its content leaves that open")
    return found


def _unknown_elements(start: LexborNode, end: LexborNode) -> list[str]:
    """The names, in order and once each, of the elements between the marks ``start`` and
    ``end`` (siblings) that are no element of HTML, SVG or MathML, nor a custom one."""
    found: dict[str, None] = {}
    node = start.next
    while node is not None and not _same(node, end):
        for element in [node, *node.traverse(include_text=False)]:
            tag = element.tag or ""
            if tag.startswith("-") or "-" in tag or ":" in tag:
                continue  # a comment or text, a custom element, a namespaced one
            if tag.lower() not in KNOWN_ELEMENTS:
                found[tag] = None
        node = node.next
    return list(found)


def _find(tree: LexborHTMLParser, marks: Marks) -> dict[str | None, LexborNode]:
    """The marks in ``tree``: first where a theme puts the content, as a whole page has it
    (both children of an <article>); only a page where they are not is walked through."""
    found = _marks_in(
        (child for article in tree.css("article") for child in article.iter(include_text=True)),
        marks,
    )
    if len(found) < 2 and tree.root is not None:
        found = _marks_in(tree.root.traverse(include_text=False), marks)
    return found


def _marks_in(nodes: Iterable[LexborNode], marks: Marks) -> dict[str | None, LexborNode]:
    return {
        node.comment_content: node
        for node in nodes
        if node.tag == "-comment" and node.comment_content in (marks.start, marks.end)
    }


def _tail(end: LexborNode) -> list[tuple[str, ...]]:
    """The ancestors of every element after the comment ``end``, in document order: its
    later siblings and theirs, up to the root, each with what it holds."""
    shapes: list[tuple[str, ...]] = []
    node: LexborNode | None = end
    while node is not None:
        above = tuple(n.tag or "" for n in reversed(_ancestors(node)))
        sibling = node.next
        while sibling is not None:
            for inner in sibling.traverse(include_text=False):
                tag = inner.tag or ""
                if not tag.startswith("-"):
                    shapes.append((*above, *_path(inner, sibling), tag))
            sibling = sibling.next
        node = node.parent
    return shapes


def _path(node: LexborNode, top: LexborNode) -> tuple[str, ...]:
    """The tags from ``top`` down to ``node``'s parent (empty when ``node`` is ``top``)."""
    tags: list[str] = []
    while node is not None and node.mem_id != top.mem_id:
        node = node.parent  # type: ignore[assignment]
        if node is not None:
            tags.append(node.tag or "")
    return tuple(reversed(tags))


def _carried_over(mine: LexborNode, html: str, marks: Marks) -> list[str]:
    """Elements the content opens that the browser re-opens around what follows it (an
    unclosed <a> or <b> in the last paragraph): the page after the content (after ``mine``,
    the end mark in ``html``'s tree), compared with the same page without the content."""
    start, end = f"<!--{marks.start}-->", f"<!--{marks.end}-->"
    at, to = html.find(start), html.find(end)
    if at < 0 or to < at:
        return []
    without = html[: at + len(start)] + html[to:]
    theirs = _find(LexborHTMLParser(without), marks).get(marks.end)
    if theirs is None:
        return []
    actual, expected = _tail(mine), _tail(theirs)
    if actual == expected:
        return []
    # the carried-over elements are the ones the tail has more of: re-opened copies
    more = Counter(shape[-1] for shape in actual) - Counter(shape[-1] for shape in expected)
    return [tag for tag in dict.fromkeys(shape[-1] for shape in actual) if more[tag]] or [
        "an element"
    ]


def _same(a: LexborNode | None, b: LexborNode | None) -> bool:
    return a is not None and b is not None and a.mem_id == b.mem_id


def _ancestors(node: LexborNode) -> list[LexborNode]:
    found = []
    parent = node.parent
    while parent is not None:
        found.append(parent)
        parent = parent.parent
    return found


def _why_apart(start: LexborNode, end: LexborNode) -> str:
    """The content's end is not beside its start: what was left open, or closed too far."""
    home = start.parent
    chain = _ancestors(end)
    ids = [n.mem_id for n in chain]
    if home is not None and home.mem_id in ids:  # the end is deeper: elements left open
        left_open = [n.tag for n in reversed(chain[: ids.index(home.mem_id)])]
        shown = " ".join(f"<{tag}>" for tag in left_open)
        folding = [tag for tag in left_open if tag in FOLDING]
        effect = (
            f"; the rest of the page is folded inside <{folding[0]}>"
            if folding
            else "; the rest of the page is nested inside it"
        )
        return f"its content leaves {shown} open{effect}"
    return (
        "its content closes an element it never opened (a stray end tag such as </div>):"
        " the rest of the page moves out of the article"
    )


def _folded_in(node: LexborNode) -> str | None:
    for parent in _ancestors(node):
        if parent.tag in FOLDING or parent.tag == "article":
            return parent.tag
    return None
