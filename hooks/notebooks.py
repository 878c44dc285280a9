"""Executable blog posts written as notebooks (jupytext percent ``.py`` or ``.ipynb``).

Writing one: put ``name.py`` (or ``name.ipynb``) in ``docs/blog/posts/``. Its first cell
is the post's front matter, the same YAML as a Markdown post's, between ``---`` lines (in
a percent script these are the ``# ---`` header lines jupytext reads). Markdown cells are
Markdown: ``$..$`` math, ``<!-- more -->`` for the excerpt, and code shown from the package
with a fenced ``--8<-- "snippets/optim.py:adam"`` line. Link to another notebook post by
its page name, ``name.md``. Code cells import from ``snippets`` and never redefine it.

Mechanism: in ``on_files`` every notebook under the blog's posts directory is executed (or
taken from the cache) and turned into an ordinary Markdown post, which replaces the
notebook in the file collection *before* the blog plugin looks for posts. From then on the
post is a hand-written one as far as every plugin can tell: the blog plugin reads its front
matter, excerpt and read time; the archive, category pages, tags, search and RSS feed list
it; its Markdown goes through the site's own extensions, so math is typeset by arithmatex
like everywhere else and a ``--8<--`` line is expanded by pymdownx.snippets (a missing
section fails the build exactly as in a Markdown post). Code cells become ``python``
fences, text output ``text`` fences titled "Output", figures ``<img>`` tags with the PNG
inline (``data:`` URI). The generated Markdown lives in ``.cache/notebooks/pages/``.

Why not mkdocs-jupyter for these posts: its page is an nbconvert HTML body the blog plugin
cannot excerpt (the excerpt would be rendered from the raw ``.py`` source), a ``.py`` or
``.ipynb`` post has no front matter the blog plugin accepts, the two plugins crash with a
recursion in ``NotebookFile.__getattr__`` when the blog copies the file, its math bypasses
arithmatex and its cache ignores ``snippets/``. Converting to Markdown sidesteps all of
that and relies on three behaviours only, each pinned by a ``test_pinned_*`` test in
tests/test_notebooks.py:

* ``File.generated(config, src_uri, abs_src_path=...)`` (mkdocs >= 1.6) makes a
  documentation page backed by a file outside ``docs/``;
* the blog plugin collects posts in ``on_files`` at priority -50 (this hook runs at +50)
  and reads a post's front matter and Markdown from ``file.abs_src_path``;
* jupytext turns the YAML header of a percent script (keys other than ``jupyter``) into
  a first raw cell ``---\\n...\\n---``.

Execution: nbclient runs each notebook with ``allow_errors=False`` in a fresh ``python3``
kernel of this interpreter, all notebooks side by side, one BLAS thread each (the rounding
of a BLAS sum can depend on its thread count). The working directory is the notebook's
folder and the repository root (the folder of mkdocs.yml) comes first on ``PYTHONPATH``,
so ``import snippets`` finds this checkout's package whatever directory the build starts
from. A cell that raises fails the build with a message naming the post, the cell number,
its line in the source and the exception. A hidden first cell selects PNG figures
(retina, without the "Software" metadata) and a hidden last cell reports what the kernel
imported. Cells tagged ``remove-cell``, ``remove-input`` or ``remove-output`` run but are
shown in part only; a cell tagged ``raises-exception`` may raise (its traceback is shown).
Output written to stderr, or containing a memory address (``at 0x7f..``, different on
every run), is a warning, hence an error under ``--strict``.

Cache (``.cache/notebooks/`` next to mkdocs.yml): an entry is found by the sha256 of the
notebook's bytes, its path, the Python version and this file's source, and is used only
if its *manifest* still holds: the sha256 of every module file under the repository root
that the kernel had imported when the notebook finished (the ``snippets`` modules it
imported, transitively, dynamic imports included) and the version of every installed
distribution it had imported. So an unchanged rebuild executes nothing (and does not even
parse the notebooks), and an edit to a notebook or to a ``snippets`` module re-executes
exactly the notebooks that use it. Entries a build did not use are deleted at its end.
The log line ``notebooks: executed N, from cache M (T s)`` reports what happened.
"""


from __future__ import annotations

import asyncio
import hashlib
import html
import importlib.metadata
import json
import logging
import os
import re
import sys
import sysconfig
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.hooks.notebooks")

NOTEBOOK_SUFFIXES = (".py", ".ipynb")
CACHE_DIR = Path(".cache") / "notebooks"
CELL_TIMEOUT = 300  # seconds; a cell that hangs fails the build instead of blocking it
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*\Z", re.DOTALL)
ADDRESS = re.compile(r"\bat 0x[0-9a-fA-F]{6,}\b")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

# Runs before the first cell. Retina PNG: sharp on high-DPI screens. 'Software': None
# drops the PNG text chunk naming the matplotlib build (PNGs carry no timestamp), so
# the bytes depend on the drawing alone and a re-run gives identical images.
SETUP_CELL = """\
get_ipython().run_line_magic("matplotlib", "inline")
get_ipython().run_line_magic("config", "InlineBackend.figure_formats = ['retina']")
get_ipython().run_line_magic(
    "config", "InlineBackend.print_figure_kwargs = "
    "{'bbox_inches': 'tight', 'metadata': {'Software': None}}")
"""

# Runs after the last cell: which files under the root, and which distributions, the
# notebook's code imported (directly or not). Printed as one JSON line.
MANIFEST_CELL = """\
def _nb_manifest(root, excluded):
    import importlib.metadata, json, os, sys
    files = set()
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if not path:
            continue
        path = os.path.realpath(path)
        if path.startswith(root + os.sep) and not path.startswith(excluded):
            files.add(os.path.relpath(path, root))
    owners = importlib.metadata.packages_distributions()
    dists = {d for name in list(sys.modules) for d in owners.get(name.partition(".")[0], ())}
    print(json.dumps({"files": sorted(files), "dists": sorted(dists)}))
"""


@dataclass(eq=False)  # compared by identity
class Notebook:
    """One notebook post: where it is, its cache entry, and (once known) its executed cells."""

    file: File
    path: Path  # absolute path of the .py / .ipynb source
    key: str
    cache_file: Path
    nb: dict | None = None  # the parsed notebook without its front matter cell (on a miss)
    front_matter: str = ""
    executed: dict | None = None  # nbformat JSON (dict) of the executed notebook
    manifest: dict = field(default_factory=dict)


# --------------------------------------------------------------------------- helpers


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def _posts_dir(config: MkDocsConfig) -> str:
    """``blog/posts`` or wherever the blog plugin's ``post_dir`` points (relative to docs)."""
    blog = config.plugins.get("material/blog")
    if blog is None:
        return "blog/posts"
    return os.path.normpath(blog.config.post_dir.format(blog=blog.config.blog_dir))


def _sha256(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")  # separator: ("ab", "c") and ("a", "bc") hash differently
    return h.hexdigest()


def _version(dist: str, memo: dict[str, str | None] = {}) -> str | None:  # noqa: B006
    # Memoised for the process: ~1 ms per lookup, ~50 distributions per notebook.
    if dist not in memo:
        try:
            memo[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            memo[dist] = None
    return memo[dist]


def _excluded_prefix() -> str:
    # Installed packages never count as "files under the root", even if a virtualenv
    # lives inside the repository: their version stands for them instead.
    return os.path.realpath(sysconfig.get_paths()["purelib"])


def _snapshot(root: Path, folder: Path) -> dict[str, str]:
    """sha256 of every module a notebook could import from the repository: the packages
    and modules at the root (it is on PYTHONPATH) and those in the notebook's folder."""
    paths = [*root.glob("*.py"), *folder.glob("*.py")]
    for package in root.iterdir():
        if (package / "__init__.py").is_file():
            paths.extend(package.rglob("*.py"))
    return {os.path.relpath(p, root): _sha256(p.read_bytes()) for p in paths}


def _locate(file: File, root: Path) -> Notebook:
    """The notebook's cache key: its bytes, its place, the Python and this hook's source."""
    path = Path(file.abs_src_path)
    key = _sha256(path.read_bytes(), file.src_uri, sys.version, Path(__file__).read_bytes())
    return Notebook(file=file, path=path, key=key, cache_file=root / CACHE_DIR / f"{key}.json")


def _parse(notebook: Notebook) -> None:
    """Read the notebook (only needed when it must run) and split off its front matter."""
    import jupytext

    src = notebook.file.src_uri
    try:
        nb = jupytext.reads(notebook.path.read_text(encoding="utf-8"),
                            fmt=notebook.path.suffix.lstrip("."))
    except Exception as exc:
        raise PluginError(f"Notebook post '{src}' could not be read: {exc}") from exc
    first = nb.cells[0] if nb.cells else None
    match = FRONT_MATTER.match(first.source.strip()) if first is not None else None
    if first is None or first.cell_type == "code" or not match:
        raise PluginError(
            f"Notebook post '{src}' has no front matter: its first cell must be a YAML "
            "block between '---' lines (in a percent script: '# ---' header lines)"
        )
    try:
        meta = yaml.safe_load(match.group(1) or "")
    except yaml.YAMLError as exc:
        raise PluginError(f"Notebook post '{src}': invalid front matter: {exc}") from exc
    if not isinstance(meta, dict):
        raise PluginError(f"Notebook post '{src}': front matter must be a YAML mapping")
    nb.cells = nb.cells[1:]
    notebook.nb, notebook.front_matter = nb, first.source.strip()


def _load_cached(notebook: Notebook, root: Path) -> bool:
    """Take the executed notebook from the cache if the entry's manifest is still true."""
    try:
        entry = json.loads(notebook.cache_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    for rel, digest in entry["manifest"]["files"].items():
        try:
            if _sha256((root / rel).read_bytes()) != digest:
                return False
        except OSError:  # the module was deleted or renamed
            return False
    for dist, version in entry["manifest"]["dists"].items():
        if _version(dist) != version:
            return False
    notebook.front_matter = entry["front_matter"]
    notebook.executed, notebook.manifest = entry["notebook"], entry["manifest"]
    return True


def _cell_line(notebook: Notebook, cell) -> str:
    """`` (line N)``: where the cell's first line is in the source file, when findable."""
    if notebook.path.suffix != ".py":
        return ""
    first = next((line for line in cell.source.splitlines() if line.strip()), "")
    text = notebook.path.read_text(encoding="utf-8")
    at = text.find(first) if first else -1
    return f" (line {text.count(chr(10), 0, at) + 1})" if at >= 0 else ""


def _raise_cell_error(notebook: Notebook, nb, failed: list[int], exc: Exception) -> None:
    """Raise a PluginError naming the post and the cell (number, line, first line)."""
    index = failed[-1] if failed else None  # earlier entries were allowed errors
    if index is None:  # a timeout does not call on_cell_error
        index = next((i for i, c in enumerate(nb.cells)
                      if c.cell_type == "code" and c.get("execution_count") is None), 0)
    # nb.cells[0] is the hidden setup cell, so index == the notebook's own cell number
    # counted from 1 after the front matter cell.
    if index == 0:
        where = "the setup cell the hook runs first"
    elif index == len(nb.cells) - 1:
        where = "the manifest cell the hook runs last"
    else:
        cell = nb.cells[index]
        first = next((ln for ln in cell.source.splitlines() if ln.strip()), "")
        where = f"cell {index}{_cell_line(notebook, cell)} {first!r}"
    reason = ANSI.sub("", str(exc)).strip()
    raise PluginError(f"Notebook post '{notebook.file.src_uri}' failed in {where}:\n{reason}")


async def _execute(notebook: Notebook, root: Path) -> None:
    """Run the notebook in a fresh kernel; record its outputs and its import manifest."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    nb = nbformat.from_dict(json.loads(json.dumps(notebook.nb)))  # a private copy
    if not any(cell.cell_type == "code" for cell in nb.cells):
        notebook.executed = json.loads(json.dumps(nb))
        notebook.manifest = {"files": {}, "dists": {}}
        return  # Markdown only: nothing to run, no kernel to start
    excluded = _excluded_prefix()
    before = _snapshot(root, notebook.path.parent)
    nb.cells.insert(0, nbformat.v4.new_code_cell(SETUP_CELL))
    nb.cells.append(nbformat.v4.new_code_cell(
        MANIFEST_CELL + f"_nb_manifest({str(root.resolve())!r}, {excluded!r})\n"))
    failed: list[int] = []
    client = NotebookClient(
        nb, timeout=CELL_TIMEOUT, kernel_name="python3", allow_errors=False,
        resources={"metadata": {"path": str(notebook.path.parent)}},
        on_cell_error=lambda cell, cell_index, execute_reply: failed.append(cell_index),
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    env["PYTHONHASHSEED"] = "0"  # set iteration order is part of some printed outputs
    # One BLAS thread per kernel: the kernels already run side by side (more threads would
    # only compete for the cores), and a BLAS sum's rounding can depend on its thread count.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = "1"
    env.pop("MPLBACKEND", None)
    # The kernel process's own stderr carries only jupyter_client chatter (cell output
    # arrives over the messaging channel); keep it for the error message if it dies.
    with tempfile.TemporaryFile("w+", encoding="utf-8") as kernel_log:
        try:
            await client.async_execute(env=env, stderr=kernel_log)
        except (CellExecutionError, CellTimeoutError) as exc:
            _raise_cell_error(notebook, nb, failed, exc)
        except DeadKernelError as exc:
            kernel_log.seek(0)
            raise PluginError(f"Notebook post '{notebook.file.src_uri}': the kernel died "
                              f"({exc})\n{kernel_log.read()[-2000:]}") from None
    # The manifest cell printed one JSON line naming the files. Their hashes are the ones
    # from before the run: a file edited while the kernel ran must not look up to date.
    report = json.loads(nb.cells[-1].outputs[-1]["text"])
    notebook.manifest = {
        "files": {rel: before.get(rel) or _sha256((root / rel).read_bytes())
                  for rel in report["files"]},
        "dists": {d: _version(d) for d in report["dists"] if _version(d) is not None},
    }
    nb.cells = nb.cells[1:-1]
    notebook.executed = json.loads(json.dumps(nb))  # plain JSON, as in the cache


def _execute_all(notebooks: list[Notebook], root: Path) -> None:
    """Run the notebooks concurrently (one kernel each); report every failure at once."""

    async def run_all():
        return await asyncio.gather(*(_execute(nb, root) for nb in notebooks),
                                    return_exceptions=True)

    # A worker thread has no event loop of its own, so asyncio.run works there even when
    # the build is started from code that is inside one (e.g. a process driving Playwright).
    with ThreadPoolExecutor(max_workers=1) as pool:
        results = pool.submit(asyncio.run, run_all()).result()
    errors = [r for r in results if isinstance(r, BaseException)]
    for error in errors:
        if not isinstance(error, PluginError):
            raise error
    if errors:
        raise PluginError("\n\n".join(str(e) for e in errors))


# ------------------------------------------------------------------ to Markdown


def _fence(text: str, info: str) -> str:
    """``text`` in a backtick fence longer than any backtick run inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{info}\n{text.rstrip()}\n{ticks}\n"


def _joined(value: str | list[str]) -> str:
    # nbformat JSON may store multi-line strings as lists of lines.
    return value if isinstance(value, str) else "".join(value)


def _output_markdown(output, notebook: Notebook, cell_no: int, figures: list[int]) -> str:
    kind = output["output_type"]
    if kind == "stream":
        text = _joined(output["text"])
        if output.get("name") == "stderr":
            log.warning("Notebook post '%s', cell %d wrote to stderr:\n%s",
                        notebook.file.src_uri, cell_no, text.strip())
        return _fence(text, 'text title="Output"') if text.strip() else ""
    if kind == "error":  # only for cells tagged raises-exception
        return _fence(ANSI.sub("", "\n".join(output["traceback"])), 'text title="Error"')
    data, meta = output.get("data", {}), output.get("metadata", {})
    if "image/png" in data:
        figures[0] += 1
        size = meta.get("image/png", {})
        attrs = "".join(f' {dim}="{size[dim]}"' for dim in ("width", "height") if dim in size)
        alt = html.escape(f"Figure {figures[0]}: output of cell {cell_no}", quote=True)
        src = "data:image/png;base64," + "".join(_joined(data["image/png"]).split())
        return f'<p class="nb-figure"><img alt="{alt}" src="{src}"{attrs}></p>\n'
    if "text/markdown" in data:
        return _joined(data["text/markdown"]) + "\n"
    if "text/plain" in data:
        return _fence(_joined(data["text/plain"]), 'text title="Output"')
    return ""


def _check_deterministic(notebook: Notebook, cell_no: int, output) -> None:
    text = _joined(output.get("text") or output.get("data", {}).get("text/plain", ""))
    if ADDRESS.search(text):
        log.warning(
            "Notebook post '%s', cell %d prints a memory address (%s), so its page changes "
            "on every run; end the line with ';' or call plt.show()",
            notebook.file.src_uri, cell_no, ADDRESS.search(text).group(0))


def _merge_streams(outputs: list) -> list:
    """Join consecutive prints to the same stream (they arrive in arbitrary chunks)."""
    merged: list = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (output["output_type"] == "stream" and previous is not None
                and previous["output_type"] == "stream" and previous["name"] == output["name"]):
            merged[-1] = {**previous, "text": _joined(previous["text"]) + _joined(output["text"])}
        else:
            merged.append(output)
    return merged


def to_markdown(notebook: Notebook) -> str:
    """The post as Markdown: front matter, Markdown cells, code in fences, outputs."""
    parts = [notebook.front_matter + "\n"]
    figures = [0]
    for cell_no, cell in enumerate(notebook.executed["cells"], start=1):
        tags = set(cell.get("metadata", {}).get("tags", []))
        source = _joined(cell["source"])
        if cell["cell_type"] == "markdown":
            parts.append(source.rstrip() + "\n")
            continue
        if cell["cell_type"] == "raw":
            continue
        for output in cell.get("outputs", []):
            _check_deterministic(notebook, cell_no, output)
        if "remove-cell" in tags:
            continue
        if source.strip() and "remove-input" not in tags:
            parts.append(_fence(source, "python"))
        if "remove-output" not in tags:
            parts.extend(_output_markdown(o, notebook, cell_no, figures)
                         for o in _merge_streams(cell.get("outputs", [])))
    return "\n".join(p for p in parts if p)


# ---------------------------------------------------------------------- events


_used_cache_files: set[Path] = set()


def _page_uri(file: File) -> str:
    """The Markdown page a notebook post becomes: same path, ``.md``."""
    return file.src_uri.rsplit(".", 1)[0] + ".md"


@event_priority(50)  # before the blog plugin (-50) collects posts from the files
def on_files(files: Files, config: MkDocsConfig) -> Files:
    root = _root(config)
    posts = _posts_dir(config) + "/"
    sources = [f for f in files
               if f.src_uri.startswith(posts) and f.src_uri.endswith(NOTEBOOK_SUFFIXES)
               and f.abs_src_path and not f.generated_by]
    _used_cache_files.clear()
    if not sources:
        return files

    for f in sources:  # a name clash fails the build before any kernel runs
        if files.get_file_from_path(_page_uri(f)) is not None:
            raise PluginError(f"Notebook post '{f.src_uri}' and '{_page_uri(f)}' would "
                              "both become the page " + _page_uri(f))
    notebooks = [_locate(f, root) for f in sources]
    stale = [nb for nb in notebooks if not _load_cached(nb, root)]
    for nb in stale:
        _parse(nb)
        log.info("notebooks: executing %s", nb.file.src_uri)
    started = time.perf_counter()
    if stale:
        _execute_all(stale, root)
    elapsed = time.perf_counter() - started

    pages_dir = root / CACHE_DIR / "pages"
    for nb in notebooks:
        if nb in stale:
            _write_atomic(nb.cache_file, json.dumps(
                {"manifest": nb.manifest, "front_matter": nb.front_matter,
                 "notebook": nb.executed}))
        _used_cache_files.add(nb.cache_file)

        md_uri = _page_uri(nb.file)
        page_path = pages_dir / md_uri
        markdown = to_markdown(nb)
        if not page_path.is_file() or page_path.read_text(encoding="utf-8") != markdown:
            _write_atomic(page_path, markdown)
        _used_cache_files.add(page_path)
        files.remove(nb.file)
        page = File.generated(config, md_uri, abs_src_path=str(page_path))
        page.edit_uri = nb.file.edit_uri  # "edit this page" opens the notebook
        files.append(page)

    log.info("notebooks: executed %d, from cache %d (%.1f s)",
             len(stale), len(notebooks) - len(stale), elapsed)
    return files


def _write_atomic(path: Path, text: str) -> None:
    # Another build (say, the test suite's) may be reading the file right now.
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent,
                                     suffix=".tmp", delete=False) as f:
        f.write(text)
    os.replace(f.name, path)


def on_post_build(config: MkDocsConfig) -> None:
    # Drop what this build did not use: entries of old versions of edited notebooks,
    # pages of deleted ones.
    cache = _root(config) / CACHE_DIR
    if not cache.is_dir() or not _used_cache_files:
        return
    for entry in [*cache.glob("*.json"), *(cache / "pages").rglob("*.md")]:
        if entry not in _used_cache_files:
            entry.unlink(missing_ok=True)
