"""tested_blog.extensions: a plugin whose markup needs a Markdown extension fails the build
at its start, naming mkdocs.yml, when the extension is missing (the markup would be
published as text)."""

from __future__ import annotations

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from tested_blog.extensions import NEEDS, needed, problems

ALL = ["admonition", "attr_list", "pymdownx.snippets", "pymdownx.arithmatex"]
GENERIC = {"pymdownx.arithmatex": {"generic": True}}


@pytest.mark.parametrize("plugin", sorted(NEEDS))
def test_each_plugin_is_content_with_the_extensions_it_needs(plugin):
    assert problems(plugin, ALL, GENERIC) == []


@pytest.mark.parametrize(
    ("plugin", "missing"),
    [
        ("tested/code", "pymdownx.snippets"),
        ("tested/notebooks", "admonition"),
        ("tested/notebooks", "attr_list"),
        ("tested/math", "pymdownx.arithmatex"),
    ],
)
def test_a_missing_extension_is_named_with_what_it_does(plugin, missing):
    (problem,) = problems(plugin, [e for e in ALL if e != missing], GENERIC)
    assert problem.startswith(f"{plugin} needs the Markdown extension '{missing}'")


def test_arithmatex_must_write_the_generic_markup_the_math_plugin_typesets():
    for configs in ({}, {"pymdownx.arithmatex": {"generic": False}}):
        (problem,) = problems("tested/math", ALL, configs)
        assert "'generic: true'" in problem


def test_markdowns_own_extensions_may_be_named_in_full():
    full = ["markdown.extensions.admonition", "markdown.extensions.attr_list"]
    assert problems("tested/notebooks", full, {}) == []


def test_the_build_fails_at_its_start_naming_mkdocs_yml(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: A blog\nmarkdown_extensions:\n  - admonition\n", encoding="utf-8"
    )
    config = load_config(config_file=str(tmp_path / "mkdocs.yml"))
    with pytest.raises(PluginError, match=r"^mkdocs.yml: tested/code needs .*'pymdownx.snippets'"):
        needed(config, "tested/code")
    with pytest.raises(PluginError, match=r"'attr_list'"):
        needed(config, "tested/notebooks")
