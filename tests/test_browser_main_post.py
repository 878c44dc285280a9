"""The main post as a reader uses it in Chromium: search (English and Chinese), code copy,
copying math as TeX, collapsible answers (folded ones not laid out), the light/dark toggle
with readable math, footer and highlighted code, the "tested by" line under every embedded
block, underlined links, and a page that does not move while it loads.
"""

from __future__ import annotations

import re
from pathlib import Path

import browser_support as bs
from browser_shared import (
    MAIN_POST,
    MIN_CONTRAST,
    SCREENSHOTS,
    assert_clean,
    browser_test,
    problems_text,
    same_page,
    screenshot,
)
from conftest import ROOT
from tested_blog import sections
from tested_blog.provenance.lines import embedded_blocks

# The footer's old colour computes as 4.51-4.53 here but 4.47 in Lighthouse (axe blends the
# translucent layers differently): a small margin keeps the two tools' verdicts apart.
MIN_FOOTER_CONTRAST = MIN_CONTRAST + 0.1


# --------------------------------------------------------------------------- helpers


def snippet_section(file: str, section: str) -> str:
    """A named section of a snippets file, as pymdownx.snippets embeds it (dedented, no markers)."""
    path = ROOT / file
    assert path.is_file(), f"embedded file {file} does not exist"
    return sections.section_body(path.read_text(encoding="utf-8"), section)


FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})")


def embedded_code_blocks(markdown: Path) -> list[tuple[str, str]]:
    """(label, expected text) of every fenced block in ``markdown`` made only of section includes."""
    blocks, inner, fence = [], None, None
    for line in markdown.read_text(encoding="utf-8").splitlines():
        match = FENCE.match(line)
        if inner is None:
            if match:
                fence, inner = match.group(2), []
        elif match and match.group(2).startswith(fence) and not line.strip()[len(match.group(2)) :]:
            refs = [sections.split_reference(r.text) for r in sections.references("\n".join(inner))]
            if (
                refs
                and len(refs) == sum(1 for ln in inner if ln.strip())
                and all(name for _, name, _ in refs)
            ):
                label = ", ".join(f"{path}:{name}" for path, name, _ in refs)
                text = "\n".join(snippet_section(path, name) for path, name, _ in refs)
                blocks.append((label, text))
            inner = None
        else:
            inner.append(line)
    return blocks


def run_search(page, query: str) -> list[str]:
    """Type ``query`` into Material's search box; return the hrefs of the results."""
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query)
    # Material reacts to key events; a no-op key makes sure an IME-like insert is seen.
    box.press("End")
    page.wait_for_selector(".md-search-result__item")
    return page.eval_on_selector_all(
        ".md-search-result__item a[href]", "els => els.map(a => a.href)"
    )


# Opens the collapsed answers around an element; returns the ids of the inputs of the tabs
# (outermost first) that must be selected to show it.
REVEAL_JS = """el => {
  for (let d = el.closest('details'); d; d = d.parentElement.closest('details')) d.open = true;
  const tabs = [];
  for (let block = el.closest('.tabbed-block'); block; block = block.parentElement.closest('.tabbed-block')) {
    const set = block.closest('.tabbed-set');
    const index = [...block.parentElement.children].indexOf(block);
    const input = set.querySelectorAll(':scope > input')[index];
    if (input) tabs.unshift(input.id);
  }
  return tabs;
}"""


def reveal(page, locator) -> None:
    """Make ``locator`` visible as a reader would: open its answer, click its tab labels."""
    for tab in locator.evaluate(REVEAL_JS):
        page.locator(f'.tabbed-labels > label[for="{tab}"]').click()


# --------------------------------------------------------------------------- reader features


@browser_test
def test_chinese_notes_are_drawn_with_a_chinese_font(new_page, main_post_url):
    """The notes use the site's Chinese font (a local one, else the subset the site
    serves), which the browser loads once a note is on screen: no empty boxes."""
    page = new_page(main_post_url)
    note = page.get_by_text("中文笔记").first
    note.evaluate("n => { n.closest('details').open = true; n.scrollIntoView(); }")
    statuses = page.evaluate(
        "async () => { await document.fonts.ready; return [...document.fonts]"
        ".filter(f => f.family.includes('Site CJK')).map(f => f.status); }"
    )
    assert statuses == ["loaded"], statuses
    assert page.evaluate("document.fonts.check('16px \"Site CJK\"', '中文笔记')")
    assert_clean([], new_page.problems)


@browser_test
def test_search_finds_english_and_chinese_terms(new_page, server, built_site, pages, main_post_url):
    """'Adam' finds the main post; 优化 found inside a Chinese sentence links to a post that has it."""
    page = new_page(server.base_url)
    hrefs = run_search(page, "Adam")
    assert any(same_page(h, page.url, main_post_url) for h in hrefs), (
        f"searching 'Adam' did not list the main post {main_post_url}: {hrefs}"
    )

    word = "优化"
    in_sentence = re.compile(rf"[\u4e00-\u9fff]{word}|{word}[\u4e00-\u9fff]")
    expected = [
        u
        for u in pages
        if "/blog/" in u
        and in_sentence.search(
            bs.html_text(bs.page_file(built_site, u, server.base_url).read_text("utf-8"))
        )
    ]
    assert expected, (
        f"no post has {word} inside a Chinese sentence: nothing for the search test to find"
    )
    page = new_page(server.base_url)
    hrefs = run_search(page, word)
    assert any(same_page(h, page.url, u) for h in hrefs for u in expected), (
        f"searching {word} listed {hrefs}, none of the posts that contain it: {expected}"
    )
    assert not new_page.problems, problems_text(new_page.problems)


@browser_test
def test_copy_button_copies_the_embedded_code_exactly(new_page, main_post_url):
    """Each snippets section embedded in the main post: its block's copy button puts exactly
    that section (as in the source file, dedented) on the clipboard."""
    blocks = embedded_code_blocks(MAIN_POST)
    assert blocks, f"{MAIN_POST.relative_to(ROOT)} embeds no code section from snippets/"
    page = new_page(main_post_url, permissions=["clipboard-read", "clipboard-write"])
    # Material gives a code block its copy button once the block is in view (content.lazy),
    # naming its code element: data-clipboard-target="#__code_N > code". Each block is
    # brought into view as a reader would: its answer opened, then scrolled to.
    buttons = []
    blocks_on_page = page.locator("article pre")
    for index in range(blocks_on_page.count()):
        block = blocks_on_page.nth(index)
        reveal(page, block)
        block.scroll_into_view_if_needed()
        button = block.locator("button[data-clipboard-target]")
        button.wait_for(state="attached")
        target = button.get_attribute("data-clipboard-target")
        buttons.append((target, page.locator(target).text_content()))
    failures = []
    for label, expected in blocks:
        targets = [target for target, text in buttons if text.strip("\n") == expected]
        if not targets:
            failures.append(
                f"{label}: no code block with a copy button shows this section verbatim"
            )
            continue
        button = page.locator(f'button[data-clipboard-target="{targets[0]}"]')
        reveal(page, button)
        page.evaluate("navigator.clipboard.writeText('')")
        button.click()  # moves the mouse over the block first, as a reader's click does
        copied = page.evaluate("navigator.clipboard.readText()")
        if copied.rstrip() != expected.rstrip():
            failures.append(f"{label}: copied {copied[:200]!r}..., expected {expected[:200]!r}...")
    assert_clean(failures, new_page.problems)


# Selects the paragraph around the first inline formula of the page; returns its TeX.
SELECT_PARAGRAPH_WITH_MATH_JS = """() => {
  const math = [...document.querySelectorAll('article p mjx-container[data-tex]')]
    .find(c => c.getAttribute('display') !== 'true');
  const range = document.createRange();
  range.selectNodeContents(math.closest('p'));
  getSelection().removeAllRanges();
  getSelection().addRange(range);
  return math.getAttribute('data-tex');
}"""


@browser_test
def test_copying_text_with_math_copies_the_formulas_tex(new_page, main_post_url):
    """MathJax draws glyphs with CSS, so docs/javascripts/copy-tex.js puts each selected
    formula's TeX on the clipboard as $...$ in place of the glyphs."""
    page = new_page(main_post_url, permissions=["clipboard-read", "clipboard-write"])
    page.evaluate("document.querySelectorAll('article details').forEach(d => d.open = true)")
    tex = page.evaluate(SELECT_PARAGRAPH_WITH_MATH_JS)
    page.evaluate("navigator.clipboard.writeText('')")
    page.keyboard.press("Control+C")
    copied = page.evaluate("navigator.clipboard.readText()")
    failures = [] if f"${tex}$" in copied else [f"expected ${tex}$ in the copied text {copied!r}"]
    assert_clean(failures, new_page.problems)


@browser_test
def test_collapsible_answers_open_and_close_on_click(new_page, main_post_url):
    page = new_page(main_post_url)
    details = page.locator("article details")
    closed = [i for i in range(details.count()) if not details.nth(i).evaluate("d => d.open")]
    assert closed, "the main post has no collapsed answer (details element)"
    # Open and the answer's first block actually rendered (not only the attribute set).
    state = "d => d.open && d.querySelector(':scope > :not(summary)').checkVisibility()"
    failures = []
    for i in closed:
        item = details.nth(i)
        summary = item.locator(":scope > summary")
        title = summary.inner_text().strip()[:60]
        summary.click()
        if not item.evaluate(state):
            failures.append(f"{title!r}: click did not open it")
        summary.click()
        if item.evaluate("d => d.open"):
            failures.append(f"{title!r}: second click did not close it")
    assert_clean(failures, new_page.problems)


@browser_test
def test_folded_answers_are_not_laid_out(new_page, main_post_url):
    """A folded answer's content has no layout box (display: none, docs/stylesheets/site.css),
    so Material's bundle measuring its code blocks at load forces no layout of hidden
    content (what made the main post block for seconds); opened, it is laid out."""
    page = new_page(main_post_url)
    folded = page.locator("article details:not([open])")
    assert folded.count(), "the main post has no folded answer"
    content_display = "d => getComputedStyle(d, '::details-content').display"
    code_width = "d => { const c = d.querySelector('pre > code'); return c ? c.clientWidth : -1 }"
    with_code = [i for i in range(folded.count()) if folded.nth(i).evaluate(code_width) != -1]
    assert with_code, "no folded answer holds a code block"
    item = folded.nth(with_code[0]).element_handle()  # this element, once opened too
    assert item.evaluate(content_display) == "none"
    assert item.evaluate(code_width) == 0
    item.query_selector(":scope > summary").click()
    assert item.evaluate("d => d.open") and item.evaluate(content_display) != "none"
    assert item.evaluate(code_width) > 0
    assert_clean([], new_page.problems)


# Text colour of the footer's copyright lines, and the background a reader sees behind them:
# every (possibly translucent) background from the root down, blended over white.
FOOTER_COLORS_JS = """() => {
  const rgba = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const behind = el => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) layers.unshift(rgba(getComputedStyle(e).backgroundColor));
    let [r, g, b] = [255, 255, 255];
    for (const [lr, lg, lb, la = 1] of layers.filter(l => l.length >= 3)) {
      [r, g, b] = [lr * la + r * (1 - la), lg * la + g * (1 - la), lb * la + b * (1 - la)];
    }
    return `rgb(${r}, ${g}, ${b})`;
  };
  return [...document.querySelectorAll('.md-copyright, .md-copyright *')]
    .filter(el => [...el.childNodes].some(n => n.nodeType === 3 && n.nodeValue.trim()))
    .map(el => ({text: [...el.childNodes].filter(n => n.nodeType === 3)
                   .map(n => n.nodeValue.trim()).join(' ').trim().slice(0, 40),
                 color: getComputedStyle(el).color,
                 background: behind(el)}));
}"""


@browser_test
def test_palette_toggle_switches_scheme_and_math_stays_readable(new_page, main_post_url):
    """The palette toggle switches default <-> slate; math and footer text contrast >= 4.5
    in both schemes."""
    page = new_page(main_post_url)
    assert page.locator("mjx-container").count() > 0, "the main post shows no typeset math"
    failures = []

    def check_math_contrast(scheme: str) -> None:
        page.wait_for_function(
            f"() => document.body.getAttribute('data-md-color-scheme') === '{scheme}'"
        )
        pairs = {}
        for item in page.evaluate(bs.MATH_COLORS_JS):
            pairs.setdefault((item["color"], item["background"]), item["tex"])
        for (color, background), tex in pairs.items():
            ratio = bs.contrast_ratio(color, background)
            if ratio < MIN_CONTRAST:
                failures.append(
                    f"{scheme}: math {tex!r} in {color} on {background}: contrast {ratio:.2f}"
                )

    def check_footer_contrast(scheme: str) -> None:
        # docs/stylesheets/site.css: the copyright lines measured 4.47 on slate (Lighthouse).
        for item in page.evaluate(FOOTER_COLORS_JS):
            ratio = bs.contrast_ratio(item["color"], item["background"])
            if ratio < MIN_FOOTER_CONTRAST:
                failures.append(
                    f"{scheme}: footer {item['text']!r} in {item['color']} on "
                    f"{item['background']}: contrast {ratio:.2f}"
                )

    toggle = page.locator("form[data-md-component=palette] label:visible")
    check_math_contrast("default")
    check_footer_contrast("default")
    toggle.first.click()
    check_math_contrast("slate")
    check_footer_contrast("slate")
    # Dark mode, first answer opened: one screen is enough to judge the contrast by eye.
    page.locator("article details").first.evaluate("d => { d.open = true; d.scrollIntoView(); }")
    screenshot(page, "main-post-dark.png", full_page=False)
    toggle.first.click()
    check_math_contrast("default")
    assert_clean(failures, new_page.problems)


@browser_test
def test_screenshots_of_main_post_and_an_executable_post(new_page, main_post_url, notebook_pages):
    """Full-page PNGs for a person to look at (answers opened so the math shows)."""
    page = new_page(main_post_url)
    page.evaluate("document.querySelectorAll('article details').forEach(d => d.open = true)")
    saved = [screenshot(page, "main-post.png")]
    page = new_page(sorted(notebook_pages)[0])
    bs.load_lazy_figures(page)
    saved.append(screenshot(page, "executable-post.png"))
    for path in saved:
        assert path.stat().st_size > 10_000, f"{path} looks empty"


# The "tested by" line of an embedded block and the block above it, as one element list.
TESTED_BY_JS = """() => [...document.querySelectorAll('article p.tested-by')].map(p => ({
  text: p.textContent.trim().slice(0, 60),
  under_code: !!p.previousElementSibling
    && p.previousElementSibling.classList.contains('highlight'),
}))"""


@browser_test
def test_tested_by_lines_sit_under_the_code_and_read_in_both_schemes(new_page, main_post_url):
    """Every embedded block of the main post has its line right under it; the line and its
    links keep a contrast >= 4.5 in both schemes. Screenshots of the first block with its
    line: tested-by-line.png (light) and tested-by-line-dark.png."""
    page = new_page(main_post_url)
    page.evaluate("document.querySelectorAll('article details').forEach(d => d.open = true)")
    lines = page.evaluate(TESTED_BY_JS)
    expected = sum(len(b.refs) > 0 for b in embedded_blocks(MAIN_POST.read_text(encoding="utf-8")))
    assert len(lines) == expected > 0, f"{len(lines)} lines for {expected} embedded blocks"
    failures = [
        f"not right under a code block: {line['text']!r}"
        for line in lines
        if not line["under_code"]
    ]
    first = page.locator("article p.tested-by").first
    toggle = page.locator("form[data-md-component=palette] label:visible")
    for scheme, name in (("default", "tested-by-line.png"), ("slate", "tested-by-line-dark.png")):
        if scheme == "slate":
            toggle.first.click()
        page.wait_for_function(
            f"() => document.body.getAttribute('data-md-color-scheme') === '{scheme}'"
        )
        for item in page.evaluate(bs.TEXT_COLORS_JS, "article p.tested-by, article p.tested-by a"):
            ratio = bs.contrast_ratio(item["color"], item["background"])
            if ratio < MIN_CONTRAST:
                failures.append(
                    f"{scheme}: {item['text']!r} in {item['color']} on "
                    f"{item['background']}: contrast {ratio:.2f}"
                )
        first.evaluate("p => p.scrollIntoView({block: 'center'})")  # below the sticky header
        code, line = (
            first.locator("xpath=preceding-sibling::*[1]").bounding_box(),
            first.bounding_box(),
        )  # in viewport coordinates
        top = max(code["y"] - 16, 0)
        clip = {
            "x": max(min(code["x"], line["x"]) - 16, 0),
            "y": top,
            "width": max(code["width"], line["width"]) + 32,
            "height": line["y"] + line["height"] + 16 - top,
        }
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / name), clip=clip, animations="disabled")
    toggle.first.click()
    assert_clean(failures, new_page.problems)


@browser_test
def test_highlighted_code_reads_in_both_schemes(new_page, notebook_pages, main_post_url):
    """Every token colour of the highlighted code (comments and docstrings included, which
    Material draws at about 4.2:1) has a contrast of at least 4.5 on the code background,
    in the light and the dark scheme; answers opened on the main post."""
    failures, checked = [], 0
    for url in (main_post_url, sorted(notebook_pages)[0]):
        for scheme in ("light", "dark"):
            page = new_page(url, color_scheme=scheme)
            page.evaluate(
                "document.querySelectorAll('article details').forEach(d => d.open = true)"
            )
            seen = set()
            for text, color, background in page.evaluate(
                bs.TEXT_ON_BACKGROUND_JS, ".highlight code span[class]"
            ):
                if not text or (color, background) in seen:
                    continue
                seen.add((color, background))
                ratio = bs.contrast_ratio(color, background)
                if ratio < MIN_CONTRAST:
                    failures.append(
                        f"{url} {scheme}: {text!r} in {color} on {background}: {ratio:.2f}"
                    )
            checked += len(seen)
    assert checked > 4, "no highlighted code found"
    assert_clean(failures, new_page.problems)


@browser_test
def test_links_in_running_text_are_underlined(new_page, notebook_pages, main_post_url):
    """A link inside a paragraph, list item or table cell is told apart from the text
    around it by an underline, not by its colour alone (WCAG 1.4.1)."""
    failures, checked = [], 0
    for url in (main_post_url, sorted(notebook_pages)[0]):
        page = new_page(url)
        links = page.evaluate(
            """() => [...document.querySelectorAll(
                 'article :is(p, li, td, dd) > a:not(.md-button)')]
               .filter(a => a.checkVisibility() && a.textContent.trim())
               .map(a => [a.textContent.trim().slice(0, 40), getComputedStyle(a).textDecorationLine])"""
        )
        checked += len(links)
        failures += [
            f"{url}: {text!r} has text-decoration {line!r}"
            for text, line in links
            if "underline" not in line
        ]
    assert checked, "no link in running text found"
    assert_clean(failures, new_page.problems)


LAYOUT_SHIFTS_INIT = """window.__shifts = [];
new PerformanceObserver(list => {
  for (const e of list.getEntries()) window.__shifts.push({value: e.value,
    nodes: e.sources.map(s => s.node ? s.node.nodeName + '.' + (s.node.className || '') : '?'),
    article: e.sources.some(s => s.node && s.node.closest && !!s.node.closest('article'))});
}).observe({type: 'layout-shift', buffered: true});"""


@browser_test
def test_the_main_post_does_not_move_while_it_loads(new_page, main_post_url):
    """On a phone-sized screen, the post's text does not move once painted: the quiz bar
    comes with the page and the script only wires it up. Before, quiz.js built the bar after
    the first paint and pushed the post down (layout shift 0.22). Only shifts of the
    article's own content count: when the first paint comes before Material's bundle runs
    (a loaded machine), the bundle then places the post's sidebar, which is Material's."""
    page = new_page(main_post_url, viewport={"width": 412, "height": 823}, is_mobile=True)
    page.add_init_script(LAYOUT_SHIFTS_INIT)
    page.reload(wait_until="load")
    page.wait_for_function("() => document.querySelector('.quiz-bar').dataset.ready")
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_timeout(500)  # shifts are reported after the frame that made them
    shifts = [s for s in page.evaluate("window.__shifts") if s["article"]]
    total = sum(s["value"] for s in shifts)
    assert total < 0.05, f"layout shift {total:.3f}: {shifts}"
    assert page.get_by_role("region", name="Quiz mode").is_visible()
    assert_clean([], new_page.problems)
