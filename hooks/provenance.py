""" "Tested by" under every embedded block; a strict build refuses code no passing test ran.

A thin adapter of ``sitebuild.provenance.site`` to MkDocs. The record comes from the
README's test command (``python -m pytest`` writes ``.cache/provenance.json``). Each
problem (a shown section no passing test executed, one a failed test executed, one whose
text changed since the tests ran, or no record at all) is a warning, so ``--strict``
fails naming the post and the section. Under ``mkdocs serve`` and with
``SITEBUILD_PROVENANCE=pending`` (the test suite's own builds, made while the record is
being made) it is only logged.
"""

from __future__ import annotations

import logging

import _repo  # noqa: F401  (puts the repository root on sys.path for sitebuild)
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from sitebuild.authored import author_src_uri
from sitebuild.provenance.site import SiteProvenance

log = logging.getLogger("mkdocs.hooks.provenance")
_build: dict[str, SiteProvenance] = {}
_command: dict[str, str] = {}


def on_startup(command: str, dirty: bool) -> None:
    _command["name"] = command


def on_config(config: MkDocsConfig) -> None:
    try:
        site = SiteProvenance.from_config(config)
    except ValueError as exc:
        raise PluginError(str(exc)) from None
    # `mkdocs serve` previews: a fresh clone has no record, and its edits are untested yet
    site.pending = site.pending or _command.get("name") == "serve"
    _build["site"] = site


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    site = _build["site"]
    markdown, problems = site.page(markdown, author_src_uri(page.file))
    for problem in problems:
        (log.info if site.pending else log.warning)(problem)
    return markdown


def on_post_build(config: MkDocsConfig) -> None:
    log.info(_build.pop("site").summary())
