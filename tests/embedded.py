"""Code as the site embeds it: a ``--8<--`` reference expanded by pymdownx.snippets itself,
with the site's options, so a test sees exactly the lines a reader sees."""

from __future__ import annotations

import markdown
from conftest import ROOT


def embedded(ref: str) -> list[str]:
    """The lines pymdownx.snippets puts in place of ``--8<-- "ref"``."""
    md = markdown.Markdown(
        extensions=["pymdownx.snippets"],
        extension_configs={
            "pymdownx.snippets": {
                "base_path": [str(ROOT)],
                "check_paths": True,
                "dedent_subsections": True,
            }
        },
    )
    return md.preprocessors["snippet"].run([f'--8<-- "{ref}"'])
