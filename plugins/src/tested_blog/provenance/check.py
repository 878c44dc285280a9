"""What a build says about one shown section, given the provenance record (or none).

``check`` compares the record's entry with the section as it is now and gives a
``Shown``: its state, the counts and examples to print under the block, and, for a
section the strict build must refuse, the problem in words. The states, in the order
they are decided:

* ``unrecorded``: there is no record (the tests have not been run in this checkout);
* ``unmeasured``: the tests did not measure the section's file;
* ``changed``: the section is new, its text differs from the text the tests ran, or a
  file whose code its tests ran (a module it calls, a test) has changed since;
* ``failed``: a test that executed it failed;
* ``untested``: no passing test executed any of its lines;
* ``partial``: a line in a function body of it ran in no passing test;
* ``passed``: otherwise.

A ``passed`` section of a build that asks for mutation results (``tested/code``'s
``mutants``) also gets the record's verdict on its mutants (``mutants.verdict``), and
its problems if any.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from tested_blog import sections
from tested_blog.mutants.verdict import Verdict, verdict
from tested_blog.provenance import RECORD, TEST_COMMAND
from tested_blog.provenance.record import section_digest

# "pending": the test run that makes the record is running (the suite's own builds), so
# provenance problems are logged without failing a strict build; `mkdocs serve` does the same.
MODE_ENV = "TESTED_CODE_PROVENANCE"
PROBLEM_STATES = ("unmeasured", "changed", "untested", "failed", "partial")


@dataclass(frozen=True)
class Shown:
    """One embedded section as the build sees it."""

    path: str  # the snippet file, relative to the repository root
    name: str
    first: int  # first and last line of the section's text in the file as it is now
    last: int
    state: str
    tests: int = 0
    passed: int = 0
    failed: int = 0
    other: int = 0
    failing: tuple[str, ...] = ()
    examples: tuple[dict, ...] = ()  # {"id", "file", "line"} of representative tests
    untested: tuple[int, ...] = ()  # current line numbers that ran in no passing test
    statements: int = 0  # statement lines in function bodies
    definitions: int = 0  # statement lines run on import
    changed_input: str | None = None  # a file its tests ran that changed since (changed)
    mutation: Verdict | None = None  # its mutants (a passed section, when they are asked for)

    @property
    def key(self) -> str:
        return f"{self.path}:{self.name}"

    def problem(self) -> str | None:
        """Why a strict build refuses to show this section (None: it does not)."""
        if self.state == "unmeasured":
            return (
                "the tests did not measure (put its folder under [tool.coverage.run] "
                "source in pyproject.toml)"
            )
        if self.state == "changed" and self.changed_input:
            return (
                f"was recorded with {self.changed_input} as it was, which has changed since"
                f" (the section's file, or code its tests ran); run {TEST_COMMAND} again"
            )
        if self.state == "changed":
            return f"changed since the tests ran; run {TEST_COMMAND} again"
        if self.state == "untested":
            return "no passing test executed in the last full test run"
        if self.state == "failed":
            more = (
                f" and {self.failed - len(self.failing)} more"
                if self.failed > len(self.failing)
                else ""
            )
            return (
                f"failed in {self.failed} of the {self.tests} tests that executed it: "
                + ", ".join(self.failing)
                + more
            )
        if self.state == "partial":
            lines = ", ".join(map(str, self.untested))
            return f"has line(s) {lines} that no passing test executed"
        if self.mutation is not None:
            return self.mutation.problem()
        return None


def check(
    record: dict | None,
    path: str,
    name: str,
    text: str,
    digest: Callable[[str], str | None] | None = None,
    mutants: bool = False,
) -> Shown:
    """The state of section ``name`` of the file at ``path`` (relative to the repository
    root) whose current content is ``text``; ``record`` as ``read_record`` returns it;
    ``digest`` gives a file's ``file_digest`` now, by path (None: it cannot be read), to
    hold the section's inputs against (without it they are not checked); ``mutants``:
    whether a passed section's mutation result is judged too."""
    own = [m for m in sections.markers(text) if m.name == name]
    start, end = own[0].line, own[-1].line
    where: dict[str, Any] = {"path": path, "name": name, "first": start + 1, "last": end - 1}
    if record is None:
        return Shown(**where, state="unrecorded")
    if path not in record["measured"]:
        return Shown(**where, state="unmeasured")
    entry = record["sections"].get(f"{path}:{name}")
    if entry is None or entry.get("sha256") != section_digest(sections.section_body(text, name)):
        return Shown(**where, state="changed")
    if digest is not None:
        inputs = entry.get("inputs")
        if not isinstance(inputs, dict):
            return Shown(**where, state="changed")
        for source, recorded in sorted(inputs.items()):
            if recorded is None or digest(source) != recorded:
                return Shown(**where, state="changed", changed_input=source)
    counts = {
        k: entry.get(k, 0)
        for k in ("tests", "passed", "failed", "other", "statements", "definitions")
    }
    untested = tuple(start + offset for offset in entry.get("untested", []))
    if counts["failed"]:
        state = "failed"
    elif not counts["passed"]:
        state = "untested"
    elif untested:
        state = "partial"
    else:
        state = "passed"
    mutation = verdict(entry, text, start, end, path) if mutants and state == "passed" else None
    return Shown(
        **where,
        state=state,
        mutation=mutation,
        **counts,
        failing=tuple(entry.get("failing", [])),
        examples=tuple(entry.get("examples", [])),
        untested=untested,
    )


def missing_record_message(problem: str | None = None, record: str = str(RECORD)) -> str:
    """What to tell a build that has no usable record (``problem``: why it is unusable;
    ``record``: where it was looked for)."""
    why = problem or f"there is no provenance record ({record})"
    return (
        f"{why}, so the site cannot say which tests ran its code: run your tests"
        f" ({TEST_COMMAND}) in this checkout before a strict build. They record it when"
        f' pyproject.toml\'s [tool.pytest.ini_options] has provenance_record = "{record}"'
        ' and addopts = "--cov --cov-context=test --cov-report=" (pytest-cov)'
    )


def summary(shown: Iterable[Shown]) -> str:
    """One line for the build log: how much of the shown code the passing tests ran."""
    unique = {s.key: s for s in shown}.values()
    if not unique:
        return "provenance: no page embeds a section"
    if any(s.state == "unrecorded" for s in unique):
        return f"provenance: {len(unique)} shown section(s); no record of a test run"
    counted = [s for s in unique if s.state in ("passed", "partial", "failed")]
    lines = sum(s.statements for s in counted)
    untested = sum(len(s.untested) for s in counted)
    refused = sum(s.problem() is not None for s in unique)
    text = (
        f"provenance: {len(unique)} shown section(s); {lines - untested} of {lines} lines "
        f"in their function bodies executed by a passing test (plus "
        f"{sum(s.definitions for s in counted)} def/class lines run on import); "
    )
    judged = [s.mutation for s in unique if s.mutation is not None and s.mutation.state == "done"]
    if judged:
        equivalent = sum(len(v.equivalent) for v in judged)
        text += (
            f"{sum(v.caught for v in judged)} of "
            f"{sum(v.total for v in judged) - equivalent} mutants caught ({equivalent} "
            f"equivalent) in {len(judged)} section(s); "
        )
    return text + f"{refused} section(s) with a problem"
