"""tested_blog.notebooks.downloads: the executed notebook and the script a reader downloads,
and (with a real kernel) that the downloaded notebook re-runs to the outputs it carries."""

from __future__ import annotations

import json

import jupytext
import nbformat
import pytest
from notebook_sites import (
    comparable_outputs,
    make_repo,
    percent_notebook,
    posts_dir,
    rerun,
    run_pipeline,
)
from tested_blog.notebooks.downloads import (
    companions,
    downloads,
    embed_code,
    embedded_files,
    ipynb_bytes,
    notebook,
    script_bytes,
    with_download_note,
)

INSTALL = 'python -m pip install "git+https://example.test/repo"'


@pytest.fixture
def root(tmp_path):
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "a.py").write_text(
        "import math\n\n# --8<-- [start:half]\ndef half(x):\n    return x / 2\n"
        "# --8<-- [end:half]\n",
        encoding="utf-8",
    )
    return tmp_path


def executed_cells() -> dict:
    code = nbformat.v4.new_code_cell(
        "print(1)",
        execution_count=1,
        metadata={
            "execution": {"iopub.status.busy": "2026-12-01T10:00:00Z"},
            "tags": ["remove-input"],
        },
    )
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    text = nbformat.v4.new_markdown_cell(
        '# Title\n\n```python\n    --8<-- "snippets/a.py:half"\n```\n\n'
        '--8<-- "snippets/a.py:missing"\n'
    )
    return json.loads(json.dumps(nbformat.v4.new_notebook(cells=[text, code])))


def test_embed_code_puts_the_section_in_place_and_leaves_what_it_cannot_find(root):
    out = embed_code('x\n  --8<-- "snippets/a.py:half"\n;--8<-- "snippets/a.py:half"', root)
    assert out == 'x\n  def half(x):\n      return x / 2\n;--8<-- "snippets/a.py:half"'
    for unknown in (
        '--8<-- "snippets/a.py:missing"',
        '--8<-- "snippets/none.py:half"',
        '--8<-- "snippets/a.py:1:3"',
    ):
        assert embed_code(unknown, root) == unknown  # the build reports it (snippet_refs)


def test_embed_code_writes_out_the_block_form_too(root):
    (root / "snippets" / "b.py").write_text("def double(x):\n    return 2 * x\n")
    markdown = (
        "Both:\n\n```python\n--8<--\nsnippets/a.py:half\n; a comment line\n"
        "snippets/b.py\n--8<--\n```\n\nMissing:\n\n--8<--\nsnippets/nope.py\n--8<--\n"
    )
    out = embed_code(markdown, root)
    assert "```python\ndef half(x):\n    return x / 2\ndef double(x):\n    return 2 * x\n```" in out
    assert "--8<--\nsnippets/nope.py\n--8<--" in out  # unresolved: left for the build to report
    executed = {"cells": [{"cell_type": "markdown", "source": markdown}]}
    assert embedded_files(executed) == ["snippets/a.py", "snippets/b.py", "snippets/nope.py"]


def test_the_notebook_starts_with_the_install_note_and_keeps_the_outputs(root):
    nb = notebook(executed_cells(), install=INSTALL, root=root)
    nbformat.validate(nb)
    assert nb.cells[0].cell_type == "markdown" and INSTALL in nb.cells[0].source
    assert nb.metadata["kernelspec"]["name"] == "python3"
    title, code = nb.cells[1], nb.cells[2]
    assert "def half(x):" in title.source and "--8<--" in title.source  # only the missing one
    assert code.outputs[0]["text"] == "1\n" and code.execution_count == 1
    assert "execution" not in code.metadata and code.metadata["tags"] == ["remove-input"]
    assert [c.id for c in nb.cells] == ["cell-0", "cell-1", "cell-2"]


def test_the_files_are_the_same_for_the_same_run_and_the_script_has_no_outputs(root):
    files = downloads(executed_cells(), stem="post", install=INSTALL, root=root)
    assert set(files) == {"post.ipynb", "post.py"}
    assert files == downloads(executed_cells(), stem="post", install=INSTALL, root=root)
    assert nbformat.reads(files["post.ipynb"].decode(), as_version=4).cells[2].outputs
    script = files["post.py"].decode()
    assert script.startswith("# %% [markdown]\n# **Running this notebook.**")
    assert INSTALL in script and "print(1)" in script and "\n# 1\n" not in script
    back = jupytext.reads(script, fmt="py:percent")
    assert [c.source for c in back.cells] == [
        c.source for c in notebook(executed_cells(), install=INSTALL, root=root).cells
    ]
    assert (
        ipynb_bytes(nbformat.reads(files["post.ipynb"].decode(), as_version=4))
        == files["post.ipynb"]
    )
    assert script_bytes(notebook(executed_cells(), install=INSTALL, root=root)) == files["post.py"]


def test_the_note_links_both_files_after_the_excerpt_or_else_after_the_title():
    page = "---\ndate: 2026-01-02\n---\n# T\n\nExcerpt.\n\n<!-- more -->\n\n## Body\n"
    out = with_download_note(page, "post", "post", INSTALL)
    note = out.index('!!! tip "Run this post yourself"')
    assert out.index("<!-- more -->") < note < out.index("## Body")
    assert '[executed notebook](post/post.ipynb){ download="post.ipynb" }' in out
    assert '[Python script](post/post.py){ download="post.py" }' in out and INSTALL in out
    bare = with_download_note("---\nx: 1\n---\n# T\n\nText.\n", "p", "p", INSTALL)
    assert bare.index("# T") < bare.index("!!! tip") < bare.index("Text.")


def test_a_comment_in_code_is_no_title_for_the_note():
    """Found by a review: with no excerpt separator, the note went after the first '# '
    line, which was a comment in the post's first code block, so it was published as code."""
    page = "---\nx: 1\n---\n```python\n# load the data\nx = 1\n```\n\nText.\n"
    out = with_download_note(page, "p", "p", INSTALL)
    assert out.index("!!! tip") < out.index("```python")  # before the code, not in it
    titled = page.replace("Text.", "# Title\n\nText.")
    out = with_download_note(titled, "p", "p", INSTALL)
    assert out.index("# Title") < out.index("!!! tip") < out.index("Text.")


def test_companions_are_the_files_of_the_posts_folder_the_run_read(tmp_path):
    posts = tmp_path / "docs" / "blog" / "posts"
    for rel in ("post.py", "_helpers.py", "data/values.csv", "__pycache__/_helpers.pyc"):
        (posts / rel).parent.mkdir(parents=True, exist_ok=True)
        (posts / rel).write_text(rel, encoding="utf-8")
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "a.py").write_text("x = 1\n", encoding="utf-8")
    read = [
        f"docs/blog/posts/{rel}"
        for rel in ("post.py", "_helpers.py", "data/values.csv", "__pycache__/_helpers.pyc")
    ] + ["snippets/a.py", "docs/blog/posts/deleted.csv"]
    found = companions(read, post=posts / "post.py", root=tmp_path)
    # the post itself, bytecode, files outside its folder and vanished files are not
    assert found == {"_helpers.py": b"_helpers.py", "data/values.csv": b"data/values.csv"}


def test_the_note_names_the_companions_a_reader_must_save_beside_the_notebook():
    page = "---\ndate: 2026-01-02\n---\n# T\n\n<!-- more -->\n"
    out = with_download_note(page, "post", "post", INSTALL, ["_helpers.py", "data/values.csv"])
    assert '[`_helpers.py`](post/_helpers.py){ download="_helpers.py" }' in out
    assert '[`data/values.csv`](post/data/values.csv){ download="values.csv" }' in out
    assert "save them beside the notebook (keeping the subfolders)" in out
    assert "It also reads" not in with_download_note(page, "post", "post", INSTALL)


@pytest.mark.site
def test_a_notebook_that_reads_files_of_its_folder_downloads_with_them(tmp_path):
    """A helper module it imports and a data file it opens are published beside the
    downloads, at the same relative paths; the downloaded notebook re-runs with them in a
    folder outside the repository."""
    repo = make_repo(tmp_path)
    posts = posts_dir(repo)
    (posts / "_helpers.py").write_text("def scale(x):\n    return 10 * x\n", encoding="utf-8")
    (posts / "data").mkdir()
    (posts / "data" / "values.csv").write_text("1\n2\n3\n", encoding="utf-8")
    (posts / "reads.py").write_text(
        percent_notebook(
            "Reads",
            "from _helpers import scale\n"
            "with open('data/values.csv') as f:\n"
            "    values = [int(line) for line in f]\n"
            "print('scaled sum', scale(sum(values)))",
        ),
        encoding="utf-8",
    )
    (item,) = run_pipeline(repo, install=INSTALL).published
    assert sorted(item.downloads) == [
        "blog/posts/reads/_helpers.py",
        "blog/posts/reads/data/values.csv",
        "blog/posts/reads/reads.ipynb",
        "blog/posts/reads/reads.py",
    ]
    assert "[`_helpers.py`](reads/_helpers.py)" in item.page_path.read_text(encoding="utf-8")
    reader = tmp_path / "reader"
    for uri, path in item.downloads.items():
        target = reader / uri.removeprefix("blog/posts/reads/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    carried = nbformat.read(reader / "reads.ipynb", as_version=4)
    expected = comparable_outputs(carried)
    assert ("stream", "stdout", "scaled sum 60\n") in expected[0]
    assert comparable_outputs(rerun(reader / "reads.ipynb", pythonpath=repo)) == expected


@pytest.mark.site
def test_a_downloaded_notebook_reruns_to_the_outputs_it_carries(tmp_path):
    """The pipeline's .ipynb, executed again by nbclient in a folder of its own with
    snippets importable (as after the install the note gives), prints the same."""
    repo = make_repo(tmp_path)
    (posts_dir(repo) / "demo.py").write_text(
        percent_notebook(
            "Demo",
            '# Code:\n#\n# ```python\n# --8<-- "snippets/a.py:thrice"\n# ```',
            "from snippets.a import thrice\nprint('thrice', thrice(3))\nthrice(5)",
            "import matplotlib.pyplot as plt\nplt.plot([1, 2]);\nplt.show()",
        ),
        encoding="utf-8",
    )
    outcome = run_pipeline(repo, install=INSTALL)
    (item,) = outcome.published
    assert sorted(item.downloads) == ["blog/posts/demo/demo.ipynb", "blog/posts/demo/demo.py"]
    assert "demo/demo.ipynb" in item.page_path.read_text(encoding="utf-8")
    reader = tmp_path / "reader"
    reader.mkdir()
    copy = reader / "demo.ipynb"
    copy.write_bytes(item.downloads["blog/posts/demo/demo.ipynb"].read_bytes())
    carried = nbformat.read(copy, as_version=4)
    assert "def thrice(x):" in carried.cells[2].source
    expected = comparable_outputs(carried)
    assert ("stream", "stdout", "thrice 9\n") in expected[0]
    assert ("data", "text/plain", "15") in expected[0]
    assert any(kind == "data" and mime == "image/png" for kind, mime, _ in expected[1])
    assert comparable_outputs(rerun(copy, pythonpath=repo)) == expected


def test_the_note_follows_the_blogs_separator_names_the_package_and_skips_code():
    page = (
        "---\ndate: 2026-01-02\n---\n# T\n\nExcerpt.\n\n```markdown\n<!-- cut -->\n```\n\n"
        "<!-- cut -->\n\n## Body\n"
    )
    out = with_download_note(page, "p", "p", INSTALL, package="recipes", separator="<!-- cut -->")
    note = out.index('!!! tip "Run this post yourself"')
    assert out.rindex("<!-- cut -->") < note < out.index("## Body")
    assert "Both import `recipes`, this site's tested" in out
