"""The same sites built by Zensical (``python -m tested_blog.zensical``), which runs no MkDocs
plugin: the passes around it must give the reader what the MkDocs build gives, and the
build must fail, naming the author's file, where the MkDocs build fails.

The real site is compared page by page with its MkDocs build (``built_site``): every
post published, the same formulas typeset, the same tested-by lines. The fixture blog
(another package, its own tests, a notebook post) is built after its tests ran, and
copies of it with a broken formula, a missing section and a failing notebook cell fail.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
from bs4 import BeautifulSoup
from conftest import POSTS, ROOT, SITE_PATH, front_matter, zensical_cli_build
from test_fixture_blog import FIXTURE, copy_of_the_blog
from test_site_bad_input import DEFECTS, POST_NAME, break_post, make_site
from tested_blog.stylesheets import joined, members_of

pytestmark = pytest.mark.site

SOURCE_COMMENT = "tested-blog source:"
PYTHON_CRASH = re.compile(r'Traceback \(most recent call last\):\n\s+File "')


def page(site, *parts) -> str:
    return (site.joinpath(*parts) / "index.html").read_text(encoding="utf-8")


def posts_by_slug() -> dict[str, str]:
    """Each post's slug -> its source's name, Markdown and notebook posts alike."""
    return {
        front_matter(path)["slug"]: path.name
        for path in sorted(POSTS.iterdir())
        if path.suffix in (".md", ".py") and not path.name.startswith("_")
    }


# --------------------------------------------------------------------------- the real site


def test_every_post_is_published_and_listed_in_the_blog_index(zensical_site):
    index = page(zensical_site, "blog")
    for slug, name in posts_by_slug().items():
        post = zensical_site / "blog" / slug / "index.html"
        assert post.is_file(), f"{name}: no page at blog/{slug}/"
        assert f'href="{slug}/"' in index or f'href="./{slug}/"' in index, name
    # a notebook post is a post: the figures it shows are published where it links them
    post = zensical_site / "blog" / "adam-from-scratch"
    figures = BeautifulSoup(page(post), "html.parser").select("article img")
    assert len(figures) >= 3
    for figure in figures:
        assert (post / figure["src"]).resolve().is_file(), figure["src"]
    # its downloads beside it, and no notebook post published as a raw file
    assert (post / "adam-from-scratch.ipynb").is_file() and (
        post / "adam-from-scratch.py"
    ).is_file()
    assert not list((zensical_site / "blog").glob("posts/*.py"))


def test_each_post_has_the_formulas_and_tested_by_lines_of_its_mkdocs_build(
    zensical_site, built_site
):
    """The MkDocs build is the reference: Zensical's pages have the same formulas, each
    typeset, and the same tested-by lines under the same code."""
    for slug, name in posts_by_slug().items():
        ours = BeautifulSoup(page(zensical_site, "blog", slug), "html.parser")
        theirs = BeautifulSoup(page(built_site, "blog", slug), "html.parser")
        tex = [m["data-tex"] for m in ours.select("article mjx-container")]
        assert tex == [m["data-tex"] for m in theirs.select("article mjx-container")], name
        assert not ours.select(".arithmatex > :not(mjx-container)"), name
        lines = [p.get_text(" ", strip=True) for p in ours.select("p.tested-by")]
        assert lines == [p.get_text(" ", strip=True) for p in theirs.select("p.tested-by")], name
    main = BeautifulSoup(page(zensical_site, "blog", "ml-interview-basics"), "html.parser")
    assert len(main.select("p.tested-by")) >= 10
    assert len(main.select("mjx-container")) >= 200


def test_each_post_has_the_quiz_neighbours_and_link_previews_of_its_mkdocs_build(
    zensical_site, built_site
):
    for slug, name in posts_by_slug().items():
        ours = BeautifulSoup(page(zensical_site, "blog", slug), "html.parser")
        theirs = BeautifulSoup(page(built_site, "blog", slug), "html.parser")

        def quiz(soup):
            return [
                (s["data-quiz-id"], s["data-difficulty"])
                for s in soup.select("section.quiz-question")
            ]

        def neighbours(soup):
            return [
                (a["href"], a.get_text(" ", strip=True))
                for a in soup.select("nav.post-neighbours a")
            ]

        def previews(soup):
            return sorted(
                (m.get("property") or m.get("name"), m["content"])
                for m in soup.select(
                    'meta[property^="og:"], meta[property^="article:"], meta[name^="twitter:"]'
                )
            )

        assert quiz(ours) == quiz(theirs), name
        assert neighbours(ours) == neighbours(theirs), name
        assert previews(ours) == previews(theirs), name
    main = BeautifulSoup(page(zensical_site, "blog", "ml-interview-basics"), "html.parser")
    assert len(main.select("section.quiz-question")) == 14
    assert main.select_one(".quiz-bar")


def test_the_home_page_lists_the_newest_posts_as_the_mkdocs_build_does(zensical_site, built_site):
    def listed(site):
        soup = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
        return [
            (li.a["href"], li.a.get_text(strip=True), li.time["datetime"])
            for li in soup.select("ul.latest-posts > li")
        ]

    assert len(listed(zensical_site)) == 5
    assert listed(zensical_site) == listed(built_site)


def test_every_page_has_its_policy_and_no_trace_of_the_passes(zensical_site):
    pages = sorted(zensical_site.rglob("*.html"))
    assert len(pages) > 15
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert SOURCE_COMMENT not in text, path
        if "<head" in text:
            assert 'http-equiv="Content-Security-Policy"' in text, path
    assert (zensical_site / "assets" / "mathjax" / "chtml.css").is_file()


def test_the_stylesheets_after_the_themes_come_as_one_file(zensical_site):
    """As on the MkDocs build (tests/test_site_build.py): a post links Zensical's theme
    stylesheet and one bundle, which holds the site's stylesheet and the math's, its text
    what its members give now."""
    post = zensical_site / "blog" / front_matter(POSTS / "ml-interview-basics.md")["slug"]
    html = (post / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<link rel="stylesheet" href="([^"]+)">', html[: html.index("</head>")])
    assert len(links) == 2 and "/main." in links[0], links
    bundle = (post / links[1]).resolve()
    members = members_of(bundle.read_text(encoding="utf-8"))
    assert members and {"stylesheets/site.css", "assets/mathjax/chtml.css"} <= set(members)
    texts = {m: (zensical_site / m).read_text(encoding="utf-8") for m in members}
    path = bundle.relative_to(zensical_site.resolve()).as_posix()
    assert bundle.read_text(encoding="utf-8") == joined(path, texts)


def test_the_404_page_links_its_stylesheets_as_the_mkdocs_build_does(zensical_site, built_site):
    """404.html, which the server returns at any URL, links its files from the site's path:
    the theme's stylesheet and one bundle, as on the MkDocs build; like there, it announces
    no link preview (a preview of "page not found" would be wrong under any URL), and its
    feeds are linked from the site's path too (a relative link broke under a deep URL)."""
    for site in (zensical_site, built_site):
        html = (site / "404.html").read_text(encoding="utf-8")
        links = re.findall(r'<link rel="stylesheet" href="([^"]+)">', html[: html.index("</head>")])
        assert len(links) == 2 and all(link.startswith(SITE_PATH) for link in links), links
        members = members_of((site / links[1][len(SITE_PATH) :]).read_text(encoding="utf-8"))
        assert members and "stylesheets/site.css" in members, (site, links)
        assert 'property="og:' not in html and 'name="twitter:' not in html, site
        feeds = re.findall(
            r'<link rel="alternate" type="application/rss\+xml"[^>]*href="([^"]+)"', html
        )
        assert feeds and all(f.startswith(SITE_PATH) for f in feeds), (site, feeds)


def test_the_links_in_the_posts_excerpts_reach_the_posts(zensical_site, built_site):
    """On the blog's index, archive and category pages, a post's excerpt links another post
    as the MkDocs build does (Zensical alone wrote the linked post's file path there)."""

    def excerpt_links(site):
        found = {}
        for page in sorted((site / "blog").rglob("index.html")):
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            for a in soup.select("article.md-post--excerpt .md-post__content a[href]"):
                target = (page.parent / a["href"].partition("#")[0]).resolve()
                assert target.is_dir() or target.is_file(), (page, a["href"])
                reached = target.relative_to(site.resolve()).as_posix()
                found.setdefault(page.relative_to(site).as_posix(), []).append(reached)
        return found

    ours = excerpt_links(zensical_site)
    assert ours == excerpt_links(built_site)
    assert any("blog/two-layer-net-numpy" in to for links in ours.values() for to in links)


def test_every_page_has_the_title_of_its_mkdocs_build(zensical_site, built_site):
    """The browser tab and search engines read <title>: Zensical titled the home page
    "Home - ..." where Material gives the site's name alone (found by a review)."""
    for page in sorted(built_site.rglob("*.html")):
        ours = zensical_site / page.relative_to(built_site)
        if not ours.is_file():
            continue  # (the pages both publish are compared elsewhere)
        theirs = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").title
        mine = BeautifulSoup(ours.read_text(encoding="utf-8"), "html.parser").title
        assert (mine and mine.get_text()) == (theirs and theirs.get_text()), page


def test_search_reads_formulas_as_text(zensical_site):
    index = json.loads((zensical_site / "search.json").read_text(encoding="utf-8"))
    texts = " ".join(item["text"] + item["title"] for item in index["items"])
    assert "\\(" not in texts and "\\[" not in texts
    assert "P(y∣x)" in texts  # the plain reading of the main post's P(y | x)


# --------------------------------------------------------------------------- the fixture blog


@pytest.fixture(scope="module")
def fixture_built(tmp_path_factory):
    """The fixture blog, its tests run (the record written), built by Zensical, strictly
    and with the record required."""
    work = tmp_path_factory.mktemp("fixture-zensical")
    copy_of_the_blog(work)
    result = zensical_cli_build(
        work / "blog" / "mkdocs.yml", work / "site", extra_env={"TESTED_CODE_PROVENANCE": ""}
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return work / "site", result.stdout + result.stderr


def test_the_fixture_blogs_notebook_post_is_executed_tested_and_listed(fixture_built):
    site, log = fixture_built
    assert "notebooks: executed 1, from cache 0" in log
    index = page(site, "blog")
    assert "The mean of the first squares" in index and "A running mean" in index
    post = page(site, "blog", "2026", "03", "02", "mean-of-squares")
    assert "mean of squares: 38.5" in post
    assert "Both import <code>recipes</code>" in post
    running = page(site, "blog", "2026", "03", "01", "running-mean")
    assert "test_running_mean_matches_the_two_pass_mean" in running
    assert "8/8\u00a0mutants\u00a0caught" in running
    assert running.count("<mjx-container") == 3
    assert '<mjx-container data-tex="\\frac{1}{n}"' in running


def broken_copy(tmp_path, path: str, old: str, new: str):
    """The fixture blog (its tests not run) with ``old`` replaced by ``new`` in ``path``,
    built by Zensical; returns the result and the site folder."""
    root = tmp_path / "blog"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns(".cache", "build", "__pycache__"))
    source = root / path
    text = source.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {path}"
    source.write_text(text.replace(old, new, 1), encoding="utf-8")
    site = tmp_path / "site"
    return zensical_cli_build(root / "mkdocs.yml", site), site


@pytest.mark.parametrize(
    ("path", "old", "new", "expected"),
    [
        pytest.param(
            "docs/blog/posts/running-mean.md",
            r"a fraction $\frac{1}{n}$ of",
            r"a fraction $\frac{1}{n$ of",
            r"blog/posts/running-mean.md: TeX error in $\frac{1}{n$",
            id="broken formula",
        ),
        pytest.param(
            "docs/blog/posts/running-mean.md",
            "recipes/mean.py:running_mean",
            "recipes/mean.py:running_median",
            "Post/page 'blog/posts/running-mean.md' embeds code wrongly:\n  line 23:"
            " 'recipes/mean.py:running_median': 'recipes/mean.py' has no section"
            " 'running_median'",
            id="missing section",
        ),
        pytest.param(
            "docs/blog/posts/mean-of-squares.py",
            'print("mean of squares:"',
            'raise ValueError("no squares today")\nprint("mean of squares:"',
            "blog/posts/mean-of-squares.py",
            id="failing notebook cell",
        ),
    ],
)
def test_a_broken_source_fails_the_zensical_build_naming_its_file(
    tmp_path, path, old, new, expected
):
    result, site = broken_copy(tmp_path, path, old, new)
    log = result.stdout + result.stderr
    assert result.returncode == 1, log
    assert expected in log, log
    assert not PYTHON_CRASH.search(log), log  # (a cell's own traceback is the message)
    assert not site.exists()  # a failed build publishes nothing


def test_the_failing_cell_is_named_with_its_error(tmp_path):
    result, _ = broken_copy(
        tmp_path,
        "docs/blog/posts/mean-of-squares.py",
        'print("mean of squares:"',
        'raise ValueError("no squares today")\nprint("mean of squares:"',
    )
    log = result.stdout + result.stderr
    assert re.search(r"blog/posts/mean-of-squares\.py.*cell 2", log, re.S), log
    assert "ValueError: no squares today" in log, log


def test_the_readme_gives_the_command_the_suite_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "python -m tested_blog.zensical" in readme
    assert "requirements-zensical.txt" in readme


# --------------------------------------------------------------------------- the source guards


@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_a_broken_post_fails_the_zensical_build_as_it_fails_the_mkdocs_one(tmp_path, defect):
    """Every broken post that fails the MkDocs build (tests/test_site_bad_input.py) fails the
    Zensical build too, naming the post, with a message rather than a crash."""
    site = make_site(tmp_path / "copy")
    old, new, expected = DEFECTS[defect]
    break_post(site, old, new)
    result = zensical_cli_build(site, tmp_path / "out")
    output = result.stdout + result.stderr
    assert result.returncode == 1, f"{defect}: the build passed:\n{output}"
    assert f"blog/posts/{POST_NAME}" in output, f"{defect}: the post is not named:\n{output}"
    assert not PYTHON_CRASH.search(output), output
    assert not (tmp_path / "out").exists()


def test_a_fresh_clone_previews_with_preview_and_the_strict_build_needs_the_record(tmp_path):
    """Before its tests ran, the fixture blog has no record: the build fails saying so,
    and ``--preview`` (as ``mkdocs serve``) builds it anyway."""
    root = tmp_path / "blog"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns(".cache", "build", "__pycache__"))
    strict = {"TESTED_CODE_PROVENANCE": ""}  # not the suite's own "pending" builds
    result = zensical_cli_build(root / "mkdocs.yml", tmp_path / "site", extra_env=strict)
    log = result.stdout + result.stderr
    assert result.returncode == 1, log
    assert "build/tested-by.json" in log and "Aborted with" in log, log
    result = zensical_cli_build(
        root / "mkdocs.yml", tmp_path / "site", extra_env=strict, options=["--preview"]
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "site" / "blog" / "index.html").is_file()


def test_the_feeds_list_every_post_and_are_dated_by_the_newest(zensical_site, built_site):
    """The same items, in the same order, with the same dates as the MkDocs build's feeds:
    each post's own dates, never the build's clock (Zensical's own feeds had it)."""
    from email.utils import parsedate_to_datetime

    def read(site, name):
        text = (site / name).read_text(encoding="utf-8")
        head = text.split("<item>", 1)[0]
        channel = [
            parsedate_to_datetime(d)
            for d in re.findall(r"<(?:pubDate|lastBuildDate)>([^<]*)<", head)
        ]
        items = re.findall(
            r"<item>.*?<title>([^<]*)</title>.*?<pubDate>([^<]*)</pubDate>", text, re.S
        )
        return channel, [(title, parsedate_to_datetime(d)) for title, d in items]

    for name in ("feed_rss_created.xml", "feed_rss_updated.xml"):
        channel, items = read(zensical_site, name)
        assert items == read(built_site, name)[1], name
        assert channel and set(channel) == {max(d for _, d in items)}, name


def test_math_in_a_summary_on_the_home_page_is_typeset(tmp_path):
    """The newest posts' list is added before the math is typeset, as under MkDocs (a
    review found a description's TeX left as text on the home page)."""
    root = tmp_path / "blog"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns(".cache", "build", "__pycache__"))
    post = root / "docs" / "blog" / "posts" / "running-mean.md"
    text = post.read_text(encoding="utf-8")
    post.write_text(
        text.replace(
            "slug: running-mean\n", "slug: running-mean\ndescription: The mean of $n$ values.\n"
        ),
        encoding="utf-8",
    )
    (root / "docs" / "index.md").write_text(
        "# Recipes\n\n<!-- latest-posts -->\n", encoding="utf-8"
    )
    result = zensical_cli_build(root / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    home = BeautifulSoup((tmp_path / "site" / "index.html").read_text("utf-8"), "html.parser")
    (summary,) = [li for li in home.select("ul.latest-posts > li") if "running" in li.a["href"]]
    assert [m["data-tex"] for m in summary.select("mjx-container")] == ["n"]
