"""tested_blog.provenance.lines: the fences that embed sections, the paragraph placed right
under each (inside collapsible answers and tabs too), and what it says in each state."""

from __future__ import annotations

import markdown
from bs4 import BeautifulSoup
from tested_blog.provenance.check import Shown
from tested_blog.provenance.lines import Links, embedded_blocks, insert_after, line, sentence

PAGE = """\
# Page

```python
--8<-- "snippets/a.py:f"
```

??? success "Answer"

    === "Tab"

        ~~~~python
        --8<-- "snippets/a.py:g"
        ~~~~

````markdown
```python
--8<-- "snippets/a.py:shown_as_text"
```
````

```python
;--8<-- "snippets/a.py:escaped"
--8<-- "snippets/whole.py"
```
"""
EXTENSIONS = [
    "admonition",
    "attr_list",
    "md_in_html",
    "pymdownx.details",
    "pymdownx.superfences",
    "pymdownx.tabbed",
]
GITHUB = Links("https://github.com/o/r", "abc123")


def shown(state: str = "passed", **counts) -> Shown:
    base = {
        "tests": 2,
        "passed": 2,
        "examples": ({"id": "tests/test_a.py::test_f[1]", "file": "tests/test_a.py", "line": 7},),
    }
    return Shown("snippets/a.py", "f", 3, 9, state, **{**base, **counts})


def test_blocks_are_the_fences_that_embed_a_section():
    blocks = embedded_blocks(PAGE)
    lines = PAGE.splitlines()
    # pymdownx embeds inside any fence: in the four-backtick one, the outer fence is the block
    assert [[r.text for r in b.refs] for b in blocks] == [
        ["snippets/a.py:f"],
        ["snippets/a.py:g"],
        ["snippets/a.py:shown_as_text"],
    ]
    assert [lines[b.end].strip() for b in blocks] == ["```", "~~~~", "````"]
    assert [b.indent for b in blocks] == ["", " " * 8, ""]


def test_the_line_lands_right_under_each_block_inside_answers_and_tabs():
    blocks = embedded_blocks(PAGE)
    page = insert_after(PAGE, blocks, lambda b: f"About {b.refs[0].text}\n{{: .tested-by }}")
    html = BeautifulSoup(markdown.markdown(page, extensions=EXTENSIONS), "html.parser")
    found = html.select("p.tested-by")
    assert [p.get_text() for p in found] == [
        "About snippets/a.py:f",
        "About snippets/a.py:g",
        "About snippets/a.py:shown_as_text",
    ]
    for p in found:  # the code block just above it is the one it describes
        assert "highlight" in p.find_previous_sibling().get("class", [])
    assert found[1].find_parent("details") is not None


def test_a_passed_line_names_counts_examples_and_links_at_the_commit():
    text = sentence(shown(), GITHUB)
    assert text.startswith(
        "Tested by 2 tests, all passed, e.g. [`test_f[1]`]"
        "(https://github.com/o/r/blob/abc123/tests/test_a.py#L7 "
        '"tests/test_a.py::test_f[1]")'
    )
    assert text.endswith(
        "[`snippets/a.py:f`](https://github.com/o/r/blob/abc123/snippets/a.py#L3-L9)"
    )
    assert "Tested by 1 test," in sentence(shown(tests=1, passed=1), GITHUB)
    assert "1 passed, 1 skipped" in sentence(shown(passed=1, other=1), GITHUB)


def test_without_a_repository_nothing_is_linked():
    text = sentence(shown(), Links(None))
    assert "](" not in text and "`test_f[1]`" in text and "`snippets/a.py:f`" in text


def test_each_state_reads_differently():
    says = {
        state: sentence(shown(state, failed=1, failing=("tests/t.py::test_x",)), GITHUB)
        for state in ("unrecorded", "unmeasured", "changed", "untested", "failed")
    }
    assert "have not been run in this checkout" in says["unrecorded"]
    assert "`python -m pytest`" in says["unrecorded"]
    assert "changed after the tests last ran" in says["changed"]
    assert "no passing test runs this code" in says["untested"]
    assert "`tests/t.py::test_x`" in says["failed"] and says["failed"].startswith("Failing")
    assert len(set(says.values())) == len(says)


def test_the_paragraph_has_its_classes_and_is_kept_out_of_search():
    html = markdown.markdown(line([shown(), shown("changed")], GITHUB), extensions=EXTENSIONS)
    p = BeautifulSoup(html, "html.parser").p
    assert p["class"] == ["tested-by", "tested-by--changed", "tested-by--passed"]
    assert p.has_attr("data-search-exclude")
    assert len(p.find_all("br")) == 1  # one sentence per section shown in the block


def test_backticks_in_an_id_keep_it_one_code_span():
    text = sentence(
        shown(examples=({"id": "t.py::test_`q`", "file": "t.py", "line": 1},)), Links(None)
    )
    html = markdown.markdown(text)
    assert "<code>test_`q`</code>" in html


def test_a_second_example_only_while_the_names_are_short():
    def example(name: str) -> dict:
        return {"id": f"tests/t.py::{name}", "file": "tests/t.py", "line": 1}

    short = shown(examples=(example("test_a"), example("test_b")))
    long = shown(examples=(example("test_" + "a" * 40), example("test_" + "b" * 40)))
    assert "`test_a`" in sentence(short, GITHUB) and "`test_b`" in sentence(short, GITHUB)
    assert "a" * 40 in sentence(long, GITHUB) and "b" * 40 not in sentence(long, GITHUB)
