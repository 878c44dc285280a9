"""sitebuild.notebooks.downloads: the executed notebook and the script a reader downloads,
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

from sitebuild.notebooks.downloads import (
    downloads,
    embed_code,
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
