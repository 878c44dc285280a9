"""tested_blog.mathjax.typesetter: pages typeset through one MathJax process and the cache;
the stylesheet and fonts written into the site."""

from __future__ import annotations

import base64
import io
import re
import threading

import pytest
from fontTools.ttLib import TTFont
from tested_blog.mathjax import distribution, webfonts
from tested_blog.mathjax.process import MathJaxFailed
from tested_blog.mathjax.typesetter import STYLESHEET, Typesetter
from tested_blog.mathjax.webfonts import INLINE_BYTES

PAGE = (
    '<html><head></head><body><p>Loss <span class="arithmatex">\\(\\mathcal{L}(w)\\)</span>'
    '</p><div class="arithmatex">\\[\\frac{\\partial L}{\\partial z} = p - y\\]</div>'
    "</body></html>"
)
OTHER = '<p><span class="arithmatex">\\(\\mathbb{R}^D\\)</span></p>'
BROKEN = '<p>Oops <span class="arithmatex">\\(\\frac{1}{\\)</span></p>'
# A Node that cannot exist: using it proves no MathJax process was needed.
NO_NODE = "/nonexistent/node"


@pytest.fixture
def typesetter(tmp_path):
    made = []

    def make(node=None):
        made.append(Typesetter(tmp_path / "cache", node=node))
        made[-1].start_build()
        return made[-1]

    yield make
    for t in made:
        t.close()


def test_a_page_is_typeset_in_place_with_its_tex_kept(typesetter):
    result = typesetter().typeset(PAGE)
    assert result.count == 2 and not result.errors
    assert 'arithmatex">\\(' not in result.html and "\\[" not in result.html
    assert result.html.count("<mjx-container") == 2
    assert 'data-tex="\\mathcal{L}(w)"' in result.html


def test_tex_errors_are_reported_with_the_formula(typesetter):
    result = typesetter().typeset(BROKEN)
    assert [e.formula.source() for e in result.errors] == ["$\\frac{1}{$"]
    assert result.errors[0].message
    assert "<mjx-merror" in result.html  # what a non-strict build shows the author


def test_an_unchanged_rebuild_needs_no_mathjax_process(typesetter, tmp_path):
    first = typesetter()
    html = first.typeset(PAGE).html
    first.write_assets(tmp_path / "site")
    first.close()
    again = typesetter(node=NO_NODE)  # same cache folder, as a new `mkdocs build` has
    assert again.typeset(PAGE).html == html and again.rendered == 0
    again.write_assets(tmp_path / "site2")  # the stylesheet comes from the cache too
    css = (tmp_path / "site2" / STYLESHEET).read_text()
    assert css == (tmp_path / "site" / STYLESHEET).read_text()


def test_a_new_formula_needs_mathjax(typesetter, tmp_path):
    first = typesetter()
    first.typeset(PAGE)
    first.write_assets(tmp_path / "site")
    with pytest.raises(MathJaxFailed):
        typesetter(node=NO_NODE).typeset(OTHER)


def test_stylesheet_covers_formulas_taken_from_the_cache(typesetter, tmp_path):
    """A later build that renders only its new formula still gets CSS for the cached ones
    (MathJax's stylesheet only knows what its own process has typeset)."""
    first = typesetter()
    first.typeset(PAGE)
    first.write_assets(tmp_path / "site")
    first.close()
    second = typesetter()
    second.typeset(PAGE)
    second.typeset(OTHER)
    fonts = second.write_assets(tmp_path / "site2")
    css = (tmp_path / "site2" / STYLESHEET).read_text()
    assert "mjx-c4C.TEX-C::before" in css  # the calligraphic L of the cached formula
    assert "mjx-c211D.TEX-A::before" in css  # the blackboard R of the new one
    folder = tmp_path / "site2" / "assets" / "mathjax" / "fonts"
    assert ord("L") in TTFont(folder / "MathJax_Calligraphic-Regular.woff2").getBestCmap()
    # the AMS font draws the blackboard R (U+211D) with its glyph at "R"
    assert ord("R") in TTFont(folder / "MathJax_AMS-Regular.woff2").getBestCmap()
    assert set(fonts) == set(re.findall(r'url\("fonts/([^"]+)"\)', css))


def test_a_dirty_build_keeps_the_previous_pages_in_the_stylesheet(typesetter, tmp_path):
    t = typesetter()
    t.typeset(PAGE)
    t.write_assets(tmp_path / "site")
    t.close()  # the next process has typeset nothing of PAGE
    t.start_build(dirty=True)  # only OTHER's page is rebuilt
    t.typeset(OTHER)
    t.write_assets(tmp_path / "site")
    assert "mjx-c4C.TEX-C::before" in (tmp_path / "site" / STYLESHEET).read_text()


def test_a_site_without_math_gets_no_math_assets(typesetter, tmp_path):
    t = typesetter(node=NO_NODE)
    assert t.typeset("<p>No math, \\$5.</p>").count == 0
    assert t.write_assets(tmp_path / "site") == []
    assert not (tmp_path / "site" / "assets").exists()


def test_only_the_fonts_in_use_ship_cut_to_the_characters_drawn(typesetter, tmp_path, monkeypatch):
    """PAGE uses the calligraphic font (\\mathcal) but no Fraktur: only the first ships, as
    WOFF2, holding the glyphs the stylesheet draws and not the font's others. (Every font
    as a file here: the next test is about the small ones the stylesheet holds.)"""
    monkeypatch.setattr(webfonts, "INLINE_BYTES", 0)
    t = typesetter()
    t.typeset(PAGE)
    shipped = t.write_assets(tmp_path / "site")
    assert "MathJax_Calligraphic-Regular.woff2" in shipped
    assert "MathJax_Fraktur-Regular.woff2" not in shipped  # no \mathfrak anywhere
    css = (tmp_path / "site" / STYLESHEET).read_text()
    assert 'url("fonts/MathJax_Calligraphic-Regular.woff2") format("woff2")' in css
    assert "Fraktur" not in css and '.woff")' not in css
    folder = tmp_path / "site" / "assets" / "mathjax" / "fonts"
    assert {p.name for p in folder.iterdir()} == set(shipped)
    cut = TTFont(folder / "MathJax_Calligraphic-Regular.woff2")
    whole = TTFont(distribution.font_dir() / "MathJax_Calligraphic-Regular.woff")
    assert cut.flavor == "woff2"
    assert ord("L") in cut.getBestCmap()  # the \mathcal{L} of PAGE
    assert ord("Q") in whole.getBestCmap() and ord("Q") not in cut.getBestCmap()
    assert (folder / "MathJax_Calligraphic-Regular.woff2").stat().st_size < (
        distribution.font_dir() / "MathJax_Calligraphic-Regular.woff"
    ).stat().st_size


def test_a_font_smaller_than_a_request_is_written_into_the_stylesheet(typesetter, tmp_path):
    """MathJax's Zero font, cut, is a few hundred bytes (so is PAGE's one calligraphic L):
    each such font is in the stylesheet as a data: URL of its WOFF2 bytes, not a file of
    its own; the bigger fonts stay files."""
    t = typesetter()
    t.typeset(PAGE)
    shipped = t.write_assets(tmp_path / "site")
    css = (tmp_path / "site" / STYLESHEET).read_text()
    faces = re.findall(r"@font-face[^{]*\{[^}]*\}", css)
    inlined = {
        re.search(r"font-family:\s*([\w-]+)", face).group(1): base64.b64decode(data)
        for face in faces
        for data in re.findall(r'url\("data:font/woff2;base64,([^"]+)"\)', face)
    }
    assert "MJXZERO" in inlined and "MathJax_Zero.woff2" not in shipped
    for data in inlined.values():
        assert TTFont(io.BytesIO(data)).flavor == "woff2" and len(data) <= INLINE_BYTES
    assert shipped and all(
        (tmp_path / "site" / "assets" / "mathjax" / "fonts" / name).stat().st_size > INLINE_BYTES
        for name in shipped
    )


def test_an_unchanged_rebuild_leaves_the_fonts_alone(typesetter, tmp_path):
    """A warm rebuild takes the cut fonts from the cache and does not rewrite them."""
    first = typesetter()
    first.typeset(PAGE)
    names = first.write_assets(tmp_path / "site")
    folder = tmp_path / "site" / "assets" / "mathjax" / "fonts"
    times = {n: (folder / n).stat().st_mtime_ns for n in names}
    again = typesetter(node=NO_NODE)
    again.typeset(PAGE)
    assert again.write_assets(tmp_path / "site") == names
    assert {n: (folder / n).stat().st_mtime_ns for n in names} == times


class GatedProcess:
    """Stands in for the MathJax process: renders only once ``gate`` is set."""

    running = True

    def __init__(self, fail: Exception | None = None) -> None:
        self.gate = threading.Event()
        self.batches: list[list[str]] = []
        self.fail = fail

    def render(self, formulas):
        assert self.gate.wait(timeout=30), "the test never opened the gate"
        if self.fail is not None:
            raise self.fail
        self.batches.append([tex for tex, _ in formulas])
        return [f'<mjx-container jax="CHTML">{tex}</mjx-container>' for tex, _ in formulas]

    def stylesheet(self):
        return "mjx-container {}"

    def close(self):
        pass


def test_prefetched_formulas_are_typeset_while_the_build_goes_on(typesetter):
    """``prefetch`` returns before MathJax has answered; ``typeset`` then waits for the
    answer and sends nothing twice."""
    t = typesetter()
    t._process = fake = GatedProcess()
    t.prefetch(PAGE)  # returns although the process is still held at the gate
    t.prefetch(PAGE)  # the same formulas again: not handed over twice
    assert fake.batches == []
    fake.gate.set()
    result = t.typeset(PAGE)
    assert fake.batches == [["\\mathcal{L}(w)", "\\frac{\\partial L}{\\partial z} = p - y"]]
    assert result.count == 2 and result.html.count("<mjx-container") == 2
    assert t.rendered == 2


def test_a_prefetch_that_fails_fails_the_page_that_waits_for_it(typesetter):
    t = typesetter()
    t._process = fake = GatedProcess(fail=MathJaxFailed("MathJax did not answer"))
    t.prefetch(PAGE)
    fake.gate.set()
    with pytest.raises(MathJaxFailed, match="did not answer"):
        t.typeset(PAGE)
    fake.fail = None
    assert t.typeset(PAGE).count == 2  # the next page asks again
