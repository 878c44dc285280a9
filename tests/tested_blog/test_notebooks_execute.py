"""tested_blog.notebooks.execute and pipeline: real kernels on tiny notebooks (no MkDocs).

Every failure names the post and the cell; kernels are bounded in number, hermetic, and
each result is kept the moment it exists; the cache re-runs exactly what went stale.
"""

from __future__ import annotations

import json
import logging
import sys
import threading

import pytest
from notebook_sites import make_repo, percent_notebook, posts_dir, run_pipeline
from tested_blog.notebooks.errors import NotebookPostErrors

pytestmark = pytest.mark.site


@pytest.fixture()
def repo(tmp_path):
    return make_repo(tmp_path)


def write(repo, name: str, *cells: str, **kwargs) -> None:
    (posts_dir(repo) / name).write_text(percent_notebook(name, *cells, **kwargs), encoding="utf-8")


def failure(repo, **options) -> str:
    with pytest.raises(NotebookPostErrors) as caught:
        run_pipeline(repo, **options)
    return str(caught.value)


def ran(caplog) -> list[str]:
    names = [
        r.getMessage().split()[2]
        for r in caplog.records
        if r.getMessage().startswith("notebooks: executing ")
    ]
    caplog.clear()
    return sorted(names)


def test_a_cell_over_the_time_limit_is_named(repo):
    write(repo, "slow.py", "x = 1", "while True:\n    pass")
    message = failure(repo, cell_timeout=2)
    assert (
        "Notebook post 'blog/posts/slow.py' timed out in cell 3 (line 15) 'while True:'" in message
    )
    assert "2 s" in message and "cell_timeout" in message


def test_a_dying_kernel_is_named_with_its_cell(repo):
    write(repo, "dies.py", "import os\nos._exit(3)")
    assert (
        "Notebook post 'blog/posts/dies.py' lost its kernel, which died in cell 2 "
        "(line 12) 'import os'" in failure(repo)
    )


def test_a_kernel_that_does_not_start_is_named(repo):
    # the repository root comes first on the kernel's path: this launcher exits at once
    (repo / "ipykernel_launcher.py").write_text("raise SystemExit(1)\n", encoding="utf-8")
    write(repo, "never.py", "print(1)")
    message = failure(repo, startup_timeout=20)
    assert "Notebook post 'blog/posts/never.py' could not start its kernel" in message


def test_at_most_jobs_kernels_run_at_once(repo, tmp_path):
    log = tmp_path / "intervals.jsonl"  # outside the repository: notebooks may write there
    for n in range(4):
        write(
            repo,
            f"p{n}.py",
            f"""
            import json, time
            start = time.monotonic()
            time.sleep(1.0)
            with open({str(log)!r}, "a") as f:
                f.write(json.dumps([start, time.monotonic()]) + "\\n")
            """,
        )
    run_pipeline(repo, jobs=2)
    intervals = [json.loads(line) for line in log.read_text().splitlines()]
    assert len(intervals) == 4
    at_once = max(sum(s <= t < e for s, e in intervals) for t, _ in intervals)
    assert at_once <= 2, intervals


def test_a_cell_that_imports_a_missing_package_says_where_to_install_it(repo):
    """Found by a new author: a cell's `import pandas` failed with the traceback alone;
    the kernel is the building Python, which the message names."""
    write(repo, "needs.py", "import no_such_package_here")
    message = failure(repo)
    assert "Notebook post 'blog/posts/needs.py' failed in cell 2" in message
    assert "install the package that provides 'no_such_package_here' into it" in message
    assert sys.executable in message


def test_each_result_is_kept_when_it_finishes_so_a_failure_wastes_no_work(repo, caplog):
    caplog.set_level(logging.INFO)
    write(repo, "good.py", "print('good')")
    write(repo, "bad.py", "raise RuntimeError('not yet')")
    assert "Notebook post 'blog/posts/bad.py' failed in cell 2" in failure(repo)
    assert ran(caplog) == ["blog/posts/bad.py", "blog/posts/good.py"]
    write(repo, "bad.py", "print('fixed')")
    run_pipeline(repo)
    assert ran(caplog) == ["blog/posts/bad.py"]  # good.py's result survived the failure


def test_a_finished_notebook_is_handled_while_the_next_one_runs(monkeypatch, tmp_path):
    """Rendering and hashing a result (``on_done``) must not hold up the event loop: with
    one slot, the next notebook starts while the first one's result is still handled."""
    from tested_blog.notebooks import execute as execute_module

    started: dict[str, threading.Event] = {"a": threading.Event(), "b": threading.Event()}

    async def fake_execute(post, nb, root, limits):
        started[post].set()
        return execute_module.Executed({"cells": []})

    def on_done(post, run):
        if post == "a":  # handled while b runs, or never: b cannot start before a is done
            assert started["b"].wait(timeout=30), "b did not start while a was handled"

    monkeypatch.setattr(execute_module, "execute", fake_execute)
    limits = execute_module.Limits(jobs=1, cell_timeout=5, startup_timeout=5)
    assert execute_module.execute_all([("a", None), ("b", None)], tmp_path, limits, on_done) == []


def test_installed_distributions_are_listed_once_per_build(repo, monkeypatch):
    """Which distribution owns each module is read from every installed distribution
    (most of a second): once per build, shared by its notebooks; again on the next build."""
    import importlib.metadata

    calls = []
    real = importlib.metadata.packages_distributions

    def counted():
        calls.append(1)
        return real()

    monkeypatch.setattr(importlib.metadata, "packages_distributions", counted)
    for n in range(3):
        write(repo, f"numeric{n}.py", f"import numpy\nprint(numpy.arange({n}).sum())")
    run_pipeline(repo, jobs=2)
    assert len(calls) == 1
    for entry in (repo / ".cache" / "notebooks" / "entries").glob("*/entry.json"):
        assert "numpy" in json.loads(entry.read_text())["deps"]["dists"]
    write(repo, "numeric0.py", "import numpy\nprint(numpy.ones(2).sum())")
    run_pipeline(repo, jobs=2)  # a new build reads the machine afresh
    assert len(calls) == 2


def test_options_that_change_a_page_or_its_check_re_run_it(repo, caplog):
    """The install command (in the note and the downloads) and the output and time limits
    a page was checked against are part of its cache entry; the kernel count is not."""
    caplog.set_level(logging.INFO)
    write(repo, "opts.py", "print('x' * 40)")
    run_pipeline(repo, install="pip install old-name")
    assert ran(caplog) == ["blog/posts/opts.py"]
    run_pipeline(repo, install="pip install old-name", jobs=1)
    assert ran(caplog) == []
    (item,) = run_pipeline(repo, install="pip install new-name").published
    assert ran(caplog) == ["blog/posts/opts.py"]
    assert "pip install new-name" in item.page_path.read_text(encoding="utf-8")
    assert "new-name" in item.downloads["blog/posts/opts/opts.ipynb"].read_text(encoding="utf-8")
    message = failure(repo, install="pip install new-name", max_output=10)
    assert "Notebook post 'blog/posts/opts.py' has too much output" in message


def test_code_a_markdown_cell_embeds_is_a_dependency_of_the_downloads(repo, caplog):
    """The downloads write out the code a Markdown cell embeds with --8<--, so editing that
    file re-runs the post even when its code never imports it."""
    caplog.set_level(logging.INFO)
    write(repo, "shows.py", '# Code:\n#\n# ```python\n# --8<-- "snippets/c.py"\n# ```', "print(1)")
    run_pipeline(repo)
    assert ran(caplog) == ["blog/posts/shows.py"]
    c = repo / "snippets" / "c.py"
    c.write_text(c.read_text(encoding="utf-8").replace("x / 2", "0.5 * x"), encoding="utf-8")
    (item,) = run_pipeline(repo).published
    assert ran(caplog) == ["blog/posts/shows.py"]
    assert "return 0.5 * x" in item.downloads["blog/posts/shows/shows.py"].read_text()


def test_a_matplotlibrc_in_the_posts_folder_is_a_dependency_present_or_not(repo, caplog):
    """matplotlib reads ./matplotlibrc as the kernel starts, before the tracker runs: its
    appearing, changing or going re-runs the post."""
    caplog.set_level(logging.INFO)
    write(
        repo, "styled.py", "import matplotlib as mpl\nprint('face', mpl.rcParams['axes.facecolor'])"
    )
    rc = posts_dir(repo) / "matplotlibrc"
    pages = []
    for step in ("none", "red", "blue", "gone"):
        if step == "gone":
            rc.unlink()
        elif step != "none":
            rc.write_text(f"axes.facecolor: {step}\n", encoding="utf-8")
        (item,) = run_pipeline(repo).published
        assert ran(caplog) == ["blog/posts/styled.py"], step
        pages.append(item.page_path.read_text(encoding="utf-8"))
    assert ["face white" in pages[0], "face red" in pages[1], "face blue" in pages[2]] == [True] * 3
    assert "face white" in pages[3]
    run_pipeline(repo)
    assert ran(caplog) == []


def test_a_sitecustomize_that_appears_on_the_kernels_path_re_runs_the_post(repo, caplog):
    """Python imports sitecustomize at start-up from the repository root, first on the
    kernel's path, before the tracker runs (found by a review: the cache served the old)."""
    caplog.set_level(logging.INFO)
    write(repo, "custom.py", "import builtins\nprint('marker', getattr(builtins, 'MARK', None))")
    assert "marker None" in run_pipeline(repo).published[0].page_path.read_text()
    assert ran(caplog) == ["blog/posts/custom.py"]
    (repo / "sitecustomize.py").write_text("import builtins\nbuiltins.MARK = 9\n")
    assert "marker 9" in run_pipeline(repo).published[0].page_path.read_text()
    assert ran(caplog) == ["blog/posts/custom.py"]


def test_html_output_left_open_fails_naming_the_post_and_cell(repo):
    write(repo, "open.py", "from IPython.display import HTML, display\ndisplay(HTML('<div>x'))")
    message = failure(repo)
    assert "Notebook post 'blog/posts/open.py' has HTML output the page cannot hold" in message
    assert "cell 2 (line 12) shows HTML in which <div> is never closed" in message


def test_the_dependency_report_survives_output_in_many_pieces(repo):
    """The old hook read its report from the last printed chunk, which ipykernel may send
    as a separate message (a lone newline): a crash in some runs. Many runs here, with
    cells whose output arrives in many pieces, each one reporting its dependencies."""
    chatty = """
        import sys
        from snippets.a import thrice
        for i in range(200):
            print("line", i, thrice(i))
        sys.stdout.write("partial")
        sys.stdout.flush()
        sys.stdout.write(" line\\n")
        print("{not json", end="")
        """
    for n in range(6):
        write(repo, f"chatty{n}.py", chatty)
    outcome = run_pipeline(repo, jobs=2)
    assert len(outcome.published) == 6
    for item in outcome.published:
        page = item.page_path.read_text(encoding="utf-8")
        assert "line 199 597" in page and "partial line" in page
    entries = list((repo / ".cache" / "notebooks" / "entries").glob("*/entry.json"))
    assert len(entries) == 6
    for entry in entries:
        assert "snippets/a.py" in json.loads(entry.read_text())["deps"]["files"]


def test_the_authors_shell_does_not_reach_the_kernel(repo, tmp_path, monkeypatch):
    # a kernelspec named python3 on the author's machine that could not even start
    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {"argv": ["/bin/false", "{connection_file}"], "display_name": "x", "language": "python"}
        )
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("AUTHORS_SECRET", "from the shell")
    monkeypatch.setenv("MPLBACKEND", "svg")
    monkeypatch.setenv("PYTHONHASHSEED", "123")
    write(
        repo,
        "env.py",
        """
        import os, sys
        print("secret:", os.environ.get("AUTHORS_SECRET"))
        print("hashseed:", os.environ["PYTHONHASHSEED"])
        print("python:", sys.executable)
        """,
    )
    page = run_pipeline(repo).published[0].page_path.read_text(encoding="utf-8")
    assert "secret: None" in page and "hashseed: 0" in page
    import sys

    assert f"python: {sys.executable}" in page


def test_a_data_file_or_a_runpy_target_edited_re_runs_the_post(repo, caplog):
    caplog.set_level(logging.INFO)
    (posts_dir(repo) / "numbers.csv").write_text("1\n2\n", encoding="utf-8")
    (repo / "tool.py").write_text("ANSWER = 1\n", encoding="utf-8")
    write(repo, "data.py", "print('sum', sum(int(x) for x in open('numbers.csv')))")
    write(
        repo,
        "tool.py",
        "import runpy\nprint('answer', runpy.run_path('../../../tool.py')['ANSWER'])",
    )
    run_pipeline(repo)
    assert ran(caplog) == ["blog/posts/data.py", "blog/posts/tool.py"]
    run_pipeline(repo)
    assert ran(caplog) == []
    (posts_dir(repo) / "numbers.csv").write_text("1\n5\n", encoding="utf-8")
    outcome = run_pipeline(repo)
    assert ran(caplog) == ["blog/posts/data.py"]
    pages = {p.post.src_uri: p.page_path.read_text() for p in outcome.published}
    assert "sum 6" in pages["blog/posts/data.py"]
    (repo / "tool.py").write_text("ANSWER = 2\n", encoding="utf-8")
    run_pipeline(repo)
    assert ran(caplog) == ["blog/posts/tool.py"]


def test_an_optional_import_that_becomes_installable_re_runs_the_post(repo, caplog):
    caplog.set_level(logging.INFO)
    write(
        repo,
        "optional.py",
        """
        try:
            import zz_fancy
            print("fancy", zz_fancy.LEVEL)
        except ImportError:
            print("plain")
        """,
    )
    run_pipeline(repo)
    (repo / "zz_fancy.py").write_text("LEVEL = 9\n", encoding="utf-8")
    outcome = run_pipeline(repo)
    assert ran(caplog) == ["blog/posts/optional.py"] * 2
    assert "fancy 9" in outcome.published[0].page_path.read_text()


def test_a_post_that_runs_a_subprocess_is_never_cached_and_the_log_says_so(repo, caplog):
    caplog.set_level(logging.INFO)
    write(
        repo,
        "shell.py",
        "import subprocess\nprint(subprocess.run(['echo', 'hi'], "
        "capture_output=True, text=True).stdout)",
    )
    run_pipeline(repo)
    run_pipeline(repo)
    assert any("not cached: it runs a subprocess" in r.getMessage() for r in caplog.records)
    assert ran(caplog) == ["blog/posts/shell.py"] * 2


def test_inputs_read_past_the_open_call_are_tracked_or_make_the_post_uncached(
    repo, caplog, tmp_path
):
    """A file left in the temporary folder by someone else, and a C library loaded with
    ctypes: the cache cannot see what they give, so those posts always run. What the post
    wrote to the temporary folder itself and reads back is its own: that post is cached."""
    caplog.set_level(logging.INFO)
    left = tmp_path / "left-by-someone.txt"
    left.write_text("42")
    write(repo, "foreign.py", f"print(open({str(left)!r}).read())")
    write(
        repo,
        "own.py",
        "import tempfile, pathlib\n"
        "with tempfile.TemporaryDirectory() as d:\n"
        "    f = pathlib.Path(d) / 'mine.txt'\n"
        "    f.write_text('7')\n"
        "    print(f.read_text())",
    )
    write(repo, "clib.py", "import ctypes\nprint(ctypes.CDLL('libc.so.6').abs(-3))")
    # a listing by file descriptor names no folder; git's files change with every commit
    write(
        repo, "fwalk.py", "import os\nprint(sorted(f for _, _, fs, _ in os.fwalk('.') for f in fs))"
    )
    (repo / ".git").mkdir()
    (repo / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    write(repo, "git.py", "print(open('../../../.git/HEAD').read())")
    everything = ["clib", "foreign", "fwalk", "git", "own"]
    run_pipeline(repo, jobs=2)
    assert ran(caplog) == [f"blog/posts/{name}.py" for name in everything]
    run_pipeline(repo, jobs=2)
    assert ran(caplog) == [f"blog/posts/{name}.py" for name in everything if name != "own"]


def test_sqlite_a_missing_file_and_the_sizes_in_a_listed_folder(repo, caplog):
    """SQLite opens its files in C (a URI, an ATTACH): a post that uses it always runs. A
    file the post tried to open and did not find, and the sizes of a folder it listed, are
    dependencies: the file appearing, or a size changing, re-runs the post."""
    caplog.set_level(logging.INFO)
    data = posts_dir(repo) / "data"
    data.mkdir()
    (data / "a.bin").write_bytes(b"12345")
    write(
        repo,
        "db.py",
        "import sqlite3\nprint(sqlite3.connect(':memory:').execute('select 1').fetchone())",
    )
    write(
        repo,
        "reader.py",
        "import os\n"
        "try:\n    note = open('overrides.txt').read()\n"
        "except FileNotFoundError:\n    note = 'DEFAULT'\n"
        "print(note, sorted((e.name, e.stat().st_size) for e in os.scandir('data')))",
    )
    run_pipeline(repo)
    run_pipeline(repo)
    assert ran(caplog) == ["blog/posts/db.py", "blog/posts/db.py", "blog/posts/reader.py"]
    (posts_dir(repo) / "overrides.txt").write_text("OVERRIDDEN", encoding="utf-8")
    published = {i.post.src_uri: i for i in run_pipeline(repo).published}
    assert ran(caplog) == ["blog/posts/db.py", "blog/posts/reader.py"]
    assert "OVERRIDDEN" in published["blog/posts/reader.py"].page_path.read_text()
    (data / "a.bin").write_bytes(b"123")  # same name, other size
    published = {i.post.src_uri: i for i in run_pipeline(repo).published}
    assert ran(caplog) == ["blog/posts/db.py", "blog/posts/reader.py"]
    assert "('a.bin', 3)" in published["blog/posts/reader.py"].page_path.read_text()
