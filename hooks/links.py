"""Warn (so ``--strict`` fails) on a link or image of a page that reaches nothing published.

Covers what MkDocs' own link validation does not: raw HTML ``href``/``src`` and links to a
page left out of the build, such as a ``draft: true`` post. The checks are in
``sitebuild.links``; messages name the author's file.
"""

from __future__ import annotations

import _repo  # noqa: F401  (puts the repository root on sys.path)
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from sitebuild.authored import author_src_uri
from sitebuild.links import SiteFiles, link_problems

log = get_plugin_logger("links")


def _drafts(config: MkDocsConfig, files: Files) -> dict[int, str]:
    """``id(file)`` -> author's file, for each post the blog plugin leaves unpublished."""
    blog = config.plugins.get("material/blog")
    if blog is None or not getattr(blog, "blog", None):
        return {}
    posts_dir = blog.config.post_dir.format(blog=blog.config.blog_dir).strip("/") + "/"
    published = {id(post.file) for post in blog.blog.posts}
    return {
        id(f): author_src_uri(f)
        for f in files
        if f.is_documentation_page() and f.src_uri.startswith(posts_dir) and id(f) not in published
    }


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    site = SiteFiles.from_files(files, _drafts(config, files))
    for problem in link_problems(html, page.file.url, site):
        log.warning(f"Doc file '{author_src_uri(page.file)}': {problem}")
    return html
