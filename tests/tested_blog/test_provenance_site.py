"""Provenance on the real site: a line under every embedded block of every post, an
"executed" mark under every shown notebook code cell.

Provenance end to end on a temporary copy of the site: the copy's own test run records
which tests ran each toy section; a strict build then shows the line under each block,
and refuses a section no test ran, one a failing test ran, one changed since the run, and
a build with no record at all (saying how to make one). Without a record and outside a
strict build (what `mkdocs serve` does), the site builds and says the tests have not run.
"""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup
from conftest import front_matter, mkdocs_build, notebook_posts, posts
from provenance_runs import embed, make_tested_site, run_tests
from site_copy import post
from tested_blog.provenance import RECORD
from tested_blog.provenance.lines import embedded_blocks

pytestmark = pytest.mark.site
ENFORCE = {"TESTED_CODE_PROVENANCE": ""}  # what CI's and a reader's strict build do


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    """A tested copy whose suite has run once (one test fails on purpose)."""
    root = tmp_path_factory.mktemp("provenance") / "site"
    config = make_tested_site(
        root,
        {
            "a.md": post("a", "Doubling", embed("double")),
            "b.md": post("b", "Halving and negating", embed("halve") + "\n" + embed("negate")),
        },
    )
    run = run_tests(root)
    assert run.returncode == 1, run.stdout + run.stderr  # the on-purpose failure only
    assert "1 failed, 1 passed" in run.stdout
    return root, config


def test_a_full_run_records_each_section_with_its_tests_and_their_outcome(recorded):
    root, _ = recorded
    record = json.loads((root / RECORD).read_text(encoding="utf-8"))
    double, halve, negate = (
        record["sections"][f"snippets/toy.py:{n}"] for n in ("double", "halve", "negate")
    )
    assert (double["tests"], double["passed"], double["untested"]) == (1, 1, [])
    assert double["examples"] == [
        {"id": "tests/test_toy.py::test_double_doubles", "file": "tests/test_toy.py", "line": 4}
    ]
    assert (halve["tests"], halve["untested"]) == (0, [2])
    assert negate["failing"] == ["tests/test_toy.py::test_negate_fails_on_purpose"]
    assert "snippets/toy.py" in record["measured"]


def test_a_partial_run_renews_only_the_sections_whose_every_test_it_ran(recorded):
    root, _ = recorded
    before = json.loads((root / RECORD).read_text(encoding="utf-8"))
    run = run_tests(root, "-k", "double")
    assert run.returncode == 0, run.stdout + run.stderr
    assert re.search(
        r"provenance: 1 of \d+ sections renewed by the 1 tests of this partial", run.stdout
    ), run.stdout
    after = json.loads((root / RECORD).read_text(encoding="utf-8"))
    assert after["updated_by"].endswith("-k double")
    # halve (no test) and negate (a test -k left out) keep what the full run said
    for name in ("halve", "negate"):
        key = f"snippets/toy.py:{name}"
        assert after["sections"][key] == before["sections"][key]
    assert after["sections"]["snippets/toy.py:double"]["passed"] == 1


def test_a_run_with_a_test_file_that_cannot_be_collected_keeps_the_record(recorded):
    # Under pytest-xdist the workers run the tests they could collect and the run ends
    # "failed", not "interrupted": the record must still say it lost tests.
    root, _ = recorded
    before = (root / RECORD).read_bytes()
    broken = root / "tests" / "test_broken.py"
    broken.write_text("import a_module_that_does_not_exist\n", encoding="utf-8")
    try:
        run = run_tests(root)
    finally:
        broken.unlink()
    assert run.returncode != 0, run.stdout + run.stderr
    assert "provenance: not recorded: the run lost tests: tests/test_broken.py" in run.stdout, (
        run.stdout
    )
    assert (root / RECORD).read_bytes() == before


def refused(config, site_dir) -> str:
    """The log of a strict build (as CI's) of ``config`` that must fail."""
    result = mkdocs_build(config, site_dir, extra_env=ENFORCE)
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    return log


def test_strict_build_refuses_untested_failing_and_changed_sections(recorded, tmp_path):
    root, config = recorded
    log = refused(config, tmp_path / "out")
    assert (
        "Post 'blog/posts/b.md' shows section 'halve' of snippets/toy.py, which no "
        "passing test executed"
    ) in log
    assert (
        "Post 'blog/posts/b.md' shows section 'negate' of snippets/toy.py, which failed "
        "in 1 of the 1 tests that executed it: "
        "tests/test_toy.py::test_negate_fails_on_purpose"
    ) in log
    # An edit to one section re-opens the question for every section of its file: the
    # record was made with the file as it was.
    toy = root / "snippets" / "toy.py"
    text = toy.read_text(encoding="utf-8")
    try:
        toy.write_text(text.replace("return 2 * x", "return x + x"), encoding="utf-8")
        log = refused(config, tmp_path / "out2")
    finally:
        toy.write_text(text, encoding="utf-8")
    assert (
        "Post 'blog/posts/a.md' shows section 'double' of snippets/toy.py, which changed "
        "since the tests ran"
    ) in log
    for name in ("halve", "negate"):
        assert (
            f"Post 'blog/posts/b.md' shows section '{name}' of snippets/toy.py, which was"
            " recorded with snippets/toy.py as it was, which has changed since"
        ) in log, log


@pytest.mark.parametrize("changed", ["tests/test_toy.py", "tests/conftest.py"])
def test_a_change_to_a_test_file_reopens_the_sections_its_tests_ran(recorded, tmp_path, changed):
    """The section is as it was, its test (or a conftest.py, whose fixtures every test may
    use: a review silenced assertions from one) is not: its tested-by line no longer holds."""
    root, config = recorded
    test_file = root / changed
    text = test_file.read_text(encoding="utf-8")
    try:
        test_file.write_text(text + "\n# an edit\n", encoding="utf-8")
        log = refused(config, tmp_path / "out")
    finally:
        test_file.write_text(text, encoding="utf-8")
    assert (
        "Post 'blog/posts/a.md' shows section 'double' of snippets/toy.py, which was"
        f" recorded with {changed} as it was, which has changed since"
    ) in log, log


def test_strict_build_shows_the_line_under_a_block_its_passing_test_ran(recorded, tmp_path):
    root, _ = recorded
    config = root / "mkdocs.yml"
    b_post = root / "docs" / "blog" / "posts" / "b.md"
    kept = b_post.read_text(encoding="utf-8")
    b_post.unlink()
    try:
        result = mkdocs_build(config, tmp_path / "out", extra_env=ENFORCE)
    finally:
        b_post.write_text(kept, encoding="utf-8")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 of 1 lines in their function bodies executed by a passing test" in result.stderr
    page = BeautifulSoup(
        (tmp_path / "out" / "blog" / "a" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    line = page.select_one("p.tested-by")
    assert "highlight" in line.find_previous_sibling()["class"]
    assert line["class"] == ["tested-by", "tested-by--passed"]
    assert line.get_text() == (
        "Tested by 1 test, all passed, e.g. test_double_doubles · 3/3\u00a0mutants\u00a0caught"
        " · snippets/toy.py:double"
    )
    repo = "https://github.com/ml-interview-qa/ml-interview-qa/blob/HEAD/"  # not a git checkout
    assert [a["href"] for a in line.find_all("a")] == [
        repo + "tests/test_toy.py#L4",
        repo + "snippets/toy.py#L2-L3",
    ]


def test_without_a_record_strict_fails_saying_how_and_a_preview_builds(recorded, tmp_path):
    root, config = recorded
    record = root / RECORD
    kept = record.read_bytes()
    record.unlink()
    try:
        strict = mkdocs_build(config, tmp_path / "strict", extra_env=ENFORCE)
        preview = mkdocs_build(config, tmp_path / "preview")  # logged, not fatal
    finally:
        record.write_bytes(kept)
    assert strict.returncode != 0
    assert "there is no provenance record (.cache/provenance.json)" in strict.stderr
    assert "python -m pytest" in strict.stderr
    assert preview.returncode == 0, preview.stdout + preview.stderr
    page = (tmp_path / "preview" / "blog" / "b" / "index.html").read_text(encoding="utf-8")
    lines = BeautifulSoup(page, "html.parser").select("p.tested-by--unrecorded")
    assert len(lines) == 2
    assert "the tests have not been run in this checkout" in lines[0].get_text()


# --------------------------------------------------------------------------- the real site


def page_of(site, source) -> BeautifulSoup:
    path = site / "blog" / front_matter(source)["slug"] / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def authored_markdown(source) -> str:
    """The Markdown an author wrote in a post; for a percent notebook, its comment lines
    without the '# ' (Markdown cells are such lines)."""
    text = source.read_text(encoding="utf-8")
    if source.suffix == ".ipynb":
        cells = json.loads(text)["cells"]
        return "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    if source.suffix == ".py":
        return "\n".join(
            line[2:] if line.startswith("# ") else line.lstrip("#") for line in text.splitlines()
        )
    return text


def test_every_embedded_block_of_every_post_has_its_line_right_under_it(built_site):
    checked = 0
    for source in posts():
        page = page_of(built_site, source)
        blocks = embedded_blocks(authored_markdown(source))
        lines = page.select("article p.tested-by")
        assert len(lines) == len(blocks), f"{source.name}: {len(lines)} lines, {len(blocks)} embeds"
        for line in lines:
            assert "highlight" in line.find_previous_sibling()["class"], source.name
            assert line.find("code") is not None and line.get_text().strip(), source.name
        checked += len(lines)
    assert checked >= 10, f"only {checked} embedded blocks on the site: is the selector right?"


def test_every_shown_notebook_code_cell_is_marked_executed(built_site):
    for source in notebook_posts():
        page = page_of(built_site, source)
        blocks = page.select("article div.language-python.highlight")
        marks = page.select("article p.nb-executed")
        assert marks, f"{source.name}: no code cell is marked executed"
        for block in blocks:  # each is an embed (its line) or a code cell (the mark)
            after = block.find_next_sibling()
            assert after is not None and {"tested-by", "nb-executed"} & set(
                after.get("class", [])
            ), f"{source.name}: {block.get_text()[:60]!r}"
        assert len(marks) + len(page.select("article p.tested-by")) == len(blocks)


def test_the_authors_loop_reruns_just_the_stale_tests_and_the_build_holds_again(tmp_path):
    """Edit a shown section; `pytest --provenance-stale` runs only the tests the record says
    ran what changed (here: of snippets/toy.py), renews their sections, and the strict build
    judges the section by the new run instead of refusing it as changed."""
    root = tmp_path / "site"
    config = make_tested_site(root, {"a.md": post("a", "Doubling", embed("double"))})
    (root / "tests" / "test_other.py").write_text(
        "def test_unrelated():\n    assert True\n", encoding="utf-8"
    )
    full = run_tests(root)
    assert re.search(r"provenance: \d+ sections, 3 tests recorded", full.stdout), full.stdout
    toy = root / "snippets" / "toy.py"
    toy.write_text(toy.read_text(encoding="utf-8").replace("2 * x", "x + x"), encoding="utf-8")
    assert "which changed since the tests ran" in refused(config, tmp_path / "refused")
    stale = run_tests(root, "--provenance-stale", "-p", "no:randomly")
    # the two tests of toy.py ran; the unrelated one did not
    assert "1 failed, 1 passed in" in stale.stdout, stale.stdout
    # double and negate; halve no test runs, so nothing can renew it but a full run
    assert re.search(r"provenance: 2 of \d+ sections renewed by the 2 tests", stale.stdout), (
        stale.stdout
    )
    result = mkdocs_build(config, tmp_path / "out", extra_env=ENFORCE)
    assert result.returncode == 0, result.stderr
    nothing = run_tests(root, "--provenance-stale", "-n", "0")
    assert "3 deselected" in nothing.stdout, nothing.stdout  # nothing is stale any more
