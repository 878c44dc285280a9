"""Regenerate ``docs/assets/fonts/cjk-subset.woff2``: the Chinese glyphs the site uses,
cut from Noto Sans CJK SC, so readers without a Chinese system font see the notes.

The site's stylesheet (``docs/stylesheets/site.css``) loads the file only for characters
in the CJK ranges, and only when no local Chinese font (Noto Sans CJK SC, PingFang SC,
Microsoft YaHei, ...) is there. ``tests/test_site_build.py`` fails when a page uses a
character the file lacks, and says to run this script. It needs a Noto Sans CJK font on
the machine (Debian/Ubuntu: ``apt-get install fonts-noto-cjk``); from the repository root:

    python scripts/subset_cjk_font.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "assets" / "fonts" / "cjk-subset.woff2"
# CJK punctuation, unified ideographs, full-width forms: the ranges site.css hands to it
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
FONTS = [
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf"),
]
SC_INDEX = 2  # Simplified Chinese in the collection: JP, KR, SC, TC, HK


def characters(docs: Path) -> str:
    """Every CJK character of the site's sources (Markdown pages and notebook posts)."""
    found: set[str] = set()
    for path in sorted(docs.rglob("*")):
        if path.suffix in {".md", ".py", ".ipynb", ".yml"} and path.is_file():
            found.update(CJK.findall(path.read_text(encoding="utf-8")))
    return "".join(sorted(found))


def main() -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    source = next((path for path in FONTS if path.is_file()), None)
    if source is None:
        sys.exit("no Noto Sans CJK font found (apt-get install fonts-noto-cjk)")
    font = TTFont(source, fontNumber=SC_INDEX if source.suffix == ".ttc" else -1)
    chars = characters(ROOT / "docs")
    options = subset.Options()
    options.flavor = "woff2"  # Brotli: 51.5 kB where WOFF 1 (zlib) took 56.8 kB
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    font.flavor = "woff2"
    font.save(OUT)
    print(f"wrote {OUT.relative_to(ROOT)}: {len(chars)} characters, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
