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
# ctypes loading a C library by name: what the library reads, no audit event shows
LIBRARY = "loads a C library with ctypes, whose file reads the cache cannot see"
TEMPORARY = "reads a file of the temporary folder that it did not write"
SQLITE = "uses SQLite, which opens its files (an ATTACH, a URI) where no audit event shows"
BY_DESCRIPTOR = "lists a folder by its file descriptor (os.fwalk), which names no folder"
SHARED_MEMORY = "reads shared memory (/dev/shm) that it did not write"
# Events that change the file system: (argument index of the path, what it does).
# The argument index of each one's folder descriptor (``dir_fd``), which a relative path is
# relative to (shutil.rmtree deletes by name inside an open folder).
DIR_FD = {"os.remove": 1, "os.rename": 2, "os.mkdir": 2, "os.rmdir": 1, "os.chmod": 2}
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


def _in_shutil() -> bool:
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_filename.endswith(f"{os.sep}shutil.py"):
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False


class _Tracker:
    def __init__(self, root: str, ignored: list[str], temporary: str) -> None:
        self.root = os.path.realpath(root)
        # Folders whose reads say nothing about the page: the kernel's own scratch and
        # config folders, the interpreter's, pseudo file systems.
        self.ignored = tuple(os.path.realpath(p) + os.sep for p in ignored)
        # The temporary folder: what the notebook writes there and reads back is its own;
        # anything else there is left by someone else and may be gone or changed next time.
        self.temporary = os.path.realpath(temporary) + os.sep
        self.own_temporary: set[str] = set()
        # The interpreter's folders and the module path, wherever they are (a virtual
        # environment made in the temporary folder): code, which the cache tracks apart.
        code = {sys.prefix, sys.base_prefix, sys.exec_prefix, *sys.path}
        self.code = tuple(os.path.realpath(p) + os.sep for p in code if p)
        self.reads: set[str] = set()
        self.listings: set[str] = set()
        self.writes: set[str] = set()
        self.imports: set[str] = set()
        self.untrackable: set[str] = set()
        self.active = True

    def _path(self, value: object, dir_fd: object = None) -> str | None:
        if isinstance(value, int) or value is None:
            return None  # a file descriptor: its file was opened (and seen) before
        try:
            path = os.fsdecode(value)  # type: ignore[arg-type]
        except TypeError:
            return None
        if isinstance(dir_fd, int) and dir_fd >= 0 and not os.path.isabs(path):
            try:  # relative to an open folder: where that folder is (Linux)
                path = os.path.join(os.readlink(f"/proc/self/fd/{dir_fd}"), path)
            except OSError:
                return None  # nowhere to tell: not taken for the working directory
        return os.path.realpath(path)

    def _inside_root(self, path: str) -> bool:
        return path == self.root or path.startswith(self.root + os.sep)

    def _counts(self, path: str) -> bool:
        return self._inside_root(path) or not path.startswith(self.ignored)

    def _left_in_temporary(self, path: str) -> bool:
        """Whether ``path`` is a file of the temporary folder that someone else left there."""
        return (
            path.startswith(self.temporary)
            and not path.startswith(self.ignored)
            and not path.startswith(self.code)
            and not self._inside_root(path)
            and path not in self.own_temporary
            and not os.path.isdir(path)
        )

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
                if path.startswith((self.temporary, "/dev/shm/")):
                    self.own_temporary.add(path)
                self._write(path, "opens for writing")
            elif path.startswith("/dev/shm/") and path not in self.own_temporary:
                self.untrackable.add(SHARED_MEMORY)
            elif self._left_in_temporary(path):
                if not any(u.startswith(TEMPORARY) for u in self.untrackable):
                    self.untrackable.add(f"{TEMPORARY} ({path})")
            elif self._counts(path):
                self.reads.add(path)
        elif event in ("os.listdir", "os.scandir") and args and isinstance(args[0], int):
            if not _in_shutil():  # shutil.rmtree lists what it deletes by descriptor
                self.untrackable.add(BY_DESCRIPTOR)
        elif event in ("os.listdir", "os.scandir") and not _by_import_system():
            # The import system and importlib.metadata list every folder on sys.path;
            # only the notebook's own listings (os.listdir, glob, Path.iterdir) make a
            # page depend on a folder.
            path = self._path(args[0] if args and args[0] is not None else ".")
            if path is not None and self._counts(path):
                self.listings.add(path)
        elif event == "sqlite3.connect":
            # SQLite opens its files in C (a URI, an ATTACH in a query): no "open" event
            self.untrackable.add(SQLITE)
        elif event == "ctypes.dlopen" and args and args[0] is not None:
            self.untrackable.add(LIBRARY)
        elif event == "import":
            self.imports.add(str(args[0]).partition(".")[0])
        elif event in MUTATIONS:
            at = DIR_FD.get(event)
            path = self._path(args[0], args[at] if at is not None and len(args) > at else None)
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


def start(root: str, ignored: list[str], temporary: str) -> _Tracker:
    """Install the audit hook for the rest of the kernel's life; returns its tracker."""
    tracker = _Tracker(root, ignored, temporary)
    sys.addaudithook(tracker.audit)
    return tracker
