"""tested_blog.mathjax.distribution: the installed MathJax 3 has what the build needs."""

from __future__ import annotations

import json

from tested_blog.mathjax import distribution


def test_the_distribution_holds_node_main_and_the_chtml_fonts():
    root = distribution.package_root()
    assert (distribution.es5_dir() / "node-main.js").is_file()
    fonts = sorted(p.name for p in distribution.font_dir().glob("*.woff"))
    assert "MathJax_Main-Regular.woff" in fonts and len(fonts) >= 20, fonts
    assert distribution.es5_dir() == root / "es5"


def test_version_is_the_package_json_one():
    root = distribution.package_root()
    expected = json.loads((root / "package.json").read_text(encoding="utf-8"))["version"]
    assert distribution.version() == expected
    assert expected.split(".")[0] == "3"
