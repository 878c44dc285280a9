"""tested_blog.rebuilds.plugin: what the tested/rebuilds plugin keeps across `mkdocs serve`
rebuilds, and the internals of other packages two of its options reach into, pinned against
the versions pyproject.toml installs. (That a rebuild frees the build before it:
tests/test_site_build.py.)"""

from __future__ import annotations

import importlib

import pytest
from conftest import ROOT
from tested_blog.rebuilds.plugin import PER_BUILD_CACHES, RebuildsPlugin


def test_the_measures_that_reach_into_internals_are_off_unless_asked_for():
    plugin = RebuildsPlugin()
    assert plugin.load_config({}) == ([], [])
    assert plugin.config.template_cache and plugin.config.read_times
    assert not plugin.config.excerpts_above_separator and not plugin.config.free_api_caches


@pytest.mark.parametrize("module, function", PER_BUILD_CACHES)
def test_the_caches_it_empties_exist_in_the_pinned_versions(module, function):
    cached = getattr(importlib.import_module(module), function)
    cached.cache_clear()  # an lru_cache/cache: what free_api_caches calls
    assert cached.cache_info().currsize == 0


def test_template_cache_outlives_a_serve_rebuild_but_not_an_edit(tmp_path, monkeypatch):
    """tested/rebuilds: `mkdocs serve` loads the config afresh for every rebuild (new Jinja
    environments) but keeps one instance of a plugin that has on_startup, so the plugin's
    cache carries compiled templates over; an edited template is compiled again."""
    import jinja2
    from mkdocs.config import load_config

    hook = load_config(str(ROOT / "mkdocs.yml")).plugins["tested/rebuilds"]
    config = load_config(str(ROOT / "mkdocs.yml"))  # the config of the next rebuild
    assert config.plugins["tested/rebuilds"] is hook, "plugin made anew"

    compiled: list[str] = []
    real_compile = jinja2.Environment.compile

    def counting_compile(self, source, name=None, *args, **kwargs):
        compiled.append(name)
        return real_compile(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting_compile)
    template = tmp_path / "page.html"

    def render() -> str:  # one rebuild: a new environment, as mkdocs' build() makes
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path))
        env = hook.on_env(env, config=config, files=None)
        return env.get_template("page.html").render(x=1)

    template.write_text("first {{ x }}", encoding="utf-8")
    assert render() == "first 1" and compiled == ["page.html"]
    assert render() == "first 1" and compiled == ["page.html"], "compiled again"
    template.write_text("second {{ x }}", encoding="utf-8")
    assert render() == "second 1" and compiled == ["page.html", "page.html"], "stale template"


def test_template_cache_covers_the_api_reference_templates():
    """mkdocstrings renders the API reference while pages are read (before on_env), with
    Jinja environments of its handlers; the plugin attaches its cache to them in on_config."""
    from mkdocs.config import load_config
    from tested_blog.rebuilds.plugin import MemoryBytecodeCache

    config = load_config(str(ROOT / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    handlers = list(config.plugins["mkdocstrings"].handlers.seen_handlers)
    assert handlers, "mkdocstrings created no handler in on_config"
    for handler in handlers:
        assert isinstance(handler.env.bytecode_cache, MemoryBytecodeCache), handler.name
