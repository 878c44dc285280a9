"""Broken posts fail the build, and the failure names the post.

Each test builds a COPY of the site in a temporary directory: the real mkdocs.yml (without
the notebook plugin, so nothing is executed), hooks/, snippets/, the real docs/ tree with
its posts replaced by one small post. First the copy builds as it is (so a failure below is
caused by the defect alone); then one defect at a time is put into the post.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import site_copy
from conftest import ROOT, load_workflow, mkdocs_build, step_index
from tested_blog import sections

pytestmark = pytest.mark.site

POST_NAME = "broken-post.md"


def any_section() -> tuple[str, str]:
    """Some (file, section) of snippets/ to embed in the test post."""
    for path in sorted((ROOT / "snippets").glob("*.py")):
        names = sections.section_names(path.read_text(encoding="utf-8"))
        if names:
            return path.name, names[0]
    raise AssertionError("snippets/ has no named sections")


def good_post(file: str, section: str) -> str:
    return f"""---
date: 2026-01-15
slug: broken-post
authors:
  - owner
categories:
  - Testing
tags:
  - test
---

# A post for the bad-input tests

Inline math \\(w_{{t+1}} = w_t - \\eta g_t\\) and a link to the [blog](../index.md).

```python
--8<-- "snippets/{file}:{section}"
```
"""


def make_site(root: Path) -> Path:
    """A small copy of the site under ``root`` with the good post; returns its mkdocs.yml."""
    return site_copy.make_site(root, {POST_NAME: good_post(*any_section())})


@pytest.fixture
def site(tmp_path) -> Path:
    return make_site(tmp_path / "copy")


def post_path(config: Path) -> Path:
    return config.parent / "docs" / "blog" / "posts" / POST_NAME


def break_post(config: Path, old: str, new: str) -> None:
    path = post_path(config)
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in the post"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_unbroken_copy_builds(site, tmp_path):
    result = mkdocs_build(site, tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "out" / "blog" / "broken-post" / "index.html").is_file()
    # The post is all excerpt: its formula is typeset on the index, archive and category
    # pages too (tested/math works on every page's output, not on posts only).
    for page in ("blog/broken-post", "blog", "blog/archive/2026/01", "blog/category/testing"):
        html = (tmp_path / "out" / page / "index.html").read_text(encoding="utf-8")
        assert 'data-tex="w_{t+1} = w_t - \\eta g_t"' in html, page
        assert "\\(w_{t+1}" not in html, page


file_, section_ = any_section()
# defect -> (text in the good post, its broken replacement, what a snippet error must say;
# the snippet errors come from tested/code as one clean message)
DEFECTS = {
    "missing file": (
        f'"snippets/{file_}:',
        '"snippets/no_such_file.py:',
        ["snippets/no_such_file.py", "does not exist"],
    ),
    "missing section": (
        f':{section_}"',
        ':no_such_section"',
        [f"snippets/{file_}", "no_such_section", f"{section_}"],
    ),
    "no date": ("date: 2026-01-15\n", "", []),
    "malformed date": ("date: 2026-01-15", "date: 2026-13-45", []),
    "date that is not a date": ("date: 2026-01-15", "date: last tuesday", []),
    # the blog ignores a key it does not know: this draft was published (found by a review)
    "misspelt draft key": ("slug: broken-post\n", "slug: broken-post\ndrafts: true\n", []),
    # a TemplateNotFound traceback after naming the page (found by a review)
    "template that is not a name": (
        "slug: broken-post\n",
        "slug: broken-post\ntemplate: 5\n",
        ["template: must be a file name"],
    ),
    "template that does not exist": (
        "slug: broken-post\n",
        "slug: broken-post\ntemplate: no-such.html\n",
        ["no-such.html"],
    ),
    # the tab, link previews and the feed showed raw TeX (found by a review)
    "math in the title": (
        "# A post for the bad-input tests",
        "# Why the $\\ell_2$ penalty shrinks",
        ["has math", "title:"],
    ),
    # Material's blog ended this one in KeyError: 'created', naming no post
    # one anchor on the tags page for both: a reader following one landed among the
    # other's posts; two spellings of a category crashed the build (found by a review)
    "one tag in two spellings": ("  - test\n", "  - test\n  - Test\n", ["'Test'", "'test'"]),
    "one category in two spellings": (
        "  - Testing\n",
        "  - Testing\n  - testing\n",
        ["'Testing'", "'testing'"],
    ),
    "updated without created": ("date: 2026-01-15\n", "date:\n  updated: 2026-01-16\n", []),
    "broken link": ("[blog](../index.md)", "[blog](../no-such-page.md)", []),
    "unknown author": ("  - owner", "  - nobody", []),
    "line-number include": (f':{section_}"', ':1:5"', ["line numbers", "named section"]),
    # raw HTML in an excerpt is not rewritten for the blog index (found by a review)
    "raw-HTML image in the excerpt": (
        "and a link to the [blog](../index.md).",
        'and a link to the [blog](../index.md). <img src="../../assets/images/avatar.svg" alt="x">',
        [],
    ),
    # math arithmatex does not see is published as plain text (found by a review)
    "display math after a line of text": (
        "and a link to the [blog](../index.md).",
        "and a link to the [blog](../index.md).\nThe loss is\n$$\nL = \\sum_i x_i\n$$",
        [],
    ),
    "inline math split by a table": (
        "and a link to the [blog](../index.md).",
        "and a link to the [blog](../index.md).\n\n| norm | value |\n|---|---|\n| L1 | $|w|_1$ |",
        [],
    ),
}


SNIPPET_DEFECTS = {"missing file", "missing section", "line-number include"}


@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_broken_post_fails_and_names_the_post(site, tmp_path, defect):
    old, new, expected = DEFECTS[defect]
    break_post(site, old, new)
    result = mkdocs_build(site, tmp_path / "out")
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"{defect}: the build passed:\n{output}"
    assert f"blog/posts/{POST_NAME}" in output, f"{defect}: the post is not named:\n{output}"
    assert "Traceback" not in output, output  # a message, not a crash
    for text in expected:
        assert text in output, f"{text!r} missing from:\n{output}"
    if defect in SNIPPET_DEFECTS:
        # tested/code: the message names the file, the section and the sections
        # the file does have, at the line of the post.
        lines = post_path(site).read_text(encoding="utf-8").splitlines()
        line = 1 + next(i for i, text in enumerate(lines) if "--8<--" in text)
        assert f"line {line}:" in output, output


def test_what_a_reader_would_fetch_from_another_host_fails_the_build(site, tmp_path):
    """An image by URL in a post, a script in its raw HTML and a font in the site's own
    stylesheet: the strict build fails naming each file and what it fetches."""
    break_post(
        site,
        "[blog](../index.md).",
        "[blog](../index.md).\n\n![A chart](https://charts.example.com/c.png)\n\n"
        '<script src="https://cdn.example.com/widget.js"></script>',
    )
    # the site's own script and a static HTML page a post could frame: scanned as well
    js = site.parent / "docs" / "javascripts" / "widget.js"
    js.parent.mkdir()
    js.write_text(
        'const s = document.createElement("script");\n'
        's.src = "https://cdn.example.com/tracker.js";\n',
        encoding="utf-8",
    )
    (site.parent / "docs" / "assets" / "frame.html").write_text(
        '<html><body><script src="https://w3.example.com/x.js"></script></body></html>'
    )
    css = site.parent / "docs" / "stylesheets" / "site.css"
    css.write_text(
        '@import url("https://fonts.example.com/css2?family=Inter");\n' + css.read_text(),
        encoding="utf-8",
    )
    result = mkdocs_build(site, tmp_path / "out")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    post = f"Doc file 'blog/posts/{POST_NAME}'"
    assert f'{post}: <img src="https://charts.example.com/c.png"> makes every reader' in output
    assert f'{post}: <script src="https://cdn.example.com/widget.js"> makes' in output
    assert (
        "File 'docs/stylesheets/site.css': "
        "url(https://fonts.example.com/css2?family=Inter) makes" in output
    )
    assert (
        "File 'docs/javascripts/widget.js': a script naming https://cdn.example.com/tracker.js"
        in output
    )
    assert "File 'docs/assets/frame.html': <script src=\"https://w3.example.com/x.js\">" in output
    assert "Traceback" not in output


def test_a_tex_error_in_a_docstring_names_its_file_and_line(site, tmp_path):
    """The API reference is filled from docstrings: a formula MathJax cannot typeset there
    is reported at the .py file and line the author edits, not at reference.md."""
    module = site.parent / "snippets" / "validation.py"
    text = module.read_text(encoding="utf-8")
    old = 'or raise."""'
    assert old in text, "test setup: check_labels' docstring changed"
    module.write_text(text.replace(old, 'or raise: $x^^2$."""', 1), encoding="utf-8")
    line = 1 + next(i for i, t in enumerate(text.splitlines()) if t.rstrip().endswith(old))
    result = mkdocs_build(site, tmp_path / "out")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert (
        f"snippets/validation.py, line {line}, the docstring of "
        "snippets.validation.check_labels (shown on reference.md): TeX error in $x^^2$"
    ) in output, output


def test_a_file_linked_from_outside_the_repository_fails_the_build(site, tmp_path):
    """A symbolic link under docs/ to a file, or to a folder, outside the repository: the
    site would publish files a clone of the repository does not have."""
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.txt").write_text("SECRET-OUTSIDE", encoding="utf-8")
    (outside / "folder" / "inner.txt").write_text("inner", encoding="utf-8")
    assets = site.parent / "docs" / "assets"
    assets.mkdir(exist_ok=True)
    (assets / "leak.txt").symlink_to(outside / "secret.txt")
    (assets / "outdir").symlink_to(outside / "folder", target_is_directory=True)
    site_copy.changed(site, theme={"custom_dir": "overrides"})  # the theme's files too
    overrides = site.parent / "overrides" / "assets"
    overrides.mkdir(parents=True, exist_ok=True)
    (overrides / "theme-leak.txt").symlink_to(outside / "secret.txt")
    result = mkdocs_build(site, tmp_path / "out")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert f"'docs/assets/leak.txt' is a link to '{outside / 'secret.txt'}'" in output
    assert "'docs/assets/outdir/inner.txt' is a link to" in output
    assert "'overrides/assets/theme-leak.txt' is a link to" in output
    assert "Traceback" not in output
    assert not (tmp_path / "out" / "assets" / "leak.txt").exists()


def test_a_post_whose_extension_is_in_capitals_fails_and_bytecode_is_never_published(
    site, tmp_path
):
    """MkDocs reads only lower-case .md as Markdown: x.MD was published as a raw file and
    its post lost. The __pycache__ that running a notebook post as a script writes beside
    its helper module is not published."""
    posts = post_path(site).parent
    cache = posts / "__pycache__"
    cache.mkdir()
    (cache / "_helpers.cpython-311.pyc").write_bytes(b"\x00bytecode")
    result = mkdocs_build(site, tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    assert not [p for p in (tmp_path / "out").rglob("*") if p.suffix == ".pyc"]
    text = post_path(site).read_text(encoding="utf-8")
    (posts / "shouting.MD").write_text(text, encoding="utf-8")
    (posts / "shouting-notebook.PY").write_text("# ---\n# date: 2026-01-02\n# ---\n")
    # the other Markdown extensions are posts too, and checked as .md posts are
    (posts / "long.markdown").write_text(
        text.replace("date: 2026-01-15\n", "date:\n  updated: 2026-01-16\n").replace(
            "slug: broken-post", "slug: long-name"
        ),
        encoding="utf-8",
    )
    result = mkdocs_build(site, tmp_path / "out2")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Post 'blog/posts/shouting.MD': only lower-case '.md' files are read" in output
    assert "Post 'blog/posts/shouting-notebook.PY': only lower-case '.py' files" in output
    assert "Post 'blog/posts/long.markdown': key 'date': the created:/updated: form" in output
    assert "Traceback" not in output


def test_a_post_saved_outside_the_posts_folder_fails_naming_it(site, tmp_path):
    """Outside blog/posts/ a post is an ordinary page that no navigation leads to."""
    stray = site.parent / "docs" / "blog" / "stray-post.md"
    stray.write_text(post_path(site).read_text(encoding="utf-8"), encoding="utf-8")
    result = mkdocs_build(site, tmp_path / "out")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert 'not included in the "nav"' in output and "blog/stray-post.md" in output
    stray.unlink()  # a notebook post there is a file, not a page: it was published raw
    (site.parent / "docs" / "blog" / "stray.py").write_text(
        "# ---\n# date: 2026-01-15\n# ---\n\n# %% [markdown]\n# # Stray\n", encoding="utf-8"
    )
    (site.parent / "docs" / "assets" / "tool.py").write_text("print('a plain script')\n")
    result = mkdocs_build(site, tmp_path / "out2")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Post 'blog/stray.py': a notebook post outside blog/posts/ is not a post" in output
    assert "tool.py" not in output  # a script without front matter is just a file


# TeX MathJax cannot typeset -> the formula as the build names it (tested/math)
TEX_DEFECTS = {
    "unclosed brace": ("\\eta g_t", "\\frac{1}{", "$w_{t+1} = w_t - \\frac{1}{$"),
    "double exponent": ("\\eta g_t", "x^^2", "$w_{t+1} = w_t - x^^2$"),
    "undefined macro": (
        "\\eta g_t",
        "\\undefinedmacro{x}",
        "$w_{t+1} = w_t - \\undefinedmacro{x}$",
    ),
}


@pytest.mark.parametrize("defect", sorted(TEX_DEFECTS))
def test_a_tex_error_fails_the_strict_build_naming_post_formula_and_message(site, tmp_path, defect):
    """MathJax typesets at build time, so a formula it cannot typeset stops the strict build
    (before, only a browser noticed). The message has the post, the formula and MathJax's
    reason; its wording is MathJax's, so only its presence is checked."""
    old, new, formula = TEX_DEFECTS[defect]
    break_post(site, old, new)
    result = mkdocs_build(site, tmp_path / "out")
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"{defect}: the build passed:\n{output}"
    assert "Traceback" not in output, output
    line = next((ln for ln in output.splitlines() if "TeX error in" in ln), "")
    expected = f"blog/posts/{POST_NAME}: TeX error in {formula}: "
    assert expected in line, f"{defect}: expected {expected!r} in:\n{output}"
    assert line.split(expected, 1)[1].strip(), f"{defect}: no MathJax message:\n{output}"


def workflow_build_script() -> str:
    steps = load_workflow()["jobs"]["test"]["steps"]
    return steps[step_index(steps, "mkdocs build")]["run"]


def run_workflow_build(config: Path, runner_temp: Path) -> subprocess.CompletedProcess[str]:
    """Run the workflow's build step as GitHub does (`shell: bash`), in the copy's root."""
    runner_temp.mkdir(exist_ok=True)
    # the copy has no record of a test run (this run is making the real one): as in
    # mkdocs_build, provenance problems are logged, not failures
    env = {
        **os.environ,
        # the step's `python` is the one running these tests, as setup-python's is the
        # one the workflow installed into
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        "NO_MKDOCS_2_WARNING": "1",
        "RUNNER_TEMP": str(runner_temp),
        "TESTED_CODE_PROVENANCE": "pending",
    }
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", workflow_build_script()],
        cwd=config.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_workflow_build_step_publishes_site_only_on_success(site, tmp_path):
    """The deploy uploads site/; the workflow's build step creates it only after a clean build.

    mkdocs itself writes pages before it aborts on a strict-mode warning, so building
    straight into site/ would leave a half-built site there.
    """
    # A failed build first: no site/ appears, even though mkdocs wrote files elsewhere.
    break_post(site, "[blog](../index.md)", "[blog](../no-such-page.md)")
    failed = run_workflow_build(site, tmp_path / "runner-temp")
    assert failed.returncode != 0
    assert not (site.parent / "site").exists(), "a failed build left site/ for the upload step"
    half_built = tmp_path / "runner-temp" / "site-build" / "index.html"
    assert half_built.is_file(), "expected mkdocs to have written pages before aborting"

    # The same copy, fixed: site/ holds the full build.
    break_post(site, "[blog](../no-such-page.md)", "[blog](../index.md)")
    passed = run_workflow_build(site, tmp_path / "runner-temp")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert (site.parent / "site" / "blog" / "broken-post" / "index.html").is_file()
    assert (site.parent / "site" / "assets" / "mathjax" / "chtml.css").is_file()


def test_snippet_check_sees_a_file_edited_between_rebuilds(tmp_path):
    """Under `mkdocs serve` (one process, many rebuilds) an edit that renames a section
    must be seen by the next rebuild's check, even when the file keeps its size."""
    from tested_blog.embeds import reference_problems

    module = tmp_path / "snippets" / "demo.py"
    module.parent.mkdir()
    check = [[tmp_path], [module.parent], tmp_path]
    module.write_text("# --8<-- [start:old]\nx = 1\n# --8<-- [end:old]\n", encoding="utf-8")
    assert reference_problems("snippets/demo.py:old", *check) == []
    assert "has no section 'new'" in reference_problems("snippets/demo.py:new", *check)[0]
    module.write_text("# --8<-- [start:new]\nx = 1\n# --8<-- [end:new]\n", encoding="utf-8")
    assert reference_problems("snippets/demo.py:new", *check) == []
    assert "has no section 'old'" in reference_problems("snippets/demo.py:old", *check)[0]
