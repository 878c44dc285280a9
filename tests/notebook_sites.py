"""Small throw-away repositories for the notebook pipeline's tests.

``make_repo`` lays out what the pipeline needs and nothing more: a toy ``snippets``
package, a posts folder, and a Material blog config with the ``tested/notebooks`` plugin.
``percent_notebook`` writes a post as a jupytext percent script. ``build`` runs a strict
``mkdocs build`` from an unrelated directory; ``run_pipeline`` calls the pipeline directly
(no MkDocs), which is faster where only execution and caching are under test.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from conftest import mkdocs_build, unmeasured

MINI_CONFIG = """\
site_name: notebook pipeline test
site_url: https://example.test/
theme: {name: material}
plugins:
  - blog: {authors_file: "{blog}/.authors.yml"}
  - tested/notebooks
markdown_extensions:
  - admonition  # a notebook post's downloads note
  - attr_list
  - pymdownx.arithmatex: {generic: true}
  - pymdownx.highlight
  - pymdownx.superfences
  - pymdownx.snippets: {base_path: !relative $config_dir, check_paths: true}
"""

TOY_SNIPPETS = {
    "__init__.py": "",
    "a.py": "from .b import twice\n\n\n# --8<-- [start:thrice]\n"
    "def thrice(x):\n    return x + twice(x)\n# --8<-- [end:thrice]\n",
    "b.py": "def twice(x):\n    return 2 * x\n",
    "c.py": "def half(x):\n    return x / 2\n",
}


def percent_notebook(
    title: str,
    *cells: str,
    slug: str | None = None,
    front: str = "date: 2026-01-02\ncategories: [Tests]\n",
) -> str:
    """A jupytext percent script with front matter; cells starting '#' are Markdown."""
    head = "".join(f"# {line}\n" for line in front.splitlines())
    head += f"# slug: {slug}\n" if slug else ""
    parts = [f"# ---\n{head}# ---\n", f"# %% [markdown]\n# # {title}\n#\n# <!-- more -->\n"]
    for cell in cells:
        if cell.startswith("#"):
            parts.append("# %% [markdown]\n" + cell.rstrip() + "\n")
        else:
            parts.append("# %%\n" + textwrap.dedent(cell).strip() + "\n")
    return "\n".join(parts)


def make_repo(base: Path) -> Path:
    """A small repository under ``base`` (``base/repo``); returns its root."""
    root = base / "repo"
    root.mkdir(parents=True)
    (root / "mkdocs.yml").write_text(MINI_CONFIG, encoding="utf-8")
    for name, source in TOY_SNIPPETS.items():
        path = root / "snippets" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(source, encoding="utf-8")
    docs = root / "docs"
    (docs / "blog" / "posts").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    (docs / "blog" / "index.md").write_text("# Blog\n", encoding="utf-8")
    (docs / "blog" / ".authors.yml").write_text(
        "authors:\n  tester:\n    name: Test Author\n    description: Tests\n"
        "    avatar: https://example.test/a.png\n",
        encoding="utf-8",
    )
    (base / "elsewhere").mkdir()
    return root


def posts_dir(root: Path) -> Path:
    return root / "docs" / "blog" / "posts"


def build(root: Path):
    """Strict build of a temporary site, started from an unrelated directory."""
    result = mkdocs_build(root / "mkdocs.yml", root.parent / "site", cwd=root.parent / "elsewhere")
    result.log = result.stdout + result.stderr
    return result


def executed(log: str) -> list[str]:
    """Posts executed in a build, from its log; checks the summary line agrees."""
    names = re.findall(r"notebooks: executing (\S+)", log)
    summary = re.search(r"notebooks: executed (\d+), from cache (\d+)", log)
    assert summary, log
    assert int(summary.group(1)) == len(names), log
    return sorted(names)


def sources(root: Path) -> list[tuple[str, Path]]:
    """(src_uri, path) of every post in the repository's posts folder."""
    folder = posts_dir(root)
    return sorted(
        (f"blog/posts/{p.name}", p)
        for p in folder.iterdir()
        if p.suffix in (".py", ".ipynb") and not p.name.startswith("_")
    )


def run_pipeline(root: Path, watched: tuple[Path, ...] | list[Path] = (), **options):
    """The pipeline on the repository's posts, without MkDocs; returns its Outcome.
    ``watched``: what the build reads (by default the whole repository)."""
    from tested_blog.notebooks import pipeline

    opts = pipeline.Options(**{"jobs": 2, **options})
    with unmeasured():
        return pipeline.build(
            sources(root),
            root=root,
            cache_dir=root / ".cache" / "notebooks",
            options=opts,
            authors={"tester"},
            watched=watched,
        )


IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml")


def comparable_outputs(nb: dict) -> list[list[tuple[str, ...]]]:
    """Per code cell, what a re-run must reproduce: each output's kind and its text exactly
    (stream text, consecutive writes joined as Jupyter shows them, every text
    representation, an error's name and value); of a figure only
    that it is there and its image type, since its bytes depend on the renderer's settings
    (the site's build draws retina PNGs without the matplotlib version in them)."""
    cells = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        found: list[tuple[str, ...]] = []
        for output in cell.get("outputs", []):
            kind = output["output_type"]
            if kind == "stream":  # consecutive writes to one stream show as one block
                text = output["text"]
                text = text if isinstance(text, str) else "".join(text)
                if found and found[-1][:2] == (kind, output["name"]):
                    text, found = found[-1][2] + text, found[:-1]
                found.append((kind, output["name"], text))
            elif kind == "error":
                found.append((kind, output["ename"], output["evalue"]))
            else:
                for mime, value in sorted(output.get("data", {}).items()):
                    shown = (
                        ""
                        if mime in IMAGE_TYPES
                        else (value if isinstance(value, str) else "".join(value))
                    )
                    found.append(("data", mime, shown))
        cells.append(found)
    return cells


def rerun(path: Path, pythonpath: Path, timeout: int = 600) -> dict:
    """Execute the notebook at ``path`` as a reader would (nbclient, the kernel its metadata
    names, in a folder of its own) with ``pythonpath`` where ``snippets`` is installed."""
    import os

    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    env = {
        **os.environ,
        "PYTHONPATH": str(pythonpath),
        "PYTHONHASHSEED": "0",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    }
    client = NotebookClient(nb, timeout=timeout, resources={"metadata": {"path": str(path.parent)}})
    with unmeasured():
        client.execute(env=env)
    return nb
