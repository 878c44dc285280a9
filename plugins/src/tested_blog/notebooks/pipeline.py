"""The notebook posts of one build, from sources to Markdown pages and figure files.

1. Read every post's front matter and check it: all problems are reported before any
   kernel starts. Drafts are skipped unless the build includes drafts.
2. Take each post from the cache when nothing it depended on has changed.
3. Run the others (``execute``), rendering and storing each as soon as it finishes.
4. Write each post's Markdown page; its figures and its downloads (the executed
   ``.ipynb``, a ``.py`` script, and the files of its folder it read, ``downloads``) stay
   in the cache, beside the entry.
"""

from __future__ import annotations

import importlib.metadata
import logging
import os
import time
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..files import write_if_changed
from . import posts as posts_module
from . import snapshot
from .cache import COMPANIONS, Cache, Dependencies, Entry, entry_key, per_build
from .downloads import companions, downloads, embedded_files, with_download_note
from .errors import NotebookPostError, NotebookPostErrors, named_missing_modules
from .execute import STARTUP_FILES, Executed, Limits, default_jobs, execute_all
from .posts import NotebookPost, cell_lines
from .render import OutputTooLarge, UnbalancedHTML, render

log = logging.getLogger("mkdocs.tested_blog.notebooks")

OPTIONS_WHERE = "mkdocs.yml, tested/notebooks"
# what an author sets (the excerpt separator is the blog's)
OPTION_KEYS = ("jobs", "cell_timeout", "max_output", "startup_timeout", "install", "package")


@dataclass(frozen=True)
class Options:
    """Limits a build sets on notebooks (the ``tested/notebooks`` plugin's options)."""

    jobs: int = field(default_factory=default_jobs)  # kernels at once
    cell_timeout: float = 120.0  # seconds one cell may run
    max_output: int = 1_000_000  # bytes of text one cell may print
    startup_timeout: int = 60  # seconds a kernel may take to start
    # the command the downloads' note gives for installing the site's tested package
    install: str = "python -m pip install ."
    package: str = "snippets"  # that package, as the note names it
    # the blog's excerpt separator: the note goes below it, off the blog's index pages
    excerpt_separator: str = "<!-- more -->"

    @classmethod
    def from_mapping(cls, data: object) -> Options:
        """Options from YAML, each value checked; an error names the key."""
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise ValueError(f"{OPTIONS_WHERE}: expected a mapping, got {data!r}")
        known = OPTION_KEYS
        unknown = set(data) - set(known)
        if unknown:
            raise ValueError(
                f"{OPTIONS_WHERE}: unknown option(s) {', '.join(sorted(unknown))}"
                f" (known: {', '.join(known)})"
            )
        install = data.get("install", cls.install)
        if not isinstance(install, str) or not install.strip() or "\n" in install.strip():
            raise ValueError(
                f"{OPTIONS_WHERE}.install: expected a one-line shell command, got {install!r}"
            )
        package = data.get("package", cls.package)
        if not isinstance(package, str) or not package.isidentifier():
            raise ValueError(
                f"{OPTIONS_WHERE}.package: expected a Python package name, got {package!r}"
            )
        for key, value in data.items():
            if key in ("install", "package"):
                continue
            whole = key in ("jobs", "max_output", "startup_timeout")
            if (
                isinstance(value, bool)
                or not isinstance(value, int if whole else (int, float))
                or value <= 0
            ):
                kind = "a positive whole number" if whole else "a positive number of seconds"
                raise ValueError(f"{OPTIONS_WHERE}.{key}: expected {kind}, got {value!r}")
        return cls(**data)

    def settings(self) -> str:
        """What of these options a cached page depends on (part of its cache key): the
        install command and package its note and downloads give, where the note goes, and
        the limits it was checked against. Not ``jobs`` or ``startup_timeout``: they change
        no page."""
        return repr(
            (
                self.install.strip(),
                self.package,
                self.excerpt_separator,
                self.max_output,
                self.cell_timeout,
            )
        )

    def limits(self) -> Limits:
        return Limits(
            jobs=self.jobs, cell_timeout=self.cell_timeout, startup_timeout=self.startup_timeout
        )


@dataclass
class Published:
    """One post ready for the site."""

    post: NotebookPost
    page_uri: str  # the Markdown page it becomes, relative to docs/
    page_path: Path  # that page's file, in the cache
    figures: dict[str, Path]  # figure URI (relative to docs/) -> its file in the cache
    # .ipynb, .py and companion URIs (relative to docs/) -> files in the cache
    downloads: dict[str, Path]
    warnings: list[str]
    executed: bool  # run in this build, not taken from the cache


@dataclass
class Outcome:
    published: list[Published]
    drafts: list[NotebookPost]  # not run: drafts, in a build without drafts
    used: set[str]  # cache keys this build used
    seconds: float  # time spent executing

    def summary(self) -> str:
        ran = sum(p.executed for p in self.published)
        return (
            f"notebooks: executed {ran}, from cache {len(self.published) - ran}"
            + (f", drafts skipped {len(self.drafts)}" if self.drafts else "")
            + f" ({self.seconds:.1f} s)"
        )


def page_uri(src_uri: str) -> str:
    """The Markdown page a notebook post becomes: same path, ``.md``."""
    return str(PurePosixPath(src_uri).with_suffix(".md"))


def notebook_files(
    src_uris: Iterable[str], posts: str, exists: Callable[[str], bool]
) -> tuple[list[str], list[str]]:
    """Of a site's files (``src_uris``, relative to docs/): the notebooks of the posts folder
    ``posts``, none of which is published as it is (a helper ``_name.py`` ships as a download,
    a post becomes a page), and the posts among them, which become Markdown pages.

    Raises ValueError, naming both files, when two would become one page: a jupytext pair,
    or a post beside a Markdown page of its name (``exists``: whether the site has a file)."""
    found = [u for u in src_uris if u.startswith(posts + "/") and u.endswith((".py", ".ipynb"))]
    sources = [u for u in found if posts_module.is_post(u, posts)]
    pages: dict[str, str] = {}
    for src_uri in sources:  # a name clash fails before any kernel runs
        target = page_uri(src_uri)
        if target in pages:
            raise ValueError(
                f"Notebook post '{pages[target]}' and '{src_uri}' would both become the"
                f" page {target} (keep one of a jupytext pair in the posts folder)"
            )
        if exists(target):
            raise ValueError(
                f"Notebook post '{src_uri}' and '{target}' would both become the page {target}"
            )
        pages[target] = src_uri
    return found, sources


def _where(post: NotebookPost):
    lines = cell_lines(post)

    def where(cell_no: int) -> str:
        line = f" (line {lines[cell_no - 1]})" if 0 < cell_no <= len(lines) else ""
        return f"cell {cell_no}{line}"

    return where


def read_posts(
    sources: list[tuple[str, Path]],
    *,
    authors: Collection[str] | None,
    categories_allowed: Collection[str] | None,
) -> list[NotebookPost]:
    """Every post's front matter, checked; raises with every problem at once."""
    found, errors = [], []
    for src_uri, path in sources:
        try:
            post = posts_module.head(path, src_uri)
        except NotebookPostError as exc:
            errors.append(exc)
            continue
        problems = posts_module.validate(
            post, authors=authors, categories_allowed=categories_allowed
        )
        if problems:
            errors.append(
                post.error("has front matter the blog cannot use:\n  " + "\n  ".join(problems))
            )
        if swallowed := posts_module.swallowed_markdown(post):
            errors.append(
                post.error(
                    "has Markdown that a missing cell marker turned into code:\n  "
                    + "\n  ".join(swallowed)
                )
            )
        found.append(post)
    if errors:
        raise NotebookPostErrors(errors)
    return found


def build(
    sources: list[tuple[str, Path]],
    *,
    root: Path,
    cache_dir: Path,
    options: Options,
    authors: Collection[str] | None = None,
    categories_allowed: Collection[str] | None = None,
    include_drafts: bool = False,
    watched: Collection[Path] = (),
    unwatched: Collection[Path] = (),
) -> Outcome:
    """Publish the notebook posts ``sources`` ((src_uri, absolute path) pairs).

    What the build reads (``watched``: files and folders; by default the whole repository,
    ``root``) must be the same after the posts ran as before, but for the cache and the
    ``unwatched`` folders (the site folder): a post that changed it fails.

    Raises ``NotebookPostErrors`` naming each post that cannot be published, and
    ``MissingModule`` when a package the pipeline imports is not installed."""
    with named_missing_modules():
        return _build(
            sources,
            root=root,
            cache_dir=cache_dir,
            options=options,
            authors=authors,
            categories_allowed=categories_allowed,
            include_drafts=include_drafts,
            watched=list(watched),
            unwatched=[cache_dir, *unwatched],
        )


def _build(
    sources: list[tuple[str, Path]],
    *,
    root: Path,
    cache_dir: Path,
    options: Options,
    authors: Collection[str] | None,
    categories_allowed: Collection[str] | None,
    include_drafts: bool,
    watched: list[Path],
    unwatched: list[Path],
) -> Outcome:
    notebooks = read_posts(sources, authors=authors, categories_allowed=categories_allowed)
    drafts = [p for p in notebooks if p.draft and not include_drafts]
    notebooks = [p for p in notebooks if p not in drafts]
    cache = Cache(cache_dir)
    entries: dict[str, Entry] = {}
    stale: list[tuple[NotebookPost, object]] = []
    errors: list[NotebookPostError] = []
    settings = options.settings()
    keys = {post.src_uri: entry_key(post.source, post.src_uri, settings) for post in notebooks}
    for post in notebooks:
        entry, why = cache.load(keys[post.src_uri], root, post.path.parent)
        if entry is not None:
            entries[post.src_uri] = entry
            continue
        log.info("notebooks: executing %s (%s)", post.src_uri, why)
        try:
            stale.append((post, posts_module.body(post)))
        except NotebookPostError as exc:
            errors.append(exc)

    owners = per_build(importlib.metadata.packages_distributions)

    # the repository as it was before any post ran, then as last checked
    def look() -> dict[str, snapshot.Entry]:
        # what the build reads, and what git holds or would hold: a post that writes a
        # file anywhere in the repository (a subprocess, a shell line) is seen
        listed = snapshot.repository_files(root) if watched else []
        return snapshot.take(root, [*watched, *listed], unwatched)

    seen = [look()] if stale else []
    executing = [post.src_uri for post, _ in stale]

    def repository_changed(post: NotebookPost | None) -> NotebookPostError | None:
        """An error naming what changed in the repository since the last look."""
        now = look()
        changed = snapshot.changes(seen[0], now)
        seen[0] = now
        if not changed:
            return None
        if post is not None:
            others = [uri for uri in executing if uri != post.src_uri]
            name, what = post.src_uri, "changed the repository while it ran"
            if others:
                what += f" (or a post that ran beside it: {', '.join(others)})"
        elif len(executing) == 1:
            name, what = executing[0], "changed the repository while it ran"
        else:  # after the last post finished, or in a post that failed: one of them
            name, what = ", ".join(executing), "changed the repository while they ran"
        return NotebookPostError(
            name,
            f"{what}: {'; '.join(changed)}. A notebook post must leave the repository as it"
            " was (write to a temporary folder instead); restore these files, e.g. with"
            " `git status` and `git checkout`",
        )

    def on_done(post: NotebookPost, run: Executed) -> None:
        changed = repository_changed(post)
        if changed is not None:  # not cached: the next build runs it again and fails again
            errors.append(changed)
            return
        stem = PurePosixPath(post.src_uri).stem
        try:
            rendered = render(
                run.notebook,
                front_matter=post.front_matter,
                name=post.src_uri,
                figure_dir=stem,
                max_output=options.max_output,
                where=_where(post),
            )
        except OutputTooLarge as exc:
            errors.append(post.error(f"has too much output: {exc}"))
            return
        except UnbalancedHTML as exc:
            errors.append(
                post.error(
                    f"has HTML output the page cannot hold: {exc} (the rest of the page"
                    " would be published as raw text)"
                )
            )
            return
        deps = Dependencies.from_report(run.report, root, owners)
        deps.add_files(root, embedded_files(run.notebook))  # written out in the downloads
        folder = os.path.relpath(post.path.parent.resolve(), root.resolve())
        if not folder.startswith(".."):  # read by the kernel as it starts: tracked apart
            startup = [f"{folder}/{name}" for name in STARTUP_FILES["folder"]]
            deps.add_files(root, startup + list(STARTUP_FILES["root"]), absent_too=True)
        files = downloads(run.notebook, stem=stem, install=options.install, root=root)
        needs = companions(deps.files, post=post.path, root=root)
        markdown = with_download_note(
            rendered.markdown,
            stem,
            stem,
            options.install,
            list(needs),
            package=options.package,
            separator=options.excerpt_separator,
        )
        entry = Entry(
            key=keys[post.src_uri],
            front_matter=post.front_matter,
            markdown=markdown,
            figures=sorted(rendered.figures),
            warnings=rendered.warnings,
            deps=deps,
            downloads=sorted(files),
            companions=sorted(needs),
        )
        cache.store(
            entry,
            {
                **rendered.figures,
                **files,
                **{f"{COMPANIONS}/{rel}": data for rel, data in needs.items()},
            },
        )
        if deps.untrackable:
            log.info(
                "notebooks: %s is not cached: it %s, which the cache cannot track",
                post.src_uri,
                " and ".join(deps.untrackable),
            )
        entries[post.src_uri] = entry

    started = time.perf_counter()
    if stale:
        errors.extend(execute_all(stale, root, options.limits(), on_done))
        late = repository_changed(None)  # a process a cell left behind, or a failed post
        if late is not None:
            errors.append(late)
    seconds = time.perf_counter() - started
    if errors:
        raise NotebookPostErrors(sorted(errors, key=lambda e: e.src_uri))

    ran = {post.src_uri for post, _ in stale}
    published = []
    for post in notebooks:
        entry = entries[post.src_uri]
        uri = page_uri(post.src_uri)
        page_path = cache_dir / "pages" / uri
        write_if_changed(page_path, entry.markdown.encode("utf-8"))
        figure_dir = str(PurePosixPath(uri).parent / PurePosixPath(uri).stem)
        figures = {
            f"{figure_dir}/{name}": cache.entry_dir(entry.key) / name for name in entry.figures
        }
        files = {
            f"{figure_dir}/{name}": cache.entry_dir(entry.key) / name for name in entry.downloads
        }
        files.update(
            {
                f"{figure_dir}/{rel}": cache.entry_dir(entry.key) / COMPANIONS / rel
                for rel in entry.companions
            }
        )
        published.append(
            Published(
                post, uri, page_path, figures, files, entry.warnings, executed=post.src_uri in ran
            )
        )
    return Outcome(published, drafts, {e.key for e in entries.values()}, seconds)


def prune(cache_dir: Path, outcome: Outcome) -> None:
    """Delete cache entries and pages the build did not use (older versions, deleted posts)."""
    Cache(cache_dir).prune(outcome.used)
    pages = cache_dir / "pages"
    keep = {p.page_path for p in outcome.published}
    if pages.is_dir():
        for page in pages.rglob("*.md"):
            if page not in keep:
                page.unlink(missing_ok=True)
