"""tested_blog.embeds: which references may be embedded, without a build."""

from __future__ import annotations

import os

import pytest
from tested_blog.embeds import reference_problems

GOOD = "# --8<-- [start:shown]\nx = 1\n# --8<-- [end:shown]\n"


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "good.py").write_text(GOOD, encoding="utf-8")
    (tmp_path / "notes.py").write_text(GOOD, encoding="utf-8")
    return tmp_path


def problems(repo, ref):
    return reference_problems(ref, [repo], [(repo / "snippets").resolve()], repo)


def test_a_section_of_a_snippets_file_is_fine(repo):
    assert problems(repo, "snippets/good.py:shown") == []


def test_a_whole_file_is_refused_since_no_test_record_covers_it(repo):
    """Found by a review: a whole-file embed had no tested-by line and no check."""
    (found,) = problems(repo, "snippets/good.py")
    assert "embeds the whole file" in found and "snippets/good.py:name" in found


@pytest.mark.parametrize(
    "ref, expected",
    [
        ("snippets/good.py:1:3", "line numbers"),
        ("snippets/none.py:shown", "does not exist"),
        ("snippets/good.py:other", "its sections: shown"),
        ("notes.py:shown", "outside the folders"),
        ("snippets/../notes.py:shown", "outside the folders"),
    ],
)
def test_what_cannot_be_embedded_says_why(repo, ref, expected):
    found = problems(repo, ref)
    assert len(found) == 1 and expected in found[0] and ref in found[0], found


def test_a_link_counts_where_it_points(repo, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "secret.py"
    outside.write_text(GOOD, encoding="utf-8")
    os.symlink(outside, repo / "snippets" / "leak.py")
    os.symlink(repo / "snippets" / "good.py", repo / "snippets" / "alias.py")
    assert "outside the folders" in problems(repo, "snippets/leak.py:shown")[0]
    assert problems(repo, "snippets/alias.py:shown") == []  # a link inside snippets/ is fine


def test_broken_markers_are_named_by_file_and_line(repo):
    (repo / "snippets" / "broken.py").write_text("x\n# --8<-- [end:shown]\n", encoding="utf-8")
    assert problems(repo, "snippets/broken.py:shown") == [
        "'snippets/broken.py:shown': snippets/broken.py line 2: "
        "[end:shown] has no [start:shown] before it"
    ]


def test_an_embed_outside_a_fenced_block_is_refused(repo):
    """Found by a review: an embed as an indented block, or as bare text, was shown with
    no tested-by line and no check."""
    from tested_blog.embeds import page_problems

    markdown = (
        '```python\n--8<-- "snippets/good.py:shown"\n```\n\n'
        '    --8<-- "snippets/good.py:shown"\n\n'
        '!!! note\n\n    ```python\n    --8<-- "snippets/good.py:shown"\n    ```\n'
    )
    found = page_problems(markdown, root=repo, bases=[repo])
    assert [line for line, _ in found] == [5]
    assert "is not inside a fenced code block" in found[0][1]


def test_a_line_of_its_own_in_a_block_that_embeds_is_refused(repo):
    """Found by a review: a line pasted under the embed in its block was published with
    the block's tested-by line ("Tested by 16 tests ... 2/2 mutants caught") above it."""
    from tested_blog.embeds import page_problems

    markdown = (
        '```python\n--8<-- "snippets/good.py:shown"\nx = abs(x)\n```\n\n'
        "```python\n--8<--\nsnippets/good.py:shown\n\nsnippets/good.py:shown\n--8<--\n```\n\n"
        '```python\n;--8<-- "snippets/good.py:shown"\nshown = 2\n```\n'
    )
    found = page_problems(markdown, root=repo, bases=[repo])
    assert [line for line, _ in found] == [3]  # not the block form, nor an escaped line
    assert found[0][1].startswith("'x = abs(x)' is in a code block that embeds a section")


def test_a_section_holding_an_embed_line_is_refused(repo):
    """Found by a review: pymdownx spliced another file's code into the shown section."""
    (repo / "snippets" / "nest.py").write_text(
        '# --8<-- [start:outer]\ndef outer():\n    """Like\n\n    --8<-- "snippets/good.py:shown"\n'
        '    """\n# --8<-- [end:outer]\n'
    )
    (found,) = problems(repo, "snippets/nest.py:outer")
    assert "holds an embed line" in found and "snippets/good.py:shown" in found


def test_a_section_the_text_names_is_checked_like_an_embed(repo):
    """The About page once named 'the `adam` section of `snippets/optim.py`', which does
    not exist: a section named in running text is checked as an embed of it would be."""
    from tested_blog.embeds import page_problems

    markdown = (
        "The `shown` section of `snippets/good.py` is fine, and so is\n"
        "`snippets/good.py:shown`. But the `adam` section of `snippets/good.py`,\n"
        "`snippets/good.py:gone` and the `x` sections of `snippets/missing.py` are not.\n"
    )
    found = page_problems(markdown, root=repo, bases=[repo], folders=["snippets"])
    no_section = "'snippets/good.py:{0}': 'snippets/good.py' has no section '{0}'"
    assert [(line, why.split(": ", 1)[1]) for line, why in found] == [
        (2, no_section.format("adam") + " (its sections: shown)"),
        (3, no_section.format("gone") + " (its sections: shown)"),
        (
            3,
            f"'snippets/missing.py:x': the file 'snippets/missing.py' does not exist "
            f"(looked in {repo})",
        ),
    ]
    assert all(why.startswith("the text names a section") for _, why in found)


# Found by a review: other phrasings got past the check, and text that is not a section
# name (a port, a traceback line, an example in a code block) failed the build.
@pytest.mark.parametrize(
    "text",
    [
        "The `adam` section in `snippets/good.py`.",
        "Section `adam` of `snippets/good.py`.",
        "The `adam` section\nof `snippets/good.py`.",
        "The `adam`  section of `snippets/good.py`.",
        "The `shown` and `adam` sections of `snippets/good.py`.",
        "The `adam` section of `./snippets/good.py`.",
    ],
)
def test_each_phrasing_of_a_missing_section_is_named(repo, text):
    from tested_blog.embeds import page_problems

    found = page_problems(text, root=repo, bases=[repo], folders=["snippets"])
    assert [why for _, why in found] == [
        "the text names a section that cannot be embedded: 'snippets/good.py:adam': "
        "'snippets/good.py' has no section 'adam' (its sections: shown)"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Open `127.0.0.1:8000` in a browser.",
        "The error is raised at `snippets/good.py:12`.",
        "```markdown\nSee `snippets/good.py:example_name`.\n```\n",
        "<!-- was: `snippets/good.py:gone` -->",
        "The function `snippets.good:shown` adds.",
        "The hook `hooks/site_owner.py:on_config` runs first.",
    ],
)
def test_text_that_names_no_embeddable_section_passes(repo, text):
    from tested_blog.embeds import page_problems

    assert page_problems(text, root=repo, bases=[repo], folders=["snippets"]) == []
