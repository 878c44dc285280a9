"""The rule for post slugs, and the checks that every post gets a URL of its own.

A slug becomes one segment of the post's URL (``post_url_format: "{slug}"``), and the blog
plugin joins it into a file path unchecked: ``slug: ../../escape`` writes outside the site,
and two posts with one slug publish one body under both index entries. So a slug must be
lower-case ASCII letters and digits, words joined by single hyphens.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from mkdocs.config.defaults import MkDocsConfig

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
RULE = (
    "one URL path segment of lower-case ASCII letters and digits, words joined by "
    "single hyphens (e.g. 'bias-variance')"
)


def slug_problem(slug: object) -> str | None:
    """Why ``slug`` cannot be a post's slug, or None when it can (usable by any caller)."""
    if not isinstance(slug, str):
        return f"must be text, got {type(slug).__name__} {slug!r}"
    if not SLUG.fullmatch(slug):
        return f"{slug!r} is not {RULE}"
    return None


def slug_messages(posts: Iterable[tuple[str, str, bool]]) -> list[str]:
    """One message per bad slug; ``posts`` gives (author's file, slug, made from the title)."""
    messages = []
    for author, slug, from_title in posts:
        why = slug_problem(slug)
        if why is None:
            continue
        source = "the slug made from its title" if from_title else "its front-matter slug"
        fix = "; set `slug:` in its front matter" if from_title else ""
        messages.append(f"Post '{author}': {source} {why}{fix}")
    return messages


def clash_messages(pages: Iterable[tuple[str, str]]) -> list[str]:
    """One message per URL that more than one page would be written to; ``pages`` gives
    (author's file, destination path in the site) for every page of the build."""
    by_dest: dict[str, list[str]] = {}
    for author, dest in pages:
        by_dest.setdefault(dest, []).append(author)
    return [
        f"{' and '.join(repr(a) for a in sorted(authors))} would be published at the "
        f"same URL, '{dest}' (only one body would survive); give each post its own slug"
        for dest, authors in sorted(by_dest.items())
        if len(authors) > 1
    ]


def spelling_messages(names: Iterable[tuple[str, str, str, str]]) -> list[str]:
    """One message per slug that two spellings share; ``names`` gives (author's file, what
    it is, "category" or "tag", as written, its slug). The blog keeps one page (category)
    or one anchor (tag) per slug under one spelling: a reader who follows the other lands
    among posts that are not the ones its post named."""
    spellings: dict[tuple[str, str], dict[str, list[str]]] = {}
    for author, kind, name, slug in names:
        spellings.setdefault((kind, slug), {}).setdefault(name, []).append(author)
    return [
        f"the {kind} spellings "
        + " and ".join(f"{name!r} (in {', '.join(sorted(set(a)))})" for name, a in named.items())
        + f" are one {kind} to the blog ({slug!r}), shown under one of them; write them alike"
        for (kind, slug), named in sorted(spellings.items())
        if len(named) > 1
    ]


def spellings(
    posts: Iterable[tuple[str, Iterable[object], Iterable[object]]], config: MkDocsConfig
) -> list[tuple[str, str, str, str]]:
    """(author's file, "category" or "tag", name, its slug) of each of ``posts``'
    categories and tags (``posts`` gives each post's file, categories and tags), slugged as
    the blog and the tags plugin of ``config`` slug them."""
    options = config.plugins["material/blog"].config
    tags = config.plugins.get("material/tags")
    found = []
    for author, categories, tagged in posts:
        for name in map(str, categories):
            slug = options.categories_slugify(name, options.categories_slugify_separator)
            found.append((author, "category", name, slug))
        if tags is not None:
            for name in map(str, tagged):
                slug = tags.config.tags_slugify(name, tags.config.tags_slugify_separator)
                found.append((author, "tag", name, slug))
    return found
