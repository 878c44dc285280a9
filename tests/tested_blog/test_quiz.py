"""tested_blog.quiz: question markers read from a post's source, and the quiz's HTML."""

from __future__ import annotations

import re

import markdown
import pytest
from tested_blog.quiz import Question, QuizMarkupError, bar_html, mark_up, questions

POST = """\
---
date: 2026-11-20
---

# Title

Intro.

## 1. First question? { #first .easy }

??? success "Answer"

    One.

    ```markdown
    ## 9. Inside a fence { #not-a-question .hard }
    ```

## 2. Second question? { #second .hard }

???+ success "Answer"

    Two.

## Further reading

Plain section.
"""


LINE = POST.count("\n") + 2  # of a heading added after POST and a blank line


def render(source: str) -> str:
    body = source.split("---\n", 2)[2]
    return markdown.markdown(
        body,
        extension_configs={"toc": {"permalink": True}},
        extensions=["attr_list", "toc", "pymdownx.details", "pymdownx.superfences"],
    )


def test_questions_are_read_with_id_difficulty_and_line():
    found = questions(POST)
    assert [(q.id, q.difficulty, q.line) for q in found] == [
        ("first", "easy", 9),
        ("second", "hard", 19),
    ]


def test_a_post_without_difficulty_markers_is_no_quiz():
    assert questions('# T\n\n## 1. Q?\n\n??? success "Answer"\n\n    A.\n') == []


@pytest.mark.parametrize(
    "heading, named",
    [
        ("## 3. Q? { #third }", "exactly one difficulty"),
        ("## 3. Q? { #third .easy .hard }", "exactly one difficulty"),
        ("## 3. Q? { #third .Easy }", "exactly one difficulty"),
        ("## 3. Q?", "exactly one difficulty"),
        ("## 3. Q? { .medium }", "needs an id"),
        ("## 3. Q? { #first .medium }", "already the id of line 9"),
    ],
)
def test_each_bad_marker_is_reported_with_its_line(heading, named):
    source = POST + f'\n{heading}\n\n??? success "Answer"\n\n    Three.\n'
    line = source.splitlines().index(heading) + 1
    with pytest.raises(QuizMarkupError) as caught:
        questions(source)
    assert f"line {line}" in str(caught.value) and named in str(caught.value)


def test_a_marked_heading_needs_its_folded_answer():
    with pytest.raises(QuizMarkupError, match="no folded answer"):
        questions(POST + "\n## 3. Q? { #third .easy }\n\nNot folded.\n")


@pytest.mark.parametrize(
    "after",
    [
        '??? success "Answer"\n\nOne, not indented: shown below an empty fold.\n',
        '??? success "Answer"\n',  # nothing after it at all
    ],
)
def test_an_answer_not_indented_under_its_fold_is_refused(after):
    """Found by a review: the answer published unfolded below an empty <details>."""
    with pytest.raises(QuizMarkupError, match=rf"line {LINE} .*its folded answer is empty"):
        questions(POST + f"\n## 3. Q? {{ #third .easy }}\n\n{after}")


def test_a_difficulty_on_a_heading_of_another_level_is_refused():
    """Found by a review: the marker of a level-3 heading was dropped without a word."""
    with pytest.raises(QuizMarkupError, match=rf"line {LINE} .*level-2 heading .* level 3"):
        questions(POST + '\n### 3. Q? { #third .hard }\n\n??? success "Answer"\n\n    x\n')


def test_every_problem_is_listed_at_once():
    source = (
        POST + "\n## 3. A { #a }\n\n??? note\n\n    x\n\n## 4. B { .easy }\n\n??? note\n\n    y\n"
    )
    with pytest.raises(QuizMarkupError) as caught:
        questions(source)
    assert str(caught.value).count("\n  line ") == 2


def test_mark_up_wraps_each_question_and_labels_its_difficulty():
    html = mark_up(render(POST), questions(POST), key="blog/post/")
    assert html.count('<section class="quiz-question"') == 2
    first = html[html.index('data-quiz-id="first"') : html.index('data-quiz-id="second"')]
    assert 'data-difficulty="easy"' in first and "One." in first and "Two." not in first
    assert 'data-quiz-title="1. First question?"' in first
    assert '<span class="quiz-sr">Difficulty: </span>easy</small><a class="headerlink"' in first
    assert 'class="easy"' not in html  # the marker's class became the data attribute
    second = html[html.index('data-quiz-id="second"') :]
    assert second.index("</section>") < second.index("Further reading")  # section ends there
    bar = html.index('<aside class="quiz-bar" data-quiz-key="blog/post/" data-quiz-count="2"')
    assert html.index("</h1>") < bar < html.index("Intro.")


def test_the_bar_comes_complete_with_the_page():
    """Counts, filters and buttons are in the HTML, so nothing moves when quiz.js wires
    them up; its title is no <h2> (the search index would make a section of it) and the
    search index skips it."""
    found = [Question("a", "easy", 1), Question("b", "hard", 5), Question("c", "hard", 9)]
    bar = bar_html("blog/my post/", found)
    assert bar.startswith(
        '<aside class="quiz-bar" data-quiz-key="blog/my post/" data-quiz-count="3"'
    )
    assert "data-search-exclude" in bar and "<h2" not in bar and " hidden" not in bar
    assert 'id="quiz-blog-my-post--title" role="heading" aria-level="2">Quiz mode<' in bar
    assert 'aria-labelledby="quiz-blog-my-post--title"' in bar
    assert "Known 0 · Review 0 · Not yet 3 — of 3 questions" in bar
    assert "easy (1)" in bar and "hard (2)" in bar and "medium" not in bar
    assert bar.count('name="quiz-blog-my-post--show"') == 2
    actions = re.findall(r'data-quiz-action="(\w+)"', bar)
    assert actions == ["open", "close", "clear"]
    assert "Showing all 3 questions." in bar


def test_mark_up_leaves_a_page_without_questions_alone_and_reports_a_lost_heading():
    page = render(POST)
    assert mark_up(page, [], key="x/") == page
    with pytest.raises(QuizMarkupError, match="first"):
        mark_up(page.replace('id="first"', 'id="renamed"'), questions(POST), key="x/")
