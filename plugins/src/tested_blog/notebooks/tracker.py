"""What a notebook's code depended on, recorded inside its kernel.

This file is run inside the kernel, not imported by the build: its source is the first,
hidden cell of every executed notebook (see ``execute.setup_source``). ``start`` installs
an audit hook (PEP 578) that sees every file the notebook's code opens, every directory
it lists, every module it tries to import, and every subprocess or network connection
it makes; ``report`` returns what was seen as one JSON-able dict, which the build turns
into the cache entry's dependencies. The hook also refuses writes inside the repository,
so a notebook cannot change the sources of the site it is part of.

Standard library only: it runs before the notebook imports anything.
"""

from __future__ import annotations

import os
import sys

# Audit events after which the output can depend on something no file hash captures.
UNTRACKABLE = {
    "subprocess.Popen": "runs a subprocess",
    "os.system": "runs a shell command",
    "os.exec": "replaces the process (os.exec*)",
    "os.posix_spawn": "spawns a process",
    "os.spawn": "spawns a process",
    "os.fork": "forks the process",
    "socket.connect": "opens a network connection",
    "socket.getaddrinfo": "looks up a network address",
    "urllib.Request": "makes a URL request",
}
# Events that change the file system: (argument index of the path, what it does).
MUTATIONS = {
    "os.remove": "deletes",
    "os.rename": "renames",
    "os.mkdir": "creates the folder",
    "os.rmdir": "deletes the folder",
    "os.chmod": "changes the mode of",
    "os.truncate": "truncates",
    "shutil.rmtree": "deletes the tree",
}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


class RepositoryWriteError(PermissionError):
    """A notebook tried to change a file inside the repository it is built from."""


# Code that lists sys.path folders to find modules or distribution metadata.
_MACHINERY = (
    "<frozen importlib",
    f"{os.sep}importlib{os.sep}metadata{os.sep}",
    f"{os.sep}importlib_metadata{os.sep}",
    f"{os.sep}pkg_resources{os.sep}",
)


def _by_import_system() -> bool:
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if name.startswith(_MACHINERY[0]) or any(m in name for m in _MACHINERY[1:]):
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False


class _Tracker:
    def __init__(self, root: str, ignored: list[str]) -> None:
        self.root = os.path.realpath(root)
        # Folders whose reads say nothing about the page: the kernel's own scratch and
        # config folders, the interpreter's, pseudo file systems.
        self.ignored = tuple(os.path.realpath(p) + os.sep for p in ignored)
        self.reads: set[str] = set()
        self.listings: set[str] = set()
        self.writes: set[str] = set()
        self.imports: set[str] = set()
        self.untrackable: set[str] = set()
        self.active = True

    def _path(self, value: object) -> str | None:
        if isinstance(value, int) or value is None:
            return None  # a file descriptor: its file was opened (and seen) before
        try:
            path = os.fsdecode(value)  # type: ignore[arg-type]
        except TypeError:
            return None
        return os.path.realpath(path)

    def _inside_root(self, path: str) -> bool:
        return path == self.root or path.startswith(self.root + os.sep)

    def _counts(self, path: str) -> bool:
        return self._inside_root(path) or not path.startswith(self.ignored)

    def _write(self, path: str, action: str) -> None:
        if not self._inside_root(path) or f"{os.sep}__pycache__" in path:
            return  # outside, or the import system caching bytecode
        rel = os.path.relpath(path, self.root)
        self.writes.add(rel)
        raise RepositoryWriteError(
            f"a notebook post may not write inside the repository: it {action} '{rel}' "
            "(write to a temporary folder, e.g. tempfile.TemporaryDirectory(), instead)"
        )

    def audit(self, event: str, args: tuple) -> None:
        if not self.active:
            return
        if event == "open":
            path = self._path(args[0])
            if path is None:
                return
            mode, flags = args[1], args[2] if len(args) > 2 else 0
            writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and flags & _WRITE_FLAGS
            )
            if writes:
                self._write(path, "opens for writing")
            elif self._counts(path):
                self.reads.add(path)
        elif event in ("os.listdir", "os.scandir") and not _by_import_system():
            # The import system and importlib.metadata list every folder on sys.path;
            # only the notebook's own listings (os.listdir, glob, Path.iterdir) make a
            # page depend on a folder.
            path = self._path(args[0] if args and args[0] is not None else ".")
            if path is not None and self._counts(path):
                self.listings.add(path)
        elif event == "import":
            self.imports.add(str(args[0]).partition(".")[0])
        elif event in MUTATIONS:
            path = self._path(args[0])
            if path is not None:
                self._write(path, MUTATIONS[event])
        elif event in UNTRACKABLE:
            self.untrackable.add(UNTRACKABLE[event])

    def report(self) -> dict:
        self.active = False  # what the report itself does is not the notebook's doing
        # Files of every loaded module; and the top-level modules loaded from outside the
        # repository: only those can stand for an installed distribution. The repository's
        # own packages are tracked by their files, whatever distribution (an editable
        # install of this very repository) claims them.
        modules: set[str] = set()
        installed = set()
        for name, module in list(sys.modules.items()):
            path = getattr(module, "__file__", None)
            real = os.path.realpath(path) if isinstance(path, str) else None
            if real is not None:
                modules.add(real)
            if "." in name:
                continue
            folders = [p for p in getattr(module, "__path__", []) if isinstance(p, str)]
            places = [real, *map(os.path.realpath, folders)]
            if not any(p is not None and self._inside_root(p) for p in places):
                installed.add(name)
        missing = sorted(
            name
            for name in self.imports
            if name and name not in sys.modules and not name.startswith("_")
        )
        return {
            "reads": sorted(self.reads | modules),
            "listings": sorted(self.listings),
            "writes": sorted(self.writes),
            "missing_imports": missing,
            "installed_modules": sorted(installed),
            "untrackable": sorted(self.untrackable),
        }


def start(root: str, ignored: list[str]) -> _Tracker:
    """Install the audit hook for the rest of the kernel's life; returns its tracker."""
    tracker = _Tracker(root, ignored)
    sys.addaudithook(tracker.audit)
    return tracker
