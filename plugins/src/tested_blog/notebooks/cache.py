"""The notebook cache: an executed post is reused only while nothing it read has changed.

An entry is found by its *key*: the notebook's bytes, its path, the Python version, the
pipeline's own source and the options that change a page; no path of the machine. It is
used only while its *dependencies* still hold, checked afresh on every build (nothing is
remembered between the rebuilds of ``mkdocs serve``):

* every file under the repository that the kernel imported or opened for reading (the
  ``snippets`` modules, data files, ``runpy``/``exec`` targets), by sha256;
* every other file it read outside the interpreter's own folders, by sha256;
* every folder it listed (``os.listdir``, ``glob``), by the names, sizes and modification
  times of its entries;
* every installed distribution it imported from outside the repository, by version and by
  the sha256 of its METADATA and RECORD (a reinstall of other code under the same version
  changes the RECORD), read once per build; a package imported from the repository counts
  by its files, even when an editable install of the repository names it;
* every top-level module it tried and failed to import: once importable, the entry is stale.

A notebook that ran a subprocess or used the network depends on something no hash
captures: it is never cached. An entry is itself verified when used: its entry.json and
every stored file (figures, downloads, companions) must have the sha256 written when it
was stored, so a file cut short or changed since is a miss and the post runs again. An
entry that cannot be read for any reason is a miss.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.machinery
import importlib.metadata
import json
import logging
import os
import re
import shutil
import site
import sys
import sysconfig
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TypeVar

from ..files import write_atomic

log = logging.getLogger("mkdocs.tested_blog.notebooks")

T = TypeVar("T")
COMPANIONS = "companions"  # the entry's subfolder holding its companion files

# bump when the entry layout changes: older entries are then misses (6: entry.json gives the
# sha256 of every stored file and of itself; 7: PNG figures stored as WebP when smaller, the
# first figure not lazy)
FORMAT = 7


def sha256(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")  # ("ab", "c") and ("a", "bc") hash differently
    return h.hexdigest()


def pipeline_source() -> str:
    """sha256 of this package's code: a new pipeline version renders pages anew."""
    here = Path(__file__).parent
    return sha256(*(p.read_bytes() for p in sorted(here.glob("*.py"))))


def entry_key(source: bytes, src_uri: str, settings: str = "") -> str:
    """``settings``: the build's options that change a page or whether it passes
    (``Options.settings``)."""
    # No path in it (not even the interpreter's): the cache may be restored on another
    # machine or folder, where every entry is checked against its dependencies anyway.
    return sha256(source, src_uri, sys.version, pipeline_source(), settings)


def _interpreter_folders() -> tuple[str, ...]:
    """Folders whose files the Python version or a distribution's RECORD stands for."""
    paths = sysconfig.get_paths()
    folders = {paths[k] for k in ("stdlib", "platstdlib", "purelib", "platlib") if k in paths}
    folders.update(p for p in sys.path if p and ("site-packages" in p or "dist-packages" in p))
    user_site = site.getusersitepackages()
    if isinstance(user_site, str):
        folders.add(user_site)
    return tuple(os.path.realpath(f) + os.sep for f in folders)


def _file_digest(path: Path) -> str | None:
    try:
        return sha256(path.read_bytes())
    except OSError:  # deleted, renamed, unreadable, or now a folder
        return None


def _listing_digest(path: Path) -> str | None:
    """A folder's entries by name, kind, size and modification time: what a notebook that
    lists it (``os.scandir``, ``glob``) can read without opening a file."""
    try:
        with os.scandir(path) as entries:
            seen = sorted(
                f"{e.name}\0{e.is_dir(follow_symlinks=False)}\0{e.stat(follow_symlinks=False).st_size}"
                f"\0{e.stat(follow_symlinks=False).st_mtime_ns}"
                for e in entries
            )
        return sha256(*seen)
    except OSError:
        return None


VERSION = re.compile(r"^Version:[ \t]*(\S+)", re.M)


def _dist_fingerprint(name: str) -> str | None:
    """``"<version> <sha256 of METADATA and RECORD>"`` of an installed distribution, read
    from disk now (the raw files: parsing METADATA as email headers is 10x slower)."""
    try:
        dist = importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError:
        return None
    metadata = dist.read_text("METADATA") or dist.read_text("PKG-INFO") or ""
    version = VERSION.search(metadata)
    record = dist.read_text("RECORD")
    content = record if record is not None else "no RECORD"
    return f"{version.group(1) if version else '?'} {sha256(metadata, content)}"


def per_build(read: Callable[[], T]) -> Callable[[], T]:
    """``read`` called at most once, on first use: for facts of the machine one build
    shares (never kept across builds, so ``mkdocs serve`` sees an install at once)."""
    return functools.cache(read)


def _importable(name: str, search: list[str]) -> bool:
    return name in sys.builtin_module_names or (
        importlib.machinery.PathFinder.find_spec(name, search) is not None
    )


def import_path(root: Path, folder: Path) -> list[str]:
    """Where the kernel looks for modules: the repository root, the notebook's folder,
    then this interpreter's own path."""
    return [str(root), str(folder), *(p for p in sys.path if p)]


@dataclass
class Dependencies:
    """What one run of a notebook read; each value a digest to compare with."""

    files: dict[str, str] = field(default_factory=dict)  # repo-relative path -> sha256
    external: dict[str, str] = field(default_factory=dict)  # absolute path -> sha256
    listings: dict[str, str] = field(default_factory=dict)  # absolute folder -> sha256
    dists: dict[str, str] = field(default_factory=dict)  # distribution -> fingerprint
    missing: list[str] = field(default_factory=list)  # modules it could not import
    untrackable: list[str] = field(default_factory=list)  # why it must not be cached
    absent: list[str] = field(default_factory=list)  # repo-relative files that must not appear
    # files outside the repository it tried to read and did not find
    missing_external: list[str] = field(default_factory=list)

    @classmethod
    def from_report(
        cls,
        report: dict,
        root: Path,
        owners: Callable[[], Mapping[str, list[str]]] = importlib.metadata.packages_distributions,
    ) -> Dependencies:
        """The dependencies of a run, from the tracker's report (empty: nothing ran).

        ``owners``: which distributions provide each top-level module. Reading that from
        every installed distribution takes most of a second, so a build passes one reading
        shared by its notebooks (``per_build``)."""
        deps = cls(
            missing=list(report.get("missing_imports", [])),
            untrackable=list(report.get("untrackable", [])),
        )
        root_str = os.path.realpath(root)
        skip = _interpreter_folders()
        for path in report.get("reads", []):
            if f"{os.sep}__pycache__{os.sep}" in path or path.startswith(skip):
                continue
            if path.startswith(root_str + os.sep):
                if path.startswith(os.path.join(root_str, ".git") + os.sep):
                    # git's own files (HEAD, refs) change with every commit and checkout
                    why = "reads git's files (.git), which every commit changes"
                    if why not in deps.untrackable:
                        deps.untrackable.append(why)
                    continue
                if f"{os.sep}.git{os.sep}" in path:
                    continue
                rel = os.path.relpath(path, root_str)
                digest = _file_digest(Path(path))
                if digest is not None:
                    deps.files[rel] = digest
                elif not Path(path).exists():  # tried and not found: stale once it appears
                    deps.absent.append(rel)
            elif (digest := _file_digest(Path(path))) is not None:
                deps.external[path] = digest
            elif not Path(path).exists():
                deps.missing_external.append(path)
        for path in report.get("listings", []):
            if not path.startswith(skip) and (digest := _listing_digest(Path(path))):
                deps.listings[path] = digest
        if report.get("installed_modules"):
            provided = owners()
            names = {d for m in report["installed_modules"] for d in provided.get(m, ())}
            for name in sorted(names):
                if (fingerprint := _dist_fingerprint(name)) is not None:
                    deps.dists[name] = fingerprint
        return deps

    def add_files(self, root: Path, paths: Iterable[str], absent_too: bool = False) -> None:
        """Depend on these files of the repository (``paths`` relative to ``root``) too, as
        they are now. One that does not exist is left out (the build reports it), or with
        ``absent_too`` recorded as absent: the entry is stale once it appears."""
        for rel in paths:
            digest = _file_digest(root / rel)
            if digest is not None:
                self.files.setdefault(Path(rel).as_posix(), digest)
            elif absent_too and not (root / rel).exists():
                self.absent.append(Path(rel).as_posix())

    def changed(
        self, root: Path, folder: Path, fingerprints: dict[str, str | None] | None = None
    ) -> str | None:
        """Why these dependencies no longer hold (the first reason found), or None.

        ``fingerprints``: distribution fingerprints already read during this build, shared
        by the entries of one build (never across builds)."""
        seen = {} if fingerprints is None else fingerprints
        for rel, digest in self.files.items():
            if _file_digest(root / rel) != digest:
                return f"'{rel}' changed"
        for path, digest in self.external.items():
            if _file_digest(Path(path)) != digest:
                return f"'{path}' changed"
        for path, digest in self.listings.items():
            if _listing_digest(Path(path)) != digest:
                return f"the contents of folder '{path}' changed"
        for name, fingerprint in self.dists.items():
            if name not in seen:
                seen[name] = _dist_fingerprint(name)
            if seen[name] != fingerprint:
                return f"the installed distribution '{name}' changed"
        for rel in self.absent:
            if (root / rel).exists():
                return f"'{rel}' appeared"
        for path in self.missing_external:
            if Path(path).exists():
                return f"'{path}' appeared"
        search = import_path(root, folder)
        for name in self.missing:
            if _importable(name, search):
                return f"module '{name}', which it could not import, is now importable"
        return None


@dataclass
class Entry:
    """One executed post, ready to publish."""

    key: str
    front_matter: str
    markdown: str  # the post as Markdown, front matter included
    figures: list[str]  # file names of its figures, stored beside the entry
    warnings: list[str]  # repeated on every build that uses the entry
    deps: Dependencies
    downloads: list[str] = field(default_factory=list)  # file names of its .ipynb and .py
    # files of the post's folder it read, by path relative to that folder; stored under
    # COMPANIONS beside the entry
    companions: list[str] = field(default_factory=list)


class Cache:
    """Entries under ``folder``: ``<key>/entry.json`` and the figure and download files
    beside it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        # Installed distributions read by this Cache's loads: one Cache per build, so
        # every build reads them afresh (a package upgraded during `mkdocs serve`).
        self.fingerprints: dict[str, str | None] = {}

    def entry_dir(self, key: str) -> Path:
        return self.folder / "entries" / key

    def load(self, key: str, root: Path, folder: Path) -> tuple[Entry | None, str]:
        """The entry for ``key`` if it can be used, else None; and why (for the log)."""
        where = self.entry_dir(key)
        try:
            data = json.loads((where / "entry.json").read_text(encoding="utf-8"))
            if data.get("format") != FORMAT or data.get("key") != key:
                return None, "entry of another format"
            entry = Entry(
                key=key,
                front_matter=str(data["front_matter"]),
                markdown=str(data["markdown"]),
                figures=[str(f) for f in data["figures"]],
                warnings=[str(w) for w in data["warnings"]],
                deps=Dependencies(**data["deps"]),
                downloads=[str(f) for f in data["downloads"]],
                companions=[str(f) for f in data["companions"]],
            )
            if entry.deps.untrackable:
                return None, (
                    f"never cached: it {' and '.join(entry.deps.untrackable)}, "
                    "which the cache cannot track"
                )
            if data.get("digest") != _record_digest(data):
                return None, "its entry.json is not what was stored"
            stored = data["files"]
            names = [
                *entry.figures,
                *entry.downloads,
                *(f"{COMPANIONS}/{f}" for f in entry.companions),
            ]
            for name in names:
                path = where / name
                if not path.is_file():
                    return None, f"its stored file {name} is missing"
                if sha256(path.read_bytes()) != stored.get(name):
                    return None, f"its stored file {name} is not what was stored"
            reason = entry.deps.changed(root, folder, self.fingerprints)
        except FileNotFoundError:
            return None, "not executed before"
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            return None, f"unusable cache entry ({type(exc).__name__}: {exc})"
        if reason is not None:
            return None, reason
        return entry, "unchanged"

    def store(self, entry: Entry, files: dict[str, bytes]) -> None:
        """Write the entry: its files (figures, downloads) first, then entry.json, each
        replaced atomically."""
        where = self.entry_dir(entry.key)
        where.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            write_atomic(where / name, content)
        record = {
            "format": FORMAT,
            **asdict(entry),
            "files": {name: sha256(content) for name, content in sorted(files.items())},
        }
        record["digest"] = _record_digest(record)
        write_atomic(where / "entry.json", json.dumps(record).encode("utf-8"))

    def prune(self, used: set[str]) -> None:
        """Delete the entries whose keys are not in ``used`` (superseded versions)."""
        entries = self.folder / "entries"
        if entries.is_dir():
            for where in entries.iterdir():
                if where.name not in used:
                    shutil.rmtree(where, ignore_errors=True)


def _record_digest(record: dict) -> str:
    """sha256 of an entry.json's content but its own digest: a record cut short or edited
    does not match it."""
    return sha256(json.dumps({k: v for k, v in record.items() if k != "digest"}, sort_keys=True))
