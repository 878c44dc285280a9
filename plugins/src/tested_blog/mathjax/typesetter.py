"""Typeset a site's math at build time: pages in, CHTML markup out, plus the stylesheet
and fonts the markup needs.

A ``Typesetter`` lives as long as the Python process (so across the rebuilds of one
``mkdocs serve``). It starts Node only when a formula is missing from the cache, so a
rebuild with nothing changed runs no Node at all. Per build: ``start_build``, then
``typeset`` for each page, then ``write_assets`` into the site directory.

``prefetch`` hands a page's new formulas to MathJax on a thread of its own as soon as the
page's Markdown is rendered, so Node typesets them while Python renders the other pages;
``typeset`` and everything after it first wait for what was handed over.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..files import write_if_changed
from ..stylesheets import after_last_stylesheet
from . import distribution, fonts, webfonts
from .cache import FormulaCache, formula_key, salt, set_key
from .node import find_node
from .page import Formula, TexError, formulas, substitute, tex_error, with_source
from .process import SCRIPT, MathJaxProcess
from .reading import plain

# Where the stylesheet and fonts go in the site (typeset.js sets fontURL to "fonts").
ASSET_DIR = "assets/mathjax"
STYLESHEET = f"{ASSET_DIR}/chtml.css"
FONT_DIR = f"{ASSET_DIR}/fonts/"
FONT_FACE = re.compile(r"@font-face[^{]*\{[^}]*font-family:\s*([\w-]+);[^}]*\}\s*")


@dataclass
class PageResult:
    """A typeset page: its new HTML, how many formulas it had, and its TeX errors."""

    html: str
    count: int
    errors: list[TexError] = field(default_factory=list)

    def with_links(self, relative: Callable[[str], str], copy_tex: str) -> str:
        """The page with what its typeset math needs in its ``<head>`` (none without math):
        the stylesheet, just after the page's other stylesheets, and the ``copy_tex``
        script, which puts a formula's TeX on the clipboard when a selection is copied.
        ``relative`` turns a path from the site's
        root into a link from this page.

        No font is preloaded: the fonts are small once cut (``webfonts``), and a preload
        competes with the stylesheets the first paint waits for. In Lighthouse's mobile
        runs (benchmarks/bench_lighthouse.py, median of 3) the softmax post painted first
        at 1.83 s with the preloads and 1.37 s without; no post painted earlier with them."""
        if not self.count:
            return self.html
        html = self.html
        head_end = max(html.find("</head>"), 0)
        script = f'<script src="{relative(copy_tex)}" defer></script>\n'
        html = html[:head_end] + script + html[head_end:]
        # the last stylesheet, next to the others: tested/reader can join them into one
        # file (tested_blog.stylesheets)
        at = after_last_stylesheet(html)
        at = head_end if at is None or at > head_end else at
        link = f'\n<link rel="stylesheet" href="{relative(STYLESHEET)}">'
        return html[:at] + link + html[at:]


class Typesetter:
    """Renders formulas through one MathJax process, caching markup in ``cache_dir``."""

    def __init__(self, cache_dir: Path, node: str | None = None) -> None:
        self._node = node
        self.cache = FormulaCache(cache_dir, salt(distribution.version(), SCRIPT))
        self.font_cache = Path(cache_dir) / "fonts"  # the served fonts' cuts (webfonts)
        self._process: MathJaxProcess | None = None
        self._seen_by_process: set[str] = set()
        self.used: dict[str, Formula] = {}  # this build's formulas, by key
        self._last_used: dict[str, Formula] = {}
        self.rendered = 0  # formulas sent to MathJax in this build (cache misses)
        self._dirty = False
        self._ahead: ThreadPoolExecutor | None = None  # runs the prefetched batches
        self._pending: list[Future[None]] = []
        self._prefetched: set[str] = set()  # keys handed over, done or not

    # ------------------------------------------------------------------ process

    def _mathjax(self) -> MathJaxProcess:
        if self._process is None or not self._process.running:
            self._process = MathJaxProcess(self._node or find_node(), distribution.es5_dir())
            self._seen_by_process = set()
        return self._process

    def _render(self, wanted: dict[str, Formula]) -> None:
        """Send ``wanted`` to MathJax in one batch; store the markup in the cache."""
        if not wanted:
            return
        keys = list(wanted)
        markup = self._mathjax().render([(wanted[k].tex, wanted[k].display) for k in keys])
        for key, html in zip(keys, markup, strict=False):
            self.cache.markup[key] = with_source(html, wanted[key].tex)
        self._seen_by_process.update(keys)
        self.cache.changed = True
        self.rendered += len(keys)

    def prefetch(self, page_html: str) -> None:
        """Start typesetting the formulas of ``page_html`` missing from the cache, without
        waiting for them."""
        wanted = {
            key: f
            for f in formulas(page_html)
            if (key := formula_key(f)) not in self.cache.markup and key not in self._prefetched
        }
        if not wanted:
            return
        self._prefetched.update(wanted)
        if self._ahead is None:
            self._ahead = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mathjax-ahead")
        self._pending.append(self._ahead.submit(self._render, wanted))

    def _settle(self) -> None:
        """Wait for every prefetched batch; raise the first failure (MathJax not starting
        or not answering) here, on the thread that builds the page."""
        pending, self._pending = self._pending, []
        self._prefetched.clear()
        failures = [exc for future in pending if (exc := future.exception()) is not None]
        if failures:
            raise failures[0]

    def close(self) -> None:
        with contextlib.suppress(Exception):  # the build that prefetched has reported it
            self._settle()
        if self._ahead is not None:
            self._ahead.shutdown()
            self._ahead = None
        if self._process is not None:
            self._process.close()
            self._process = None

    # ------------------------------------------------------------------ a build

    def start_build(self, dirty: bool = False) -> None:
        """Forget the last build's formulas (``dirty``: only some pages are rebuilt, so
        the stylesheet must still cover the pages that are not)."""
        with contextlib.suppress(Exception):  # left by a build that failed half-way
            self._settle()
        self._last_used = {**self._last_used, **self.used} if dirty else dict(self.used)
        self._dirty = dirty
        self.used = {}
        self.rendered = 0

    def typeset(self, page_html: str) -> PageResult:
        """The page with every formula typeset, and the formulas MathJax reported errors in."""
        self._settle()
        found = {formula_key(f): f for f in formulas(page_html)}
        if not found:
            return PageResult(page_html, 0)
        self._render({k: f for k, f in found.items() if k not in self.cache.markup})
        self.used.update(found)
        markup = self.cache.markup
        new_html = substitute(page_html, lambda f: markup[formula_key(f)])
        errors = [
            TexError(f, message)
            for k, f in found.items()
            if (message := tex_error(markup[k])) is not None
        ]
        return PageResult(new_html, len(found), errors)

    def readings(self) -> dict[Formula, str]:
        """The plain reading (``reading.plain``) of every formula of this build."""
        self._settle()
        markup = self.cache.markup
        return {f: plain(markup[key]) for key, f in self.used.items() if key in markup}

    def stylesheet(self) -> str:
        """CSS covering every formula of this build (from the cache when the set of
        formulas is one seen before)."""
        self._settle()
        wanted = {**self._last_used, **self.used} if self._dirty else dict(self.used)
        key = set_key(set(wanted))
        css = self.cache.stylesheets.get(key)
        if css is None:
            # MathJax's adaptive CSS covers what its process has typeset: make sure that
            # includes the formulas this build took from the cache.
            unseen = {k: f for k, f in wanted.items() if k not in self._seen_by_process}
            self._render(unseen)
            css = self._mathjax().stylesheet()
            self.cache.add_stylesheet(key, css)
        return css

    def write_assets(self, site_dir: Path) -> list[str]:
        """Write the stylesheet and the fonts the site's formulas use under
        ``site_dir/assets/mathjax``: each font cut to the characters the stylesheet draws,
        as WOFF2 (``webfonts``), a font of at most ``webfonts.INLINE_BYTES`` written into
        the stylesheet instead of a file, and the stylesheet's other @font-face rules
        dropped; save the cache. Returns the served font file names. Nothing is written
        for a site without math."""
        self._settle()
        if not self.used and not self._dirty:
            self.cache.save(keep=set())
            return []
        wanted = {**self._last_used, **self.used} if self._dirty else self.used
        used = set().union(*(fonts.families(self.cache.markup[k]) for k in wanted))
        css = FONT_FACE.sub(lambda m: m.group(0) if m.group(1) in used else "", self.stylesheet())
        drawn = webfonts.drawn(css)
        css = webfonts.with_served_fonts(css)
        names = []
        for source_name in fonts.files(used):
            source = distribution.font_dir() / source_name
            data = webfonts.cached_subset(source, drawn, self.font_cache)
            name = webfonts.served_name(source_name)
            if len(data) <= webfonts.INLINE_BYTES:
                css = webfonts.with_inlined_font(css, name, data)
            else:
                names.append(name)
                write_if_changed(Path(site_dir, FONT_DIR, name), data)
        write_if_changed(Path(site_dir, STYLESHEET), css.encode("utf-8"))
        self.cache.save(keep=None if self._dirty else set(self.used))
        return names
