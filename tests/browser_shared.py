"""What the browser tests share: a system Chromium, the built site served under its GitHub
Pages sub-path, the pages of its sitemap, fresh watched pages, screenshots, and the
assertion that a page loaded cleanly. A pytest plugin (``tests/conftest.py`` lists it in
``pytest_plugins``), so its module-scoped fixtures are made once per test module, and each
browser test module runs in one pytest-xdist worker (``--dist loadscope``).

The tests: ``test_browser_pages.py`` (every page, the page checker, the support code),
``test_browser_main_post.py`` (the main post's features), ``test_browser_quiz.py`` (quiz
mode) and ``test_browser_posts.py`` (notebook posts, neighbours, link previews, downloads).
Screenshots for people: test-artifacts/screenshots/*.png (overwritten each run). Run only
the browser tests: ``python -m pytest -m browser``; skip them: ``-m "not browser"``.
"""

from __future__ import annotations

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
)

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


def same_page(href: str, base: str, target: str) -> bool:
    parts = urlsplit(urljoin(base, href))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")) == target


def screenshot(page, name: str, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    # Finish CSS transitions first (the header title cross-fades after a scroll).
    page.screenshot(path=str(path), full_page=full_page, animations="disabled")
    return path


def render_skipped(page) -> None:
    """Have ``page`` render what docs/stylesheets/site.css lets the browser skip while it is
    off screen (content-visibility: auto), as it is once the reader scrolls to it."""
    page.add_style_tag(content="* { content-visibility: visible !important; }")


def problems_text(problems: list[str]) -> str:
    return "\n  ".join(problems)


def assert_clean(failures: list[str], traffic_problems: list[str]) -> None:
    """No feature failed, and nothing went wrong in the page's traffic or console."""
    assert not failures, "\n".join(failures)
    assert not traffic_problems, (
        "the feature worked, but the page had problems:\n  " + problems_text(traffic_problems)
    )
