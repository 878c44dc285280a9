"""tested_blog.authored: messages about a generated page name the file its author edits."""

from __future__ import annotations

import logging

from mkdocs.structure.files import File
from tested_blog.authored import NameAuthoredFiles, author_src_uri, mark_generated_from


def file(src_uri: str) -> File:
    return File(src_uri, src_dir="/docs", dest_dir="/site", use_directory_urls=True)


def test_a_generated_page_is_named_by_its_source():
    notebook, page, other = file("blog/posts/a.py"), file("blog/posts/a.md"), file("x.md")
    mark_generated_from(page, notebook)
    assert author_src_uri(page) == "blog/posts/a.py"
    assert author_src_uri(other) == "x.md"


def test_the_log_filter_renames_quoted_page_names_only(caplog):
    rename = NameAuthoredFiles()
    rename.names["blog/posts/a.md"] = "blog/posts/a.py"
    logger = logging.getLogger("test.authored")
    logger.addFilter(rename)
    try:
        with caplog.at_level(logging.WARNING, logger="test.authored"):
            logger.warning(
                "Doc file '%s' contains a link 'b.md' (see blog/posts/a.md)", "blog/posts/a.md"
            )
    finally:
        logger.removeFilter(rename)
    assert caplog.messages == [
        "Doc file 'blog/posts/a.py' contains a link 'b.md' (see blog/posts/a.md)"
    ]
