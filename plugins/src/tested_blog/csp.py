"""A Content Security Policy for every page: the reader's browser refuses any fetch from
another host, whatever form it takes in the page.

The build-time checks (``tested_blog.links``) name a fetch they recognise; the policy holds
for the ones nobody thought of (a CSS escape, an assembled URL, an SVG filter, a frame with
a ``data:`` document). Everything must come from the site's own origin (``'self'``), and
images and fonts may also be ``data:`` URLs (Material draws its icons from them). Inline
scripts run only if they are the page's own: each one's sha256 is in the policy, so a script
injected at run time does not run. Inline styles are allowed: a style can fetch only through
``url()``, which the image and font rules govern.

The policy is a ``<meta http-equiv>`` tag, the first thing in ``<head>``, so it also holds on
GitHub Pages, which sets no headers of a site's choosing.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html import escape

from selectolax.lexbor import LexborHTMLParser

# Script types a browser runs; any other type (application/json, …) is data, which the
# policy does not cover.
EXECUTED = {"", "text/javascript", "application/javascript", "module"}
HEAD = re.compile(r"<head\b[^>]*>", re.I)


def inline_script_hashes(html: str | LexborHTMLParser) -> list[str]:
    """``'sha256-…'`` of each inline script of ``html`` (or of its tree, already parsed) that
    runs, in order, once each: its text as a browser's HTML5 parser (lexbor) reads it, which
    is what the browser hashes."""
    tree = LexborHTMLParser(html) if isinstance(html, str) else html
    hashes = []
    for script in tree.css("script"):
        attrs = script.attributes
        kind = (attrs.get("type") or "").strip().lower()
        if "src" in attrs or kind not in EXECUTED:
            continue
        text = script.text(deep=True) or ""
        digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
        hashes.append(f"'sha256-{digest}'")
    return list(dict.fromkeys(hashes))


def policy(script_hashes: list[str], live_reload: bool = False) -> str:
    """The policy of a page whose inline scripts have these hashes. ``live_reload``: the
    page is a ``mkdocs serve`` preview, to which the server adds an inline script of its
    own with the time in it (so no hash can be known), which reloads the page on a
    rebuild: inline scripts then run unhashed (a hash would turn that off)."""
    scripts = "'self' 'unsafe-inline'" if live_reload else " ".join(["'self'", *script_hashes])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "media-src 'self'",
            "frame-src 'self'",
            "worker-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def with_policy(html: str, tree: LexborHTMLParser | None = None, live_reload: bool = False) -> str:
    """``html`` with its policy as the first element of ``<head>``; unchanged without one
    (not a page: nothing a browser would load as one). ``tree``: ``html`` parsed, when the
    caller has it; ``live_reload`` as ``policy`` reads it. The policy holds no ``"`` or
    ``&``, so it needs no escaping but of ``<``."""
    head = HEAD.search(html)
    if head is None:
        return html
    hashes = [] if live_reload else inline_script_hashes(tree or html)
    tag = (
        '<meta http-equiv="Content-Security-Policy" '
        f'content="{escape(policy(hashes, live_reload), quote=False)}">'
    )
    return html[: head.end()] + tag + html[head.end() :]
