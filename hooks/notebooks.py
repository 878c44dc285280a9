"""Executable blog posts: notebooks in the posts folder become ordinary Markdown posts.

A thin adapter of ``sitebuild.notebooks`` (which does the work and documents it) to
MkDocs. In ``on_files``, before the blog plugin (priority -50) collects posts, every
notebook post is executed or taken from the cache and replaced by the Markdown page it
renders to, with its figures and its downloads (the executed ``.ipynb``, a ``.py``) beside
it; from then on every plugin sees a hand-written post. Options: ``extra.notebooks`` in
mkdocs.yml (jobs, cell_timeout, max_output, startup_timeout, install). Messages about a
generated page name the notebook the author edits.
"""

from __future__ import annotations

import logging
from pathlib import Path

import _repo  # noqa: F401  (puts the repository root on sys.path for sitebuild)
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from sitebuild.authored import NameAuthoredFiles, mark_generated_from
from sitebuild.blog import posts_dir
from sitebuild.notebooks import pipeline
from sitebuild.notebooks.errors import MissingModule, NotebookPostErrors
from sitebuild.notebooks.posts import is_post

log = logging.getLogger("mkdocs.hooks.notebooks")
CACHE_DIR = Path(".cache") / "notebooks"


_rename = NameAuthoredFiles()
_last: dict[str, pipeline.Outcome] = {}


@event_priority(50)  # before the blog plugin (-50) collects posts from the files
def on_files(files: Files, config: MkDocsConfig) -> Files:
    root = Path(config.config_file_path).resolve().parent
    blog = config.plugins.get("material/blog")
    posts = "blog/posts" if blog is None else posts_dir(blog)
    found = [
        f
        for f in files
        if f.abs_src_path
        and not f.generated_by
        and f.src_uri.startswith(posts + "/")
        and f.src_uri.endswith((".py", ".ipynb"))
    ]
    for f in found:  # helpers (_name.py) and drafts: not pages (a helper ships as a download)
        files.remove(f)
    sources = [f for f in found if is_post(f.src_uri, posts)]
    pages: dict[str, str] = {}
    for f in sources:  # a name clash fails before any kernel runs
        page = pipeline.page_uri(f.src_uri)
        if page in pages:
            raise PluginError(
                f"Notebook post '{pages[page]}' and '{f.src_uri}' would both become the page"
                f" {page} (keep one of a jupytext pair in the posts folder)"
            )
        if files.get_file_from_path(page) is not None:
            raise PluginError(
                f"Notebook post '{f.src_uri}' and '{page}' would both become the page {page}"
            )
        pages[page] = f.src_uri
    try:
        options = pipeline.Options.from_mapping(config.extra.get("notebooks"))
        outcome = pipeline.build(
            [(f.src_uri, Path(f.abs_src_path)) for f in sources],
            root=root,
            cache_dir=root / CACHE_DIR,
            options=options,
            authors=set(blog.authors) if blog is not None and blog.config.authors else None,
            categories_allowed=blog.config.categories_allowed if blog is not None else None,
            include_drafts=bool(blog is not None and blog.config.draft),
        )
    except (NotebookPostErrors, MissingModule, ValueError) as exc:
        raise PluginError(str(exc)) from None

    by_uri = {f.src_uri: f for f in sources}
    _rename.names.clear()
    for item in outcome.published:
        page = File.generated(config, item.page_uri, abs_src_path=str(item.page_path))
        page.edit_uri = by_uri[item.post.src_uri].edit_uri  # "edit this page": the notebook
        mark_generated_from(page, by_uri[item.post.src_uri])
        files.append(page)
        for uri, path in {**item.figures, **item.downloads}.items():
            files.append(File.generated(config, uri, abs_src_path=str(path)))
        for warning in item.warnings:
            log.warning(warning)
        _rename.names[item.page_uri] = item.post.src_uri
    _rename.attach()
    _last["outcome"] = outcome
    if sources:
        log.info(outcome.summary())
    return files


def on_post_build(config: MkDocsConfig) -> None:
    # Drop what this build did not use: entries of old versions, pages of deleted posts.
    if "outcome" in _last:
        pipeline.prune(
            Path(config.config_file_path).resolve().parent / CACHE_DIR, _last.pop("outcome")
        )
