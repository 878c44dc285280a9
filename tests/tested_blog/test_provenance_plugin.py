"""tested_blog.provenance.plugin (tested/code): a build without a record warns (so --strict
fails), while `mkdocs serve` and the test suite's own builds (TESTED_CODE_PROVENANCE=pending) only
log it; either way every embedded block gets its line."""

from __future__ import annotations

import logging
from pathlib import Path
from types import SimpleNamespace

import pytest
from provenance_runs import TOY, embed
from site_copy import make_site
from tested_blog.provenance.plugin import CodePlugin

LOGGER = "mkdocs.plugins.tested.code"


@pytest.fixture
def hook():
    plugin = CodePlugin()
    errors, _ = plugin.load_config({})
    assert not errors, errors
    return plugin


@pytest.fixture
def config(tmp_path):
    from mkdocs.config import load_config

    site = make_site(tmp_path / "site")  # a copy: it has no provenance record
    (site.parent / "snippets" / "toy.py").write_text(TOY, encoding="utf-8")
    return load_config(config_file=str(site))


def page_markdown(hook, config) -> str:
    markdown = "# X\n\n" + embed("double")
    page = SimpleNamespace(file=SimpleNamespace(src_uri="blog/posts/x.md", content_string=markdown))
    return hook.on_page_markdown(markdown, page=page, config=config, files=None)


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
        monkeypatch.delenv("TESTED_CODE_PROVENANCE", raising=False)
    else:
        monkeypatch.setenv("TESTED_CODE_PROVENANCE", env)
    hook.on_startup(command=command, dirty=False)
    hook.on_config(config)
    with caplog.at_level(logging.INFO, logger=LOGGER):
        markdown = page_markdown(hook, config)
        hook.on_post_build(config=config)
    said = [r for r in caplog.records if "no provenance record" in r.getMessage()]
    assert [r.levelno for r in said] == [level]
    assert "python -m pytest" in said[0].getMessage()
    assert ".tested-by--unrecorded" in markdown and "have not been run" in markdown
    assert any("shown section(s); no record" in r.getMessage() for r in caplog.records)


def test_a_bad_repository_setting_stops_the_build_naming_the_option():
    for bad in ({"repository": "github.com/o/r"}, {"snippet_folders": "snippets"}):
        errors, _ = CodePlugin().load_config(bad)
        assert [name for name, _ in errors] == list(bad)


def test_the_embed_check_runs_before_the_tested_by_lines(hook, config):
    """A page whose embed cannot work stops the build before any line is added."""
    from mkdocs.exceptions import PluginError

    hook.on_startup(command="build", dirty=False)
    hook.on_config(config)
    markdown = '# X\n\n```python\n--8<-- "snippets/toy.py:nowhere"\n```\n'
    page = SimpleNamespace(file=SimpleNamespace(src_uri="blog/posts/x.md", content_string=markdown))
    with pytest.raises(PluginError, match=r"(?s)'blog/posts/x.md' embeds code wrongly.*nowhere"):
        hook.on_page_markdown(markdown, page=page, config=config, files=None)


def test_serve_watches_the_embedded_package_and_the_record(hook, config):
    """Found by a review: `mkdocs serve` watched only docs/ and mkdocs.yml when a site did
    not list its package under `watch:`, so an edit of the embedded code, or a test run's
    new record, changed no page until the next manual build."""
    root = Path(config.config_file_path).parent
    record = root / hook.config.record
    watched: list[tuple[str, bool]] = []
    server = SimpleNamespace(watch=lambda path, recursive=True: watched.append((path, recursive)))
    hook.on_serve(server, config=config, builder=None)
    assert watched == [(str(root / "snippets"), True)]  # no record yet: nothing to watch
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text("{}", encoding="utf-8")
    watched.clear()
    hook.on_serve(server, config=config, builder=None)
    assert watched == [(str(root / "snippets"), True), (str(record), False)]
