"""Rendered formulas kept on disk between builds: ``.cache/mathjax/cache.json``.

An entry is keyed by the formula (TeX and display mode) and by a *salt*: MathJax's version
and the text of typeset.js (its configuration), so a new MathJax or a changed setting
starts an empty cache instead of serving stale markup. The file also keeps the last few
stylesheets, each keyed by the set of formulas it was made for.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from .page import Formula

FILE_NAME = "cache.json"
KEEP_STYLESHEETS = 4


def salt(mathjax_version: str, script: Path) -> str:
    """What the markup depends on besides the formula: MathJax's version and its config."""
    digest = hashlib.sha256(script.read_bytes()).hexdigest()[:16]
    return f"mathjax {mathjax_version}, typeset.js {digest}"


def formula_key(formula: Formula) -> str:
    """The formula's cache key (the salt is the file's, not the key's)."""
    return ("D" if formula.display else "I") + hashlib.sha256(
        formula.tex.encode("utf-8")
    ).hexdigest()


def set_key(keys: set[str]) -> str:
    """Key of a stylesheet: the set of formulas it must cover."""
    return hashlib.sha256("\n".join(sorted(keys)).encode("ascii")).hexdigest()


class FormulaCache:
    """Markup by formula key, and stylesheets by formula-set key; ``save`` writes the file."""

    def __init__(self, folder: Path, salt: str) -> None:
        self.path = Path(folder) / FILE_NAME
        self.salt = salt
        self.markup: dict[str, str] = {}
        self.stylesheets: dict[str, str] = {}
        self.changed = False
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return  # no cache yet, or an unreadable one: start empty
        if isinstance(data, dict) and data.get("salt") == salt:
            self.markup = dict(data.get("markup", {}))
            self.stylesheets = dict(data.get("stylesheets", {}))

    def add_stylesheet(self, key: str, css: str) -> None:
        self.stylesheets.pop(key, None)
        self.stylesheets[key] = css  # newest last; the oldest are dropped on save
        self.changed = True

    def save(self, keep: set[str] | None = None) -> None:
        """Write the file if anything changed; with ``keep``, only those formulas stay."""
        if keep is not None and set(self.markup) - keep:
            self.markup = {k: v for k, v in self.markup.items() if k in keep}
            self.changed = True
        if not self.changed:
            return
        sheets = dict(list(self.stylesheets.items())[-KEEP_STYLESHEETS:])
        self.stylesheets = sheets
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole and renamed into place: a build that stops half-way, or two builds
        # at once, never leave a torn file.
        fd, tmp = tempfile.mkstemp(prefix=".cache-", dir=self.path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"salt": self.salt, "markup": self.markup, "stylesheets": sheets}, out)
        os.replace(tmp, self.path)
        self.changed = False
