"""hooks/provenance.py: a build without a record warns (so --strict fails), while
`mkdocs serve` and the test suite's own builds (SITEBUILD_PROVENANCE=pending) only log it;
either way every embedded block gets its line."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import pytest
from conftest import ROOT, load_module
from provenance_runs import TOY, embed
from site_copy import make_site

HOOK = ROOT / "hooks" / "provenance.py"


@pytest.fixture
def hook(monkeypatch):
    """A fresh copy of the hook module, as MkDocs loads it (its folder on sys.path)."""
    monkeypatch.syspath_prepend(str(HOOK.parent))
    return load_module("provenance_hook_under_test", HOOK)


@pytest.fixture
def config(tmp_path):
    from mkdocs.config import load_config

    site = make_site(tmp_path / "site")  # a copy: it has no provenance record
    (site.parent / "snippets" / "toy.py").write_text(TOY, encoding="utf-8")
    return load_config(config_file=str(site))


def page_markdown(hook, config) -> str:
    page = SimpleNamespace(file=SimpleNamespace(src_uri="blog/posts/x.md"))
    return hook.on_page_markdown("# X\n\n" + embed("double"), page, config, None)


@pytest.mark.parametrize(
    "command, env, level",
    [
        ("build", None, logging.WARNING),
        ("serve", None, logging.INFO),
        ("build", "pending", logging.INFO),
    ],
)
def test_a_missing_record_fails_only_a_real_build(
    hook, config, caplog, monkeypatch, command, env, level
):
    if env is None:
        monkeypatch.delenv("SITEBUILD_PROVENANCE", raising=False)
    else:
        monkeypatch.setenv("SITEBUILD_PROVENANCE", env)
    hook.on_startup(command=command, dirty=False)
    hook.on_config(config)
    with caplog.at_level(logging.INFO, logger="mkdocs.hooks.provenance"):
        markdown = page_markdown(hook, config)
        hook.on_post_build(config)
    said = [r for r in caplog.records if "no provenance record" in r.getMessage()]
    assert [r.levelno for r in said] == [level]
    assert "python -m pytest" in said[0].getMessage()
    assert ".tested-by--unrecorded" in markdown and "have not been run" in markdown
    assert any("shown section(s); no record" in r.getMessage() for r in caplog.records)


def test_a_bad_repository_setting_stops_the_build_naming_the_key(hook, config):
    from mkdocs.exceptions import PluginError

    config.extra["provenance"] = {"repository": "github.com/o/r"}
    with pytest.raises(PluginError, match=r"extra\.provenance\.repository"):
        hook.on_config(config)


def test_the_hook_is_registered_after_the_embed_check():
    hooks = [
        h
        for h in (ROOT / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
        if h.strip().startswith("- hooks/")
    ]
    names = [h.strip()[2:] for h in hooks]
    assert names.index("hooks/snippet_refs.py") < names.index("hooks/provenance.py")
