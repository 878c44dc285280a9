"""The ``tested/guards`` plugin: fail the build, naming the author's file, on a site that
would publish something other than what its author wrote.

Before any other plugin reads a file (``on_files``, priority 100):

* a file under docs/ or the theme's overrides/ that is a symbolic link to something
  outside the repository (``tested_blog.sources``): a clone would not have it.

After the notebook posts are written (50), before the blog reads the posts (-50):

* a Markdown post whose ``date`` is in a form Material's blog crashes on, or a misspelt
  front-matter key (``drafts: true``, which the blog ignores: the draft was published)
  (``tested_blog.post_meta``);
* a notebook post (a ``.py``/``.ipynb`` with front matter) outside the posts folder, or a
  post file whose extension is in capitals (``x.MD``, ``x.PY``): either was published as
  a raw file and the post was lost (``tested_blog.guards.posts``).

Right after the blog has resolved its posts and their URLs (-60):

* a slug that is not a plain URL segment, or two pages with one URL (``tested_blog.slugs``).

Page by page:

* a ``template:`` that names no template of the theme (``overrides/`` or Material's);
* a title with math but no plain ``title:`` in the front matter: the browser tab, link
  previews and the RSS feed showed the raw TeX (a warning, so ``--strict`` fails);
* links (``tested_blog.links``), as warnings: raw-HTML ``href``/``src`` and links to a page
  left out of the build (a draft), raw-HTML links in a post's excerpt (which break on the
  blog's index pages), and anything that makes a reader's browser fetch from another host,
  in each page as published (last: templates and ``extra_javascript`` included) and in the
  site's own .css, .js, .html and .svg files under docs/.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path, PurePosixPath

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from selectolax.lexbor import LexborHTMLParser

from .. import csp, whole
from ..authored import author_src_uri
from ..blog import blog_posts, markdown_above, posts_dir
from ..links import (
    SiteFiles,
    fetch_problem,
    link_problems,
    own_file_problems,
    third_party_fetches,
)
from ..slugs import clash_messages, slug_messages, spelling_messages, spellings
from ..sources import problems as source_problems
from .pages import (
    description_problem,
    excerpt_problems,
    shown_description,
    template_problem,
    title_problem,
)
from .posts import post_problems

log = logging.getLogger("mkdocs.plugins.tested.guards")


class GuardsConfig(Config):
    enabled = c.Type(bool, default=True)
    # every page carries a Content Security Policy: readers' browsers refuse any fetch from
    # another host and any inline script the build did not write (tested_blog.csp)
    content_security_policy = c.Type(bool, default=True)
    # every page parsed as a browser parses it: its content must come out whole, no element
    # or comment left open or closed too far (tested_blog.whole)
    whole_pages = c.Type(bool, default=True)


class GuardsPlugin(BasePlugin[GuardsConfig]):
    def __init__(self) -> None:
        self.serving = False  # `mkdocs serve`: its pages reload themselves on a rebuild
        self.site: SiteFiles | None = None  # what links may reach; once per build
        self.marks = whole.Marks()  # around each page's content, new for each build
        self.static_html: list[Path] = []  # HTML files of docs/ published as they are

    @event_priority(100)  # first: before the notebook posts run or the blog reads a post
    def check_sources(self, files: Files, *, config: MkDocsConfig) -> Files:
        if not self.config.enabled:
            return files
        root = Path(config.config_file_path).resolve().parent
        # docs/ and the theme's custom_dir (overrides/): the files of this repository
        own = {os.path.normpath(config.docs_dir)}
        if config.theme.custom_dir:
            own.add(os.path.normpath(config.theme.custom_dir))
        authored = [
            (os.path.relpath(f.abs_src_path, root), f.abs_src_path)
            for f in files
            if f.abs_src_path and not f.generated_by and os.path.normpath(f.src_dir or "") in own
        ]
        problems = source_problems(authored, root)
        if problems:
            raise PluginError("\n".join(problems))
        return files

    @event_priority(0)  # after the notebook posts are written (50), before the blog reads (-50)
    def check_posts(self, files: Files, *, config: MkDocsConfig) -> Files:
        blog = config.plugins.get("material/blog")
        if not self.config.enabled or blog is None:
            return files
        problems = post_problems(
            (
                (f.src_uri, Path(str(f.abs_src_path)))
                for f in files
                if f.abs_src_path and not f.generated_by
            ),
            posts_dir(blog),
        )
        if problems:
            raise PluginError("\n".join(problems))
        return files

    @event_priority(-60)  # after the blog plugin's on_files (-50) resolved posts and URLs
    def check_slugs(self, files: Files, *, config: MkDocsConfig) -> Files:
        blog = config.plugins.get("material/blog")
        if not self.config.enabled or blog is None:
            return files
        posts = blog_posts(config)
        options = blog.config
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
        problems += spelling_messages(
            spellings(
                (
                    (author_src_uri(p.file), p.config.categories, p.meta.get("tags") or [])
                    for p in posts
                ),
                config,
            )
        )
        if problems:
            raise PluginError(
                "Posts that cannot be published as written:\n  " + "\n  ".join(problems)
            )
        return files

    on_files = CombinedEvent(check_sources, check_posts, check_slugs)

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> None:
        self.site = None  # a new build (or `mkdocs serve` rebuild): files may have changed
        self.marks = whole.Marks()
        self.static_html = [
            Path(f.abs_dest_path)
            for f in files
            if f.is_static_page() and PurePosixPath(f.dest_uri).suffix.lower() in (".html", ".htm")
        ]

    @event_priority(-110)  # after every plugin that adds to the content (previous/next: -100)
    def on_page_context(  # type: ignore[override]  # the context is MkDocs' own dict
        self, context: dict, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> dict:
        if self.config.enabled and self.config.whole_pages and page.content is not None:
            page.content = self.marks.wrap(page.content)
        return context

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        if not self.config.enabled:
            return markdown
        author = author_src_uri(page.file)
        problem = template_problem(page.meta.get("template"), config)
        if problem:
            raise PluginError(f"Page '{author}': {problem}")
        if page in blog_posts(config):
            separator = config.plugins["material/blog"].config.post_excerpt_separator
            for problem in excerpt_problems(markdown, separator):
                log.warning(f"Doc file '{author}': {problem}")
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if not self.config.enabled:
            return html
        if problem := title_problem(page.title or "", page.meta):
            log.warning(f"Doc file '{author_src_uri(page.file)}': {problem}")
        if self.site is None:  # every plugin has added its files by the first page
            self.site = SiteFiles.from_files(files, _drafts(config, files))
        for problem in link_problems(html, page.file.url, self.site):
            log.warning(f"Doc file '{author_src_uri(page.file)}': {problem}")
        return html

    @event_priority(-100)  # after every plugin that adds to the page (the math stylesheet)
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if not self.config.enabled:
            return output
        for what in dict.fromkeys(third_party_fetches(output)):
            log.warning(f"Doc file '{author_src_uri(page.file)}': {fetch_problem(what)}")
        if not (self.config.whole_pages or self.config.content_security_policy):
            return output
        # one parse (HTML5, lexbor) for all: the page whole, its description, its scripts'
        tree = LexborHTMLParser(output)  # hashes
        if problem := description_problem(shown_description(tree), page.meta):
            log.warning(f"Doc file '{author_src_uri(page.file)}': {problem}")
        if self.config.whole_pages:
            separator = self.separator(page, config)
            for problem in whole.problems(output, self.marks, separator, tree):
                log.warning(
                    f"Doc file '{author_src_uri(page.file)}': {problem}; close every element"
                    " and comment its HTML opens"
                )
            output = self.marks.unwrap(output)  # comments: no script changes, nor its hash
        return self.with_policy(output, tree)

    @event_priority(-100)
    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str:
        # the pages made from a template alone (404.html), and sitemap.xml, which has no head
        if not self.config.enabled:
            return output_content
        return self.with_policy(output_content)

    def separator(self, page: Page, config: MkDocsConfig) -> str | None:
        """The blog's excerpt separator, if ``page`` is a post whose Markdown has it."""
        if page not in blog_posts(config):
            return None
        separator = config.plugins["material/blog"].config.post_excerpt_separator
        # a line of its own outside fenced code, as the blog cuts the post there
        return separator if markdown_above(page.markdown or "", separator) is not None else None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def with_policy(self, html: str, tree: LexborHTMLParser | None = None) -> str:
        if not self.config.content_security_policy:
            return html
        return csp.with_policy(html, tree, live_reload=self.serving)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self.site = None
        if not self.config.enabled:
            return
        if self.config.content_security_policy:
            # HTML files of docs/ published as they are (no page event runs for them)
            for path in self.static_html:
                if path.is_file():
                    html = path.read_text(encoding="utf-8", errors="replace")
                    path.write_text(csp.with_policy(html), encoding="utf-8")
        # The site's own stylesheets, scripts, HTML and SVG files (extra_css,
        # extra_javascript, anything under docs/ a page links or frames), as published.
        root = Path(config.config_file_path).parent
        for problem in own_file_problems(Path(config.docs_dir), root):
            log.warning(problem)


def _drafts(config: MkDocsConfig, files: Files) -> dict[int, str]:
    """``id(file)`` -> author's file, for each post the blog plugin leaves unpublished."""
    blog = config.plugins.get("material/blog")
    if blog is None or not getattr(blog, "blog", None):
        return {}
    posts = posts_dir(blog) + "/"
    published = {id(post.file) for post in blog_posts(config)}
    return {
        id(f): author_src_uri(f)
        for f in files
        if f.is_documentation_page() and f.src_uri.startswith(posts) and id(f) not in published
    }
