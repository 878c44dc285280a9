"""The plugins' distribution as another blog installs it: a wheel, not this checkout.

The repository installs ``plugins/`` in editable mode, where every file of the source tree
is at hand; a wheel holds only what ``plugins/pyproject.toml`` packages. A stylesheet left
out of it made every build of another blog fail, so the wheel is built here, as pip builds
it for ``pip install mkdocs-tested-blog@…``, and must hold every file of the package.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

from conftest import ROOT

PLUGINS = ROOT / "plugins"


def package_files() -> set[str]:
    """The files of the ``tested_blog`` package the repository holds, from ``src/``."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "src/tested_blog"],
        cwd=PLUGINS,
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return {name.removeprefix("src/") for name in listed.split("\0") if name}


def test_the_wheel_holds_every_file_of_the_package(tmp_path):
    # a copy of what git holds, so the build writes nothing into the checkout
    source = tmp_path / "plugins"
    for name in ["pyproject.toml", "README.md", *(f"src/{f}" for f in package_files())]:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(PLUGINS / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
        + ["--no-index", "--quiet", "--wheel-dir", str(tmp_path / "wheel"), str(source)],
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "wheel").glob("mkdocs_tested_blog-*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    expected = package_files()
    assert {"tested_blog/provenance/assets/tested-by.css", "tested_blog/mathjax/typeset.js"} <= (
        expected
    )
    assert not expected - shipped, f"not in the wheel: {sorted(expected - shipped)}"
