"""The site as a reader sees it: a real Chromium (Playwright) reads the built site served
under its GitHub Pages sub-path.

Every page from sitemap.xml: math typeset without errors, no request leaves the local
server, no failed request or console error, every internal link and image resolves under
the sub-path. Then the main post's features: search (English and Chinese), code copy,
collapsible answers, the light/dark toggle with readable math, the "tested by" line
under every embedded block; the executable posts' figures; and a site copy with broken
TeX, to prove the page checker catches it.

Screenshots for people: test-artifacts/screenshots/*.png (overwritten each run).
Run only these: ``python -m pytest -m browser``; skip them: ``python -m pytest -m "not browser"``.
"""

from __future__ import annotations

import http.server
import re
import shutil
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

import browser_support as bs
import pytest
from conftest import (
    POSTS,
    ROOT,
    SITE_PATH,
    SITE_URL,
    front_matter,
    mkdocs_build,
    notebook_posts,
)

from sitebuild import sections
from sitebuild.provenance.lines import embedded_blocks

MAIN_POST = POSTS / "ml-interview-basics.md"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
MIN_CONTRAST = 4.5  # WCAG AA for body text

browser_test = pytest.mark.browser


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def browser():
    """One headless system Chromium for this module (never a downloaded one); closed after
    it, so Playwright's event loop does not outlive the browser tests."""
    try:
        executable = bs.find_chromium()
    except bs.BrowserNotFound as exc:
        if bs.running_in_ci():
            pytest.fail(f"CI=true and {exc}: the browser tests must run in CI", pytrace=False)
        if isinstance(exc, bs.InvalidChromiumPath):
            pytest.fail(str(exc), pytrace=False)
        pytest.skip(f"browser tests skipped: {exc}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True,
                                              args=bs.CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def server(built_site):
    with bs.serve_site(built_site, SITE_PATH) as running:
        yield running


@pytest.fixture(scope="module")
def pages(built_site, server) -> list[str]:
    return bs.sitemap_pages(built_site, SITE_URL, server.base_url)


@pytest.fixture(scope="module")
def page_reports(browser, built_site, server, pages) -> list[bs.PageReport]:
    """Every sitemap page loaded once; the tests below read these reports."""
    return [bs.check_page(browser, url, built_site, server) for url in pages]


@pytest.fixture(scope="module")
def main_post_url(pages) -> str:
    """The main post's page, found through the slug in its front matter."""
    assert MAIN_POST.is_file(), f"main post {MAIN_POST.relative_to(ROOT)} is missing"
    meta = front_matter(MAIN_POST)
    slug = meta.get("slug")
    assert slug, f"{MAIN_POST.relative_to(ROOT)}: front matter needs an ASCII 'slug'"
    matches = [url for url in pages if url.rstrip("/").endswith("/" + slug)]
    assert len(matches) == 1, f"expected one sitemap page for slug {slug!r}, found {matches}"
    return matches[0]


@pytest.fixture(scope="module")
def notebook_pages(pages) -> list[str]:
    """Pages of the executable posts: the notebooks (jupytext .py or .ipynb) among the posts."""
    sources = notebook_posts()
    assert sources, f"no executable post (.py or .ipynb) under {POSTS.relative_to(ROOT)}"
    found = []
    for source in sources:
        slug = front_matter(source).get("slug")
        assert slug, f"{source.relative_to(ROOT)}: front matter needs an ASCII 'slug'"
        matches = [url for url in pages if url.rstrip("/").endswith("/" + slug)]
        assert len(matches) == 1, f"{source.relative_to(ROOT)}: expected one page for slug {slug!r}, found {matches}"
        found.append(matches[0])
    return found


@pytest.fixture
def new_page(browser, server):
    """Opens a URL in a fresh context (light scheme, 1280x900) with its traffic watched;
    ``new_page.problems`` collects what went wrong. Contexts are closed after the test."""
    problems: list[str] = []
    contexts = []

    def open_(url: str, **context_args):
        args = {"color_scheme": "light", "viewport": {"width": 1280, "height": 900}, **context_args}
        context, page = bs.open_page(browser, url, server.host_port, problems, **args)
        contexts.append(context)
        return page

    open_.problems = problems
    try:
        yield open_
    finally:
        for context in contexts:
            context.close()


@pytest.fixture(scope="module")
def math_site_copy():
    """A small copy of the site: the real config (notebook parts dropped), hooks, assets, and
    four pages - good math, two TeX syntax errors, an undefined macro. Removed afterwards."""
    tmp = Path(tempfile.mkdtemp(prefix="math-site-"))
    try:
        config = bs.math_only_config((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
        (tmp / "mkdocs.yml").write_text(config, encoding="utf-8")
        for folder in ("hooks", "sitebuild", "snippets", "overrides"):
            if (ROOT / folder).is_dir():
                shutil.copytree(ROOT / folder, tmp / folder, ignore=shutil.ignore_patterns("__pycache__"))
        docs = tmp / "docs"
        for folder in ("javascripts", "stylesheets", "assets"):
            if (ROOT / "docs" / folder).is_dir():
                shutil.copytree(ROOT / "docs" / folder, docs / folder)
        docs.mkdir(exist_ok=True)
        (docs / "index.md").write_text(
            "# Good math\n\nInline $e^{i\\pi} + 1 = 0$ and display:\n\n"
            "$$\n\\frac{\\partial L}{\\partial z} = p - y\n$$\n", encoding="utf-8")
        (docs / "syntax-error.md").write_text(
            "# Syntax error\n\nA fraction never closed: $\\frac{1}{$ in a sentence.\n", encoding="utf-8")
        (docs / "double-exponent.md").write_text(
            "# Double exponent\n\nBraces balanced, TeX still wrong: $x^^2$.\n", encoding="utf-8")
        (docs / "undefined-macro.md").write_text(
            "# Undefined macro\n\n$$\n\\undefinedmacro{x}\n$$\n", encoding="utf-8")
        site = tmp / "site"
        result = mkdocs_build(tmp / "mkdocs.yml", site, cwd=tmp)
        assert result.returncode == 0, f"math-only site copy failed to build:\n{result.stderr[-3000:]}"
        yield site
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# --------------------------------------------------------------------------- helpers


def snippet_section(file: str, section: str) -> str:
    """A named section of a snippets file, as pymdownx.snippets embeds it (dedented, no markers)."""
    path = ROOT / file
    assert path.is_file(), f"embedded file {file} does not exist"
    return sections.section_body(path.read_text(encoding="utf-8"), section)


FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})")


def embedded_code_blocks(markdown: Path) -> list[tuple[str, str]]:
    """(label, expected text) of every fenced block in ``markdown`` made only of section includes."""
    blocks, inner, fence = [], None, None
    for line in markdown.read_text(encoding="utf-8").splitlines():
        match = FENCE.match(line)
        if inner is None:
            if match:
                fence, inner = match.group(2), []
        elif match and match.group(2).startswith(fence) and not line.strip()[len(match.group(2)):]:
            refs = [sections.split_reference(r.text) for r in sections.references("\n".join(inner))]
            if refs and len(refs) == sum(1 for ln in inner if ln.strip()) and all(
                    name for _, name, _ in refs):
                label = ", ".join(f"{path}:{name}" for path, name, _ in refs)
                text = "\n".join(snippet_section(path, name) for path, name, _ in refs)
                blocks.append((label, text))
            inner = None
        else:
            inner.append(line)
    return blocks


def same_page(href: str, base: str, target: str) -> bool:
    parts = urlsplit(urljoin(base, href))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")) == target


def screenshot(page, name: str, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    # Finish CSS transitions first (the header title cross-fades after a scroll).
    page.screenshot(path=str(path), full_page=full_page, animations="disabled")
    return path


def run_search(page, query: str) -> list[str]:
    """Type ``query`` into Material's search box; return the hrefs of the results."""
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query)
    # Material reacts to key events; a no-op key makes sure an IME-like insert is seen.
    box.press("End")
    page.wait_for_selector(".md-search-result__item")
    return page.eval_on_selector_all(".md-search-result__item a[href]", "els => els.map(a => a.href)")


# Opens the collapsed answers around an element; returns the ids of the inputs of the tabs
# (outermost first) that must be selected to show it.
REVEAL_JS = """el => {
  for (let d = el.closest('details'); d; d = d.parentElement.closest('details')) d.open = true;
  const tabs = [];
  for (let block = el.closest('.tabbed-block'); block; block = block.parentElement.closest('.tabbed-block')) {
    const set = block.closest('.tabbed-set');
    const index = [...block.parentElement.children].indexOf(block);
    const input = set.querySelectorAll(':scope > input')[index];
    if (input) tabs.unshift(input.id);
  }
  return tabs;
}"""


def reveal(page, locator) -> None:
    """Make ``locator`` visible as a reader would: open its answer, click its tab labels."""
    for tab in locator.evaluate(REVEAL_JS):
        page.locator(f'.tabbed-labels > label[for="{tab}"]').click()


def problems_text(problems: list[str]) -> str:
    return "\n  ".join(problems)


def assert_clean(failures: list[str], traffic_problems: list[str]) -> None:
    """No feature failed, and nothing went wrong in the page's traffic or console."""
    assert not failures, "\n".join(failures)
    assert not traffic_problems, "the feature worked, but the page had problems:\n  " + problems_text(traffic_problems)


# --------------------------------------------------------------------------- unit tests of the helpers
# (no browser needed; they pin the behaviour the browser tests rely on)


def test_find_chromium_prefers_env_var_and_rejects_a_bad_one(tmp_path):
    fake = tmp_path / "chrome"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    assert bs.find_chromium({"CHROMIUM_PATH": str(fake)}, which=lambda name: None) == str(fake)
    with pytest.raises(bs.InvalidChromiumPath, match="CHROMIUM_PATH"):
        bs.find_chromium({"CHROMIUM_PATH": str(tmp_path / "missing")}, which=lambda name: None)


def test_missing_browser_message_says_how_to_install(monkeypatch):
    monkeypatch.setattr(bs, "CHROMIUM_CANDIDATES", ())
    with pytest.raises(bs.BrowserNotFound, match="apt-get install -y chromium"):
        bs.find_chromium({}, which=lambda name: None)
    assert bs.running_in_ci({"CI": "true"}) and not bs.running_in_ci({})


def test_server_serves_only_under_the_sub_path(tmp_path):
    (tmp_path / "index.html").write_text("<p>home</p>")
    (tmp_path / "empty").mkdir()
    with bs.serve_site(tmp_path, SITE_PATH) as server:
        root = f"http://{server.host_port}"
        assert bs.http_status(server.base_url) == 200
        assert bs.http_status(root + SITE_PATH.rstrip("/")) == 200  # redirected to the slash
        assert bs.http_status(root + "/") == 404
        assert bs.http_status(root + "/index.html") == 404
        assert bs.http_status(server.base_url + "empty/") == 404  # no directory listings
        (tmp_path / "404.html").write_text("<p>not here</p>")
        assert bs.http_status(server.base_url + "missing/") == 404
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(server.base_url + "missing/", timeout=10)
        assert caught.value.read() == b"<p>not here</p>"  # the site's own 404 page, as on Pages
    with pytest.raises(OSError):
        bs.http_status(server.base_url)  # stopped


def test_server_takes_a_client_hanging_up_quietly(capsys):
    """A browser that closes a connection mid-response (ConnectionResetError, BrokenPipeError)
    is normal; any other error in a request is still printed with its traceback."""
    server = bs.SiteHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler,
                               bind_and_activate=False)
    try:
        for error in (ConnectionResetError, BrokenPipeError, ValueError):
            try:
                raise error("from the test")
            except Exception:
                server.handle_error(None, ("127.0.0.1", 1))
            printed = capsys.readouterr().err
            assert ("Traceback" in printed) == (error is ValueError), (error, printed)
    finally:
        server.server_close()


def test_contrast_ratio_matches_wcag_extremes():
    assert bs.contrast_ratio("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21.0)
    assert bs.contrast_ratio("rgb(255, 255, 255)", "rgb(255, 255, 255)") == pytest.approx(1.0)
    # Fully transparent text is invisible whatever its nominal colour.
    assert bs.contrast_ratio("rgba(0, 0, 0, 0)", "rgb(30, 33, 41)") == pytest.approx(1.0)
    with pytest.raises(ValueError, match="rgb"):
        bs.parse_css_color("oklch(0.5 0.1 200)")


def test_math_only_config_drops_plugins_and_notebook_hooks():
    text = ("site_name: X\n# Hooks\nhooks:\n  - hooks/mathjax.py\n  - hooks/notebooks.py\n"
            "plugins:\n  - search\n  - blog:\n      post_readtime: true\n"
            "markdown_extensions:\n  - pymdownx.arithmatex:\n      generic: true\nnav:\n  - a.md\n")
    out = bs.math_only_config(text)
    assert "hooks/mathjax.py" in out and "hooks/notebooks.py" not in out
    assert "plugins" not in out and "blog" not in out and "nav:" not in out
    assert "generic: true" in out


# --------------------------------------------------------------------------- every page


@browser_test
def test_every_page_typesets_math_and_loads_only_from_the_site(page_reports):
    """Per sitemap page: math typeset (no raw TeX, no MathJax error), no third-party or
    failed request, no console or JS error."""
    assert page_reports, "sitemap.xml lists no pages"
    failures = [f"{r.url}\n  {problems_text(r.problems)}" for r in page_reports if r.problems]
    assert not failures, f"{len(failures)} of {len(page_reports)} pages have problems:\n" + "\n".join(failures)


@browser_test
def test_every_internal_link_and_image_resolves_under_the_sub_path(page_reports, server):
    links = {r.url: r.links for r in page_reports}
    assert any(links.values()), "no page has any link: the link check would prove nothing"
    broken = bs.broken_links(links, SITE_URL, server)
    assert not broken, f"{len(broken)} broken internal links/images:\n" + "\n".join(broken)


@browser_test
def test_not_found_page_works_under_the_sub_path(new_page, server):
    """A mistyped deep URL shows the site's styled 404 page: its assets load from the sub-path."""
    page = new_page(server.base_url + "blog/no/such/post/")
    missing = [p for p in new_page.problems if "blog/no/such/post/" not in p]
    assert not missing, problems_text(missing)
    position = page.eval_on_selector(".md-header", "el => getComputedStyle(el).position")
    assert position == "sticky", f"404 page is unstyled: Material's header has position {position!r}"


@browser_test
def test_page_checker_reports_tex_errors_naming_the_page(browser, math_site_copy):
    """The checker used above fails a page whose TeX is broken, and passes good math."""
    with bs.serve_site(math_site_copy, SITE_PATH) as server:
        urls = bs.sitemap_pages(math_site_copy, SITE_URL, server.base_url)
        reports = {urlsplit(u).path[len(SITE_PATH):]: bs.check_page(browser, u, math_site_copy, server)
                   for u in urls}
    assert set(reports) == {"", "syntax-error/", "double-exponent/", "undefined-macro/"}, sorted(reports)
    good = reports[""]
    assert good.math_count >= 2 and not good.problems, problems_text(good.problems)
    for name in ("syntax-error/", "double-exponent/", "undefined-macro/"):
        report = reports[name]
        assert report.url.endswith(SITE_PATH + name)
        assert any("MathJax" in p or "raw" in p for p in report.problems), (
            f"broken TeX on {report.url} was not reported: {report.problems}")


@browser_test
def test_page_checker_reports_a_missing_mathjax_bundle(browser, math_site_copy):
    """If the hook stopped copying MathJax, the good page fails the check (404 + raw TeX)."""
    with tempfile.TemporaryDirectory(prefix="no-mathjax-") as tmp:
        site = Path(tmp) / "site"
        shutil.copytree(math_site_copy, site)  # the module's copy stays intact for other tests
        bundles = list(site.glob("**/tex-chtml*.js"))
        assert bundles, "the MathJax bundle is not in the built site copy"
        for bundle in bundles:
            bundle.unlink()
        with bs.serve_site(site, SITE_PATH) as server:
            report = bs.check_page(browser, server.base_url, site, server)
    assert any("HTTP 404" in p for p in report.problems), report.problems
    assert any("MathJax" in p and "bundle" in p for p in report.problems), report.problems
    assert any(p.startswith("raw") for p in report.problems), report.problems


# --------------------------------------------------------------------------- reader features


@browser_test
def test_search_finds_english_and_chinese_terms(new_page, server, built_site, pages, main_post_url):
    """'Adam' finds the main post; 优化 found inside a Chinese sentence links to a post that has it."""
    page = new_page(server.base_url)
    hrefs = run_search(page, "Adam")
    assert any(same_page(h, page.url, main_post_url) for h in hrefs), (
        f"searching 'Adam' did not list the main post {main_post_url}: {hrefs}")

    word = "优化"
    in_sentence = re.compile(rf"[\u4e00-\u9fff]{word}|{word}[\u4e00-\u9fff]")
    expected = [u for u in pages if "/blog/" in u and in_sentence.search(
        bs.html_text(bs.page_file(built_site, u, server.base_url).read_text("utf-8")))]
    assert expected, f"no post has {word} inside a Chinese sentence: nothing for the search test to find"
    page = new_page(server.base_url)
    hrefs = run_search(page, word)
    assert any(same_page(h, page.url, u) for h in hrefs for u in expected), (
        f"searching {word} listed {hrefs}, none of the posts that contain it: {expected}")
    assert not new_page.problems, problems_text(new_page.problems)


@browser_test
def test_copy_button_copies_the_embedded_code_exactly(new_page, main_post_url):
    """Each snippets section embedded in the main post: its block's copy button puts exactly
    that section (as in the source file, dedented) on the clipboard."""
    blocks = embedded_code_blocks(MAIN_POST)
    assert blocks, f"{MAIN_POST.relative_to(ROOT)} embeds no code section from snippets/"
    page = new_page(main_post_url, permissions=["clipboard-read", "clipboard-write"])
    # Material's copy button names its code element: data-clipboard-target="#__code_N > code".
    buttons = page.eval_on_selector_all(
        "button[data-clipboard-target]",
        "els => els.map(b => [b.dataset.clipboardTarget, document.querySelector(b.dataset.clipboardTarget).textContent])")
    assert buttons, "the main post's code blocks have no copy button (theme feature content.code.copy)"
    failures = []
    for label, expected in blocks:
        targets = [target for target, text in buttons if text.strip("\n") == expected]
        if not targets:
            failures.append(f"{label}: no code block with a copy button shows this section verbatim")
            continue
        button = page.locator(f'button[data-clipboard-target="{targets[0]}"]')
        reveal(page, button)
        page.evaluate("navigator.clipboard.writeText('')")
        button.click()  # moves the mouse over the block first, as a reader's click does
        copied = page.evaluate("navigator.clipboard.readText()")
        if copied.rstrip() != expected.rstrip():
            failures.append(f"{label}: copied {copied[:200]!r}..., expected {expected[:200]!r}...")
    assert_clean(failures, new_page.problems)


@browser_test
def test_collapsible_answers_open_and_close_on_click(new_page, main_post_url):
    page = new_page(main_post_url)
    details = page.locator("article details")
    closed = [i for i in range(details.count()) if not details.nth(i).evaluate("d => d.open")]
    assert closed, "the main post has no collapsed answer (details element)"
    # Open and the answer's first block actually rendered (not only the attribute set).
    state = "d => d.open && d.querySelector(':scope > :not(summary)').checkVisibility()"
    failures = []
    for i in closed:
        item = details.nth(i)
        summary = item.locator(":scope > summary")
        title = summary.inner_text().strip()[:60]
        summary.click()
        if not item.evaluate(state):
            failures.append(f"{title!r}: click did not open it")
        summary.click()
        if item.evaluate("d => d.open"):
            failures.append(f"{title!r}: second click did not close it")
    assert_clean(failures, new_page.problems)


@browser_test
def test_palette_toggle_switches_scheme_and_math_stays_readable(new_page, main_post_url):
    """The palette toggle switches default <-> slate; math contrast >= 4.5 in both schemes."""
    page = new_page(main_post_url)
    assert page.locator("mjx-container").count() > 0, "the main post shows no typeset math"
    failures = []

    def check_math_contrast(scheme: str) -> None:
        page.wait_for_function(
            f"() => document.body.getAttribute('data-md-color-scheme') === '{scheme}'")
        pairs = {}
        for item in page.evaluate(bs.MATH_COLORS_JS):
            pairs.setdefault((item["color"], item["background"]), item["tex"])
        for (color, background), tex in pairs.items():
            ratio = bs.contrast_ratio(color, background)
            if ratio < MIN_CONTRAST:
                failures.append(f"{scheme}: math {tex!r} in {color} on {background}: contrast {ratio:.2f}")

    toggle = page.locator("form[data-md-component=palette] label:visible")
    check_math_contrast("default")
    toggle.first.click()
    check_math_contrast("slate")
    # Dark mode, first answer opened: one screen is enough to judge the contrast by eye.
    page.locator("article details").first.evaluate("d => { d.open = true; d.scrollIntoView(); }")
    screenshot(page, "main-post-dark.png", full_page=False)
    toggle.first.click()
    check_math_contrast("default")
    assert_clean(failures, new_page.problems)


@browser_test
def test_executable_posts_show_their_figures(new_page, notebook_pages):
    """Each notebook post shows at least one figure and every image on it has loaded."""
    failures = []
    for url in notebook_pages:
        page = new_page(url)
        # Figures are lazy: one far below the first screen would never start loading (and
        # never be `complete`); load them all now, which is what scrolling down would do.
        page.evaluate("document.querySelectorAll('img[loading=lazy]')"
                      ".forEach(img => { img.loading = 'eager'; })")
        page.wait_for_function("() => [...document.images].every(img => img.complete)")
        figures = page.eval_on_selector_all(
            "article img:not(.md-author img, .md-post__authors img)", "els => els.map(i => i.naturalWidth)")
        broken = page.eval_on_selector_all("img", "els => els.filter(i => i.naturalWidth === 0).map(i => i.src.slice(0, 80))")
        if not figures:
            failures.append(f"{url}: no figure in the post")
        if broken:
            failures.append(f"{url}: images that did not load: {broken}")
    assert_clean(failures, new_page.problems)


@browser_test
def test_screenshots_of_main_post_and_an_executable_post(new_page, main_post_url, notebook_pages):
    """Full-page PNGs for a person to look at (answers opened so the math shows)."""
    page = new_page(main_post_url)
    page.evaluate("document.querySelectorAll('article details').forEach(d => d.open = true)")
    saved = [screenshot(page, "main-post.png")]
    page = new_page(sorted(notebook_pages)[0])
    saved.append(screenshot(page, "executable-post.png"))
    for path in saved:
        assert path.stat().st_size > 10_000, f"{path} looks empty"


# The "tested by" line of an embedded block and the block above it, as one element list.
TESTED_BY_JS = """() => [...document.querySelectorAll('article p.tested-by')].map(p => ({
  text: p.textContent.trim().slice(0, 60),
  under_code: !!p.previousElementSibling
    && p.previousElementSibling.classList.contains('highlight'),
}))"""


@browser_test
def test_tested_by_lines_sit_under_the_code_and_read_in_both_schemes(new_page, main_post_url):
    """Every embedded block of the main post has its line right under it; the line and its
    links keep a contrast >= 4.5 in both schemes. Screenshots of the first block with its
    line: tested-by-line.png (light) and tested-by-line-dark.png."""
    page = new_page(main_post_url)
    page.evaluate("document.querySelectorAll('article details').forEach(d => d.open = true)")
    lines = page.evaluate(TESTED_BY_JS)
    expected = sum(len(b.refs) > 0 for b in embedded_blocks(
        MAIN_POST.read_text(encoding="utf-8")))
    assert len(lines) == expected > 0, f"{len(lines)} lines for {expected} embedded blocks"
    failures = [f"not right under a code block: {line['text']!r}" for line in lines
                if not line["under_code"]]
    first = page.locator("article p.tested-by").first
    toggle = page.locator("form[data-md-component=palette] label:visible")
    for scheme, name in (("default", "tested-by-line.png"), ("slate", "tested-by-line-dark.png")):
        if scheme == "slate":
            toggle.first.click()
        page.wait_for_function(
            f"() => document.body.getAttribute('data-md-color-scheme') === '{scheme}'")
        for item in page.evaluate(bs.TEXT_COLORS_JS, "article p.tested-by, article p.tested-by a"):
            ratio = bs.contrast_ratio(item["color"], item["background"])
            if ratio < MIN_CONTRAST:
                failures.append(f"{scheme}: {item['text']!r} in {item['color']} on "
                                f"{item['background']}: contrast {ratio:.2f}")
        first.evaluate("p => p.scrollIntoView({block: 'center'})")  # below the sticky header
        code, line = (first.locator("xpath=preceding-sibling::*[1]").bounding_box(),
                      first.bounding_box())  # in viewport coordinates
        top = max(code["y"] - 16, 0)
        clip = {"x": max(min(code["x"], line["x"]) - 16, 0), "y": top,
                "width": max(code["width"], line["width"]) + 32,
                "height": line["y"] + line["height"] + 16 - top}
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / name), clip=clip, animations="disabled")
    toggle.first.click()
    assert_clean(failures, new_page.problems)
