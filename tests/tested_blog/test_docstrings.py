"""tested_blog.docstrings: a text of the API reference traced to its docstring, file and line."""

from __future__ import annotations

import textwrap

from tested_blog.docstrings import documented, origins

MODULE = '''\
"""A toy module."""

from toy.other import helper


def first(x):
    r"""One line.

    The loss is $\\frac{1}{$ here.
    """


class Model:
    """A model."""

    def fit(self):
        r"""Fit: $\\frac{1}{$ again."""
'''


def make_package(root):
    (root / "toy").mkdir(parents=True)
    (root / "toy" / "__init__.py").write_text("", encoding="utf-8")
    (root / "toy" / "mod.py").write_text(MODULE, encoding="utf-8")
    (root / "toy" / "other.py").write_text(
        textwrap.dedent('''\
            def helper():
                """Imported by mod: reported here only, where it is defined."""
            '''),
        encoding="utf-8",
    )


def test_documented_reads_the_autodoc_lines_of_a_page():
    page = "# API\n\n::: toy.mod\n\nText ::: not this\n\n  ::: toy.other\n::: toy.mod\n"
    assert documented(page) == ["toy.mod", "toy.other"]


def test_origins_name_the_file_line_and_object_of_each_docstring_with_the_text(tmp_path):
    make_package(tmp_path)
    assert origins("\\frac{1}{", ["toy.mod"], tmp_path) == [
        "toy/mod.py, line 9, the docstring of toy.mod.first",
        "toy/mod.py, line 17, the docstring of toy.mod.Model.fit",
    ]
    # an imported name is not a second origin; a text no docstring has gives none
    assert origins("Imported by mod", ["toy.mod"], tmp_path) == []
    assert origins("Imported by mod", ["toy.other"], tmp_path) == [
        "toy/other.py, line 2, the docstring of toy.other.helper"
    ]
    assert origins("\\frac{1}{", ["toy.missing", "nothing"], tmp_path) == []


def test_origins_read_the_modules_under_root_not_a_namesake_in_the_working_directory(
    tmp_path, monkeypatch
):
    make_package(tmp_path / "site")
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "toy").mkdir(parents=True)
    (elsewhere / "toy" / "__init__.py").write_text("", encoding="utf-8")
    (elsewhere / "toy" / "mod.py").write_text('"""Nothing here."""\n', encoding="utf-8")
    monkeypatch.chdir(elsewhere)  # the tests build a copy of the site from the repository
    assert origins("\\frac{1}{", ["toy.mod"], tmp_path / "site") == [
        "toy/mod.py, line 9, the docstring of toy.mod.first",
        "toy/mod.py, line 17, the docstring of toy.mod.Model.fit",
    ]
