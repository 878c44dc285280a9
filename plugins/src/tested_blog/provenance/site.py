"""One build's view of the provenance record: the lines for each page, the problems, a total.

``SiteProvenance.load`` reads the record once per build (``tested/code``'s ``record``,
relative to mkdocs.yml; ``RECORD`` by default), is given the repository URL
(``tested/code``'s ``repository``), and the commit being built (``git rev-parse HEAD``,
else ``HEAD``). ``page`` adds the line under every embedded block of a page's Markdown
and returns the problems a strict build refuses.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from tested_blog import sections
from tested_blog.provenance import RECORD
from tested_blog.provenance.check import MODE_ENV, Shown, check, missing_record_message, summary
from tested_blog.provenance.lines import Links, embedded_blocks, insert_after, line
from tested_blog.provenance.record import RecordError, file_digest, read_record


def commit_of(root: Path) -> str:
    """The commit checked out at ``root``, or ``HEAD`` when git cannot say."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--verify", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return "HEAD"
    sha = done.stdout.strip()
    return sha if done.returncode == 0 and sha else "HEAD"


@dataclass
class SiteProvenance:
    root: Path  # the repository root (mkdocs.yml's folder), resolved
    bases: list[Path]  # pymdownx.snippets' base paths
    links: Links
    record: dict | None
    record_problem: str | None = None  # why the record file could not be used
    record_path: str = str(RECORD)  # as the author wrote it, for messages
    pending: bool = False  # the test run that makes the record is under way
    mutants: bool = False  # judge each passed section's mutants too
    shown: list[Shown] = field(default_factory=list)
    _texts: dict[Path, str] = field(default_factory=dict)
    _digests: dict[str, str | None] = field(default_factory=dict)
    _told_missing: bool = False

    @classmethod
    def load(
        cls,
        root: Path,
        bases: list[Path],
        repository: str | None = None,
        record: str | os.PathLike[str] = RECORD,
    ) -> SiteProvenance:
        """The record (``record``, relative to ``root``) of the site in ``root``
        (mkdocs.yml's folder), whose pages embed files from ``bases`` (pymdownx.snippets'
        base paths); lines link tests and sections to their source in ``repository`` (a
        URL) at the commit checked out, when given."""
        root = root.resolve()
        links = Links(repository, commit_of(root))
        try:
            found, problem = read_record(root / record), None
        except RecordError as exc:
            found, problem = None, str(exc)
        return cls(
            root,
            bases,
            links,
            found,
            problem,
            record_path=os.fspath(record),
            pending=os.environ.get(MODE_ENV) == "pending",
        )

    def _section(self, ref: str) -> Shown | None:
        path, name, _ = sections.split_reference(ref)
        target = next((b / path for b in self.bases if (b / path).is_file()), None)
        if target is None or name is None:
            return None  # CodePlugin.check_embeds reports a reference that cannot work
        real = target.resolve()
        if not real.is_relative_to(self.root):
            return None
        if real not in self._texts:
            self._texts[real] = real.read_text(encoding="utf-8")
        text = self._texts[real]
        if name not in sections.section_names(text) or sections.marker_problems(text):
            return None
        path = real.relative_to(self.root).as_posix()
        return check(self.record, path, name, text, self._digest, mutants=self.mutants)

    def _digest(self, path: str) -> str | None:
        """A file's digest now (by path from the root), read once per build."""
        if path not in self._digests:
            try:
                self._digests[path] = file_digest((self.root / path).read_bytes())
            except OSError:
                self._digests[path] = None
        return self._digests[path]

    def page(self, markdown: str, post: str) -> tuple[str, list[str]]:
        """``markdown`` with a line under each embedded block, and the problems a strict
        build refuses, each naming ``post`` (the author's file), the section and why."""
        problems: list[str] = []
        found: dict[int, list[Shown]] = {}
        blocks = embedded_blocks(markdown)
        for block in blocks:
            found[block.end] = [s for s in map(self._section, (r.text for r in block.refs)) if s]
        blocks = [b for b in blocks if found[b.end]]
        if not blocks:
            return markdown, problems
        if self.record is None and not self._told_missing:
            self._told_missing = True
            problems.append(missing_record_message(self.record_problem, self.record_path))
        for block in blocks:
            for shown in found[block.end]:
                self.shown.append(shown)
                why = shown.problem()
                if why:
                    problems.append(
                        f"Post '{post}' shows section '{shown.name}' of {shown.path}, which {why}"
                    )
        return insert_after(markdown, blocks, lambda b: line(found[b.end], self.links)), problems

    def summary(self) -> str:
        return summary(self.shown)
