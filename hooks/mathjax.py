"""Serve MathJax 3 from the site itself: copy the files the pages load into ``assets/mathjax/``.

The pages load ``assets/mathjax/tex-chtml-full.js`` (see ``extra_javascript`` in mkdocs.yml).
That bundle already contains every TeX extension, so at run time it fetches only the CHTML
web fonts, from ``output/chtml/fonts/woff-v2/`` next to itself (MathJax derives its root from
the URL of the script tag, so the relative layout below is all it needs). Nothing else of the
24 MB distribution is copied.

The files come from the ``mathjax`` package of ``django-static-mathjax`` (pinned in
requirements.txt). ``on_post_build`` runs after every build, including each rebuild of
``mkdocs serve``; unchanged files are not copied again, so live reload stays fast.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

log = logging.getLogger("mkdocs.hooks.mathjax")

BUNDLE = "tex-chtml-full.js"
FONT_DIR = "output/chtml/fonts/woff-v2"
TARGET = "assets/mathjax"


def mathjax_source() -> Path:
    """The ``es5`` directory of the installed MathJax distribution."""
    try:
        import mathjax  # the import name of django-static-mathjax
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise PluginError(
            "hooks/mathjax.py: the 'mathjax' package is missing; "
            "install django-static-mathjax (see requirements.txt)"
        ) from exc
    root = Path(mathjax.__file__).resolve().parent / "static" / "mathjax" / "es5"
    if not (root / BUNDLE).is_file():
        raise PluginError(f"hooks/mathjax.py: expected the MathJax bundle at {root / BUNDLE}")
    return root


def runtime_files(root: Path) -> list[Path]:
    """Paths (relative to ``root``) that tex-chtml-full.js needs when a page is read."""
    fonts = sorted((root / FONT_DIR).glob("*.woff"))
    if not fonts:
        raise PluginError(f"hooks/mathjax.py: no CHTML fonts under {root / FONT_DIR}")
    return [Path(BUNDLE)] + [font.relative_to(root) for font in fonts]


def _up_to_date(src: Path, dest: Path) -> bool:
    # copy2 keeps the source's mtime, so equal size and mtime means an earlier copy.
    if not dest.is_file():
        return False
    s, d = src.stat(), dest.stat()
    return s.st_size == d.st_size and int(s.st_mtime) == int(d.st_mtime)


def copy_mathjax(site_dir: Path) -> int:
    """Copy the run-time files into ``site_dir/assets/mathjax``; return how many were copied."""
    root = mathjax_source()
    copied = 0
    for rel in runtime_files(root):
        src, dest = root / rel, site_dir / TARGET / rel
        if _up_to_date(src, dest):
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dest)
        copied += 1
    return copied


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    # Fail at the start of a build, not after every page has been rendered.
    mathjax_source()
    return config


def on_post_build(config: MkDocsConfig) -> None:
    copied = copy_mathjax(Path(config.site_dir))
    log.debug("copied %d MathJax file(s) into %s", copied, TARGET)
