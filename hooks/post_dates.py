"""Fail the build, naming the post, when a Markdown post's ``date`` is in a form Material's
blog crashes on (``sitebuild.post_dates``): its plugin reads posts next, and a
``created:``/``updated:`` mapping without ``created`` ended the build in a traceback."""

from __future__ import annotations

import _repo  # noqa: F401  (puts the repository root on sys.path)
import yaml
from material.plugins.blog.structure import YAML_RE
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files

from sitebuild.post_dates import date_problems


@event_priority(0)  # after the notebook posts are written (50), before the blog reads (-50)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    blog = config.plugins.get("material/blog")
    if blog is None:
        return files
    posts_dir = blog.config.post_dir.format(blog=blog.config.blog_dir).strip("/") + "/"
    problems = []
    for f in files:
        if f.generated_by or not f.src_uri.startswith(posts_dir) or not f.src_uri.endswith(".md"):
            continue  # notebook posts are checked by the notebook pipeline
        with open(f.abs_src_path, encoding="utf-8-sig") as source:
            match = YAML_RE.match(source.read())
        try:
            meta = yaml.safe_load(match.group(1)) if match else None
        except Exception:  # noqa: BLE001 - bad YAML, an impossible date (ValueError):
            continue  # the blog plugin reports those, naming the post
        if isinstance(meta, dict):
            problems += [f"Post '{f.src_uri}': {p}" for p in date_problems(meta)]
    if problems:
        raise PluginError("\n".join(problems))
    return files
