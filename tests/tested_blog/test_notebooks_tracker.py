"""tested_blog.notebooks.tracker: what a kernel's code read, listed, imported and ran.

The tracker installs an audit hook that cannot be removed, so each test runs it in a
fresh interpreter, the way a kernel runs it: the module's source executed, then code.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import tested_blog.notebooks.tracker as tracker_module

TRACKER = Path(tracker_module.__file__).read_text(encoding="utf-8")


def tracked(root: Path, code: str, cwd: Path) -> dict:
    """Run ``code`` under the tracker with ``root`` as the repository; return the report."""
    script = (
        f"ns = {{}}\nexec(compile({TRACKER!r}, 'tracker', 'exec'), ns)\n"
        f"t = ns['start']({str(root)!r}, ['/proc', '/sys', '/dev'], {tempfile.gettempdir()!r})\n"
        + textwrap.dedent(code)
        + "\nimport json\nprint(json.dumps(t.report()))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)},
        check=True,
    )
    return json.loads(out.stdout.splitlines()[-1])


def test_reads_listings_imports_and_missing_imports(tmp_path):
    root = tmp_path / "repo"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text("")
    (root / "data.txt").write_text("42")
    (root / "script.py").write_text("VALUE = 1\n")
    report = tracked(
        root,
        """
        import os, runpy, pkg
        open("data.txt").read()
        runpy.run_path("script.py")
        os.listdir(".")
        try:
            import zz_not_installed
        except ImportError:
            pass
        """,
        cwd=root,
    )
    reads = set(report["reads"])
    for name in ("data.txt", "script.py", "pkg/__init__.py"):
        assert str(root / name) in reads, name
    assert report["listings"] == [str(root)]  # not the sys.path folders imports list
    assert "zz_not_installed" in report["missing_imports"]
    assert report["writes"] == [] and report["untrackable"] == []


def test_modules_of_the_repository_are_not_reported_as_installed(tmp_path):
    """A package imported from the repository is tracked by its files; only modules from
    outside it can belong to an installed distribution. Before: an editable install of the
    repository itself (``pip install -e .``) rewrote its distribution's RECORD and made
    every cached post stale."""
    root = tmp_path / "repo"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text("")
    (root / "nspkg").mkdir()
    (root / "nspkg" / "mod.py").write_text("")
    report = tracked(root, "import json, pkg, nspkg.mod", cwd=root)
    assert "json" in report["installed_modules"]
    assert "pkg" not in report["installed_modules"]
    assert "nspkg" not in report["installed_modules"]  # a namespace package has no __file__


def test_writes_inside_the_repository_are_refused_and_reported(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    (root / "keep.txt").write_text("x")
    outside = tmp_path / "scratch.txt"
    report = tracked(
        root,
        f"""
        import os
        refused = []
        for attempt in (lambda: open("new.md", "w"), lambda: os.remove("keep.txt"),
                        lambda: open("keep.txt", "a"), lambda: os.mkdir("folder")):
            try:
                attempt()
            except PermissionError as exc:
                refused.append(str(exc))
        assert len(refused) == 4, refused
        open({str(outside)!r}, "w").write("fine")
        """,
        cwd=root,
    )
    assert report["writes"] == ["folder", "keep.txt", "new.md"]
    assert (root / "keep.txt").read_text() == "x" and not (root / "new.md").exists()
    assert outside.read_text() == "fine"  # outside the repository: allowed


def test_subprocesses_and_network_are_untrackable(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    report = tracked(
        root,
        """
        import socket, subprocess
        subprocess.run(["true"])
        try:
            socket.create_connection(("127.0.0.1", 9), timeout=0.1)
        except OSError:
            pass
        """,
        cwd=root,
    )
    assert set(report["untrackable"]) >= {"opens a network connection", "runs a subprocess"}
