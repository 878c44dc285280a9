"""tested_blog.links: which href/src of a page's HTML reach a published file."""

from __future__ import annotations

import pytest
from mkdocs.structure.files import File, InclusionLevel
from tested_blog.links import (
    SiteFiles,
    css_fetches,
    excerpt_raw_links,
    fetch_problem,
    html_links,
    link_problems,
    site_path,
    third_party_fetches,
)


@pytest.mark.parametrize(
    "link, page, expected",
    [
        ("../other/", "blog/post/", "blog/other/"),
        ("fig.png", "blog/post/", "blog/post/fig.png"),
        ("fig%20a.png", "blog/post/", "blog/post/fig a.png"),
        ("../../", "blog/post/", ""),
        ("img.png", "404.html", "img.png"),
        ("x/#part", "", "x/"),
        ("/abs/", "blog/post/", "/abs/"),
        ("#anchor", "blog/post/", None),
        ("https://example.org/x", "blog/post/", None),
        ("mailto:a@b.c", "blog/post/", None),
        ("data:image/png;base64,AAAA", "blog/post/", None),
    ],
)
def test_site_path(link, page, expected):
    assert site_path(link, page) == expected


def test_html_links_reads_raw_and_rendered_html():
    html = '<p><a href="a/">a</a> <img alt="x" src="b.png"><script src="c.js"></script></p>'
    assert html_links(html) == (
        ("a", "href", "a/"),
        ("img", "src", "b.png"),
        ("script", "src", "c.js"),
    )


def files(tmp_path):
    """A published post, a draft post (excluded, as the blog plugin leaves it) and an image."""
    published = File("blog/posts/live.md", str(tmp_path), str(tmp_path / "site"), True)
    draft = File("blog/posts/draft.md", str(tmp_path), str(tmp_path / "site"), True)
    draft.inclusion = InclusionLevel.EXCLUDED
    image = File("blog/fig.png", str(tmp_path), str(tmp_path / "site"), True)
    return [published, draft, image], draft


def test_link_problems_know_published_draft_and_missing(tmp_path):
    all_files, draft = files(tmp_path)
    site = SiteFiles.from_files(all_files, {id(draft): "blog/posts/draft.md"})
    html = (
        '<a href="../live/">ok</a> <img src="../../fig.png"> <a href="../draft/">d</a>'
        '<img src="missing.png">'
    )
    problems = link_problems(html, "blog/posts/live/", site)
    assert len(problems) == 2, problems
    assert "draft" in problems[0] and "blog/posts/draft.md" in problems[0]
    assert "missing.png" in problems[1] and "not a page or file" in problems[1]


def test_links_to_the_home_page_reach_it(tmp_path):
    """The home page's URL is "./"; a post's "../../" or "../../index.html" reaches it.
    Before: "points to '', which is not a page or file of the site"."""
    home = File("index.md", str(tmp_path), str(tmp_path / "site"), True)
    site = SiteFiles.from_files([home], {})
    html = '<a href="../../">home</a> <a href="../../index.html">home</a> <a href="../">x</a>'
    problems = link_problems(html, "blog/live/", site)
    assert problems == [
        "<a href=\"../\"> points to 'blog/', which is not a page or file of the site"
    ]


FETCHES = {  # markup -> what third_party_fetches reports
    # a page that leaves for another host: a navigation, which no content policy stops
    '<meta http-equiv="Refresh" content="0; URL=\'https://example.com/away\'">': (
        '<meta http-equiv="refresh" content="0; URL=\'https://example.com/away\'">'
    ),
    '<img src="https://example.com/a.png" alt="a">': '<img src="https://example.com/a.png">',
    "<script src=//cdn.example.com/x.js></script>": '<script src="//cdn.example.com/x.js">',
    '<link rel="stylesheet" href="https://fonts.example.com/css">': (
        '<link href="https://fonts.example.com/css">'
    ),
    "<link rel='preconnect' href='https://fonts.gstatic.com'>": (
        '<link href="https://fonts.gstatic.com">'
    ),
    '<iframe src="https://video.example.com/embed/1"></iframe>': (
        '<iframe src="https://video.example.com/embed/1">'
    ),
    '<img srcset="a.png 1x, http://example.com/b.png 2x" src="a.png">': (
        '<img srcset="a.png 1x, http://example.com/b.png 2x">'
    ),
    '<video poster="https://example.com/p.jpg" src="clip.mp4"></video>': (
        '<video poster="https://example.com/p.jpg">'
    ),
    '<svg><image href="https://example.com/i.png"/></svg>': (
        '<image href="https://example.com/i.png">'
    ),
    '<div style="background: url(&quot;https://example.com/bg.png&quot;)"></div>': (
        "CSS url(https://example.com/bg.png)"
    ),
    '<style>@import "https://example.com/a.css";</style>': "CSS url(https://example.com/a.css)",
    # found by the second review
    '<base href="https://cdn.example.com/">': '<base href="https://cdn.example.com/">',
    '<img src="a.png" alt="a" onload="fetch(\'https://t.example.com/p\')">': (
        "an event handler naming https://t.example.com/p"
    ),
    '<script type="application/ecmascript">import("https://m.example.com/m.js")</script>': (
        "an inline <script> naming https://m.example.com/m.js"
    ),
    '<svg><script href="https://s.example.com/s.js"></script></svg>': (
        '<script href="https://s.example.com/s.js">'
    ),
    '<link rel="prerender" href="https://r.example.com/">': '<link href="https://r.example.com/">',
    '<a ping="https://p.example.com/" href="x/">x</a>': '<a ping="https://p.example.com/">',
    # what notebook outputs of plotting libraries do (found by a review of the guard)
    '<script>var s = document.createElement("script"); s.src = "https://cdn.example.com/v.js";'
    "</script>": "an inline <script> naming https://cdn.example.com/v.js",
    '<script type="module">import * as d3 from "https://cdn.example.com/d3@7/+esm";</script>': (
        "an inline <script> naming https://cdn.example.com/d3@7/+esm"
    ),
    '<iframe srcdoc="&lt;img src=&quot;https://example.com/t.png&quot;&gt;"></iframe>': (
        '<img src="https://example.com/t.png">'
    ),
    '<table background="https://example.com/bg.png"><tr><td>x</td></tr></table>': (
        '<table background="https://example.com/bg.png">'
    ),
    '<div style="background: image-set(&quot;https://example.com/a.png&quot; 1x)"></div>': (
        "CSS url(https://example.com/a.png)"
    ),
    # a form the pages' policy (form-action 'self') would refuse to send (found by a review)
    '<form action="https://example.com/subscribe" method="post"><button>Go</button></form>': (
        '<form action="https://example.com/subscribe">'
    ),
    '<form><button formaction="https://example.com/s">Go</button></form>': (
        '<button formaction="https://example.com/s">'
    ),
}


@pytest.mark.parametrize("markup", sorted(FETCHES))
def test_third_party_fetches_finds_what_a_browser_would_fetch_from_another_host(markup):
    assert third_party_fetches(f"<p>x</p>{markup}<p>y</p>") == (FETCHES[markup],)


def test_links_a_reader_follows_and_files_of_the_site_are_not_fetches():
    page = (
        '<a href="https://example.com/">a link</a>'
        '<link rel="canonical" href="https://example.test/post/">'
        '<link rel="alternate" type="application/rss+xml" href="https://example.test/feed.xml">'
        '<img src="../figures/a.png" alt="a"><img src="data:image/png;base64,AAAA" alt="b">'
        '<script src="../assets/site.js"></script>'
        '<div style="background: url(../bg.png)"></div>'
        "<pre><code>&lt;img src=&quot;https://example.com/a.png&quot;&gt;</code></pre>"
        '<script type="application/ld+json">{"url": "https://example.test/post/"}</script>'
        "<script>document.documentElement.classList.add('js')</script>"
        '<meta http-equiv="refresh" content="30"><meta http-equiv="refresh" content="0;url=../x/">'
        "<p>Prose about onclick=\"fetch('https://e.example.com/')\" handlers.</p>"
        '<form action="../search/"><input name="q"></form>'
    )
    assert third_party_fetches(page) == ()


def test_a_form_to_another_host_is_named_as_one_the_policy_refuses():
    problem = fetch_problem('<form action="https://example.com/subscribe">')
    assert "sends a reader's input to another host" in problem and "form-action" in problem


def test_css_fetches_reads_url_and_import_of_a_stylesheet():
    css = (
        '@import url("https://fonts.example.com/css2?family=X");\n'
        "@import 'https://example.com/b.css';\n"
        ".a { background: url(../img/a.png) } .b { src: url(data:font/woff2;base64,AA) }\n"
        ".c { background-image: url(//cdn.example.com/c.svg) }\n"
    )
    assert css_fetches(css) == [
        "https://fonts.example.com/css2?family=X",
        "https://example.com/b.css",
        "//cdn.example.com/c.svg",
    ]


def test_excerpt_raw_links_are_the_relative_raw_html_urls_above_the_separator():
    markdown = (
        '# Post\n\nSee the <a href="../../about/">about page</a>, '
        '<img src="../../assets/a.svg" alt="a">, [markdown](../x.md), '
        '<a href="https://example.com/">out</a>, <a href="#here">here</a>, '
        '`<img src="code.png">`.\n\n```html\n<img src="fenced.png">\n```\n\n'
        '<!-- more -->\n\n<img src="below.png" alt="b">\n'
    )
    assert excerpt_raw_links(markdown, "<!-- more -->") == [
        '<a href="../../about/">',
        '<img src="../../assets/a.svg">',
    ]
    picture = (
        '<picture><source srcset="../a.svg 1x, ../b.svg 2x"><img src="data:," alt=""></picture>'
    )
    assert excerpt_raw_links(picture, "<!-- more -->") == [
        '<source srcset="../a.svg">',
        '<source srcset="../b.svg">',
    ]
    # an indented code block shows HTML; indented content of a list or admonition is HTML
    shown = (
        'Excerpt:\n\n    <a href="../code/">x</a>\n\n'
        '!!! note\n\n    See <a href="../in-note/">this</a>.\n\n'
        '- item\n\n    <img src="../in-list.png" alt="i">\n\n<!-- more -->\n'
    )
    assert excerpt_raw_links(shown, "<!-- more -->") == [
        '<a href="../in-note/">',
        '<img src="../in-list.png">',
    ]
    # without a separator the whole post is the excerpt
    assert excerpt_raw_links('<img src="a.png" alt="a">\n', "<!-- more -->") == [
        '<img src="a.png">'
    ]


def test_materials_web_font_is_named_with_the_setting_that_drops_it():
    """Found by a new author: the theme's Google Fonts link was reported on every page
    with advice to save 'the file' under docs/; the fix is the theme's font setting."""
    problem = fetch_problem('<link href="https://fonts.googleapis.com/css?family=Roboto">')
    assert "set `font: false` under `theme:` in mkdocs.yml" in problem
