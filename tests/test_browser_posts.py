"""The posts as a set, in Chromium: the executable posts' figures, the formulas drawn with
the cut MathJax fonts as with the whole ones, previous/next links under the sub-path, Open
Graph and Twitter tags, and each notebook post's downloads, which re-run to the outputs
they carry.
"""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import browser_support as bs
from browser_shared import (
    assert_clean,
    browser_test,
    render_skipped,
    screenshot,
)
from conftest import (
    ROOT,
    SITE_URL,
    front_matter,
    posts,
    unmeasured,
)


@browser_test
def test_executable_posts_show_their_figures(new_page, notebook_pages):
    """Each notebook post shows at least one figure and every image on it loads once the
    reader scrolls to it (figures load lazily, so each is brought into view first)."""
    failures = []
    for url in notebook_pages:
        page = new_page(url)
        bs.load_lazy_figures(page)
        page.wait_for_function("() => [...document.images].every(img => img.complete)")
        figures = page.eval_on_selector_all(
            "article img:not(.md-author img, .md-post__authors img)",
            "els => els.map(i => i.naturalWidth)",
        )
        broken = page.eval_on_selector_all(
            "img", "els => els.filter(i => i.naturalWidth === 0).map(i => i.src.slice(0, 80))"
        )
        if not figures:
            failures.append(f"{url}: no figure in the post")
        if broken:
            failures.append(f"{url}: images that did not load: {broken}")
    assert_clean(failures, new_page.problems)


def drawn_formulas(new_page, url: str, fonts: dict[str, bytes] | None = None) -> list:
    """Each formula of the post as Chromium draws it (every answer open, nothing skipped by
    content-visibility, fonts loaded): a list of (box in the article, image) pairs.
    ``fonts`` (served name -> bytes) replaces the MathJax fonts the site serves."""
    from PIL import Image

    def serve(route):
        route.fulfill(body=fonts[route.request.url.rsplit("/", 1)[-1]], content_type="font/woff2")

    page = new_page(url, viewport={"width": 800, "height": 900})
    if fonts is not None:  # routing also turns the context's HTTP cache off
        page.route("**/assets/mathjax/fonts/*.woff2", serve)
        page.goto(url, wait_until="load")
    render_skipped(page)
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    page.evaluate("document.fonts.ready.then(() => document.fonts.size)")
    boxes = page.evaluate(
        """() => {
          const origin = document.querySelector('article').getBoundingClientRect();
          return [...document.querySelectorAll('article mjx-container')].map(m => {
            const r = m.getBoundingClientRect();
            return [r.left - origin.left, r.top - origin.top, r.right - origin.left,
                    r.bottom - origin.top].map(Math.round);
          });
        }"""
    )
    shot = Image.open(io.BytesIO(page.locator("article").screenshot(animations="disabled")))
    page.close()
    return [(tuple(box), shot.convert("RGB").crop(box)) for box in boxes]


def same_drawing(first: list, second: list) -> bool:
    from PIL import ImageChops

    return len(first) == len(second) and all(
        box_a == box_b and ImageChops.difference(a, b).getbbox() is None
        for (box_a, a), (box_b, b) in zip(first, second, strict=True)
    )


@browser_test
def test_the_cut_math_fonts_draw_every_formula_as_the_whole_fonts_do(
    new_page, main_post_url, notebook_pages, built_site
):
    """The site serves MathJax's fonts cut to the characters its stylesheet draws
    (tested_blog.mathjax.webfonts). Every formula of every post with math, drawn with
    those and then with MathJax's whole fonts, is in the same place with the same pixels;
    and a cut that lost one drawn glyph (the italic x) does not draw the same, so the
    comparison sees a missing glyph."""
    from tested_blog.mathjax import distribution, webfonts

    def source(name: str) -> Path:  # MathJax's own file, as its distribution ships it
        return distribution.font_dir() / name.removesuffix("2")

    served = {p.name: p.read_bytes() for p in (built_site / "assets/mathjax/fonts").iterdir()}
    whole = {name: source(name).read_bytes() for name in served}
    drawn = webfonts.drawn((built_site / "assets" / "mathjax" / "chtml.css").read_text())
    italic = "MathJax_Math-Italic.woff2"
    broken = {**served, italic: webfonts.subset(source(italic), drawn - {"x"})}
    failures = []
    for url in [main_post_url, *notebook_pages]:
        cut = drawn_formulas(new_page, url)
        if not cut:
            failures.append(f"{url}: no formula found")
        elif not same_drawing(cut, drawn_formulas(new_page, url, whole)):
            failures.append(f"{url}: a formula is drawn differently with the cut fonts")
        if url == main_post_url and same_drawing(cut, drawn_formulas(new_page, url, broken)):
            failures.append("a cut without the italic x drew the main post the same: test blind")
    assert_clean(failures, new_page.problems)


# Scrolls through the page half a screen at a time (each step painted), back to the top;
# returns where each block of the article is: [tag, top, height] in page pixels.
BLOCKS_AFTER_SCROLLING_JS = """async () => {
  const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  for (let y = 0; y < document.body.scrollHeight; y += innerHeight / 2) {
    scrollTo(0, y);
    await frame();
  }
  scrollTo(0, 0);
  await frame();
  return [...document.querySelectorAll('article.md-content__inner > *')].map(e => {
    const r = e.getBoundingClientRect();
    return [e.tagName, Math.round(r.top + scrollY), Math.round(r.height)];
  });
}"""


@browser_test
def test_skipping_offscreen_blocks_moves_nothing(new_page, main_post_url, notebook_pages):
    """docs/stylesheets/site.css lets the browser skip code blocks and displayed formulas
    while they are off screen (content-visibility: auto). Once a reader has scrolled
    through a post, at a phone's and a desktop's width, every block of it is where it is
    with nothing skipped."""
    failures = []
    for width in (390, 1280):
        for url in [main_post_url, *notebook_pages]:
            placed = []
            for skipping in (True, False):
                page = new_page(url, viewport={"width": width, "height": 800})
                if not skipping:
                    render_skipped(page)
                placed.append(page.evaluate(BLOCKS_AFTER_SCROLLING_JS))
                page.close()
            moved = [(a, b) for a, b in zip(*placed, strict=False) if a != b]
            if len(placed[0]) != len(placed[1]) or moved:
                failures.append(f"{url} at {width} px: blocks moved, e.g. {moved[:2]}")
    assert_clean(failures, new_page.problems)


def post_sources() -> list[tuple[Path, dict]]:
    return [(p, front_matter(p)) for p in posts()]


def created(meta: dict) -> str:
    date = meta["date"]["created"] if isinstance(meta["date"], dict) else meta["date"]
    return date.isoformat()


def post_url(base: str, meta: dict) -> str:
    return f"{base}blog/{meta['slug']}/"


@browser_test
def test_previous_and_next_posts_resolve_under_the_sub_path(new_page, server):
    """Each post links to the older and newer post of its category (front-matter dates):
    each link, resolved against the post's URL as the browser resolves it, is that post's
    URL under the sub-path (every post is loaded here, so each one answers there), and
    clicking one opens it."""
    sources = post_sources()
    failures, resolved, clickable = [], 0, None
    for path, meta in sources:
        category = meta["categories"][0]
        same = sorted((created(m), m["slug"]) for _, m in sources if category in m["categories"])
        at = same.index((created(meta), meta["slug"]))
        expected = {
            "prev": same[at - 1][1] if at > 0 else None,
            "next": same[at + 1][1] if at + 1 < len(same) else None,
        }
        page = new_page(post_url(server.base_url, meta))
        for rel, slug in expected.items():
            links = page.locator(f'nav.post-neighbours a[rel="{rel}"]')
            if slug is None:
                if links.count():
                    failures.append(f"{path.name}: has a {rel} link, but ends {category}")
                continue
            if links.count() != 1:
                failures.append(f"{path.name}: no {rel} link (expected {slug})")
                continue
            target = post_url(server.base_url, {"slug": slug})
            href = links.evaluate("a => a.href")  # as the browser resolved it
            if href != target:
                failures.append(f"{path.name}: {rel} link {href} is not {target}")
                continue
            resolved += 1
            if clickable is None:
                clickable = (post_url(server.base_url, meta), rel, target)
        if expected == {"prev": None, "next": None} and page.locator("nav.post-neighbours").count():
            failures.append(f"{path.name}: alone in {category}, yet shows neighbour links")
    assert resolved >= 4, f"only {resolved} neighbour links: few posts share a category"
    assert clickable is not None
    source, rel, target = clickable
    page = new_page(source)
    # Leaving a page while its lazy figures load would abort them (and report that): load
    # them all first, then follow the link.
    page.evaluate("document.querySelectorAll('img').forEach(i => i.loading = 'eager')")
    page.wait_for_function("() => [...document.images].every(i => i.complete)")
    with page.expect_navigation():
        page.locator(f'nav.post-neighbours a[rel="{rel}"]').click()
    page.wait_for_load_state("networkidle")
    if page.url != target or not page.locator("article h1").count():
        failures.append(f"following {rel} from {source} ended at {page.url}, not {target}")
    assert_clean(failures, new_page.problems)


@browser_test
def test_open_graph_and_twitter_tags_on_each_post(new_page, server):
    failures = []
    for path, meta in post_sources():
        page = new_page(post_url(server.base_url, meta))
        tags: dict[str, list[str]] = {}
        for key, content in page.eval_on_selector_all(
            "head meta[property], head meta[name^='twitter:']",
            "els => els.map(m => [m.getAttribute('property') || m.getAttribute('name'),"
            " m.getAttribute('content')])",
        ):
            tags.setdefault(key, []).append(content)
        title = page.locator("article h1").first.evaluate(
            "h => [...h.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent)"
            ".join('').trim()"
        )
        description = " ".join(meta["description"].split())
        want = {
            "og:type": ["article"],
            "og:title": [title],
            "twitter:title": [title],
            "og:url": [SITE_URL + f"blog/{meta['slug']}/"],
            "og:description": [description],
            "twitter:description": [description],
            "twitter:card": ["summary"],
            "og:site_name": ["ML Interview Q&A"],
            "article:section": [meta["categories"][0]],
            "article:tag": meta.get("tags", []),
        }
        for key, value in want.items():
            if tags.get(key) != value:
                failures.append(f"{path.name}: {key} = {tags.get(key)}, expected {value}")
        published = tags.get("article:published_time", [""])
        if len(published) != 1 or not published[0].startswith(created(meta)):
            failures.append(
                f"{path.name}: article:published_time {published}, expected {created(meta)}"
            )
    assert_clean(failures, new_page.problems)


@browser_test
def test_downloaded_notebooks_execute_to_the_outputs_they_carry(new_page, notebook_pages, tmp_path):
    """Each notebook post's download links give its executed .ipynb, its .py and the files
    of its folder it needs (a helper module it imports); the .ipynb, run again with
    nbclient beside those files (snippets importable, as after the install its first cell
    gives), prints exactly what it carries, and the .py holds the same cells."""
    import jupytext
    import nbformat
    from notebook_sites import comparable_outputs, rerun

    failures, downloaded = [], {}
    for url in notebook_pages:
        page = new_page(url, accept_downloads=True)
        note = page.locator(".admonition", has_text="Run this post yourself")
        folder = tmp_path / urlsplit(url).path.strip("/").replace("/", "-")
        saved = []
        links = note.locator("a[download]")
        for i in range(links.count()):  # every file, as a reader saves them side by side
            with page.expect_download() as caught:
                links.nth(i).click()
            target = folder / caught.value.suggested_filename
            target.parent.mkdir(parents=True, exist_ok=True)
            caught.value.save_as(target)
            saved.append(target)
        notebooks = [path for path in saved if path.suffix == ".ipynb"]
        assert len(notebooks) == 1, f"{url}: download links {[p.name for p in saved]}"
        script = notebooks[0].with_suffix(".py")
        assert script in saved, f"{url}: no {script.name} among {[p.name for p in saved]}"
        files = {".ipynb": notebooks[0], ".py": script}
        # the text as shown once scrolled to: a block skipped off screen has no rendered
        # text (innerText) until then
        render_skipped(page)
        downloaded[url] = (files, page.locator("article").inner_text())
    # the notebooks run again side by side, each in a kernel of its own (coverage paused
    # here, on the main thread, so the pool's threads start untraced)
    with unmeasured(), ThreadPoolExecutor(max_workers=len(downloaded)) as pool:
        reruns = {
            url: pool.submit(rerun, files[".ipynb"], pythonpath=ROOT)
            for url, (files, _) in downloaded.items()
        }
    for url, (files, page_text) in downloaded.items():
        carried = nbformat.read(files[".ipynb"], as_version=4)
        if "pip install" not in carried.cells[0].source:
            failures.append(f"{url}: its first cell does not say how to install snippets")
        for cell_outputs in comparable_outputs(carried):
            for kind, _name, text in cell_outputs:
                if kind == "stream" and text.strip().splitlines()[0] not in page_text:
                    failures.append(f"{url}: notebook output {text[:60]!r} is not on the page")
        expected = comparable_outputs(carried)
        if not any(expected):
            failures.append(f"{url}: the downloaded notebook carries no outputs")
        again = comparable_outputs(reruns[url].result())
        if again != expected:
            diff = [
                (i, a, b) for i, (a, b) in enumerate(zip(expected, again, strict=False)) if a != b
            ][:2]
            failures.append(f"{url}: re-run outputs differ from the carried ones: {diff}")
        script = jupytext.read(files[".py"], fmt="py:percent")
        if [c.source for c in script.cells] != [c.source for c in carried.cells]:
            failures.append(f"{url}: the .py download does not hold the notebook's cells")
    assert_clean(failures, new_page.problems)


@browser_test
def test_screenshots_of_neighbours_and_downloads(new_page, notebook_pages):
    page = new_page(sorted(notebook_pages)[-1])
    page.locator(".admonition", has_text="Run this post yourself").evaluate(
        "n => n.scrollIntoView({block: 'center'})"
    )
    saved = [screenshot(page, "notebook-downloads.png", full_page=False)]
    page.locator("nav.post-neighbours").evaluate("n => n.scrollIntoView({block: 'center'})")
    saved.append(screenshot(page, "post-neighbours.png", full_page=False))
    page = new_page(sorted(notebook_pages)[-1], color_scheme="dark")
    page.locator("nav.post-neighbours").evaluate("n => n.scrollIntoView({block: 'center'})")
    saved.append(screenshot(page, "post-neighbours-dark.png", full_page=False))
    for path in saved:
        assert path.stat().st_size > 10_000, f"{path} looks empty"
