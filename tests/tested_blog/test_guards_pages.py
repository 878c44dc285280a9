"""tested_blog.guards.pages: a page's template, title and excerpt, checked before rendering."""

from __future__ import annotations

import pytest
from mkdocs.config import load_config
from tested_blog.guards.pages import (
    description_problem,
    excerpt_problems,
    template_problem,
    title_problem,
)


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    (root / "docs").mkdir()
    (root / "overrides").mkdir()
    (root / "overrides" / "mine.html").write_text("{% extends 'main.html' %}", encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: A site\ntheme:\n  name: material\n  custom_dir: overrides\n",
        encoding="utf-8",
    )
    return load_config(config_file=str(root / "mkdocs.yml"))


def test_a_template_of_the_theme_or_its_overrides_is_fine(config):
    assert template_problem(None, config) is None
    assert template_problem("main.html", config) is None  # Material's
    assert template_problem("mine.html", config) is None  # the site's own


@pytest.mark.parametrize(
    ("name", "expected"),
    [(5, "must be a file name such as main.html, not 5"), ("nope.html", "'nope.html' is not")],
)
def test_a_template_that_cannot_be_found_is_named(config, name, expected):
    assert expected in (template_problem(name, config) or "")


def test_a_title_with_math_needs_a_plain_title():
    assert "has math" in (title_problem("Why the $\\ell_2$ penalty", {}) or "")
    assert "has math" in (title_problem("Why the \\(\\ell_2\\) penalty", {}) or "")
    assert title_problem("Why the $\\ell_2$ penalty", {"title": "Why the L2 penalty"}) is None
    assert title_problem("Plain words", {}) is None


def test_a_title_in_the_front_matter_must_be_plain_text():
    """Found by a review: a title: with math reached the browser tab, the link previews
    and the RSS feed as raw TeX (only a heading's math was checked)."""
    meta = {"title": "Why $\\ell_2$ regularisation shrinks weights"}
    problem = title_problem("Plain heading", meta) or ""
    assert problem.startswith("its front matter's title: ") and "raw TeX" in problem
    assert title_problem("Plain heading", {"title": "Why L2 regularisation works"}) is None
    # a description's math is typeset where a page lists the post (<!-- latest-posts -->)
    assert title_problem("Plain heading", {"description": "The mean of $n$ values."}) is None


def test_a_description_the_page_does_not_carry_whole_is_named():
    """Found by a review: Material writes description: into its <meta> unescaped, so a
    double quote ended the attribute; a browser read 'Why the '."""
    written = 'Why the "dying ReLU" problem happens'
    problem = description_problem("Why the ", {"description": written}) or ""
    assert "reaches search engines as 'Why the '" in problem
    assert description_problem(written, {"description": written}) is None
    assert description_problem(None, {"description": written}) is None  # no <meta> at all
    assert description_problem("Site text", {}) is None  # the site's, not the page's


def test_raw_html_links_in_the_excerpt_only():
    markdown = (
        'Above <img src="a.png" alt="a">.\n\n<!-- more -->\n\nBelow <img src="b.png" alt="b">.\n'
    )
    (problem,) = excerpt_problems(markdown, "<!-- more -->")
    assert "a.png" in problem and "b.png" not in problem
    assert excerpt_problems("No raw HTML.\n\n<!-- more -->\n", "<!-- more -->") == []
