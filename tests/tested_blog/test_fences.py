"""tested_blog.fences: fenced code found as pymdownx.superfences finds it, checked against
superfences' own rendering."""

from __future__ import annotations

import re

import markdown
import pytest
from tested_blog.fences import Fence, code_lines, fences

DOC = """\
# Title

```python
x = 1
```

    ````text
    ```
    still code: a shorter run does not close it
    ````

~~~
tilde
~~~
after
"""


def test_fences_with_their_lines_and_indentation():
    assert fences(DOC) == [Fence(3, 5, ""), Fence(7, 10, "    "), Fence(12, 14, "")]
    assert code_lines(DOC) == {3, 4, 5, 7, 8, 9, 10, 12, 13, 14}


def test_an_unclosed_fence_runs_to_the_end():
    assert fences("a\n```\nb\nc\n") == [Fence(2, 4, "", closed=False)]


def test_a_longer_run_does_not_close_a_fence():
    """superfences closes a fence only with the same run (CommonMark would take a longer)."""
    assert fences("```\na\n````\nb\n```\n") == [Fence(1, 5, "")]


@pytest.mark.parametrize(
    "doc",
    [
        DOC,
        "```\na\n````\nb\n```\nafter\n",
        "text\n\n``` { .python title='x' }\ncode line\n```\n\nmore\n",
        "- item\n\n    ```python\n    in a list\n    ```\n",
    ],
)
def test_the_lines_it_calls_code_are_the_ones_superfences_renders_as_code(doc):
    html = markdown.markdown(doc, extensions=["pymdownx.superfences"])
    code = re.sub(r"<[^>]+>", "", "".join(p.split("</code>")[0] for p in html.split("<code")[1:]))
    inside = code_lines(doc)
    for number, line in enumerate(doc.splitlines(), start=1):
        words = line.strip()
        if not words or words.startswith(("```", "~~~")):
            continue  # blank, or a fence line (not shown, or shown inside an outer block)
        assert (words in code) == (number in inside), (number, line, html)
