"""tested_blog.csp: the Content Security Policy every page carries."""

from __future__ import annotations

import base64
import hashlib

from tested_blog import csp


def sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_each_inline_script_that_runs_is_hashed_exactly_once():
    page = (
        "<html><head><script>var a = 1 < 2 && '&amp;';</script>"
        '<script src="x.js"></script>'
        '<script id="__config" type="application/json">{"a": 1}</script>'
        '<script type="module">import("./m.js")</script></head>'
        "<body><script>var a = 1 < 2 && '&amp;';</script></body></html>"
    )
    # the text as written (no entity decoding in a script), once per distinct script
    assert csp.inline_script_hashes(page) == [
        sha("var a = 1 < 2 && '&amp;';"),
        sha('import("./m.js")'),
    ]


def test_the_policy_is_the_first_thing_in_the_head_and_allows_only_the_site():
    page = '<!doctype html><html><head lang="en"><meta charset="utf-8"><script>go()</script>'
    out = csp.with_policy(page + "</head><body><header>x</header></body></html>")
    head, rest = out.split('<head lang="en">', 1)
    assert rest.startswith('<meta http-equiv="Content-Security-Policy" content="default-src ')
    policy = rest.split('content="', 1)[1].split('"', 1)[0]
    directives = dict(d.split(" ", 1) for d in policy.split("; "))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == f"'self' {sha('go()')}"
    assert directives["img-src"] == "'self' data:" and directives["connect-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-src"] == "'self'"
    assert all("http" not in value and "*" not in value for value in directives.values())
    assert out.count("Content-Security-Policy") == 1 and "<header>x</header>" in out


def test_a_file_without_a_head_is_left_alone():
    assert csp.with_policy("<urlset><url>x</url></urlset>") == "<urlset><url>x</url></urlset>"


def test_a_serve_preview_runs_inline_scripts_unhashed_and_keeps_the_rest():
    """`mkdocs serve` adds a script with the time in it to every page (its reload poll):
    under serve no hash could allow it, so inline scripts run; a build keeps its hashes."""
    page = "<html><head><script>var a = 1;</script></head><body></body></html>"
    built, served = csp.with_policy(page), csp.with_policy(page, live_reload=True)
    assert sha("var a = 1;") in built and "'unsafe-inline'" not in built.split("style-src")[0]
    assert "script-src 'self' 'unsafe-inline';" in served and "sha256" not in served
    for directive in ("default-src 'self'", "img-src 'self' data:", "connect-src 'self'"):
        assert directive in served
