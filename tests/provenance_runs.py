"""A small copy of the site with a toy snippet module and tests of its own, for the tests of
provenance: ``make_tested_site`` lays it out, ``run_tests`` runs its suite with the real
pyproject.toml (so the real pytest-cov settings and ``tested_blog.provenance.collect``).

The toy module has three sections: ``double`` (a passing test runs it), ``halve`` (no
test runs it) and ``negate`` (only a failing test runs it).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from site_copy import make_site

TOY = """\
# --8<-- [start:double]
def double(x):
    return 2 * x
# --8<-- [end:double]


# --8<-- [start:halve]
def halve(x):
    return x / 2
# --8<-- [end:halve]


# --8<-- [start:negate]
def negate(x):
    return -x
# --8<-- [end:negate]
"""

TOY_TESTS = """\
from snippets.toy import double, negate


def test_double_doubles():
    assert double(2) == 4


def test_negate_fails_on_purpose():
    assert negate(1) == 1
"""


def write_project(root: Path, files: dict[str, str]) -> Path:
    """A small project of its own under ``root``: each file (a path relative to ``root``)
    written with its text, folders made as needed; returns ``root``."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def embed(section: str) -> str:
    return f'```python\n--8<-- "snippets/toy.py:{section}"\n```\n'


def make_tested_site(root: Path, posts: dict[str, str] | None = None) -> Path:
    """The copy under ``root`` (see site_copy.make_site) plus snippets/toy.py, tests/ and
    the real pyproject.toml; returns its mkdocs.yml."""
    config = make_site(root, posts)
    (root / "snippets" / "toy.py").write_text(TOY, encoding="utf-8")
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    (root / "tests").mkdir()
    # the real conftest, with the plugin modules it lists (and what they import)
    for helper in ("conftest.py", "browser_shared.py", "browser_support.py"):
        shutil.copy(ROOT / "tests" / helper, root / "tests" / helper)
    (root / "tests" / "test_toy.py").write_text(TOY_TESTS, encoding="utf-8")
    return config


def run_tests(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m pytest`` in the copy (its own snippets and sitebuild come first)."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "--basetemp",
            str(root.parent / "pytest-tmp"),
            *args,
        ],
        capture_output=True,
        text=True,
        cwd=root,
        timeout=300,
    )
