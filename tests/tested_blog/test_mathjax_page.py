"""tested_blog.mathjax.page: where the formulas of a built page are, and how they are replaced."""

from __future__ import annotations

import pytest
from tested_blog.mathjax.page import (
    Formula,
    formulas,
    leftover_tex,
    substitute,
    tex_error,
    with_source,
)

PAGE = """<nav><span class="md-ellipsis">
  Minimising \\(f(x) = x^2 - 1\\) fast
</span><span class="md-ellipsis">Plain label</span></nav>
<p>Inline <span class="arithmatex">\\(z_1 &gt; 0\\)</span> and</p>
<div class="arithmatex">\\[
\\frac{a}{b} &lt; 1
\\]</div>
<div class="arithmatex">\\begin{align} a &amp;= b \\end{align}</div>
<pre><code>print("\\(not math\\)")  # class="arithmatex"</code></pre>
"""


def test_finds_arithmatex_and_label_formulas_unescaped():
    assert list(formulas(PAGE)) == [
        Formula("z_1 > 0", display=False),
        Formula("\\frac{a}{b} < 1", display=True),
        Formula("\\begin{align} a &= b \\end{align}", display=True),
        Formula("f(x) = x^2 - 1", display=False),
    ]


def test_substitute_replaces_formulas_only_and_keeps_the_arithmatex_element():
    out = substitute(PAGE, lambda f: f"<mjx-container>{len(f.tex)}</mjx-container>")
    assert '<span class="arithmatex"><mjx-container>7</mjx-container></span>' in out
    assert out.count('<div class="arithmatex"><mjx-container>') == 2
    # The label keeps its text around the formula, escaped as before.
    assert "Minimising <mjx-container>14</mjx-container> fast" in out
    assert '<span class="md-ellipsis">Plain label</span>' in out
    assert '<code>print("\\(not math\\)")  # class="arithmatex"</code>' in out
    assert "\\[" not in out.replace("\\(not", "")


def test_a_page_without_math_is_unchanged():
    page = '<p>Costs \\$5 and <code>\\(x\\)</code></p><span class="md-ellipsis">No math</span>'
    assert list(formulas(page)) == []
    assert substitute(page, lambda f: "X") == page


def test_tex_error_reads_mathjaxs_marker():
    bad = (
        '<mjx-container><mjx-merror data-mjx-error="Undefined control sequence '
        '\\foo &amp; more"><mjx-mtext>…</mjx-mtext></mjx-merror></mjx-container>'
    )
    assert tex_error(bad) == "Undefined control sequence \\foo & more"
    assert tex_error("<mjx-container><mjx-mi>x</mjx-mi></mjx-container>") is None


def test_source_is_written_as_in_a_post():
    assert Formula("x^2", display=False).source() == "$x^2$"
    assert Formula("x^2", display=True).source() == "$$x^2$$"


def test_with_source_stores_the_tex_escaped():
    markup = '<mjx-container class="MathJax" jax="CHTML"><mjx-math></mjx-math></mjx-container>'
    out = with_source(markup, 'a &lt; b < "c" & d')
    assert out.startswith('<mjx-container data-tex="a &amp;lt; b &lt; &quot;c&quot; &amp; d" ')
    assert out.endswith(markup[len("<mjx-container") :])
    with pytest.raises(ValueError, match="mjx-container"):
        with_source("<span>x</span>", "x")


@pytest.mark.parametrize(
    ("content", "quote"),
    [
        ("<p>The loss is\n$$\nL = x\n$$</p>", "The loss is $$ L = x $$"),
        ("<table><tr><td>$</td><td>w</td><td>_1$</td></tr></table>", "$ w _1$"),
        ("<table><tr><td>L1</td><td>$</td></tr></table>", "L1 $"),  # the rest was dropped
        ("<p>left \\(x and \\begin{align} here</p>", "left \\(x and \\begin{align} here"),
        ("<p>Say $\\alpha out loud</p>", "Say $\\alpha out loud"),
    ],
)
def test_leftover_tex_finds_math_arithmatex_did_not_see(content, quote):
    assert leftover_tex(content) == [quote]


def test_leftover_tex_leaves_prices_code_and_typeset_math_alone():
    content = (
        "<p>A GPU hour costs $2, a sign $ alone, US$ 5.</p>"
        "<pre><code>echo $$ \\(x\\)</code></pre><p><code>$HOME</code></p>"
        '<p>Inline <span class="arithmatex">\\(x^2\\)</span> and</p>'
        '<div class="arithmatex">\\[\\sum_i x_i\\]</div>'
    )
    assert leftover_tex(content) == []
