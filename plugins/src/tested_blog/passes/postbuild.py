"""After the engine: the site it wrote finished as the MkDocs plugins finish theirs, and
checked against what the pre-build pass staged.

``finish`` goes through every HTML file of ``site``:

- it reads, and removes, the comment that names each page's author file
  (``prebuild.SOURCE``): a staged page whose comment is in no published page, or a post's
  page with fewer tested-by lines than its Markdown was given, means the engine lost part
  of the site, and the build fails saying which;
- with ``tested/math``: every formula typeset by MathJax (``tested_blog.mathjax``), a TeX
  error named with the author's file; the stylesheet and fonts written; the search index's
  formulas turned into their plain reading. A formula left untypeset fails the build;
- with ``tested/reader``: a search dialog the theme left nameless is named, and the
  stylesheets after the theme's are linked as one file (``tested_blog.stylesheets``),
  written once the math's stylesheet is;
- with ``tested/guards``: each page's content must come out whole as a browser parses it
  (``tested_blog.whole``, between the marks the pre-build pass put around it) and link
  only to what the site has (``tested_blog.links``); a fetch from another host in a page
  is named, and every page gets its Content Security Policy (``tested_blog.csp``).
"""

from __future__ import annotations

import html as html_lib
import posixpath
import re
from pathlib import Path, PurePosixPath

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url
from selectolax.lexbor import LexborHTMLParser

from .. import assets, csp, mathjax, whole
from ..blog import markdown_above
from ..guards.pages import description_problem, shown_description
from ..links import SiteFiles, fetch_problem, link_problems, site_path, third_party_fetches
from ..mathjax.plugin import COPY_TEX
from ..mathjax.reading import search_index
from ..provenance.lines import CLASS as TESTED_BY
from ..search import name_search_dialog, rewrite_index
from .prebuild import BuildError, Staged, StagedPage, enabled
from .reader import FEEDS, TITLE, ReaderPass, between_marks, content_region

# a post's excerpt on a blog index, archive or category page (Material's and Zensical's)
EXCERPT = re.compile(r'<article class="md-post md-post--excerpt"')
ARTICLE_TAG = re.compile(r"<(/?)article\b[^>]*>", re.I)
# a link's or an image's URL in an excerpt (the engine writes attributes double-quoted)
LINK_URL = re.compile(r'(\s(?:href|src)=")([^"]*)(")')
HEADING = re.compile(r"<h1\b[^>]*>.*?</h1>", re.S)
# pymdownx.arithmatex's markup around a formula that typesetting did not replace
UNTYPESET = re.compile(r'<(span|div) class="arithmatex">(?!<mjx-container)')


def page_url(site: Path, path: Path) -> str:
    """The URL (from the site's root) a browser reaches the HTML file ``path`` by."""
    uri = PurePosixPath(path.relative_to(site).as_posix())
    if uri.name != "index.html":
        return str(uri)
    return "" if uri.parent == PurePosixPath(".") else f"{uri.parent}/"


def finish(site: Path, staged: Staged, config: MkDocsConfig) -> list[str]:
    """Finish the HTML files under ``site`` in place; returns the warnings (a strict build
    fails on any) and raises ``BuildError`` on a page the engine did not publish whole."""
    pages = {path: path.read_text(encoding="utf-8") for path in sorted(site.rglob("*.html"))}
    # first the map from each author's file to its own page, which the reader's features
    # link to; a post's excerpt on an index page is not its page
    published: dict[str, str] = {}
    errors: list[str] = []
    regions = {path: excerpt_regions(text) for path, text in pages.items()}
    holds: dict[Path, list[str]] = {}  # the author files whose text each page holds
    for path, text in pages.items():
        own, holds[path] = sources_in(text, staged.sources, regions[path])
        if len(own) > 1:
            errors.append(f"{page_url(site, path)}: the page holds the text of {', '.join(own)}")
        for author in own:
            if author in published:
                errors.append(
                    f"Post/page '{author}': published twice, as {published[author]} and"
                    f" {page_url(site, path)}"
                )
            published.setdefault(author, page_url(site, path))
    expected = {a for a, page in staged.pages.items() if page.published}
    for author in sorted(expected - set(published)):
        errors.append(
            f"Post/page '{author}': the engine published no page of it (staged as"
            f" {staged.pages[author].uri})"
        )
    if errors:
        raise BuildError("\n".join(errors))
    moved = _moved_pages(staged, published, config)
    index = _blog_index(config)
    index_text = pages.get(site / index[0] / "index.html") if index else None

    math = enabled(config, "tested/math")
    guards = enabled(config, "tested/guards")
    reader = enabled(config, "tested/reader")
    feeds = [name for name in FEEDS if (site / name).is_file()]
    readers = (
        ReaderPass(config, reader, staged.pages, published, staged.marks, feeds) if reader else None
    )
    owner = {url: author for author, url in published.items()}
    files = _site_files(site)
    typesetter = None
    if math is not None:
        root = Path(config.config_file_path).resolve().parent
        typesetter = mathjax.Typesetter((root / math.config.cache_dir).resolve())
    warnings: list[str] = []
    try:
        if typesetter is not None:
            typesetter.start_build()
        for path, text in pages.items():
            url = page_url(site, path)
            page = staged.pages.get(owner.get(url, ""))
            # an index page is named by the posts whose excerpts it shows
            named = ", ".join(holds[path]) or url
            if index and index_text is not None and index[1].fullmatch(url):
                text = _titled_as(text, index_text)  # the blog index's further pages
            if regions[path]:  # an index page: the posts' excerpts link as the posts do
                text = _excerpt_links(text, regions[path], url, moved, files)
                regions[path] = excerpt_regions(text)
                if guards is not None:
                    warnings += _excerpt_problems(text, regions[path], url, staged, files)
            if staged.marks is not None:  # a post's excerpt on an index page has the first
                text = _own_marks_only(text, staged.marks, regions[path])
            text = staged.sources.sub("", text)
            if readers is not None:  # first: the newest posts' summaries may have math
                text = name_search_dialog(readers.page(text, url, page))
            if typesetter is not None:
                region = content_region(text, staged.marks)  # as MkDocs: not the <title>
                content = text[region[0] : region[1]] if region else text
                warnings += [f"{named}: {p}" for p in mathjax.leftover_problems(content)]
                text = _typeset(text, url, named, typesetter, warnings, errors)
            if readers is not None:  # once the math linked its stylesheet
                text = readers.stylesheets(text, url)
            if guards is not None and page is not None:
                warnings += _guard(text, url, page, staged, config, files)
            if staged.marks is not None:
                text = staged.marks.unwrap(text)
            if guards is not None:
                for what in dict.fromkeys(third_party_fetches(text)):
                    warnings.append(f"Doc file '{named}': {fetch_problem(what)}")
                if guards.config.content_security_policy:
                    text = csp.with_policy(text)
            path.write_text(text, encoding="utf-8")
            shown = text.count(f'class="{TESTED_BY}')
            if page is not None and shown < page.tested_by:
                errors.append(
                    f"Post/page '{page.author}': its page {url} shows {shown} of its"
                    f" {page.tested_by} tested-by lines: the engine dropped the others"
                )
        if typesetter is not None:
            typesetter.write_assets(site)
            readings = typesetter.readings()
            rewrite_index(site, lambda index: search_index(index, readings))
        if readers is not None:
            readers.site(site)
    finally:
        if typesetter is not None:
            typesetter.close()
    if errors:
        raise BuildError("\n".join(dict.fromkeys(errors)))
    return list(dict.fromkeys(warnings))


def sources_in(
    text: str, comments: re.Pattern[str], excerpts: list[tuple[int, int]]
) -> tuple[list[str], list[str]]:
    """The author's files whose text the HTML ``text`` holds, by their source ``comments``:
    those outside the posts' ``excerpts`` (the page's own; a blog index has none), and all."""
    found = [(m.start(), html_lib.unescape(m.group(1))) for m in comments.finditer(text)]
    own = [a for at, a in found if not any(start < at < end for start, end in excerpts)]
    return list(dict.fromkeys(own)), list(dict.fromkeys(a for _, a in found))


def excerpt_regions(text: str) -> list[tuple[int, int]]:
    """Where each post's excerpt is on a blog index page: from its ``<article>`` to the end
    tag that closes it (an excerpt may hold articles of its own)."""
    regions = []
    for opening in EXCERPT.finditer(text):
        depth, at = 1, opening.end()
        while depth and (tag := ARTICLE_TAG.search(text, at)) is not None:
            depth += -1 if tag.group(1) else 1
            at = tag.end()
        regions.append((opening.start(), at if depth == 0 else len(text)))
    return regions


def _blog_index(config: MkDocsConfig) -> tuple[str, re.Pattern[str]] | None:
    """The blog index's URL, and the pattern of its further pages' URLs (blog/page/2/...),
    when the blog paginates it."""
    blog = config.plugins.get("material/blog")
    if blog is None or not blog.config.pagination:
        return None
    folder = posixpath.normpath(blog.config.blog_dir).strip("/")
    url = "" if folder == "." else folder + "/"
    further = re.escape(blog.config.pagination_url_format.strip("/"))
    return url, re.compile(re.escape(url) + further.replace(re.escape("{page}"), r"\d+") + "/")


def _titled_as(text: str, index: str) -> str:
    """``text``, a further page of the blog index, with the index's <title> and heading,
    as Material titles those pages (Zensical 0.0.73 titled them "Index")."""
    for pattern in (TITLE, HEADING):
        theirs, ours = pattern.search(index), pattern.search(text)
        if theirs is not None and ours is not None:
            text = text[: ours.start()] + theirs.group(0) + text[ours.end() :]
    return text


def _moved_pages(staged: Staged, published: dict[str, str], config: MkDocsConfig) -> dict[str, str]:
    """The URL of each staged page's file path -> the URL it is published at, where they
    differ: a post is published under its slug, not its path under the posts folder."""
    moved = {}
    for author, page in staged.pages.items():
        url = published.get(author)
        by_path = File(page.uri, "", "", config.use_directory_urls).url
        if url is not None and by_path != url:
            moved[by_path] = url
    return moved


def _excerpt_links(
    text: str, excerpts: list[tuple[int, int]], url: str, moved: dict[str, str], files: SiteFiles
) -> str:
    """``text`` with each link of its posts' ``excerpts`` to a post by the post's file path
    (Zensical 0.0.73 writes them so on index pages, where the site has no such page) linked
    to the post's page, as the post itself links it."""

    def relinked(match: re.Match[str]) -> str:
        value = html_lib.unescape(match.group(2))
        path = site_path(value, url)
        if path is None or files.problem(path) is None or path not in moved:
            return match.group(0)
        fragment = value.partition("#")[2]
        new = get_relative_url(moved[path], url) + ("#" + fragment if fragment else "")
        return match.group(1) + html_lib.escape(new) + match.group(3)

    for start, end in reversed(excerpts):
        text = text[:start] + LINK_URL.sub(relinked, text[start:end]) + text[end:]
    return text


def _excerpt_problems(
    text: str, excerpts: list[tuple[int, int]], url: str, staged: Staged, files: SiteFiles
) -> list[str]:
    """tested/guards' link check of the posts' excerpts on the index page at ``url``, each
    problem named with the post whose excerpt it is in."""
    found = []
    for start, end in excerpts:
        excerpt = text[start:end]
        authors = [html_lib.unescape(m.group(1)) for m in staged.sources.finditer(excerpt)]
        named = ", ".join(dict.fromkeys(authors)) or url
        found += [
            f"Doc file '{named}': its excerpt on {url or 'the home page'}: {problem}"
            for problem in link_problems(excerpt, url, files)
        ]
    return found


def _own_marks_only(text: str, marks: whole.Marks, excerpts: list[tuple[int, int]]) -> str:
    """``text`` without the content marks inside posts' ``excerpts`` (a blog index shows
    each post up to its excerpt separator, its first mark included): only the page's own
    stay."""
    for start, end in reversed(excerpts):
        text = text[:start] + marks.unwrap(text[start:end]) + text[end:]
    return text


def _site_files(site: Path) -> SiteFiles:
    """What links in the site may reach: every file the engine wrote, a page also by the
    folder URL a browser reaches it by."""
    files = SiteFiles()
    for path in site.rglob("*"):
        if path.is_file():
            uri = path.relative_to(site).as_posix()
            files.published.add(uri)
            if path.name == "index.html":
                folder = uri.removesuffix("index.html")
                files.published |= {folder, folder.rstrip("/")}
    return files


def _guard(
    text: str, url: str, page: StagedPage, staged: Staged, config: MkDocsConfig, files: SiteFiles
) -> list[str]:
    """tested/guards' checks of a page as published: its content whole as a browser parses
    it, its links and images reaching something the site has."""
    found = []
    marks = staged.marks
    tree = LexborHTMLParser(text)  # one parse (HTML5, lexbor): the page whole, its description
    if marks is not None:
        blog = config.plugins.get("material/blog")
        separator = blog.config.post_excerpt_separator if blog is not None and page.post else None
        if separator and markdown_above(page.markdown, separator) is None:
            separator = None  # not a line of its own outside code: the blog does not cut there
        found += [
            f"{problem}; close every element and comment its HTML opens"
            for problem in whole.problems(text, marks, separator, tree)
        ]
        if (content := between_marks(text, marks)) is not None:
            found += link_problems(text[content[0] : content[1]], url, files)
    if problem := description_problem(shown_description(tree), page.meta):
        found.append(problem)
    return [f"Doc file '{page.author}': {problem}" for problem in found]


def _typeset(
    text: str,
    url: str,
    named: str,
    typesetter: mathjax.Typesetter,
    warnings: list[str],
    errors: list[str],
) -> str:
    """The page ``text`` with its math typeset and linked; TeX errors go to ``warnings``,
    math the typesetter could not reach to ``errors``."""
    try:
        result = typesetter.typeset(text)
    except (mathjax.NodeNotFound, mathjax.MathJaxFailed) as exc:
        raise BuildError(f"tested/math: could not typeset the math of {named}: {exc}") from exc
    for error in result.errors:
        warnings.append(f"{named}: TeX error in {error.formula.source()}: {error.message}")
    if UNTYPESET.search(result.html):
        errors.append(f"{named}: the page {url} has math that was not typeset")
    return result.with_links(lambda p: get_relative_url(p, url), assets.PREFIX + COPY_TEX)
