"""Shared fixtures: the repository root and one strict build of the real site."""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import io
import json
import logging
import os
import re
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import coverage
import pytest
import yaml
from filelock import FileLock

# Records which tests ran each section of snippets/ (the site's "tested by" lines); the
# browser tests' fixtures (tests/browser_shared.py).
pytest_plugins = ["browser_shared"]
# a blog of its own, with its own tests, which tests/test_fixture_blog.py runs in a copy
collect_ignore = ["fixture_blog"]

ROOT = Path(__file__).resolve().parents[1]
# The sub-path GitHub Pages serves a project site under; the browser tests serve it there too.
SITE_PATH = "/ml-interview-qa/"
SITE_URL = "https://example.test" + SITE_PATH
# The README's two set-up commands (tests/test_readme.py checks the README gives them,
# tests/test_workflow.py and .ci/run run the test one).
README_TEST_COMMAND = "python -m pip install -r requirements.txt && python -m pytest"
README_SERVE_COMMAND = (
    "python -m pip install -r requirements.txt && NO_MKDOCS_2_WARNING=1 python -m mkdocs serve"
)


def load_module(name: str, path: Path):
    """A fresh module object run from the file ``path``, as MkDocs loads a hook or as a
    test loads a reference-generator script (without putting it in ``sys.modules``)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The thread that imports this file is the one that runs the tests (in a pytest-xdist
# worker too), and the one pytest-cov started coverage on.
TEST_THREAD = threading.current_thread()


@contextlib.contextmanager
def unmeasured():
    """Coverage paused for the block: a site build, or a kernel run from this process, is
    not a test of ``snippets`` (its kernels run the package in processes of their own), and
    coverage.py's tracer, called on every Python call, doubles the time of a build. Lines of
    ``snippets`` run inside the block are not recorded, so no test gains a section it did not
    test. Every started coverage.py instance is paused (a pytest-xdist worker under
    pytest-cov runs two, one under the other) and started again in the same order.

    Outside a ``--cov`` run it does nothing, and so it does on any thread but the one that
    runs the tests: coverage.py keeps one stack of collectors for the process, and threads
    stopping and starting it at once left it out of order (pytest-cov's end-of-run stop then
    failed)."""
    stopped: list[coverage.Coverage] = []
    if threading.current_thread() is TEST_THREAD:
        while (measuring := coverage.Coverage.current()) is not None:
            measuring.stop()
            stopped.append(measuring)
    try:
        yield
    finally:
        for measuring in reversed(stopped):
            measuring.start()


def build_env(extra_env: dict[str, str] | None = None) -> dict[str, str]:
    """What every test build sets in the environment. The provenance record is being made
    by this very test run, so by default a build reports missing, stale or failing
    provenance in its log instead of failing (``TESTED_CODE_PROVENANCE=pending``); a test
    of that check passes ``extra_env``."""
    return {
        "NO_MKDOCS_2_WARNING": "1",
        "SITE_URL": SITE_URL,
        "TESTED_CODE_PROVENANCE": "pending",
        **(extra_env or {}),
    }


def mkdocs_cli_build(
    config: Path,
    site_dir: Path,
    *,
    extra_env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build --strict`` on ``config`` into ``site_dir``, as an author does: a
    new process and MkDocs' own command line (its logging, its exit code)."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)]
        + ["-d", str(site_dir)],
        capture_output=True,
        text=True,
        env={**os.environ, **build_env(extra_env)},
        cwd=cwd or ROOT,
        timeout=600,
    )


def zensical_cli_build(
    config: Path,
    site_dir: Path,
    *,
    extra_env: dict[str, str] | None = None,
    options: list[str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Build ``config``'s site with Zensical into ``site_dir`` as the README says
    (``python -m tested_blog.zensical``; strict, as mkdocs.yml sets), in a new process;
    ``options`` are more of the command's."""
    return subprocess.run(
        [sys.executable, "-m", "tested_blog.zensical", "-f", str(config), "-d", str(site_dir)]
        + (options or []),
        capture_output=True,
        text=True,
        env={**os.environ, **build_env(extra_env)},
        cwd=config.parent,
        timeout=600,
    )


@dataclass
class Built:
    """What a build in this process said, shaped as ``mkdocs_cli_build``'s result."""

    returncode: int
    stdout: str
    stderr: str


_SHUTDOWN: list = []  # the plugins of the last build in this process, shut down at its end


def _shut_down() -> None:
    for plugins in _SHUTDOWN:
        plugins.on_shutdown()


def mkdocs_build(
    config: Path,
    site_dir: Path,
    *,
    extra_env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> Built:
    """``mkdocs build --strict`` of ``config`` into ``site_dir``, in this process, as
    ``mkdocs serve`` runs its rebuilds: the config loaded anew, the plugins' startup, the
    build; the plugins with a startup or shutdown are the same objects from build to build
    (MkDocs keeps them) and shut down once, when the process ends. Its log lines as the
    command prints them, exit code 1 on an error MkDocs reports and on any other exception
    (with its traceback, which every test of a failing build rules out). A second of
    interpreter start and imports less per build than ``mkdocs_cli_build``, which the tests
    of the command line itself use."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    env = build_env(extra_env)
    saved_env = {key: os.environ.get(key) for key in env}
    saved_cwd = os.getcwd()
    log = io.StringIO()
    handler = logging.StreamHandler(log)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    saved_level = logger.level
    returncode = 0
    os.environ.update(env)
    os.chdir(cwd or ROOT)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        with unmeasured():
            loaded = load_config(str(config), strict=True, site_dir=str(site_dir))
            if not _SHUTDOWN:
                atexit.register(_shut_down)
            _SHUTDOWN[:] = [loaded.plugins]
            loaded.plugins.on_startup(command="build", dirty=False)
            build(loaded)
    except Abort as exc:
        returncode = 1
        log.write(f"\n{exc.format_message()}\n")
    except MkDocsException as exc:
        returncode = exc.exit_code
        log.write(f"Error: {exc.format_message()}\n")
    except Exception:
        returncode = 1
        log.write(traceback.format_exc())
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved_level)
        os.chdir(saved_cwd)
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return Built(returncode, "", log.getvalue())


POSTS = ROOT / "docs" / "blog" / "posts"
WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"


def load_workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    # YAML 1.1 reads the bare key `on` as the boolean True.
    if True in data:
        data["on"] = data.pop(True)
    return data


def step_index(steps: list[dict], needle: str) -> int:
    """Index of the first step whose `uses` or `run` contains ``needle``."""
    for i, step in enumerate(steps):
        if needle in str(step.get("uses", "")) or needle in str(step.get("run", "")):
            return i
    raise AssertionError(f"no step uses/runs {needle!r}")


def front_matter(path: Path) -> dict:
    """YAML front matter of a Markdown post, or the jupytext header of a notebook post."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        m = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    elif path.suffix == ".py":
        m = re.match(r"^# ---\n(.*?)\n# ---\n", text, re.S)
        if m:
            return yaml.safe_load(re.sub(r"^# ?", "", m.group(1), flags=re.M)) or {}
    else:  # .ipynb: the header is the first cell
        cell = json.loads(text)["cells"][0]
        m = re.match(r"^---\n(.*?)\n---", "".join(cell["source"]), re.S)
    return yaml.safe_load(m.group(1)) if m else {}


def posts() -> list[Path]:
    """The blog's posts (Markdown and notebooks), drafts named _* excluded."""
    return sorted(
        p
        for p in POSTS.iterdir()
        if p.suffix in {".md", ".py", ".ipynb"} and not p.name.startswith("_")
    )


def notebook_posts() -> list[Path]:
    """The executable posts: jupytext percent scripts and .ipynb notebooks."""
    return [p for p in posts() if p.suffix in {".py", ".ipynb"}]


def run_scratch(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of this test run that all its pytest-xdist workers share (each worker's
    own base temp folder lies inside it); the base temp folder without xdist."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if hasattr(request.config, "workerinput") else base


BUILD_WAIT = 1800  # seconds a worker waits for another's build: longer than mkdocs_build's limit


@pytest.fixture(scope="session")
def built_site(request, tmp_path_factory) -> Path:
    """The real site, built once per test run with ``--strict``; returns the site dir.

    Once per run, not per xdist worker: the first worker to ask builds it under a file
    lock, the others wait and share it (two builds at once would also write the
    repository's one notebook and math cache at once). The outcome is written whatever
    happens (a failed build, a timeout, an exception), so a failed build fails every test
    that asks, each with its log, and is not tried again. Built from an unrelated working
    directory (``mkdocs build -f /abs/path/mkdocs.yml``), so every test of the built site
    also shows that snippet paths, hooks and mkdocstrings paths resolve relative to
    mkdocs.yml, not to the cwd."""
    scratch = run_scratch(request, tmp_path_factory)

    def build(work: Path) -> subprocess.CompletedProcess[str]:
        elsewhere = work / "elsewhere"
        elsewhere.mkdir(parents=True, exist_ok=True)  # a crashed attempt may have made it
        return mkdocs_cli_build((ROOT / "mkdocs.yml").resolve(), work / "site", cwd=elsewhere)

    return _built_once(scratch / "built", scratch / "built.lock", build)


@pytest.fixture(scope="session")
def zensical_site(request, tmp_path_factory, built_site) -> Path:
    """The real site built by Zensical (``python -m tested_blog.zensical``, strict, as the
    README says), once per run like ``built_site``: after it, under the same lock, so it
    finds the notebook posts and formulas in the repository's caches and never writes
    them while the MkDocs build does."""
    scratch = run_scratch(request, tmp_path_factory)
    return _built_once(
        scratch / "built-zensical",
        scratch / "built.lock",
        lambda work: zensical_cli_build(ROOT / "mkdocs.yml", work / "site"),
    )


def _built_once(
    work: Path, lock: Path, build: Callable[[Path], subprocess.CompletedProcess[str]]
) -> Path:
    """``build(work)``'s site, ``work/site``, built by the first worker to ask; its outcome
    (exit code and log) is kept in ``work`` whatever happens, and a failed build fails
    every test that asks, with its log."""
    outcome = work / "build.json"  # {"returncode": ..., "log": ...}, written once
    with FileLock(str(lock), timeout=BUILD_WAIT):
        if not outcome.is_file():
            work.mkdir(parents=True, exist_ok=True)
            try:
                result = build(work)
                built = {
                    "returncode": result.returncode,
                    "log": f"{result.stdout}\n{result.stderr}",
                }
            except Exception:  # a timeout, or the build could not start
                built = {"returncode": -1, "log": traceback.format_exc()}
            partial = outcome.with_suffix(".part")
            partial.write_text(json.dumps(built), encoding="utf-8")
            partial.replace(outcome)  # whole or absent, never half-written
    built = json.loads(outcome.read_text(encoding="utf-8"))
    assert built["returncode"] == 0, f"strict build failed:\n{built['log']}"
    return work / "site"


@pytest.fixture(scope="session")
def digits_split():
    """scikit-learn's 8x8 digits (ships offline): a fixed stratified 75/25 split, standardised
    with statistics of the training split only. Returns X_train, X_test, y_train, y_test."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    X, y = load_digits(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
    scaler = StandardScaler().fit(X_tr)
    return scaler.transform(X_tr), scaler.transform(X_te), y_tr, y_te
