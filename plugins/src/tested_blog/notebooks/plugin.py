"""The ``tested/notebooks`` plugin: notebook posts become ordinary Markdown blog posts.

In ``on_files``, before the blog plugin (priority -50) collects posts, every notebook post
(a jupytext percent ``.py`` or an ``.ipynb`` with front matter, in the posts folder) is
executed or taken from the cache and replaced by the Markdown page it renders to, with its
figures and its downloads (the executed ``.ipynb``, a ``.py``) beside it; from then on
every plugin sees a hand-written post. Messages about a generated page name the notebook
the author edits. The work is ``tested_blog.notebooks.pipeline``'s; this class adapts it.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import replace
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from .. import assets
from ..authored import NameAuthoredFiles, mark_generated_from
from ..blog import posts_dir
from ..extensions import needed
from . import pipeline
from .errors import MissingModule, NotebookPostErrors

log = logging.getLogger("mkdocs.plugins.tested.notebooks")


class NotebooksConfig(Config):
    enabled = c.Type(bool, default=True)
    # kernels at once; by default as many as the machine has cores
    jobs = c.Optional(c.Type(int))
    # seconds one cell may run before the build fails naming it
    cell_timeout = c.Type((int, float), default=120)
    # bytes of text one cell may print
    max_output = c.Type(int, default=1_000_000)
    # seconds a kernel may take to start
    startup_timeout = c.Type(int, default=60)
    # what the note under each post's downloads (.ipynb and .py) tells a reader to run first
    install = c.Type(str, default="python -m pip install .")
    # the site's tested package, as that note names it
    package = c.Type(str, default="snippets")
    # executed posts and their figures, relative to mkdocs.yml
    cache_dir = c.Type(str, default=".cache/notebooks")


class NotebooksPlugin(BasePlugin[NotebooksConfig]):
    def __init__(self) -> None:
        self.rename = NameAuthoredFiles()
        self.outcome: pipeline.Outcome | None = None

    def options(self, blog: BasePlugin | None = None) -> pipeline.Options:
        """The pipeline's options: this plugin's, and the excerpt separator of ``blog``
        (Material's blog plugin) when there is one."""
        given = {
            key: self.config[key] for key in pipeline.OPTION_KEYS if self.config[key] is not None
        }
        options = pipeline.Options.from_mapping(given)
        if blog is not None:
            options = replace(options, excerpt_separator=blog.config.post_excerpt_separator)
        return options

    def cache_dir(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path).resolve().parent / self.config.cache_dir

    def on_config(self, config: MkDocsConfig) -> None:
        if self.config.enabled:
            needed(config, "tested/notebooks")
            assets.link(config, self.assets())

    def assets(self) -> list[Path]:
        """The stylesheet of notebook output: tables, figures, the "executed" mark."""
        return assets.shipped(__package__, ["notebooks.css"])

    @event_priority(50)  # before the blog plugin (-50) collects posts from the files
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return files
        assets.publish(config, files, self.assets())
        root = Path(config.config_file_path).resolve().parent
        blog = config.plugins.get("material/blog")
        posts = "blog/posts" if blog is None else posts_dir(blog)
        authored = {
            f.src_uri: f for f in files if f.abs_src_path is not None and not f.generated_by
        }
        try:
            found, posts_found = pipeline.notebook_files(
                authored, posts, lambda uri: files.get_file_from_path(uri) is not None
            )
        except ValueError as exc:
            raise PluginError(str(exc)) from None
        for uri in found:  # helpers (_name.py) and drafts: not pages (a helper ships as a download)
            files.remove(authored[uri])
        sources = [authored[uri] for uri in posts_found]
        try:
            outcome = pipeline.build(
                [(f.src_uri, Path(str(f.abs_src_path))) for f in sources],
                root=root,
                cache_dir=self.cache_dir(config),
                options=self.options(blog),
                authors=set(blog.authors) if blog is not None and blog.config.authors else None,
                categories_allowed=blog.config.categories_allowed if blog is not None else None,
                include_drafts=bool(blog is not None and blog.config.draft),
                watched=read_by_the_build(config),
                unwatched=[Path(config.site_dir)],  # written by this build, read by none
            )
        except (NotebookPostErrors, MissingModule, ValueError) as exc:
            raise PluginError(str(exc)) from None

        by_uri = {f.src_uri: f for f in sources}
        self.rename.names.clear()
        for item in outcome.published:
            page = File.generated(config, item.page_uri, abs_src_path=str(item.page_path))
            page.edit_uri = by_uri[item.post.src_uri].edit_uri  # "edit this page": the notebook
            mark_generated_from(page, by_uri[item.post.src_uri])
            files.append(page)
            for uri, path in {**item.figures, **item.downloads}.items():
                files.append(File.generated(config, uri, abs_src_path=str(path)))
            for warning in item.warnings:
                log.warning(warning)
            self.rename.names[item.page_uri] = item.post.src_uri
        self.rename.attach()
        self.outcome = outcome
        if sources:
            log.info(outcome.summary())
        return files

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        # Drop what this build did not use: entries of old versions, pages of deleted posts.
        if self.outcome is not None:
            pipeline.prune(self.cache_dir(config), self.outcome)
            self.outcome = None


def read_by_the_build(config: MkDocsConfig) -> list[Path]:
    """What a build of ``config`` reads, which running the notebook posts must not change:
    mkdocs.yml, the docs folder, the theme's overrides, the folders MkDocs watches (the
    embedded package), the hooks, and the embeddable folders and record of tested/code."""
    root = Path(config.config_file_path).parent
    paths = [Path(config.config_file_path), Path(config.docs_dir)]
    if config.theme.custom_dir:
        paths.append(Path(config.theme.custom_dir))
    paths += [Path(p) for p in config.watch]
    hooks: dict = config.hooks  # type: ignore[assignment]  # MkDocs makes it {path: module}
    paths += [Path(module.__file__) for module in hooks.values() if module.__file__]
    code = config.plugins.get("tested/code")
    if code is not None and code.config.enabled:
        paths += [root / folder for folder in code.config.snippet_folders]
        paths.append(root / code.config.record)
    math = config.plugins.get("tested/math")
    if math is not None and math.config.enabled:  # typeset formulas the pages are given
        paths.append(root / math.config.cache_dir)
    paths += _code_in(root.resolve())
    return list(dict.fromkeys(p.absolute() for p in paths))


def _code_in(root: Path) -> list[Path]:
    """The packages of the repository the build itself runs (an editable install of
    plugins, hooks): each top-level package or module loaded from inside ``root``, by its
    folder (or file). One path resolved per top-level name, not per module: this runs on
    every build and `mkdocs serve` rebuild."""
    found = set()
    for name, module in list(sys.modules.items()):
        if "." in name:
            continue  # a submodule lies in its top-level package's folder
        folders = [p for p in getattr(module, "__path__", None) or [] if isinstance(p, str)]
        file = folders[0] if folders else getattr(module, "__file__", None)
        if not isinstance(file, str):
            continue
        path = Path(file).resolve()
        if path.is_relative_to(root):
            found.add(path)
    return sorted(found)
