"""tested_blog.mathjax.webfonts: MathJax's fonts cut to the characters the stylesheet
draws, served as WOFF2."""

from __future__ import annotations

import io

import pytest
from fontTools.ttLib import TTFont
from hypothesis import given
from hypothesis import strategies as st
from tested_blog.mathjax import distribution, webfonts

MAIN = distribution.font_dir() / "MathJax_Main-Regular.woff"


def test_drawn_reads_literal_and_escaped_content():
    css = (
        'mjx-c.mjx-c3B1::before { padding: 0.4em 0 0 0; content: "\\3B1"; }\n'
        'mjx-c.mjx-c31::before { content: "1"; }\n'
        'mjx-stretchy-v.mjx-c28 mjx-mid mjx-c::before { content: "\\E151\\E150"; }\n'
        'mjx-c.mjx-c22::before { content: "\\""; }\n'
        'mjx-c.mjx-c5C::before { content: "\\\\"; }\n'
        'mjx-c.mjx-c20::before { content: "\\20 x"; }\n'
        "mjx-box { display: inline-block; }\n"
    )
    assert webfonts.drawn(css) == {"\u03b1", "1", "\ue151", "\ue150", '"', "\\", " ", "x"}


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_characters='"\\\n'), max_size=8))
def test_drawn_decodes_any_escaped_character(text):
    """Whatever the characters, escaping each as MathJax does (hex and a space) reads back."""
    escaped = "".join(f"\\{ord(ch):X} " for ch in text)
    assert webfonts.drawn(f'x::before {{ content: "{escaped}"; }}') == set(text)


def test_served_names_and_the_stylesheets_urls_match():
    assert webfonts.served_name("MathJax_Main-Regular.woff") == "MathJax_Main-Regular.woff2"
    css = (
        '@font-face { font-family: MJXTEX; src: url("fonts/MathJax_Main-Regular.woff")'
        ' format("woff"); }'
    )
    assert webfonts.with_served_fonts(css) == (
        '@font-face { font-family: MJXTEX; src: url("fonts/MathJax_Main-Regular.woff2")'
        ' format("woff2"); }'
    )


def test_a_cut_keeps_exactly_the_asked_characters_the_font_has():
    whole = TTFont(MAIN)
    asked = {"x", "+", "=", "\u2211", "\u4e2d"}  # 中 is in no MathJax font
    cut_bytes = webfonts.subset(MAIN, asked)
    cut = TTFont(io.BytesIO(cut_bytes))
    assert cut.flavor == "woff2"
    assert set(cut.getBestCmap()) == {ord(ch) for ch in asked} & set(whole.getBestCmap())
    assert ord("x") in cut.getBestCmap() and 0x4E2D not in cut.getBestCmap()
    # the glyphs are the source's: same advance widths
    for ch in "x+=":
        name_cut, name_whole = cut.getBestCmap()[ord(ch)], whole.getBestCmap()[ord(ch)]
        assert cut["hmtx"][name_cut] == whole["hmtx"][name_whole]
    assert len(cut_bytes) < MAIN.stat().st_size / 4


def test_a_font_with_none_of_the_characters_is_kept_whole():
    """Cut to nothing, a font has no character map and the browser refuses it."""
    zero = distribution.font_dir() / "MathJax_Zero.woff"
    kept = TTFont(io.BytesIO(webfonts.subset(zero, "abc")))
    assert kept.flavor == "woff2"
    assert set(kept.getBestCmap()) == set(TTFont(zero).getBestCmap()) != set()


def test_a_file_that_is_not_a_font_is_named(tmp_path):
    bad = tmp_path / "broken.woff"
    bad.write_bytes(b"not a font")
    with pytest.raises(webfonts.FontError, match="broken.woff: not a font"):
        webfonts.subset(bad, "x")


def test_the_cache_serves_a_cut_again_and_replaces_an_older_one(tmp_path):
    first = webfonts.cached_subset(MAIN, "ab", tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [webfonts.cache_name(MAIN, "ab")]
    (tmp_path / webfonts.cache_name(MAIN, "ab")).write_bytes(b"from the cache")
    assert webfonts.cached_subset(MAIN, "ba", tmp_path) == b"from the cache"
    second = webfonts.cached_subset(MAIN, "abc", tmp_path)
    assert second != first
    assert [p.name for p in tmp_path.iterdir()] == [webfonts.cache_name(MAIN, "abc")]
