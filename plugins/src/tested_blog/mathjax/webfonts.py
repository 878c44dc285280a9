"""MathJax's CHTML fonts as the site serves them: each cut down to the characters the
site's stylesheet can draw, and compressed as WOFF2.

MathJax's CHTML output draws every glyph from a ``content:`` rule of its stylesheet
(``mjx-c.mjx-c3B1::before { content: "\\3B1" }``), and its adaptive CSS has a rule for
each character of the formulas it typeset. So the characters of those rules are all a
font can be asked for. Which font a rule draws with depends on the element's classes and
on inheritance, so each font keeps every drawn character it has: more than it needs, never
a missing glyph. ``subset`` checks that on the result.

MathJax 3.2 ships the fonts as WOFF 1 (zlib); WOFF2 (Brotli) is smaller for the same
glyphs, and every browser that runs Material's scripts reads it.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
from collections.abc import Iterable
from pathlib import Path

# fontTools is imported where a font is cut, so importing this module (or building a site
# without math) does not load it.

CONTENT = re.compile(r'content:\s*"((?:[^"\\]|\\.)*)"')
ESCAPE = re.compile(r"\\([0-9A-Fa-f]{1,6}) ?|\\(.)", re.S)
# The stylesheet names fonts as MathJax writes them (typeset.js sets fontURL to "fonts").
SOURCE_URL = re.compile(r'url\("fonts/([\w-]+)\.woff"\) format\("woff"\)')
# A table of FontForge's (FFTM: its timestamps) that fontTools cannot cut and would warn of.
DROPPED_TABLES = ("FFTM",)


class FontError(RuntimeError):
    """A font could not be cut, or its cut lost a glyph the stylesheet draws."""


def drawn(css: str) -> set[str]:
    """Every character a ``content:`` declaration of ``css`` draws, CSS escapes decoded."""

    def unescape(match: re.Match[str]) -> str:
        code, literal = match.groups()
        return chr(int(code, 16)) if code else literal

    return {ch for value in CONTENT.findall(css) for ch in ESCAPE.sub(unescape, value)}


def served_name(source_name: str) -> str:
    """The file the site serves for MathJax's ``source_name`` (``X.woff`` -> ``X.woff2``)."""
    return Path(source_name).with_suffix(".woff2").name


def with_served_fonts(css: str) -> str:
    """``css`` with its @font-face sources pointing at the served WOFF2 files."""
    return SOURCE_URL.sub(lambda m: f'url("fonts/{m.group(1)}.woff2") format("woff2")', css)


# A font this small (MathJax's Zero font, 696 bytes cut) costs less in the stylesheet than
# its own request: the first paint of a page with math waits for it, and on a phone's
# connection a request is a round trip (Lighthouse's first paint of the main post: 1.36 s
# with the file, 1.21 s with the font in the stylesheet).
INLINE_BYTES = 1024


def with_inlined_font(css: str, served: str, data: bytes) -> str:
    """``css`` with the served font file ``served`` written into it as a data: URL."""
    url = "data:font/woff2;base64," + base64.b64encode(data).decode("ascii")
    return css.replace(f'url("fonts/{served}")', f'url("{url}")')


def cache_name(source: Path, characters: Iterable[str]) -> str:
    """A file name for the cut of ``source`` to ``characters``: changes with either, and
    with fontTools' version."""
    from fontTools import version as fonttools_version

    digest = hashlib.sha256(source.read_bytes())
    digest.update("".join(sorted(set(characters))).encode("utf-8", "surrogatepass"))
    digest.update(fonttools_version.encode())
    return f"{source.stem}-{digest.hexdigest()[:16]}.woff2"


def subset(source: Path, characters: Iterable[str]) -> bytes:
    """``source`` (a WOFF or OpenType font) cut to the glyphs of ``characters`` it has, as
    WOFF2 bytes. Raises FontError if a character the font had is missing from the cut.

    A font that has none of ``characters`` is kept whole: cut to nothing it would have no
    character map, and browsers refuse such a font (MathJax's Zero font, first in every
    family list, holds one zero-width glyph the stylesheet never draws)."""
    from fontTools import subset as fonttools_subset
    from fontTools.ttLib import TTFont, TTLibError

    try:
        font = TTFont(source)
    except (OSError, TTLibError) as exc:
        raise FontError(f"{source}: not a font fontTools can read ({exc})") from exc
    had = font.getBestCmap()
    wanted = sorted({ord(ch) for ch in characters} & had.keys()) or sorted(had)
    options = fonttools_subset.Options()
    options.drop_tables = [*options.drop_tables, *DROPPED_TABLES]
    subsetter = fonttools_subset.Subsetter(options)
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)
    lost = [code for code in wanted if code not in font.getBestCmap()]
    if lost:
        listed = ", ".join(f"U+{code:04X}" for code in lost)
        raise FontError(f"cutting {source.name} lost characters the stylesheet draws: {listed}")
    font.flavor = "woff2"  # needs Brotli
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def cached_subset(source: Path, characters: Iterable[str], cache_dir: Path) -> bytes:
    """``subset(source, characters)``, kept in ``cache_dir`` between builds. Older cuts of
    the same font are removed when a new one is written."""
    characters = set(characters)
    target = cache_dir / cache_name(source, characters)
    if target.is_file():
        return target.read_bytes()
    data = subset(source, characters)
    cache_dir.mkdir(parents=True, exist_ok=True)
    for old in cache_dir.glob(f"{source.stem}-*.woff2"):
        old.unlink()
    target.write_bytes(data)
    return data
