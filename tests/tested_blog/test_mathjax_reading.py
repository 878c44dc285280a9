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
        ("<msub><mi>w</mi><mrow><mi>i</mi><mi>j</mi></mrow></msub>", "w_ij"),
        ("<msubsup><mi>σ</mi><mi>B</mi><mn>2</mn></msubsup>", "σ_B^2"),
        ("<msqrt><mi>v</mi></msqrt>", "√v"),
        (
            "<munderover><mo>∑</mo><mi>i</mi><mi>N</mi></munderover><msub><mi>x</mi><mi>i</mi></msub>",
            "∑x_i",
        ),
        ("<mover><mi>m</mi><mo>^</mo></mover><mo>&#x2062;</mo><mi>t</mi>", "mt"),
        (
            "<mtable><mtr><mtd><mi>a</mi></mtd></mtr><mtr><mtd><mi>b</mi></mtd></mtr></mtable>",
            "a; b",
        ),
    ],
)
def test_plain_reads_mathml_as_one_line(mathml, reading):
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
