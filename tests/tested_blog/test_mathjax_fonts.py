"""tested_blog.mathjax.fonts: the fonts a page's math uses."""

from __future__ import annotations

import re

from tested_blog.mathjax import distribution
from tested_blog.mathjax.fonts import FONT_FILES, families, files
from tested_blog.mathjax.node import find_node
from tested_blog.mathjax.process import MathJaxProcess


def test_the_font_table_is_mathjaxs_and_the_files_ship_with_it():
    process = MathJaxProcess(find_node(), distribution.es5_dir())
    try:
        process.render([("x", False)])
        css = " ".join(process.stylesheet().split())
    finally:
        process.close()
    faces = dict(re.findall(r'font-family: (MJX[\w-]+); src: url\("fonts/([^"]+)"\)', css))
    assert faces == FONT_FILES
    for variant in re.findall(r"\.TEX-(\w+) \{ font-family: MJXZERO, (MJX[\w-]+); \}", css):
        assert f"MJXTEX-{variant[0]}" == variant[1]
    assert all((distribution.font_dir() / name).is_file() for name in FONT_FILES.values())


def test_families_follow_the_variant_classes():
    markup = (
        '<mjx-container><mjx-c class="mjx-c1D465 TEX-I"></mjx-c>'
        '<mjx-c class="mjx-c4C TEX-C"></mjx-c><mjx-c class="mjx-c32"></mjx-c>'
        "</mjx-container>"
    )
    assert families(markup) == {"MJXZERO", "MJXTEX", "MJXTEX-I", "MJXTEX-C"}
    stretchy = "<mjx-container><mjx-stretchy-v><mjx-c></mjx-c></mjx-stretchy-v></mjx-container>"
    assert {"MJXTEX-S1", "MJXTEX-S4", "MJXTEX-A"} <= families(stretchy)
    assert families("<p>no math, TEX-I in prose</p>") == set()
    assert files({"MJXZERO", "MJXTEX-I"}) == ["MathJax_Math-Italic.woff", "MathJax_Zero.woff"]
