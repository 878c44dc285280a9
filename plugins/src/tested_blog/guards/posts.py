"""The blog's post files, checked before the blog reads them: a post it would crash on or
lose, named with what to do.

* a post file whose extension is in capitals (``x.MD``, ``x.PY``): only lower-case ones
  are read as posts, so it would be published as a raw file;
* a notebook post (a ``.py``/``.ipynb`` with front matter) outside the posts folder: not a
  post, published as a raw file;
* a Markdown post whose ``date`` is in a form Material's blog crashes on, or a misspelt
  front-matter key (``drafts: true``, which the blog ignores) (``tested_blog.post_meta``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from mkdocs import utils

from .. import front_matter
from ..post_meta import date_problems, misspelt_keys

MARKDOWN = utils.markdown_extensions
NOTEBOOKS = (".py", ".ipynb")
POSTS = (*MARKDOWN, *NOTEBOOKS)  # Markdown and notebook posts


def post_problems(files: Iterable[tuple[str, Path]], posts: str) -> list[str]:
    """One message per problem of the author's files ``files`` ((src_uri, path) pairs,
    relative to docs/) of a blog whose posts are in the folder ``posts``."""
    posts += "/"
    problems = []
    for src_uri, path in files:
        suffix = PurePosixPath(src_uri).suffix
        if src_uri.startswith(posts) and suffix.lower() in POSTS and suffix not in POSTS:
            problems.append(
                f"Post '{src_uri}': only lower-case '{suffix.lower()}' files are read as"
                " posts, so this one would be published as a raw file; rename it"
            )
        if suffix in NOTEBOOKS and not src_uri.startswith(posts) and has_front_matter(path):
            problems.append(
                f"Post '{src_uri}': a notebook post outside {posts} is not a post: it"
                " would be published as a raw file; move it into the posts folder"
            )
        if not src_uri.startswith(posts) or suffix not in MARKDOWN:
            continue  # notebook posts are checked by the notebook pipeline
        with open(path, encoding="utf-8-sig") as source:
            text, _ = front_matter.split(source.read())
        if text is None:
            continue  # no front matter: the blog reports the missing date
        try:
            meta = front_matter.load(text)
        except front_matter.FrontMatterError:
            continue  # bad YAML, an impossible date: the blog reports those, naming the post
        found = date_problems(meta) + misspelt_keys(meta)
        problems += [f"Post '{src_uri}': {p}" for p in found]
    return problems


def has_front_matter(path: Path) -> bool:
    """Whether a .py or .ipynb starts with post front matter (``# ---`` / a ``---`` cell)."""
    try:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        if path.suffix == ".ipynb":
            cells = json.loads(text).get("cells") or [{}]
            source = cells[0].get("source", "")
            text = source if isinstance(source, str) else "".join(source)
            return text.lstrip().startswith("---")
    except (OSError, ValueError, AttributeError):
        return False
    return text.lstrip().startswith("# ---")
