"""The pytest plugin that writes the provenance record at the end of a full test run.

pytest-cov measures the snippet files with a context per test (``--cov-context=test``,
set in pyproject.toml with ``[tool.coverage.run] source``) and saves the data when the
test loop ends. This plugin keeps each test's outcome as pytest reports it
(``pytest_runtest_logreport``: a failure in setup, call or teardown makes the test
failed; a skip or an expected failure is neither passed nor failed), then at
``pytest_sessionfinish`` joins the two (``record.aggregate``) and writes the record.

Only a full run writes it: the whole configured ``testpaths``, nothing deselected
(``-k``, ``-m``, ``--lf``), not stopped early (``-x``, an interrupt, a collection error,
a crashed xdist worker). The record of a partial run would show sections as untested
that the rest of the suite runs; after one, the record of the last full run stays.
Failures do not stop it: the record says which tests failed, so the strict build can
refuse their code.
Under pytest-xdist (the configured default) the main process writes it, from the
outcomes the workers report and the coverage pytest-cov combines from theirs.

After writing it, the plugin brings its mutation results up to date (``mutants``): a
separate ``python -m tested_blog.mutants`` process runs the mutants of every section whose
result is missing or out of date; results whose inputs are unchanged carry over from the
last record. The ini option ``provenance_mutants = false`` turns that off.

Installed with the distribution as a pytest plugin (the ``pytest11`` entry point
``tested_blog``) that does nothing until a project turns it on with the ini option
``provenance_record`` (``[tool.pytest.ini_options]`` of its pyproject.toml): the path of
the record, relative to the rootdir, which ``tested/code``'s ``record`` option names too.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tested_blog.mutants.key import carry
from tested_blog.provenance import RECORD
from tested_blog.provenance.record import (
    MeasuredFile,
    RecordError,
    Result,
    aggregate,
    file_digest,
    merge,
    read_record,
    stale,
    write_record,
)


def covers_suite(
    args: list[str], testpaths: list[str], invocation_dir: Path, rootdir: Path
) -> bool:
    """Whether pytest's ``args`` select every configured test path (``testpaths`` relative
    to ``rootdir``; the rootdir itself when none are configured)."""
    if any("::" in a for a in args):
        return False
    chosen = [(invocation_dir / a).resolve() for a in args]
    needed = [(rootdir / t).resolve() for t in testpaths] or [rootdir.resolve()]
    return all(any(n == c or n.is_relative_to(c) for c in chosen) for n in needed)


# ini options that decide which files, classes and functions are tests: overriding one on
# the command line (-o python_files=...) runs another suite than the configured one
SELECTING_INI = {
    "python_files",
    "python_classes",
    "python_functions",
    "testpaths",
    "norecursedirs",
    "addopts",
    "collect_imported_tests",
}


def selects_part(option: object) -> bool:
    """Whether the command line picks some of the tests (``-k``, ``-m``, ``--deselect``,
    ``--ignore``, ``--lf``, ``--sw``, ``-c`` another configuration file, or ``-o`` of an
    ini option that selects tests). Under
    pytest-xdist the workers deselect, so the main process, which writes the record, sees
    the options, not the deselection."""
    overrides = getattr(option, "override_ini", None) or []
    if any(o.split("=", 1)[0].strip() in SELECTING_INI for o in overrides):
        return True
    if getattr(option, "inifilename", None):  # -c: another configuration, another suite
        return True
    return any(
        getattr(option, name, None)
        for name in (
            "keyword",
            "markexpr",
            "deselect",
            "ignore",
            "ignore_glob",
            "lf",
            "provenance_stale",
            "stepwise",
            "stepwise_skip",
        )
    )


def _measured(config: pytest.Config) -> list[MeasuredFile]:
    """The snippet files pytest-cov measured in this run, read back through coverage.py."""
    import coverage

    settings = coverage.Coverage(config_file=config.option.cov_config)
    data_file = config.invocation_params.dir / settings.config.data_file
    cov = coverage.Coverage(data_file=str(data_file), config_file=config.option.cov_config)
    cov.load()
    data = cov.get_data()
    root = config.rootpath.resolve()
    files = []
    for name in sorted(data.measured_files()):
        path = Path(name).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            continue
        _, statements, *_ = cov.analysis2(name)
        files.append(
            MeasuredFile(
                path.relative_to(root).as_posix(),
                path.read_text(encoding="utf-8"),
                frozenset(statements),
                data.contexts_by_lineno(name),
            )
        )
    return files


PARTIAL = "only part of the suite ran"


def _conftests(config: pytest.Config, root: Path) -> list[str]:
    """The conftest.py files this run loaded (under ``root``), relative to it."""
    found = set()
    for plugin in config.pluginmanager.get_plugins():
        file = getattr(plugin, "__file__", None)
        if isinstance(file, str) and Path(file).name == "conftest.py":
            path = Path(file).resolve()
            if path.is_relative_to(root):
                found.add(path.relative_to(root).as_posix())
    return sorted(found)


def _previous(target: Path) -> dict | None:
    """The record a partial run updates: the last one, if it is usable."""
    try:
        return read_record(target)
    except RecordError:
        return None


def _digest(path: Path) -> str | None:
    try:
        return file_digest(path.read_bytes())
    except OSError:
        return None


class Recorder:
    """Keeps test outcomes during the run; writes the record when a full run ends."""

    def __init__(self) -> None:
        self.results: dict[str, Result] = {}
        self.deselected = 0
        self.broken: list[str] = []  # what lost part of the run: collection errors, crashes
        self.note = ""
        self.mutants_note = ""

    def pytest_deselected(self, items: list[pytest.Item]) -> None:
        self.deselected += len(items)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        # Without xdist a collection error interrupts the run; under xdist the workers
        # run what they could collect, and the main process hears of the error here.
        if report.failed:
            self.broken.append(f"{report.nodeid or 'a test file'} could not be collected")

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: object, error: object) -> None:
        # A pytest-xdist worker that crashed saved no coverage of the tests it ran.
        if error is not None:
            name = getattr(node, "gateway", None)
            self.broken.append(f"test worker {getattr(name, 'id', '?')} crashed")

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        before = self.results.get(report.nodeid)
        if report.failed:
            outcome = "failed"
        elif report.skipped or hasattr(report, "wasxfail"):
            outcome = "other"
        elif report.when == "call":
            outcome = "passed"
        else:
            return  # a setup or teardown that passed says nothing yet
        if before is not None and "failed" in (before.outcome, outcome):
            outcome = "failed"
        elif before is not None and before.outcome == "other":
            outcome = "other"
        path, line, _ = report.location
        self.results[report.nodeid] = Result(
            outcome, Path(path).as_posix(), None if line is None else line + 1
        )

    def why_not(self, session: pytest.Session, exitstatus: int) -> str | None:
        """Why this run does not write the record (None: it does)."""
        option = session.config.option
        if not getattr(option, "cov_source", None) or getattr(option, "no_cov", False):
            return "coverage is off (no --cov, or --no-cov)"
        if getattr(option, "cov_context", None) != "test":
            return "coverage has no per-test contexts (--cov-context=test)"
        if option.collectonly or not self.results:
            return "no test ran"
        if self.broken:
            return "the run lost tests: " + "; ".join(self.broken[:3])
        if (
            session.shouldstop
            or session.shouldfail
            or exitstatus
            in (
                pytest.ExitCode.INTERRUPTED,
                pytest.ExitCode.INTERNAL_ERROR,
                pytest.ExitCode.USAGE_ERROR,
            )
        ):
            return "the run stopped early"
        config = session.config
        if (
            self.deselected
            or selects_part(option)
            or not covers_suite(
                list(config.args),
                list(config.getini("testpaths")),
                config.invocation_params.dir,
                config.rootpath,
            )
        ):
            return PARTIAL
        return None

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if hasattr(session.config, "workerinput"):
            return  # a pytest-xdist worker: the main process has every outcome and writes
        record_path = str(session.config.getini(INI))
        target = session.config.rootpath / record_path
        why = self.why_not(session, exitstatus)
        previous = _previous(target)
        if why == PARTIAL and previous is None:
            why = "only part of the suite ran, and there is no full run's record to update"
        if why is not None and why != PARTIAL:
            kept = (
                "the record of the last full run is kept"
                if target.is_file()
                else "there is no record yet"
            )
            self.note = f"provenance: not recorded: {why}; {kept} ({record_path})"
            return
        command = " ".join(["pytest", *session.config.invocation_params.args])
        measured = _measured(session.config)
        root = session.config.rootpath.resolve()
        conftests = _conftests(session.config, root)
        read = {f.path for f in measured} | {r.file for r in self.results.values()}
        record = aggregate(
            measured,
            self.results,
            {path: _digest(root / path) for path in sorted(read | set(conftests))},
            conftests,
            command=command,
            recorded=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        )
        if why == PARTIAL and previous is not None:
            record, renewed = merge(previous, record, self.results)
            self.note = (
                f"provenance: {renewed} of {len(record['sections'])} sections renewed by"
                f" the {len(self.results)} tests of this partial run (the others are kept"
                f" from earlier runs) in {record_path}"
            )
        else:
            self.note = (
                f"provenance: {len(record['sections'])} sections, "
                f"{len(self.results)} tests recorded in {record_path}"
            )
        carry(previous, record)
        write_record(target, record)
        if session.config.getini(MUTANTS_INI):
            reporter = session.config.pluginmanager.get_plugin("terminalreporter")
            if reporter is not None:  # the mutants' progress, on standard error, on a line
                reporter.write_line("")  # of its own, not after the tests' "[100%]" (which
                sys.stdout.flush()  # pytest-xdist leaves open where ensure_newline sees none)
            self.mutants_note = run_mutants(root, target)

    def pytest_terminal_summary(self, terminalreporter) -> None:
        for note in (self.note, self.mutants_note):
            if note:
                terminalreporter.write_line(note)


# what the test run's environment must not pass on to the mutants' runs: coverage of
# subprocesses, extra pytest options, the state of the test that is running
_NOT_PASSED_ON = ("COV_CORE_", "COVERAGE_", "PYTEST_ADDOPTS", "PYTEST_CURRENT_TEST", "PYTEST_XDIST")


def run_mutants(root: Path, record: Path) -> str:
    """Run ``python -m tested_blog.mutants`` on the record (its progress goes to standard
    error); its summary line."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_NOT_PASSED_ON)}
    done = subprocess.run(
        [sys.executable, "-m", "tested_blog.mutants", "--root", str(root), "--record", str(record)],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return (
            f"mutants: the mutation run failed (exit code {done.returncode}; its output is"
            " above), so the record has no new mutation results"
        )
    return lines[-1]


INI = "provenance_record"
MUTANTS_INI = "provenance_mutants"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--provenance-stale",
        action="store_true",
        help="run only the tests whose record is out of date (a section's inputs or a test"
        " file changed) and renew the record's entries for them",
    )
    parser.addini(
        INI,
        type="string",
        default="",
        help="after a full run, write which test ran each measured section to this file"
        f" (relative to the rootdir; the site's tested/code reads {RECORD} by default);"
        " unset: no record",
    )
    parser.addini(
        MUTANTS_INI,
        type="bool",
        default=True,
        help="after writing the record, run the mutants of every section whose mutation"
        " result is missing or out of date (python -m tested_blog.mutants)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With ``--provenance-stale``, run only what the record says is out of date: the tests
    that ran a section whose inputs changed, and every test of a test file that changed or
    that the record does not know."""
    if not config.getoption("provenance_stale", False):
        return
    path = str(config.getini(INI)).strip()
    if not path:
        raise pytest.UsageError(f"--provenance-stale needs the {INI} ini option (the record)")
    root = config.rootpath.resolve()
    record = _previous(root / path)
    if record is None:
        raise pytest.UsageError(
            f"--provenance-stale: there is no usable record at {path}; run the whole suite"
            " (python -m pytest) once first"
        )
    tests, files = stale(record, lambda rel: _digest(root / rel))
    known = record.get("test_files", {})
    keep, drop = [], []
    for item in items:
        rel = Path(str(item.path)).resolve().relative_to(root).as_posix()
        if item.nodeid in tests or rel in files or rel not in known:
            keep.append(item)
        else:
            drop.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def pytest_configure(config: pytest.Config) -> None:
    path = str(config.getini(INI)).strip()
    if path.lower() in ("true", "false", "1", "0", "yes", "no"):
        raise pytest.UsageError(
            f"{INI} = {path!r}: give the path of the record file the site's tested/code"
            f" plugin reads, such as {RECORD}, or leave it out for no record"
        )
    if path:
        config.pluginmanager.register(Recorder(), "tested-blog-provenance")
