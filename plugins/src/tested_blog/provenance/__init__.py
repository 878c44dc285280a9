"""Which tests ran each embedded section of code, whether they passed, and for which source.

The test run records it, the build reads it:

* ``record`` — the record's file format, and how a test run's line contexts (coverage.py,
  ``--cov-context=test`` of pytest-cov) and test outcomes aggregate to one entry per
  section of every measured snippet file;
* ``collect`` — the pytest plugin that writes the record at the end of a full test run;
* ``check`` — what a build says about one shown section: passed, failed, never run,
  changed since the tests ran, or no record at all;
* ``lines`` — the compact line under each embedded block, placed in a page's Markdown.

The record lives at ``RECORD`` (relative to the repository root, git-ignored).
"""

from __future__ import annotations

from pathlib import PurePosixPath

RECORD = PurePosixPath(".cache/provenance.json")
# The README's test command; messages tell the reader to run it to make the record.
TEST_COMMAND = "python -m pytest"
