"""MathJax's three outputs for the site's math, compared. Prints; asserts nothing.

    python benchmarks/bench_math_output.py [--site DIR] [--runs 3] [--no-firefox]

The site typesets its formulas at build time with MathJax's CHTML output (HTML elements
drawn with MathJax's web fonts and a stylesheet). This benchmark takes the built main post
and one notebook post and makes two copies of each with every formula replaced by the
other outputs of the same MathJax 3.2.2 and the same TeX (the ``data-tex`` of each
formula):

- **SVG**: each formula an inline ``<svg>`` of glyph paths (``fontCache: "local"``: a
  glyph drawn twice in one formula is defined once), with its assistive MathML, and
  MathJax's SVG stylesheet instead of the CHTML one; no web font. Sized in ex of the
  surrounding text, so without the CHTML output's 1.195 scale.
- **MathML**: MathJax's MathML for the formula, drawn by the browser itself (MathML Core:
  Chromium since 109, Firefox, Safari), with the reader's system math font; no stylesheet,
  no web font.

For each output and page it prints the HTML's size (raw and gzip, as GitHub Pages sends
it), the bytes of what the math needs besides (stylesheet and fonts), the number of
elements, and Lighthouse's mobile figures (``bench_lighthouse.py``: slow 4G, 4x CPU,
gzip serving; median of ``--runs``). For fidelity it draws a sample of formulas (the
main post's display formulas and the first inline ones) in each output side by side, in
Chromium and, when ``firefox`` is installed (Debian's firefox-esr), in Firefox's engine,
into test-artifacts/math-output/*.png for people to look at; and it measures, in
Chromium, how far each formula's drawn width is from CHTML's.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

import bench_lighthouse as lighthouse_bench
from tested_blog.mathjax import distribution
from tested_blog.mathjax.node import find_node

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "math-output"
PAGES = ("blog/ml-interview-basics/", "blog/softmax-regression/")
OUTPUTS = ("chtml", "svg", "mathml")
CONTAINER = re.compile(r'<mjx-container data-tex="([^"]*)"([^>]*)>.*?</mjx-container>', re.S)
CHTML_LINK = re.compile(r'<link rel="stylesheet" href="([./]*)assets/mathjax/chtml\.css">')
SAMPLE_INLINE = 12

# MathJax under Node, the site's options (typeset.js), for the two other outputs.
DRIVER = r"""
const path = require("path");
const readline = require("readline");
console.log = console.info = console.warn = (...a) => process.stderr.write(a.join(" ") + "\n");
require(path.join(process.argv[2], "node-main.js")).init({
  loader: { load: ["adaptors/liteDOM", "input/tex-full", "output/svg", "a11y/assistive-mml"] },
  tex: { packages: { "[-]": ["noundefined", "noerrors"] } },
  svg: { fontCache: "local" },
  startup: { typeset: false },
}).then((MathJax) => {
  const adaptor = MathJax.startup.adaptor;
  const send = (m) => process.stdout.write(JSON.stringify(m) + "\n");
  readline.createInterface({ input: process.stdin }).on("line", (line) => {
    const request = JSON.parse(line);
    if (request.stylesheet) return send({ css: adaptor.textContent(MathJax.svgStylesheet()) });
    const [tex, display] = request;
    MathJax.texReset();
    const svg = adaptor.outerHTML(MathJax.tex2svg(tex, { display }));
    MathJax.texReset();
    send({ svg, mathml: MathJax.tex2mml(tex, { display }) });
  });
  send({ ready: true });
});
"""


class Driver:
    """One MathJax process giving the SVG and MathML of a formula."""

    def __init__(self, work: Path) -> None:
        script = work / "driver.js"
        script.write_text(DRIVER, encoding="utf-8")
        self.process = subprocess.Popen(
            [find_node(), str(script), str(distribution.es5_dir())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert json.loads(self._line())["ready"]

    def _line(self) -> str:
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit("the MathJax driver ended early")
        return line

    def ask(self, request) -> dict:
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return json.loads(self._line())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


def variant_site(site: Path, work: Path, output: str, driver: Driver) -> Path:
    """A copy of ``site`` whose PAGES draw their math with ``output``."""
    copy = work / output
    shutil.copytree(site, copy)
    if output == "chtml":
        return copy
    if output == "svg":
        css = driver.ask({"stylesheet": True})["css"]
        (copy / "assets" / "mathjax" / "svg.css").write_text(css, encoding="utf-8")
    for rel in PAGES:
        page = copy / rel / "index.html"
        text = page.read_text(encoding="utf-8")

        def replace(match: re.Match[str]) -> str:
            tex, display = html.unescape(match.group(1)), 'display="true"' in match.group(2)
            return driver.ask([tex, display])[output]

        text = CONTAINER.sub(replace, text)
        stylesheet = r'<link rel="stylesheet" href="\1assets/mathjax/svg.css">'
        text = CHTML_LINK.sub(stylesheet if output == "svg" else "", text)
        page.write_text(text, encoding="utf-8")
    return copy


def weights(site: Path, rel: str, output: str) -> dict:
    page = (site / rel / "index.html").read_bytes()
    extra = 0
    if output == "chtml":
        extra = len(gzip.compress((site / "assets/mathjax/chtml.css").read_bytes()))
        extra += sum(p.stat().st_size for p in (site / "assets/mathjax/fonts").iterdir())
    elif output == "svg":
        extra = len(gzip.compress((site / "assets/mathjax/svg.css").read_bytes()))
    return {
        "raw": len(page),
        "gzip": len(gzip.compress(page, compresslevel=6)),
        "extra": extra,
        "elements": len(re.findall(rb"<[a-zA-Z]", page)),
    }


# A formula: MathJax's container (CHTML, SVG), or a <math> that is not the assistive
# MathML inside one.
FORMULAS = "article mjx-container, article math:not(mjx-assistive-mml math)"
SAMPLE_JS = """([formulas, count]) => {
  const all = [...document.querySelectorAll(formulas)];
  const shown = m => ['true', 'block'].includes(m.getAttribute('display'));
  const display = all.filter(shown);
  const inline = all.filter(m => !shown(m)).slice(0, count);
  return [...display, ...inline].map(m => m.outerHTML);
}"""
WIDTHS_JS = """(formulas) => [...document.querySelectorAll(formulas)]
  .map(m => m.getBoundingClientRect().width)"""
OPEN_ALL_JS = "document.querySelectorAll('details').forEach(d => { d.open = true; })"


def sample_page(samples: dict[str, list[str]], base: str) -> str:
    """One page with the sampled formulas of each output side by side."""
    rows = []
    for i in range(min(len(s) for s in samples.values())):
        cells = "".join(f"<td>{samples[o][i]}</td>" for o in OUTPUTS)
        rows.append(f"<tr><th>{i + 1}</th>{cells}</tr>")
    head = "".join(f"<th>{o}</th>" for o in OUTPUTS)
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<link rel='stylesheet' href='{base}/chtml/assets/mathjax/chtml.css'>"
        f"<link rel='stylesheet' href='{base}/svg/assets/mathjax/svg.css'>"
        "<style>body{font:16px sans-serif;margin:8px}td,th{border:1px solid #ccc;"
        "padding:4px 8px;vertical-align:middle}table{border-collapse:collapse}</style>"
        f"</head><body><table><tr><th></th>{head}</tr>{''.join(rows)}</table></body></html>"
    )


def fidelity(sites: dict[str, Path], use_firefox: bool) -> None:
    from playwright.sync_api import sync_playwright

    comparison = sites["chtml"].parent / "sample" / "index.html"
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    servers = {o: lighthouse_bench.serve(site) for o, site in sites.items()}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chrome)
            page = browser.new_page(viewport={"width": 1000, "height": 900})
            widths, samples = {}, {}
            for output, (_, base) in servers.items():
                page.goto(base + PAGES[0], wait_until="load")
                page.evaluate("document.fonts.ready.then(() => true)")
                page.evaluate(OPEN_ALL_JS)
                page.add_style_tag(content="* { content-visibility: visible !important; }")
                samples[output] = page.evaluate(SAMPLE_JS, [FORMULAS, SAMPLE_INLINE])
                widths[output] = page.evaluate(WIDTHS_JS, FORMULAS)
            for output in OUTPUTS[1:]:
                ratios = [
                    w / c for w, c in zip(widths[output], widths["chtml"], strict=True) if c > 0
                ]
                off = sum(abs(r - 1) > 0.1 for r in ratios)
                print(
                    f"  Chromium, main post: {output} width / CHTML width over {len(ratios)} "
                    f"formulas: median {statistics.median(ratios):.3f}, "
                    f"{off} more than 10% off"
                )
            comparison.parent.mkdir(exist_ok=True)
            comparison.write_text(sample_page(samples, ".."), encoding="utf-8")
            page.goto(comparison.as_uri())
            page.evaluate("document.fonts.ready.then(() => true)")
            page.screenshot(path=str(ARTIFACTS / "chromium.png"), full_page=True)
            browser.close()
        firefox = shutil.which("firefox") or shutil.which("firefox-esr")
        if use_firefox and firefox:
            target = ARTIFACTS / "firefox.png"
            subprocess.run(
                [
                    firefox,
                    "--headless",
                    "--screenshot",
                    str(target),
                    "--window-size=2400,6000",
                    comparison.as_uri(),
                ],
                capture_output=True,
                timeout=180,
            )
            print(f"  Firefox: {target.relative_to(ROOT) if target.exists() else 'no screenshot'}")
        elif use_firefox:
            print("  Firefox: not installed (apt-get install firefox-esr), not drawn")
        print(f"  side by side: {(ARTIFACTS / 'chromium.png').relative_to(ROOT)}")
    finally:
        for server, _ in servers.values():
            server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one)")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page")
    parser.add_argument("--no-firefox", action="store_true", help="skip Firefox")
    args = parser.parse_args()
    node, npm = lighthouse_bench.lighthouse_node()
    lighthouse_bench.install_lighthouse(npm)
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    with tempfile.TemporaryDirectory(prefix="bench-math-output-") as tmp:
        work = Path(tmp)
        site = args.site or lighthouse_bench.build_site(work)
        driver = Driver(work)
        try:
            sites = {o: variant_site(site, work / "variants", o, driver) for o in OUTPUTS}
        finally:
            driver.close()
        print(f"MathJax {distribution.version()}; Lighthouse mobile, median of {args.runs}")
        for rel in PAGES:
            print(f"\n{rel}")
            for output, variant in sites.items():
                w = weights(variant, rel, output)
                server, base = lighthouse_bench.serve(variant)
                try:
                    runs = [
                        lighthouse_bench.lighthouse(node, base + rel, chrome, False)
                        for _ in range(args.runs)
                    ]
                finally:
                    server.shutdown()

                def median(audit: str, runs=runs) -> float:
                    return statistics.median(r["audits"][audit]["numericValue"] for r in runs)

                perf = "/".join(
                    str(round(100 * r["categories"]["performance"]["score"])) for r in runs
                )
                print(
                    f"  {output:6s} HTML {w['raw'] / 1e3:5.0f} kB ({w['gzip'] / 1e3:3.0f} kB gz)"
                    f" + {w['extra'] / 1e3:3.0f} kB css/fonts, {w['elements']:5d} elements;"
                    f" performance {perf}, FCP {median('first-contentful-paint') / 1e3:.2f} s,"
                    f" LCP {median('largest-contentful-paint') / 1e3:.2f} s,"
                    f" TBT {median('total-blocking-time'):.0f} ms"
                )
        print("\nfidelity")
        fidelity(sites, not args.no_firefox)


if __name__ == "__main__":
    main()
