"""Small copies of the site in a temporary directory, for tests that build broken input.

A copy has the real mkdocs.yml (with the notebook plugin switched off, so nothing is
executed), hooks/, overrides/, snippets/ and the real docs/ tree with its posts removed; the
home and reference pages are replaced by pages that link to nothing the copy lacks.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import ROOT

IGNORE = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints")


def make_site(root: Path, posts: dict[str, str] | None = None) -> Path:
    """A small copy of the site under ``root`` with ``posts`` (file name -> text) as its
    blog posts; returns its mkdocs.yml."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = without_notebooks(config)
    root.mkdir(parents=True)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    for folder in ("hooks", "overrides", "snippets", "docs"):
        shutil.copytree(ROOT / folder, root / folder, ignore=IGNORE)
    post_dir = root / "docs" / "blog" / "posts"
    shutil.rmtree(post_dir)
    post_dir.mkdir()
    (root / "docs" / "index.md").write_text("# Home\n\nA copy for testing.\n", encoding="utf-8")
    (root / "docs" / "reference.md").write_text(
        "# API reference\n\n::: snippets.validation\n", encoding="utf-8"
    )
    for name, text in (posts or {}).items():
        (post_dir / name).write_text(text, encoding="utf-8")
    return root / "mkdocs.yml"


def without_notebooks(config: str) -> str:
    """mkdocs.yml's text with the ``tested/notebooks`` plugin's ``enabled: false``."""
    switched, found = re.subn(
        r"^(\s*)- tested/notebooks:\s*$", r"\g<0>\n\1    enabled: false", config, flags=re.M
    )
    assert found == 1, "mkdocs.yml lists tested/notebooks with options"
    return switched


def post(
    slug: str | None, title: str, body: str = "", *, date: str = "2026-01-15", extra: str = ""
) -> str:
    """A valid Markdown post (``slug`` None: no slug line, the title makes one)."""
    slug_line = f"slug: {slug}\n" if slug is not None else ""
    return (
        f"---\ndate: {date}\n{slug_line}authors:\n  - owner\ncategories:\n  - Testing\n"
        f"{extra}---\n\n# {title}\n\nAn excerpt.\n\n<!-- more -->\n\n{body}\n"
    )
