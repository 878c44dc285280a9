"""tested_blog.sources: files under docs/ that really live outside the repository."""

from __future__ import annotations

from tested_blog.sources import outside


def test_links_that_leave_the_repository_are_named_and_links_inside_it_are_not(tmp_path):
    repo, elsewhere = tmp_path / "repo", tmp_path / "elsewhere"
    (repo / "docs" / "assets").mkdir(parents=True)
    (elsewhere / "folder").mkdir(parents=True)
    (elsewhere / "secret.txt").write_text("not in the repository", encoding="utf-8")
    (elsewhere / "folder" / "inner.txt").write_text("nor this", encoding="utf-8")
    (repo / "data.csv").write_text("1\n", encoding="utf-8")
    assets = repo / "docs" / "assets"
    (assets / "plain.txt").write_text("fine", encoding="utf-8")
    (assets / "inside.csv").symlink_to(repo / "data.csv")  # a link within the repository
    (assets / "leak.txt").symlink_to(elsewhere / "secret.txt")
    (assets / "linked").symlink_to(elsewhere / "folder", target_is_directory=True)
    names = ["plain.txt", "inside.csv", "leak.txt", "linked/inner.txt"]
    found = outside([(f"docs/assets/{n}", str(assets / n)) for n in names], repo)
    assert len(found) == 2, found
    assert found[0].startswith(f"'docs/assets/leak.txt' is a link to '{elsewhere / 'secret.txt'}'")
    assert found[1].startswith(
        f"'docs/assets/linked/inner.txt' is a link to '{elsewhere / 'folder' / 'inner.txt'}'"
    )
    assert all("outside the repository" in message for message in found)
