"""The owner's name is written once (docs/blog/.authors.yml) and fills the footer."""

from __future__ import annotations

import subprocess

import pytest
from conftest import ROOT, load_module
from tested_blog.site_owner import (
    AUTHORS_FILE,
    PLACEHOLDER,
    copyright_line,
    owner_name,
    placeholder_notice,
)

NAME = owner_name(ROOT / AUTHORS_FILE)
THIS_FILE = "tested_blog/test_site_owner.py"


def tracked_text_files() -> list:
    listed = (
        subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
        .stdout.decode()
        .split("\0")
    )
    files = []
    for rel in filter(None, listed):
        path = ROOT / rel
        try:
            files.append((rel, path.read_text(encoding="utf-8")))
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue  # binary data (npz, images) or a file deleted in the work tree
    return files


def test_shipped_name_is_a_placeholder_that_claims_no_one():
    assert NAME == PLACEHOLDER == "Site Owner"


def test_the_build_tells_the_author_to_set_the_name_and_publishes_no_instruction(tmp_path, caplog):
    """The instruction is a build message: the published name is the placeholder alone."""
    hook = load_module("site_owner_hook", ROOT / "hooks" / "site_owner.py")
    authors = tmp_path / AUTHORS_FILE
    authors.parent.mkdir(parents=True)
    config = {"config_file_path": str(tmp_path / "mkdocs.yml")}
    for name, told in [(PLACEHOLDER, True), ("Ada Lovelace", False)]:
        authors.write_text(f"authors:\n  owner: {{name: {name}}}\n", encoding="utf-8")
        caplog.clear()
        with caplog.at_level("INFO", logger="mkdocs.hooks.site_owner"):
            filled = hook.on_config(dict(config))
        assert filled["site_author"] == name and "set your name" not in filled["copyright"]
        assert (f"set your name in {AUTHORS_FILE}" in caplog.text) is told, caplog.text
    assert placeholder_notice("Ada", AUTHORS_FILE) is None


def test_name_is_written_in_one_place_only():
    """Besides the authors file, only the code that knows the placeholder names it."""
    found = [rel for rel, text in tracked_text_files() if NAME in text]
    knows_the_placeholder = [
        "README.md",
        "plugins/src/tested_blog/site_owner.py",
        "tests/" + THIS_FILE,
    ]
    expected = [AUTHORS_FILE.as_posix()] + (knows_the_placeholder if NAME == PLACEHOLDER else [])
    assert sorted(found) == sorted(expected), found


# The name an earlier version invented, spelled so that this file does not contain it.
@pytest.mark.parametrize("invented", ["Lin" + " Wei", "lin" + "wei"])
def test_no_invented_author_is_left(invented):
    found = [rel for rel, text in tracked_text_files() if invented.lower() in text.lower()]
    assert found == [], found


def test_owner_name_needs_exactly_one_named_author(tmp_path):
    path = tmp_path / "authors.yml"
    path.write_text("authors:\n  a: {name: A}\n  b: {name: B}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="exactly one author"):
        owner_name(path)
    path.write_text("authors:\n  a: {description: x}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="non-empty 'name'"):
        owner_name(path)
    path.write_text("authors:\n  a: {name: '  Ada  '}\n", encoding="utf-8")
    assert owner_name(path) == "Ada"
    assert copyright_line("Ada", 2026) == "Copyright &copy; 2026 Ada"


@pytest.mark.site
def test_footer_and_author_meta_carry_the_name(built_site):
    page = (built_site / "index.html").read_text(encoding="utf-8")
    assert copyright_line(NAME, 2026).replace("&copy;", "©") in page.replace("&copy;", "©")
    assert f'<meta name="author" content="{NAME}">' in page


def test_the_shipped_avatar_carries_no_initials():
    """A placeholder picture: a silhouette, no letters that would name someone."""
    avatar = (ROOT / "docs" / "assets" / "images" / "avatar.svg").read_text(encoding="utf-8")
    assert "<text" not in avatar and 'aria-label="Author"' in avatar
