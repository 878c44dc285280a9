"""tested_blog.reader.plugin: the tested/reader plugin's switches, and the quiz markers read
through it. (Whole-site behaviour: tests/test_site_build.py and the browser tests.)"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError
from tested_blog.reader.plugin import ReaderPlugin
from tested_blog.stylesheets import members_of

QUIZ = '# Q&A\n\n## 1. Why? { #why .easy }\n\n??? success "Answer"\n\n    Because.\n'
HTML = '<h1>Q&amp;A</h1>\n<h2 id="why">1. Why?</h2>\n<details class="success"></details>\n'


def plugin(**options) -> ReaderPlugin:
    made = ReaderPlugin()
    errors, _ = made.load_config(options)
    assert not errors, errors
    return made


def page(source: str, src_uri: str = "blog/posts/q.md") -> SimpleNamespace:
    return SimpleNamespace(
        file=SimpleNamespace(src_uri=src_uri, content_string=source), url="blog/q/", meta={}
    )


def test_a_question_without_a_difficulty_fails_naming_the_post_and_line():
    bad = QUIZ + '\n## 2. How? { #how }\n\n??? success "Answer"\n\n    So.\n'
    with pytest.raises(PluginError, match=r"(?s)Post 'blog/posts/q.md'.*line 9 \('2. How\?'\)"):
        plugin().on_page_markdown(bad, page=page(bad), config=None, files=None)


def test_questions_are_wrapped_with_their_id_and_difficulty():
    reader, shown = plugin(), page(QUIZ)
    assert reader.on_page_markdown(QUIZ, page=shown, config=None, files=None) == QUIZ
    html = reader.on_page_content(HTML, page=shown, config=None, files=None)
    assert '<section class="quiz-question" data-quiz-id="why" data-difficulty="easy"' in html
    assert reader.questions == {}, "the page's questions are dropped once used"


@pytest.mark.parametrize("options", [{"quiz": False}, {"enabled": False}])
def test_switched_off_the_quiz_leaves_the_page_alone(options):
    bad = QUIZ.replace(" .easy", "")
    reader, shown = plugin(**options), page(bad)
    assert reader.on_page_markdown(bad, page=shown, config=None, files=None) == bad
    assert reader.on_page_content(HTML, page=shown, config=None, files=None) == HTML


def test_options_are_checked_naming_the_option():
    errors, _ = ReaderPlugin().load_config({"quiz": "yes", "sparkles": True})
    assert [name for name, _ in errors] == ["quiz"]
    assert ReaderPlugin().load_config({"sparkles": True})[1], "an unknown option is named"


LATEST_SITE = """\
site_name: latest posts test
site_url: https://example.test/
theme: {name: material}
plugins:
  - search
  - blog: {authors: false}
  - tested/reader
  - tested/math
markdown_extensions:
  - pymdownx.arithmatex: {generic: true}
"""


@pytest.mark.site
def test_the_latest_posts_read_as_their_posts_do(tmp_path):
    """Found by a review: a title or summary with math failed the build (its TeX reached
    the page raw), Markdown in a title showed as its source, a post without a heading had
    an empty link, and a marker inside a paragraph made invalid HTML without a word."""
    from conftest import mkdocs_build

    docs = tmp_path / "docs"
    (docs / "blog" / "posts").mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text(LATEST_SITE, encoding="utf-8")
    (docs / "blog" / "index.md").write_text("# Blog\n", encoding="utf-8")
    (docs / "blog" / "posts" / "math.md").write_text(
        "---\ndate: 2026-01-03\ndescription: Uses `code` and $\\alpha$.\n---\n\n"
        "# Minimising $f(x)$ with **care**\n\nText.\n",
        encoding="utf-8",
    )
    (docs / "blog" / "posts" / "no-heading.md").write_text(
        "---\ndate: 2026-01-02\n---\n\nJust text.\n", encoding="utf-8"
    )
    index = docs / "index.md"
    index.write_text("# Home\n\n<!-- latest-posts -->\n", encoding="utf-8")
    built = mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "site", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    listed = home[home.index('<ul class="latest-posts">') :]
    listed = listed[: listed.index("</ul>")]
    assert "<strong>care</strong>" in listed and "<code>code</code>" in listed
    assert listed.count("<mjx-container") == 2 and "$" not in listed
    assert ">No heading</a>" in listed
    index.write_text("# Home\n\nRecent: <!-- latest-posts --> here.\n", encoding="utf-8")
    built = mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "site", cwd=tmp_path)
    assert built.returncode != 0
    assert "Page 'index.md': <!-- latest-posts --> must stand on a line of its own" in built.stderr


STYLED_SITE = """\
site_name: stylesheets test
site_url: https://example.test/
theme: {name: material, font: false, palette: {scheme: default}}
extra_css: [a.css, css/b.css]
plugins:
  - tested/reader: {bundle_stylesheets: %s}
"""


@pytest.mark.site
def test_the_stylesheets_after_the_themes_come_as_one_file_or_the_build_names_the_bad_one(
    tmp_path,
):
    """The palette, the author's two stylesheets and the plugin's are fetched as one file
    (tested_blog.stylesheets), with b.css's font reached from the file's folder; switched
    off, each is linked; and an author's stylesheet that cannot share a file fails the
    build naming it."""
    from conftest import mkdocs_build

    docs = tmp_path / "docs"
    (docs / "css").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    (docs / "a.css").write_text("p { color: red }\n", encoding="utf-8")
    (docs / "css" / "b.css").write_text(
        '@font-face { font-family: B; src: url("fonts/b.woff2") }\n', encoding="utf-8"
    )
    config, site = tmp_path / "mkdocs.yml", tmp_path / "site"

    def links() -> list[str]:
        html = (site / "index.html").read_text(encoding="utf-8")
        return re.findall(r'<link rel="stylesheet" href="([^"]+)">', html)

    config.write_text(STYLED_SITE % "true", encoding="utf-8")
    built = mkdocs_build(config, site, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    theme, bundle = links()
    assert "/main." in theme and bundle.startswith("assets/tested-blog/bundle.")
    text = (site / bundle).read_text(encoding="utf-8")
    members = members_of(text)
    assert members is not None and members[1:] == [
        "a.css",
        "css/b.css",
        "assets/tested-blog/reader.css",
    ]
    assert "/palette." in members[0]
    assert 'url("../../css/fonts/b.woff2")' in text  # from assets/tested-blog/: css/fonts/

    config.write_text(STYLED_SITE % "false", encoding="utf-8")
    assert mkdocs_build(config, site, cwd=tmp_path).returncode == 0
    assert links()[2:] == ["a.css", "css/b.css", "assets/tested-blog/reader.css"]

    (docs / "a.css").write_text('@import "more.css";\np { color: red }\n', encoding="utf-8")
    config.write_text(STYLED_SITE % "true", encoding="utf-8")
    built = mkdocs_build(config, site, cwd=tmp_path)
    assert built.returncode != 0
    assert "tested/reader: stylesheet 'a.css' has an @import rule" in built.stderr
