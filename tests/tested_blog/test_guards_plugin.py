"""tested_blog.guards.plugin: where the tested/guards checks run among the other plugins'
work, and its switch. (Each guard on a broken site: tests/test_site_guards.py and
tests/test_site_bad_input.py.)"""

from __future__ import annotations

import pytest
from conftest import ROOT, mkdocs_build
from site_copy import changed, make_site, post


def test_the_file_checks_run_around_the_notebook_posts_and_the_blog():
    """Sources before the notebook posts are executed; post files after they are written,
    before the blog reads the posts; slugs once the blog has given every post its URL."""
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    order = [f"{type(m.__self__).__name__}.{m.__name__}" for m in config.plugins.events["files"]]
    checks = ("check_sources", "check_posts", "check_slugs")
    places = {name: order.index(f"GuardsPlugin.{name}") for name in checks}
    notebooks = order.index("NotebooksPlugin.on_files")
    blog = order.index("BlogPlugin.on_files")
    assert places["check_sources"] < notebooks < places["check_posts"] < blog, order
    assert blog < places["check_slugs"], order


@pytest.mark.site
def test_switched_off_a_misspelt_key_goes_through(tmp_path):
    draft = post("draft", "A draft", extra="drafts: true\n")
    guarded = make_site(tmp_path / "guarded", {"draft.md": draft})
    result = mkdocs_build(guarded, tmp_path / "guarded-site")
    assert result.returncode != 0 and "'drafts'" in result.stderr, result.stderr

    unguarded = make_site(tmp_path / "unguarded", {"draft.md": draft})
    changed(unguarded, plugins={"tested/guards": {"enabled": False}})
    result = mkdocs_build(unguarded, tmp_path / "unguarded-site")
    assert result.returncode == 0, result.stderr
