"""The ``tested/code`` plugin: code on a page is embedded from a tested package, and says so.

Two passes over each page's Markdown, before it is converted:

* the embeds are checked (``tested_blog.embeds``): a reference that cannot show what its
  author means fails the build, naming the file the author edits, the line and why;
* a "tested by" line goes under every embedded block, from the record the test run wrote
  (``tested_blog.provenance``); a strict build fails on a shown section that no passing
  test ran, that a failing test ran, or that changed since the run.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from .. import assets
from ..authored import author_src_uri
from ..embeds import DEFAULT_FOLDERS, page_error
from ..extensions import needed
from . import RECORD
from .site import SiteProvenance

log = logging.getLogger("mkdocs.plugins.tested.code")


class CodeConfig(Config):
    enabled = c.Type(bool, default=True)
    # the folders (relative to mkdocs.yml) whose files pages may embed with --8<--
    snippet_folders = c.ListOfItems(c.Type(str), default=list(DEFAULT_FOLDERS))
    # where the "tested by" lines link each test and section: the repository's web URL
    # (GitHub), at the commit being built; a plain link, nothing is fetched
    repository = c.Optional(c.URL())
    # the record the test run writes (relative to mkdocs.yml): the same path as the
    # provenance_record line of the pytest configuration
    record = c.Type(str, default=str(RECORD))
    # judge every shown section's mutants too (the record's results, which the test run
    # computes): a survivor fails a strict build, and the line gives "N/N mutants caught"
    mutants = c.Type(bool, default=True)


class CodePlugin(BasePlugin[CodeConfig]):
    def __init__(self) -> None:
        self.command: str | None = None
        self.site: SiteProvenance | None = None
        self.root = Path()  # mkdocs.yml's folder
        self.bases: list[Path] = []  # where pymdownx.snippets looks for files

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def on_config(self, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        needed(config, "tested/code")
        assets.link(config, self.assets())
        self.root, self.bases = config_root(config), snippet_bases(config)
        self.site = SiteProvenance.load(
            self.root, self.bases, self.config.repository, self.config.record
        )
        # `mkdocs serve` previews: a fresh clone has no record, and its edits are untested yet
        self.site.pending = self.site.pending or self.command == "serve"
        self.site.mutants = self.config.mutants

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if self.config.enabled:
            assets.publish(config, files, self.assets())
        return files

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable
    ) -> LiveReloadServer:
        # an edit of the embedded package, or a test run's new record, changes the pages
        if self.config.enabled:
            root = config_root(config)
            for folder in self.config.snippet_folders:
                if (root / folder).exists():
                    server.watch(str(root / folder))
            if (root / self.config.record).is_file():
                server.watch(str(root / self.config.record), recursive=False)
        return server

    def assets(self) -> list[Path]:
        """The stylesheet of the tested-by lines."""
        return assets.shipped(__package__, ["tested-by.css"])

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if self.site is None:
            return markdown
        self.check_embeds(page, config)
        markdown, problems = self.site.page(markdown, author_src_uri(page.file))
        for problem in problems:
            (log.info if self.site.pending else log.warning)(problem)
        return markdown

    def check_embeds(self, page: Page, config: MkDocsConfig) -> None:
        """Fail naming the author's file, line and why, when an embed cannot work."""
        author = author_src_uri(page.file)
        written = Path(config.docs_dir) / author
        error = page_error(
            page.file.content_string,
            author=author,
            # a generated page: its problems point into the author's file
            author_text=(
                (written.read_text(encoding="utf-8") if written.is_file() else "")
                if author != page.file.src_uri
                else None
            ),
            root=self.root,
            bases=self.bases,
            folders=self.config.snippet_folders,
        )
        if error:
            raise PluginError(error)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.site is not None:
            log.info(self.site.summary())
            self.site = None


def config_root(config: MkDocsConfig) -> Path:
    """The site's folder: mkdocs.yml's."""
    return Path(config.config_file_path).parent


def snippet_bases(config: MkDocsConfig) -> list[Path]:
    """Where pymdownx.snippets looks for files (its ``base_path`` option), absolute."""
    options = config.mdx_configs.get("pymdownx.snippets", {})
    bases = options.get("base_path", ["."])
    if isinstance(bases, (str, os.PathLike)):
        bases = [bases]
    return [config_root(config) / os.fspath(b) for b in bases]
