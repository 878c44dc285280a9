"""Where the MathJax 3 distribution is: the ``mathjax`` package of django-static-mathjax.

The build uses its ``es5/node-main.js`` (MathJax for Node), the components it loads, and
the CHTML fonts it serves to readers; nothing of it is loaded by a reader's browser except
those fonts.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import metadata
from pathlib import Path

from .. import INSTALL

DISTRIBUTION = "django-static-mathjax"
FONT_DIR = Path("output", "chtml", "fonts", "woff-v2")


class MathJaxMissing(RuntimeError):
    """The distribution is not installed, or lacks a file the build needs."""


@cache
def package_root() -> Path:
    """The distribution's root folder (it holds package.json and es5/)."""
    # Found through the installed distribution, not `import mathjax`: a site's hooks/ folder
    # (on sys.path while MkDocs loads hooks) may hold a module of that name.
    try:
        dist = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError as exc:
        raise MathJaxMissing(
            f"{DISTRIBUTION} is not installed (the plugins require it: {INSTALL})"
        ) from exc
    root = Path(str(dist.locate_file("mathjax/static/mathjax"))).resolve()
    for needed in ("package.json", "es5/node-main.js", f"es5/{FONT_DIR.as_posix()}"):
        if not (root / needed).exists():
            raise MathJaxMissing(f"the MathJax distribution at {root} has no {needed}")
    return root


def es5_dir() -> Path:
    """The ``es5`` folder: node-main.js and the components it loads."""
    return package_root() / "es5"


def font_dir() -> Path:
    """The CHTML web fonts (woff) the stylesheet refers to."""
    return es5_dir() / FONT_DIR


@cache
def version() -> str:
    """MathJax's version, from the distribution's package.json (e.g. ``3.2.2``)."""
    return json.loads((package_root() / "package.json").read_text(encoding="utf-8"))["version"]
