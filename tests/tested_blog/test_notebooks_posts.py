"""tested_blog.notebooks.posts: which files are posts, their front matter, its checks."""

from __future__ import annotations

import pytest
from tested_blog.notebooks.errors import NotebookPostError
from tested_blog.notebooks.posts import cell_lines, head, is_post, swallowed_markdown, validate

GOOD = "# ---\n# date: 2026-01-02\n# authors: [tester]\n# tags: [a, b]\n# ---\n"


def post_file(tmp_path, text: str, name: str = "p.py"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return head(path, f"blog/posts/{name}")


def problems(tmp_path, front: str, **kwargs) -> list[str]:
    post = post_file(
        tmp_path,
        "# ---\n" + "".join(f"# {ln}\n" for ln in front.splitlines()) + "# ---\n\n# %%\nx = 1\n",
    )
    return validate(
        post, authors=kwargs.get("authors", {"tester"}), categories_allowed=kwargs.get("categories")
    )


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("blog/posts/adam.py", True),
        ("blog/posts/nb.ipynb", True),
        ("blog/posts/_helper.py", False),
        ("blog/posts/notes.md", False),
        ("blog/other.py", False),
        ("blog/postsx/a.py", False),
    ],
)
def test_is_post(uri, expected):
    assert is_post(uri, "blog/posts") is expected


def test_head_reads_the_percent_header_as_front_matter(tmp_path):
    post = post_file(tmp_path, GOOD + "\n# %% [markdown]\n# # Title\n")
    assert post.front_matter == "---\ndate: 2026-01-02\nauthors: [tester]\ntags: [a, b]\n---"
    assert post.meta["tags"] == ["a", "b"] and str(post.meta["date"]) == "2026-01-02"
    assert not post.draft


def test_no_header_is_no_front_matter(tmp_path):
    with pytest.raises(NotebookPostError, match=r"'blog/posts/p.py' has no front matter"):
        post_file(tmp_path, "# %%\nx = 1\n")


def test_impossible_date_names_the_date(tmp_path):
    with pytest.raises(NotebookPostError, match=r"impossible date '2026-02-30'"):
        post_file(tmp_path, "# ---\n# date: 2026-02-30\n# ---\n")


def test_a_good_header_has_no_problems(tmp_path):
    assert (
        problems(
            tmp_path,
            "date: 2026-01-02\nauthors: [tester]\ncategories: [A]\nslug: ok-1",
            categories=["A"],
        )
        == []
    )


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("title: x", "key 'date': missing"),
        ("date: soon", "key 'date'"),
        ("date: {updated: 2026-01-02}", "key 'date'"),
        ("date: 2026-01-02\ntags: one-string", "key 'tags': expected a list of strings"),
        ("date: 2026-01-02\nauthors: [ghost]", "key 'authors': unknown author 'ghost'"),
        ("date: 2026-01-02\ncategories: [B]", "key 'categories': 'B' is not an allowed"),
        ("date: 2026-01-02\nslug: Not_A_Slug", "key 'slug': 'Not_A_Slug' is not one URL path"),
        ("date: 2026-01-02\nslug: ../escape", "key 'slug'"),
        ("date: 2026-01-02\ndraft: yes please", "key 'draft'"),
    ],
)
def test_each_bad_key_is_named(tmp_path, front, expected):
    found = problems(tmp_path, front, categories=["A"])
    assert any(expected in p for p in found), found


def test_cell_lines_point_at_each_cells_first_line(tmp_path):
    post = post_file(tmp_path, GOOD + "\n# %% [markdown]\n# # T\n\n# %%\nx = 1\n\n# %%\ny = 2\n")
    text = post.source.decode().splitlines()
    assert [text[n - 1] for n in cell_lines(post)] == ["# # T", "x = 1", "y = 2"]


def swallowed(tmp_path, cells: str) -> list[str]:
    return swallowed_markdown(post_file(tmp_path, GOOD + cells))


def test_a_heading_a_removed_cell_swallowed_is_named_with_its_line(tmp_path):
    """The two-layer net post once lost its 'Test accuracy' heading and paragraph this
    way: the '# %% [markdown]' line above them was missing, so they ended a removed cell."""
    cells = (
        '\n# %% tags=["remove-cell"]\nassert 1 + 1 == 2\n#\n# ## Test accuracy\n#\n'
        "# Measured once, on the test images:\n\n# %%\nprint(1)\n"
    )
    assert swallowed(tmp_path, cells) == [
        "line 10: the Markdown heading '## Test accuracy' is a comment in a code cell the "
        "page does not show; start a Markdown cell above it with a '# %% [markdown]' line"
    ]


def test_text_without_a_heading_that_ends_a_removed_cell_is_named(tmp_path):
    cells = (
        '\n# %% tags=["remove-input"]\nx = 1\n\n# The next paragraph, for the reader,\n'
        "# lost with the cell's code.\n\n# %% [markdown]\n# Fine.\n"
    )
    assert swallowed(tmp_path, cells) == [
        "lines 10-11: comment lines end a code cell the page does not show; if they are "
        "text for the reader, start a Markdown cell above them with a '# %% [markdown]' line"
    ]


def test_a_heading_in_a_shown_code_cell_is_named(tmp_path):
    problems = swallowed(tmp_path, "\n# %%\nx = 1\n# ## Results\n")
    assert problems == [
        "line 9: the Markdown heading '## Results' is a comment in a code cell; start a "
        "Markdown cell above it with a '# %% [markdown]' line"
    ]


@pytest.mark.parametrize(
    "cells",
    [
        "\n# %% [markdown]\n# ## A heading where it belongs\n#\n# Text.\n",
        "\n# %% Results [markdown]\n# ## Titled cell\n",
        '\n# %% tags=["remove-cell"]\n# what this hidden cell asserts\nassert True\n',
        '\n# %% tags=["remove-cell"]\nassert True  # inline comment\n# one last remark\n',
        "\n# %%\nx = 1\n\n# a comment about the next line\n# and more\ny = 2\n",
        "\n# %%\nx = 1\n\n# shown comments at the end of a shown cell\n# are shown\n",
        "\n# %%\ncolour = '#fff'  # ## not a heading: not a whole comment line\n",
    ],
)
def test_comments_that_are_code_comments_pass(tmp_path, cells):
    assert swallowed(tmp_path, cells) == []


def test_an_ipynb_has_explicit_cells_and_is_not_scanned(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("---\ndate: 2026-01-02\n---"),
            nbformat.v4.new_code_cell("x = 1\n# ## deliberate", metadata={"tags": ["remove-cell"]}),
        ]
    )
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, path)
    assert swallowed_markdown(head(path, "blog/posts/n.ipynb")) == []


# Found by a review: the guard split cells by '# %%' alone, where jupytext also splits at
# '#%%', an indented marker, '# In[ ]:' and '# <codecell>', and it took '## comment'
# code comments for headings.
@pytest.mark.parametrize(
    "cells, first_words",
    [
        ("\n# %% [markdown]\n# Intro.\n\n#%%\ny = 2\n\n# ## Results\n# Text.\n", "line 13: the"),
        ("\n# %%\nx = 1\n\n# %%[markdown]\n# ## Results\n# Text.\n", "line 11: the"),
        ("\n# %% [markdown]\n# Intro.\n\n# In[ ]:\ny = 2\n# ## Results\n", "line 12: the"),
        ("\n# # Title before any marker\n#\n# Intro.\n\nx = 1\n\n# %%\ny = 2\n", "line 7: the"),
        ("\n# %%\nx = 1\n\n# %% [raw]\n# ## Results\n# Lost.\n", "line 11: the"),
        ("\n# %%\nx = 1\n#\t## Results\n", "line 9: the"),
        ("\n# %%\nx = 1\n#  ## Results\n", "line 9: the"),
        ("\n# %%\nx = 1\n\n# %% [Markdown]\n# Text paragraph only.\n", "line 10: jupytext"),
    ],
)
def test_markdown_swallowed_where_jupytext_splits_cells_is_named(tmp_path, cells, first_words):
    problems = swallowed(tmp_path, cells)
    assert problems and problems[0].startswith(first_words), problems


@pytest.mark.parametrize(
    "cells",
    [
        "\n# %%\nx = 1\n\n#%% [markdown]\n# ## Results\n# Text here.\n",
        "\n# %%\nx = 1\n\n  # %% [markdown]\n# ## Results\n",
        "\n# %%\n## Compute the mean\nx = 1\n#### Setup ####\n",
        '\n# %% tags=["remove-input"]\nfrom IPython.display import Markdown\n'
        'Markdown("""\n## Results\nx is 1\n""")\n',
        '\n# %% tags=["remove-cell"]\nx = 1\n\n# y = 2\n# fmt: on\n',
        '\n# %% tags=["remove-cell"]\ndef f():\n    x = 1\n\n'
        "    # TODO: handle the other case of y.\n"
        "    # And then the case of z, too.\n",
        "\n# %% Cleanup: not a remove-cell\nx = 1\n\n# We note here what happens next.\n"
        "# And one more line of notes.\n",
    ],
)
def test_code_comments_and_markers_jupytext_reads_as_markdown_pass(tmp_path, cells):
    assert swallowed(tmp_path, cells) == []
