"""Small copies of the site in a temporary directory, for tests that build broken input.

A copy's mkdocs.yml inherits the real one (MkDocs' ``INHERIT``) and changes only what the
test says (``inheriting``); by default it switches the notebook plugin off, so nothing is
executed. MkDocs merges mappings key by key, which is why the real mkdocs.yml lists its
plugins as a mapping: a copy sets one option of one plugin and keeps the rest. The copy has
hooks/, snippets/ and the real docs/ tree with its posts removed; the home and
reference pages are replaced by pages that link to nothing the copy lacks.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from conftest import ROOT

IGNORE = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints")


def make_site(root: Path, posts: dict[str, str] | None = None) -> Path:
    """A small copy of the site under ``root`` with ``posts`` (file name -> text) as its
    blog posts; returns its mkdocs.yml."""
    root.mkdir(parents=True)
    inheriting(root / "mkdocs.yml", plugins=NO_NOTEBOOKS)
    for folder in ("hooks", "snippets", "docs"):
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


NO_NOTEBOOKS = {"tested/notebooks": {"enabled": False}}


def inheriting(config: Path, **changes) -> Path:
    """Write ``config``: the real mkdocs.yml, with ``changes`` to its top-level keys (a
    mapping merges into the real one's, so ``plugins={"tested/guards": {"enabled": False}}``
    switches one plugin off and keeps the others; a list replaces). Relative paths in it
    are relative to ``config``'s folder. Returns ``config``."""
    text = f"INHERIT: {ROOT / 'mkdocs.yml'}\n"
    if changes:
        text += yaml.safe_dump(changes, sort_keys=False, allow_unicode=True)
    config.write_text(text, encoding="utf-8")
    return config


def changed(config: Path, **changes) -> Path:
    """Change the top-level keys of ``config``, a copy's mkdocs.yml that ``inheriting``
    wrote (mappings merged into what it has, as MkDocs merges them)."""
    text = config.read_text(encoding="utf-8")
    head, _, body = text.partition("\n")
    assert head.startswith("INHERIT: "), f"{config} is not a copy's mkdocs.yml"
    mine = yaml.safe_load(body) or {}
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(mine.get(key), dict):
            for name, options in value.items():
                mine[key][name] = {**(mine[key].get(name) or {}), **options}
        else:
            mine[key] = value
    return inheriting(config, **mine)


def post(
    slug: str | None, title: str, body: str = "", *, date: str = "2026-01-15", extra: str = ""
) -> str:
    """A valid Markdown post (``slug`` None: no slug line, the title makes one)."""
    slug_line = f"slug: {slug}\n" if slug is not None else ""
    return (
        f"---\ndate: {date}\n{slug_line}authors:\n  - owner\ncategories:\n  - Testing\n"
        f"{extra}---\n\n# {title}\n\nAn excerpt.\n\n<!-- more -->\n\n{body}\n"
    )
