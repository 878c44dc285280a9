"""A page's stylesheets after the theme's, fetched as one file.

A Material page links its theme stylesheet, its palette, the site's ``extra_css``, each
plugin's own (tested-by.css, notebooks.css, reader.css) and, with math, MathJax's: eight
render-blocking requests on this site, where bare Material makes one or two. On a phone's
connection each one waits its turn for bandwidth and round trips, and the first paint
waits for the last of them.

``Bundles.page`` reads a page's ``<head>`` as a browser does (``html.parser``: comments and
script text are not tags) and replaces each run of adjacent ``<link rel="stylesheet"
href="…">`` tags after the page's first stylesheet with one link to a bundle named after
its members. The first stylesheet, the theme's, stays on its own: every page shares it, so
a reader's browser fetches it once. Only links with nothing but ``rel`` and ``href`` (no
``media``, ``title``, ``disabled``…) to a file of the site, with only white space between
them, are joined: the cascade sees the same rules in the same order.

``Bundles.write``, once the build has written every member (MathJax's stylesheet comes
last), writes each bundle: the members' text in order, each relative ``url()`` rebased to
the bundle's folder. Joining must not change what any rule means, so the bundle is parsed
as a browser parses it (tinycss2 follows the CSS Syntax standard) and must give exactly the
rules of its members parsed one by one; a member that ends inside a block, string, comment
or ``url(`` would swallow the next one, and an ``@import`` or ``@namespace`` only counts at
the top of a file. Such a member fails the build, named, instead of being bundled.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import tinycss2
from mkdocs.utils import get_relative_url
from tinycss2.serializer import serialize_string_value, serialize_url

from .files import write_if_changed

FOLDER = "assets/tested-blog/"  # where the bundles are written, beside the plugins' assets
HEADER = "/* One request for: {} */\n"  # a bundle's second line: its members, in order
_HEADER = re.compile(r"/\* One request for: (.*?) \*/\n")
# At-rules a browser honours only before every other rule of their stylesheet.
FIRST_ONLY = {"import", "namespace"}
_NEWLINES = re.compile(r"\r\n|[\r\f]")  # CSS Syntax: each is a newline before tokenizing
# a url(…) token and a string token as written, up to where the tokenizer ends them (an
# unclosed one at the end of the file included); tinycss2 keeps only normalised forms
_URL_TOKEN = re.compile(r"""url\(\s*(?:[^\\)\s"'(]|\\.|\\\Z)*\s*(?:\)|\Z)""", re.I | re.S)
_STRING_TOKEN = re.compile(r"""(["'])(?:(?!\1)[^\\\n]|\\.|\\\Z)*(?:\1|\Z)""", re.S)
PLAIN_PATH = re.compile(r"[A-Za-z0-9._~!$&'()+;=@-]+(?:/[A-Za-z0-9._~!$&'()+;=@-]+)*/?")
_CHARSET = re.compile(r'@charset "([^"]*)";')  # only these bytes at a file's start count
# a bundle's first line: read as UTF-8 when the server names no charset, whatever the
# encoding of the page that links it
CHARSET = '@charset "utf-8";\n'
_URL_TRIMMED = "".join(map(chr, range(0x21)))  # what a URL parser drops at either end
_URL_FUNCTIONS = {"url", "src"}  # functions whose string argument is a URL
_IMAGE_SETS = {"image-set", "-webkit-image-set"}  # whose string arguments are URLs


class BundleError(ValueError):
    """A member that cannot share a file with the others, and why."""


@dataclass(frozen=True)
class Link:
    """A ``<link rel="stylesheet">`` of a page's head: its text's span, and the site path
    of its stylesheet if it may join a bundle (None if it may not)."""

    start: int
    end: int
    path: str | None


class _HeadReader(HTMLParser):
    """The stylesheet links of a document's head, in order, with their offsets."""

    def __init__(self, page_url: str | None, root: str | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.root = root
        self.line_starts = [0]  # of the lines fed so far (getpos() counts lines)
        self.links: list[Link] = []
        self.head_end: int | None = None  # offset of the tag that ended the head
        self.based = False  # a <base href>: every relative URL of the page changes base
        self.done = False

    def position(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def feed_from(self, html: str, at: int, size: int) -> None:
        """Feed ``html[at : at + size]``, the text after what was fed before."""
        chunk = html[at : at + size]
        self.line_starts += [at + m.end() for m in re.finditer("\n", chunk)]
        self.feed(chunk)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        if tag == "body":
            self.finish()
        elif tag == "link":
            self.add_link(attrs)
        elif tag == "base" and any(name == "href" for name, _ in attrs):
            self.based = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if not self.done and tag == "head":
            self.finish()

    def finish(self) -> None:
        self.head_end = self.position()
        self.done = True

    def add_link(self, attrs: list[tuple[str, str | None]]) -> None:
        # a browser reads the first of a repeated attribute
        rel = next((value for name, value in attrs if name == "rel"), None) or ""
        if "stylesheet" not in rel.lower().split():
            return
        start = self.position()
        text = self.get_starttag_text() or ""
        self.links.append(Link(start, start + len(text), self.joinable(attrs)))

    def joinable(self, attrs: list[tuple[str, str | None]]) -> str | None:
        named = dict(attrs)
        if len(attrs) != 2 or set(named) != {"rel", "href"}:
            return None
        if (named["rel"] or "").strip().lower() != "stylesheet":
            return None
        return site_file(named["href"] or "", self.page_url, self.root)


def site_file(href: str, page_url: str | None, root: str | None = None) -> str | None:
    """The path in the site of the file ``href`` on the page at ``page_url`` (a URL from the
    site's root, like ``blog/post/``) names, or None unless ``href`` is a plain relative
    path to a file: one a browser resolves exactly as a path is joined here (no
    percent-escape, backslash or other character it would rewrite, no query, fragment or
    final slash), which stays inside the site. (A bundle's second line lists its members
    between ", " and closes at "*/": those characters are not plain.)

    With ``root``, the site's path on its server (``/`` or like ``/repo/``), a plain path
    from the server's root under it names a file too. ``page_url`` is None for a page the
    server returns at any URL (``404.html``): only such a path names a file there."""
    href = href.strip()
    if root is not None and root.startswith("/") and root.endswith("/") and href.startswith(root):
        href, folder = href[len(root) :], ""
    elif page_url is None:
        return None
    else:
        folder = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url)
    if not PLAIN_PATH.fullmatch(href) or href.endswith("/"):
        return None
    path = posixpath.normpath(posixpath.join(folder, href))
    return None if path in (".", "..") or path.startswith("../") else path


def site_root(site_url: str | None) -> str:
    """The site's path on its server, as MkDocs links a page the server returns at any URL
    (``404.html``): the path of ``site_url``, or ``/`` without one."""
    path = urlsplit(site_url or "/").path or "/"
    return path if path.endswith("/") else path + "/"


def head_links(
    html: str, page_url: str | None, root: str | None = None
) -> tuple[list[Link], int | None]:
    """The stylesheet links of ``html``'s head, and where the head ends (None if the
    document has no head a parser closes); ``page_url`` and ``root`` as ``site_file``
    reads them. A head with a ``<base href>`` gives its links as not joinable: their
    files are not where ``page_url`` says."""
    reader = _HeadReader(page_url, root)
    try:
        for at in range(0, len(html), 16384):  # the head is at the top: stop reading there
            reader.feed_from(html, at, 16384)
            if reader.done:
                break
    except AssertionError:  # html.parser's way to give up (``<![foo[``): leave it alone
        return [], None
    if reader.based:
        return [Link(link.start, link.end, None) for link in reader.links], reader.head_end
    return reader.links, reader.head_end


def after_last_stylesheet(html: str) -> int | None:
    """Where a stylesheet link goes to come after the page's others and join their run:
    just after its head's last stylesheet link (None without one)."""
    links, _ = head_links(html, "")
    return links[-1].end if links else None


def runs(links: list[Link], html: str) -> Iterator[list[Link]]:
    """The runs of two or more joinable links after the first stylesheet, each link with
    only white space before the next."""
    run: list[Link] = []
    for link in links[1:]:
        adjacent = bool(run) and not html[run[-1].end : link.start].strip()
        if link.path is not None and (adjacent or not run):
            run.append(link)
            continue
        if len(run) > 1:
            yield run
        run = [link] if link.path is not None else []
    if len(run) > 1:
        yield run


def members_of(bundle: str) -> list[str] | None:
    """The site paths of the stylesheets the text ``bundle`` joins (None if it is not a
    bundle), as its comment after the @charset rule names them."""
    found = _HEADER.match(bundle.removeprefix(CHARSET))
    return found.group(1).split(", ") if found else None


def bundle_path(members: Iterable[str]) -> str:
    """The bundle's path in the site: named after its members, so every page that links the
    same stylesheets in the same order shares it."""
    key = hashlib.sha256("\n".join(members).encode("utf-8")).hexdigest()[:12]
    return f"{FOLDER}bundle.{key}.css"


@dataclass
class Bundles:
    """The bundles the pages link, by path: their members' site paths, in order. Kept for
    the life of the plugin, so a ``mkdocs serve --dirty`` rebuild rewrites the bundles of
    the pages it did not render again."""

    members: dict[str, tuple[str, ...]] = field(default_factory=dict)
    linked: set[str] = field(default_factory=set)  # the bundles linked since the last write

    def page(self, html: str, page_url: str | None, root: str | None = None) -> str:
        """``html`` (the page at ``page_url``) with each run of its stylesheets after the
        first linked as one bundle. A page the server returns at any URL (``page_url``
        None, like ``404.html``) links its files from the server's root, so it joins only
        those under the site's path ``root`` and links its bundle the same way."""
        if page_url is None and root is None:
            return html
        links, _ = head_links(html, page_url, root)
        out, at = [], 0
        for run in runs(links, html):
            members = tuple(link.path for link in run if link.path is not None)
            path = bundle_path(members)
            self.members[path] = members
            self.linked.add(path)
            href = f"{root}{path}" if page_url is None else get_relative_url(path, page_url)
            href = escape(href)
            out += [html[at : run[0].start], f'<link rel="stylesheet" href="{href}">']
            for before, link in zip(run, run[1:], strict=False):
                out.append(html[before.end : link.start])  # the white space between
            at = run[-1].end
        return "".join(out) + html[at:] if out else html

    def write(self, site: Path, named: Mapping[str, str] | None = None) -> list[str]:
        """Write every bundle whose members are all in ``site``; returns the bundles
        written (their site paths). Raises ``BundleError`` on a member that cannot be
        joined, or that a page linked since the last write and the site lacks (one missing
        file would take the others down with it), named by ``named`` (site path -> the file
        the author edits) if given."""
        written = []
        linked, self.linked = self.linked, set()
        for path, members in sorted(self.members.items()):
            names = {m: (named or {}).get(m, m) for m in members}
            files = [site / member for member in members]
            missing = [m for m, f in zip(members, files, strict=True) if not f.is_file()]
            if missing and path in linked:
                raise BundleError(
                    f"stylesheet '{names[missing[0]]}' is linked from the pages but the site has"
                    " no such file"
                )
            if missing:  # a bundle of a page an earlier `mkdocs serve --dirty` build wrote
                continue
            texts = {m: read_member(names[m], f) for m, f in zip(members, files, strict=True)}
            text = joined(path, texts, names)
            write_if_changed(site / path, text.encode("utf-8"))
            written.append(path)
        return written


def read_member(name: str, path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise BundleError(
            f"stylesheet '{name}' is not UTF-8 ({exc.reason} at byte {exc.start}), so it"
            " cannot share a file with the page's other stylesheets; save it as UTF-8"
        ) from None
    # CSS Syntax's preprocessing, which a browser does first: the same rules, one newline
    return _NEWLINES.sub("\n", text.removeprefix("\ufeff")).replace("\0", "\ufffd")


def joined(path: str, members: dict[str, str], named: Mapping[str, str] | None = None) -> str:
    """The bundle at ``path``: ``members`` (site path -> text), in order, each relative
    URL rebased; checked to parse into exactly the members' rules. ``named``: what to
    call a member in an error (its site path if not given)."""
    parts = {member: rebased(text, member, path) for member, text in members.items()}
    for member, part in parts.items():
        problem = _unjoinable(part)
        if problem is not None:
            name = (named or {}).get(member, member)
            raise BundleError(
                f"stylesheet '{name}' {problem}, so it cannot share one file with the page's"
                " other stylesheets"
            )
    names = ", ".join(members).replace("*/", "* /")
    text = HEADER.format(names) + "".join(part + "\n" for part in parts.values())
    expected = [_shape(rule) for part in parts.values() for rule in _rules(part)]
    if [_shape(rule) for rule in _rules(text)] != expected:  # each member checked above
        raise BundleError(f"the stylesheets {names} do not keep their rules when joined")
    return CHARSET + text


# a rule after a member: it must come out of the parse as it went in
SENTINEL = "tested-blog-end{}"


def _unjoinable(css: str) -> str | None:
    """Why ``css`` cannot be followed by another stylesheet's text (None if it can)."""
    declared = _CHARSET.match(css)
    if declared and declared.group(1).lower() not in ("utf-8", "utf8"):
        return (
            f'declares @charset "{declared.group(1)}" (the bundle is UTF-8); save it as'
            " UTF-8 without the rule"
        )
    rules = _rules(css)
    for rule in rules:
        if rule.type == "at-rule" and rule.lower_at_keyword in FIRST_ONLY:
            return (
                f"has an @{rule.lower_at_keyword} rule, which a browser honours only at the"
                " top of a file; write the rules it brings in instead"
            )
    followed = [_shape(rule) for rule in _rules(css + "\n" + SENTINEL)]
    if followed != [_shape(rule) for rule in [*rules, *_rules(SENTINEL)]]:
        return (
            "ends inside a block, rule, string, comment or url( that it never closes (the"
            " next file's rules would be read as part of it); close it"
        )
    return None


def _rules(css: str) -> list:
    """The top-level rules of ``css`` (and its parse errors), as a browser reads them."""
    return [n for n in tinycss2.parse_stylesheet(css) if n.type not in ("whitespace", "comment")]


def _shape(node: object) -> object:
    """What a parsed node means, without where it was in its file."""
    if isinstance(node, list):
        return [_shape(n) for n in node if getattr(n, "type", None) != "comment"]
    slots = [
        s
        for cls in type(node).__mro__
        for s in getattr(cls, "__slots__", ())
        if s not in ("source_line", "source_column")
    ]
    if not slots:
        return node
    return (type(node).__name__, *(_shape(getattr(node, s, None)) for s in slots))


def rebased(css: str, member: str, bundle: str) -> str:
    """``css`` (the stylesheet at site path ``member``) with each relative URL rewritten to
    reach the same file from ``bundle``. A relative ``url()`` in a custom property's value
    raises ``BundleError``: a browser resolves it where the property is used, which may be
    another stylesheet or the page."""
    line_starts = [0] + [m.end() for m in re.finditer("\n", css)]
    edits: list[tuple[int, int, str]] = []
    parsed = tinycss2.parse_stylesheet(css)
    for name, token in _custom_property_urls(parsed):
        if _moved(token.value, member, bundle) is not None:
            raise BundleError(
                f"stylesheet '{member}' has a relative url() in custom property {name}, which"
                " a browser resolves where the property is used, not in this file; write it"
                " in the property that uses it"
            )
    for token in _url_tokens(parsed):
        start = line_starts[token.source_line - 1] + token.source_column - 1
        new = _moved(token.value, member, bundle)
        if new is None:
            continue
        written = (_URL_TOKEN if token.type == "url" else _STRING_TOKEN).match(css, start)
        if written is None:  # tinycss2 found a token there: its text must be there
            raise BundleError(
                f"stylesheet '{member}': no URL as written at line {token.source_line},"
                f" column {token.source_column}"
            )
        if token.type == "url":
            text = f"url({serialize_url(new)})"
        else:
            text = f'"{serialize_string_value(new)}"'
        end = written.end()
        edits.append((start, end, text))
    for start, end, text in sorted(edits, reverse=True):
        css = css[:start] + text + css[end:]
    return css


def _custom_property_urls(nodes: Iterable) -> Iterator[tuple[str, Any]]:
    """(name, URL token) of each URL in a custom property's value (``--x: url(a.png)``),
    in rules at any depth (nested rules, @media, @supports…)."""
    for node in nodes:
        content = getattr(node, "content", None)
        if node.type not in ("qualified-rule", "at-rule") or not content:
            continue
        for item in tinycss2.parse_blocks_contents(content):
            if item.type == "declaration" and item.name.startswith("--"):
                yield from ((item.name, url) for url in _url_tokens(item.value))
            elif item.type in ("qualified-rule", "at-rule"):
                yield from _custom_property_urls([item])


def _url_tokens(nodes: Iterable) -> Iterator:
    """Every URL of a parsed stylesheet: url tokens, and the strings of ``url("…")``,
    ``src("…")`` and ``image-set("…" 1x)``."""
    for node in nodes:
        if node.type == "url":
            yield node
        elif node.type == "function" and node.lower_name in _URL_FUNCTIONS | _IMAGE_SETS:
            strings = [t for t in node.arguments if t.type == "string"]
            yield from strings if node.lower_name in _IMAGE_SETS else strings[:1]
        for attribute in ("prelude", "content", "arguments"):
            children = getattr(node, attribute, None)
            if isinstance(children, list):
                yield from _url_tokens(children)


def _moved(url: str, member: str, bundle: str) -> str | None:
    """``url``, relative to the file ``member``, made relative to the file ``bundle``: the
    way from the bundle's folder to the member's, then ``url`` as written, so a browser
    resolves it to the same file whatever it holds (dot segments, escapes); a URL of only
    a query names the member itself. None when it does not depend on where the stylesheet
    is (another host, a data: URL, an absolute path, only a fragment, nothing)."""
    url = url.strip(_URL_TRIMMED)
    parts = urlsplit(url.replace("\\", "/"))  # as a browser reads an http(s) URL
    if parts.scheme or parts.netloc or url.replace("\\", "/").startswith("/"):
        return None
    if not parts.path:
        if not parts.query:  # "" or "#id": the document itself, wherever the CSS is
            return None
        url = posixpath.basename(member) + url
    way = posixpath.relpath(posixpath.dirname(member) or ".", posixpath.dirname(bundle) or ".")
    return url if way == "." else f"{way}/{url}"
