"""Compile each Jinja template once per ``mkdocs serve`` process, not once per rebuild.

On every rebuild ``mkdocs serve`` loads the configuration afresh, so the theme's Jinja
environment and mkdocstrings' one are new, and each of their ~90 templates (Material's
pages and partials, mkdocstrings-python's object templates) would be compiled again:
about a fifth of a rebuild of this site. Jinja's documented ``bytecode_cache`` hook lets an
environment reuse compiled templates; the cache below keeps them in memory for the life of
the process (hooks are imported once per process). An entry is used only while the
template's source is unchanged (Jinja compares a checksum of the source), so an edited
template is compiled again. A one-off ``mkdocs build`` compiles everything once, as before;
nothing is written to disk.
"""

from __future__ import annotations

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates by template file, each with the checksum of its source."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[str, object]] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        entry = self.entries.get(bucket.key)
        if entry is not None and entry[0] == bucket.checksum:
            bucket.code = entry[1]

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.entries[bucket.key] = (bucket.checksum, bucket.code)


# One cache per kind of environment: compiled code depends on the environment's
# compile-time settings (extensions, autoescape), which are fixed for each kind.
_caches: dict[tuple, MemoryBytecodeCache] = {}


def _attach(env: jinja2.Environment, kind: str) -> None:
    if env.bytecode_cache is None:
        settings = (kind, tuple(sorted(env.extensions)), repr(env.autoescape))
        env.bytecode_cache = _caches.setdefault(settings, MemoryBytecodeCache())


@event_priority(-100)  # after mkdocstrings has created its handlers in its own on_config
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    # The API reference page is rendered while pages are read, before on_env.
    mkdocstrings = config.plugins.get("mkdocstrings")
    if mkdocstrings is not None and mkdocstrings.plugin_enabled:
        for handler in mkdocstrings.handlers.seen_handlers:
            _attach(handler.env, f"mkdocstrings:{handler.name}")
    return config


@event_priority(100)  # before any plugin renders a theme template
def on_env(env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    _attach(env, "theme")
    return env
