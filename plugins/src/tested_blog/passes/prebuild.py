"""Before the engine: docs/ staged as the site's pages will be read, with the plugins' work
done in the Markdown.

``stage`` copies the docs folder of a MkDocs ``config`` (mkdocs.yml read and checked by
MkDocs' loader, nothing built) into ``folder``, but for the pages MkDocs would leave out
(``exclude_docs``, ``draft_docs``), and, there:

- checks the author's files (``tested_blog.sources``): no link out of the repository, text
  in UTF-8; and the blog's posts (``tested_blog.guards.posts``, ``tested_blog.slugs``): no
  date the blog crashes on, no misspelt key, no post lost as a raw file, slugs that are
  URL segments; the site's own CSS, JS, HTML and SVG fetch nothing from another host;
- replaces each notebook post by the Markdown post it renders to, with its figures and
  downloads, executed or taken from the cache (``tested_blog.notebooks.pipeline``); the
  posts folder's other notebooks (helpers) ship only as downloads;
- checks every page's embeds (``tested_blog.embeds``) and quiz markers
  (``tested_blog.quiz``), and puts the tested-by line under each embedded block
  (``tested_blog.provenance``);
- ends every page with a comment naming the file its author edits (``SOURCE``), which the
  post-build pass reads from the published page and removes, and (``whole_pages``) wraps
  its content in two more (``tested_blog.whole``) for the check that it came out whole;
- adds the plugins' stylesheets and scripts under ``assets/tested-blog/``.

An error names the file the author edits; ``BuildError`` carries all of them at once.
"""

from __future__ import annotations

import html
import logging
import os
import re
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import get_files

from .. import assets, extensions, front_matter, whole
from ..blog import posts_dir
from ..embeds import page_error
from ..guards.pages import excerpt_problems, template_problem, title_problem
from ..guards.posts import MARKDOWN, post_problems
from ..latest import title_of
from ..links import own_file_problems
from ..mathjax.plugin import COPY_TEX
from ..notebooks import pipeline
from ..notebooks.errors import MissingModule, NotebookPostErrors
from ..notebooks.plugin import read_by_the_build
from ..provenance.lines import CLASS as TESTED_BY
from ..provenance.plugin import snippet_bases
from ..provenance.site import SiteProvenance
from ..quiz import Question, QuizMarkupError, questions
from ..slugs import slug_messages, spelling_messages, spellings
from ..sources import problems as source_problems

# the last line of every staged page: the build's token, then the author's file
SOURCE = "<!-- tested-blog source {}: {} -->"
# each tested-by line, as the Markdown under an embedded block gives it
TESTED_BY_LINE = f"{{: .{TESTED_BY} "


class BuildError(Exception):
    """The site cannot be built as its author wrote it; the message names each file."""


@dataclass
class StagedPage:
    uri: str  # the Markdown page, relative to the staged folder (and to docs/)
    author: str  # the file its author edits, relative to docs/ (a notebook for its post)
    tested_by: int  # tested-by lines under its embedded blocks
    meta: dict = field(default_factory=dict)  # its front matter
    markdown: str = ""  # its Markdown below the front matter, as written
    questions: list[Question] = field(default_factory=list)  # its quiz questions
    post: bool = False  # a post of the blog

    @property
    def published(self) -> bool:
        """Whether the engine must publish it: a draft it leaves out."""
        return self.meta.get("draft") is not True


@dataclass
class Staged:
    folder: Path
    pages: dict[str, StagedPage]  # by the author's file
    styles: list[str]  # stylesheets every page links (paths from the site's root)
    scripts: list[str]  # and scripts
    # around every page's content (tested/guards' whole_pages): the post-build pass finds
    # both in the page as a browser parses it, or names what the content left open
    marks: whole.Marks | None = None
    warnings: list[str] = field(default_factory=list)  # a strict build fails on any
    notes: list[str] = field(default_factory=list)  # what was done, for the log
    notebooks: pipeline.Outcome | None = None
    # in the source comments, so no comment an author writes can pass for one
    token: str = field(default_factory=lambda: secrets.token_hex(8))

    def source(self, author: str) -> str:
        """The comment that names ``author``'s file in the page it becomes."""
        return SOURCE.format(self.token, html.escape(author, quote=False))

    @property
    def sources(self) -> re.Pattern[str]:
        """The source comments of this build; group 1 is the author's file, escaped."""
        before, after = SOURCE.format(self.token, "{}").split("{}")
        return re.compile(re.escape(before) + "(.+?)" + re.escape(after))


def stage(config: MkDocsConfig, folder: Path) -> Staged:
    """Stage ``config``'s docs folder into ``folder`` (emptied first) with the work of the
    tested-blog plugins that ``config`` enables; raises ``BuildError``."""
    root = Path(config.config_file_path).resolve().parent
    docs = Path(config.docs_dir).resolve()
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(docs, folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    # pages MkDocs leaves out of a build (exclude_docs, draft_docs): no engine may publish
    # them (other excluded files stay: the blog reads its .authors.yml)
    unlisted = set()  # pages MkDocs does not expect in the nav (not_in_nav)
    for f in get_files(config):
        if f.is_documentation_page() and f.inclusion.is_excluded():
            (folder / f.src_uri).unlink()
        elif f.is_documentation_page() and f.inclusion.is_not_in_nav():
            unlisted.add(f.src_uri)
    authored = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    staged = Staged(folder, {}, [], [])

    missing = [
        problem
        for plugin in extensions.NEEDS
        if enabled(config, plugin) is not None
        for problem in extensions.config_problems(config, plugin)
    ]
    if missing:
        raise BuildError("\n".join(missing))
    guards = enabled(config, "tested/guards")
    blog = config.plugins.get("material/blog")
    posts = "blog/posts" if blog is None else posts_dir(blog)
    known = _authors(config, blog)
    if guards is not None:
        own = [(os.path.relpath(docs / uri, root), str(docs / uri)) for uri in authored]
        problems = source_problems(own, root)
        if blog is not None and not problems:
            problems = post_problems(((uri, docs / uri) for uri in authored), posts)
        if problems:
            raise BuildError("\n".join(problems))
        staged.warnings += own_file_problems(docs, root)
        if guards.config.whole_pages:
            staged.marks = whole.Marks()

    generated: dict[str, str] = {}  # staged page -> the notebook it was rendered from
    notebooks = enabled(config, "tested/notebooks")
    if notebooks is not None:
        generated = _notebook_posts(config, notebooks, authored, staged, posts, known)
        authored = [u for u in authored if (folder / u).is_file()]

    code = enabled(config, "tested/code")
    bases = snippet_bases(config)  # where pymdownx.snippets looks for embedded files
    site = None
    if code is not None:
        site = SiteProvenance.load(root, bases, code.config.repository, code.config.record)
        site.mutants = code.config.mutants
    reader = enabled(config, "tested/reader")
    errors = []
    for uri in [u for u in authored if u.endswith(MARKDOWN)] + sorted(generated):
        author = generated.get(uri, uri)
        path = folder / uri
        text = path.read_text(encoding="utf-8-sig")  # a byte-order mark: not for the engine
        try:
            text, page = _page(text, uri, author, config, root, bases, code, site, reader, staged)
        except BuildError as exc:
            errors.append(str(exc))
            continue
        path.write_text(text, encoding="utf-8")
        page.post = uri.startswith(posts + "/")
        staged.pages[author] = page
        if guards is not None:
            try:
                _guard(page, config, blog, known, staged)
            except BuildError as exc:
                errors.append(str(exc))
    if errors:
        raise BuildError("\n".join(errors))
    staged.warnings += nav_problems(config, staged, unlisted, blog)
    if guards is not None and blog is not None:
        staged_posts = [page for page in staged.pages.values() if page.post]
        problems = slug_messages(_slugs(staged, blog)) + spelling_messages(
            spellings(
                (
                    (page.author, page.meta.get("categories") or [], page.meta.get("tags") or [])
                    for page in staged_posts
                ),
                config,
            )
        )
        if problems:
            raise BuildError(
                "Posts that cannot be published as written:\n  " + "\n  ".join(problems)
            )
    if site is not None:
        staged.notes.append(site.summary())
    _ship_assets(config, staged)
    return staged


def enabled(config: MkDocsConfig, name: str):
    """The plugin ``name`` of ``config``, if the site uses it and has not switched it off."""
    plugin = config.plugins.get(name)
    return plugin if plugin is not None and plugin.config.enabled else None


def _notebook_posts(
    config: MkDocsConfig,
    plugin,
    authored: list[str],
    staged: Staged,
    posts: str,
    authors: set[str] | None,
) -> dict[str, str]:
    """Each notebook post of the staged folder (``posts``: the blog's posts folder)
    replaced by its Markdown post (and its figures and downloads); ``authors``: those the
    blog knows. Returns {staged page: the notebook post}."""
    folder = staged.folder
    root = Path(config.config_file_path).resolve().parent
    blog = config.plugins.get("material/blog")
    try:
        found, sources = pipeline.notebook_files(
            authored, posts, lambda uri: (folder / uri).is_file()
        )
    except ValueError as exc:
        raise BuildError(str(exc)) from None
    originals = {uri: Path(config.docs_dir, uri).resolve() for uri in sources}
    for uri in found:
        (folder / uri).unlink()
    try:
        outcome = pipeline.build(
            [(uri, originals[uri]) for uri in sources],
            root=root,
            cache_dir=plugin.cache_dir(config),
            options=plugin.options(blog),
            authors=authors,
            categories_allowed=blog.config.categories_allowed if blog is not None else None,
            include_drafts=bool(blog is not None and blog.config.draft),
            watched=read_by_the_build(config),
            # written by this build, read by none
            unwatched=[Path(config.site_dir), folder],
        )
    except (NotebookPostErrors, MissingModule, ValueError) as exc:
        raise BuildError(str(exc)) from None
    generated: dict[str, str] = {}
    for item in outcome.published:
        for uri, path in {item.page_uri: item.page_path, **item.figures, **item.downloads}.items():
            (folder / uri).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, folder / uri)
        staged.warnings += [f"{item.post.src_uri}: {w}" for w in item.warnings]
        generated[item.page_uri] = item.post.src_uri
    if sources:
        staged.notes.append(outcome.summary())
    staged.notebooks = outcome
    return generated


def nav_problems(config: MkDocsConfig, staged: Staged, unlisted: set[str], blog) -> list[str]:
    """What MkDocs' own nav validation reports (``validation: nav:``, at warning level): a
    nav entry that names no page, and a page in no nav entry (the blog's pages are its
    plugin's to list). MkDocs checks them while it builds; another engine may not."""
    if not config.nav:
        return []
    named: list[str] = []

    def walk(entry) -> None:
        if isinstance(entry, str):
            named.append(entry)
        elif isinstance(entry, dict):
            for value in entry.values():
                walk(value)
        elif isinstance(entry, list):
            for item in entry:
                walk(item)

    walk(config.nav)
    pages = {page.uri for page in staged.pages.values()}
    checks = config.validation.nav
    found = []
    if checks.not_found >= logging.WARNING:
        found += [
            f"mkdocs.yml: a reference to '{uri}' is included in the 'nav' configuration,"
            " which is not found in the documentation files"
            for uri in named
            if "://" not in uri and not uri.startswith("/") and uri not in pages
        ]
    if checks.omitted_files >= logging.WARNING:
        blog_dir = blog.config.blog_dir.strip("/") + "/" if blog is not None else None
        author = {page.uri: page.author for page in staged.pages.values()}
        found += [
            f"Doc file '{author[uri]}': it is in no entry of the 'nav'"
            " configuration, so no link on the site leads to it"
            for uri in sorted(pages - set(named) - unlisted)
            if not (blog_dir and uri.startswith(blog_dir))
        ]
    return found


def _slugs(staged: Staged, blog) -> list[tuple[str, str, bool]]:
    """(author's file, slug, made from the title) of each post, as the blog makes them."""
    options = blog.config
    found = []
    for page in staged.pages.values():
        if not page.post:
            continue
        slug = page.meta.get("slug")
        if slug is None:
            title = title_of(page.meta, page.markdown, PurePosixPath(page.uri).stem)
            found.append(
                (page.author, options.post_slugify(title, options.post_slugify_separator), True)
            )
        else:
            found.append((page.author, str(slug), False))
    return found


def _guard(
    page: StagedPage, config: MkDocsConfig, blog, authors: set[str] | None, staged: Staged
) -> None:
    """tested/guards' checks of one page: raises on what breaks the build, and adds to the
    warnings what a strict build fails on."""
    if problem := template_problem(page.meta.get("template"), config):
        raise BuildError(f"Page '{page.author}': {problem}")
    title = title_of(page.meta, page.markdown, PurePosixPath(page.uri).stem)
    if problem := title_problem(title, page.meta):
        staged.warnings.append(f"Doc file '{page.author}': {problem}")
    if not page.post or blog is None:
        return
    separator = blog.config.post_excerpt_separator
    staged.warnings += [
        f"Doc file '{page.author}': {p}" for p in excerpt_problems(page.markdown, separator)
    ]
    unknown = [
        str(a) for a in page.meta.get("authors") or [] if authors is not None and a not in authors
    ]
    if unknown:
        raise BuildError(
            f"Post '{page.author}': unknown author(s) {', '.join(map(repr, unknown))}: the blog's"
            f" authors are those of {blog.config.authors_file.format(blog=blog.config.blog_dir)}"
        )


def _authors(config: MkDocsConfig, blog) -> set[str] | None:
    """The authors the blog knows (its ``.authors.yml``), as its plugin would read them."""
    if blog is None or not blog.config.authors:
        return None
    path = Path(config.docs_dir, blog.config.authors_file.format(blog=blog.config.blog_dir))
    if not path.is_file():
        return set()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return set((data.get("authors") or {}) if isinstance(data, dict) else {})


def _page(
    text: str,
    uri: str,
    author: str,
    config: MkDocsConfig,
    root: Path,
    bases: list[Path],
    code,
    site: SiteProvenance | None,
    reader,
    staged: Staged,
) -> tuple[str, StagedPage]:
    """A staged page with the plugins' work in its Markdown, and what the post-build pass
    needs to know of it (``root``: mkdocs.yml's folder; ``bases``: where pymdownx.snippets
    looks for embedded files)."""
    if code is not None:
        error = page_error(
            text,
            author=author,
            author_text=(
                Path(config.docs_dir, author).read_text(encoding="utf-8") if author != uri else None
            ),
            root=root,
            bases=bases,
            folders=code.config.snippet_folders,
        )
        if error:
            raise BuildError(error)
    found = []
    if reader is not None and reader.config.quiz:
        try:
            found = questions(text)
        except QuizMarkupError as exc:
            raise BuildError(f"Post '{author}' {exc}") from None
    yaml_text, start = front_matter.split(text)
    try:
        meta = front_matter.load(yaml_text) if yaml_text is not None else {}
    except front_matter.FrontMatterError as exc:
        raise BuildError(f"Post/page '{author}' {exc}") from None
    head, body = text[:start], text[start:]
    page = StagedPage(uri, author, 0, meta, body, found)
    if site is not None:
        before = body.count(TESTED_BY_LINE)
        body, problems = site.page(body, author)
        page.tested_by = body.count(TESTED_BY_LINE) - before
        if not site.pending:
            staged.warnings += problems
    if staged.marks is not None:  # HTML blocks of their own, as Markdown passes them on
        opening, closing = f"<!--{staged.marks.start}-->", f"<!--{staged.marks.end}-->"
        body = f"\n{opening}\n\n{body.strip()}\n\n{closing}\n"
    return f"{head}{body.rstrip()}\n\n{staged.source(author)}\n", page


def _ship_assets(config: MkDocsConfig, staged: Staged) -> None:
    """The stylesheets and scripts of the enabled plugins, in the staged folder (an
    author's own file of the same path wins), each to be linked from every page."""
    shipped = [
        path
        for name in ("tested/code", "tested/notebooks", "tested/math", "tested/reader")
        if (plugin := enabled(config, name)) is not None
        for path in plugin.assets()
    ]
    for path in shipped:
        target = staged.folder / assets.PREFIX / path.name
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        if path.suffix == ".css":
            staged.styles.append(assets.PREFIX + path.name)
        elif path.suffix == ".js" and path.name != COPY_TEX:  # pages with math link that
            staged.scripts.append(assets.PREFIX + path.name)
