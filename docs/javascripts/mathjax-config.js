// MathJax 3 configuration. Loaded before assets/mathjax/tex-chtml-full.js (see mkdocs.yml),
// which the hook hooks/mathjax.py copies into the site: no request leaves the site.
window.MathJax = {
  tex: {
    // pymdownx.arithmatex (generic mode) writes every formula as \( .. \) or \[ .. \]
    // inside an element of class "arithmatex"; notebook posts are turned into Markdown
    // by hooks/notebooks.py, so their $ .. $ goes through arithmatex too.
    inlineMath: [["\\(", "\\)"]],
    displayMath: [["\\[", "\\]"]],
    processEscapes: true,
    processEnvironments: true,
  },
  options: {
    // Typeset arithmatex's output and nothing else: every other element is ignored,
    // so a "\(" in code or in search results is never read as math. The one exception
    // is the label of a navigation or table-of-contents entry (md-ellipsis), where a
    // heading with math ("Minimising \(f(x) = x^2 - 1\)") arrives as plain text.
    ignoreHtmlClass: ".*|",
    processHtmlClass: "arithmatex|md-ellipsis",
  },
};

// Material emits document$ once for the first page and again after every instant
// navigation. MathJax typesets the first page by itself when it starts; calling
// typesetPromise() on that first emission races its start-up and renders macros
// such as \boldsymbol or \cancel as red errors. So skip the first emission, and wait
// for start-up before re-typesetting a page that instant navigation swapped in.
(function () {
  if (typeof document$ === "undefined") return;
  let first = true;
  document$.subscribe(function () {
    if (first) {
      first = false;
      return;
    }
    const startup = MathJax.startup;
    if (!startup || !startup.promise) return;
    startup.promise = startup.promise.then(function () {
      startup.output.clearCache();
      MathJax.typesetClear();
      MathJax.texReset();
      return MathJax.typesetPromise();
    });
  });
})();
