"""Links and images in a page's HTML that point into the site must reach a published file;
and nothing on a page makes a reader's browser fetch from another host.

MkDocs validates Markdown links, but not ``href``/``src`` of raw HTML (``<img
src="missing.png">``), and a link to an excluded page, such as a ``draft: true`` post, is
only an INFO message, although the published site has nothing there. This module reads
the rendered HTML of a page, so both kinds of link are checked the same way.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from mkdocs.structure.files import File

from tested_blog.fences import code_lines

ATTRIBUTES = {"href", "src"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ATTRIBUTES and value is not None:
                self.found.append((tag, name, value))
            elif name in ("srcset", "imagesrcset") and value is not None:  # "a.png 2x, …"
                self.found += [(tag, name, url) for url in _srcset_urls(value)]


@lru_cache(maxsize=256)
def html_links(html: str) -> tuple[tuple[str, str, str], ...]:
    """(tag, attribute, value) of every ``href`` and ``src`` in ``html``, in order, and
    of each URL of a ``srcset``.

    Remembered by the HTML itself: a ``mkdocs serve`` rebuild parses only pages that
    changed (parsing is most of this module's cost)."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return tuple(collector.found)


def site_path(link: str, page_url: str) -> str | None:
    """The path inside the site that ``link`` on the page at ``page_url`` (a site-relative
    URL like ``blog/post/``) points to, or None if it leaves the page's file for another
    host or scheme, or only names an anchor of the page itself."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    if parts.path.startswith("/"):
        return parts.path  # absolute: checked apart, it misses the site's sub-path
    folder = (
        "/" + page_url
        if page_url.endswith("/") or not page_url
        else (posixpath.dirname("/" + page_url) + "/")
    )
    joined = posixpath.join(folder, parts.path)
    path = posixpath.normpath(unquote(joined)).lstrip("/")
    return path + "/" if parts.path.endswith("/") and path else path


@dataclass
class SiteFiles:
    """The site's published paths, and the unpublished ones with why (for messages)."""

    published: set[str] = field(default_factory=set)
    unpublished: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_files(cls, files: Iterable[File], drafts: Mapping[int, str]) -> SiteFiles:
        """``drafts`` maps ``id(file)`` of each draft post to its author's file."""
        site = cls()
        for f in files:
            url = "" if f.url == "./" else f.url  # the home page's URL is "./"
            paths = {url, f.dest_uri, url.rstrip("/")}
            if not f.inclusion.is_excluded():
                site.published |= paths
            else:
                why = (
                    f"a draft post ('{drafts[id(f)]}' has draft: true)"
                    if id(f) in drafts
                    else f"excluded from the built site ('{f.src_uri}')"
                )
                site.unpublished.update(dict.fromkeys(paths, why))
        return site

    def problem(self, path: str) -> str | None:
        if path in self.published or path.rstrip("/") in self.published:
            return None
        if path.startswith("/"):
            return (
                "an absolute path, which misses the site's sub-path on GitHub Pages; "
                "write it relative to the page"
            )
        why = self.unpublished.get(path) or self.unpublished.get(path.rstrip("/"))
        return f"which is {why}" if why else "which is not a page or file of the site"


def link_problems(html: str, page_url: str, site: SiteFiles) -> list[str]:
    """One line per link or image of ``html`` that points into the site at nothing
    published."""
    problems = []
    for tag, attribute, value in html_links(html):
        path = site_path(value, page_url)
        if path is None:
            continue
        why = site.problem(path)
        if why is not None:
            problems.append(f"<{tag} {attribute}=\"{value}\"> points to '{path}', {why}")
    return problems


# --------------------------------------------------------------------------- other hosts

# Elements that make the browser fetch what their attribute names (a link a reader follows,
# <a href>, is not a fetch); <link> only for the rel values that load or contact a host.
FETCHING = {
    "script": ("src", "href", "xlink:href"),  # href, xlink:href: SVG's script
    "base": ("href",),  # every relative URL after it resolves against that host
    "a": ("ping",),  # a request on every click
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "iframe": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src", "formaction"),
    "form": ("action",),  # where a reader's input is sent, which the policy must allow
    "button": ("formaction",),
    "link": ("href", "imagesrcset"),
    "image": ("href", "xlink:href"),  # SVG
    "use": ("href", "xlink:href"),  # SVG
    "body": ("background",),  # the old HTML attribute, still fetched
    "table": ("background",),
    "td": ("background",),
    "th": ("background",),
    "meta": (),  # http-equiv="refresh": a page that leaves for another host (below)
}
LINK_FETCHES = {
    "stylesheet",
    "preload",
    "modulepreload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
    "icon",
    "apple-touch-icon",
    "mask-icon",
    "manifest",
    "prerender",
}
_TAG = re.compile(r"<(" + "|".join(FETCHING) + r")\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.I)
_ATTR = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?""")
_STYLE_ATTR = re.compile(r"""\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_STYLE_ELEMENT = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.I | re.S)
_CSS_URL = re.compile(
    r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))"""  # url("…"), url('…'), url(…)
    r"""|"((?:https?:)?//[^"]*)"|'((?:https?:)?//[^']*)'""",  # @import "…", image-set("…")
    re.I,
)
# Inline scripts: any string that is a URL of another host (a script it loads, a module it
# imports, an image it draws) is taken for a fetch; JSON data (ld+json) is not run.
_SCRIPT_ELEMENT = re.compile(
    r"<script\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>(.*?)</script\s*>", re.I | re.S
)
_SCRIPT_URL = re.compile(r"""["'`]((?:https?:)?//[^"'`\s]+)""")
_RUN_TYPES = {  # the script types a browser runs
    "",
    "module",
    *(
        f"{kind}/{name}"
        for kind in ("text", "application")
        for name in ("javascript", "ecmascript")
    ),
    "application/x-javascript",
    "text/jscript",
    "text/livescript",
}
# Code shown on the page (escaped, so no tags) cannot hold a handler; text between tags is
# skipped so that prose such as ' onclick="…"' is not read as an attribute.
_CODE_OR_TEXT = re.compile(r">[^<]*<")
# Event-handler attributes (onload=, onclick=, …) run script: any URL of another host in one
_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)


_URL_IGNORED = dict.fromkeys(map(ord, "\t\n\r"))  # what a browser drops inside a URL


def other_host(url: str) -> str | None:
    """The host ``url`` would be fetched from if it is not this site's ("" for a
    protocol-relative URL without one), else None: relative paths and data: URLs."""
    # As a browser reads it (the URL standard): surrounding spaces, tabs and newlines
    # inside dropped, and each backslash taken for a slash (two of them start a host).
    url = url.strip().translate(_URL_IGNORED).replace("\\", "/")
    parts = urlsplit(url)
    if url.startswith("//") or parts.scheme in ("http", "https", "ftp", "ws", "wss"):
        return parts.netloc
    return None


def _srcset_urls(value: str) -> list[str]:
    return [item.split()[0] for item in value.split(",") if item.split()]


def _attributes(text: str) -> dict[str, str]:
    """The attributes of a start tag's text (after its name), names lower-cased."""
    return {
        m.group(1).lower(): unescape(next((g for g in m.groups()[1:] if g is not None), ""))
        for m in _ATTR.finditer(text)
    }


def _urls_named(code: str) -> list[str]:
    """The URLs of another host that script ``code`` names in its strings."""
    return [url for url in _SCRIPT_URL.findall(code) if other_host(url) is not None]


def css_fetches(css: str) -> list[str]:
    """Every ``url(…)`` and ``@import`` of ``css`` that names another host."""
    found = []
    for match in _CSS_URL.finditer(css):
        url = next((g for g in match.groups() if g is not None), "")
        if url and other_host(url) is not None:
            found.append(url)
    return found


@lru_cache(maxsize=256)
def third_party_fetches(html: str) -> tuple[str, ...]:
    """One line per resource the page makes a reader's browser fetch from another host:
    scripts, images, stylesheets, frames, media, preconnects, and CSS ``url()`` /
    ``@import`` in style attributes and ``<style>`` elements. Remembered by the HTML, like
    ``html_links``."""
    found: list[str] = []
    for match in _TAG.finditer(html):
        tag = match.group(1).lower()
        attrs = _attributes(match.group(2))
        if tag == "link" and not LINK_FETCHES & set(attrs.get("rel", "").lower().split()):
            continue
        for name in FETCHING[tag]:
            value = attrs.get(name)
            if not value:
                continue
            urls = _srcset_urls(value) if name.endswith("srcset") else [value]
            found += [f'<{tag} {name}="{value}">' for url in urls if other_host(url) is not None]
        if tag == "iframe" and attrs.get("srcdoc"):  # a document of its own, inline
            found += third_party_fetches(attrs["srcdoc"])
        if tag == "meta" and attrs.get("http-equiv", "").strip().lower() == "refresh":
            # "5; url=https://…": the browser leaves for it, which no content policy stops
            target = re.sub(
                r"^[\d.\s]*[;,]?\s*(url\s*=\s*)?", "", attrs.get("content", ""), flags=re.I
            )
            target = target.strip().strip("'\"")
            if target and other_host(target) is not None:
                found.append(f'<meta http-equiv="refresh" content="{attrs.get("content")}">')
    styles = [next(g for g in m.groups() if g is not None) for m in _STYLE_ATTR.finditer(html)]
    styles += [m.group(1) for m in _STYLE_ELEMENT.finditer(html)]
    for css in styles:
        found += [f"CSS url({url})" for url in css_fetches(unescape(css))]
    for match in _HANDLER.finditer(_CODE_OR_TEXT.sub("><", html)):
        handler = unescape(next(g for g in match.groups() if g is not None))
        found += [f"an event handler naming {url}" for url in _urls_named(handler)]
    for match in _SCRIPT_ELEMENT.finditer(html):
        if _attributes(match.group(1)).get("type", "").strip().lower() in _RUN_TYPES:
            found += [f"an inline <script> naming {url}" for url in _urls_named(match.group(2))]
    return tuple(found)


def fetch_problem(what: str) -> str:
    """The message for one of ``third_party_fetches`` or ``css_fetches``."""
    if re.match(r"<\w+ (form)?action=", what):
        return (
            f"{what} sends a reader's input to another host, which the pages' Content"
            " Security Policy (form-action 'self') refuses: the form would do nothing"
        )
    if "fonts.googleapis.com" in what or "fonts.gstatic.com" in what:
        return (
            f"{what} makes every reader's browser fetch from another host: it is Material's"
            " web font, which the theme links on every page; set `font: false` under"
            " `theme:` in mkdocs.yml (the reader's system fonts), or serve a font of your"
            " own from docs/ through extra_css"
        )
    return (
        f"{what} makes every reader's browser fetch from another host; save the file "
        "under docs/ and refer to it by a relative path"
    )


# --------------------------------------------------------------------------- excerpts

_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)


# A line after which an indented line is that block's content, not code: a list item, an
# admonition, a collapsible block or a content tab (pymdownx), or indented content itself.
_BLOCK_OPENER = re.compile(r"^(?:[ \t]+\S|\s*(?:[-*+]|\d+[.)])\s|\s*(?:!!!|\?\?\?\+?|===))")


def _without_indented_code(markdown: str) -> str:
    """``markdown`` with its indented code blocks (four spaces or a tab, after a blank line
    that follows a paragraph) blanked out."""
    out, in_code, blank_before, opener = [], False, True, False
    for line in markdown.split("\n"):
        indented = line.startswith(("    ", "\t")) and line.strip()
        if in_code and (indented or not line.strip()):
            out.append("")
            continue
        in_code = bool(indented and blank_before and not opener)
        out.append("" if in_code else line)
        if line.strip():
            opener = bool(_BLOCK_OPENER.match(line)) or in_code
        blank_before = not line.strip()
    return "\n".join(out)


def excerpt_raw_links(markdown: str, separator: str) -> list[str]:
    """Relative ``href``/``src`` of raw HTML in a post's excerpt (its Markdown above
    ``separator``; all of it without one). The blog shows the excerpt on its index, archive
    and category pages, at other URLs; it rewrites Markdown links for them, but not raw
    HTML, which breaks."""
    excerpt = markdown.split(separator, 1)[0]
    code = code_lines(excerpt)
    excerpt = "".join(
        "\n" if number in code else line
        for number, line in enumerate(excerpt.splitlines(keepends=True), start=1)
    )
    excerpt = _CODE_SPAN.sub("", _without_indented_code(excerpt))
    return [
        f'<{tag} {attribute}="{value}">'
        for tag, attribute, value in html_links(excerpt)
        if site_path(value, "x/") is not None and not value.startswith("/")
    ]


def file_fetches(name: str, text: str) -> list[str]:
    """What a file of the site's own (by its ``name``'s suffix) makes a browser fetch from
    another host: a stylesheet's ``url()``/``@import``, a script's URL strings, an HTML or
    SVG file's markup."""
    suffix = name.rsplit(".", 1)[-1].lower()
    if suffix == "css":
        return [f"url({url})" for url in css_fetches(text)]
    if suffix in ("js", "mjs"):
        return [f"a script naming {url}" for url in _urls_named(text)]
    if suffix in ("html", "htm", "svg"):
        return list(third_party_fetches(text))
    return []


# the site's own files a browser reads as they are published: stylesheets, scripts, markup
SITE_FILE_TYPES = frozenset({".css", ".js", ".mjs", ".html", ".htm", ".svg"})


def own_file_problems(docs: Path, root: Path) -> list[str]:
    """One message per fetch from another host in the site's own stylesheets, scripts, HTML
    and SVG files under ``docs`` (``extra_css``, ``extra_javascript``, anything a page links
    or frames), each naming its file relative to ``root``."""
    problems = []
    for path in sorted(docs.rglob("*")):
        if path.suffix.lower() not in SITE_FILE_TYPES or "__pycache__" in path.parts:
            continue
        try:
            found = file_fetches(path.name, path.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            continue
        name = Path(os.path.relpath(path, root)).as_posix()
        problems += [f"File '{name}': {fetch_problem(what)}" for what in found]
    return problems
