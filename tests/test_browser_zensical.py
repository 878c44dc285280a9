"""The Zensical build in Chromium, served under the GitHub Pages sub-path: the home page,
the blog index, the main post and a notebook post load with their math typeset as
delivered, no raw TeX, no request to another host or that fails, no console error (a
Content Security Policy violation is one); quiz mode works; screenshots for people."""

from __future__ import annotations

import browser_support as bs
import pytest
from browser_shared import browser_test, problems_text, screenshot
from conftest import SITE_PATH

PAGES = {  # page -> what it must show
    "": "latest-posts",
    "blog/": "md-post--excerpt",
    "blog/ml-interview-basics/": "quiz-question",
    "blog/adam-from-scratch/": "tested-by",
}


@pytest.fixture(scope="module")
def zensical_server(zensical_site):
    with bs.serve_site(zensical_site, SITE_PATH) as running:
        yield running


@browser_test
@pytest.mark.parametrize("path", sorted(PAGES))
def test_the_page_loads_cleanly_with_its_math_typeset(
    browser, zensical_site, zensical_server, path
):
    url = zensical_server.base_url + path
    html = bs.page_file(zensical_site, url, zensical_server.base_url).read_text(encoding="utf-8")
    assert PAGES[path] in html, f"{path or 'home'}: no {PAGES[path]} in the page"
    report = bs.check_page(browser, url, zensical_site, zensical_server)
    assert not report.problems, f"{url}:\n  {problems_text(report.problems)}"
    if path.startswith("blog/") and path != "blog/":
        assert report.math_count > 10, f"{url}: {report.math_count} formulas"


@browser_test
def test_quiz_mode_counts_the_questions_and_screenshots(browser, zensical_server):
    problems: list[str] = []
    url = zensical_server.base_url + "blog/ml-interview-basics/"
    context, page = bs.open_page(browser, url, zensical_server.host_port, problems)
    try:
        summary = page.locator(".quiz-bar").inner_text()
        assert "of 14 questions" in summary, summary
        page.locator(".quiz-bar button", has_text="Open all answers").click()
        opened = page.eval_on_selector_all("details[open]", "els => els.length")
        assert opened >= 14, opened
        screenshot(page, "zensical-main-post.png", full_page=False)
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(zensical_server.base_url)
        screenshot(page, "zensical-home-phone.png", full_page=False)
    finally:
        context.close()
    assert not problems, problems_text(problems)


@browser_test
@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Adam", "Adam keeps two running averages per parameter"),
        # inside 自适应优化方法: found only because the index splits Chinese into words
        ("优化", "What optimisation methods do you know"),
    ],
)
def test_search_finds_english_and_chinese_words(browser, zensical_server, query, found):
    problems: list[str] = []
    context, page = bs.open_page(
        browser, zensical_server.base_url, zensical_server.host_port, problems
    )
    try:
        assert found not in page.inner_text("body")
        # Zensical's search dialog lives in a shadow root, which Playwright's locators enter
        page.locator(".md-search__button").first.click()
        field = page.locator("input:focus")
        field.wait_for()
        field.fill(query)
        page.get_by_text(found).first.wait_for()
        marked = page.locator("mark").all_inner_texts()
        assert query in marked, marked  # the word highlighted whole
    finally:
        context.close()
    assert not problems, problems_text(problems)
