"""The site as a reader sees it: a real Chromium (Playwright) reads the built site served
under its GitHub Pages sub-path.

Every page from sitemap.xml: math present in the HTML as delivered (typeset at build
time), drawn by its stylesheet and fonts, with no MathJax error and no MathJax script; no
request leaves the local server, no failed request or console error, every internal link
and image resolves under the sub-path. Then the main post's features: search (English and
Chinese), code copy, copying math as TeX, collapsible answers, the light/dark toggle with
readable math and footer, the "tested by" line under every embedded block; quiz mode,
previous/next links, link previews and notebook downloads; the executable posts' figures;
and a site copy with broken TeX, which fails the strict build and which the page checker
flags when built anyway.

Screenshots for people: test-artifacts/screenshots/*.png (overwritten each run).
Run only these: ``python -m pytest -m browser``; skip them: ``python -m pytest -m "not browser"``.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import subprocess
import sys
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
    notebook_posts,
    posts,
)

from sitebuild import sections
from sitebuild.provenance.lines import embedded_blocks

MAIN_POST = POSTS / "ml-interview-basics.md"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
MIN_CONTRAST = 4.5  # WCAG AA for body text
# The footer's old colour computes as 4.51-4.53 here but 4.47 in Lighthouse (axe blends the
# translucent layers differently): a small margin keeps the two tools' verdicts apart.
MIN_FOOTER_CONTRAST = MIN_CONTRAST + 0.1

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
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=bs.CHROMIUM_ARGS
        )
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
        assert len(matches) == 1, (
            f"{source.relative_to(ROOT)}: expected one page for slug {slug!r}, found {matches}"
        )
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


BROKEN_TEX_PAGES = {
    "syntax-error": "# Syntax error\n\nA fraction never closed: $\\frac{1}{$ in a sentence.\n",
    "double-exponent": "# Double exponent\n\nBraces balanced, TeX still wrong: $x^^2$.\n",
    "undefined-macro": "# Undefined macro\n\n$$\n\\undefinedmacro{x}\n$$\n",
}


def build_math_copy(tmp: Path, strict: bool) -> subprocess.CompletedProcess[str]:
    """Build the math-only copy in ``tmp`` into ``tmp/site``; ``strict`` as the real site,
    or not, so that pages with broken TeX are written (MathJax's error markup in them)."""
    config = tmp / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        re.sub(r"^strict: \w+$", f"strict: {str(strict).lower()}", text, flags=re.M),
        encoding="utf-8",
    )
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": SITE_URL}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(tmp / "site")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp,
        timeout=600,
    )


@pytest.fixture(scope="module")
def math_site_source():
    """A small copy of the site's sources: the real config (notebook parts dropped), hooks,
    sitebuild, overrides, assets, and four pages - good math, two TeX syntax errors, an
    undefined macro. Removed afterwards."""
    tmp = Path(tempfile.mkdtemp(prefix="math-site-"))
    try:
        config = bs.math_only_config((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
        (tmp / "mkdocs.yml").write_text(config, encoding="utf-8")
        for folder in ("hooks", "sitebuild", "snippets", "overrides"):
            if (ROOT / folder).is_dir():
                shutil.copytree(
                    ROOT / folder, tmp / folder, ignore=shutil.ignore_patterns("__pycache__")
                )
        docs = tmp / "docs"
        for folder in ("javascripts", "stylesheets", "assets"):
            if (ROOT / "docs" / folder).is_dir():
                shutil.copytree(ROOT / "docs" / folder, docs / folder)
        docs.mkdir(exist_ok=True)
        (docs / "index.md").write_text(
            "# Good math\n\nInline $e^{i\\pi} + 1 = 0$ and display:\n\n"
            "$$\n\\frac{\\partial L}{\\partial z} = p - y\n$$\n",
            encoding="utf-8",
        )
        for name, text in BROKEN_TEX_PAGES.items():
            (docs / f"{name}.md").write_text(text, encoding="utf-8")
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def math_site_copy(math_site_source):
    """The math-only copy built without --strict: the broken pages carry MathJax's errors."""
    result = build_math_copy(math_site_source, strict=False)
    assert result.returncode == 0, f"math-only site copy failed to build:\n{result.stderr[-3000:]}"
    return math_site_source / "site"


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
        elif match and match.group(2).startswith(fence) and not line.strip()[len(match.group(2)) :]:
            refs = [sections.split_reference(r.text) for r in sections.references("\n".join(inner))]
            if (
                refs
                and len(refs) == sum(1 for ln in inner if ln.strip())
                and all(name for _, name, _ in refs)
            ):
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
    return page.eval_on_selector_all(
        ".md-search-result__item a[href]", "els => els.map(a => a.href)"
    )


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
    assert not traffic_problems, (
        "the feature worked, but the page had problems:\n  " + problems_text(traffic_problems)
    )


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
    server = bs.SiteHTTPServer(
        ("127.0.0.1", 0), http.server.BaseHTTPRequestHandler, bind_and_activate=False
    )
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
    text = (
        "site_name: X\n# Hooks\nhooks:\n  - hooks/mathjax.py\n  - hooks/notebooks.py\n"
        "plugins:\n  - search\n  - blog:\n      post_readtime: true\n"
        "markdown_extensions:\n  - pymdownx.arithmatex:\n      generic: true\nnav:\n  - a.md\n"
    )
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
    assert not failures, (
        f"{len(failures)} of {len(page_reports)} pages have problems:\n" + "\n".join(failures)
    )


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
    assert position == "sticky", (
        f"404 page is unstyled: Material's header has position {position!r}"
    )


def test_broken_tex_fails_the_strict_build_naming_each_page(math_site_source):
    """Math is typeset at build time, so broken TeX fails the strict build, each broken page
    named with its formula (the browser no longer has to find it)."""
    result = build_math_copy(math_site_source, strict=True)
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"the strict build passed with broken TeX:\n{output}"
    errors = [line for line in output.splitlines() if "TeX error in" in line]
    for name in BROKEN_TEX_PAGES:
        assert any(f"{name}.md: TeX error in $" in line for line in errors), (name, errors)
    assert not any("index.md" in line for line in errors), errors
    build_math_copy(math_site_source, strict=False)  # leave the module's copy built


@browser_test
def test_page_checker_reports_tex_errors_naming_the_page(browser, math_site_copy):
    """The checker used above fails a page whose TeX is broken (as a non-strict build
    publishes it), and passes good math."""
    with bs.serve_site(math_site_copy, SITE_PATH) as server:
        urls = bs.sitemap_pages(math_site_copy, SITE_URL, server.base_url)
        reports = {
            urlsplit(u).path[len(SITE_PATH) :]: bs.check_page(browser, u, math_site_copy, server)
            for u in urls
        }
    broken = [f"{name}/" for name in BROKEN_TEX_PAGES]
    assert set(reports) == {"", *broken}, sorted(reports)
    good = reports[""]
    assert good.math_count >= 2 and not good.problems, problems_text(good.problems)
    for name in broken:
        report = reports[name]
        assert report.url.endswith(SITE_PATH + name)
        assert any(p.startswith("MathJax error") for p in report.problems), (
            f"broken TeX on {report.url} was not reported: {report.problems}"
        )


def _site_variant(math_site_copy: Path, tmp: str) -> Path:
    site = Path(tmp) / "site"
    shutil.copytree(math_site_copy, site)  # the module's copy stays intact for other tests
    return site


@browser_test
def test_page_checker_reports_a_missing_math_stylesheet(browser, math_site_copy):
    """If the hook stopped writing the stylesheet, the good page fails the check: a 404,
    and glyphs that are not drawn."""
    with tempfile.TemporaryDirectory(prefix="no-math-css-") as tmp:
        site = _site_variant(math_site_copy, tmp)
        sheets = list(site.glob("assets/mathjax/*.css"))
        assert sheets, "the math stylesheet is not in the built site copy"
        for sheet in sheets:
            sheet.unlink()
        with bs.serve_site(site, SITE_PATH) as server:
            report = bs.check_page(browser, server.base_url, site, server)
    assert any("HTTP 404" in p for p in report.problems), report.problems
    assert any("stylesheet is missing" in p for p in report.problems), report.problems


@browser_test
def test_page_checker_reports_a_mathjax_script_and_math_typeset_in_the_browser(
    browser, math_site_copy
):
    """A page that loads a MathJax script, which adds a formula the delivered HTML did not
    have, fails the check on both counts."""
    with tempfile.TemporaryDirectory(prefix="mathjax-script-") as tmp:
        site = _site_variant(math_site_copy, tmp)
        script = site / "assets" / "mathjax" / "tex-chtml.js"
        script.write_text(
            "window.MathJax = {};\ndocument.querySelector('article')"
            ".append(document.createElement('mjx-container'));\n"
        )
        index = site / "index.html"
        index.write_text(
            index.read_text(encoding="utf-8").replace(
                "</body>", '<script src="assets/mathjax/tex-chtml.js"></script></body>'
            ),
            encoding="utf-8",
        )
        with bs.serve_site(site, SITE_PATH) as server:
            report = bs.check_page(browser, server.base_url, site, server)
    assert any(p.startswith("MathJax script requested") for p in report.problems), report.problems
    assert any("window.MathJax" in p for p in report.problems), report.problems
    assert any(p.startswith("math not as delivered") for p in report.problems), report.problems


# --------------------------------------------------------------------------- reader features


@browser_test
def test_search_finds_english_and_chinese_terms(new_page, server, built_site, pages, main_post_url):
    """'Adam' finds the main post; 优化 found inside a Chinese sentence links to a post that has it."""
    page = new_page(server.base_url)
    hrefs = run_search(page, "Adam")
    assert any(same_page(h, page.url, main_post_url) for h in hrefs), (
        f"searching 'Adam' did not list the main post {main_post_url}: {hrefs}"
    )

    word = "优化"
    in_sentence = re.compile(rf"[\u4e00-\u9fff]{word}|{word}[\u4e00-\u9fff]")
    expected = [
        u
        for u in pages
        if "/blog/" in u
        and in_sentence.search(
            bs.html_text(bs.page_file(built_site, u, server.base_url).read_text("utf-8"))
        )
    ]
    assert expected, (
        f"no post has {word} inside a Chinese sentence: nothing for the search test to find"
    )
    page = new_page(server.base_url)
    hrefs = run_search(page, word)
    assert any(same_page(h, page.url, u) for h in hrefs for u in expected), (
        f"searching {word} listed {hrefs}, none of the posts that contain it: {expected}"
    )
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
        "els => els.map(b => [b.dataset.clipboardTarget, document.querySelector(b.dataset.clipboardTarget).textContent])",
    )
    assert buttons, (
        "the main post's code blocks have no copy button (theme feature content.code.copy)"
    )
    failures = []
    for label, expected in blocks:
        targets = [target for target, text in buttons if text.strip("\n") == expected]
        if not targets:
            failures.append(
                f"{label}: no code block with a copy button shows this section verbatim"
            )
            continue
        button = page.locator(f'button[data-clipboard-target="{targets[0]}"]')
        reveal(page, button)
        page.evaluate("navigator.clipboard.writeText('')")
        button.click()  # moves the mouse over the block first, as a reader's click does
        copied = page.evaluate("navigator.clipboard.readText()")
        if copied.rstrip() != expected.rstrip():
            failures.append(f"{label}: copied {copied[:200]!r}..., expected {expected[:200]!r}...")
    assert_clean(failures, new_page.problems)


# Selects the paragraph around the first inline formula of the page; returns its TeX.
SELECT_PARAGRAPH_WITH_MATH_JS = """() => {
  const math = [...document.querySelectorAll('article p mjx-container[data-tex]')]
    .find(c => c.getAttribute('display') !== 'true');
  const range = document.createRange();
  range.selectNodeContents(math.closest('p'));
  getSelection().removeAllRanges();
  getSelection().addRange(range);
  return math.getAttribute('data-tex');
}"""


@browser_test
def test_copying_text_with_math_copies_the_formulas_tex(new_page, main_post_url):
    """MathJax draws glyphs with CSS, so docs/javascripts/copy-tex.js puts each selected
    formula's TeX on the clipboard as $...$ in place of the glyphs."""
    page = new_page(main_post_url, permissions=["clipboard-read", "clipboard-write"])
    page.evaluate("document.querySelectorAll('article details').forEach(d => d.open = true)")
    tex = page.evaluate(SELECT_PARAGRAPH_WITH_MATH_JS)
    page.evaluate("navigator.clipboard.writeText('')")
    page.keyboard.press("Control+C")
    copied = page.evaluate("navigator.clipboard.readText()")
    failures = [] if f"${tex}$" in copied else [f"expected ${tex}$ in the copied text {copied!r}"]
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
def test_folded_answers_are_not_laid_out(new_page, main_post_url):
    """A folded answer's content has no layout box (display: none, docs/stylesheets/site.css),
    so Material's bundle measuring its code blocks at load forces no layout of hidden
    content (what made the main post block for seconds); opened, it is laid out."""
    page = new_page(main_post_url)
    folded = page.locator("article details:not([open])")
    assert folded.count(), "the main post has no folded answer"
    content_display = "d => getComputedStyle(d, '::details-content').display"
    code_width = "d => { const c = d.querySelector('pre > code'); return c ? c.clientWidth : -1 }"
    with_code = [i for i in range(folded.count()) if folded.nth(i).evaluate(code_width) != -1]
    assert with_code, "no folded answer holds a code block"
    item = folded.nth(with_code[0]).element_handle()  # this element, once opened too
    assert item.evaluate(content_display) == "none"
    assert item.evaluate(code_width) == 0
    item.query_selector(":scope > summary").click()
    assert item.evaluate("d => d.open") and item.evaluate(content_display) != "none"
    assert item.evaluate(code_width) > 0
    assert_clean([], new_page.problems)


# Text colour of the footer's copyright lines, and the background a reader sees behind them:
# every (possibly translucent) background from the root down, blended over white.
FOOTER_COLORS_JS = """() => {
  const rgba = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const behind = el => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) layers.unshift(rgba(getComputedStyle(e).backgroundColor));
    let [r, g, b] = [255, 255, 255];
    for (const [lr, lg, lb, la = 1] of layers.filter(l => l.length >= 3)) {
      [r, g, b] = [lr * la + r * (1 - la), lg * la + g * (1 - la), lb * la + b * (1 - la)];
    }
    return `rgb(${r}, ${g}, ${b})`;
  };
  return [...document.querySelectorAll('.md-copyright, .md-copyright *')]
    .filter(el => [...el.childNodes].some(n => n.nodeType === 3 && n.nodeValue.trim()))
    .map(el => ({text: [...el.childNodes].filter(n => n.nodeType === 3)
                   .map(n => n.nodeValue.trim()).join(' ').trim().slice(0, 40),
                 color: getComputedStyle(el).color,
                 background: behind(el)}));
}"""


@browser_test
def test_palette_toggle_switches_scheme_and_math_stays_readable(new_page, main_post_url):
    """The palette toggle switches default <-> slate; math and footer text contrast >= 4.5
    in both schemes."""
    page = new_page(main_post_url)
    assert page.locator("mjx-container").count() > 0, "the main post shows no typeset math"
    failures = []

    def check_math_contrast(scheme: str) -> None:
        page.wait_for_function(
            f"() => document.body.getAttribute('data-md-color-scheme') === '{scheme}'"
        )
        pairs = {}
        for item in page.evaluate(bs.MATH_COLORS_JS):
            pairs.setdefault((item["color"], item["background"]), item["tex"])
        for (color, background), tex in pairs.items():
            ratio = bs.contrast_ratio(color, background)
            if ratio < MIN_CONTRAST:
                failures.append(
                    f"{scheme}: math {tex!r} in {color} on {background}: contrast {ratio:.2f}"
                )

    def check_footer_contrast(scheme: str) -> None:
        # docs/stylesheets/site.css: the copyright lines measured 4.47 on slate (Lighthouse).
        for item in page.evaluate(FOOTER_COLORS_JS):
            ratio = bs.contrast_ratio(item["color"], item["background"])
            if ratio < MIN_FOOTER_CONTRAST:
                failures.append(
                    f"{scheme}: footer {item['text']!r} in {item['color']} on "
                    f"{item['background']}: contrast {ratio:.2f}"
                )

    toggle = page.locator("form[data-md-component=palette] label:visible")
    check_math_contrast("default")
    check_footer_contrast("default")
    toggle.first.click()
    check_math_contrast("slate")
    check_footer_contrast("slate")
    # Dark mode, first answer opened: one screen is enough to judge the contrast by eye.
    page.locator("article details").first.evaluate("d => { d.open = true; d.scrollIntoView(); }")
    screenshot(page, "main-post-dark.png", full_page=False)
    toggle.first.click()
    check_math_contrast("default")
    assert_clean(failures, new_page.problems)


@browser_test
def test_executable_posts_show_their_figures(new_page, notebook_pages):
    """Each notebook post shows at least one figure and every image on it loads once the
    reader scrolls to it (figures load lazily, so each is brought into view first)."""
    failures = []
    for url in notebook_pages:
        page = new_page(url)
        bs.load_lazy_figures(page)
        page.wait_for_function("() => [...document.images].every(img => img.complete)")
        figures = page.eval_on_selector_all(
            "article img:not(.md-author img, .md-post__authors img)",
            "els => els.map(i => i.naturalWidth)",
        )
        broken = page.eval_on_selector_all(
            "img", "els => els.filter(i => i.naturalWidth === 0).map(i => i.src.slice(0, 80))"
        )
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
    bs.load_lazy_figures(page)
    saved.append(screenshot(page, "executable-post.png"))
    for path in saved:
        assert path.stat().st_size > 10_000, f"{path} looks empty"


# --------------------------------------------------------------------------- quiz mode, neighbours,
# downloads, link previews (issue 10)

QUIZ_KEY = "ml-interview-qa/quiz/v1/"
QUESTION = "section.quiz-question"


def quiz_ids(post: Path) -> list[tuple[str, str]]:
    """(id, difficulty) of each question, read from the post's own heading markers."""
    found = re.findall(
        r"^## .*\{ #([\w-]+) \.(easy|medium|hard) \}$", post.read_text(encoding="utf-8"), re.M
    )
    assert len(found) >= 10, f"{post.relative_to(ROOT)}: expected its questions to be marked"
    return found


def question(page, qid: str):
    return page.locator(f'{QUESTION}[data-quiz-id="{qid}"]')


def mark(page, qid: str, which: str) -> None:
    """Open the question's answer (if closed) and press its 'Knew it' or 'Review' button."""
    section = question(page, qid)
    if not section.locator(":scope > details").evaluate("d => d.open"):
        section.locator(":scope > details > summary").click()
    section.get_by_role("button", name="Knew it" if which == "known" else "Review").click()


def progress(page) -> dict[str, int]:
    counts = page.locator(".quiz-progress").evaluate(
        "p => ({known: +p.dataset.known, review: +p.dataset.review, notYet: +p.dataset.notYet,"
        " text: p.textContent})"
    )
    return counts


def visible_ids(page) -> list[str]:
    return page.eval_on_selector_all(
        QUESTION, "els => els.filter(e => e.checkVisibility()).map(e => e.dataset.quizId)"
    )


def stored_marks(page) -> dict[str, str]:
    raw = page.evaluate(
        f"() => Object.entries(localStorage).filter(([k]) => k.startsWith('{QUIZ_KEY}'))"
    )
    assert len(raw) == 1, f"expected one localStorage entry for the post, found {raw}"
    return json.loads(raw[0][1])["marks"]


@browser_test
def test_quiz_marks_survive_a_reload_and_a_navigation(new_page, main_post_url, server):
    ids = quiz_ids(MAIN_POST)
    page = new_page(main_post_url)
    first, second, last = ids[0][0], ids[1][0], ids[-1][0]
    mark(page, first, "known")
    mark(page, second, "review")
    mark(page, last, "known")
    mark(page, last, "known")  # pressing a pressed mark again clears it
    expected = {first: "known", second: "review"}

    def check(when: str) -> list[str]:
        failures = []
        got = {q: question(page, q).get_attribute("data-mark") for q, _ in ids}
        want = {q: expected.get(q, "none") for q, _ in ids}
        if got != want:
            failures.append(f"after {when}: marks {got}, expected {want}")
        pressed = page.eval_on_selector_all(
            '.quiz-mark__button[aria-pressed="true"]',
            "els => els.map(b => [b.closest('section').dataset.quizId, b.value])",
        )
        if sorted(map(tuple, pressed)) != sorted(expected.items()):
            failures.append(f"after {when}: pressed buttons {pressed}, expected {expected}")
        return failures

    failures = check("marking")
    # keyed by the ids written in the post, not by position
    assert stored_marks(page) == expected
    page.reload(wait_until="load")
    failures += check("a reload")
    page.goto(server.base_url + "blog/", wait_until="load")
    slug = urlsplit(main_post_url).path.rstrip("/").split("/")[-1]
    page.locator(f'a[href$="{slug}/"]').first.click()
    page.wait_for_url(main_post_url)
    failures += check("leaving for the blog index and coming back by its link")
    assert_clean(failures, new_page.problems)


@browser_test
def test_quiz_progress_counts_and_filters_hide_exactly_what_they_should(new_page, main_post_url):
    ids = quiz_ids(MAIN_POST)
    total = len(ids)
    page = new_page(main_post_url)
    assert progress(page)["notYet"] == total and progress(page)["known"] == 0
    known = [q for q, _ in ids[0:6:2]]  # three known
    review = [q for q, _ in ids[1:5:2]]  # two to review
    for q in known:
        mark(page, q, "known")
    for q in review:
        mark(page, q, "review")
    counts = progress(page)
    assert (counts["known"], counts["review"], counts["notYet"]) == (3, 2, total - 5), counts
    assert f"Known 3 · Review 2 · Not yet {total - 5}" in counts["text"]

    page.get_by_role("radio", name="Still to review").check()
    assert visible_ids(page) == [q for q, _ in ids if q not in known]
    assert page.locator(".quiz-shown").inner_text() == f"Showing {total - 3} of {total} questions."
    # difficulty filter on top: no easy question either
    easy = {q for q, level in ids if level == "easy"}
    page.locator(".quiz-filter").get_by_role("checkbox", name=re.compile(r"^easy")).uncheck()
    assert visible_ids(page) == [q for q, _ in ids if q not in known and q not in easy]
    page.get_by_role("radio", name="All questions").check()
    assert visible_ids(page) == [q for q, _ in ids if q not in easy]
    page.locator(".quiz-filter").get_by_role("checkbox", name=re.compile(r"^easy")).check()
    assert visible_ids(page) == [q for q, _ in ids]
    assert progress(page)["known"] == 3  # filtering changes no mark
    assert_clean([], new_page.problems)


@browser_test
def test_quiz_open_all_and_close_all_answers(new_page, main_post_url):
    page = new_page(main_post_url)
    answers = page.locator(f"{QUESTION} > details")
    count = answers.count()
    assert count == len(quiz_ids(MAIN_POST))
    opened = (
        "els => els.filter(d => d.open && d.querySelector(':scope > p').checkVisibility()).length"
    )
    page.get_by_role("button", name="Open all answers").click()
    assert page.eval_on_selector_all(f"{QUESTION} > details", opened) == count
    page.get_by_role("button", name="Close all answers").click()
    still_open = "els => els.filter(d => d.open).length"
    assert page.eval_on_selector_all(f"{QUESTION} > details", still_open) == 0
    assert_clean([], new_page.problems)


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the focused element matches ``selector`` (fails after ``limit``)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => !!document.activeElement?.matches({json.dumps(selector)})"):
            return
    raise AssertionError(f"{limit} presses of Tab never reached {selector}")


@browser_test
def test_quiz_works_from_the_keyboard_with_labelled_controls(new_page, main_post_url):
    ids = quiz_ids(MAIN_POST)
    page = new_page(main_post_url)
    first, second = ids[0][0], ids[1][0]
    # every question's marks are a labelled group of toggle buttons
    groups = page.get_by_role(
        "group", name=re.compile(r"^Your mark for: \d+\. "), include_hidden=True
    )  # inside the still folded answers
    assert groups.count() == len(ids)
    assert page.get_by_role("status").filter(has_text="Known 0").count() == 1

    summary = f'{QUESTION}[data-quiz-id="{first}"] > details > summary'
    tab_to(page, summary)
    page.keyboard.press("Enter")  # a summary opens its answer from the keyboard
    assert question(page, first).locator(":scope > details").evaluate("d => d.open")
    tab_to(page, f'{QUESTION}[data-quiz-id="{first}"] .quiz-mark__button--known')
    page.keyboard.press("Space")
    knew = question(page, first).get_by_role("button", name="Knew it")
    assert knew.get_attribute("aria-pressed") == "true"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the Review button, next in the tab order
    assert knew.get_attribute("aria-pressed") == "false"
    assert question(page, first).get_attribute("data-mark") == "review"

    # the review filter from the keyboard; marking a question known there moves focus on
    page.get_by_role("radio", name="Still to review").focus()
    page.keyboard.press("Space")
    assert page.get_by_role("radio", name="Still to review").is_checked()
    question(page, second).locator(":scope > details > summary").focus()
    page.keyboard.press("Enter")
    tab_to(page, f'{QUESTION}[data-quiz-id="{second}"] .quiz-mark__button--known')
    page.keyboard.press("Enter")
    assert not question(page, second).is_visible()
    focused = page.evaluate("() => document.activeElement.closest('section')?.dataset.quizId")
    assert focused == ids[2][0], f"focus went to {focused!r}, not the next question to review"
    assert_clean([], new_page.problems)


@browser_test
def test_quiz_without_javascript_leaves_the_answers_folded(new_page, main_post_url):
    page = new_page(main_post_url, java_script_enabled=False)
    assert page.locator(".quiz-bar").is_hidden()
    assert page.locator(".quiz-mark").count() == 0
    answers = page.locator(f"{QUESTION} > details")
    assert answers.count() == len(quiz_ids(MAIN_POST))
    any_open = "els => els.some(d => d.open)"
    assert page.eval_on_selector_all(f"{QUESTION} > details", any_open) is False
    labels = page.locator(".quiz-level").all_text_contents()  # as a screen reader reads them
    assert labels == [f"Difficulty: {d}" for _, d in quiz_ids(MAIN_POST)]


QUIZ_TEXT = (
    ".quiz-level, .quiz-progress, .quiz-choice, .quiz-button, .quiz-shown, "
    ".quiz-state, .quiz-mark__prompt, .quiz-mark__button"
)


@browser_test
def test_quiz_mode_reads_well_in_both_schemes_with_screenshots(new_page, main_post_url):
    """Every text of the quiz (labels, counts, filters, marks pressed or not) has a
    contrast of at least 4.5 in the light and the dark scheme; screenshots of the bar with
    some marks, and of the review filter with a marked answer, in both."""
    ids = quiz_ids(MAIN_POST)
    saved, failures = [], []
    for scheme, suffix in (("light", ""), ("dark", "-dark")):
        page = new_page(main_post_url, color_scheme=scheme)
        for q, _ in ids[:3]:
            mark(page, q, "known")
        mark(page, ids[3][0], "review")
        for text, color, background in page.evaluate(bs.TEXT_ON_BACKGROUND_JS, QUIZ_TEXT):
            ratio = bs.contrast_ratio(color, background)
            if ratio < MIN_CONTRAST:
                failures.append(f"{scheme}: {text!r} in {color} on {background}: {ratio:.2f}")
        page.evaluate("window.scrollTo(0, 0)")  # the top: Material hides 'Back to top' there
        page.wait_for_function("() => document.querySelector('.md-top').hidden")
        page.mouse.move(0, 0)  # no button drawn hovered
        saved.append(screenshot(page, f"quiz-mode{suffix}.png", full_page=False))
        page.get_by_role("radio", name="Still to review").check()
        question(page, ids[3][0]).locator(".quiz-mark").scroll_into_view_if_needed()
        page.mouse.move(0, 0)
        saved.append(screenshot(page, f"quiz-review{suffix}.png", full_page=False))
    for path in saved:
        assert path.stat().st_size > 10_000, f"{path} looks empty"
    assert_clean(failures, new_page.problems)


def post_sources() -> list[tuple[Path, dict]]:
    return [(p, front_matter(p)) for p in posts()]


def created(meta: dict) -> str:
    date = meta["date"]["created"] if isinstance(meta["date"], dict) else meta["date"]
    return date.isoformat()


def post_url(base: str, meta: dict) -> str:
    return f"{base}blog/{meta['slug']}/"


@browser_test
def test_previous_and_next_posts_resolve_under_the_sub_path(new_page, server):
    """Each post links to the older and newer post of its category (front-matter dates),
    and following the link opens that post under the sub-path."""
    sources = post_sources()
    failures, followed = [], 0
    for path, meta in sources:
        category = meta["categories"][0]
        same = sorted((created(m), m["slug"]) for _, m in sources if category in m["categories"])
        at = same.index((created(meta), meta["slug"]))
        expected = {
            "prev": same[at - 1][1] if at > 0 else None,
            "next": same[at + 1][1] if at + 1 < len(same) else None,
        }
        for rel, slug in expected.items():
            page = new_page(post_url(server.base_url, meta))  # each link from a fresh load
            links = page.locator(f'nav.post-neighbours a[rel="{rel}"]')
            if slug is None:
                if links.count():
                    failures.append(f"{path.name}: has a {rel} link, but ends {category}")
                continue
            if links.count() != 1:
                failures.append(f"{path.name}: no {rel} link (expected {slug})")
                continue
            href = links.get_attribute("href")
            target = post_url(server.base_url, {"slug": slug})
            if not same_page(href, page.url, target):
                failures.append(f"{path.name}: {rel} link {href} is not {target}")
                continue
            # Leaving a page while its lazy figures load would abort them (and report that):
            # load them all first, then follow the link.
            page.evaluate("document.querySelectorAll('img').forEach(i => i.loading = 'eager')")
            page.wait_for_function("() => [...document.images].every(i => i.complete)")
            with page.expect_navigation():
                links.click()
            page.wait_for_load_state("networkidle")
            if page.url != target or not page.locator("article h1").count():
                failures.append(f"{path.name}: following {rel} ended at {page.url}")
            followed += 1
        if expected == {"prev": None, "next": None} and page.locator("nav.post-neighbours").count():
            failures.append(f"{path.name}: alone in {category}, yet shows neighbour links")
    assert followed >= 4, f"only {followed} neighbour links followed: few posts share a category"
    assert_clean(failures, new_page.problems)


@browser_test
def test_open_graph_and_twitter_tags_on_each_post(new_page, server):
    failures = []
    for path, meta in post_sources():
        page = new_page(post_url(server.base_url, meta))
        tags: dict[str, list[str]] = {}
        for key, content in page.eval_on_selector_all(
            "head meta[property], head meta[name^='twitter:']",
            "els => els.map(m => [m.getAttribute('property') || m.getAttribute('name'),"
            " m.getAttribute('content')])",
        ):
            tags.setdefault(key, []).append(content)
        title = page.locator("article h1").first.evaluate(
            "h => [...h.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent)"
            ".join('').trim()"
        )
        description = " ".join(meta["description"].split())
        want = {
            "og:type": ["article"],
            "og:title": [title],
            "twitter:title": [title],
            "og:url": [SITE_URL + f"blog/{meta['slug']}/"],
            "og:description": [description],
            "twitter:description": [description],
            "twitter:card": ["summary"],
            "og:site_name": ["ML Interview Q&A"],
            "article:section": [meta["categories"][0]],
            "article:tag": meta.get("tags", []),
        }
        for key, value in want.items():
            if tags.get(key) != value:
                failures.append(f"{path.name}: {key} = {tags.get(key)}, expected {value}")
        published = tags.get("article:published_time", [""])
        if len(published) != 1 or not published[0].startswith(created(meta)):
            failures.append(
                f"{path.name}: article:published_time {published}, expected {created(meta)}"
            )
    assert_clean(failures, new_page.problems)


@browser_test
def test_downloaded_notebooks_execute_to_the_outputs_they_carry(new_page, notebook_pages, tmp_path):
    """Each notebook post's download links give its executed .ipynb and its .py; the .ipynb,
    run again with nbclient (snippets importable, as after the install its first cell
    gives), prints exactly what it carries, and the .py holds the same cells."""
    import jupytext
    import nbformat
    from notebook_sites import comparable_outputs, rerun

    failures = []
    for url in notebook_pages:
        page = new_page(url, accept_downloads=True)
        note = page.locator(".admonition", has_text="Run this post yourself")
        files = {}
        for suffix in (".ipynb", ".py"):
            link = note.locator(f'a[download$="{suffix}"]')
            assert link.count() == 1, f"{url}: no {suffix} download link"
            with page.expect_download() as caught:
                link.click()
            folder = tmp_path / urlsplit(url).path.strip("/").replace("/", "-")
            target = folder / caught.value.suggested_filename
            target.parent.mkdir(parents=True, exist_ok=True)
            caught.value.save_as(target)
            files[suffix] = target
        carried = nbformat.read(files[".ipynb"], as_version=4)
        if "pip install" not in carried.cells[0].source:
            failures.append(f"{url}: its first cell does not say how to install snippets")
        page_text = page.locator("article").inner_text()
        for cell_outputs in comparable_outputs(carried):
            for kind, _name, text in cell_outputs:
                if kind == "stream" and text.strip().splitlines()[0] not in page_text:
                    failures.append(f"{url}: notebook output {text[:60]!r} is not on the page")
        expected = comparable_outputs(carried)
        if not any(expected):
            failures.append(f"{url}: the downloaded notebook carries no outputs")
        again = comparable_outputs(rerun(files[".ipynb"], pythonpath=ROOT))
        if again != expected:
            diff = [
                (i, a, b) for i, (a, b) in enumerate(zip(expected, again, strict=False)) if a != b
            ][:2]
            failures.append(f"{url}: re-run outputs differ from the carried ones: {diff}")
        script = jupytext.read(files[".py"], fmt="py:percent")
        if [c.source for c in script.cells] != [c.source for c in carried.cells]:
            failures.append(f"{url}: the .py download does not hold the notebook's cells")
    assert_clean(failures, new_page.problems)


@browser_test
def test_screenshots_of_neighbours_and_downloads(new_page, notebook_pages):
    page = new_page(sorted(notebook_pages)[-1])
    page.locator(".admonition", has_text="Run this post yourself").evaluate(
        "n => n.scrollIntoView({block: 'center'})"
    )
    saved = [screenshot(page, "notebook-downloads.png", full_page=False)]
    page.locator("nav.post-neighbours").evaluate("n => n.scrollIntoView({block: 'center'})")
    saved.append(screenshot(page, "post-neighbours.png", full_page=False))
    page = new_page(sorted(notebook_pages)[-1], color_scheme="dark")
    page.locator("nav.post-neighbours").evaluate("n => n.scrollIntoView({block: 'center'})")
    saved.append(screenshot(page, "post-neighbours-dark.png", full_page=False))
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
    expected = sum(len(b.refs) > 0 for b in embedded_blocks(MAIN_POST.read_text(encoding="utf-8")))
    assert len(lines) == expected > 0, f"{len(lines)} lines for {expected} embedded blocks"
    failures = [
        f"not right under a code block: {line['text']!r}"
        for line in lines
        if not line["under_code"]
    ]
    first = page.locator("article p.tested-by").first
    toggle = page.locator("form[data-md-component=palette] label:visible")
    for scheme, name in (("default", "tested-by-line.png"), ("slate", "tested-by-line-dark.png")):
        if scheme == "slate":
            toggle.first.click()
        page.wait_for_function(
            f"() => document.body.getAttribute('data-md-color-scheme') === '{scheme}'"
        )
        for item in page.evaluate(bs.TEXT_COLORS_JS, "article p.tested-by, article p.tested-by a"):
            ratio = bs.contrast_ratio(item["color"], item["background"])
            if ratio < MIN_CONTRAST:
                failures.append(
                    f"{scheme}: {item['text']!r} in {item['color']} on "
                    f"{item['background']}: contrast {ratio:.2f}"
                )
        first.evaluate("p => p.scrollIntoView({block: 'center'})")  # below the sticky header
        code, line = (
            first.locator("xpath=preceding-sibling::*[1]").bounding_box(),
            first.bounding_box(),
        )  # in viewport coordinates
        top = max(code["y"] - 16, 0)
        clip = {
            "x": max(min(code["x"], line["x"]) - 16, 0),
            "y": top,
            "width": max(code["width"], line["width"]) + 32,
            "height": line["y"] + line["height"] + 16 - top,
        }
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / name), clip=clip, animations="disabled")
    toggle.first.click()
    assert_clean(failures, new_page.problems)


@browser_test
def test_highlighted_code_reads_in_both_schemes(new_page, notebook_pages, main_post_url):
    """Every token colour of the highlighted code (comments and docstrings included, which
    Material draws at about 4.2:1) has a contrast of at least 4.5 on the code background,
    in the light and the dark scheme; answers opened on the main post."""
    failures, checked = [], 0
    for url in (main_post_url, sorted(notebook_pages)[0]):
        for scheme in ("light", "dark"):
            page = new_page(url, color_scheme=scheme)
            page.evaluate(
                "document.querySelectorAll('article details').forEach(d => d.open = true)"
            )
            seen = set()
            for text, color, background in page.evaluate(
                bs.TEXT_ON_BACKGROUND_JS, ".highlight code span[class]"
            ):
                if not text or (color, background) in seen:
                    continue
                seen.add((color, background))
                ratio = bs.contrast_ratio(color, background)
                if ratio < MIN_CONTRAST:
                    failures.append(
                        f"{url} {scheme}: {text!r} in {color} on {background}: {ratio:.2f}"
                    )
            checked += len(seen)
    assert checked > 4, "no highlighted code found"
    assert_clean(failures, new_page.problems)


@browser_test
def test_links_in_running_text_are_underlined(new_page, notebook_pages, main_post_url):
    """A link inside a paragraph, list item or table cell is told apart from the text
    around it by an underline, not by its colour alone (WCAG 1.4.1)."""
    failures, checked = [], 0
    for url in (main_post_url, sorted(notebook_pages)[0]):
        page = new_page(url)
        links = page.evaluate(
            """() => [...document.querySelectorAll(
                 'article :is(p, li, td, dd) > a:not(.md-button)')]
               .filter(a => a.checkVisibility() && a.textContent.trim())
               .map(a => [a.textContent.trim().slice(0, 40), getComputedStyle(a).textDecorationLine])"""
        )
        checked += len(links)
        failures += [
            f"{url}: {text!r} has text-decoration {line!r}"
            for text, line in links
            if "underline" not in line
        ]
    assert checked, "no link in running text found"
    assert_clean(failures, new_page.problems)


LAYOUT_SHIFTS_INIT = """window.__shifts = [];
new PerformanceObserver(list => {
  for (const e of list.getEntries()) window.__shifts.push({value: e.value,
    nodes: e.sources.map(s => s.node ? s.node.nodeName + '.' + (s.node.className || '') : '?'),
    article: e.sources.some(s => s.node && s.node.closest && !!s.node.closest('article'))});
}).observe({type: 'layout-shift', buffered: true});"""


@browser_test
def test_the_main_post_does_not_move_while_it_loads(new_page, main_post_url):
    """On a phone-sized screen, the post's text does not move once painted: the quiz bar
    comes with the page and the script only wires it up. Before, quiz.js built the bar after
    the first paint and pushed the post down (layout shift 0.22). Only shifts of the
    article's own content count: when the first paint comes before Material's bundle runs
    (a loaded machine), the bundle then places the post's sidebar, which is Material's."""
    page = new_page(main_post_url, viewport={"width": 412, "height": 823}, is_mobile=True)
    page.add_init_script(LAYOUT_SHIFTS_INIT)
    page.reload(wait_until="load")
    page.wait_for_function("() => document.querySelector('.quiz-bar').dataset.ready")
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_timeout(500)  # shifts are reported after the frame that made them
    shifts = [s for s in page.evaluate("window.__shifts") if s["article"]]
    total = sum(s["value"] for s in shifts)
    assert total < 0.05, f"layout shift {total:.3f}: {shifts}"
    assert page.get_by_role("region", name="Quiz mode").is_visible()
    assert_clean([], new_page.problems)
