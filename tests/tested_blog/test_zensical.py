"""tested_blog.zensical: the command around Zensical, its messages."""

from __future__ import annotations

import importlib.metadata

import pytest
from tested_blog.passes import BuildError
from tested_blog.zensical import TESTED_VERSION, build, without_traceback, zensical_version

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
    with pytest.raises(BuildError, match=r"mkdocs-tested-blog\[zensical\]' \(zensical==0\.0\.73\)"):
        zensical_version()


def tiny_site(root, extra: str = "", hook: str | None = None):
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Home\n\nText.\n", encoding="utf-8")
    text = "site_name: Tiny\nstrict: true\ntheme:\n  name: material\n" + extra
    if hook is not None:
        (root / "hook.py").write_text(hook, encoding="utf-8")
        text += "hooks:\n  - hook.py\n"
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    return root / "mkdocs.yml"


def test_a_hooks_warning_fails_the_strict_build_as_under_mkdocs(tmp_path):
    hook = (
        "import logging\n\n\ndef on_config(config):\n"
        "    logging.getLogger('mkdocs.hooks.check').warning('the config is odd')\n"
        "    return config\n"
    )
    said: list[str] = []
    with pytest.raises(BuildError, match="Aborted with 1 warnings in strict mode"):
        build(tiny_site(tmp_path, hook=hook), site_dir=tmp_path / "out", say=said.append)
    assert "WARNING - the config is odd" in said
    assert not (tmp_path / "out").exists()


def test_a_configuration_mkdocs_refuses_is_named(tmp_path):
    config = tiny_site(tmp_path, extra="extra_csss: [x.css]\n")
    with pytest.raises(BuildError, match=r"mkdocs\.yml: Aborted with 1 configuration warnings"):
        build(config, site_dir=tmp_path / "out", say=lambda line: None)


def test_a_tiny_site_builds(tmp_path):
    said: list[str] = []
    build(tiny_site(tmp_path), site_dir=tmp_path / "out", say=said.append)
    assert "Text." in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert any(line.startswith("INFO - Built ") for line in said), said
