"""tested_blog.notebooks.plugin: the tested/notebooks plugin's options and switch. (Notebook
posts through MkDocs: tests/test_notebooks.py.)"""

from __future__ import annotations

import pytest
from mkdocs.structure.files import File, Files
from tested_blog.notebooks.pipeline import Options
from tested_blog.notebooks.plugin import NotebooksPlugin


def plugin(**options) -> NotebooksPlugin:
    made = NotebooksPlugin()
    errors, _ = made.load_config(options)
    assert not errors, errors
    return made


def test_the_options_become_the_pipelines_with_its_defaults():
    assert plugin().options() == Options()
    given = plugin(jobs=3, cell_timeout=2.5, install="pip install x").options()
    assert (given.jobs, given.cell_timeout, given.install) == (3, 2.5, "pip install x")


@pytest.mark.parametrize(
    "options, named",
    [({"jobs": 0}, "tested/notebooks.jobs"), ({"install": "a\nb"}, "tested/notebooks.install")],
)
def test_a_bad_value_is_named_by_its_option(options, named):
    with pytest.raises(ValueError, match=named):
        plugin(**options).options()


def test_a_wrongly_typed_option_is_refused_when_the_config_loads():
    errors, _ = NotebooksPlugin().load_config({"cell_timeout": "soon"})
    assert [name for name, _ in errors] == ["cell_timeout"]


def test_switched_off_it_leaves_the_files_alone(tmp_path):
    (tmp_path / "blog" / "posts").mkdir(parents=True)
    (tmp_path / "blog" / "posts" / "p.py").write_text("# ---\n# date: 2026-01-01\n# ---\n")
    files = Files([File("blog/posts/p.py", str(tmp_path), str(tmp_path / "site"), True)])
    assert plugin(enabled=False).on_files(files, config=None) is files
    assert [f.src_uri for f in files] == ["blog/posts/p.py"]
