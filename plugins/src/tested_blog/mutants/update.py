"""Keep the provenance record's mutation results current.

Each section entry of the record (``provenance.record``) gets a ``mutants`` entry::

    {"key": ..., "total": 22, "caught": 20, "crashed": 1, "timed_out": 1,
     "survived": [{"line": 7, "operator": "ReplaceBinaryOperator_Pow_Mul",
                   "before": "v = ...", "after": "v = ..."}],
     "seconds": 8.1}

(``line``: offset from the section's start marker, as ``untested`` counts) or, when its
tests do not pass by themselves, ``{"key": ..., "error": "..."}``. ``key`` digests all the
result depends on: the section's text, every file its tests ran (its module, the modules
it calls, the tests, the conftest files), the ids of those tests and the operator set. A
result is computed again only when its key changes; the others are kept, so after an
edit only the sections it touches run.

A section is run only when its tests all passed and ran every line of it: the build
already refuses the others.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from tested_blog import sections
from tested_blog.mutants import generate
from tested_blog.mutants.key import current, mutation_key, wanted
from tested_blog.mutants.runner import Job, Outcome, run, warm
from tested_blog.mutants.verdict import Verdict, verdict
from tested_blog.provenance.record import file_digest, read_record, write_record

LIMIT_FACTOR = 10  # a mutant's time limit: this many times its tests' own time ...
LIMIT_MIN = 5.0  # ... and at least this many seconds


def module_name(root: Path, path: str) -> str:
    """The import name of the file ``path`` (relative to ``root``): its folders up to the
    first without an ``__init__.py`` are its packages."""
    file = root / path
    parts = [file.stem] if file.name != "__init__.py" else []
    folder = file.parent
    while (folder / "__init__.py").is_file() and folder != root:
        parts.insert(0, folder.name)
        folder = folder.parent
    return ".".join(parts)


@dataclass
class _Section:
    key: str
    path: str
    text: str
    start: int  # the section's marker lines
    end: int
    tests: tuple[str, ...]
    mutants: list[generate.Mutant]
    baseline: Outcome | None = None
    order: tuple[str, ...] = ()
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def passes(self) -> bool:
        """Whether its tests passed on the code as written (so far)."""
        return self.baseline is not None and self.baseline.state == "survived"


def _read(root: Path, key: str, entry: dict) -> _Section | None:
    """The section as its file is now, or None when the file is not as its tests ran it
    (an edit since then is the next test run's to record, and its mutants are run then)."""
    path, name = key.rsplit(":", 1)
    try:
        data = (root / path).read_bytes()
    except OSError:
        return None
    if file_digest(data) != entry.get("inputs", {}).get(path):
        return None
    text = data.decode("utf-8")
    own = [m.line for m in sections.markers(text) if m.name == name]
    tests = tuple(sorted(entry.get("covered_by", [])))
    mutants = generate.mutants(text, own[0], own[-1])
    return _Section(key, path, text, own[0], own[-1], tests, mutants)


def _job(root: Path, section: _Section, tests: tuple[str, ...], **more) -> Job:
    module = module_name(root, section.path)
    return Job(tests, module, str(root / section.path), section.text, **more)


def _result(section: _Section, entry: dict) -> dict:
    base = {"key": mutation_key(entry)}
    if not section.passes:
        detail = section.baseline.detail if section.baseline else "it did not run"
        return {**base, "error": f"its tests do not pass when run by themselves ({detail})"}
    states = [o.state for o in section.outcomes]
    errors = [o.detail for o in section.outcomes if o.state == "error"]
    if errors:
        return {**base, "error": f"the mutants could not be run: {errors[0]}"}
    survived = []
    for mutant, outcome in zip(section.mutants, section.outcomes, strict=True):
        if outcome.state == "survived":
            before, after = generate.change(section.text, mutant)
            survived.append(
                {
                    "line": mutant.line - section.start,
                    "operator": mutant.operator,
                    "before": before,
                    "after": after,
                }
            )
    return {
        **base,
        "total": len(states) - states.count("invalid"),
        "invalid": states.count("invalid"),  # mutants that do not compile: not counted
        "caught": states.count("caught"),
        "crashed": states.count("crashed"),
        "timed_out": states.count("timed out"),
        "survived": survived,
        "seconds": round(sum(o.seconds for o in section.outcomes), 1),
    }


def update(
    root: Path,
    record_path: Path,
    workers: int,
    say: Callable[[str], None] = print,
    floor: float = LIMIT_MIN,
    again: bool = False,
) -> str:
    """Run the mutants of every section whose result is missing or out of date, write them
    into the record at ``record_path``; a one-line summary. A mutant's tests may run for
    ``LIMIT_FACTOR`` times their own time, and at least ``floor`` seconds; ``again``: every
    section's mutants, current or not."""
    began = time.monotonic()
    record = read_record(record_path)
    if record is None:
        return f"mutants: no provenance record at {record_path}"
    entries = record["sections"]
    stale = [k for k, e in entries.items() if wanted(e) and (again or not current(e))]
    read = {k: _read(root, k, entries[k]) for k in stale}
    edited = [k for k, section in read.items() if section is None]
    todo = [section for section in read.values() if section is not None]
    if edited:
        say(
            f"mutants: {len(edited)} section(s) changed since the tests ran (first:"
            f" {edited[0]}); their mutants run after the next test run"
        )
    if not todo:
        if edited:
            return f"mutants: nothing run; {len(edited)} section(s) wait for the next test run"
        return f"mutants: the results of all {len(entries)} sections are current"
    count = sum(len(s.mutants) for s in todo)
    say(f"mutants: {count} mutants of {len(todo)} section(s), on {workers} processes")
    with tempfile.TemporaryDirectory(prefix="tested-blog-mutants-") as folder:
        scratch = Path(folder)
        warm(root, sorted({t for s in todo for t in s.tests}), scratch)
        # 1. the code as written, its tests in id order, timed
        durations = [scratch / f"baseline-{i}.json" for i in range(len(todo))]
        timed = run(
            root,
            [
                _job(root, s, s.tests, durations=str(d))
                for s, d in zip(todo, durations, strict=True)
            ],
            workers,
            scratch,
        )
        for section, path, outcome in zip(todo, durations, timed, strict=True):
            seconds = json.loads(path.read_text())["seconds"] if path.is_file() else {}
            # the fastest tests first: a mutant is usually caught by the first that fails
            section.order = tuple(sorted(section.tests, key=lambda t: seconds.get(t, 0.0)))
            section.baseline = outcome
        # 2. the code as written again, in exactly the order the mutants' runs use: a test
        # that passes only after another would otherwise fail every mutant's run
        ready = [s for s in todo if s.passes]
        ordered = run(root, [_job(root, s, s.order) for s in ready], workers, scratch)
        for section, outcome in zip(ready, ordered, strict=True):
            if outcome.state != "survived":
                outcome = Outcome(
                    outcome.state,
                    outcome.seconds,
                    "they pass in one order and fail in another: " + outcome.detail,
                )
            section.baseline = outcome
        # 3. the mutants
        jobs, owners = [], []
        for section in [s for s in ready if s.passes]:  # in both orders
            limit = max(floor, LIMIT_FACTOR * cast(Outcome, section.baseline).seconds)
            for mutant in section.mutants:
                jobs.append(_job(root, section, section.order, mutant=mutant, timeout=limit))
                owners.append(section)
        for section, outcome in zip(owners, run(root, jobs, workers, scratch), strict=True):
            section.outcomes.append(outcome)
    for section in todo:
        entries[section.key]["mutants"] = _result(section, entries[section.key])
    write_record(record_path, record)
    # what the build will make of them, equivalence marks included
    verdicts = [verdict(entries[s.key], s.text, s.start, s.end, s.path) for s in todo]
    return _summary(verdicts, len(entries), time.monotonic() - began)


def _summary(verdicts: list[Verdict], sections: int, seconds: float) -> str:
    total = sum(v.total for v in verdicts)
    caught = sum(v.caught for v in verdicts)
    marked = sum(len(v.equivalent) for v in verdicts)
    survivors = marked + sum(len(v.survivors) for v in verdicts)
    errors = sum(v.state == "error" for v in verdicts)
    text = (
        f"mutants: {caught} of {total} caught in {len(verdicts)} of {sections} sections"
        f" ({seconds:.0f} s); {survivors} survived"
    )
    if survivors:
        text += f", {marked} of them marked equivalent"
    if errors:
        text += f"; {errors} section(s) could not be run"
    return text
