"""The one exception type of the pipeline: a problem an author fixes in a notebook post."""

from __future__ import annotations


class NotebookPostError(Exception):
    """Something wrong with one notebook post; the message starts with its path."""

    def __init__(self, src_uri: str, problem: str) -> None:
        super().__init__(f"Notebook post '{src_uri}' {problem}")
        self.src_uri = src_uri
        self.problem = problem


class NotebookPostErrors(Exception):
    """Every problem of one build at once, so one build shows the author all of them."""

    def __init__(self, errors: list[NotebookPostError]) -> None:
        super().__init__("\n\n".join(str(e) for e in errors))
        self.errors = errors
