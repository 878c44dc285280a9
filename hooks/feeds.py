"""Feed items dated by their posts' front matter; feeds byte-identical when nothing changed.

Before mkdocs-rss-plugin reads a post (its ``on_page_content`` runs at priority -75), the
post's ``date`` meta becomes ``{created, updated}`` as Material's blog parsed it, whichever
of the two documented forms the author wrote; mkdocs.yml points the plugin at
``date.created`` and ``date.updated``. After the plugin wrote the RSS files, their channel
dates are set from the items (see ``sitebuild.feeds``).
"""

from __future__ import annotations

from pathlib import Path

import _repo  # noqa: F401  (puts the repository root on sys.path)
from material.plugins.blog.structure import Post
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from sitebuild.feeds import pin_channel_dates, post_dates


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if isinstance(page, Post):
        page.meta["date"] = post_dates(page.config.date)
    return html


@event_priority(-100)  # after the RSS plugin's on_post_build (priority 0) wrote the feeds
def on_post_build(config: MkDocsConfig) -> None:
    rss = config.plugins.get("rss")
    if rss is None:
        return
    names = rss.config.feeds_filenames
    for name in (names.rss_created, names.rss_updated):
        path = Path(config.site_dir, name)
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            path.write_text(pin_channel_dates(text), encoding="utf-8")
