"""tested_blog.assets: the plugins' own stylesheets and scripts, linked and published."""

from __future__ import annotations

from importlib.resources import files as package_files
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import get_files
from tested_blog import assets
from tested_blog.links import file_fetches

# Every plugin that ships files, with what it ships
SHIPPED = {
    "tested_blog.provenance": ["tested-by.css"],
    "tested_blog.notebooks": ["notebooks.css"],
    "tested_blog.reader": ["reader.css", "quiz.js"],
    "tested_blog.mathjax": ["copy-tex.js"],
}


def config_in(root: Path) -> MkDocsConfig:
    """A site with its own stylesheet a.css that uses tested/reader."""
    (root / "docs").mkdir(exist_ok=True)
    (root / "mkdocs.yml").write_text(
        "site_name: x\nextra_css: [a.css]\nplugins: [tested/reader]\n", encoding="utf-8"
    )
    return load_config(str(root / "mkdocs.yml"))


def test_each_plugin_ships_exactly_its_files_and_none_fetches_from_another_host():
    for package, names in SHIPPED.items():
        folder = Path(str(package_files(package).joinpath("assets")))
        assert sorted(p.name for p in folder.iterdir()) == sorted(names), package
        for path in assets.shipped(package, names):
            assert file_fetches(path.name, path.read_text(encoding="utf-8")) == [], path


def test_a_missing_file_is_named_with_where_it_was_looked_for():
    with pytest.raises(FileNotFoundError, match=r"tested_blog.reader ships no nope.css \(looked"):
        assets.shipped("tested_blog.reader", ["nope.css"])


def test_link_adds_each_file_once_after_the_authors_own(tmp_path):
    config = config_in(tmp_path)
    paths = assets.shipped("tested_blog.reader", ["reader.css", "quiz.js"])
    assets.link(config, paths)
    assets.link(config, paths)  # a second call (another on_config) adds nothing
    assert [str(s) for s in config.extra_css] == ["a.css", "assets/tested-blog/reader.css"]
    assert [str(s) for s in config.extra_javascript] == ["assets/tested-blog/quiz.js"]


def test_the_plugin_publishes_its_files_but_an_authors_copy_of_the_same_path_wins(tmp_path):
    config = config_in(tmp_path)
    mine = tmp_path / "docs" / "assets" / "tested-blog" / "reader.css"
    mine.parent.mkdir(parents=True)
    mine.write_text("/* mine */\n", encoding="utf-8")
    config = config.plugins.on_config(config)
    assert [str(s) for s in config.extra_css] == ["a.css", "assets/tested-blog/reader.css"]
    files = get_files(config)
    files = config.plugins.on_files(files, config=config)
    reader = files.get_file_from_path("assets/tested-blog/reader.css")
    quiz = files.get_file_from_path("assets/tested-blog/quiz.js")
    assert reader is not None and reader.abs_src_path == str(mine)
    assert quiz is not None and quiz.generated_by is not None
    assert quiz.content_string.startswith("/* Quiz mode")
