"""Helpers for the real-browser tests: find a system Chromium, serve a built site under its
sub-path, list its pages, and check one page the way a reader's browser loads it.

Kept apart from the tests (tests/test_browser_*.py) so they read as a list of claims about the
site.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tested_blog.zensical.serve import SiteHTTPServer, SubPathHandler

# Debian/Ubuntu package names first; Google Chrome as a last resort.
CHROMIUM_CANDIDATES = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
)
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Headless in a container: no sandbox (no user namespaces), no GPU, and no background
# traffic of the browser's own (update checks, sync, QUIC probes) mixed into the recording.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# How long any one browser or server wait may take before it counts as a failure. A wait
# returns as soon as its condition holds, so this bounds only a failing wait; it is large
# so that a correct page still passes on a machine whose other processes use every core.
WAIT_MS = 120_000
INSTALL_HINT = (
    "install one with `sudo apt-get install -y chromium` (Debian/Ubuntu) "
    "or set CHROMIUM_PATH to a Chromium/Chrome executable"
)


class BrowserNotFound(RuntimeError):
    """No usable Chromium executable (the message says how to get one)."""


class InvalidChromiumPath(BrowserNotFound):
    """CHROMIUM_PATH is set but does not name an executable: a mistake to report, not to skip."""


def find_chromium(
    env: Mapping[str, str] | None = None, which: Callable[[str], str | None] | None = None
) -> str:
    """Path of a Chromium executable: ``CHROMIUM_PATH`` if set, else the usual places.

    A ``CHROMIUM_PATH`` that does not name an executable file is an error, not a fallback:
    the person who set it meant that browser.
    """
    env = os.environ if env is None else env
    which = shutil.which if which is None else which
    chosen = env.get("CHROMIUM_PATH", "").strip()
    if chosen:
        if os.path.isfile(chosen) and os.access(chosen, os.X_OK):
            return chosen
        raise InvalidChromiumPath(
            f"CHROMIUM_PATH={chosen!r} is not an executable file; {INSTALL_HINT}"
        )
    for path in CHROMIUM_CANDIDATES:
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    for name in CHROMIUM_NAMES:
        found = which(name)
        if found:
            return found
    raise BrowserNotFound(f"no Chromium found (CHROMIUM_PATH unset, none on PATH); {INSTALL_HINT}")


def running_in_ci(env: Mapping[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    return env.get("CI", "").strip().lower() in {"true", "1", "yes"}


# --------------------------------------------------------------------------- server


@dataclass
class SiteServer:
    """A running server; ``base_url`` is the site's root URL, ending in the sub-path."""

    base_url: str
    host_port: str
    prefix: str


@contextmanager
def serve_site(site_dir: Path, prefix: str) -> Iterator[SiteServer]:
    """Serve ``site_dir`` on 127.0.0.1 (a free port) under ``prefix``; stop on exit."""
    if not (prefix.startswith("/") and prefix.endswith("/")):
        raise ValueError(f"prefix must start and end with '/', got {prefix!r}")
    if not Path(site_dir, "index.html").is_file():
        raise FileNotFoundError(f"site_dir {site_dir} has no index.html: is it a built site?")
    handler = type("Handler", (SubPathHandler,), {"prefix": prefix})
    server = SiteHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(site_dir)))
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield SiteServer(
            base_url=f"http://{host}:{port}{prefix}", host_port=f"{host}:{port}", prefix=prefix
        )
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def http_status(url: str) -> int:
    """Status of a GET on the local server (redirects followed)."""
    try:
        with urllib.request.urlopen(url, timeout=WAIT_MS / 1000) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


# --------------------------------------------------------------------------- pages


def sitemap_pages(site_dir: Path, site_url: str, base_url: str) -> list[str]:
    """Local URLs of every page in the built ``sitemap.xml`` (site_url mapped to base_url)."""
    sitemap = Path(site_dir, "sitemap.xml")
    if not sitemap.is_file():
        raise FileNotFoundError(f"{sitemap} is missing: cannot discover the site's pages")
    locs = [
        el.text.strip() for el in ET.parse(sitemap).iter() if el.tag.endswith("loc") and el.text
    ]
    outside = [loc for loc in locs if not loc.startswith(site_url)]
    if outside:
        raise ValueError(f"sitemap.xml lists URLs outside site_url {site_url}: {outside[:5]}")
    if not locs:
        raise ValueError(f"{sitemap} lists no pages")
    return [base_url + loc[len(site_url) :] for loc in locs]


def page_file(site_dir: Path, page_url: str, base_url: str) -> Path:
    """The built HTML file behind a local page URL."""
    rel = urlsplit(page_url).path[len(urlsplit(base_url).path) :]
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    return Path(site_dir, rel)


# --------------------------------------------------------------------------- browser checks

# The math arrives typeset (tested/math): what a reader needs is MathJax's stylesheet
# applied (each glyph is CSS generated content) and its fonts loaded, and no MathJax
# script at all. Run after document.fonts.ready.
MATH_RENDERING_JS = """() => {
  const out = [];
  if (window.MathJax) out.push('window.MathJax is defined: a MathJax script ran');
  const glyph = document.querySelector('mjx-container mjx-c');
  if (glyph) {
    const content = getComputedStyle(glyph, '::before').content;
    if (!content || content === 'none' || content === 'normal')
      out.push('math glyphs are not drawn: the MathJax stylesheet is missing (content ' + content + ')');
  }
  for (const face of document.fonts)
    if (face.family.startsWith('MJX') && face.status === 'error')
      out.push('math font failed to load: ' + face.family);
  return out;
}"""

# Text a reader sees outside code, math output and scripts (collapsed answers included:
# raw TeX hidden in a closed <details> is still a bug), as [where, text] per text node.
PROSE_TEXT_JS = """() => {
  const skip = 'pre, code, script, style, textarea, mjx-container, .md-search';
  const where = el => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 3; e = e.parentElement) {
      const cls = [...e.classList].slice(0, 2).map(c => '.' + c).join('');
      parts.unshift(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + cls);
    }
    return parts.join(' > ');
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest(skip) || !node.nodeValue.trim()) continue;
    out.push([where(parent), node.nodeValue]);
  }
  return out;
}"""

# MathJax reports TeX errors as <mjx-merror>, and (noundefined, noerrors) as red text.
MATH_ERRORS_JS = """() => {
  const out = [];
  const tex = el => {
    const c = el.closest('mjx-container');
    return ((c && c.getAttribute('data-tex')) || el.textContent).trim().slice(0, 80);
  };
  document.querySelectorAll('mjx-merror, [data-mjx-error]').forEach(el =>
    out.push('MathJax error ' + JSON.stringify(el.getAttribute('data-mjx-error') || el.textContent.trim().slice(0, 80))));
  const isRed = c => /^rgba?\\(\\s*255,\\s*0,\\s*0\\b/.test(c) || /^red$/i.test(c.trim());
  document.querySelectorAll('mjx-container mjx-mtext, mjx-container mtext').forEach(el => {
    const style = (el.getAttribute('style') || '').match(/color:\\s*([^;]+)/);
    const red = el.getAttribute('mathcolor') === 'red' || (style && isRed(style[1]))
      || (el.tagName.toLowerCase() === 'mjx-mtext' && isRed(getComputedStyle(el).color));
    if (red) out.push('red MathJax error text (undefined macro or TeX error) ' + JSON.stringify(tex(el)));
  });
  return [...new Set(out)];
}"""

LINKS_JS = """() => ({
  links: [...document.querySelectorAll('a[href]')].map(a => a.href),
  images: [...document.querySelectorAll('img[src]')].map(img => img.src),
})"""

RAW_TEX = [
    (re.compile(r"\$\$"), "raw $$"),
    (re.compile(r"\\\("), r"raw \("),
    (re.compile(r"\\\["), r"raw \["),
    # Inline $...$ that still holds TeX syntax (notebook Markdown cells use single dollars).
    (re.compile(r"\$[^$\n]{0,200}?(?:\\[A-Za-z]+|[\^_]\{)[^$\n]{0,200}?\$"), "raw $...$ math"),
]


@dataclass
class PageReport:
    """What a browser saw while loading one page; ``problems`` empty means the page is fine."""

    url: str
    problems: list[str] = field(default_factory=list)
    links: set[str] = field(default_factory=set)
    math_count: int = 0


# A MathJax component or bundle (tex-chtml.js, startup.js, …) under any path with mathjax in it.
MATHJAX_SCRIPT = re.compile(r"mathjax[^?#]*\.js|/(tex|mml)-(chtml|svg)[\w-]*\.js", re.I)


def watch_traffic(context, host_port: str, problems: list[str]) -> None:
    """Record every request of ``context``: third-party hosts are blocked and reported,
    failed requests and console errors are reported."""

    def local(url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in {"data", "blob"} or (
            parts.scheme == "http" and parts.netloc == host_port
        )

    def route(route_):
        url = route_.request.url
        if route_.request.resource_type == "script" and MATHJAX_SCRIPT.search(url):
            problems.append(f"MathJax script requested (math is typeset at build time): {url}")
        if local(url):
            route_.continue_()
        else:
            problems.append(f"request to a third-party host: {url}")
            route_.abort()  # never let the test depend on (or leak to) the outside world

    def on_failed(request):
        if local(request.url):
            problems.append(f"request failed ({request.failure}): {request.url}")

    def on_response(response):
        if response.status >= 400:
            problems.append(f"HTTP {response.status}: {response.url}")

    context.route("**/*", route)
    context.on("requestfailed", on_failed)
    context.on("response", on_response)
    context.on(
        "console",
        lambda msg: (
            msg.type == "error"
            and problems.append(f"console error: {msg.text} ({msg.location.get('url', '')})")
        ),
    )


def open_page(browser, url: str, host_port: str, problems: list[str], **context_args):
    """A fresh context and page at ``url``, traffic watched, fonts loaded, network idle."""
    context = browser.new_context(**context_args)
    context.set_default_timeout(WAIT_MS)
    context.set_default_navigation_timeout(WAIT_MS)
    watch_traffic(context, host_port, problems)
    page = context.new_page()
    page.on("pageerror", lambda err: problems.append(f"uncaught JS error: {err}"))
    response = page.goto(url, wait_until="load")
    if response is None or response.status != 200:
        problems.append(f"page {url} answered HTTP {response.status if response else 'nothing'}")
    page.evaluate("document.fonts.ready.then(() => true)")  # the math fonts, among others
    page.wait_for_load_state("networkidle")  # the search worker's index fetch, fonts
    return context, page


def html_text(html: str) -> str:
    """Text of an HTML page outside scripts, styles and code (tags dropped, crude but enough)."""
    html = re.sub(r"<(script|style|pre|code)\b.*?</\1>", " ", html, flags=re.S | re.I)
    return re.sub(r"<[^>]+>", " ", html)


def check_page(browser, url: str, site_dir: Path, server: SiteServer) -> PageReport:
    """Load ``url`` in a new context and report every problem a reader would meet."""
    report = PageReport(url)
    context, page = None, None
    try:
        context, page = open_page(browser, url, server.host_port, report.problems)
        html = page_file(site_dir, url, server.base_url).read_text(encoding="utf-8")
        report.math_count = page.locator("mjx-container").count()
        delivered = html.count("<mjx-container")
        if delivered != report.math_count:
            report.problems.append(
                f"math not as delivered: {delivered} formulas in the HTML "
                f"file, {report.math_count} in the page a reader sees"
            )
        report.problems.extend(raw_tex_problems(page.evaluate(PROSE_TEXT_JS)))
        report.problems.extend(page.evaluate(MATH_ERRORS_JS))
        report.problems.extend(page.evaluate(MATH_RENDERING_JS))
        found = page.evaluate(LINKS_JS)
        report.links = {u for u in found["links"] + found["images"]}
    except Exception as exc:  # a timeout or crash is a finding about this page, not a test error
        report.problems.append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
    finally:
        if context is not None:
            context.close()
    return report


def raw_tex_problems(nodes: list[list[str]]) -> list[str]:
    """One problem per kind of raw TeX found in the page's prose text nodes, with where it is."""
    problems = []
    # TeX split over several nodes (e.g. Markdown emphasis inside $...$) shows in the whole text.
    whole = "".join(text for _, text in nodes)
    for pattern, label in RAW_TEX:
        hit = next(
            ((where, m, text) for where, text in nodes for m in [pattern.search(text)] if m), None
        )
        if hit is None:
            m = pattern.search(whole)
            hit = ("page text", m, whole) if m else None
        if hit:
            where, m, text = hit
            snippet = " ".join(text[max(0, m.start() - 30) : m.end() + 30].split())
            problems.append(f"{label} left in the text, in {where}: {snippet!r}")
    return problems


def internal_target(link: str, site_url: str, server: SiteServer) -> str | None:
    """The local URL a link must resolve to (fragment dropped), or None for external links."""
    parts = urlsplit(link)
    if parts.scheme in {"data", "blob", "mailto", "tel", "javascript"}:
        return None
    if link.startswith(site_url):  # an absolute link to the deployed site
        link = server.base_url + link[len(site_url) :]
        parts = urlsplit(link)
    if parts.netloc != server.host_port:
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


def broken_links(
    links_by_page: Mapping[str, set[str]],
    site_url: str,
    server: SiteServer,
    cache: dict[str, int] | None = None,
) -> list[str]:
    """``page: link -> problem`` for each internal link or image that does not resolve
    under the sub-path (each unique URL is fetched once)."""
    cache = {} if cache is None else cache
    problems = []
    for page, links in sorted(links_by_page.items()):
        for link in sorted(links):
            target = internal_target(link, site_url, server)
            if target is None:
                continue
            if not urlsplit(target).path.startswith(server.prefix):
                problems.append(f"{page}: link {link} leaves the sub-path {server.prefix}")
                continue
            if target not in cache:
                cache[target] = http_status(target)
            if cache[target] != 200:
                problems.append(f"{page}: link {link} -> HTTP {cache[target]}")
    return problems


# --------------------------------------------------------------------------- colours


def parse_css_color(value: str) -> tuple[float, float, float, float]:
    """``rgb(…)``/``rgba(…)`` as computed by the browser -> (r, g, b, alpha), channels 0-255."""
    match = re.fullmatch(
        r"\s*rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+))?\s*\)\s*", value
    )
    if not match:
        raise ValueError(f"expected a computed rgb()/rgba() colour, got {value!r}")
    r, g, b = (float(x) for x in match.group(1, 2, 3))
    alpha = float(match.group(4)) if match.group(4) is not None else 1.0
    return r, g, b, alpha


def _relative_luminance(rgb: tuple[float, float, float]) -> float:
    # WCAG 2: linearise each sRGB channel, then weight by the eye's sensitivity.
    def linear(c: float) -> float:
        c /= 255.0
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio of a (possibly translucent) text colour drawn on an opaque background."""
    fr, fg, fb, fa = parse_css_color(foreground)
    br, bg, bb, _ = parse_css_color(background)
    # A translucent text colour is seen blended with what is behind it.
    shown = (fr * fa + br * (1 - fa), fg * fa + bg * (1 - fa), fb * fa + bb * (1 - fa))
    lighter, darker = sorted(
        (_relative_luminance(shown), _relative_luminance((br, bg, bb))), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


# Colour of every formula and of the first opaque background behind it (page white if none).
_OPAQUE_BG_JS = """
  const opaqueBg = el => {
    for (let e = el; e; e = e.parentElement) {
      const bg = getComputedStyle(e).backgroundColor;
      const m = bg.match(/rgba?\\(([^)]+)\\)/);
      if (m) {
        const parts = m[1].split(/[,\\s/]+/).filter(Boolean);
        if (parts.length < 4 || parseFloat(parts[3]) > 0.99) return bg;
      }
    }
    return 'rgb(255, 255, 255)';
  };"""
MATH_COLORS_JS = (
    """() => {"""
    + _OPAQUE_BG_JS
    + """
  return [...document.querySelectorAll('mjx-container')].map(el => ({
    tex: (el.getAttribute('data-tex') || el.textContent).trim().slice(0, 40),
    color: getComputedStyle(el).color,
    background: opaqueBg(el),
  }));
}"""
)

# Colour and opaque background of every element matching the selector given as argument.
TEXT_COLORS_JS = (
    """(selector) => {"""
    + _OPAQUE_BG_JS
    + """
  return [...document.querySelectorAll(selector)].map(el => ({
    text: el.textContent.trim().slice(0, 40),
    color: getComputedStyle(el).color,
    background: opaqueBg(el),
  }));
}"""
)


def load_lazy_figures(page) -> None:
    """Bring each lazily loaded notebook figure into view and wait until it has loaded,
    as a reader scrolling down the page would."""
    for figure in page.locator("article img.nb-figure").all():
        figure.scroll_into_view_if_needed()
        figure.evaluate("img => img.decode()")  # resolves once the image is loaded
    page.evaluate("window.scrollTo(0, 0)")


# Text colour of each visible element matching a selector, with the first opaque background
# behind it (walking up to <html>; the page's white if none), as [text, color, background].
TEXT_ON_BACKGROUND_JS = """selector => {
  const behind = el => {
    for (let e = el; e; e = e.parentElement) {
      const parts = (getComputedStyle(e).backgroundColor.match(/[\\d.]+/g) || []).map(Number);
      if (parts.length === 3 || (parts.length === 4 && parts[3] > 0.99))
        return getComputedStyle(e).backgroundColor;
    }
    return 'rgb(255, 255, 255)';
  };
  // the text's colour as drawn: its alpha times the opacity of it and every ancestor
  // (Material draws <small> at opacity 0.75, which the colour alone does not show)
  const drawn = el => {
    let opacity = 1;
    for (let e = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
    const [r, g, b, a = 1] = getComputedStyle(el).color.match(/[\\d.]+/g).map(Number);
    return `rgba(${r}, ${g}, ${b}, ${a * opacity})`;
  };
  return [...document.querySelectorAll(selector)].filter(el => el.checkVisibility())
    .map(el => [el.textContent.trim().slice(0, 40), drawn(el), behind(el)]);
}"""
