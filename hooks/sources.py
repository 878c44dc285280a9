"""Fail the build (an error, before any other hook reads a file) when a file under docs/
or the theme's overrides/ is a symbolic link to something outside the repository
(``sitebuild.sources``)."""

from __future__ import annotations

import os
from pathlib import Path

import _repo  # noqa: F401  (puts the repository root on sys.path)
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files

from sitebuild.sources import outside


@event_priority(100)  # first: before the notebook hook executes or the blog reads a post
def on_files(files: Files, config: MkDocsConfig) -> Files:
    root = Path(config.config_file_path).resolve().parent
    # docs/ and the theme's custom_dir (overrides/): the files of this repository
    own = {os.path.normpath(config.docs_dir)}
    if config.theme.custom_dir:
        own.add(os.path.normpath(config.theme.custom_dir))
    authored = [
        (os.path.relpath(f.abs_src_path, root), f.abs_src_path)
        for f in files
        if f.abs_src_path and not f.generated_by and os.path.normpath(f.src_dir or "") in own
    ]
    problems = outside(authored, root)
    if problems:
        raise PluginError("\n".join(problems))
    return files
