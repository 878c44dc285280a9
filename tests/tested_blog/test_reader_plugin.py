"""tested_blog.reader.plugin: the tested/reader plugin's switches, and the quiz markers read
through it. (Whole-site behaviour: tests/test_site_build.py and the browser tests.)"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError
from tested_blog.reader.plugin import ReaderPlugin

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
