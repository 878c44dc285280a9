"""Every module of ``snippets`` has a test module of its own (tests/test_<module>.py)."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted(p.stem for p in (ROOT / "snippets").glob("*.py") if not p.stem.startswith("__"))


def test_package_has_modules():
    assert len(MODULES) >= 7, MODULES


@pytest.mark.parametrize("module", MODULES)
def test_module_has_test_module(module):
    test_file = ROOT / "tests" / f"test_{module}.py"
    assert test_file.is_file(), f"snippets/{module}.py has no test module {test_file.name}"
    text = test_file.read_text(encoding="utf-8")
    assert f"snippets.{module}" in text or f"snippets import {module}" in text, (
        f"{test_file.name} does not import snippets.{module}"
    )


def test_importing_package_is_cheap():
    """Importing a module does nothing: no prints, no top-level computation beyond defs."""
    import subprocess
    import sys

    code = "import snippets, " + ", ".join(f"snippets.{m}" for m in MODULES)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout == "" and out.stderr == ""


PLUGINS = ROOT / "plugins" / "src" / "tested_blog"
PLUGIN_MODULES = sorted(
    str(p.relative_to(PLUGINS).with_suffix("")).replace("/", "_")
    for p in PLUGINS.rglob("*.py")
    if not p.stem.startswith("__") and p.stem != "errors"
)


@pytest.mark.parametrize("module", PLUGIN_MODULES)
def test_plugin_module_has_test_module(module):
    """The plugins are tested module by module too (tests/tested_blog/test_<module>.py;
    a module of a subpackage: test_<package>_<module>.py)."""
    test_file = ROOT / "tests" / "tested_blog" / f"test_{module}.py"
    assert test_file.is_file(), f"tested_blog module {module} has no {test_file.name}"
