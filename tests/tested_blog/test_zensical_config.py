"""tested_blog.zensical.config: the configuration Zensical builds from, made from mkdocs.yml."""

from __future__ import annotations

import pytest
from mkdocs.config import load_config
from tested_blog.passes import BuildError, Staged
from tested_blog.zensical.config import engine_config

MKDOCS_YML = """\
site_name: A blog
theme:
  name: material
  custom_dir: overrides
plugins:
  - search
  - tested/guards
  - tested/code:
      snippet_folders: [src]
  - mkdocstrings:
      handlers:
        python:
          paths: [src]
markdown_extensions:
  - pymdownx.snippets:
      base_path: !relative $config_dir
"""


def site(tmp_path, text=MKDOCS_YML, hooks: dict[str, str] | None = None):
    (tmp_path / "docs").mkdir()
    (tmp_path / "overrides").mkdir()
    (tmp_path / "src").mkdir()
    for name, code in (hooks or {}).items():
        (tmp_path / name).write_text(code, encoding="utf-8")
    if hooks:
        text += "hooks:\n" + "".join(f"  - {name}\n" for name in hooks)
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    config = load_config(config_file=str(tmp_path / "mkdocs.yml"))
    staged = Staged(tmp_path / ".cache" / "zensical" / "docs", {}, ["assets/tb/x.css"], [])
    return config, staged


def test_the_staged_pages_the_other_plugins_and_absolute_paths(tmp_path):
    config, staged = site(tmp_path)
    written = engine_config(config, staged, "site")
    assert (written["docs_dir"], written["site_dir"]) == ("docs", "site")
    # the tested/ plugins' work is done by the passes; the others are Zensical's to run
    assert list(written["plugins"]) == ["search", "mkdocstrings"]
    assert written["plugins"]["mkdocstrings"]["handlers"]["python"]["paths"] == [
        str(tmp_path / "src")
    ]
    assert written["theme"]["custom_dir"] == str(tmp_path / "overrides")
    (snippets,) = written["markdown_extensions"]
    assert snippets["pymdownx.snippets"]["base_path"] == str(tmp_path)
    assert written["extra_css"] == ["assets/tb/x.css"]
    assert "hooks" not in written


def test_a_hooks_on_config_is_run_and_what_it_sets_is_written(tmp_path):
    hook = "def on_config(config):\n    config['copyright'] = 'Made by me'\n    return config\n"
    config, staged = site(tmp_path, hooks={"owner.py": hook})
    written = engine_config(config, staged, "site")
    assert written["copyright"] == "Made by me"
    assert "hooks" not in written


def test_a_hook_that_handles_a_page_event_is_refused_naming_it(tmp_path):
    """Zensical would skip it without a word: the page would lose what the hook adds."""
    hook = "def on_page_markdown(markdown, **kwargs):\n    return markdown + 'more'\n"
    config, staged = site(tmp_path, hooks={"pages.py": hook})
    with pytest.raises(BuildError, match=r"the hook .*pages\.py handles on_page_markdown"):
        engine_config(config, staged, "site")


def test_what_a_hook_changes_in_extra_and_the_theme_is_carried_over(tmp_path):
    hook = (
        "def on_config(config):\n"
        "    config['extra']['note'] = 'from the hook'\n"
        "    config['theme']['features'] = ['navigation.top']\n"
        "    return config\n"
    )
    config, staged = site(tmp_path, hooks={"extra.py": hook})
    written = engine_config(config, staged, "site")
    assert written["extra"]["note"] == "from the hook"
    assert written["theme"]["features"] == ["navigation.top"]
    assert written["theme"]["name"] == "material"  # the rest of the theme as written


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("    config['use_directory_urls'] = False\n", "changes 'use_directory_urls', which"),
        ("    raise ValueError('no config today')\n", "failed: no config today"),
        # found by a review: a plugin's option, or the theme's folders, changed by a hook
        # went unnoticed, and Zensical built the site without the change
        (
            "    config.plugins['tested/guards'].config.whole_pages = False\n",
            "changes 'plugins', which",
        ),
        (
            "    config.theme.dirs.insert(0, 'elsewhere')\n",
            r"changes the theme's folders \(theme.dirs\)",
        ),
    ],
    ids=["uncarried key", "raises", "a plugin's option", "the theme's folders"],
)
def test_a_hook_whose_change_cannot_go_over_or_that_fails_is_named(tmp_path, code, expected):
    hook = f"def on_config(config):\n{code}    return config\n"
    config, staged = site(tmp_path, hooks={"bad.py": hook})
    with pytest.raises(BuildError, match=rf"the hook .*bad\.py {expected}"):
        engine_config(config, staged, "site")
