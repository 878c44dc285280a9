"""Runs a project's tests against mutants, each in a process of its own.

The process that runs them first collects every test it will run (``warm``), so the
project's third-party imports (numpy, scipy, hypothesis...) are made once; each mutant then
gets a process forked from it that forgets the project's own modules, imports the mutated
file in place of the one on disk (``_MutatedSource``: nothing is written to the checkout),
and runs its tests with ``pytest.main``, stopping at the first failure. A baseline runs the
code as written through the same path, in the same order, and must pass, so nothing the
runner itself changes can pass for a catch. How the process ends is the mutant's outcome:

* ``survived``: every test passed;
* ``caught``: a test failed;
* ``crashed``: the mutated code raised while the tests were collected (when its module
  was imported, or when a test module called it on import), or the process died: caught
  too;
* ``timed out``: still running after its time limit (a loop that no longer ends): caught;
* ``invalid``: the mutated source does not compile (no program to test): not counted;
* ``error``: the mutant could not be made, the tests never imported the mutated module
  (an installed copy, a name its folders do not give), or pytest could not run them for
  another reason (a test id the mutant no longer generates): never counted either way,
  and the build refuses the section.

The tests run without the project's ``addopts`` (no xdist, no coverage), without this
package's own pytest plugin, and with hypothesis (when installed) on a profile that keeps
no example database and draws its examples from a fixed seed (loaded again after a conftest
may have loaded its own; hypothesis's folder is a scratch one), so an outcome does not
depend on an earlier run. Only POSIX systems fork; elsewhere there is no runner.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.util
import json
import os
import signal
import site
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from tested_blog.mutants.generate import Mutant, mutated

PYTEST_ARGS = (
    "-o",
    "addopts=",
    "-p",
    "no:cacheprovider",
    "-p",
    "no:tested_blog",
    "-x",
    "-q",
    "--no-header",
)
HYPOTHESIS_PROFILE = "tested-blog-mutants"
CAUGHT = 1  # pytest's exit code when a test failed
RUNNER_FAULT = 70  # the forked process failed before pytest started
NOT_IMPORTED = 71  # the tests ran without importing the mutated module
IMPORT_FAILED = 72  # the mutated module raised when it was imported
NOT_A_PROGRAM = 73  # the mutated source does not compile (no Python program to test)


@dataclass(frozen=True)
class Job:
    """One run of ``tests``: against a mutant of ``module`` (whose file holds ``text``), or
    as they are (``mutant`` None: a baseline, which writes each test's duration to
    ``durations``)."""

    tests: tuple[str, ...]
    module: str = ""
    path: str = ""
    text: str = ""
    mutant: Mutant | None = None
    timeout: float | None = None
    durations: str | None = None


@dataclass(frozen=True)
class Outcome:
    state: str  # "survived", "caught", "crashed", "timed out", "invalid", "error"
    seconds: float
    detail: str = ""


class _MutatedSource(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports ``name`` from ``source`` instead of its file (keeping the file's path as
    ``__file__``, so tracebacks and ``inspect`` still point at it)."""

    def __init__(self, name: str, path: str, source: str) -> None:
        self.name, self.path, self.source = name, path, source
        self.code = compile(source, path, "exec")  # SyntaxError: not a program
        self.used = self.failed = False

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.name:
            return None
        package = [str(Path(self.path).parent)] if Path(self.path).name == "__init__.py" else None
        return importlib.util.spec_from_file_location(
            fullname, self.path, loader=self, submodule_search_locations=package
        )

    def create_module(self, spec):
        return None

    def exec_module(self, module) -> None:
        self.used = True
        try:
            exec(self.code, module.__dict__)
        except BaseException:
            self.failed = True
            raise


class _Durations:
    """pytest plugin of a baseline: each test's time (setup, call and teardown)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.seconds: dict[str, float] = {}
        self.passed: list[str] = []

    def pytest_runtest_logreport(self, report) -> None:
        self.seconds[report.nodeid] = self.seconds.get(report.nodeid, 0.0) + report.duration
        if report.when == "call" and report.passed:
            self.passed.append(report.nodeid)

    def pytest_sessionfinish(self) -> None:
        Path(self.path).write_text(json.dumps({"seconds": self.seconds, "passed": self.passed}))


def _installed() -> list[Path]:
    places = {sys.prefix, sys.base_prefix, sys.exec_prefix, *site.getsitepackages()}
    return [Path(p).resolve() for p in places]


def _forget_project_modules(root: Path) -> None:
    """Drop from ``sys.modules`` every module loaded from a file of the project (its
    package, its tests and their helpers), so the tests import them again, the mutant
    included; installed packages and this runner stay."""
    installed = _installed()
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if not file or name == "tested_blog" or name.startswith("tested_blog."):
            continue
        path = Path(file).resolve()
        if path.is_relative_to(root) and not any(path.is_relative_to(p) for p in installed):
            del sys.modules[name]


def _hypothesis_profile() -> None:
    try:
        from hypothesis import settings
    except ImportError:
        return
    settings.register_profile(HYPOTHESIS_PROFILE, database=None, derandomize=True, deadline=None)
    settings.load_profile(HYPOTHESIS_PROFILE)


@contextlib.contextmanager
def _silenced():
    """Standard output and error (the file descriptors, so pytest's too) to /dev/null."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        os.dup2(null, 2)
        yield
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, null):
            os.close(fd)


def warm(root: Path, tests: Sequence[str], scratch: Path) -> None:
    """Import what the tests import, once, by collecting them here."""
    # hypothesis keeps its files here, never in the checkout, whatever profile a conftest loads
    os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = str(scratch / "hypothesis")
    _hypothesis_profile()
    with _silenced():
        pytest.main([*PYTEST_ARGS, "--collect-only", f"--basetemp={scratch / 'collect'}", *tests])


class _Collection:
    """pytest plugin: this runner's hypothesis profile again once the tests are collected
    (a conftest may have loaded its own), and whether collecting failed in code of the
    served file (a test module that calls it while it is imported)."""

    def __init__(self, path: str, root: Path) -> None:
        # pytest's tracebacks name a file by its path from the rootdir when it is under it
        self.names = (path, os.path.relpath(path, root))
        self.raised_here = False

    def pytest_collectreport(self, report) -> None:
        if report.failed and any(f"{name}:" in str(report.longrepr) for name in self.names):
            self.raised_here = True

    def pytest_collection_finish(self) -> None:
        _hypothesis_profile()


def _child(root: Path, job: Job, basetemp: Path) -> int:
    os.setsid()  # its own process group: a time-out kills whatever the tests started
    _forget_project_modules(root)
    # The code as written (a baseline) is served the same way as a mutant, so whatever the
    # serving changes shows in the baseline, which must pass.
    source = job.text if job.mutant is None else mutated(job.text, job.mutant)
    try:
        finder = _MutatedSource(job.module, job.path, source)
    except SyntaxError:
        return NOT_A_PROGRAM
    sys.meta_path.insert(0, finder)
    collection = _Collection(job.path, root)
    plugins: list[object] = [collection]
    if job.durations:
        plugins.append(_Durations(job.durations))
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    code = int(pytest.main([*PYTEST_ARGS, f"--basetemp={basetemp}", *job.tests], plugins=plugins))
    if not finder.used:
        return NOT_IMPORTED  # whatever the tests said, they did not run this code
    if finder.failed or collection.raised_here:
        return IMPORT_FAILED
    return code


def _start(root: Path, job: Job, basetemp: Path) -> int:
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the forked process (its coverage is not measured)
        code = RUNNER_FAULT
        try:
            code = _child(root, job, basetemp)
        finally:
            os._exit(code)
    return pid


def _outcome(status: int, seconds: float) -> Outcome:
    if os.WIFSIGNALED(status):
        return Outcome("crashed", seconds, f"killed by signal {os.WTERMSIG(status)}")
    code = os.WEXITSTATUS(status)
    if code == 0:
        return Outcome("survived", seconds)
    if code == CAUGHT:
        return Outcome("caught", seconds, "a test failed")
    if code == IMPORT_FAILED:
        return Outcome("crashed", seconds, "the code raised while the tests were collected")
    if code == NOT_A_PROGRAM:
        return Outcome("invalid", seconds, "the mutated source does not compile")
    if code == RUNNER_FAULT:
        return Outcome("error", seconds, "the mutant could not be made")
    if code == NOT_IMPORTED:
        return Outcome(
            "error",
            seconds,
            "the tests did not import the mutated module (by the name its file has)",
        )
    # pytest could not run the tests (a collection or usage error, such as a test id the
    # mutant no longer generates), and not because the mutated module failed to import
    return Outcome("error", seconds, f"pytest exit code {code}: the tests could not run")


def run(
    root: Path,
    jobs: Sequence[Job],
    workers: int,
    scratch: Path,
) -> list[Outcome]:
    """Run ``jobs`` on ``workers`` processes at a time; their outcomes, in order."""
    outcomes: list[Outcome | None] = [None] * len(jobs)
    waiting = list(range(len(jobs)))[::-1]
    running: dict[int, tuple[int, float]] = {}  # pid -> (job index, start time)
    while waiting or running:
        while waiting and len(running) < workers:
            index = waiting.pop()
            running[_start(root, jobs[index], scratch / f"t{index}")] = (index, time.monotonic())
        finished = False
        for pid in list(running):  # only this runner's children: tests may start their own
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                index, began = running.pop(pid)
                outcomes[index] = _outcome(status, time.monotonic() - began)
                finished = True
        if finished:
            continue
        now = time.monotonic()
        for pid, (index, began) in list(running.items()):
            limit = jobs[index].timeout
            if limit is not None and now - began > limit:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                del running[pid]
                outcomes[index] = Outcome("timed out", now - began, f"over {limit:.0f} s")
        time.sleep(0.005)
    return [o for o in outcomes if o is not None]
