"""The owner's name is written once (docs/blog/.authors.yml) and fills the footer."""

from __future__ import annotations

import subprocess

import pytest
from conftest import ROOT
from tested_blog.site_owner import AUTHORS_FILE, copyright_line, owner_name

NAME = owner_name(ROOT / AUTHORS_FILE)


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


def test_shipped_name_is_an_unmistakable_placeholder():
    assert "set your name" in NAME and str(AUTHORS_FILE) in NAME


def test_name_is_written_in_one_place_only():
    found = [rel for rel, text in tracked_text_files() if NAME in text]
    assert found == [AUTHORS_FILE.as_posix()], found


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
