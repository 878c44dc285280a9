"""The README's two set-up commands stay true: CI runs the test one, requirements stay pinned."""

import re
import sys

from conftest import README_SERVE_COMMAND as SERVE_COMMAND
from conftest import README_TEST_COMMAND as TEST_COMMAND
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def bash_blocks(text: str) -> list[str]:
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", text, flags=re.S)]


def test_readme_gives_both_commands():
    blocks = bash_blocks(README)
    assert SERVE_COMMAND in blocks
    assert TEST_COMMAND in blocks


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert TEST_COMMAND in ci
    assert "set -euo pipefail" in ci
    assert "apt-get install" in ci and "chromium" in ci
    # the strict build reads the provenance record the tests wrote, so it comes after them
    assert ci.index(TEST_COMMAND) < ci.index("mkdocs build --strict")
    assert "TESTED_CODE_PROVENANCE" not in ci


def test_requirements_install_the_package_with_its_pinned_groups():
    """requirements.txt installs the plugins and this project with all its groups, and
    requirements-zensical.txt with the site and Zensical ones (no test tools); each group's
    lines, the one place a version is written, are pinned, and torch is never one of
    them."""
    import tomllib

    def lines(name: str) -> list[str]:
        text = (ROOT / name).read_text(encoding="utf-8")
        return [
            line.strip()
            for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")
        ]

    assert lines("requirements.txt") == ["-e ./plugins", "-e .[site,test,zensical]"]
    assert lines("requirements-zensical.txt") == ["-e ./plugins", "-e .[site,zensical]"]
    groups = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    assert sorted(groups) == ["site", "test", "zensical"]
    for requirement in groups["site"] + groups["test"] + groups["zensical"]:
        assert re.fullmatch(r"[A-Za-z0-9_.\-]+==[\w.]+", requirement), f"unpinned: {requirement}"
        assert not requirement.lower().startswith("torch"), "torch must stay optional"


def test_ci_installs_into_a_fresh_environment_and_checks_dependencies():
    """Packages installed on the machine by hand must not reach the tests: .ci/run makes its
    own virtual environment (no system site-packages) before it installs anything, and runs
    deptry on what the repository declares."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    venv = ci.index("-m venv")
    assert "--system-site-packages" not in ci
    assert venv < ci.index("pip install") < ci.index("python -m deptry")
    assert ci.index("python -m deptry") < ci.index(TEST_COMMAND)


def test_package_runtime_dependency_is_numpy_only():
    import tomllib

    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    deps = meta["project"]["dependencies"]
    assert [re.split(r"[<>=!~ ]", d)[0] for d in deps] == ["numpy"]


def test_readme_serve_urls_need_no_redirect():
    """`mkdocs serve` serves the site under site_url's path and redirects anything else to
    it (one log WARNING per visit): every local URL the README gives is under that path."""
    from urllib.parse import urlsplit

    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    site_url = re.search(r"^site_url: .*?\"(https?://[^\"]+)\"", text, flags=re.M).group(1)
    path = urlsplit(site_url).path
    assert path.startswith("/") and path.endswith("/")
    local = re.findall(r"https?://(?:127\.0\.0\.1|localhost):8000[^\s>)]*", README)
    assert local, "the README gives no local serve URL"
    for url in local:
        assert urlsplit(url).path.startswith(path), f"{url} redirects: use {path} after the port"


def test_packaging_metadata_uses_an_spdx_license_string():
    """setuptools deprecates `license = {text = ...}` (a warning on every pip install)."""
    import tomllib

    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert isinstance(meta["project"]["license"], str), meta["project"]["license"]
    setuptools = next(r for r in meta["build-system"]["requires"] if r.startswith("setuptools"))
    minimum = re.fullmatch(r"setuptools>=(\d+)\S*", setuptools)
    assert minimum and int(minimum.group(1)) >= 77, "SPDX license strings need setuptools>=77"


def test_the_site_group_installs_what_the_notebook_posts_import():
    """A site built from the site group alone (requirements-zensical.txt, or
    `pip install .[site]`) runs every notebook post: each module a post or its helper
    imports is the standard library's, this repository's, or a distribution of that group
    (scikit-learn was once only in the test group)."""
    import ast
    import importlib.metadata

    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["site"]
    site = {re.split(r"[=<>\[ ]", r)[0].lower() for r in wanted}
    distributions = importlib.metadata.packages_distributions()
    posts = ROOT / "docs" / "blog" / "posts"
    imported = set()
    for path in sorted(posts.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported.add(node.module.split(".")[0])
    local = {"snippets"} | {p.stem for p in posts.glob("_*.py")}
    assert {"sklearn", "numpy", "matplotlib"} <= imported, imported  # the scan sees them
    missing = {
        name: distributions.get(name)
        for name in sorted(imported - local - set(sys.stdlib_module_names))
        if not {d.lower() for d in distributions.get(name, [])} & site
    }
    assert not missing, f"imported by notebook posts, not in the site group: {missing}"
