"""The Markdown extensions each plugin's markup needs, checked when a build starts.

Without them a build would not fail: it would publish the markup as text. A page would
show the line ``--8<-- "mylib/stats.py:clip"`` as its code, under a tested-by line; a
notebook post's downloads note would read ``!!! tip "Run this post yourself"``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

# plugin -> the extensions its markup needs, each with what it does for that markup
NEEDS = {
    "tested/code": {
        "pymdownx.snippets": "it expands the --8<-- lines that embed your code; without it a"
        " page shows the line itself",
    },
    "tested/notebooks": {
        "admonition": "a notebook post's downloads note is an admonition (!!! tip)",
        "attr_list": "the note's download links carry their file name ({ download=... })",
    },
    "tested/math": {
        "pymdownx.arithmatex": "it marks the math that tested/math typesets",
    },
}


def problems(
    plugin: str, extensions: Iterable[str], configs: Mapping[str, Mapping[str, Any]]
) -> list[str]:
    """What ``plugin`` misses among the Markdown ``extensions`` (mkdocs.yml's
    ``markdown_extensions``, with their ``configs``), one line each."""
    # (a plugin may add an extension object of its own: mkdocstrings does)
    names = {e.removeprefix("markdown.extensions.") for e in extensions if isinstance(e, str)}
    found = [
        f"{plugin} needs the Markdown extension '{name}' in markdown_extensions: {why}"
        for name, why in NEEDS.get(plugin, {}).items()
        if name not in names
    ]
    arithmatex = configs.get("pymdownx.arithmatex") or {}
    if plugin == "tested/math" and "pymdownx.arithmatex" in names and not arithmatex.get("generic"):
        found.append(
            "tested/math needs pymdownx.arithmatex with 'generic: true': it typesets the"
            " \\( \\) and \\[ \\] that option writes, not MathJax's script tags"
        )
    return found


def config_problems(config: MkDocsConfig, plugin: str) -> list[str]:
    """``problems`` of ``plugin`` in ``config``, each naming its mkdocs.yml."""
    name = Path(config.config_file_path or "mkdocs.yml").name
    found = problems(plugin, config.markdown_extensions, config.mdx_configs)
    return [f"{name}: {problem}" for problem in found]


def needed(config: MkDocsConfig, plugin: str) -> None:
    """Raise ``PluginError`` naming mkdocs.yml if ``plugin`` misses an extension there."""
    if found := config_problems(config, plugin):
        raise PluginError("\n".join(found))
