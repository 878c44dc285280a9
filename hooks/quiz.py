"""Quiz mode on question-and-answer posts (the rules and the HTML: ``sitebuild.quiz``).

``on_page_markdown`` reads the question markers of the page's source (front matter
included, so line numbers match the editor's) and fails the build on one the quiz cannot
use, naming the author's file; ``on_page_content`` wraps the questions for
docs/javascripts/quiz.js. A page without difficulty markers is left as it is.
"""

from __future__ import annotations

import _repo  # noqa: F401  (puts the repository root on sys.path for sitebuild)
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from sitebuild.authored import author_src_uri
from sitebuild.quiz import Question, QuizMarkupError, mark_up, questions

_questions: dict[str, list[Question]] = {}


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    try:
        found = questions(page.file.content_string)
    except QuizMarkupError as exc:
        raise PluginError(f"Post '{author_src_uri(page.file)}' {exc}") from None
    _questions[page.file.src_uri] = found
    return markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    found = _questions.pop(page.file.src_uri, [])
    try:
        return mark_up(html, found, key=page.url)
    except QuizMarkupError as exc:
        raise PluginError(f"Post '{author_src_uri(page.file)}': {exc}") from None
