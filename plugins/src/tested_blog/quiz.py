"""Quiz mode for question-and-answer posts: the question markers, checked, and the HTML
the quiz script (docs/javascripts/quiz.js) works on.

A question is a level-2 heading followed by its folded answer (a pymdownx.details block,
``??? success "Answer"``). The author marks it, with attr_list, by a stable id and one
difficulty::

    ## 3. What is the difference between MLE and MAP? { #mle-vs-map .medium }

The id is what a reader's saved marks are keyed by, so renumbering, rewording or
reordering the questions keeps everyone's progress. ``questions`` reads the markers from
the post's source and reports every problem with its line; ``mark_up`` wraps each
question of the rendered page in a ``section.quiz-question`` carrying its id and
difficulty, puts the difficulty label in the heading (shown with JavaScript off too) and
puts the quiz bar at the top (``bar_html``): complete, so that the page does not move when
the script wires it up, and hidden while JavaScript is off (overrides/main.html).
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass

from tested_blog.fences import code_lines
from tested_blog.text import lines as text_lines

DIFFICULTIES = ("easy", "medium", "hard")
HEADING = re.compile(r"^(?P<level>#{1,6}) (?P<text>.*?)(?:\s*\{:?(?P<attrs>[^{}]*)\}\s*)?$")
DETAILS = re.compile(r"^\?\?\?\+? ")
ID_TOKEN = re.compile(r"^#([A-Za-z][\w-]*)$")
MARKER_HINT = "{ #an-id " + " | ".join("." + d for d in DIFFICULTIES) + " }"


class QuizMarkupError(ValueError):
    """Question markers that cannot work; the message lists each problem with its line."""


@dataclass(frozen=True)
class Question:
    id: str  # stable key of the question (the heading's id)
    difficulty: str  # one of DIFFICULTIES
    line: int  # line of the heading in the source (1-based)


@dataclass(frozen=True)
class _Heading:
    line: int
    text: str
    tokens: tuple[str, ...]
    answered: bool  # followed (after blank lines) by a details block
    empty: bool = False  # that block holds nothing: the answer is not indented under it
    level: int = 2


def _headings(source: str) -> list[_Heading]:
    lines = text_lines(source)
    code = code_lines(source)
    found = []
    for number, line in enumerate(lines, start=1):
        match = None if number in code else HEADING.match(line)
        if not match:
            continue
        rest = [ln for ln in lines[number:] if ln.strip()]
        answered = bool(rest) and bool(DETAILS.match(rest[0]))
        # pymdownx.details holds the lines indented under its first line, and no others
        empty = answered and (len(rest) < 2 or _indent(rest[1]) <= _indent(rest[0]))
        found.append(
            _Heading(
                number,
                match.group("text"),
                tuple((match.group("attrs") or "").split()),
                answered,
                empty,
                len(match.group("level")),
            )
        )
    return found


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())


def questions(source: str) -> list[Question]:
    """The questions of a post (its whole source, front matter included), in page order.

    A post with no difficulty marker on any heading is no quiz: the result is empty. In a
    quiz, every level-2 heading with a folded answer must have exactly one difficulty and
    an id, ids must differ, and a marked heading must have its answer."""
    headings = _headings(source)
    if not any(
        t.lstrip(".") in DIFFICULTIES and t.startswith(".") for h in headings for t in h.tokens
    ):
        return []
    problems: list[str] = []
    found: list = []
    seen: dict = {}
    for h in headings:
        levels = [t[1:] for t in h.tokens if t.startswith(".") and t[1:] in DIFFICULTIES]
        ids = [m.group(1) for t in h.tokens if (m := ID_TOKEN.match(t))]
        where = f"line {h.line} ({h.text[:50]!r})"
        if h.level != 2:
            if levels:
                problems.append(
                    f"{where}: a difficulty marks a question, which is a level-2 heading"
                    f" (## ...); this one is level {h.level}"
                )
            continue
        if not levels and not h.answered:
            continue  # an ordinary section heading
        if h.empty:
            problems.append(
                f"{where}: its folded answer is empty, so the answer below it is shown"
                " unfolded: indent the answer four spaces under '??? success \"Answer\"'"
            )
            continue
        if not h.answered:
            problems.append(
                f"{where}: has a difficulty but no folded answer after it "
                "(a '??? success \"Answer\"' block)"
            )
            continue
        if len(levels) != 1:
            problems.append(
                f"{where}: needs exactly one difficulty "
                f"({', '.join('.' + d for d in DIFFICULTIES)}), found "
                f"{' '.join(h.tokens) or 'none'}; write {MARKER_HINT}"
            )
            continue
        if len(ids) != 1:
            problems.append(
                f"{where}: needs an id, the key of readers' saved marks; write {MARKER_HINT}"
            )
            continue
        if ids[0] in seen:
            problems.append(f"{where}: id {ids[0]!r} is already the id of line {seen[ids[0]]}")
            continue
        seen[ids[0]] = h.line
        found.append(Question(ids[0], levels[0], h.line))
    if problems:
        raise QuizMarkupError(
            "has question markers the quiz cannot use:\n  " + "\n  ".join(problems)
        )
    return found


H2_OPEN = re.compile(r"<h2\b([^>]*)>")
ATTRIBUTE = re.compile(r'([\w:-]+)="([^"]*)"')
SECTION_END = re.compile(r"<h[12]\b")


def _title_text(inner_html: str) -> str:
    inner = re.sub(r'<a class="headerlink".*?</a>', "", inner_html, flags=re.S)
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", "", inner)).split())


def mark_up(html: str, found: list[Question], key: str) -> str:
    """The page's HTML with its questions wrapped for the quiz. ``key`` names the post in
    the reader's saved marks (the page URL). Raises if a question's heading is missing."""
    if not found:
        return html
    by_id = {q.id: q for q in found}
    placed: list[str] = []
    out, at = [], 0
    for tag in H2_OPEN.finditer(html):
        attrs = dict(ATTRIBUTE.findall(tag.group(1)))
        question = by_id.get(attrs.get("id", ""))
        if question is None or tag.start() < at:
            continue
        close = html.index("</h2>", tag.end())
        end_match = SECTION_END.search(html, close)
        end = end_match.start() if end_match else len(html)
        classes = [c for c in attrs.get("class", "").split() if c not in DIFFICULTIES]
        attrs["class"] = " ".join(["quiz-question__title", *classes])
        inner = html[tag.end() : close]
        # Kept out of the search index (data-search-exclude), so a result's title is the
        # question alone. A <small>, not a <span>: Material's search parser tells elements
        # apart by tag only, so the inner <span> closing would end the exclusion early.
        label = (
            f'<small class="quiz-level quiz-level--{question.difficulty}" data-search-exclude>'
            f'<span class="quiz-sr">Difficulty: </span>{question.difficulty}</small>'
        )
        link = inner.find('<a class="headerlink"')
        inner = inner + label if link < 0 else inner[:link] + label + inner[link:]
        opening = "<h2 " + " ".join(f'{k}="{v}"' for k, v in attrs.items()) + ">"
        title = html_lib.escape(_title_text(html[tag.end() : close]))
        out.append(html[at : tag.start()])
        out.append(
            f'<section class="quiz-question" data-quiz-id="{question.id}" '
            f'data-difficulty="{question.difficulty}" data-quiz-title="{title}">\n'
            f"{opening}{inner}</h2>{html[close + 5 : end]}</section>\n"
        )
        placed.append(question.id)
        at = end
    out.append(html[at:])
    missing = [q.id for q in found if q.id not in placed]
    if missing:
        raise QuizMarkupError(f"no heading with the id(s) {', '.join(missing)} in the page")
    page = "".join(out)
    bar = bar_html(key, found)
    title_end = page.find("</h1>")
    first = page.find('<section class="quiz-question"')
    at = title_end + 5 if 0 <= title_end < first else first
    return page[:at] + "\n" + bar + page[at:]


def bar_html(key: str, found: list[Question]) -> str:
    """The quiz bar of a post, as quiz.js shows it before the reader's marks are read: its
    counts, filters and buttons, for the script to wire up (it never adds or removes any)."""
    prefix = "quiz-" + re.sub(r"[^a-z0-9]+", "-", key, flags=re.IGNORECASE)  # for its ids
    total = len(found)
    levels = "".join(
        f'<label class="quiz-choice quiz-choice--{level}"><input type="checkbox" '
        f'value="{level}" checked> {level} ({count})</label>'
        for level in DIFFICULTIES
        if (count := sum(q.difficulty == level for q in found))
    )
    actions = "".join(
        f'<button type="button" class="md-button quiz-button" data-quiz-action="{action}">'
        f"{text}</button>"
        for action, text in (
            ("open", "Open all answers"),
            ("close", "Close all answers"),
            ("clear", "Clear my marks"),
        )
    )
    # An <aside>, not a <div>, for the same reason as the label: it holds <div>s, and the
    # first of them to close would end the search exclusion.
    return (
        f'<aside class="quiz-bar" data-quiz-key="{html_lib.escape(key)}" data-quiz-count="{total}"'
        f' role="region" aria-labelledby="{prefix}-title" data-search-exclude>'
        # a heading for assistive technology, not an <h2>: the search index would make a
        # section of it
        f'<p class="quiz-bar__title" id="{prefix}-title" role="heading" aria-level="2">'
        "Quiz mode</p>"
        f'<p class="quiz-progress" role="status" aria-live="polite">Known 0 · Review 0 · '
        f"Not yet {total} — of {total} questions</p>"
        '<div class="quiz-meter" aria-hidden="true"><span class="quiz-meter__known"></span>'
        '<span class="quiz-meter__review"></span></div>'
        '<div class="quiz-controls">'
        '<fieldset class="quiz-filter quiz-filter--show"><legend>Show</legend>'
        f'<label class="quiz-choice"><input type="radio" name="{prefix}-show" value="all" '
        "checked> All questions</label>"
        f'<label class="quiz-choice"><input type="radio" name="{prefix}-show" value="review">'
        " Still to review</label></fieldset>"
        '<fieldset class="quiz-filter quiz-filter--levels"><legend>Difficulty</legend>'
        f"{levels}</fieldset>"
        f'<div class="quiz-actions">{actions}</div></div>'
        f'<p class="quiz-shown">Showing all {total} questions.</p></aside>\n'
    )
