"""tested_blog.passes.prebuild: docs/ staged for another engine, the plugins' work in its
Markdown, and each page's author file and front matter kept for the post-build pass."""

from __future__ import annotations

import pytest
from mkdocs.config import load_config
from tested_blog.passes import BuildError, stage

CONFIG = """\
site_name: A blog
site_url: https://example.test/
theme:
  name: material
plugins:
  - blog
  - tested/guards
  - tested/reader
markdown_extensions:
  - attr_list
  - pymdownx.details
"""
AUTHORS = "authors:\n  me:\n    name: Me\n    description: Writer\n    avatar: a.png\n"
POST = """\
---
date: 2026-03-01
slug: {slug}
authors:
  - {author}
---

# A question post

## Why? {{ #why .easy }}

??? note "Answer"
    Because.
"""


def blog(tmp_path, slug="a-post", author="me"):
    docs = tmp_path / "docs"
    (docs / "blog" / "posts").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    (docs / "blog" / "index.md").write_text("# Blog\n", encoding="utf-8")
    (docs / "blog" / ".authors.yml").write_text(AUTHORS, encoding="utf-8")
    post = POST.format(slug=slug, author=author)
    (docs / "blog" / "posts" / "a.md").write_text(post, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    return load_config(config_file=str(tmp_path / "mkdocs.yml"))


def test_every_page_is_staged_with_its_author_and_what_the_reader_needs(tmp_path):
    staged = stage(blog(tmp_path), tmp_path / ".cache" / "stage")
    post = staged.pages["blog/posts/a.md"]
    assert post.post and post.meta["slug"] == "a-post" and post.tested_by == 0
    assert [(q.id, q.difficulty) for q in post.questions] == [("why", "easy")]
    text = (staged.folder / "blog" / "posts" / "a.md").read_text(encoding="utf-8")
    assert text.startswith("---\ndate: 2026-03-01\n")  # the front matter as written
    assert text.endswith(staged.source("blog/posts/a.md") + "\n")
    assert not staged.pages["index.md"].post
    # the reader plugin's styles and script, for the engine to link from every page
    assert "assets/tested-blog/reader.css" in staged.styles
    assert staged.scripts == ["assets/tested-blog/quiz.js"]
    assert (staged.folder / "assets" / "tested-blog" / "quiz.js").is_file()
    assert staged.warnings == []


def test_a_second_staging_starts_from_an_empty_folder(tmp_path):
    config = blog(tmp_path)
    (tmp_path / ".cache" / "stage" / "blog").mkdir(parents=True)
    (tmp_path / ".cache" / "stage" / "blog" / "left-over.md").write_text("old", encoding="utf-8")
    staged = stage(config, tmp_path / ".cache" / "stage")
    assert not (staged.folder / "blog" / "left-over.md").exists()


@pytest.mark.parametrize(
    ("slug", "author", "expected"),
    [
        ("a-post", "nobody", "Post 'blog/posts/a.md': unknown author(s) 'nobody'"),
        ("a post/x", "me", "Post 'blog/posts/a.md': its front-matter slug"),
    ],
)
def test_what_the_blog_cannot_publish_fails_naming_the_post(tmp_path, slug, author, expected):
    with pytest.raises(BuildError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        stage(blog(tmp_path, slug=slug, author=author), tmp_path / ".cache" / "stage")


def test_a_link_out_of_the_repository_fails(tmp_path):
    config = blog(tmp_path)
    outside = tmp_path.parent / f"{tmp_path.name}-outside.txt"
    outside.write_text("secret", encoding="utf-8")
    (tmp_path / "docs" / "leak.txt").symlink_to(outside)
    with pytest.raises(BuildError, match=r"'docs/leak.txt' is a link to .*outside the repository"):
        stage(config, tmp_path / ".cache" / "stage")


def test_a_byte_order_mark_is_not_passed_on_to_the_engine(tmp_path):
    """Zensical published a page saved with a BOM with its front matter as text."""
    config = blog(tmp_path)
    about = "---\ntitle: Plain about\n---\n\n# About\n"
    (tmp_path / "docs" / "about.md").write_bytes(b"\xef\xbb\xbf" + about.encode())
    staged = stage(config, tmp_path / ".cache" / "stage")
    assert (staged.folder / "about.md").read_text(encoding="utf-8").startswith("---\ntitle:")
    assert staged.pages["about.md"].meta == {"title": "Plain about"}


def test_pages_mkdocs_leaves_out_are_not_staged(tmp_path):
    config_text = CONFIG + "exclude_docs: notes/\ndraft_docs: wip.md\n"
    blog(tmp_path)
    (tmp_path / "mkdocs.yml").write_text(config_text, encoding="utf-8")
    (tmp_path / "docs" / "notes").mkdir()
    (tmp_path / "docs" / "notes" / "private.md").write_text("# Private\n", encoding="utf-8")
    (tmp_path / "docs" / "wip.md").write_text("# Not yet\n", encoding="utf-8")
    staged = stage(load_config(str(tmp_path / "mkdocs.yml")), tmp_path / ".cache" / "stage")
    assert not (staged.folder / "notes" / "private.md").exists()
    assert not (staged.folder / "wip.md").exists()
    assert {"notes/private.md", "wip.md"}.isdisjoint(staged.pages)
    assert (staged.folder / "blog" / ".authors.yml").is_file()  # excluded, but the blog's


def test_the_nav_names_every_page_and_only_pages(tmp_path):
    blog(tmp_path)
    nav = "nav:\n  - index.md\n  - Missing: missing.md\n  - Blog: blog/index.md\n"
    nav += "validation:\n  omitted_files: warn\n"  # MkDocs' default: info, not a warning
    (tmp_path / "mkdocs.yml").write_text(CONFIG + nav, encoding="utf-8")
    (tmp_path / "docs" / "orphan.md").write_text("# Orphan\n", encoding="utf-8")
    staged = stage(load_config(str(tmp_path / "mkdocs.yml")), tmp_path / ".cache" / "stage")
    assert len(staged.warnings) == 2, staged.warnings
    assert "mkdocs.yml: a reference to 'missing.md' is included in the 'nav'" in staged.warnings[0]
    assert staged.warnings[1].startswith("Doc file 'orphan.md': it is in no entry of the 'nav'")
