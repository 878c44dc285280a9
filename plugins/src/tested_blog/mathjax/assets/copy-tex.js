// Copying text that contains typeset math puts the formulas' TeX on the clipboard.
// MathJax draws glyphs with CSS, so a plain copy of a formula would give nothing useful;
// the build stores each formula's source in data-tex on its <mjx-container>
// (tested_blog/mathjax/page.py, with_source). Inline math is copied as $…$, display math
// as $$…$$.
(function () {
  "use strict";
  const delimited = function (container) {
    const tex = container.getAttribute("data-tex") || "";
    return container.getAttribute("display") === "true" ? "$$" + tex + "$$" : "$" + tex + "$";
  };
  document.addEventListener("copy", function (event) {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount || !event.clipboardData) {
      return;
    }
    const range = selection.getRangeAt(0);
    let start = range.commonAncestorContainer;
    if (start.nodeType !== Node.ELEMENT_NODE) start = start.parentElement;
    const inside = start && start.closest("mjx-container[data-tex]");
    let text;
    if (inside) {
      text = delimited(inside); // a selection within one formula copies all of it
    } else {
      const fragment = range.cloneContents();
      const containers = fragment.querySelectorAll("mjx-container[data-tex]");
      if (!containers.length) return; // no math selected: the browser's own copy
      containers.forEach(function (container) {
        container.replaceWith(document.createTextNode(delimited(container)));
      });
      text = fragment.textContent;
    }
    event.clipboardData.setData("text/plain", text);
    event.preventDefault();
  });
})();
