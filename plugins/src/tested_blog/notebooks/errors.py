"""The pipeline's exceptions: a problem an author fixes in a notebook post, and a package
the building Python lacks."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

from .. import INSTALL


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


class MissingModule(Exception):
    """A module the pipeline imports (or the kernel it starts) is not installed in the Python
    that builds the site: nothing about any one post, so no post is named."""

    def __init__(self, module: str) -> None:
        super().__init__(
            f"Notebook posts need the Python module '{module}', which is not installed in"
            f" {sys.executable}, and the plugins require it. Install it into that Python:"
            f" {INSTALL}"
        )
        self.module = module


@contextlib.contextmanager
def named_missing_modules() -> Iterator[None]:
    """Turn an import that fails anywhere inside into a ``MissingModule`` naming it."""
    try:
        yield
    except ModuleNotFoundError as exc:
        # the package to install: 'nbconvert' of a failed 'from nbconvert.filters import …'
        raise MissingModule((exc.name or str(exc)).partition(".")[0]) from None
