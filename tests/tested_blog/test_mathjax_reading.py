"""tested_blog.mathjax.reading: formulas as one line of text, for the search index."""

import pytest
from tested_blog.mathjax.page import Formula
from tested_blog.mathjax.reading import plain, search_index

MATHML = '<mjx-container><mjx-assistive-mml><math xmlns="http://www.w3.org/1998/Math/MathML">{}</math></mjx-assistive-mml></mjx-container>'


@pytest.mark.parametrize(
    "mathml, reading",
    [
        ("<mi>P</mi><mo>(</mo><mi>y</mi><mo>∣</mo><mi>x</mi><mo>)</mo>", "P(y∣x)"),
        ("<mfrac><mn>1</mn><mi>N</mi></mfrac>", "1/N"),
        ("<mfrac><mrow><mi>a</mi><mo>+</mo><mi>b</mi></mrow><mn>2</mn></mfrac>", "(a+b)/2"),
        ("<msup><mi>x</mi><mn>2</mn></msup><mo>−</mo><mn>1</mn>", "x^2−1"),
        ("<msub><mi>w</mi><mrow><mi>i</mi><mi>j</mi></mrow></msub>", "w_(i j)"),
        ("<msubsup><mi>σ</mi><mi>B</mi><mn>2</mn></msubsup>", "σ_B^2"),
        ("<msqrt><mi>v</mi></msqrt>", "√v"),
        (
            "<munderover><mo>∑</mo><mi>i</mi><mi>N</mi></munderover><msub><mi>x</mi><mi>i</mi></msub>",
            "∑_i^N x_i",
        ),
        ("<mover><mi>m</mi><mo>^</mo></mover><mo>&#x2062;</mo><mi>t</mi>", "m\u0302 t"),
        (
            "<mtable><mtr><mtd><mi>a</mi></mtd></mtr><mtr><mtd><mi>b</mi></mtd></mtr></mtable>",
            "a; b",
        ),
    ],
)
def test_plain_reads_mathml_as_one_line(mathml, reading):
    """Hand-written MathML of each shape; MathJax's own output is read below."""
    assert plain(MATHML.format(mathml)) == reading


def test_markup_without_mathml_reads_as_its_text():
    assert plain("<mjx-container><mjx-c>x</mjx-c> &amp; y</mjx-container>") == "x & y"


def test_the_index_gets_each_known_formula_as_its_reading_and_keeps_the_rest():
    readings = {
        Formula("P(y \\mid x)", False): "P(y∣x)",
        Formula("a < b", False): "a<b",
        Formula("x^2 - 1", True): "x^2−1",
        Formula("\\begin{aligned} a &= b \\end{aligned}", True): "a=b",
    }
    index = {
        "docs": [
            {
                "location": "p/#s",
                "title": "Minimising \\(x^2 - 1\\)",
                "text": "<p>Learns \\(P(y \\mid x)\\) when \\(a &lt; b\\), and \\[x^2 -\n 1\\]"
                " then \\begin{aligned} a &amp;= b \\end{aligned}; \\(unknown\\)</p>",
            }
        ]
    }
    assert search_index(index, readings) == 4
    doc = index["docs"][0]
    assert doc["title"] == "Minimising \\(x^2 - 1\\)"  # inline here, not the display formula
    assert doc["text"] == "<p>Learns P(y∣x) when a&lt;b, and x^2−1 then a=b; \\(unknown\\)</p>"


# Found by a review: accents were dropped (ŷ − y read y−y), limits lost (max_i x_i read
# maxx_i), and operands ran together so that different formulas read the same.
READ_AS = {
    "\\hat{y} - y": "ŷ−y",
    "\\bar{f} - \\hat{f}_D": "f̄−f̂_D",
    "\\tilde{x} \\ne x": "x̃≠x",
    "\\vec{v}": "v⃗",
    "\\max_{i} x_i": "max_i x_i",
    "\\lim_{x\\to 0} f(x)": "lim_(x→0) f(x)",
    "\\sum_{i=1}^n x_i": "∑_(i=1)^n x_i",
    "\\tfrac{1}{2}\\mathbb{1}[s_i = s_j]": "1/2 1[s_i=s_j]",
    "\\binom{n}{k}": "(n choose k)",
    "\\text{if } x < 0": "if x<0",
    "\\underbrace{a+b}_{c}": "(a+b)_c",
}
READ_APART = [
    ("x^{2y}", "x^2 y"),
    ("\\frac{1}{2x}", "\\frac{1}{2}x"),
    ("e^{x_i}", "{e^x}_i"),
    ("\\log_2 n", "\\log_{2n}"),
    ("\\binom{n}{k}", "\\left(\\frac{n}{k}\\right)"),
    ("2^{10}", "2^1 0"),
]


@pytest.fixture(scope="module")
def typeset_readings(tmp_path_factory):
    """The formulas above typeset by the real MathJax, and read back."""
    import html

    from tested_blog.mathjax import Typesetter

    formulas = [*READ_AS, *(tex for pair in READ_APART for tex in pair)]
    page = "".join(f'<span class="arithmatex">\\({html.escape(tex)}\\)</span>' for tex in formulas)
    typesetter = Typesetter(tmp_path_factory.mktemp("mathjax-cache"))
    try:
        typesetter.start_build()
        typesetter.typeset(f"<html><head></head><body>{page}</body></html>")
        return {formula.tex: text for formula, text in typesetter.readings().items()}
    finally:
        typesetter.close()


@pytest.mark.parametrize("tex", sorted(READ_AS))
def test_mathjax_output_reads_as_written(typeset_readings, tex):
    assert typeset_readings[tex] == READ_AS[tex]


@pytest.mark.parametrize("one, other", READ_APART)
def test_different_formulas_read_differently(typeset_readings, one, other):
    assert typeset_readings[one] != typeset_readings[other], typeset_readings[one]


def test_code_in_the_index_keeps_its_tex():
    readings = {Formula("y", False): "y"}
    text = "<p>\\(y\\) <code>\\(y\\)</code></p><pre><code>\\[ y \\]</code></pre>"
    index = {"docs": [{"location": "p/", "title": "T", "text": text}]}
    assert search_index(index, readings) == 1
    assert index["docs"][0]["text"] == text.replace("<p>\\(y\\) ", "<p>y ", 1)
