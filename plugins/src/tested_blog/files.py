"""Writing a build's files: in one step, and not at all when nothing changed.

``mkdocs serve`` watches what the build writes and a reader may be fetching a file while it
is rewritten, so every plugin writes its generated files (a notebook post's Markdown, the
math stylesheet and fonts, the stylesheet bundles) through ``write_if_changed``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` in one step: another build may be reading it right now."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as f:
        f.write(data)
    os.replace(f.name, path)


def write_if_changed(path: Path, data: bytes) -> None:
    """Like ``write_atomic``, but leave a file that holds exactly ``data`` alone (its time
    too, so a rebuild with nothing changed triggers nothing)."""
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    write_atomic(path, data)
