"""Fail the build, naming the file, on a post the blog plugin would crash on or drop:

- a Markdown post whose ``date`` is in a form Material's blog crashes on
  (``sitebuild.post_meta``): a ``created:``/``updated:`` mapping without ``created``
  ended the build in a traceback naming no post;
- a misspelt front-matter key (``drafts: true``), which the blog ignores: the draft was
  published;
- a page whose ``template:`` names no template of the theme (``overrides/`` or
  Material's): the build named the page, then ended in a ``TemplateNotFound`` traceback;
- a page whose title (its first heading) has math but whose front matter has no plain
  ``title:``: the browser tab, link previews and the RSS feed showed the raw TeX;
- a notebook post (a ``.py``/``.ipynb`` with front matter) outside the posts folder, which
  was published as a raw file;
- a post file whose extension is in capitals (``x.MD``, ``x.PY``): it is not read as a
  post, so it was published as a raw file and the post was lost.

Runs before the blog plugin reads the posts.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

import _repo  # noqa: F401  (puts the repository root on sys.path)
import yaml
from jinja2 import TemplateNotFound
from material.plugins.blog.structure import YAML_RE
from mkdocs import utils
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from sitebuild.authored import author_src_uri
from sitebuild.blog import posts_dir
from sitebuild.post_meta import date_problems, misspelt_keys

MARKDOWN = utils.markdown_extensions
NOTEBOOKS = (".py", ".ipynb")
POSTS = (*MARKDOWN, *NOTEBOOKS)  # Markdown and notebook posts


def _has_front_matter(f) -> bool:
    """Whether a .py or .ipynb starts with post front matter (``# ---`` / a ``---`` cell)."""
    if f.generated_by or not f.abs_src_path:
        return False
    try:
        text = Path(f.abs_src_path).read_text(encoding="utf-8-sig", errors="replace")
        if f.src_uri.endswith(".ipynb"):
            cells = json.loads(text).get("cells") or [{}]
            source = cells[0].get("source", "")
            text = source if isinstance(source, str) else "".join(source)
            return text.lstrip().startswith("---")
    except (OSError, ValueError, AttributeError):
        return False
    return text.lstrip().startswith("# ---")


log = get_plugin_logger("post_checks")


@event_priority(0)  # after the notebook posts are written (50), before the blog reads (-50)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    blog = config.plugins.get("material/blog")
    if blog is None:
        return files
    posts = posts_dir(blog) + "/"
    problems = []
    for f in files:
        suffix = PurePosixPath(f.src_uri).suffix
        if f.src_uri.startswith(posts) and suffix.lower() in POSTS and suffix not in POSTS:
            problems.append(
                f"Post '{f.src_uri}': only lower-case '{suffix.lower()}' files are read as posts,"
                " so this one would be published as a raw file; rename it"
            )
        if suffix in NOTEBOOKS and not f.src_uri.startswith(posts) and _has_front_matter(f):
            problems.append(
                f"Post '{f.src_uri}': a notebook post outside {posts} is not a post: it"
                " would be published as a raw file; move it into the posts folder"
            )
        if f.generated_by or not f.src_uri.startswith(posts) or suffix not in MARKDOWN:
            continue  # notebook posts are checked by the notebook pipeline
        with open(f.abs_src_path, encoding="utf-8-sig") as source:
            match = YAML_RE.match(source.read())
        try:
            meta = yaml.safe_load(match.group(1)) if match else None
        except Exception:  # noqa: BLE001 - bad YAML, an impossible date (ValueError):
            continue  # the blog plugin reports those, naming the post
        if isinstance(meta, dict):
            found = date_problems(meta) + misspelt_keys(meta)
            problems += [f"Post '{f.src_uri}': {p}" for p in found]
    if problems:
        raise PluginError("\n".join(problems))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    name = page.meta.get("template")
    if name is not None and not isinstance(name, str):
        raise PluginError(
            f"Page '{author_src_uri(page.file)}': its front matter's template: must be a file"
            f" name such as main.html, not {name!r}"
        )
    if name:
        env = config.theme.get_env()
        try:
            env.loader.get_source(env, name)  # finds the file; compiles nothing
        except TemplateNotFound:
            raise PluginError(
                f"Page '{author_src_uri(page.file)}': its front matter's template: {name!r} is"
                " not a template of the theme (overrides/ or Material's)"
            ) from None
    return markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    title = page.title or ""
    if "title" not in page.meta and ("\\(" in title or "$" in title):
        log.warning(
            f"Doc file '{author_src_uri(page.file)}': its title {title!r} has math, which the"
            " browser tab, link previews and the RSS feed show as raw TeX; add a plain-text"
            " title: to its front matter (the heading keeps its math)"
        )
    return html
