"""The provenance record: per section of code, the tests that executed it and how they ended.

A test run gives, for every executed line of a snippet file, the contexts that ran it
(pytest-cov's ``--cov-context=test`` names them ``<test node id>|setup``, ``|run`` or
``|teardown``; code run outside any test, such as imports during collection, has the
empty context). ``aggregate`` folds that into one small entry per section (the
per-line contexts are not kept):

* ``statements``: the section's statement lines inside function bodies, the code a
  test has to run; ``untested``: those no passing test executed (as offsets from the
  start marker, so they survive edits above the section);
* ``definitions``: its statement lines that run when the module is imported (``def``
  and ``class`` headers, decorators, class attributes): they run during collection,
  outside any test, and are not asked of a test;
* ``tests``/``passed``/``failed``/``other`` (skipped, xfailed): the tests that executed
  any of its lines, or any line of a class or function whose header it shows (a section
  of just ``class Net:`` and its docstring is run by the tests of Net's methods), by
  outcome; ``failing``: the first few failed ids;
* ``examples``: one or two representative passing tests, with their source location;
* ``sha256``: the digest of the section's text (``sections.section_body``) when it ran;
* ``inputs``: every file whose code those tests ran, with its digest (``file_digest``):
  each measured file any of them executed a line of (the section's module, the modules it
  calls, a checking decorator above its marker), each test's own file, and the conftest.py
  files of the run (fixtures every test may use). The record of a
  section holds only while all of them are unchanged: an edit to a helper the section calls,
  or to its tests, re-opens the question, as an edit to the section does;
* ``covered_by``: the ids of all those tests.

At the top, ``test_files``: the digest of every test file of the run. A partial run
(``merge``) renews the entries of the sections whose every known test it ran, and keeps
the others as they were.
"""

from __future__ import annotations

import ast
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from tested_blog import sections

FORMAT = 2  # 2: each section lists its inputs
MAX_FAILING = 5  # failed test ids kept per section
MAX_EXAMPLES = 2


class RecordError(ValueError):
    """The record file is unreadable, damaged, or of another format."""


@dataclass(frozen=True)
class Result:
    """How one test ended, and where its source is (path relative to the root, 1-based)."""

    outcome: str  # "passed", "failed" or "other" (skipped, xfailed)
    file: str
    line: int | None


@dataclass(frozen=True)
class MeasuredFile:
    """One snippet file as the test run saw it."""

    path: str  # relative to the repository root, POSIX
    text: str
    statements: frozenset[int]  # executable lines (coverage.py's analysis)
    contexts: Mapping[int, Iterable[str]]  # executed line -> contexts that ran it


def section_digest(body: str) -> str:
    """Digest of a section's text as pages embed it."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def file_digest(data: bytes) -> str:
    """Digest of a whole file, as its bytes are on disk."""
    return hashlib.sha256(data).hexdigest()


def function_body_lines(text: str) -> set[int]:
    """Lines of ``text`` (Python source) inside some function's body: the lines that run
    only when the function is called, never on import."""
    inside: set[int] = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            inside.update(range(node.body[0].lineno, (node.end_lineno or 0) + 1))
    return inside


def defined_here(tree: ast.Module, start: int, end: int) -> set[int]:
    """Lines of the functions and classes whose header lies between lines ``start`` and
    ``end``, all of their bodies included (a class header section defines its methods)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            if start < first < end:
                lines.update(range(first, (node.end_lineno or first) + 1))
    return lines


def test_of(context: str) -> str | None:
    """The test node id of a pytest-cov context, or None for code run outside tests."""
    return context.rsplit("|", 1)[0] if context else None


def _rank(test: str, result: Result | None, section: str, module: str, lines_run: int) -> tuple:
    function = test.split("::")[-1].split("[")[0]
    return (
        result is None or result.outcome != "passed",
        section not in function,
        not (result and Path(result.file).stem == f"test_{module}"),
        -lines_run,
        len(test),
        test,
    )


def _section(
    measured: MeasuredFile,
    name: str,
    results: Mapping[str, Result],
    body_lines: set[int],
    tree: ast.Module,
    ran_files: Mapping[str, set[str]],
    digests: Mapping[str, str | None],
    shared: Iterable[str] = (),
) -> dict:
    own = [m for m in sections.markers(measured.text) if m.name == name]
    start, end = own[0].line, own[1].line
    statements = sorted(n for n in measured.statements if start < n < end)
    # A test that runs a method of a class whose header this section shows runs it too.
    defined = sorted(
        n for n in measured.statements & defined_here(tree, start, end) if not start < n < end
    )
    ran_by: dict[str, int] = {}  # test id -> lines of the section (and what it defines) run
    untested = []
    for n in statements + defined:
        tests = {t for t in map(test_of, measured.contexts.get(n, ())) if t}
        for t in tests:
            ran_by[t] = ran_by.get(t, 0) + 1
        passing = any(results.get(t) and results[t].outcome == "passed" for t in tests)
        if start < n < end and n in body_lines and not passing:
            untested.append(n - start)
    outcome = {t: results[t].outcome if t in results else "other" for t in ran_by}
    failing = sorted(t for t, o in outcome.items() if o == "failed")
    module = Path(measured.path).stem
    ranked = sorted(ran_by, key=lambda t: _rank(t, results.get(t), name, module, ran_by[t]))
    examples, functions = [], set()
    for t in ranked:
        function = t.split("[")[0]
        if outcome[t] != "passed" or function in functions:
            continue
        functions.add(function)
        result = results[t]
        examples.append({"id": t, "file": result.file, "line": result.line})
        if len(examples) == MAX_EXAMPLES:
            break
    inputs = {measured.path, *(shared if ran_by else ())}
    for t in ran_by:
        inputs |= ran_files.get(t, set())
        if t in results:
            inputs.add(results[t].file)
    return {
        "sha256": section_digest(sections.section_body(measured.text, name)),
        "inputs": {path: digests.get(path) for path in sorted(inputs)},
        "covered_by": sorted(ran_by),
        "start": start,
        "statements": sum(n in body_lines for n in statements),
        "definitions": sum(n not in body_lines for n in statements),
        "untested": untested,
        "tests": len(ran_by),
        "passed": sum(o == "passed" for o in outcome.values()),
        "failed": len(failing),
        "other": sum(o == "other" for o in outcome.values()),
        "failing": failing[:MAX_FAILING],
        "examples": examples,
    }


def aggregate(
    files: Iterable[MeasuredFile],
    results: Mapping[str, Result],
    digests: Mapping[str, str | None] | None = None,
    shared: Iterable[str] = (),
    **about: object,
) -> dict:
    """The record of one test run: an entry per well-marked section of ``files``, keyed
    ``"<path>:<name>"``; ``digests``: ``file_digest`` of each measured file and test file
    as it is on disk, by path (None: unreadable; a measured file missing from it counts by
    its text); ``shared``: files every test ran (the conftest.py files), inputs of every
    section a test ran; ``about`` adds top-level facts (command, time)."""
    shared = sorted(shared)
    files = list(files)
    digests = {
        **{f.path: file_digest(f.text.encode("utf-8")) for f in files},
        **(digests or {}),
    }
    ran_files: dict[str, set[str]] = {}  # test id -> measured files it ran a line of
    for measured in files:
        for contexts in measured.contexts.values():
            for test in filter(None, map(test_of, contexts)):
                ran_files.setdefault(test, set()).add(measured.path)
    entries = {}
    for measured in files:
        if sections.marker_problems(measured.text):
            continue  # the build reports broken markers itself
        names = sections.section_names(measured.text)
        if not names:
            continue
        tree = ast.parse(measured.text)
        body_lines = function_body_lines(measured.text)
        for name in names:
            entries[f"{measured.path}:{name}"] = _section(
                measured, name, results, body_lines, tree, ran_files, digests, shared
            )
    counts = {
        kind: sum(r.outcome == kind for r in results.values())
        for kind in ("passed", "failed", "other")
    }
    test_files = sorted({r.file for r in results.values()})
    return {
        "format": FORMAT,
        **about,
        "measured": sorted(f.path for f in files),
        "tests": counts,
        "test_files": {path: digests.get(path) for path in test_files},
        "sections": dict(sorted(entries.items())),
    }


def stale(record: dict, digest: Callable[[str], str | None]) -> tuple[set[str], set[str]]:
    """What of ``record`` no longer holds, given ``digest`` (a file's digest now, by path):
    the ids of the tests of each section with a changed input, and the test files that
    changed."""
    tests: set[str] = set()
    for entry in record["sections"].values():
        inputs = entry.get("inputs") or {}
        if any(digest(path) != recorded for path, recorded in inputs.items()):
            tests.update(entry.get("covered_by") or [])
    files = {
        path for path, recorded in record.get("test_files", {}).items() if digest(path) != recorded
    }
    return tests, files


def merge(old: dict, new: dict, ran: Iterable[str]) -> tuple[dict, int]:
    """``old`` (the last record) renewed by ``new``, the record of a partial run of the tests
    ``ran``: a section takes its new entry when the partial run ran every test the old
    record knows to run it, or when no test ran it before and one does now (a new section
    likewise); the others keep theirs, which the build still holds against their inputs.
    Returns the record and the number of sections renewed."""
    ran = set(ran)
    sections = dict(old["sections"])
    renewed = 0
    for key, entry in new["sections"].items():
        known = old["sections"].get(key, {}).get("covered_by")
        if (
            key not in old["sections"]
            or (isinstance(known, list) and known and set(known) <= ran)
            or (not known and entry.get("covered_by"))
        ):
            sections[key] = entry
            renewed += 1
    merged = {
        **old,
        "measured": sorted(set(old["measured"]) | set(new["measured"])),
        "test_files": {**old.get("test_files", {}), **new.get("test_files", {})},
        "sections": dict(sorted(sections.items())),
        "updated": new.get("recorded"),
        "updated_by": new.get("command"),
    }
    return merged, renewed


def write_record(path: Path, record: dict) -> None:
    """Write ``record`` to ``path`` atomically (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    part.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    part.replace(path)


def read_record(path: Path) -> dict | None:
    """The record at ``path``; None when there is none; RecordError when it is unusable."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise RecordError(f"{path} cannot be read ({exc})") from None
    try:
        record = json.loads(text)
    except ValueError:
        raise RecordError(f"{path} is not valid JSON") from None
    if (
        not isinstance(record, dict)
        or record.get("format") != FORMAT
        or not isinstance(record.get("sections"), dict)
        or not isinstance(record.get("measured"), list)
    ):
        raise RecordError(f"{path} is not a provenance record of format {FORMAT}")
    return record
