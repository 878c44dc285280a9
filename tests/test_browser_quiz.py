"""Quiz mode on the main post in Chromium: marks that survive a reload and a navigation,
progress and filters, open-all and close-all, the keyboard, no JavaScript, both schemes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import browser_support as bs
from browser_shared import (
    MAIN_POST,
    MIN_CONTRAST,
    assert_clean,
    browser_test,
    screenshot,
)
from conftest import ROOT

# --------------------------------------------------------------------------- quiz mode

QUIZ_KEY = "ml-interview-qa/quiz/v1/"
QUESTION = "section.quiz-question"


def quiz_ids(post: Path) -> list[tuple[str, str]]:
    """(id, difficulty) of each question, read from the post's own heading markers."""
    found = re.findall(
        r"^## .*\{ #([\w-]+) \.(easy|medium|hard) \}$", post.read_text(encoding="utf-8"), re.M
    )
    assert len(found) >= 10, f"{post.relative_to(ROOT)}: expected its questions to be marked"
    return found


def question(page, qid: str):
    return page.locator(f'{QUESTION}[data-quiz-id="{qid}"]')


def mark(page, qid: str, which: str) -> None:
    """Open the question's answer (if closed) and press its 'Knew it' or 'Review' button."""
    section = question(page, qid)
    if not section.locator(":scope > details").evaluate("d => d.open"):
        section.locator(":scope > details > summary").click()
    section.get_by_role("button", name="Knew it" if which == "known" else "Review").click()


def progress(page) -> dict[str, int]:
    counts = page.locator(".quiz-progress").evaluate(
        "p => ({known: +p.dataset.known, review: +p.dataset.review, notYet: +p.dataset.notYet,"
        " text: p.textContent})"
    )
    return counts


def visible_ids(page) -> list[str]:
    return page.eval_on_selector_all(
        QUESTION, "els => els.filter(e => e.checkVisibility()).map(e => e.dataset.quizId)"
    )


def stored_marks(page) -> dict[str, str]:
    raw = page.evaluate(
        f"() => Object.entries(localStorage).filter(([k]) => k.startsWith('{QUIZ_KEY}'))"
    )
    assert len(raw) == 1, f"expected one localStorage entry for the post, found {raw}"
    return json.loads(raw[0][1])["marks"]


@browser_test
def test_quiz_marks_survive_a_reload_and_a_navigation(new_page, main_post_url, server):
    ids = quiz_ids(MAIN_POST)
    page = new_page(main_post_url)
    first, second, last = ids[0][0], ids[1][0], ids[-1][0]
    mark(page, first, "known")
    mark(page, second, "review")
    mark(page, last, "known")
    mark(page, last, "known")  # pressing a pressed mark again clears it
    expected = {first: "known", second: "review"}

    def check(when: str) -> list[str]:
        failures = []
        got = {q: question(page, q).get_attribute("data-mark") for q, _ in ids}
        want = {q: expected.get(q, "none") for q, _ in ids}
        if got != want:
            failures.append(f"after {when}: marks {got}, expected {want}")
        pressed = page.eval_on_selector_all(
            '.quiz-mark__button[aria-pressed="true"]',
            "els => els.map(b => [b.closest('section').dataset.quizId, b.value])",
        )
        if sorted(map(tuple, pressed)) != sorted(expected.items()):
            failures.append(f"after {when}: pressed buttons {pressed}, expected {expected}")
        return failures

    failures = check("marking")
    # keyed by the ids written in the post, not by position
    assert stored_marks(page) == expected
    page.reload(wait_until="load")
    failures += check("a reload")
    page.goto(server.base_url + "blog/", wait_until="load")
    # the favicon and the search index are asked for after "load": leaving before they
    # arrive aborts them, which the traffic watch reports (it did once, on a loaded machine)
    page.wait_for_load_state("networkidle")
    slug = urlsplit(main_post_url).path.rstrip("/").split("/")[-1]
    page.locator(f'a[href$="{slug}/"]').first.click()
    page.wait_for_url(main_post_url)
    failures += check("leaving for the blog index and coming back by its link")
    assert_clean(failures, new_page.problems)


@browser_test
def test_quiz_progress_counts_and_filters_hide_exactly_what_they_should(new_page, main_post_url):
    ids = quiz_ids(MAIN_POST)
    total = len(ids)
    page = new_page(main_post_url)
    assert progress(page)["notYet"] == total and progress(page)["known"] == 0
    known = [q for q, _ in ids[0:6:2]]  # three known
    review = [q for q, _ in ids[1:5:2]]  # two to review
    for q in known:
        mark(page, q, "known")
    for q in review:
        mark(page, q, "review")
    counts = progress(page)
    assert (counts["known"], counts["review"], counts["notYet"]) == (3, 2, total - 5), counts
    assert f"Known 3 · Review 2 · Not yet {total - 5}" in counts["text"]

    page.get_by_role("radio", name="Still to review").check()
    assert visible_ids(page) == [q for q, _ in ids if q not in known]
    assert page.locator(".quiz-shown").inner_text() == f"Showing {total - 3} of {total} questions."
    # difficulty filter on top: no easy question either
    easy = {q for q, level in ids if level == "easy"}
    page.locator(".quiz-filter").get_by_role("checkbox", name=re.compile(r"^easy")).uncheck()
    assert visible_ids(page) == [q for q, _ in ids if q not in known and q not in easy]
    page.get_by_role("radio", name="All questions").check()
    assert visible_ids(page) == [q for q, _ in ids if q not in easy]
    page.locator(".quiz-filter").get_by_role("checkbox", name=re.compile(r"^easy")).check()
    assert visible_ids(page) == [q for q, _ in ids]
    assert progress(page)["known"] == 3  # filtering changes no mark
    assert_clean([], new_page.problems)


@browser_test
def test_quiz_open_all_and_close_all_answers(new_page, main_post_url):
    page = new_page(main_post_url)
    answers = page.locator(f"{QUESTION} > details")
    count = answers.count()
    assert count == len(quiz_ids(MAIN_POST))
    opened = (
        "els => els.filter(d => d.open && d.querySelector(':scope > p').checkVisibility()).length"
    )
    page.get_by_role("button", name="Open all answers").click()
    assert page.eval_on_selector_all(f"{QUESTION} > details", opened) == count
    page.get_by_role("button", name="Close all answers").click()
    still_open = "els => els.filter(d => d.open).length"
    assert page.eval_on_selector_all(f"{QUESTION} > details", still_open) == 0
    assert_clean([], new_page.problems)


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the focused element matches ``selector`` (fails after ``limit``)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => !!document.activeElement?.matches({json.dumps(selector)})"):
            return
    raise AssertionError(f"{limit} presses of Tab never reached {selector}")


@browser_test
def test_quiz_works_from_the_keyboard_with_labelled_controls(new_page, main_post_url):
    ids = quiz_ids(MAIN_POST)
    page = new_page(main_post_url)
    first, second = ids[0][0], ids[1][0]
    # every question's marks are a labelled group of toggle buttons
    groups = page.get_by_role(
        "group", name=re.compile(r"^Your mark for: \d+\. "), include_hidden=True
    )  # inside the still folded answers
    assert groups.count() == len(ids)
    assert page.get_by_role("status").filter(has_text="Known 0").count() == 1

    summary = f'{QUESTION}[data-quiz-id="{first}"] > details > summary'
    tab_to(page, summary)
    page.keyboard.press("Enter")  # a summary opens its answer from the keyboard
    assert question(page, first).locator(":scope > details").evaluate("d => d.open")
    tab_to(page, f'{QUESTION}[data-quiz-id="{first}"] .quiz-mark__button--known')
    page.keyboard.press("Space")
    knew = question(page, first).get_by_role("button", name="Knew it")
    assert knew.get_attribute("aria-pressed") == "true"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the Review button, next in the tab order
    assert knew.get_attribute("aria-pressed") == "false"
    assert question(page, first).get_attribute("data-mark") == "review"

    # the review filter from the keyboard; marking a question known there moves focus on
    page.get_by_role("radio", name="Still to review").focus()
    page.keyboard.press("Space")
    assert page.get_by_role("radio", name="Still to review").is_checked()
    question(page, second).locator(":scope > details > summary").focus()
    page.keyboard.press("Enter")
    tab_to(page, f'{QUESTION}[data-quiz-id="{second}"] .quiz-mark__button--known')
    page.keyboard.press("Enter")
    assert not question(page, second).is_visible()
    focused = page.evaluate("() => document.activeElement.closest('section')?.dataset.quizId")
    assert focused == ids[2][0], f"focus went to {focused!r}, not the next question to review"
    assert_clean([], new_page.problems)


@browser_test
def test_quiz_without_javascript_leaves_the_answers_folded(new_page, main_post_url):
    page = new_page(main_post_url, java_script_enabled=False)
    assert page.locator(".quiz-bar").is_hidden()
    assert page.locator(".quiz-mark").count() == 0
    answers = page.locator(f"{QUESTION} > details")
    assert answers.count() == len(quiz_ids(MAIN_POST))
    any_open = "els => els.some(d => d.open)"
    assert page.eval_on_selector_all(f"{QUESTION} > details", any_open) is False
    labels = page.locator(".quiz-level").all_text_contents()  # as a screen reader reads them
    assert labels == [f"Difficulty: {d}" for _, d in quiz_ids(MAIN_POST)]


QUIZ_TEXT = (
    ".quiz-level, .quiz-progress, .quiz-choice, .quiz-button, .quiz-shown, "
    ".quiz-state, .quiz-mark__prompt, .quiz-mark__button"
)


@browser_test
def test_quiz_mode_reads_well_in_both_schemes_with_screenshots(new_page, main_post_url):
    """Every text of the quiz (labels, counts, filters, marks pressed or not) has a
    contrast of at least 4.5 in the light and the dark scheme; screenshots of the bar with
    some marks, and of the review filter with a marked answer, in both."""
    ids = quiz_ids(MAIN_POST)
    saved, failures = [], []
    for scheme, suffix in (("light", ""), ("dark", "-dark")):
        page = new_page(main_post_url, color_scheme=scheme)
        for q, _ in ids[:3]:
            mark(page, q, "known")
        mark(page, ids[3][0], "review")
        for text, color, background in page.evaluate(bs.TEXT_ON_BACKGROUND_JS, QUIZ_TEXT):
            ratio = bs.contrast_ratio(color, background)
            if ratio < MIN_CONTRAST:
                failures.append(f"{scheme}: {text!r} in {color} on {background}: {ratio:.2f}")
        page.evaluate("window.scrollTo(0, 0)")  # the top: Material hides 'Back to top' there
        page.wait_for_function("() => document.querySelector('.md-top').hidden")
        page.mouse.move(0, 0)  # no button drawn hovered
        saved.append(screenshot(page, f"quiz-mode{suffix}.png", full_page=False))
        page.get_by_role("radio", name="Still to review").check()
        question(page, ids[3][0]).locator(".quiz-mark").scroll_into_view_if_needed()
        page.mouse.move(0, 0)
        saved.append(screenshot(page, f"quiz-review{suffix}.png", full_page=False))
    for path in saved:
        assert path.stat().st_size > 10_000, f"{path} looks empty"
    assert_clean(failures, new_page.problems)
