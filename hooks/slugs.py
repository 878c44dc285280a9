"""Fail the build when a post's slug is not a plain URL segment or two pages share a URL.

Runs right after Material's blog plugin (``on_files`` at priority -50) has resolved the
posts it will publish and computed their URLs; the rules are in ``sitebuild.slugs``.
"""

from __future__ import annotations

import _repo  # noqa: F401  (puts the repository root on sys.path)
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files

from sitebuild.authored import author_src_uri
from sitebuild.slugs import clash_messages, slug_messages


@event_priority(-60)  # after the blog plugin's on_files (-50)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    blog = config.plugins.get("material/blog")
    posts = blog.blog.posts if blog is not None and getattr(blog, "blog", None) else []
    options = blog.config if blog is not None else None
    slugs = []
    for post in posts:
        slug = post.config.slug
        made = slug is None
        if made:  # what the blog plugin does without a slug in the front matter
            slug = options.post_slugify(post.title, options.post_slugify_separator)
        slugs.append((author_src_uri(post.file), slug, made))
    post_files = {id(post.file) for post in posts}
    # (documentation_pages() would leave out the posts: the blog plugin marks every post
    # excluded until it adds them to the navigation)
    published = [
        f
        for f in files
        if f.is_documentation_page() and (id(f) in post_files or not f.inclusion.is_excluded())
    ]
    problems = slug_messages(slugs) + clash_messages(
        (author_src_uri(f), f.dest_uri) for f in published
    )
    if problems:
        raise PluginError("Posts that cannot be published as written:\n  " + "\n  ".join(problems))
    return files
