"""The real site, built once with ``--strict`` (the ``built_site`` fixture of conftest.py).

What a reader gets: every page built, math served from the site, nothing loaded from
another host, code that is the tested code, search that finds Chinese words, a feed and
a tags index listing the posts.
"""

from __future__ import annotations

import functools
import html
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlparse

import jieba
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import (
    POSTS,
    ROOT,
    SITE_URL,
    front_matter,
    notebook_posts,
    posts,
)
from tested_blog import sections
from tested_blog.stylesheets import joined, members_of

pytestmark = pytest.mark.site

DOCS = ROOT / "docs"
CJK_RUN = re.compile(r"[\u4e00-\u9fff]{4,}")


# --------------------------------------------------------------------------- helpers


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


@functools.cache  # several tests read the same built pages; none changes them
def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def post_page(site: Path, post: Path) -> Path:
    return site / "blog" / front_matter(post)["slug"] / "index.html"


def normalise(text: str) -> str:
    return " ".join(text.split())


def snippet_texts() -> dict[str, str]:
    """Each snippets/*.py file, whitespace-normalised, without its section marker lines
    (pymdownx drops nested markers from an embedded section)."""
    return {
        p.name: normalise(sections.without_markers(p.read_text(encoding="utf-8")))
        for p in sorted((ROOT / "snippets").glob("*.py"))
    }


def site_host() -> str:
    return urlparse(SITE_URL).netloc


# --------------------------------------------------------------------------- the build


def test_every_page_and_post_is_built(built_site):
    for page in [
        "index.html",
        "about/index.html",
        "reference/index.html",
        "blog/index.html",
        "blog/tags/index.html",
        "404.html",
    ]:
        assert (built_site / page).is_file(), page
    assert posts(), "no posts under docs/blog/posts"
    for post in posts():
        assert post_page(built_site, post).is_file(), f"{post.name} was not built"


@pytest.mark.parametrize("post", posts(), ids=lambda p: p.name)
def test_posts_have_ascii_slugs_dates_and_known_authors(post):
    meta = front_matter(post)
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", str(meta.get("slug", ""))), (
        f"{post.name}: `slug` must be lower-case ASCII words joined by '-'"
    )
    assert meta.get("date"), f"{post.name}: no date"
    authors = yaml.safe_load((POSTS.parent / ".authors.yml").read_text())["authors"]
    assert meta.get("authors") and set(meta["authors"]) <= set(authors), post.name


def test_built_urls_are_ascii(built_site):
    for path in built_site.rglob("*"):
        rel = path.relative_to(built_site).as_posix()
        assert rel.isascii(), f"non-ASCII URL: {rel}"


def test_build_works_from_another_directory(built_site):
    """`built_site` is built with `-f /abs/path/mkdocs.yml` from an unrelated cwd (see
    conftest): the snippet base path, hooks and mkdocstrings paths resolve relative to
    mkdocs.yml, not to the cwd."""
    code = [
        normalise(c.get_text())
        for c in python_blocks(built_site / "blog" / "ml-interview-basics" / "index.html")
    ]
    assert code, "the main post has no embedded code when built from another directory"
    assert (built_site / "assets" / "mathjax" / "chtml.css").is_file()


# --------------------------------------------------------------------------- math
# tested/math typesets every formula at build time (tested_blog/mathjax/).

MATH_ASSETS = Path("assets") / "mathjax"


def math_pages(site: Path) -> list[Path]:
    return [page for page in pages(site) if soup(page).select("mjx-container")]


def test_every_formula_is_typeset_in_the_published_html(built_site):
    """No TeX is left for a browser to typeset: arithmatex elements hold MathJax's markup,
    with assistive MathML for screen readers and the TeX kept for copying."""
    with_math = math_pages(built_site)
    slugs = {p.parent.name for p in with_math}
    assert {front_matter(p)["slug"] for p in posts()} <= slugs, sorted(slugs)
    for page in with_math:
        doc = soup(page)
        for node in doc.select(".arithmatex"):
            containers = node.find_all("mjx-container", recursive=False)
            assert len(containers) == 1, f"{page}: untypeset {node.get_text()[:80]!r}"
        for container in doc.select("mjx-container"):
            assert container.get("data-tex"), f"{page}: a formula without its TeX"
            assert container.select_one("mjx-assistive-mml > math"), f"{page}: no MathML"
            assert container.select_one("mjx-math[aria-hidden=true]"), page
        assert not doc.select("mjx-merror"), page


def test_headings_with_math_are_typeset_in_the_navigation_too(built_site):
    """The table of contents repeats a heading's math as text (\\(f(x)\\) in a label)."""
    labels = [
        label for page in math_pages(built_site) for label in soup(page).select(".md-ellipsis")
    ]
    assert not [lab.get_text() for lab in labels if "\\(" in lab.get_text()]
    assert any(lab.select("mjx-container") for lab in labels), "no heading with math?"


def test_no_page_loads_a_mathjax_script(built_site):
    for page in pages(built_site):
        srcs = [s.get("src", "") for s in soup(page).find_all("script")]
        assert not [s for s in srcs if "mathjax" in s.lower() or "tex-" in s], (page, srcs)
        inline = " ".join(s.get_text() for s in soup(page).find_all("script", src=False))
        assert "MathJax" not in inline, page
    assert not [p for p in built_site.rglob("*.js") if "mathjax" in p.as_posix().lower()]


def stylesheets(site: Path, page: Path) -> list[Path]:
    """The files the page's stylesheets come from, in order: a bundle's members (its first
    line names them) in its place."""
    found = []
    for link in soup(page).find_all("link", rel="stylesheet"):
        href = link["href"]
        assert not urlparse(href).scheme, (page, href)
        prefix = urlparse(SITE_URL).path  # 404.html's links start there: any URL may show it
        path = site / href[len(prefix) :] if href.startswith(prefix) else page.parent / href
        path = path.resolve()
        members = members_of(path.read_text(encoding="utf-8"))
        found += [(site / m).resolve() for m in members] if members else [path]
    return found


def test_math_pages_link_the_stylesheet_whose_fonts_are_in_the_site(built_site):
    with_math = math_pages(built_site)
    css_file = (built_site / MATH_ASSETS / "chtml.css").resolve()
    for page in pages(built_site):
        linked = stylesheets(built_site, page).count(css_file)
        if page not in with_math:
            assert not linked, f"{page} has no math but loads the math stylesheet"
        else:
            assert linked == 1, (page, stylesheets(built_site, page))
    urls = re.findall(r'url\("([^"]+)"\)', css_file.read_text(encoding="utf-8"))
    fonts = [url for url in urls if not url.startswith("data:")]  # the smallest, inline
    assert fonts and all((css_file.parent / f).is_file() for f in fonts), fonts
    # Only the stylesheet and the fonts it names: nothing else of the distribution.
    shipped = {
        p.relative_to(css_file.parent).as_posix() for p in css_file.parent.rglob("*") if p.is_file()
    }
    assert shipped == {"chtml.css", *fonts}


def test_each_page_fetches_the_themes_stylesheet_and_one_file_for_the_others(built_site):
    """tested/reader joins the stylesheets after the theme's (tested_blog.stylesheets):
    every page links two (404.html too, from the site's root), the second a bundle whose
    text is its members' as they are now (the math's stylesheet, written last, included);
    the site's own and the plugins' stylesheets are all in it, in mkdocs.yml's order."""
    from mkdocs.config import load_config

    extra_css = [str(s) for s in load_config(str(ROOT / "mkdocs.yml")).extra_css]
    bundles: dict[Path, list[str]] = {}
    root = urlparse(SITE_URL).path  # 404.html's links start there: any URL may show it
    for page in pages(built_site):
        links = [link["href"] for link in soup(page).find_all("link", rel="stylesheet")]
        assert len(links) == 2 and "/main." in links[0], (page, links)
        if page.name == "404.html":
            assert links[1].startswith(root), links
            bundle = (built_site / links[1][len(root) :]).resolve()
        else:
            bundle = (page.parent / links[1]).resolve()
        members = members_of(bundle.read_text(encoding="utf-8"))
        assert members, f"{page}: its second stylesheet {links[1]} is not a bundle"
        bundles[bundle] = members
    for bundle, members in bundles.items():
        texts = {m: (built_site / m).read_text(encoding="utf-8") for m in members}
        path = bundle.relative_to(built_site.resolve()).as_posix()
        assert bundle.read_text(encoding="utf-8") == joined(path, texts), f"{bundle} is stale"
        assert [m for m in members if m in extra_css] == extra_css, (bundle, members)
        assert {"assets/tested-blog/reader.css", "assets/tested-blog/tested-by.css"} <= set(members)
    assert any((MATH_ASSETS / "chtml.css").as_posix() in m for m in bundles.values()), bundles


def test_the_stylesheet_draws_every_glyph_the_pages_use(built_site):
    """MathJax's CSS is adaptive: one rule per character used. Each class pair
    (mjx-c… and its font) of every page must have its rule."""
    css = (built_site / MATH_ASSETS / "chtml.css").read_text(encoding="utf-8")
    missing = set()
    for page in math_pages(built_site):
        for glyph in soup(page).select("mjx-c[class]"):  # (stretchy parts carry none)
            selector = "mjx-c." + ".".join(glyph.get("class", [])) + "::before"
            if selector not in css:
                missing.add(selector)
    assert not missing, sorted(missing)[:20]


def test_the_home_page_lists_the_newest_posts_with_their_summaries(built_site):
    from tested_blog.front_matter import load
    from tested_blog.notebooks.posts import head

    def meta(path: Path) -> dict:
        if path.suffix == ".py":  # a notebook post: its '# ---' header
            return head(path, f"blog/posts/{path.name}").meta
        return load(path.read_text(encoding="utf-8").split("---\n")[1])

    folder = ROOT / "docs" / "blog" / "posts"
    posts = [meta(p) for p in folder.iterdir() if p.suffix in {".md", ".py"} and p.name[0] != "_"]
    posts.sort(key=lambda m: str(m["date"]["created"]), reverse=True)
    page = (built_site / "index.html").read_text(encoding="utf-8")
    listed = re.findall(
        r'<li class="latest-posts__item"><a href="blog/([^/]+)/">[^<]+</a> '
        r'<time datetime="([\d-]+)">[^<]+</time><p>([^<]+)</p></li>',
        page,
    )
    assert len(listed) == min(5, len(posts)), listed
    assert [date for _, date, _ in listed] == sorted((d for _, d, _ in listed), reverse=True)
    newest = {m["slug"]: m for m in posts[:5]}
    for slug, _, summary in listed:
        assert slug in newest, (slug, sorted(newest))
        assert html.unescape(summary) == " ".join(newest[slug]["description"].split())
    assert "<!-- latest-posts -->" not in page


# What a post's own text does not talk about: the machinery that checks it. The tested-by
# lines, the "executed" labels and the download note say that; answers and prose do not.
BUILD_TALK = re.compile(
    r"tests?/|test_\w+\.py|pytest|hidden cell|\bCI\b|continuous integration"
    r"|(site|page) (is|was) built|at build time|on every build",
    re.I,
)


def test_posts_speak_to_the_reader_not_about_the_build(built_site):
    found = []
    for page in sorted((built_site / "blog").glob("*/index.html")):
        # a copy of its own: the cached soup() of a page is shared by other tests
        doc = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        if not doc.find("meta", attrs={"property": "og:type", "content": "article"}):
            continue  # the blog's index, tags and other views
        article = doc.find("article")
        for node in article.select("pre, code, .tested-by, .nb-executed, .admonition.tip, nav"):
            node.decompose()
        text = " ".join(article.get_text(" ").split())
        found += [
            f"{page.parent.name}: ...{text[max(0, m.start() - 50) : m.end() + 30]}..."
            for m in BUILD_TALK.finditer(text)
        ]
    assert not found, found


CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")  # site.css's unicode-range


def test_every_chinese_character_on_the_site_is_in_the_font_it_serves(built_site):
    """Readers without a Chinese system font get docs/assets/fonts/cjk-subset.woff2: a
    character it lacks would show as an empty box."""
    from fontTools.ttLib import TTFont

    used = set()
    for page in built_site.rglob("*.html"):
        used.update(CJK.findall(soup(page).get_text()))
    assert used, "the site has no Chinese text: the font subset is not needed"
    font = built_site / "assets" / "fonts" / "cjk-subset.woff2"
    covered = {chr(code) for code in TTFont(font).getBestCmap()}
    missing = "".join(sorted(used - covered))
    assert not missing, (
        f"characters missing from {font.name}: {missing}; run python scripts/subset_cjk_font.py"
    )
    css = (built_site / "stylesheets" / "site.css").read_text(encoding="utf-8")
    assert 'url("../assets/fonts/cjk-subset.woff2")' in css and "unicode-range" in css
    assert TTFont(font).flavor == "woff2"


def test_search_results_read_clean(built_site):
    """Math as its plain reading (no TeX, no MathJax markup), a question's title without
    its difficulty label, no quiz controls, and a post's tags once, on its page's entry."""
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = index["docs"]
    text = " ".join(doc["title"] + " " + doc["text"] for doc in docs)
    for raw in ("\\(", "\\[", "\\frac", "\\begin", "mjx-", "data-tex"):
        assert raw not in text, raw
    assert "P(y∣x)" in text and "x^2−1" in text  # the main post's and the Adam post's
    assert not [doc["title"] for doc in docs if "Difficulty" in doc["title"]]
    assert "Quiz mode" not in text and "Still to review" not in text
    tagged = [doc["location"] for doc in docs if doc.get("tags")]
    assert tagged and all("#" not in location for location in tagged), tagged


# --------------------------------------------------------------------------- privacy

TAG_ATTRS = {
    "script": ["src"],
    "link": ["href"],
    "img": ["src", "srcset"],
    "iframe": ["src"],
    "source": ["src", "srcset"],
    "video": ["src", "poster"],
    "audio": ["src"],
    "embed": ["src"],
    "object": ["data"],
}


def urls(node, attr: str) -> list[str]:
    value = (node.get(attr) or "").strip()
    if attr == "srcset":  # "a.png 1x, b.png 2x"
        return [part.split()[0] for part in value.split(",") if part.strip()]
    return [value] if value else []


def test_no_page_loads_anything_from_another_host(built_site):
    offenders, checked = [], 0
    for page in pages(built_site):
        doc = soup(page)
        for tag, attrs in TAG_ATTRS.items():
            for node in doc.find_all(tag):
                for attr in attrs:
                    for url in urls(node, attr):
                        checked += 1
                        parsed = urlparse(urljoin("https://this.site/", url))
                        if parsed.scheme == "data":
                            continue  # inline (the notebook posts' figures): no request
                        # The site's own host appears in rel=canonical / rel=alternate links.
                        if parsed.netloc not in ("this.site", site_host()):
                            offenders.append(
                                f"{page.relative_to(built_site)}: <{tag} {attr}={url}>"
                            )
    assert checked > 100
    assert not offenders, "\n".join(offenders[:20])


def test_no_stylesheet_imports_from_another_host(built_site):
    for css in built_site.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert not re.search(r"@import\s+(url\()?['\"]?(https?:)?//", text), css
        assert not re.search(r"url\(['\"]?(https?:)?//", text), css


def test_no_page_calls_the_github_api(built_site):
    # Material's repository widget (repo_url) fetches star counts from api.github.com.
    for page in pages(built_site):
        assert not soup(page).select('[data-md-component="source"]'), page


# --------------------------------------------------------------------------- code


def python_blocks(page: Path):
    return soup(page).select("div.language-python pre code, div.language-py pre code")


def test_every_python_block_is_tested_code(built_site):
    """Every Python code block of the Markdown pages occurs in a file of snippets/.
    Notebook posts are skipped: their code cells are executed at build time."""
    sources = snippet_texts()
    skip = {post_page(built_site, p) for p in notebook_posts()}
    checked, missing = 0, []
    for page in pages(built_site):
        if page in skip:
            continue
        for block in python_blocks(page):
            code = normalise(block.get_text())
            checked += 1
            if not any(code in text for text in sources.values()):
                missing.append(f"{page.relative_to(built_site)}:\n{block.get_text()[:300]}")
    assert checked >= 10, f"only {checked} Python blocks found: is the selector right?"
    assert not missing, "code not taken from snippets/:\n\n" + "\n\n".join(missing)


def test_every_snippet_section_is_embedded_somewhere():
    refs = "\n".join(
        p.read_text(encoding="utf-8")
        for p in DOCS.rglob("*")
        if p.suffix in {".md", ".py", ".ipynb"}
    )
    unused = []
    for path in sorted((ROOT / "snippets").glob("*.py")):
        for name in sections.section_names(path.read_text(encoding="utf-8")):
            if not re.search(rf"snippets/{re.escape(path.name)}:{name}(?![-\w])", refs):
                unused.append(f"{path.name}:{name}")
    assert not unused, f"sections no page embeds: {unused}"


def test_api_reference_has_a_section_per_module(built_site):
    doc = soup(built_site / "reference" / "index.html")
    ids = {node["id"] for node in doc.find_all(id=True)}
    for module in sorted((ROOT / "snippets").glob("*.py")):
        if module.stem.startswith("_"):
            continue
        assert any(i.startswith(f"snippets.{module.stem}.") for i in ids), (
            f"docs/reference.md does not document snippets.{module.stem}"
        )


# --------------------------------------------------------------------------- search


@functools.cache
def search_tokens(site: Path) -> set[str]:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    separator = re.compile(index["config"]["separator"])
    tokens = set()
    for doc in index["docs"]:
        for field in (doc["title"], doc["text"]):
            text = re.sub(r"<[^>]+>", " ", field)
            tokens.update(t.lower() for t in separator.split(text) if t)
    return tokens


def test_chinese_words_inside_sentences_are_search_tokens(built_site):
    """The separator splits jieba's segmentation, so a word in the middle of a Chinese
    sentence (优化 in 自适应优化方法) is a token of its own, as the reader types it."""
    sources = "\n".join(p.read_text(encoding="utf-8") for p in DOCS.rglob("*.md"))
    runs = CJK_RUN.findall(sources)
    assert runs, "no Chinese sentence on the site (the author's notes are expected)"
    tokens = search_tokens(built_site)
    jieba.setLogLevel(60)
    words = {w for run in runs for w in jieba.cut(run) if len(w) >= 2}
    assert words and words <= tokens, sorted(words - tokens)[:20]
    assert not set(runs) & tokens, "whole sentences are still single tokens"
    if "自适应优化方法" in sources:
        assert "优化" in tokens


def test_cjk_punctuation_does_not_glue_to_words(built_site):
    tokens = search_tokens(built_site)
    glued = sorted(t for t in tokens if re.search(r"[\u3000-\u303f\uff01-\uff0f\uff1a-\uff1f]", t))
    assert not glued, glued[:20]


# --------------------------------------------------------------------------- blog


def test_rss_feed_lists_every_post(built_site):
    feed = ET.parse(built_site / "feed_rss_created.xml").getroot()
    links = [item.findtext("link") for item in feed.iter("item")]
    for post in posts():
        url = urljoin(SITE_URL, f"blog/{front_matter(post)['slug']}/")
        assert url in links, f"{post.name} is not in the RSS feed: {links}"


def test_tags_index_lists_every_tag_with_its_posts(built_site):
    doc = soup(built_site / "blog" / "tags" / "index.html")
    content = doc.select_one("article") or doc
    text = content.get_text(" ")
    hrefs = [a["href"] for a in content.find_all("a", href=True)]
    for post in posts():
        meta = front_matter(post)
        for tag in meta.get("tags", []):
            assert str(tag) in text, f"tag {tag!r} of {post.name} missing from the tags index"
        assert any(f"{meta['slug']}/" in h for h in hrefs), f"{post.name} not linked from tags"


def test_post_page_shows_author_read_time_and_categories(built_site):
    authors = yaml.safe_load((POSTS.parent / ".authors.yml").read_text())["authors"]
    for post in posts():
        meta = front_matter(post)
        text = soup(post_page(built_site, post)).get_text(" ")
        assert "min read" in text, post.name
        for key in meta["authors"]:
            assert authors[key]["name"] in text, post.name
        for category in meta.get("categories", []):
            slug = re.sub(r"[^a-z0-9]+", "-", category.lower()).strip("-")
            assert (built_site / "blog" / "category" / slug / "index.html").is_file(), category


def test_archive_and_blog_index_list_the_posts(built_site):
    archive = list((built_site / "blog" / "archive").rglob("index.html"))
    assert archive, "no archive page"
    index_links = " ".join(
        a["href"] for a in soup(built_site / "blog" / "index.html").find_all("a", href=True)
    )
    for post in posts():
        assert f"{front_matter(post)['slug']}/" in index_links, post.name


def test_theme_has_palette_toggle_and_copy_buttons(built_site):
    doc = soup(built_site / "index.html")
    schemes = {
        i.get("data-md-color-scheme") for i in doc.select("form[data-md-component=palette] input")
    }
    assert {"default", "slate"} <= schemes
    config = json.loads(doc.select_one("script#__config").string)
    assert "content.code.copy" in config["features"]


def test_search_dialog_has_an_accessible_name(built_site):
    """Material's dialog has role=dialog and no name (Lighthouse: "ARIA dialog elements
    have accessible names"); tested/reader names it as its search field, and the dialog
    keeps the parts Material's script looks for."""
    for page in (built_site / "index.html", built_site / "blog" / "index.html"):
        dialog = soup(page).select_one('[data-md-component="search"][role="dialog"]')
        assert dialog is not None and dialog.get("aria-label") == "Search", page
        for component in ("search-query", "search-result", "search-suggest"):
            assert dialog.select_one(f'[data-md-component="{component}"]'), (page, component)


# --------------------------------------------------------------------------- mkdocs serve


def test_serve_rebuilds_when_a_snippets_module_changes():
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    watched = {Path(path).resolve() for path in config.watch}
    assert (ROOT / "snippets").resolve() in watched, config.watch


def test_a_serve_rebuild_frees_the_build_before_it(tmp_path, monkeypatch):
    """`mkdocs serve` builds each rebuild from a fresh config in one process: nothing may
    keep the previous build alive, or each rebuild adds its pages, API models and templates
    to memory and runs slower than the last (mkdocstrings-python's template cache and
    griffe's dataclass cache kept every build; tested/rebuilds empties them)."""
    import gc
    import weakref

    from griffe import Object
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from site_copy import make_site, post

    config_file = make_site(tmp_path / "copy", {"a.md": post("a", "A post")})
    monkeypatch.setenv("TESTED_CODE_PROVENANCE", "pending")
    monkeypatch.setenv("SITE_URL", SITE_URL)
    builds, api_models = [], []
    for _ in range(2):  # a build, then a rebuild as mkdocs serve makes it
        config = load_config(str(config_file), site_dir=str(tmp_path / "site"))
        config.plugins.on_startup(command="serve", dirty=False)
        build(config)
        assert (tmp_path / "site" / "reference" / "index.html").is_file()
        builds.append(weakref.ref(config))
        del config
        if not api_models:  # the first build's griffe models, of the copy's snippets/
            gc.collect()
            api_models = [
                weakref.ref(o)
                for o in gc.get_objects()
                if isinstance(o, Object) and tmp_path in Path(str(o.filepath)).parents
            ]
    gc.collect()
    outlived = builds[0]() is not None
    assert not outlived, "the first build's configuration outlived the rebuild"
    assert api_models, "the reference page made no griffe models: is the test looking right?"
    kept = sorted({m().path for m in api_models if m() is not None})
    assert not kept, f"the first build's API models outlived the rebuild: {kept[:5]}"


def test_every_page_carries_the_content_security_policy_first_in_its_head(built_site):
    """The reader's browser refuses anything from another host on every page, and runs no
    inline script but the page's own (tested_blog.csp; tested/guards puts it there)."""
    from tested_blog import csp

    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        html = page.read_text(encoding="utf-8")
        head = re.search(r"<head\b[^>]*>", html)
        assert head, page
        expected = '<meta http-equiv="Content-Security-Policy" content="'
        assert html[head.end() :].startswith(expected), page.relative_to(built_site)
        policy = html[head.end() + len(expected) :].split('"', 1)[0]
        assert policy == csp.policy(csp.inline_script_hashes(html)), page
