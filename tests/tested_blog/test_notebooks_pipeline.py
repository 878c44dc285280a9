"""tested_blog.notebooks.pipeline: options from mkdocs.yml, and the pipeline without MkDocs."""

from __future__ import annotations

import subprocess
import sys

import pytest
from notebook_sites import make_repo, percent_notebook, posts_dir
from tested_blog.notebooks.pipeline import Options, page_uri


def test_options_default_to_the_machine():
    options = Options.from_mapping(None)
    assert options.jobs >= 1 and options.cell_timeout > 0 and options.max_output > 0


def test_options_are_read_and_checked_naming_the_key():
    assert Options.from_mapping({"jobs": 3, "cell_timeout": 2.5}).jobs == 3
    assert Options.from_mapping({"install": "pip install x"}).install == "pip install x"
    for bad, named in [
        ({"jobs": 0}, "tested/notebooks.jobs"),
        ({"jobs": 1.5}, "tested/notebooks.jobs"),
        ({"cell_timeout": "soon"}, "tested/notebooks.cell_timeout"),
        ({"max_output": True}, "tested/notebooks.max_output"),
        ({"kernels": 2}, "unknown option(s) kernels"),
        ({"install": ""}, "tested/notebooks.install"),
        ({"install": "a\nb"}, "tested/notebooks.install"),
        ([1, 2], "expected a mapping"),
    ]:
        with pytest.raises(
            ValueError, match=named.replace(".", r"\.").replace("(", r"\(").replace(")", r"\)")
        ):
            Options.from_mapping(bad)


def test_page_uri():
    assert page_uri("blog/posts/adam.py") == "blog/posts/adam.md"
    assert page_uri("blog/posts/nb.ipynb") == "blog/posts/nb.md"


@pytest.mark.site
def test_python_dash_m_writes_the_posts_without_mkdocs(tmp_path):
    root = make_repo(tmp_path)
    (posts_dir(root) / "plot.py").write_text(
        percent_notebook(
            "Plot",
            "import matplotlib.pyplot as plt\nplt.plot([1, 2]);\nplt.show()",
            "from snippets.b import twice\nprint('twice', twice(21))",
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "tested_blog.notebooks", "--out", str(out), "--jobs", "1"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    markdown = (out / "plot.md").read_text(encoding="utf-8")
    assert markdown.startswith("---\ndate: 2026-01-02") and "twice 42" in markdown
    figures = list((out / "plot").glob("figure-*.webp"))
    assert len(figures) == 1 and f"plot/{figures[0].name}" in markdown
    assert "executed 1, from cache 0" in result.stderr

    (posts_dir(root) / "broken.py").write_text(
        percent_notebook("Broken", "1 / 0"), encoding="utf-8"
    )
    failed = subprocess.run(
        [sys.executable, "-m", "tested_blog.notebooks", "--out", str(out)],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert failed.returncode == 1
    assert "Notebook post 'blog/posts/broken.py' failed in cell 2" in failed.stderr
    assert "ZeroDivisionError" in failed.stderr


def _with_module_missing(module: str, code: str) -> str:
    """Python source that runs ``code`` in an interpreter where ``import module`` fails, as
    it does where the package is not installed."""
    return f"import sys\nsys.modules[{module!r}] = None\n{code}"


@pytest.mark.site
@pytest.mark.parametrize("module", ["jupytext", "nbclient", "ipykernel", "nbconvert"])
def test_a_missing_package_is_named_with_the_install_command(tmp_path, module):
    """Each of these is needed at another step (reading, executing, the kernel, rendering);
    before, each ended in a traceback that named no package to install (nbconvert was
    missing from the requirements of a fresh machine)."""
    root = make_repo(tmp_path)
    (posts_dir(root) / "plot.py").write_text(
        percent_notebook("Plot", "print(6 * 7)"), encoding="utf-8"
    )
    main = "from tested_blog.notebooks.__main__ import main\nsys.exit(main(['--jobs', '1']))"
    result = subprocess.run(
        [sys.executable, "-c", _with_module_missing(module, main)],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1, result.stderr
    assert f"need the Python module '{module}', which is not installed" in result.stderr
    assert "python -m pip install mkdocs-tested-blog" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.site
def test_a_missing_package_fails_the_mkdocs_build_naming_it(tmp_path):
    root = make_repo(tmp_path)
    (posts_dir(root) / "plot.py").write_text(
        percent_notebook("Plot", "print(6 * 7)"), encoding="utf-8"
    )
    mkdocs = "from mkdocs.__main__ import cli\ncli(['build', '--strict', '-d', '../site'])"
    result = subprocess.run(
        [sys.executable, "-c", _with_module_missing("nbconvert", mkdocs)],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "need the Python module 'nbconvert', which is not installed" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.site
def test_a_heading_swallowed_by_a_removed_cell_fails_the_build_naming_post_and_line(tmp_path):
    """Before any kernel starts: the build names the post and the heading's line."""
    from notebook_sites import build

    root = make_repo(tmp_path)
    source = percent_notebook("Lost", "x = 6 * 7") + (
        '\n# %% tags=["remove-cell"]\nassert x == 42\n#\n# ## Results\n#\n# x is 42.\n'
    )
    (posts_dir(root) / "lost.py").write_text(source, encoding="utf-8")
    line = source.splitlines().index("# ## Results") + 1
    result = build(root)
    assert result.returncode != 0
    assert "Notebook post 'blog/posts/lost.py'" in result.stderr, result.stderr
    assert f"line {line}: the Markdown heading '## Results'" in result.stderr
    assert "executing" not in result.stderr


@pytest.mark.site
def test_shards_run_on_two_checkouts_fill_one_cache_the_build_uses(tmp_path):
    """A CI matrix: each job runs its share of the posts in a checkout of its own; their
    cache entries, copied into one folder, make the site build execute nothing. The entries
    name no path of the checkout that wrote them, and the options come from mkdocs.yml."""
    import shutil

    from notebook_sites import build, executed

    checkouts = [make_repo(tmp_path / name) for name in ("a", "b")]
    for root in checkouts:
        config = root / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        config.write_text(
            text.replace(
                "  - tested/notebooks\n", "  - tested/notebooks:\n      install: pip install toy\n"
            ),
            encoding="utf-8",
        )
        for n in range(3):
            (posts_dir(root) / f"p{n}.py").write_text(
                percent_notebook(f"Post {n}", f"print({n} * 7)", slug=f"p{n}"), encoding="utf-8"
            )
    for k, root in enumerate(checkouts, start=1):
        run = subprocess.run(
            [sys.executable, "-m", "tested_blog.notebooks", "--config-file", "mkdocs.yml"]
            + ["--shard", f"{k}/2", "--jobs", "1", "--out", str(tmp_path / f"out{k}")],
            cwd=root,
            capture_output=True,
            text=True,
        )
        assert run.returncode == 0, run.stderr
    ran = [sorted(p.name for p in (tmp_path / f"out{k}").glob("*.md")) for k in (1, 2)]
    assert ran == [["p0.md", "p2.md"], ["p1.md"]]
    merged = checkouts[0] / ".cache" / "notebooks" / "entries"
    for entry in (checkouts[1] / ".cache" / "notebooks" / "entries").iterdir():
        shutil.copytree(entry, merged / entry.name, dirs_exist_ok=True)
    result = build(checkouts[0])
    assert result.returncode == 0, result.log
    assert executed(result.log) == [], result.log


def test_a_shard_is_k_of_n():
    from tested_blog.notebooks.__main__ import shard

    assert shard("2/3") == (2, 3)
    for bad in ("0/2", "3/2", "a/b", "2"):
        with pytest.raises(Exception, match="K/N"):
            shard(bad)


def test_the_command_reads_the_sites_mkdocs_yml_by_default(tmp_path):
    """Found by a new author: without --config-file the command used the default options,
    and its pages told readers to import `snippets` where the site said `package: mylib`."""
    root = make_repo(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - tested/notebooks\n", "  - tested/notebooks:\n      install: pip install toy\n"
        ),
        encoding="utf-8",
    )
    (posts_dir(root) / "p.py").write_text(percent_notebook("Post", "print(7)"), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "tested_blog.notebooks", "--out", str(tmp_path / "out")],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "pip install toy" in (tmp_path / "out" / "p.md").read_text(encoding="utf-8")
