"""The repository's files as they stand, to prove that running notebooks changed none.

The kernel's audit hook refuses writes into the repository by the notebook's own Python
code; a shell line, a subprocess or a C library writes past it. So the build also compares
the repository before and after execution, whatever wrote: ``take`` records every entry's
kind, inode, size, and modification and change times (``lstat``: a symbolic link is an
entry of its own, never followed). The change time (``st_ctime_ns``) moves on every write,
rename or change of mode and no call can set it back, so a file rewritten and given its old
modification time still differs. ``changes`` says what differs, file by file.

``watched`` names what the build reads (the docs folder, mkdocs.yml, the theme overrides,
the embedded package...; by default the whole repository); ``repository_files`` adds, in a
git work tree, every file git tracks or would track (not ignored), listed afresh at each
look, so a file a post writes anywhere in the repository is seen, created or changed.
Left out in any case: the folders the build itself writes (``skip``: the notebook cache,
the site folder), ``.git``, ``__pycache__`` (bytecode, which any process importing the
code may write, made from the source that is watched), and virtual environments (a folder
with a ``pyvenv.cfg``).
"""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterable
from pathlib import Path

Entry = tuple[str, int, int, int, int, str]  # kind, inode, size, mtime_ns, ctime_ns, link


def take(root: Path, watched: Iterable[Path] = (), skip: Iterable[Path] = ()) -> dict[str, Entry]:
    """Every file and link of ``watched`` (files or folders; by default ``root``) as a
    relative POSIX path from ``root`` -> its state. Folders themselves are not recorded: a
    build reads their files. A watched path that does not exist is recorded as absent, so
    creating it is a change."""
    root = root.resolve()
    skipped = {os.path.normpath(p.resolve()) for p in skip}
    found: dict[str, Entry] = {}
    for path in list(watched) or [root]:
        path = Path(os.path.abspath(path))
        if path.is_dir() and not path.is_symlink():
            _walk(root, path, skipped, found)
        else:
            found[_rel(root, str(path))] = _entry(str(path))
    return found


def _walk(root: Path, top: Path, skipped: set[str], found: dict[str, Entry]) -> None:
    for folder, dirs, files in os.walk(top):
        keep = []
        for name in dirs:
            path = os.path.join(folder, name)
            if name in (".git", "__pycache__") or path in skipped:
                continue  # git's own; bytecode Python writes for any import, from the source
            if os.path.isfile(f"{path}/pyvenv.cfg"):
                continue
            keep.append(name)
            if os.path.islink(path):  # os.walk does not enter a linked folder: one entry
                found[_rel(root, path)] = _entry(path)
        dirs[:] = [d for d in keep if not os.path.islink(os.path.join(folder, d))]
        for name in files:
            path = os.path.join(folder, name)
            found[_rel(root, path)] = _entry(path)


def changes(before: dict[str, Entry], after: dict[str, Entry]) -> list[str]:
    """What differs, one line per path (sorted): created, deleted, changed."""
    lines = []
    for path in sorted(before.keys() | after.keys()):
        old, new = before.get(path), after.get(path)
        old = None if old is None or old[0] == "absent" else old
        new = None if new is None or new[0] == "absent" else new
        if old == new:
            continue
        if old is None:
            what = "a symbolic link, created" if new and new[0] == "link" else "created"
        elif new is None:
            what = "deleted"
        elif old[0] != new[0]:
            what = f"turned from a {old[0]} into a {new[0]}"
        else:
            what = "changed"
        lines.append(f"{path} ({what})")
    return lines


def _rel(root: Path, path: str) -> str:
    return Path(os.path.relpath(path, root)).as_posix()


def _entry(path: str) -> Entry:
    try:
        info = os.lstat(path)
    except FileNotFoundError:  # absent (or gone between the listing and the look)
        return ("absent", 0, 0, 0, 0, "")
    if stat.S_ISLNK(info.st_mode):
        kind, link = "link", os.readlink(path)
    elif stat.S_ISDIR(info.st_mode):  # a watched path that is a folder
        kind, link = "dir", ""
    else:
        kind, link = "file", ""
    return (kind, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns, link)


def repository_files(root: Path) -> list[Path]:
    """The files of the git work tree at ``root`` that git tracks or would track (not
    ignored), bytecode left out; none when ``root`` is not in a work tree or git is
    missing."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root,
            capture_output=True,
            check=True,
            text=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return []
    return [root / name for name in listed.split("\0") if name and "__pycache__" not in name]
