"""Every page of the site as a reader's Chromium (Playwright) loads it, served under its
GitHub Pages sub-path: math present in the HTML as delivered (typeset at build time),
drawn by its stylesheet and fonts, with no MathJax error and no MathJax script; no request
leaves the local server, no failed request or console error, every internal link and image
resolves under the sub-path, and the 404 page works there. Then a site copy with broken
TeX, which fails the strict build and which the page checker flags when built anyway; and
the browser support code itself (tests/browser_support.py).
"""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import browser_support as bs
import pytest
from browser_shared import (
    browser_test,
    problems_text,
)
from conftest import (
    ROOT,
    SITE_PATH,
    SITE_URL,
)
from site_copy import changed, inheriting
from tested_blog.stylesheets import members_of


@pytest.fixture(scope="module")
def page_reports(browser, built_site, server, pages) -> list[bs.PageReport]:
    """Every sitemap page loaded once; the tests below read these reports."""
    return [bs.check_page(browser, url, built_site, server) for url in pages]


BROKEN_TEX_PAGES = {
    "syntax-error": "# Syntax error\n\nA fraction never closed: $\\frac{1}{$ in a sentence.\n",
    "double-exponent": "# Double exponent\n\nBraces balanced, TeX still wrong: $x^^2$.\n",
    "undefined-macro": "# Undefined macro\n\n$$\n\\undefinedmacro{x}\n$$\n",
}


def build_math_copy(tmp: Path, strict: bool) -> subprocess.CompletedProcess[str]:
    """Build the math-only copy in ``tmp`` into ``tmp/site``; ``strict`` as the real site,
    or not, so that pages with broken TeX are written (MathJax's error markup in them)."""
    config = changed(tmp / "mkdocs.yml", strict=strict)
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
    """A small copy of the site's sources: the real config (with only the site's own
    plugins but the notebook posts, and a nav of its own), hooks, assets, and
    four pages - good math, two TeX syntax errors, an undefined macro. Removed afterwards."""
    tmp = Path(tempfile.mkdtemp(prefix="math-site-"))
    try:
        inheriting(
            tmp / "mkdocs.yml",
            plugins={
                name: {"enabled": False}
                for name in ("blog", "tags", "rss", "mkdocstrings", "tested/notebooks")
            },
            nav=["index.md", *(f"{name}.md" for name in BROKEN_TEX_PAGES)],
        )
        for folder in ("hooks", "snippets"):
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
    """If the build stopped writing the stylesheet, the good page fails the check: a 404,
    and glyphs that are not drawn."""
    with tempfile.TemporaryDirectory(prefix="no-math-css-") as tmp:
        site = _site_variant(math_site_copy, tmp)
        sheets = list(site.glob("assets/mathjax/*.css"))
        assert sheets, "the math stylesheet is not in the built site copy"
        # and the file the pages fetch it in, with the other stylesheets (tested/reader)
        sheets += [
            bundle
            for bundle in site.glob("assets/tested-blog/bundle.*.css")
            if "assets/mathjax/chtml.css" in (members_of(bundle.read_text("utf-8")) or [])
        ]
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


# A page with ways of fetching from another host that no pattern check foresaw: a CSS
# escape in url(), a frame holding a data: document, an SVG filter's image, and URLs a
# script assembles. The site's own inline scripts included, as the build writes them.
EVASIONS = (
    "<!doctype html><html><head><title>evasions</title></head><body>"
    '<p style="background: url(https\\3a //evil.example/css-escape.png)">escaped</p>'
    "<iframe src=\"data:text/html,<img src='https://evil.example/frame.png'>\"></iframe>"
    '<svg width="20" height="20"><filter id="f"><feImage href="https://evil.example/f.png"/>'
    '</filter><rect width="20" height="20" filter="url(#f)"/></svg>'
    "<script>new Image().src = ['https:', '', 'evil.example', 'assembled.png'].join('/');"
    "fetch('https://evil.' + 'example/fetch.json').catch(() => {});</script>"
    "</body></html>"
)


def fetched_elsewhere(browser, page_html: str, tmp_path: Path) -> tuple[list[str], list[str]]:
    """Load ``page_html`` from a local server; the requests Chromium made to another host
    and the policy violations it reported."""
    tmp_path.mkdir(parents=True)
    (tmp_path / "index.html").write_text(page_html, encoding="utf-8")
    requests: list[str] = []
    with bs.serve_site(tmp_path, "/p/") as running:
        context = browser.new_context()
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if urlsplit(route.request.url).netloc in ("", running.host_port)
                or route.request.url.startswith("data:")
                else (requests.append(route.request.url), route.abort())
            ),
        )
        context.add_init_script(
            "window.__violations = [];"
            "document.addEventListener('securitypolicyviolation',"
            " e => window.__violations.push(e.blockedURI));"
        )
        page = context.new_page()
        page.goto(running.base_url, wait_until="load")
        page.wait_for_load_state("networkidle")
        violations = page.evaluate("window.__violations")
        context.close()
    return requests, violations


@browser_test
def test_the_content_security_policy_stops_fetches_no_check_foresaw(browser, tmp_path):
    """Without the policy Chromium fetches from another host for these; with it (as every
    page of the site carries it) it fetches nothing and reports each attempt."""
    from tested_blog import csp

    bare, _ = fetched_elsewhere(browser, EVASIONS, tmp_path / "bare")
    assert len(bare) == 5, f"without a policy each form fetches elsewhere: {bare}"
    guarded, violations = fetched_elsewhere(browser, csp.with_policy(EVASIONS), tmp_path / "csp")
    assert guarded == [], guarded
    assert len(violations) >= len(bare), violations  # each attempt refused and reported
