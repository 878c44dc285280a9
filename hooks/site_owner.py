"""Fills ``site_author`` and ``copyright`` from the one author in docs/blog/.authors.yml."""

from __future__ import annotations

import logging
from pathlib import Path

from tested_blog.site_owner import AUTHORS_FILE, copyright_line, owner_name, placeholder_notice

log = logging.getLogger("mkdocs.hooks.site_owner")

YEAR = 2026  # the year of the site's current content, not the build's clock


def on_config(config):
    authors = Path(config["config_file_path"]).resolve().parent / AUTHORS_FILE
    if not authors.is_file():  # a site without the blog (test copies): nothing to fill
        return config
    name = owner_name(authors)
    if notice := placeholder_notice(name, AUTHORS_FILE):
        log.info(notice)
    config["site_author"] = name
    config["copyright"] = copyright_line(name, YEAR)
    return config
