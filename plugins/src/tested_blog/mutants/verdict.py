"""What a build says about one section's mutants, from the record and the section's text.

``verdict`` joins the record's ``mutants`` entry (``update``) with the equivalence marks
on the section's lines now (``marks``): a surviving mutant on a marked line, of the marked
operator, is *equivalent*; any other survivor fails a strict build, and so does a mark
that no surviving mutant needs, a mark without a reason, and a result that is missing or
was computed for other code.
"""

from __future__ import annotations

from dataclasses import dataclass

from tested_blog.mutants.key import mutation_key, operator_names
from tested_blog.mutants.marks import marks
from tested_blog.provenance import TEST_COMMAND


@dataclass(frozen=True)
class Survivor:
    line: int  # 1-based line of the file
    operator: str
    before: str
    after: str

    def describe(self, path: str) -> str:
        where = f"{path}:{self.line}" if path else f"line {self.line}"
        return f"{where}: `- {self.before}` -> `+ {self.after}` ({self.operator})"


@dataclass(frozen=True)
class Verdict:
    state: str  # "missing", "error" or "done"
    total: int = 0
    caught: int = 0  # failed, crashed or timed out
    equivalent: tuple[Survivor, ...] = ()
    survivors: tuple[Survivor, ...] = ()
    bad_marks: tuple[str, ...] = ()
    error: str = ""
    path: str = ""  # the section's file, relative to the root, for messages

    def figure(self) -> str:
        """The mutation figure of the tested-by line ("" when there is none to give)."""
        if self.state != "done":
            return ""
        if not self.total:
            return "0 mutants (no operator applies)"
        text = f"{self.caught}/{self.total - len(self.equivalent)} mutants caught"
        if self.equivalent:
            text += f", {len(self.equivalent)} equivalent"
        return text

    def problem(self) -> str | None:
        """Why a strict build refuses the section (None: it does not)."""
        if self.state == "missing":
            return (
                "has no mutation result for its code as it is now (the mutants run at the"
                f" end of {TEST_COMMAND}); run it again"
            )
        if self.state == "error":
            return f"could not be mutation-tested: {self.error}"
        found = []
        if self.survivors:
            found.append(
                f"has {len(self.survivors)} surviving mutant(s), change(s) its tests do not"
                " catch: "
                + "; ".join(s.describe(self.path) for s in self.survivors)
                + ". Make a test fail on each; if one cannot change any result, mark its"
                " line `# equivalent mutant (<operator>): <why>`"
            )
        found.extend(self.bad_marks)
        return "; ".join(found) or None


def verdict(entry: dict | None, text: str, start: int, end: int, path: str = "") -> Verdict:
    """The verdict on the section between marker lines ``start`` and ``end`` of ``text``
    (the file at ``path``), whose record entry is ``entry``."""
    result = (entry or {}).get("mutants")
    if not isinstance(result, dict) or result.get("key") != mutation_key(entry or {}):
        return Verdict("missing")
    if "error" in result:
        return Verdict("error", error=str(result["error"]), path=path)
    survived = [
        Survivor(start + s["line"], s["operator"], s["before"], s["after"])
        for s in result.get("survived", [])
    ]
    found = marks(text, start, end)
    marked = {(m.line, m.operator) for m in found if m.reason}
    bad = []
    known = operator_names()
    for m in found:
        if m.operator not in known:
            bad.append(
                f"{path}:{m.line}: the equivalence mark names '{m.operator}', which is not a"
                f" mutation operator (they are: {', '.join(sorted(known))})"
            )
        elif not m.reason:
            bad.append(f"{path}:{m.line}: the equivalence mark gives no reason after the ':'")
        elif not any((s.line, s.operator) == (m.line, m.operator) for s in survived):
            bad.append(
                f"{path}:{m.line}: marked as having an equivalent {m.operator} mutant, but the"
                " tests catch every such mutant of the line: remove the mark"
            )
    equivalent = tuple(s for s in survived if (s.line, s.operator) in marked)
    return Verdict(
        "done",
        total=int(result.get("total", 0)),
        caught=sum(int(result.get(k, 0)) for k in ("caught", "crashed", "timed_out")),
        equivalent=equivalent,
        survivors=tuple(s for s in survived if s not in equivalent),
        bad_marks=tuple(bad),
        path=path,
    )
