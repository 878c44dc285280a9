"""The stylesheets after the theme's, fetched as one file (tested_blog.stylesheets), style
every page as the files it joins do, in Chromium.

Each page that links a bundle is loaded twice: as built, and with the bundle's link put back
as the links to its members, in order (the page the build would have written without
joining them). Chromium must read the same rules in the same order from both (every rule
of every stylesheet of the page, as its CSS object model writes it, each URL resolved to
the file it reaches), so the cascade is the same for every element; and the window must
show the same pixels, at a phone's and a desktop's width, and in the dark scheme.
"""

from __future__ import annotations

import io
import re

import browser_support as bs
from browser_shared import assert_clean, browser_test
from mkdocs.utils import get_relative_url
from tested_blog.stylesheets import FOLDER, members_of

BUNDLE_LINK = re.compile(
    r'<link rel="stylesheet" href="((?:\.\./)*' + re.escape(FOLDER) + r'bundle\.\w+\.css)">'
)

# Every rule the page's stylesheets hold, in document order, as Chromium parsed them, each
# url() resolved against its stylesheet's address.
RULES_JS = """() => [...document.styleSheets].flatMap(sheet => [...sheet.cssRules].map(rule =>
  rule.cssText.replace(/url\\("([^"]*)"\\)/g,
    (_, url) => 'url("' + new URL(url, sheet.href || document.baseURI).href + '")')))"""


def bundled_pages(built_site, pages: list[str], base_url: str) -> dict[str, list[str]]:
    """Each bundle the site's pages link (its site path) -> the pages that link it."""
    linking: dict[str, list[str]] = {}
    for url in pages:
        html = bs.page_file(built_site, url, base_url).read_text(encoding="utf-8")
        page_path = url[len(base_url) :]
        for href in BUNDLE_LINK.findall(html):
            bundle = re.sub(r"^(?:\.\./)*", "", href)
            linking.setdefault(bundle, []).append(page_path)
    return linking


def unbundled(html: str, page_path: str, members: dict[str, list[str]]) -> str:
    """The page with each bundle's link replaced by links to its ``members``."""

    def links(match: re.Match) -> str:
        bundle = re.sub(r"^(?:\.\./)*", "", match.group(1))
        return "\n".join(
            f'<link rel="stylesheet" href="{get_relative_url(m, page_path)}">'
            for m in members[bundle]
        )

    return BUNDLE_LINK.sub(links, html)


def rules_and_pixels(new_page, url: str, html: str | None, **context_args) -> tuple:
    """The rules Chromium read from the page's stylesheets, and a screenshot of its window;
    ``html`` replaces the page's own HTML when given."""
    page = new_page(url, **context_args)
    if html is not None:
        page.route(url, lambda route: route.fulfill(body=html, content_type="text/html"))
        page.goto(url, wait_until="load")
        page.evaluate("document.fonts.ready.then(() => true)")
        page.wait_for_load_state("networkidle")
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    found = (page.evaluate(RULES_JS), page.screenshot(animations="disabled"))
    page.close()
    return found


def same_pixels(first: bytes, second: bytes) -> bool:
    """The same picture, but for anti-aliasing: with the same rules read, one pixel of a
    tag's rounded corner came out 1 of 255 darker in the dark scheme, every time (a change
    of style moves far more pixels, by far more)."""
    from PIL import Image, ImageChops

    a, b = (Image.open(io.BytesIO(png)).convert("RGB") for png in (first, second))
    if a.size != b.size:
        return False
    return all(high <= 2 for _, high in ImageChops.difference(a, b).getextrema())


def first_difference(a: list[str], b: list[str]) -> str:
    index = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), None)
    if index is None:
        return f"{len(a)} rules against {len(b)}"
    return f"rule {index} differs: {a[index][:120]!r} against {b[index][:120]!r}"


@browser_test
def test_one_stylesheet_file_styles_each_page_as_its_members_do(
    new_page, built_site, pages, server, main_post_url, notebook_pages
):
    base = server.base_url
    linking = bundled_pages(built_site, pages, base)
    assert linking, "no page links a stylesheet bundle"
    members = {
        bundle: members_of((built_site / bundle).read_text(encoding="utf-8")) for bundle in linking
    }
    # every bundle on the first page that links it, and the posts with the most on them
    chosen = {base + urls[0] for urls in linking.values()} | {main_post_url, notebook_pages[0]}
    views = [
        {"viewport": {"width": 390, "height": 844}},
        {"viewport": {"width": 1280, "height": 900}},
        {"viewport": {"width": 1280, "height": 900}, "color_scheme": "dark"},
    ]
    failures = []
    for url in sorted(chosen):
        page_path = url[len(base) :]
        html = bs.page_file(built_site, url, base).read_text(encoding="utf-8")
        members_html = unbundled(html, page_path, members)
        assert members_html != html, f"{url} links no bundle"
        for view in views:
            rules, pixels = rules_and_pixels(new_page, url, None, **view)
            their_rules, their_pixels = rules_and_pixels(new_page, url, members_html, **view)
            if rules != their_rules:
                failures.append(f"{url} {view}: {first_difference(rules, their_rules)}")
            elif not same_pixels(pixels, their_pixels):
                failures.append(f"{url} {view}: the same rules, other pixels")
    # Blind check: the same members in the opposite order do not style the main post alike.
    reversed_of = {bundle: joined[::-1] for bundle, joined in members.items()}
    page_path = main_post_url[len(base) :]
    html = bs.page_file(built_site, main_post_url, base).read_text(encoding="utf-8")
    styles, _ = rules_and_pixels(new_page, main_post_url, None)
    swapped, _ = rules_and_pixels(new_page, main_post_url, unbundled(html, page_path, reversed_of))
    if rules == swapped:
        failures.append("the members in reverse order styled the main post alike: test blind")
    assert_clean(failures, new_page.problems)
