"""Another blog, not this site, uses the tested-blog plugins: tests/fixture_blog/ has its
own package (recipes/), its own tests and a notebook post. Its tests write its provenance
record, then it builds strictly: the notebook post is executed and listed in the blog
index, the embedded code carries a tested-by line naming the fixture's own test, and the
math is typeset."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT, mkdocs_cli_build
from tested_blog.stylesheets import members_of

FIXTURE = ROOT / "tests" / "fixture_blog"

pytestmark = pytest.mark.site


def copy_of_the_blog(work, edit=None) -> subprocess.CompletedProcess[str]:
    """The fixture blog copied to ``work/blog`` (``edit`` then changes the copy), and its own
    tests run there, as its author would run them."""
    root = work / "blog"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns(".cache", "build", "__pycache__"))
    if edit is not None:
        edit(root)
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:xdist", "--basetemp", str(work / "tmp")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr  # its tests pass
    return tests


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    work = tmp_path_factory.mktemp("fixture-blog")
    root = work / "blog"
    tests = copy_of_the_blog(work)
    # where the fixture's pytest configuration and its tested/code option both put it
    assert "provenance: 1 sections, 1 tests recorded in build/tested-by.json" in tests.stdout
    assert "mutants: 8 of 8 caught in 1 of 1 sections" in tests.stdout
    assert (root / "build" / "tested-by.json").is_file()
    assert not (root / ".cache" / "provenance.json").exists()
    # strict, and the record must hold: not the suite's own "pending" builds
    result = mkdocs_cli_build(
        root / "mkdocs.yml", work / "site", extra_env={"TESTED_CODE_PROVENANCE": ""}
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return work / "site", result.stdout + result.stderr


def test_the_notebook_post_is_executed_and_listed_in_the_blog_index(built):
    site, log = built
    assert "notebooks: executed 1, from cache 0" in log
    index = (site / "blog" / "index.html").read_text(encoding="utf-8")
    assert "The mean of the first squares" in index and "A running mean" in index
    post = (site / "blog" / "2026" / "03" / "02" / "mean-of-squares" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "mean of squares: 38.5" in post  # (1 + 4 + ... + 100) / 10
    # the downloads' note names this blog's package and install command
    assert "Both import <code>recipes</code>" in post
    assert "python -m pip install recipes" in post


def test_the_embedded_code_names_the_fixtures_own_test(built):
    site, log = built
    page = (site / "blog" / "2026" / "03" / "01" / "running-mean" / "index.html").read_text(
        encoding="utf-8"
    )
    assert 'class="tested-by' in page
    assert "test_running_mean_matches_the_two_pass_mean" in page
    # its test pins every line, not just runs it (the figure's spaces do not break)
    assert "8/8\u00a0mutants\u00a0caught" in page
    assert "https://example.test/recipes-repo/" in page
    assert "provenance: 1 shown section(s); 4 of 4 lines" in log, log
    assert "0 section(s) with a problem" in log, log


def test_the_math_is_typeset(built):
    site, _ = built
    page = (site / "blog" / "2026" / "03" / "01" / "running-mean" / "index.html").read_text(
        encoding="utf-8"
    )
    # $n$, $\frac{1}{n}$ and the display formula, each as MathJax's markup with its TeX kept
    assert page.count("<mjx-container") == 3, page.count("<mjx-container")
    assert '<mjx-container data-tex="\\frac{1}{n}"' in page
    assert '<span class="arithmatex">\\(' not in page


def test_the_plugins_bring_their_styles_scripts_link_previews_and_neighbours(built):
    """The fixture has no stylesheet, script or template of its own: what the plugins'
    markup needs comes with them."""
    site, _ = built
    page = (site / "blog" / "2026" / "03" / "01" / "running-mean" / "index.html").read_text(
        encoding="utf-8"
    )
    # fetched as one file with the theme's palette and the math's (tested/reader)
    (bundle,) = re.findall(
        r'<link rel="stylesheet" href="\.\./\.\./\.\./\.\./\.\./([^"]+)">', page
    )[1:]
    members = members_of((site / bundle).read_text(encoding="utf-8")) or []
    for name in ("tested-by.css", "notebooks.css", "reader.css"):
        assert f"assets/tested-blog/{name}" in members, (bundle, members)
        assert (site / "assets" / "tested-blog" / name).is_file()
    assert "assets/mathjax/chtml.css" in members
    assert '<script src="../../../../../assets/tested-blog/copy-tex.js" defer>' in page
    assert '<meta property="og:title" content="A running mean">' in page
    assert (
        '<a class="post-neighbours__link post-neighbours__link--next"'
        ' href="../../02/mean-of-squares/" rel="next">' in page
    )


def test_a_weakened_test_fails_the_strict_build_naming_the_surviving_mutant(tmp_path):
    def weaken(root):
        test_file = root / "tests" / "test_mean.py"
        pinning = "    assert running_mean([2.0]) == 2.0 and running_mean([]) == 0.0\n"
        assert pinning in test_file.read_text(encoding="utf-8")
        # the only assertion that pins `mean = 0.0`: the first step overwrites it for any values
        test_file.write_text(test_file.read_text(encoding="utf-8").replace(pinning, ""))

    tests = copy_of_the_blog(tmp_path, weaken)  # the weakened tests still pass
    root = tmp_path / "blog"
    assert "mutants: 6 of 8 caught in 1 of 1 sections" in tests.stdout
    assert "2 survived" in tests.stdout
    result = mkdocs_cli_build(
        root / "mkdocs.yml", tmp_path / "site", extra_env={"TESTED_CODE_PROVENANCE": ""}
    )
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    assert (
        "Post 'blog/posts/running-mean.md' shows section 'running_mean' of recipes/mean.py,"
        " which has 2 surviving mutant(s)"
    ) in log
    assert "recipes/mean.py:6: `- mean = 0.0` -> `+ mean = 1.0` (NumberReplacer)" in log
    assert "recipes/mean.py:6: `- mean = 0.0` -> `+ mean = -1.0` (NumberReplacer)" in log
