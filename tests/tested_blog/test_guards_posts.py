"""tested_blog.guards.posts: post files the blog would crash on or lose."""

from __future__ import annotations

import json

from tested_blog.guards.posts import has_front_matter, post_problems

POSTS = "blog/posts"


def write(root, uri: str, text: str):
    path = root / uri
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return uri, path


def test_a_post_the_blog_would_lose_or_crash_on_is_named(tmp_path):
    files = [
        write(tmp_path, "blog/posts/shout.MD", "---\ndate: 2026-01-01\n---\n# Shout\n"),
        write(tmp_path, "notes/nb.py", "# ---\n# date: 2026-01-01\n# ---\n"),
        write(tmp_path, "blog/posts/typo.md", "---\ndate: 2026-01-01\ndrafts: true\n---\n# T\n"),
        write(tmp_path, "blog/posts/good.md", "---\ndate: 2026-01-01\n---\n# Good\n"),
        write(tmp_path, "notes/helper.py", "x = 1\n"),  # no front matter: not a post
    ]
    problems = post_problems(files, POSTS)
    assert len(problems) == 3, problems
    assert problems[0].startswith("Post 'blog/posts/shout.MD': only lower-case '.md'")
    assert problems[1].startswith("Post 'notes/nb.py': a notebook post outside blog/posts/")
    assert problems[2].startswith("Post 'blog/posts/typo.md': ") and "drafts" in problems[2]


def test_front_matter_of_either_kind_of_notebook(tmp_path):
    (tmp_path / "a.py").write_text("# ---\n# date: 2026-01-01\n# ---\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("import numpy\n", encoding="utf-8")
    cells = [{"cell_type": "markdown", "source": ["---\n", "date: 2026-01-01\n", "---\n"]}]
    (tmp_path / "c.ipynb").write_text(json.dumps({"cells": cells}), encoding="utf-8")
    (tmp_path / "d.ipynb").write_text("not json", encoding="utf-8")
    found = [has_front_matter(tmp_path / n) for n in ("a.py", "b.py", "c.ipynb", "d.ipynb")]
    assert found == [True, False, True, False]
