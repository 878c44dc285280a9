"""Warn (so ``--strict`` fails) on a link or image of a page that reaches nothing published,
and on anything that makes a reader's browser fetch from another host.

Covers what MkDocs' own link validation does not: raw HTML ``href``/``src`` and links to a
page left out of the build, such as a ``draft: true`` post, and raw HTML links in a post's
excerpt (which break on the blog's index pages). Fetches from another host (an image,
script, stylesheet, frame or font by URL) are looked for in each page as published
(``on_post_page``, last: templates and ``extra_javascript`` included) and in the site's own
.css, .js, .html and .svg files under docs/. The checks are in ``sitebuild.links``;
messages name the author's file.
"""

from __future__ import annotations

import os
from pathlib import Path

import _repo  # noqa: F401  (puts the repository root on sys.path)
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from sitebuild.authored import author_src_uri
from sitebuild.blog import posts_dir
from sitebuild.links import (
    SiteFiles,
    excerpt_raw_links,
    fetch_problem,
    file_fetches,
    link_problems,
    third_party_fetches,
)

log = get_plugin_logger("links")
SITE_FILE_TYPES = {".css", ".js", ".mjs", ".html", ".htm", ".svg"}  # file_fetches reads


def _drafts(config: MkDocsConfig, files: Files) -> dict[int, str]:
    """``id(file)`` -> author's file, for each post the blog plugin leaves unpublished."""
    blog = config.plugins.get("material/blog")
    if blog is None or not getattr(blog, "blog", None):
        return {}
    posts = posts_dir(blog) + "/"
    published = {id(post.file) for post in blog.blog.posts}
    return {
        id(f): author_src_uri(f)
        for f in files
        if f.is_documentation_page() and f.src_uri.startswith(posts) and id(f) not in published
    }


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    blog = config.plugins.get("material/blog")
    if blog is not None and getattr(blog, "blog", None) and page in blog.blog.posts:
        for link in excerpt_raw_links(markdown, blog.config.post_excerpt_separator):
            log.warning(
                f"Doc file '{author_src_uri(page.file)}': the excerpt's raw HTML {link} breaks"
                " on the blog index, archive and category pages, which show the excerpt at"
                " other URLs; write it in Markdown, or move it below the excerpt separator"
            )
    return markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    site = SiteFiles.from_files(files, _drafts(config, files))
    for problem in link_problems(html, page.file.url, site):
        log.warning(f"Doc file '{author_src_uri(page.file)}': {problem}")
    return html


@event_priority(-100)  # after every hook that adds to the page (the math stylesheet)
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    for what in dict.fromkeys(third_party_fetches(output)):
        log.warning(f"Doc file '{author_src_uri(page.file)}': {fetch_problem(what)}")
    return output


def on_post_build(config: MkDocsConfig) -> None:
    # The site's own stylesheets, scripts, HTML and SVG files (extra_css, extra_javascript,
    # anything under docs/ a page links or frames), as published.
    root = Path(config.config_file_path).parent
    for path in sorted(Path(config.docs_dir).rglob("*")):
        if path.suffix.lower() not in SITE_FILE_TYPES or "__pycache__" in path.parts:
            continue
        try:
            found = file_fetches(path.name, path.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            continue
        for what in found:
            rel = Path(os.path.relpath(path, root)).as_posix()
            log.warning(f"File '{rel}': {fetch_problem(what)}")
