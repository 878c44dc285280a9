"""Build speed of the site and page weight of the main post. Prints; asserts nothing.

    python benchmarks/bench_site.py [--posts 200] [--rounds 3] [--no-browser] [--notebooks-only]
    python benchmarks/bench_site.py --reader-only [--site DIR] [--runs 5] [--rates 1 4]

1. Cold build of the real site (``mkdocs build --strict`` into an empty directory;
   notebook posts come from tested/notebooks's cache when it is warm, see its log line).
2. The site plus N generated posts (inline and display math, two embedded snippet
   sections and a short Chinese note each), built with this repository's mkdocs.yml and
   with a bare Material configuration from the same docs/ tree. "Bare" is Material with
   its blog and search plugins and only the Markdown extensions the posts need to render
   the same content (pymdownx.snippets for the embedded code, highlight + superfences to
   highlight it, arithmatex for the math): no other plugin, extension, hook or option.
   The notebook posts are replaced by stub Markdown posts with their front matter (they
   are timed in part 4; the main post links to them). Each configuration also builds the
   same tree without the N posts, so the cost of the posts themselves is
   ``build(site + N) - build(site)``. Target: ours / bare <= 1.15 for that per-post cost
   at N = 200. The whole-build ratio is printed beside it: it also contains constant
   costs that are not about posts (mkdocstrings importing and rendering the API
   reference page, the RSS plugin importing GitPython, writing the math stylesheet), which
   part 1 already reports. All builds are separate ``mkdocs build`` processes timed in CPU
   seconds, alternating, ``--rounds`` times each; the fastest of each is used.
3. Page weight of the main post: HTML + the CSS, JS and images its tags reference + the
   MathJax fonts it needs. File-based (always): from the built files, fonts counted as
   all the CHTML fonts in assets/mathjax/ (an upper bound). Browser-measured (when
   Chromium is available): every response Chromium receives when it loads the page and
   opens every answer, so the fonts are exactly those used. Both raw and gzip-compressed
   (what GitHub Pages sends for text files; fonts and images are already compressed).
   Target: <= 1.6 MB.

4. Notebook posts (tested/notebooks), in a copy of the repository with an empty cache:
   cold build with all notebooks executed; rebuild with nothing changed; after touching
   a Markdown post; after editing one ``snippets`` module (which notebooks re-ran).
   Rebuilds are timed twice. As ``mkdocs serve`` does them (the author's loop): one
   long-lived process that loads the configuration afresh and calls
   ``mkdocs.commands.build.build`` again after each change, like the builder in
   mkdocs/commands/serve.py (imports, jieba's dictionary and compiled templates stay
   loaded); the rebuild targets apply to this figure. And as separate ``mkdocs build``
   processes (which also pay Python start-up, imports and jieba's ~0.7 s dictionary
   load), printed for transparency.
   Targets: cold <= 15 s, unchanged and Markdown-edit rebuilds <= 2 s. The cold build
   here is cold for the math too (no .cache/mathjax in the copy); each line also says how
   many formulas tested/math had to typeset (0 on an unchanged rebuild).
   ``--notebooks-only`` runs just this part (and part 6).

5. The main post as a reader's Chromium loads it, served locally (no network latency), at
   1x and 4x CPU throttling (CDP ``Emulation.setCPUThrottlingRate``; 4x is a mid-range
   phone), median of ``--runs`` cold loads (cache disabled): first contentful paint, time
   until all math is typeset and readable (markup in place, stylesheet applied, MathJax
   fonts loaded; works for a site typesetting in the browser too), JavaScript bytes and
   total bytes received. Targets at 4x: math <= 1.3 x FCP, JavaScript <= 400 kB raw.
   ``--reader-only [--site DIR]`` runs just this part, on DIR if given (for before/after:
   build the old branch with ``mkdocs build -d DIR`` and pass it).
6. Many notebook posts: ``--notebook-copies`` (27) copies of one real notebook post in a
   copy of the repository, built cold. Prints the wall time, the peak resident memory of
   the whole build process tree (the sum of VmRSS over mkdocs and its kernels, sampled
   every 50 ms from /proc; Linux only) and the most kernels running at once.
   Targets on 2 cores: at most 4 kernels at once, at most 2.5 GB.

Lighthouse scores of every page: benchmarks/bench_lighthouse.py.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from pathlib import Path
from urllib.parse import urlparse

from tested_blog import sections

ROOT = Path(__file__).resolve().parents[1]

MAIN_POST = Path("blog") / "ml-interview-basics" / "index.html"
TARGET_RATIO = 1.15
TARGET_WEIGHT = 1.6e6
# Copies of the site have no provenance record of their own; the record is read all the
# same when there is one (benchmarks/bench_provenance.py times that part on its own).
BUILD_ENV = {"NO_MKDOCS_2_WARNING": "1", "TESTED_CODE_PROVENANCE": "pending"}
# Material and its blog plugin with no extensions at all: code and math stay plain text.
# Printed for reference only.
EMPTY_CONFIG = """site_name: Empty Material
site_url: https://example.test/
theme:
  name: material
plugins:
  - search
  - blog
"""
# Material with its blog and search plugins and exactly the Markdown extensions the posts
# need to render the same content (embedded code, highlighted; math): the target ratio is
# judged against this one, so it measures what our site features cost, not what the
# content costs.
BARE_CONFIG = (
    EMPTY_CONFIG.replace("Empty Material", "Bare Material")
    + """markdown_extensions:
  - pymdownx.snippets:
      base_path: .
      check_paths: true
  - pymdownx.arithmatex:
      generic: true
  - pymdownx.highlight
  - pymdownx.superfences
"""
)


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def mkdocs_build(
    config: Path,
    site_dir: Path,
    *,
    quiet: bool = True,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, log) of one ``mkdocs build --strict`` into ``site_dir``;
    ``quiet`` drops the INFO log (``-q``). Exits naming the config if the build fails.
    ``env`` replaces BUILD_ENV on top of this process's environment."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", *(["-q"] if quiet else [])]
    cpu0 = child_cpu()
    start = time.perf_counter()
    result = subprocess.run(
        [*command, "-f", str(config), "-d", str(site_dir)],
        capture_output=True,
        text=True,
        env={**os.environ, **(BUILD_ENV if env is None else env)},
        cwd=cwd or config.parent,
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build of {config} failed:\n{result.stdout}\n{result.stderr}")
    return elapsed, child_cpu() - cpu0, result.stdout + result.stderr


def build(config: Path, site_dir: Path, cwd: Path | None = None) -> tuple[float, float]:
    """(wall, CPU) seconds of one quiet build into an empty ``site_dir``.

    CPU time (user + system of the mkdocs process) is what the ratio uses: on a shared
    2-core machine the wall time also measures whoever else is running."""
    shutil.rmtree(site_dir, ignore_errors=True)
    wall, cpu, _ = mkdocs_build(config, site_dir, cwd=cwd)
    return wall, cpu


# --------------------------------------------------------------------------- 1. real site


def bench_real_site(work: Path) -> Path:
    site = work / "real-site"
    wall, cpu = build(ROOT / "mkdocs.yml", site, cwd=ROOT)
    pages = sum(1 for _ in site.rglob("*.html"))
    print(
        f"real site, cold build: {wall:6.2f} s wall, {cpu:6.2f} s CPU  ({pages} HTML pages; "
        "notebook and math caches as they are, see part 4 for a cold cache)"
    )
    return site


# --------------------------------------------------------------------------- 2. generated


def snippet_sections() -> list[tuple[str, str]]:
    """(file name, section) of every section marked in snippets/."""
    return [
        (path.name, name)
        for path in sorted((ROOT / "snippets").glob("*.py"))
        for name in sections.section_names(path.read_text(encoding="utf-8"))
    ]


def generated_post(i: int, secs: list[tuple[str, str]]) -> str:
    (f1, s1), (f2, s2) = secs[i % len(secs)], secs[(7 * i + 3) % len(secs)]
    day = 1 + i % 28
    return f"""---
date: 2025-{1 + i % 12:02d}-{day:02d}
slug: generated-{i:03d}
authors:
  - owner
categories:
  - Generated
tags:
  - benchmark
  - topic-{i % 10}
---

# Generated post {i}

A gradient step $w_{{t+1}} = w_t - \\eta \\nabla L(w_t)$ with step size
$\\eta = 10^{{-{1 + i % 4}}}$,
and the softmax $p_k = e^{{z_k}} / \\sum_j e^{{z_j}}$.

<!-- more -->

$$
\\frac{{\\partial L}}{{\\partial z_k}} = p_k - y_k,
\\qquad
\\hat m_t = \\frac{{m_t}}{{1 - \\beta_1^t}}, \\quad \\hat v_t = \\frac{{v_t}}{{1 - \\beta_2^t}}
$$

中文笔记：第 {i} 篇，比较几种自适应优化方法的收敛速度。

```python
--8<-- "snippets/{f1}:{s1}"
```

Some prose between the two listings, long enough to give the read-time estimate and the
search index something to do: the update moves each coordinate against its gradient.

```python
--8<-- "snippets/{f2}:{s2}"
```
"""


def notebook_front_matter(path: Path) -> str:
    """The YAML header of a notebook post (jupytext percent script or .ipynb)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        m = re.match(r"^# ---\n(.*?)\n# ---\n", text, re.S)
        return re.sub(r"^# ?", "", m.group(1), flags=re.M) if m else ""
    import json

    cell = json.loads(text)["cells"][0]
    m = re.match(r"^---\n(.*?)\n---", "".join(cell["source"]), re.S)
    return m.group(1) if m else ""


def make_generated_site(root: Path, n_posts: int) -> tuple[Path, Path, Path]:
    """The site's docs plus ``n_posts`` posts; notebook posts become stub Markdown posts.

    Returns the three configurations: (ours, bare, empty)."""
    for name in ("hooks", "snippets", "docs"):
        shutil.copytree(
            ROOT / name,
            root / name,
            ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"),
        )
    posts = root / "docs" / "blog" / "posts"
    for post in posts.iterdir():
        if post.suffix in (".py", ".ipynb") and not post.name.startswith("_"):  # not a helper
            # Executing notebooks is timed by part 4; a stub keeps the main post's links
            # to them valid (both configurations build --strict).
            title = post.stem.replace("-", " ").capitalize()
            post.with_suffix(".md").write_text(
                f"---\n{notebook_front_matter(post)}\n---\n\n# {title}\n\n"
                "A notebook post, executed only in the real site.\n",
                encoding="utf-8",
            )
            post.unlink()
    secs = snippet_sections()
    for i in range(n_posts):
        (posts / f"generated-{i:03d}.md").write_text(generated_post(i, secs), encoding="utf-8")
    # the real configuration (MkDocs' INHERIT), notebook posts switched off
    ours = root / "mkdocs.yml"
    ours.write_text(
        f"INHERIT: {ROOT / 'mkdocs.yml'}\nplugins:\n  tested/notebooks:\n    enabled: false\n",
        encoding="utf-8",
    )
    bare = root / "mkdocs-bare.yml"
    bare.write_text(BARE_CONFIG, encoding="utf-8")
    empty = root / "mkdocs-empty.yml"
    empty.write_text(EMPTY_CONFIG, encoding="utf-8")
    return ours, bare, empty


def bench_generated(work: Path, n_posts: int, rounds: int) -> None:
    with_posts = dict(
        zip(
            ("ours", "bare", "empty"),
            make_generated_site(work / "generated", n_posts),
            strict=True,
        )
    )
    without = dict(
        zip(("ours", "bare"), make_generated_site(work / "generated-0", 0), strict=False)
    )
    runs = {f"{name}@{n_posts}": config for name, config in with_posts.items()}
    runs.update({f"{name}@0": config for name, config in without.items()})
    times: dict[str, list[tuple[float, float]]] = {key: [] for key in runs}
    for _ in range(rounds):  # interleaved, so drift in machine load hits all alike
        for key, config in runs.items():
            times[key].append(build(config, work / f"gen-{key.replace('@', '-')}"))
    cpu = {key: min(c for _, c in v) for key, v in times.items()}
    labels = {"ours": "our config", "bare": "bare Material*", "empty": "Material, no extensions"}
    for key in runs:
        name, n = key.split("@")
        wall = min(w for w, _ in times[key])
        per_run = ", ".join(f"{c:.2f}" for _, c in times[key])
        print(
            f"site + {n:>3s} posts, {labels[name] + ':':26s}{cpu[key]:6.2f} s CPU, "
            f"{wall:6.2f} s wall  (CPU per run: {per_run})"
        )
    posts_ours = cpu[f"ours@{n_posts}"] - cpu["ours@0"]
    posts_bare = cpu[f"bare@{n_posts}"] - cpu["bare@0"]
    ratio = posts_ours / posts_bare
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(
        f"cost of the {n_posts} posts (site + {n_posts} minus site alone): ours "
        f"{posts_ours:.2f} s, bare {posts_bare:.2f} s CPU"
    )
    print(
        f"ratio ours / bare Material*, per-post cost:  {ratio:6.3f}  "
        f"({verdict} target <= {TARGET_RATIO})"
    )
    print(
        f"ratio ours / bare Material*, site alone:     {cpu['ours@0'] / cpu['bare@0']:6.3f}  "
        "(the real site with its notebook posts as stubs; reference only)"
    )
    whole = cpu[f"ours@{n_posts}"] / cpu[f"bare@{n_posts}"]
    print(
        f"ratio ours / bare Material*, whole build:    {whole:6.3f}  (includes the constant "
        f"{cpu['ours@0'] - cpu['bare@0']:.2f} s of the site alone, e.g. the API reference page)"
    )
    print(
        f"ratio ours / Material, no extensions:        "
        f"{cpu[f'ours@{n_posts}'] / cpu[f'empty@{n_posts}']:6.3f}  (reference only)"
    )
    print(
        "  * theme material + blog + search plugins + the extensions the posts need "
        "(snippets, arithmatex, highlight, superfences)"
    )


# --------------------------------------------------------------------------- 3. page weight


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def weigh(items: dict[str, bytes]) -> tuple[int, int]:
    raw = sum(len(b) for b in items.values())
    sent = sum(
        len(b) if name.endswith((".woff", ".woff2", ".png")) else gz(b) for name, b in items.items()
    )
    return raw, sent


def page_assets(site: Path, page: Path) -> dict[str, bytes]:
    """The page and every local file its script/link/img tags load."""
    from bs4 import BeautifulSoup

    doc = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    refs = [s["src"] for s in doc.find_all("script", src=True)]
    refs += [
        link["href"]
        for link in doc.find_all("link", href=True)
        if {"stylesheet", "icon"} & set(link.get("rel", []))
    ]
    refs += [i["src"] for i in doc.find_all("img", src=True) if not i["src"].startswith("data:")]
    items = {page.relative_to(site).as_posix(): page.read_bytes()}
    for ref in refs:
        path = (page.parent / urlparse(ref).path).resolve()
        if path.is_file():
            items[path.relative_to(site.resolve()).as_posix()] = path.read_bytes()
    return items


def report_weight(label: str, items: dict[str, bytes]) -> None:
    raw, sent = weigh(items)
    verdict = "meets" if sent <= TARGET_WEIGHT else "MISSES"
    print(
        f"{label}: {raw / 1e6:5.2f} MB raw, {sent / 1e6:5.2f} MB gzip-transferred "
        f"({len(items)} files; {verdict} target <= {TARGET_WEIGHT / 1e6:.1f} MB transferred"
        f"{'' if raw <= TARGET_WEIGHT else ', raw bytes exceed it'})"
    )
    kinds: dict[str, list[int]] = {}
    for name, data in items.items():
        kind = Path(name).suffix or "html"
        kinds.setdefault(kind, [0, 0])
        kinds[kind][0] += len(data)
        kinds[kind][1] += len(data) if kind in (".woff", ".woff2", ".png", ".webp") else gz(data)
    print(
        "    "
        + ", ".join(
            f"{k} {r / 1e3:.0f} kB ({s / 1e3:.0f} kB gz)"
            for k, (r, s) in sorted(kinds.items(), key=lambda kv: -kv[1][0])
        )
    )


def chromium() -> str | None:
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("google-chrome"),
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def browser_assets(site: Path) -> dict[str, bytes] | None:
    """Every response Chromium gets for the main post with all answers opened."""
    exe = chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if exe is None:
        return None
    handler = partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/{MAIN_POST.parent.as_posix()}/"
    items: dict[str, bytes] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=exe, args=["--no-sandbox"])
            page = browser.new_page()
            page.route(re.compile(r"^(?!http://127\.0\.0\.1).*"), lambda route: route.abort())

            def keep(response):
                if response.url.startswith("http://127.0.0.1") and response.ok:
                    items[urlparse(response.url).path] = response.body()

            page.on("response", keep)
            page.goto(url, wait_until="networkidle")
            page.evaluate("document.fonts.ready.then(() => true)")
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            page.wait_for_timeout(1500)
            page.wait_for_load_state("networkidle")
            browser.close()
    finally:
        server.shutdown()
    return items


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def bench_page_weight(site: Path, use_browser: bool) -> None:
    page = site / MAIN_POST
    items = page_assets(site, page)
    for font in sorted((site / "assets" / "mathjax").rglob("*.woff2")):
        items[font.relative_to(site).as_posix()] = font.read_bytes()
    report_weight("main post, file-based (all fonts)", items)
    index = site / "search" / "search_index.json"
    print(
        f"    plus the search index Material fetches on load: {index.stat().st_size / 1e3:.0f} kB "
        f"({gz(index.read_bytes()) / 1e3:.0f} kB gz)"
    )
    if not use_browser:
        return
    measured = browser_assets(site)
    if measured is None:
        print("main post, browser-measured: skipped (no Chromium or Playwright)")
        return
    index_key = [k for k in measured if k.endswith("search_index.json")]
    loaded = {k: v for k, v in measured.items() if k not in index_key}
    report_weight("main post, Chromium-measured (all answers open, search index excluded)", loaded)


# --------------------------------------------------------------------------- 5. reader

# Resolves (with performance.now()) once every formula is readable: as many arithmatex
# elements as the HTML file has hold MathJax's markup (typeset at build time, or by a
# MathJax script in the page), glyphs are drawn by MathJax's stylesheet, and no MathJax
# font is still loading. Works for this site and for one built with MathJax in the
# browser, so before/after compare. Checked on every animation frame from navigation
# start (an init script), so it does not wait for the end of parsing or for other scripts.
MATH_READY_INIT = """window.__mathReady = new Promise(resolve => {
  const expected = %d;
  const ready = () => {
    if (document.querySelectorAll('.arithmatex mjx-container').length < expected) return false;
    const glyph = document.querySelector('mjx-container mjx-c');
    if (glyph && ['none', 'normal'].includes(getComputedStyle(glyph, '::before').content))
      return false;
    const faces = [...document.fonts].filter(f => f.family.startsWith('MJX'));
    return !faces.some(f => f.status === 'loading')
      && (!expected || faces.some(f => f.status === 'loaded'));
  };
  const check = () => ready() ? resolve(performance.now()) : requestAnimationFrame(check);
  requestAnimationFrame(check);
});"""
MATH_READY_JS = "() => window.__mathReady"
FCP_JS = """() => new Promise(resolve => {
  const seen = performance.getEntriesByName('first-contentful-paint');
  if (seen.length) return resolve(seen[0].startTime);
  new PerformanceObserver(list => resolve(list.getEntries()[0].startTime))
    .observe({type: 'paint', buffered: true});
})"""
MATH_TARGET_RATIO = 1.3  # math readable no later than 1.3 x first contentful paint (4x CPU)
JS_TARGET = 400e3  # page JavaScript, raw bytes


def reader_run(browser, url: str, rate: float, formulas: int) -> dict[str, float]:
    """One cold load of ``url`` in a fresh context at CPU throttling ``rate``: first
    contentful paint and math readable (ms), JavaScript and total bytes received.
    ``formulas``: how many arithmatex elements the page's HTML has."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(MATH_READY_INIT % formulas)
    try:
        page = context.new_page()
        page.route(re.compile(r"^(?!http://127\.0\.0\.1).*"), lambda route: route.abort())
        sizes = {"js": 0, "total": 0}

        def count(response):
            try:
                body = response.body()
            except Exception:  # a redirect or an aborted request has no body
                return
            sizes["total"] += len(body)
            if response.request.resource_type == "script":
                sizes["js"] += len(body)

        page.on("response", count)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
        page.goto(url, wait_until="load")
        math_ms = page.evaluate(MATH_READY_JS)
        fcp_ms = page.evaluate(FCP_JS)
        page.wait_for_load_state("networkidle")
        return {"fcp": fcp_ms, "math": math_ms, **sizes}
    finally:
        context.close()


def bench_reader(site: Path, rates: list[float], runs: int) -> None:
    """The main post as a reader's Chromium loads it, served locally (no network latency):
    median of ``runs`` cold loads per CPU throttling rate."""
    from statistics import median

    exe = chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        exe = None
    if exe is None:
        print("reader metrics: skipped (no Chromium or Playwright)")
        return
    handler = partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/{MAIN_POST.parent.as_posix()}/"
    formulas = (site / MAIN_POST).read_text(encoding="utf-8").count('class="arithmatex"')
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=exe, args=["--no-sandbox", "--disable-gpu"])
            print(f"main post in Chromium, served locally, median of {runs} cold loads:")
            for rate in rates:
                rows = [reader_run(browser, url, rate, formulas) for _ in range(runs)]
                fcp, math = median(r["fcp"] for r in rows), median(r["math"] for r in rows)
                js, total = median(r["js"] for r in rows), median(r["total"] for r in rows)
                ratio = math / fcp if fcp else float("nan")
                verdicts = ""
                if rate == 4:
                    math_ok = "meets" if ratio <= MATH_TARGET_RATIO else "MISSES"
                    js_ok = "meets" if js <= JS_TARGET else "MISSES"
                    verdicts = (
                        f"  [math/FCP {math_ok} <= {MATH_TARGET_RATIO}; "
                        f"JS {js_ok} <= {JS_TARGET / 1e3:.0f} kB]"
                    )
                print(
                    f"  CPU {rate:g}x: first contentful paint {fcp / 1e3:5.2f} s, all math "
                    f"typeset {math / 1e3:5.2f} s ({ratio:4.2f} x FCP), JavaScript "
                    f"{js / 1e3:6.0f} kB, total {total / 1e3:6.0f} kB{verdicts}"
                )
            browser.close()
    finally:
        server.shutdown()


# --------------------------------------------------------------------------- 4. notebooks

MATH_LOG = re.compile(r"mathjax: (\d+) formulas, (\d+) typeset now")
NOTEBOOK_LOG = re.compile(r"notebooks: executed (\d+), from cache (\d+) \(([\d.]+) s\)")


def build_logged(config: Path, site_dir: Path) -> tuple[float, str]:
    """Like ``build`` but keeps the INFO log, where tested/notebooks reports its work."""
    wall, _, log = mkdocs_build(config, site_dir, quiet=False)
    return wall, log


def rss_bytes() -> int:
    """This process's resident memory now (Linux: /proc/self/statm), 0 elsewhere."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


def serve_loop(config_file: str, edits: list[str]) -> None:
    """Child process: build and rebuild the way ``mkdocs serve`` does (mkdocs 1.6.1).

    Mirrors mkdocs/commands/serve.py: ``get_config()`` loads the configuration afresh into
    a temporary site directory, ``on_startup(command="serve")`` runs once, ``site_url`` is
    the local serve URL, and each build is ``build(config, serve_url=...)``. The first
    build uses the config of the start-up, each rebuild a fresh one (serve's ``builder()``
    with no argument). ``edits``: for each rebuild, a file to append a blank line or a
    comment to first, or "-" for none. Prints one JSON line per build: wall and CPU
    seconds, the notebook and math log lines, and the resident memory after the build."""
    import gc
    import json
    import logging
    from urllib.parse import urlsplit

    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.livereload import _serve_url

    notebook_log: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            notebook_log.append(record.getMessage())

    for name in (
        "mkdocs.plugins.tested.notebooks",
        "mkdocs.tested_blog.notebooks",
        "mkdocs.plugins.tested.math",
    ):
        logging.getLogger(name).addHandler(Keep(logging.INFO))
        logging.getLogger(name).setLevel(logging.INFO)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    site_dir = tempfile.mkdtemp(prefix="mkdocs_")

    def get_config():
        return load_config(config_file=config_file, site_dir=site_dir)

    config = get_config()
    config.plugins.on_startup(command="serve", dirty=False)
    host, port = config.dev_addr
    serve_url = _serve_url(host, port, urlsplit(config.site_url or "/").path)
    try:
        for step, edit in enumerate(["-", *edits]):
            if edit != "-":
                with open(edit, "a", encoding="utf-8") as f:
                    f.write("# benchmark edit\n" if edit.endswith(".py") else "\n")
            notebook_log.clear()
            wall, cpu = time.perf_counter(), time.process_time()
            if step:
                config = get_config()
            config.site_url = serve_url
            mkdocs_build(config, serve_url=serve_url)
            took, used = time.perf_counter() - wall, time.process_time() - cpu
            gc.collect()
            print(
                json.dumps({"wall": took, "cpu": used, "log": notebook_log, "rss": rss_bytes()}),
                flush=True,
            )
    finally:
        config.plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)


def describe(log: str) -> str:
    """What tested/notebooks reported (how many notebooks ran, and which) and how many
    formulas tested/math had to typeset."""
    counts = NOTEBOOK_LOG.search(log)
    ran = [Path(p).stem for p in re.findall(r"notebooks: executing (\S+)", log)]
    detail = (
        f"executed {counts.group(1)}, from cache {counts.group(2)}, {counts.group(3)} s in the hook"
        if counts
        else "no notebook log line"
    )
    math = MATH_LOG.search(log)
    return (
        detail
        + (f"; re-executed: {', '.join(ran)}" if ran else "")
        + (f"; math: {math.group(2)} of {math.group(1)} formulas typeset" if math else "")
    )


def copy_repository(root: Path) -> Path:
    """A copy of this repository at ``root`` without caches, builds or git data."""
    skip = shutil.ignore_patterns(
        ".git",
        ".cache",
        "site",
        "__pycache__",
        ".pytest_cache",
        ".hypothesis",
        "*.egg-info",
        "test-artifacts",
        ".benchmarks",
    )
    shutil.copytree(ROOT, root, ignore=skip)
    return root


def bench_notebook_rebuilds(work: Path) -> None:
    """Cold build with every notebook post executed, then the three kinds of rebuild.

    Runs in a copy of the repository with an empty notebook cache (the real ``.cache/``
    is not touched). Targets (2 cores): cold <= 15 s, unchanged and Markdown-edit
    rebuilds <= 2 s, a snippets edit re-executes only the notebooks importing the module.
    """
    import json

    root = copy_repository(work / "notebook-repo")
    config, site = root / "mkdocs.yml", work / "notebook-site"
    posts = root / "docs" / "blog" / "posts"
    markdown_post = next(p for p in sorted(posts.glob("*.md")))

    def run(label: str, target: str) -> None:
        seconds, log = build_logged(config, site)
        print(f"{label:50s}{seconds:6.2f} s  ({describe(log)}; target {target})")

    print("notebooks, each build a separate `mkdocs build` process:")
    run("  cold build, all executed:", "<= 15 s")
    run("  rebuild, nothing changed:", "<= 2 s as serve does it, below")
    with markdown_post.open("a", encoding="utf-8") as f:
        f.write("\n")
    run(f"  rebuild, {markdown_post.name} touched:", "<= 2 s as serve does it, below")
    for module in ("gradient_check.py", "softmax_regression.py"):
        with (root / "snippets" / module).open("a", encoding="utf-8") as f:
            f.write("# benchmark edit\n")
        run(f"  rebuild, snippets/{module} edited:", "only its importers re-run")

    print("notebooks, rebuilt as `mkdocs serve` does (one process, config reloaded per rebuild):")
    steps = [
        ("  first build (notebooks from the cache):", "-", "-"),
        ("  rebuild, nothing changed:", "-", "<= 2 s"),
        (f"  rebuild, {markdown_post.name} touched:", str(markdown_post), "<= 2 s"),
        (
            "  rebuild, snippets/gradient_check.py edited:",
            str(root / "snippets" / "gradient_check.py"),
            "only its importers re-run",
        ),
    ]
    env = {**os.environ, **BUILD_ENV}
    result = subprocess.run(
        [sys.executable, __file__, "--serve-loop", str(config), *[e for _, e, _ in steps[1:]]],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
    )
    if result.returncode != 0:
        raise SystemExit(f"serve-style rebuilds failed:\n{result.stdout}\n{result.stderr}")
    for (label, _, target), line in zip(steps, result.stdout.splitlines(), strict=False):
        row = json.loads(line)
        print(
            f"{label:50s}{row['wall']:6.2f} s wall, {row['cpu']:5.2f} s CPU  "
            f"({describe(chr(10).join(row['log']))}"
            + (f"; target {target})" if target != "-" else ")")
        )


# ------------------------------------------------------------------ 6. many notebooks


def _process_tree(root_pid: int) -> list[int]:
    """root_pid and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, frontier = [root_pid], [root_pid]
    while frontier:
        children = [pid for pid, ppid in parents.items() if ppid in frontier]
        tree.extend(children)
        frontier = children
    return tree


def _rss_and_kernels(pids: list[int]) -> tuple[int, int]:
    rss, kernels = 0, 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
        rss += int(match.group(1)) * 1024 if match else 0
        kernels += b"ipykernel_launcher" in cmdline
    return rss, kernels


def bench_many_notebooks(work: Path, copies: int, jobs: int | None = None) -> None:
    """``copies`` copies of the Adam post, built cold; memory and kernels sampled.
    ``jobs``: kernels at once (the ``jobs`` option of tested/notebooks), else the
    configured default."""
    root = copy_repository(work / "many-notebooks-repo")
    if jobs is not None:
        # the copy's configuration, inherited (MkDocs' INHERIT), with its own kernel count
        (root / "mkdocs.yml").rename(root / "mkdocs-site.yml")
        (root / "mkdocs.yml").write_text(
            f"INHERIT: mkdocs-site.yml\nplugins:\n  tested/notebooks:\n    jobs: {jobs}\n",
            encoding="utf-8",
        )
    posts = root / "docs" / "blog" / "posts"
    source = (posts / "adam-from-scratch.py").read_text(encoding="utf-8")
    for extra in posts.glob("*.py"):
        if extra.name != "adam-from-scratch.py":  # the main post links to them by page name
            extra.write_text(
                source.replace("slug: adam-from-scratch", f"slug: {extra.stem}"), encoding="utf-8"
            )
    for n in range(copies - len(list(posts.glob("*.py")))):
        (posts / f"adam-copy-{n}.py").write_text(
            source.replace("slug: adam-from-scratch", f"slug: adam-copy-{n}"), encoding="utf-8"
        )
    env = {**os.environ, **BUILD_ENV}
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(work / "many-site")],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    peak_rss, peak_kernels = 0, 0
    while process.poll() is None:
        rss, kernels = _rss_and_kernels(_process_tree(process.pid))
        peak_rss, peak_kernels = max(peak_rss, rss), max(peak_kernels, kernels)
        time.sleep(0.05)
    wall = time.perf_counter() - start
    log = process.stdout.read() if process.stdout else ""
    if process.returncode != 0:
        raise SystemExit(f"build of {copies} notebook posts failed:\n{log}")
    setting = f"jobs: {jobs}" if jobs is not None else "default jobs"
    print(f"{copies} notebook posts, cold build (one process tree, {setting}):")
    print(f"  wall time                                        {wall:6.1f} s  ({describe(log)})")
    print(
        f"  peak memory of the build and its kernels (RSS)   {peak_rss / 2**30:6.2f} GB"
        "  (target <= 2.5 GB)"
    )
    print(f"  kernels at once, most                            {peak_kernels:6d}    (target <= 4)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument(
        "--notebooks-only",
        action="store_true",
        help="only the notebook-post rebuild timings (section 4)",
    )
    parser.add_argument(
        "--notebook-copies", type=int, default=27, help="notebook posts in section 6 (0 skips it)"
    )
    parser.add_argument(
        "--notebook-jobs",
        type=int,
        help="kernels at once in section 6 (e.g. as many as posts: the unbounded run)",
    )
    parser.add_argument(
        "--reader-only", action="store_true", help="only the reader metrics in Chromium (section 5)"
    )
    parser.add_argument(
        "--site",
        type=Path,
        help="measure this built site in section 5 instead of building one "
        "(e.g. one built from another branch, for before/after)",
    )
    parser.add_argument("--runs", type=int, default=5, help="cold loads per rate (section 5)")
    parser.add_argument(
        "--rates", type=float, nargs="+", default=[1, 4], help="CPU throttling rates (section 5)"
    )
    parser.add_argument(
        "--serve-loop", nargs="+", metavar=("CONFIG", "EDIT"), help=argparse.SUPPRESS
    )  # internal: the child process of section 4
    args = parser.parse_args()
    if args.serve_loop:
        serve_loop(args.serve_loop[0], args.serve_loop[1:])
        return
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        work = Path(tmp)
        if args.reader_only:
            bench_reader(args.site or bench_real_site(work), args.rates, args.runs)
            return
        if not args.notebooks_only:
            site = bench_real_site(work)
            bench_generated(work, args.posts, args.rounds)
            bench_page_weight(site, use_browser=not args.no_browser)
            if not args.no_browser:
                bench_reader(args.site or site, args.rates, args.runs)
        bench_notebook_rebuilds(work)
        if args.notebook_copies:
            bench_many_notebooks(work, args.notebook_copies, args.notebook_jobs)


if __name__ == "__main__":
    main()
