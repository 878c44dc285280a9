"""The ``tested/rebuilds`` plugin: ``mkdocs serve`` rebuilds without repeated work, and
without keeping earlier builds alive. Each option is one measure, and says whether it
goes through a public API or reaches into another package's internals (those are off
unless a site turns them on, and are tested against the versions it pins).

* ``template_cache`` (public: Jinja's ``bytecode_cache``): on every rebuild ``mkdocs serve``
  loads the configuration afresh, so the theme's Jinja environment and mkdocstrings' one
  are new, and each of their ~90 templates would be compiled again: about a fifth of a
  rebuild. The compiled templates are kept in memory for the life of the process; an
  entry is used only while the template's source is unchanged (Jinja compares a checksum).
* ``read_times`` (public: a post's ``readtime`` setting): the blog counts the words of
  every post's HTML on every build; a post's read time is remembered for its HTML
  (``tested_blog.blog.readtime``), so a rebuild counts only the posts that changed.
* ``excerpts_above_separator`` (internal: replaces the class of Material's excerpt objects):
  the blog converts the whole post once per view that lists it (index, archive, category
  pages) and cuts the HTML at ``<!-- more -->``; this converts only the Markdown above it
  (``tested_blog.blog``), falling back to Material's way where that could differ.
* ``free_api_caches`` (internal: empties two private caches): two unbounded caches of
  mkdocstrings-python and griffe are keyed by one build's objects and keep every build
  alive for the life of the process (about 2.5 MB more per rebuild of this site, each
  rebuild slower than the last); each build starts by emptying them.
"""

from __future__ import annotations

import importlib
from types import CodeType

import jinja2
from material.plugins.blog.structure import Post
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from ..blog import convert_above_separator, readtime

PER_BUILD_CACHES = (  # (module, function): caches keyed by one build's objects
    ("mkdocstrings_handlers.python._internal.rendering", "_test_existing_template"),
    ("griffe._internal.extensions.dataclasses", "_dataclass_parameters"),
)


class RebuildsConfig(Config):
    enabled = c.Type(bool, default=True)
    template_cache = c.Type(bool, default=True)
    read_times = c.Type(bool, default=True)
    excerpts_above_separator = c.Type(bool, default=False)
    free_api_caches = c.Type(bool, default=False)


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates by template file, each with the checksum of its source."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[str, CodeType | None]] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        entry = self.entries.get(bucket.key)
        if entry is not None and entry[0] == bucket.checksum:
            bucket.code = entry[1]

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.entries[bucket.key] = (bucket.checksum, bucket.code)


class RebuildsPlugin(BasePlugin[RebuildsConfig]):
    def __init__(self) -> None:
        # One cache per kind of environment: compiled code depends on the environment's
        # compile-time settings (extensions, autoescape), which are fixed for each kind.
        self.caches: dict[tuple, MemoryBytecodeCache] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """(Having this event keeps one instance, and its caches, for a whole serve.)"""

    def attach(self, env: jinja2.Environment, kind: str) -> None:
        if env.bytecode_cache is None:
            settings = (kind, tuple(sorted(env.extensions)), repr(env.autoescape))
            env.bytecode_cache = self.caches.setdefault(settings, MemoryBytecodeCache())

    @event_priority(100)
    def free_caches(self, config: MkDocsConfig) -> None:
        if not (self.config.enabled and self.config.free_api_caches):
            return
        for module_name, function in PER_BUILD_CACHES:
            try:
                module = importlib.import_module(module_name)
            except ImportError:  # not installed, or moved: the memory test notices
                continue
            clear = getattr(getattr(module, function, None), "cache_clear", None)
            if clear is not None:
                clear()

    @event_priority(-100)  # after mkdocstrings has created its handlers in its own on_config
    def cache_api_templates(self, config: MkDocsConfig) -> None:
        # The API reference page is rendered while pages are read, before on_env.
        if not (self.config.enabled and self.config.template_cache):
            return
        mkdocstrings = config.plugins.get("mkdocstrings")
        if mkdocstrings is not None and mkdocstrings.plugin_enabled:
            for handler in mkdocstrings.handlers.seen_handlers:
                self.attach(handler.env, f"mkdocstrings:{handler.name}")

    on_config = CombinedEvent(free_caches, cache_api_templates)

    @event_priority(100)  # before any plugin renders a theme template
    def on_env(
        self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        if self.config.enabled and self.config.template_cache:
            self.attach(env, "theme")
        return env

    @event_priority(-100)  # after the blog plugin has made the excerpt
    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> None:
        if self.config.enabled and self.config.excerpts_above_separator:
            convert_above_separator(getattr(page, "excerpt", None))

    @event_priority(100)  # before the blog plugin counts the words
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> None:
        blog = config.plugins.get("material/blog")
        if not (self.config.enabled and self.config.read_times) or blog is None:
            return
        if not blog.config.post_readtime or not isinstance(page, Post):
            return
        if page not in blog.blog.posts:
            return
        if not page.config.readtime:
            page.config.readtime = readtime(html, blog.config.post_readtime_words_per_minute)
