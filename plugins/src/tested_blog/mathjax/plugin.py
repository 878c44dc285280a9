"""The ``tested/math`` plugin: every formula typeset with MathJax 3 while the site is built.

Readers get CHTML markup in the HTML, one stylesheet and the CHTML fonts from
``assets/mathjax/``, and no MathJax script: only a small one (``assets/copy-tex.js``)
that puts a formula's TeX on the clipboard when a selection with math is copied. The
typesetting happens in ``on_post_page``, after the search plugin has indexed the page
(``on_page_context``), so the index holds the formulas' TeX rather than MathJax's markup;
at the end of the build each formula there becomes its plain reading (``P(y ∣ x)``, from
its MathML), so search results never show raw TeX. It works on the whole output, so the
blog's index, archive and category pages (excerpts), notebook posts and the API reference
are covered alike. Each page's new formulas are handed to MathJax in ``on_page_content``
already (``prefetch``), so Node typesets them while Python renders the rest. A TeX error
is a warning naming the page whose text has it (the notebook for a notebook post, not the
index pages that repeat its excerpt; for the API reference, the docstring's file and
line), the formula and MathJax's message, so the ``strict`` build fails on it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from .. import assets, docstrings, mathjax
from ..authored import author_src_uri
from ..extensions import needed
from ..search import rewrite_index
from . import reading

log = logging.getLogger("mkdocs.plugins.tested.math")

COPY_TEX = "copy-tex.js"  # linked from the pages with math, beside their stylesheet


class MathConfig(Config):
    enabled = c.Type(bool, default=True)
    # typeset formulas, kept between builds (relative to mkdocs.yml)
    cache_dir = c.Type(str, default=".cache/mathjax")


class MathPlugin(BasePlugin[MathConfig]):
    def __init__(self) -> None:
        # TeX errors met outside a page's own content (a post's excerpt on the blog index,
        # archive and category pages; another page's heading in the navigation): reported
        # at the end of the build, naming those pages, only if no page's own content
        # reported the formula.
        self.elsewhere: dict[mathjax.Formula, tuple[str, list[str]]] = {}
        self.reported: set[mathjax.Formula] = set()
        # one for the life of the process (`mkdocs serve`): its Node process, its cache
        self.typesetter_: mathjax.Typesetter | None = None
        self.cache_dir = Path()  # the typesetter's
        self.dirty = False
        self.root = Path()  # mkdocs.yml's folder

    @property
    def typesetter(self) -> mathjax.Typesetter:
        assert self.typesetter_ is not None, "on_config makes it"
        return self.typesetter_

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # `mkdocs serve --dirty` / `build --dirty`: only changed pages are rebuilt. MkDocs
        # says so once; the plugin lives as long as the `mkdocs serve` process.
        self.dirty = dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.elsewhere.clear()
        self.reported.clear()
        if not self.config.enabled:
            return config
        needed(config, "tested/math")
        self.root = Path(config.config_file_path).resolve().parent
        cache_dir = (self.root / self.config.cache_dir).resolve()
        if self.typesetter_ is None or self.cache_dir != cache_dir:
            if self.typesetter_ is not None:  # another site in this process: its own cache
                self.typesetter_.close()
            self.typesetter_, self.cache_dir = mathjax.Typesetter(cache_dir), cache_dir
        try:
            self.typesetter.start_build(dirty=self.dirty)
        except mathjax.MathJaxMissing as exc:  # fail at the start, not after every page
            raise PluginError(f"tested/math: {exc}") from exc
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if self.config.enabled:
            assets.publish(config, files, self.assets())
        return files

    def assets(self) -> list[Path]:
        """The script that copies a formula's TeX (linked from the pages with math only)."""
        return assets.shipped(__package__, [COPY_TEX])

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        if not self.config.enabled:
            return html
        for problem in mathjax.leftover_problems(html):
            log.warning("%s: %s", author_src_uri(page.file), problem)
        # Node starts on the page's new formulas now, while MkDocs renders the other pages.
        self.typesetter.prefetch(html)
        return html

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        if not self.config.enabled:
            return output
        source = author_src_uri(page.file)
        try:
            result = self.typesetter.typeset(output)
        except (mathjax.NodeNotFound, mathjax.MathJaxFailed) as exc:
            raise PluginError(
                f"tested/math: could not typeset the math of {source}: {exc}"
            ) from exc
        own = set(mathjax.formulas(page.content or "")) if result.errors else set()
        # on the API reference a formula is in a docstring: its file and line are named
        shown = docstrings.documented(page.markdown or "") if result.errors else []
        for error in result.errors:
            if error.formula in own:
                self.reported.add(error.formula)
                where = docstrings.origins(error.formula.tex, shown, self.root) if shown else []
                log.warning(
                    "%s: TeX error in %s: %s",
                    f"{'; '.join(where)} (shown on {source})" if where else source,
                    error.formula.source(),
                    error.message,
                )
            else:
                self.elsewhere.setdefault(error.formula, (error.message, []))[1].append(source)
        return result.with_links(
            lambda path: get_relative_url(path, page.url), assets.PREFIX + COPY_TEX
        )

    @event_priority(-50)  # after the search plugin (0) wrote its index
    def on_post_build(self, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        for formula, (message, sources) in self.elsewhere.items():
            if formula not in self.reported:
                log.warning(
                    "%s: TeX error in %s (outside the page's own text): %s",
                    ", ".join(sources),
                    formula.source(),
                    message,
                )
        typesetter = self.typesetter
        try:
            fonts = typesetter.write_assets(Path(config.site_dir))
        except (mathjax.NodeNotFound, mathjax.MathJaxFailed) as exc:
            raise PluginError(f"tested/math: could not write the math stylesheet: {exc}") from exc
        rewrite_index(
            config.site_dir, lambda index: reading.search_index(index, typesetter.readings())
        )
        log.info(
            "mathjax: %d formulas, %d typeset now, the rest from the cache; %d font files",
            len(typesetter.used),
            typesetter.rendered,
            len(fonts),
        )

    def on_shutdown(self) -> None:
        if self.typesetter_ is not None:
            self.typesetter_.close()  # the Node process; the cache stays on disk
            self.typesetter_ = None
