"""tested_blog.sections: the marker and reference grammar agrees with pymdownx.snippets."""

from __future__ import annotations

import pytest
from conftest import ROOT
from embedded import embedded
from tested_blog import sections

SNIPPET_FILES = sorted((ROOT / "snippets").glob("*.py"))


def embedded_by_pymdownx(ref: str) -> str:
    """What pymdownx.snippets (configured as in mkdocs.yml) puts in place of ``ref``."""
    return "\n".join(embedded(ref)).strip("\n")


@pytest.mark.parametrize("path", SNIPPET_FILES, ids=lambda p: p.name)
def test_every_section_reads_as_pymdownx_embeds_it(path):
    text = path.read_text(encoding="utf-8")
    assert sections.marker_problems(text) == []
    for name in sections.section_names(text):
        ref = f"snippets/{path.name}:{name}"
        assert sections.section_body(text, name) == embedded_by_pymdownx(ref), ref


def test_sections_of_the_package_exist():
    assert (
        sum(len(sections.section_names(p.read_text(encoding="utf-8"))) for p in SNIPPET_FILES) >= 10
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        ("# --8<-- [start:a]\nx\n", [(1, "[start:a] has no [end:a]")]),
        ("x\n# --8<-- [end:a]\n", [(2, "[end:a] has no [start:a]")]),
        (
            "# --8<-- [start:a]\n# --8<-- [end:a]\n# --8<-- [start:a]\n# --8<-- [end:a]\n",
            [(3, "section 'a' is started again (first started on line 1)")],
        ),
        (
            "# --8<-- [start:a]\nx\n# --8<-- [start:a]\n",
            [(1, "[start:a] has no [end:a]"), (3, "section 'a' is started again")],
        ),
        (
            "# --8<-- [end:a]\n# --8<-- [start:a]\n",
            [(1, "[end:a] has no [start:a]"), (2, "[start:a] has no [end:a]")],
        ),
        # marker text in a line of code: pymdownx drops the line (found by a review)
        (
            '# --8<-- [start:p]\nstart = "--8<-- [start:x]"\nend = "--8<-- [end:x]"\n'
            "# --8<-- [end:p]\n",
            [(2, "section marker text inside a line of code"), (3, "section marker text")],
        ),
        # a marker in capitals: pymdownx finds it but does not read it (a review found
        # the build ending in pymdownx's traceback)
        (
            "# --8<-- [START:a]\nx\n# --8<-- [End:a]\n",
            [(1, "[START:a] is written in capitals"), (3, "[End:a] is written in capitals")],
        ),
        # nested sections are fine, and an escaped marker is text, not a marker
        (
            "# --8<-- [start:a]\n# --8<-- [start:b]\n# --8<-- [end:b]\n# --8<-- [end:a]\n"
            "# ;--8<-- [start:c]\n",
            [],
        ),
    ],
)
def test_marker_problems_name_the_line(text, expected):
    found = sections.marker_problems(text)
    assert [line for line, _ in found] == [line for line, _ in expected]
    for (_, why), (_, start) in zip(found, expected, strict=False):
        assert why.startswith(start), why


def test_section_body_drops_nested_markers_and_dedents():
    text = (
        "class A:\n    # --8<-- [start:m]\n    def m(self):\n        # --8<-- [start:n]\n"
        "        return 1\n        # --8<-- [end:n]\n    # --8<-- [end:m]\n"
    )
    assert sections.section_body(text, "m") == "def m(self):\n    return 1"
    with pytest.raises(ValueError, match="'missing'"):
        sections.section_body(text, "missing")


def test_references_inline_block_and_escaped():
    page = (
        'intro\n--8<-- "snippets/a.py:one"\n;--8<-- "snippets/a.py:escaped"\n'
        "--8<--\nsnippets/b.py:two\n;snippets/b.py:skipped\n--8<--\n"
        '    --8<-- "snippets/c.py"\n'
    )
    assert sections.references(page) == [
        sections.Reference(2, "snippets/a.py:one"),
        sections.Reference(5, "snippets/b.py:two"),
        sections.Reference(8, "snippets/c.py"),
    ]


@pytest.mark.parametrize(
    "ref, expected",
    [
        ("snippets/a.py:name", ("snippets/a.py", "name", None)),
        ("snippets/a.py", ("snippets/a.py", None, None)),
        ("snippets/a.py:1:5", ("snippets/a.py", None, ":1:5")),
        ("snippets/a.py:-5", ("snippets/a.py", None, ":-5")),
    ],
)
def test_split_reference(ref, expected):
    assert sections.split_reference(ref) == expected
