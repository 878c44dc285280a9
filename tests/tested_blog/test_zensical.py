"""tested_blog.zensical: the command around Zensical, its messages."""

from __future__ import annotations

import importlib.metadata

import pytest
from tested_blog.passes import BuildError
from tested_blog.zensical import TESTED_VERSION, without_traceback, zensical_version

STRICT_FAILURE = """\
Build started
Warning: page does not exist
  blog/posts/a.md:3:1
1 issues found
Traceback (most recent call last):
  File "/venv/bin/zensical", line 8, in <module>
    sys.exit(cli())
             ^^^^^
RuntimeError: Aborted because --strict flag is set
"""


def test_zensicals_traceback_is_cut_to_its_error_and_its_messages_stay():
    assert without_traceback(STRICT_FAILURE).splitlines() == [
        "Build started",
        "Warning: page does not exist",
        "  blog/posts/a.md:3:1",
        "1 issues found",
        "RuntimeError: Aborted because --strict flag is set",
    ]
    assert without_traceback("Build started\nNo issues found") == "Build started\nNo issues found"


def test_the_version_is_the_one_tested_and_a_missing_zensical_says_how_to_install_it(
    monkeypatch,
):
    assert zensical_version() == TESTED_VERSION  # requirements.txt pins it

    def missing(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", missing)
    with pytest.raises(BuildError, match=r"requirements-zensical\.txt \(zensical==0\.0\.73\)"):
        zensical_version()
