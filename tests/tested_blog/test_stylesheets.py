"""tested_blog.stylesheets: a page's stylesheets after the theme's, fetched as one file."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest
import tinycss2
from hypothesis import given
from hypothesis import strategies as st
from tested_blog.stylesheets import (
    CHARSET,
    BundleError,
    Bundles,
    after_last_stylesheet,
    bundle_path,
    joined,
    rebased,
    site_root,
)

THEME = '<link rel="stylesheet" href="{up}assets/stylesheets/main.css">'


def page(*links: str, up: str = "../../", between: str = "\n") -> str:
    """A page whose head links the theme's stylesheet, then ``links`` (hrefs from the site's
    root, written relative to a page two folders down)."""
    tags = [THEME.format(up=up)] + [f'<link rel="stylesheet" href="{up}{h}">' for h in links]
    return (
        "<!doctype html><html><head><meta charset=utf-8><title>t</title>"
        + between.join(tags)
        + "<script>var a = 1</script></head><body><p>text</p></body></html>"
    )


def stylesheet_hrefs(html: str) -> list[str]:
    head = html[: html.index("</head>")]
    return re.findall(r'<link rel="stylesheet" href="([^"]+)">', head)


# ---------------------------------------------------------------------------- pages


def test_the_stylesheets_after_the_themes_are_linked_as_one_bundle():
    bundles = Bundles()
    html = bundles.page(page("palette.css", "extra.css", "assets/m/chtml.css"), "blog/post/")
    members = ("palette.css", "extra.css", "assets/m/chtml.css")
    bundle = bundle_path(members)
    assert stylesheet_hrefs(html) == ["../../assets/stylesheets/main.css", f"../../{bundle}"]
    assert bundles.members == {bundle: members}
    assert html.count("<script>var a = 1</script></head>") == 1  # the rest as it was


def test_pages_that_link_the_same_stylesheets_share_one_bundle():
    bundles = Bundles()
    deep = bundles.page(page("a.css", "b.css"), "blog/post/")
    top = bundles.page(page("a.css", "b.css", up=""), "")
    assert len(bundles.members) == 1
    (bundle,) = bundles.members
    assert stylesheet_hrefs(deep)[1] == f"../../{bundle}"
    assert stylesheet_hrefs(top)[1] == bundle


def test_a_page_served_at_any_url_joins_its_links_from_the_sites_root():
    """404.html: the server returns it for any missing URL, so MkDocs links its files from
    the server's root (the site's path, here /repo/); its bundle is linked the same way and
    is the one the other pages with those stylesheets link."""
    bundles = Bundles()
    missing = bundles.page(page("a.css", "b.css", up="/repo/"), None, "/repo/")
    post = bundles.page(page("a.css", "b.css"), "blog/post/")
    (bundle,) = bundles.members
    assert bundles.members[bundle] == ("a.css", "b.css")
    assert stylesheet_hrefs(missing) == ["/repo/assets/stylesheets/main.css", f"/repo/{bundle}"]
    assert stylesheet_hrefs(post)[1] == f"../../{bundle}"


@pytest.mark.parametrize(
    "up",
    [
        "",  # relative: a page served at any URL has no folder to resolve it from
        "/other/",  # another site on the server
        "/repo/../",  # out of the site
        "//repo/",  # another host
        "/repo//",
        "/repo/%61",
    ],
)
def test_a_page_served_at_any_url_joins_no_link_outside_the_site_or_relative(up):
    html = page("a.css", "b.css", up=up)
    bundles = Bundles()
    assert bundles.page(html, None, "/repo/") == html
    assert not bundles.members


def test_without_the_sites_root_a_page_served_at_any_url_is_left_alone():
    html = page("a.css", "b.css", up="/")
    assert Bundles().page(html, None) == html


@pytest.mark.parametrize(
    ("site_url", "root"),
    [
        (None, "/"),
        ("", "/"),
        ("https://example.org", "/"),
        ("https://example.org/", "/"),
        ("https://example.org/repo", "/repo/"),
        ("https://example.org/a/repo/", "/a/repo/"),
    ],
)
def test_site_root_is_the_path_mkdocs_links_error_pages_from(site_url, root):
    assert site_root(site_url) == root


def test_other_members_or_order_make_another_bundle():
    assert bundle_path(["a.css", "b.css"]) != bundle_path(["b.css", "a.css"])
    assert bundle_path(["a.css", "b.css"]) != bundle_path(["a.css", "b.css", "c.css"])


@pytest.mark.parametrize(
    "tag",
    [
        '<link rel="stylesheet" href="../../b.css" media="print">',
        '<link rel="stylesheet" href="../../b.css" title="Dark">',
        '<link rel="alternate stylesheet" href="../../b.css">',
        '<link rel="stylesheet" href="../../b.css" disabled>',
        '<link rel="stylesheet" href="https://cdn.example.com/b.css">',
        '<link rel="stylesheet" href="/b.css">',
    ],
)
def test_a_link_that_is_not_only_a_stylesheet_of_the_site_stays_and_splits_the_run(tag):
    html = (
        page("a.css")
        .replace("</head>", "")
        .replace("<script>", f"\n{tag}\n" + '<link rel="stylesheet" href="../../c.css"><script>', 1)
    )
    html = html.replace("var a = 1</script>", "var a = 1</script></head>")
    bundles = Bundles()
    assert bundles.page(html, "blog/post/") == html  # no run of two joinable links
    assert not bundles.members


@pytest.mark.parametrize("between", ["<style>p{}</style>", "<script>x()</script>", "<!-- x -->"])
def test_only_links_with_white_space_between_them_are_joined(between):
    html = page("a.css", "b.css", between=between)
    assert Bundles().page(html, "blog/post/") == html


def test_white_space_between_links_is_kept_and_runs_are_joined_one_by_one():
    html = page("a.css", "b.css", between="\n  ").replace(
        "<script>",
        '<style>p{}</style><link rel="stylesheet" href="../../c.css">'
        '<link rel="stylesheet" href="../../d.css"><script>',
    )
    bundles = Bundles()
    out = bundles.page(html, "blog/post/")
    assert set(bundles.members.values()) == {("a.css", "b.css"), ("c.css", "d.css")}
    assert stylesheet_hrefs(out)[0] == "../../assets/stylesheets/main.css"
    assert out.index("<style>p{}</style>") > out.index(bundle_path(["a.css", "b.css"]))


def test_links_in_comments_script_text_or_the_body_are_not_read():
    two = '<link rel="stylesheet" href="../../a.css"><link rel="stylesheet" href="../../b.css">'
    commented = page().replace(
        "<script>var a = 1</script>", f"<!-- {two} --><script>var s = '{two}'</script>"
    )
    assert Bundles().page(commented, "blog/post/") == commented
    in_body = page().replace(
        "<p>text</p>",
        '<link rel="stylesheet" href="../../a.css"><link rel="stylesheet" href="../../b.css">',
    )
    assert Bundles().page(in_body, "blog/post/") == in_body


def test_a_page_with_a_base_url_is_left_alone():
    """<base href> changes where every relative link of the page points."""
    html = page("a.css", "b.css").replace("<title>t</title>", '<title>t</title><base href="/x/">')
    bundles = Bundles()
    assert bundles.page(html, "blog/post/") == html and not bundles.members


def test_links_after_a_long_head_are_found_where_they_are():
    """The head is read in pieces: links far into it, across lines, keep their places."""
    long = "<meta name=x content='" + "line\n" * 10_000 + "'>"
    html = page("a.css", "b.css").replace("<title>t</title>", "<title>t</title>" + long)
    bundles = Bundles()
    out = bundles.page(html, "blog/post/")
    assert stylesheet_hrefs(out)[1] == "../../" + bundle_path(["a.css", "b.css"])
    assert out.replace(stylesheet_hrefs(out)[1], "") == html.replace(
        '<link rel="stylesheet" href="../../a.css">\n<link rel="stylesheet" href="../../b.css">',
        '<link rel="stylesheet" href="">\n',
    )


def test_a_page_without_a_head_is_left_alone():
    assert Bundles().page("<p>no head</p>", "x/") == "<p>no head</p>"


def test_the_math_stylesheet_goes_after_the_last_stylesheet():
    html = page("a.css")
    at = after_last_stylesheet(html)
    assert html[:at].endswith('href="../../a.css">')
    assert after_last_stylesheet("<html><head><title>t</title></head></html>") is None


# ---------------------------------------------------------------------------- writing


def write_site(tmp_path, files: dict[str, str | bytes]):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return tmp_path


def test_a_bundle_holds_its_members_in_order_with_their_urls_rebased(tmp_path):
    site = write_site(
        tmp_path,
        {
            "stylesheets/site.css": '@font-face{src:url("../assets/fonts/cjk.woff2")}',
            "assets/mathjax/chtml.css": "mjx-c{font-family:Z;src:url(fonts/Zero.woff2)}",
        },
    )
    bundles = Bundles(
        {"assets/tested-blog/bundle.x.css": ("stylesheets/site.css", "assets/mathjax/chtml.css")}
    )
    assert bundles.write(site) == ["assets/tested-blog/bundle.x.css"]
    text = (site / "assets/tested-blog/bundle.x.css").read_text(encoding="utf-8")
    root = "https://example.test/repo/"
    reached = [
        urljoin(root + "assets/tested-blog/bundle.x.css", url)
        for url in re.findall(r'url\("?([^")]+)"?\)', text)
    ]
    assert reached == [root + "assets/fonts/cjk.woff2", root + "assets/mathjax/fonts/Zero.woff2"]


def test_an_unchanged_bundle_is_not_written_again(tmp_path):
    site = write_site(tmp_path, {"a.css": "p{color:red}", "b.css": "q{color:blue}"})
    bundles = Bundles({"assets/tested-blog/bundle.y.css": ("a.css", "b.css")})
    bundles.write(site)
    target = site / "assets/tested-blog/bundle.y.css"
    before = target.stat().st_mtime_ns
    bundles.write(site)
    assert target.stat().st_mtime_ns == before


def test_a_bundle_whose_member_is_gone_is_not_written(tmp_path):
    site = write_site(tmp_path, {"a.css": "p{}"})
    assert Bundles({"assets/tested-blog/bundle.z.css": ("a.css", "gone.css")}).write(site) == []


@pytest.mark.parametrize(
    "css, said",
    [
        ("p{color:red", "never closes"),
        ('p{content:"open', "never closes"),
        ("p{} /* open", "never closes"),
        ("p{background:url(data:,x", "never closes"),
        ("p{} q", "never closes"),
        ('@import "other.css";', "@import"),
        ("@namespace svg url(http://www.w3.org/2000/svg);", "@namespace"),
    ],
)
def test_a_member_that_would_change_the_next_one_fails_naming_it(tmp_path, css, said):
    site = write_site(tmp_path, {"a.css": css, "b.css": "q{color:blue}"})
    bundles = Bundles({"assets/tested-blog/bundle.e.css": ("a.css", "b.css")})
    with pytest.raises(BundleError, match=said) as caught:
        bundles.write(site, {"a.css": "docs/a.css"})
    assert "'docs/a.css'" in str(caught.value)


def test_a_member_a_page_links_and_the_site_lacks_fails_naming_it(tmp_path):
    """Alone, a missing stylesheet is one 404; in a bundle it would take the others down."""
    site = write_site(tmp_path, {"a.css": "p{}"})
    bundles = Bundles()
    bundles.page(page("a.css", "typo.css"), "blog/post/")
    with pytest.raises(BundleError, match="'docs/typo.css' is linked from the pages but"):
        bundles.write(site, {"typo.css": "docs/typo.css"})


def test_a_member_that_is_not_utf8_fails_naming_it(tmp_path):
    site = write_site(tmp_path, {"a.css": b"p{content:'\xe9'}", "b.css": "q{}"})
    with pytest.raises(BundleError, match="'a.css' is not UTF-8"):
        Bundles({"assets/tested-blog/bundle.u.css": ("a.css", "b.css")}).write(site)


def test_a_byte_order_mark_and_crlf_newlines_are_read_as_a_browser_reads_them(tmp_path):
    site = write_site(tmp_path, {"a.css": "\ufeffp{\r\ncolor:red}\r\n", "b.css": "q{}"})
    Bundles({"assets/tested-blog/bundle.b.css": ("a.css", "b.css")}).write(site)
    text = (site / "assets/tested-blog/bundle.b.css").read_text(encoding="utf-8")
    assert "\ufeff" not in text and "\r" not in text and "p{\ncolor:red}" in text


def test_urls_that_do_not_depend_on_the_stylesheets_place_stay_as_written():
    css = (
        "a{b:url(data:image/png;base64,AAA)} c{d:url(https://x.example/f.png)}"
        " e{f:url(/root.png)} g{filter:url(#glow)}"
    )
    assert rebased(css, "assets/m/x.css", "assets/tested-blog/bundle.q.css") == css


def test_image_set_strings_and_queries_are_rebased():
    css = 'a{b:image-set("i.png" 1x, "i2.png" 2x)} c{d:url("f.woff2?v=3#x")}'
    out = rebased(css, "assets/m/x.css", "assets/tested-blog/bundle.q.css")
    assert '"../m/i.png" 1x' in out and '"../m/i2.png" 2x' in out
    assert '"../m/f.woff2?v=3#x"' in out


# Relative URLs as authors write them: names, folders up and down, dots, escapes.
segments = st.sampled_from(["..", ".", "a", "b c", "fonts", "x.woff2", "%2e%2e", "é", "q(1)"])
relative_urls = st.lists(segments, min_size=1, max_size=5).map("/".join)
sites = st.lists(st.sampled_from(["assets", "m", "stylesheets", "deep"]), max_size=3).map(
    lambda parts: "/".join(parts)
)


@given(url=relative_urls, member_dir=sites, bundle_dir=sites)
def test_a_rebased_url_reaches_the_file_the_original_reached(url, member_dir, bundle_dir):
    """The oracle is URL resolution as a browser does it (urljoin), from each file's place
    under a project site's sub-path."""
    member = f"{member_dir}/x.css".lstrip("/")
    bundle = f"{bundle_dir}/bundle.k.css".lstrip("/")
    css = f"p{{background:url({tinycss2.serializer.serialize_url(url)})}}"
    out = rebased(css, member, bundle)
    (rule,) = tinycss2.parse_stylesheet(out)
    (token,) = [t for t in rule.content if t.type == "url"]
    root = "https://example.test/repo/"
    assert urljoin(root + bundle, token.value) == urljoin(root + member, url)


# CSS made of the pieces that open and close things: blocks, strings, comments, url(
pieces = st.sampled_from([*"ab{}();:\"'/*\\ \n@", "url(", "/*", "*/", "@import ", "@media "])
css_text = st.lists(pieces, max_size=30).map("".join)


def shape(node):
    """What a parsed node means: its kind, its value (not how it is written) and what it
    holds; comments and the white space between rules dropped."""
    if isinstance(node, list):
        return [shape(n) for n in node if n.type != "comment"]
    kind = node.type
    if kind == "qualified-rule":
        return (kind, shape(node.prelude), shape(node.content))
    if kind == "at-rule":
        content = None if node.content is None else shape(node.content)
        return (kind, node.lower_at_keyword, shape(node.prelude), content)
    if kind in ("() block", "[] block", "{} block"):
        return (kind, shape(node.content))
    if kind == "function":
        return (kind, node.lower_name, shape(node.arguments))
    if kind == "error":
        return (kind, node.kind)
    return (kind, None if kind == "whitespace" else getattr(node, "value", None))


def rules(css: str) -> list:
    return [
        shape(n) for n in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    ]


@given(first=css_text, second=css_text)
def test_any_two_members_are_joined_whole_or_refused(first, second):
    """Whatever the members hold, joining them either gives exactly their rules, each
    member's as it parses alone, or refuses with a BundleError: never another failure."""
    here = "assets/tested-blog/"  # the bundle's folder: every URL reaches the same file
    try:
        text = joined(here + "bundle.h.css", {here + "a.css": first, here + "b.css": second})
    except BundleError:
        return
    assert text.startswith(CHARSET)
    assert rules(text.removeprefix(CHARSET)) == rules(first) + rules(second)


@given(css=css_text)
def test_rebasing_any_stylesheet_keeps_its_rules(css):
    """Moved to another folder, a stylesheet keeps its rules; only URL values change (and
    a URL or string the file ends inside is closed, as the browser closes it)."""

    def kinds(shaped):
        if isinstance(shaped, list):
            return [
                kinds(s)
                for s in shaped
                if s not in (("error", "eof-in-url"), ("error", "eof-in-string"))
            ]
        if isinstance(shaped, tuple) and shaped[0] in ("url", "string"):
            return shaped[0]
        return tuple(kinds(s) for s in shaped) if isinstance(shaped, tuple) else shaped

    try:
        out = rebased(css, "assets/m/x.css", "assets/tested-blog/bundle.r.css")
    except BundleError:
        return
    assert kinds(rules(out)) == kinds(rules(css))


# ------------------------------------------------- found by a red team (each one reproduced)


@pytest.mark.parametrize(
    "href",
    [
        "../../css/my%20styles.css",  # a browser decodes it: not the path joined here
        "..\\..\\css\\a.css",  # a browser reads each backslash as a slash
        "../../css/x/%2e%2e/a.css",  # and %2e%2e as ..
        "../../css/a.css/",  # a folder: a 404 alone, not a.css
        "../../css/a.css?v=1",
    ],
)
def test_a_link_a_browser_would_resolve_otherwise_is_not_joined(href):
    html = page("a.css", "c.css").replace(
        '<link rel="stylesheet" href="../../c.css">',
        f'<link rel="stylesheet" href="{href}"><link rel="stylesheet" href="../../c.css">',
    )
    bundles = Bundles()
    out = bundles.page(html, "blog/post/")
    assert href in out.replace("&amp;", "&")
    assert all(href.split("/")[-1] not in m for ms in bundles.members.values() for m in ms)


@pytest.mark.parametrize(
    "tag",
    [
        '<link rel="stylesheet" href="../../b.css" href="../../x.css">',  # the first counts
        '<link rel="preload" rel="stylesheet" href="../../b.css">',  # not a stylesheet at all
    ],
)
def test_a_link_with_a_repeated_attribute_is_not_joined(tag):
    html = page("a.css").replace(
        "<script>", tag + '<link rel="stylesheet" href="../../c.css"><script>'
    )
    bundles = Bundles()
    bundles.page(html, "blog/post/")
    assert not any("b.css" in m or "x.css" in m for ms in bundles.members.values() for m in ms)


def test_a_head_html_parser_gives_up_on_is_left_alone():
    html = page("a.css", "b.css").replace("<title>t</title>", "<title>t</title><![foo[ x ]]>")
    assert Bundles().page(html, "blog/post/") == html


def test_a_relative_url_in_a_custom_property_fails_naming_the_stylesheet():
    """A browser resolves it where var() uses it: another file, or the page."""
    with pytest.raises(BundleError, match="'css/a.css' has a relative url\\(\\) in custom"):
        joined("assets/tested-blog/bundle.c.css", {"css/a.css": ":root{--u:url(i.png)}"})
    with pytest.raises(BundleError, match="custom property --u"):
        joined("assets/tested-blog/bundle.c.css", {"css/a.css": "@media x{a{--u:url(i.png)}}"})
    fine = ':root{--i:url("data:image/svg+xml,<svg/>");--j:url(https://x.example/a.png)}'
    assert fine in joined("assets/tested-blog/bundle.c.css", {"css/a.css": fine})


def test_backslash_and_query_only_urls_reach_what_they_reached():
    root = "https://example.test/repo/"
    member, bundle = "css/a.css", "assets/tested-blog/bundle.q.css"
    for url in ["\\x.png", "\\\\host.example/x.png", "?v=1", "sub\\i.png"]:
        out = rebased(f'p{{b:url("{url.replace(chr(92), chr(92) * 2)}")}}', member, bundle)
        (token,) = [t for t in tinycss2.parse_stylesheet(out)[0].content if t.type == "function"]
        moved = token.arguments[0].value.replace("\\", "/")
        assert urljoin(root + bundle, moved) == urljoin(root + member, url.replace("\\", "/"))


def test_a_bundle_is_utf8_and_a_member_in_another_charset_fails():
    text = joined("b.css", {"a.css": "p{}"})
    assert text.startswith('@charset "utf-8";\n')
    with pytest.raises(BundleError, match='declares @charset "iso-8859-1"'):
        joined("b.css", {"a.css": '@charset "iso-8859-1";\np{}'})
    assert joined("b.css", {"a.css": '@charset "utf-8";\np{}'})
