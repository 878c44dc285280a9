// MathJax 3 under Node: TeX in, CHTML markup out, one long-lived process per build.
//
//   node typeset.js <MathJax es5 directory>
//
// Protocol: JSON lines on stdin/stdout, one answer line per request line, in order.
//   {"render": [[tex, display], ...]}  ->  {"html": [markup or {"error": message}, ...]}
//   {"stylesheet": true}               ->  {"css": text}
// The first line written is {"ready": true, "version": "3.2.2"} once MathJax has loaded;
// a request that cannot be answered gets {"fatal": message}. MathJax's own console output
// (e.g. its loader's version notices) goes to stderr, so stdout carries only the protocol.
//
// The stylesheet holds the rules of every character this process has typeset so far
// (MathJax's adaptive CSS), so ask for it after rendering what the pages use.
"use strict";

const path = require("path");
const readline = require("readline");

const es5 = process.argv[2];
if (!es5) {
  process.stderr.write("usage: node typeset.js <MathJax es5 directory>\n");
  process.exit(2);
}
// The commands of the loaded packages (MathJax 3.2.2's tex-full, less newcommand, require
// and autoload, removed below) that define a macro, a colour or a tag form for the rest of
// the process, as \newcommand would: \DeclareMathOperator (ams), the paired delimiters and
// tag forms (mathtools), \definecolor (color) and \setOptions (setoptions).
const DEFINES =
  /\\(DeclareMathOperator|DeclarePairedDelimiters?(?:XPP|X)?|definecolor|newtagform|renewtagform|usetagform|setOptions)(?![A-Za-z])/;
const send = (message) => process.stdout.write(JSON.stringify(message) + "\n");
const toStderr = (...args) => process.stderr.write(args.join(" ") + "\n");
console.log = console.info = console.warn = toStderr;

require(path.join(es5, "node-main.js")).init({
  loader: {
    load: ["adaptors/liteDOM", "input/tex-full", "output/chtml", "a11y/assistive-mml"],
  },
  tex: {
    // Without these two, an undefined macro is drawn as red text and an error as its
    // source: both would pass silently. Removed, each comes back as an <mjx-merror> whose
    // data-mjx-error attribute the build reports.
    // Without the next three, a formula could define a macro (\newcommand, \renewcommand,
    // \def, \let, or \require{newcommand}, or autoloaded on first use) that every later
    // formula of this process would see, in whatever order the build sends them: one
    // post's \renewcommand{\vec} redrew another post's \vec, and the cache, keyed by each
    // formula alone, kept it so. Removed, a definition is an undefined control sequence.
    packages: { "[-]": ["noundefined", "noerrors", "newcommand", "require", "autoload"] },
  },
  chtml: {
    // The stylesheet is served from assets/mathjax/, the fonts from assets/mathjax/fonts/.
    fontURL: "fonts",
    // In the browser MathJax scaled each formula so that its x-height matched the text's:
    // the site's system fonts have an x-height of about 0.53 em, MathJax's TeX font 0.44 em,
    // and Chromium measured 119.5% on every formula of the main post. Nothing can be
    // measured at build time, so the same factor is fixed here: formulas keep their size.
    scale: 1.195,
    matchFontHeight: false,
  },
  startup: { typeset: false },
}).then((MathJax) => {
  const adaptor = MathJax.startup.adaptor;

  const render = ([tex, display]) => {
    // Each formula on its own: no \label or equation number leaks from one into the next,
    // so the markup depends only on (tex, display), which is what the build caches it by.
    const defining = DEFINES.exec(tex);
    if (defining) {
      return {
        error:
          `\\${defining[1]} defines something every formula typeset after this one would` +
          " see, in any post: write it out where it is used",
      };
    }
    try {
      MathJax.texReset();
      return adaptor.outerHTML(MathJax.tex2chtml(tex, { display }));
    } catch (err) {
      // TeX errors come back as <mjx-merror>; this is MathJax itself failing on the input
      // (e.g. a control character from a docstring that is not a raw string).
      return { error: "MathJax failed on this formula: " + String((err && err.message) || err) };
    }
  };

  const answer = (line) => {
    const request = JSON.parse(line);
    if (Array.isArray(request.render)) return { html: request.render.map(render) };
    if (request.stylesheet) return { css: adaptor.textContent(MathJax.chtmlStylesheet()) };
    throw new Error("unknown request: " + line.slice(0, 200));
  };

  readline.createInterface({ input: process.stdin }).on("line", (line) => {
    if (!line.trim()) return;
    try {
      send(answer(line));
    } catch (err) {
      send({ fatal: String((err && err.stack) || err) });
    }
  });
  send({ ready: true, version: MathJax.version });
}).catch((err) => {
  send({ fatal: "MathJax failed to start: " + String((err && err.stack) || err) });
  process.exit(1);
});
