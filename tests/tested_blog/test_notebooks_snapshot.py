"""tested_blog.notebooks.snapshot, and the pipeline's promise built on it: running the
notebook posts leaves the repository as it was, whatever a cell used to write."""

from __future__ import annotations

import os
import subprocess
import time

import pytest
from notebook_sites import make_repo, percent_notebook, posts_dir, run_pipeline
from tested_blog.notebooks import snapshot
from tested_blog.notebooks.errors import NotebookPostErrors

# ------------------------------------------------------------------------------ snapshot


def test_every_kind_of_change_is_named_and_nothing_else(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("a")
    (tmp_path / "docs" / "b.md").write_text("b")
    (tmp_path / "docs" / "c.md").write_text("c")
    (tmp_path / ".git").mkdir()
    (tmp_path / "site").mkdir()
    before = snapshot.take(tmp_path, skip=[tmp_path / "site"])
    assert snapshot.changes(before, snapshot.take(tmp_path, skip=[tmp_path / "site"])) == []
    (tmp_path / "docs" / "a.md").write_text("A")  # same size
    (tmp_path / "docs" / "b.md").unlink()
    (tmp_path / "docs" / "new.md").write_text("new")
    os.symlink("/etc/hostname", tmp_path / "docs" / "link.md")
    (tmp_path / ".git" / "index").write_text("x")  # git's own: not read by a build
    (tmp_path / "site" / "index.html").write_text("x")  # skipped: the build writes it
    assert snapshot.changes(before, snapshot.take(tmp_path, skip=[tmp_path / "site"])) == [
        "docs/a.md (changed)",
        "docs/b.md (deleted)",
        "docs/link.md (a symbolic link, created)",
        "docs/new.md (created)",
    ]


def test_a_rewrite_that_restores_the_modification_time_is_still_a_change(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("what the author wrote")
    before = snapshot.take(tmp_path)
    info = page.stat()
    time.sleep(0.01)
    page.write_text("what a cell wrote instead")
    page.write_text("what a cell wrote inst")  # even the same size as something else
    os.utime(page, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert snapshot.changes(before, snapshot.take(tmp_path)) == ["page.md (changed)"]


def test_watched_paths_that_do_not_exist_yet_count_as_absent(tmp_path):
    record = tmp_path / ".cache" / "provenance.json"
    before = snapshot.take(tmp_path, watched=[tmp_path / "docs", record])
    record.parent.mkdir()
    record.write_text("{}")
    after = snapshot.take(tmp_path, watched=[tmp_path / "docs", record])
    assert snapshot.changes(before, after) == [".cache/provenance.json (created)"]


def test_the_repository_files_are_what_git_tracks_or_would_track(tmp_path):
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / ".gitignore").write_text("site/\n", encoding="utf-8")
    for name in ("a.md", "site/index.html", "scripts/tool.py", "scripts/__pycache__/t.pyc"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    listed = {p.relative_to(tmp_path).as_posix() for p in snapshot.repository_files(tmp_path)}
    assert listed == {".gitignore", "a.md", "scripts/tool.py"}
    assert snapshot.repository_files(tmp_path / "scripts") != []  # from a folder inside
    outside = tmp_path.parent / f"{tmp_path.name}-plain"
    outside.mkdir()
    assert snapshot.repository_files(outside) == []  # no work tree: nothing listed


# ------------------------------------------------------------------------------ the pipeline

# Each cell writes into the repository by a way the kernel's audit hook does not see.
WRITERS = {
    "subprocess": "import subprocess\n"
    "subprocess.run(['sh', '-c', 'echo injected >> ../../about.md'], check=True)",
    "shell line": "get_ipython().system('echo injected >> ../../about.md')",
    "C library": "import ctypes, os\n"
    "libc = ctypes.CDLL(None)\n"
    "fd = libc.open(b'../../about.md', os.O_WRONLY | os.O_APPEND)\n"
    "libc.write(fd, b'injected', 8)\n"
    "libc.close(fd)",
    "symbolic link": "import subprocess\n"
    "subprocess.run(['ln', '-s', '/etc/hostname', '../../linked.md'], check=True)",
}


@pytest.mark.site
@pytest.mark.parametrize("way", sorted(WRITERS))
def test_a_post_that_changes_the_repository_fails_naming_it_and_is_not_cached(tmp_path, way):
    repo = make_repo(tmp_path)
    (repo / "docs" / "about.md").write_text("# About\n", encoding="utf-8")
    (posts_dir(repo) / "writer.py").write_text(
        percent_notebook("Writer", "x = 1", WRITERS[way]), encoding="utf-8"
    )
    with pytest.raises(NotebookPostErrors) as caught:
        run_pipeline(repo)
    message = str(caught.value)
    assert "Notebook post 'blog/posts/writer.py' changed the repository" in message, message
    named = (
        "docs/linked.md (a symbolic link, created)"
        if way == "symbolic link"
        else ("docs/about.md (changed)")
    )
    assert named in message, message
    entries = repo / ".cache" / "notebooks" / "entries"
    assert not entries.is_dir() or not any(entries.iterdir()), "the post was cached"


@pytest.mark.site
def test_a_file_a_post_writes_outside_what_the_build_reads_is_seen_in_a_git_work_tree(tmp_path):
    """Found by a review: the build watches what it reads (docs/, mkdocs.yml, the package
    ...), and a subprocess that wrote scripts/x.txt passed; in a git work tree every file
    git would track is watched too."""
    repo = make_repo(tmp_path)
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    writer = (
        "import subprocess\nsubprocess.run(['sh', '-c', 'echo x > ../../../x.txt'], check=True)"
    )
    (posts_dir(repo) / "writer.py").write_text(
        percent_notebook("Writer", "x = 1", writer), encoding="utf-8"
    )
    with pytest.raises(
        NotebookPostErrors, match=r"writer.py' changed the repository.*x.txt \(created\)"
    ):
        run_pipeline(repo, watched=[repo / "docs"])


@pytest.mark.site
def test_an_ipython_startup_file_a_cell_writes_reaches_no_later_kernel(tmp_path):
    """Each kernel has a configuration folder of its own, removed after it: a startup file
    written there by one run is not run by the next (nor by another checkout's build)."""
    repo = make_repo(tmp_path)
    plant = (
        "import os, pathlib\n"
        "startup = pathlib.Path(os.environ['IPYTHONDIR']) / 'profile_default' / 'startup'\n"
        "startup.mkdir(parents=True, exist_ok=True)\n"
        "(startup / '00-planted.py').write_text('PLANTED = True')\n"
        "print('planted in', startup)"
    )
    (posts_dir(repo) / "plant.py").write_text(percent_notebook("Plant", plant), encoding="utf-8")
    run_pipeline(repo)
    (posts_dir(repo) / "check.py").write_text(
        percent_notebook("Check", "print('planted' if 'PLANTED' in globals() else 'clean')"),
        encoding="utf-8",
    )
    (item,) = [i for i in run_pipeline(repo).published if i.post.src_uri.endswith("check.py")]
    assert "clean" in item.page_path.read_text(encoding="utf-8")
