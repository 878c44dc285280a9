"""Each build guard: a small copy of the site with one defect fails to build, and the
message names the author's file and the culprit (slug, snippet file and line, link).

The copies (tests/site_copy.py) run no notebook posts; a notebook post is stood in for by
a hook that turns ``docs/blog/posts/*.py`` into generated Markdown pages marked with
``tested_blog.authored.mark_generated_from``, as the notebook pipeline does.
"""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path, PurePosixPath

import pytest
from conftest import mkdocs_build, mkdocs_cli_build, zensical_cli_build
from site_copy import changed, make_site, post

pytestmark = pytest.mark.site

POSTS = "docs/blog/posts"
# Stands in for the notebook pipeline: `# ` is stripped from each line of a post's .py file
# and the rest becomes a generated Markdown page, marked as coming from the .py file.
FAKE_NOTEBOOK_HOOK = textwrap.dedent("""\
    from pathlib import Path

    from mkdocs.plugins import event_priority
    from mkdocs.structure.files import File

    from tested_blog.authored import mark_generated_from


    @event_priority(50)
    def on_files(files, config):
        for source in [f for f in files if f.src_uri.endswith(".py")]:
            text = "\\n".join(line[2:] for line in source.content_string.splitlines())
            uri = source.src_uri[:-3] + ".md"
            path = Path(config.config_file_path).parent / ".cache" / uri
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text + "\\n", encoding="utf-8")
            page = File.generated(config, uri, abs_src_path=str(path))
            mark_generated_from(page, source)
            files.remove(source)
            files.append(page)
        return files
""")
BROKEN_MARKERS = {
    "start without end": ("# --8<-- [start:shown]\nx = 1\n", 1, "[start:shown] has no [end:shown]"),
    "end without start": ("x = 1\n# --8<-- [end:shown]\n", 2, "[end:shown] has no [start:shown]"),
    "name used twice": (
        "# --8<-- [start:shown]\nx = 1\n# --8<-- [end:shown]\n"
        "# --8<-- [start:shown]\ny = 2\n# --8<-- [end:shown]\n",
        4,
        "section 'shown' is started again",
    ),
    "start in capitals": (
        "# --8<-- [START:shown]\nx = 1\n# --8<-- [end:shown]\n",
        1,
        "[START:shown] is written in capitals, which pymdownx does not read",
    ),
}


# the guards that check a page as published hold on both engines' pages: a test marked so
# builds with MkDocs and with Zensical (python -m tested_blog.zensical)
ENGINES = pytest.mark.parametrize("engine", ["mkdocs", "zensical"])


def build(config: Path, tmp_path: Path, engine: str = "mkdocs") -> tuple[int, str]:
    if engine == "zensical":
        result = zensical_cli_build(config, tmp_path / "out")
    else:
        result = mkdocs_build(config, tmp_path / "out")
    return result.returncode, result.stdout + result.stderr


def with_fake_notebooks(config: Path) -> None:
    (config.parent / "hooks" / "fake_notebook.py").write_text(FAKE_NOTEBOOK_HOOK, "utf-8")
    changed(config, hooks=["hooks/site_owner.py", "hooks/fake_notebook.py"])


def assert_fails_naming(code: int, output: str, *names: str) -> None:
    assert code != 0, f"the build passed:\n{output}"
    assert "Traceback" not in output, output
    for name in names:
        assert name in output, f"{name!r} is not named in:\n{output}"


# --------------------------------------------------------------------------- slugs


@pytest.mark.parametrize(
    "slug, title, shown",
    [
        ("../../escape", "Escape", "'../../escape'"),
        ("Upper-Case", "Upper", "'Upper-Case'"),
        ("two/segments", "Two", "'two/segments'"),
        (None, "优化方法", "slug made from its title"),  # Material's slugify drops the CJK
    ],
    ids=["dot-dot", "upper-case", "slash", "from-title"],
)
def test_a_bad_slug_fails_naming_the_post(tmp_path, slug, title, shown):
    config = make_site(tmp_path / "copy", {"bad.md": post(slug, title)})
    code, output = build(config, tmp_path)
    assert_fails_naming(code, output, "blog/posts/bad.md", shown)
    assert not (tmp_path / "escape").exists() and not (tmp_path / "copy" / "escape").exists()


def test_two_markdown_posts_with_one_slug_fail_naming_both(tmp_path):
    config = make_site(
        tmp_path / "copy", {"first.md": post("same", "First"), "second.md": post("same", "Second")}
    )
    code, output = build(config, tmp_path)
    assert_fails_naming(
        code, output, "blog/posts/first.md", "blog/posts/second.md", "blog/same/index.html"
    )


def test_a_markdown_and_a_notebook_post_with_one_slug_fail_naming_both(tmp_path):
    notebook = "\n".join("# " + line for line in post("same", "Notebook").splitlines())
    config = make_site(
        tmp_path / "copy", {"markdown.md": post("same", "Markdown"), "notebook.py": notebook}
    )
    with_fake_notebooks(config)
    code, output = build(config, tmp_path)
    assert_fails_naming(code, output, "blog/posts/markdown.md", "blog/posts/notebook.py")


# --------------------------------------------------------------------------- sections


@pytest.mark.parametrize("defect", sorted(BROKEN_MARKERS))
def test_broken_section_markers_fail_naming_file_and_line(tmp_path, defect):
    text, line, why = BROKEN_MARKERS[defect]
    config = make_site(
        tmp_path / "copy",
        {"post.md": post("post", "Post", '```python\n--8<-- "snippets/broken.py:shown"\n```')},
    )
    (config.parent / "snippets" / "broken.py").write_text(text, encoding="utf-8")
    code, output = build(config, tmp_path)
    assert_fails_naming(code, output, "blog/posts/post.md", f"snippets/broken.py line {line}", why)


@pytest.mark.parametrize("where", ["symlink", "outside-folder"])
def test_an_embed_outside_the_snippet_folders_fails_naming_the_post(tmp_path, where):
    config = make_site(tmp_path / "copy", {})
    root = config.parent
    if where == "symlink":  # a file of snippets/ that is a link to a file outside the repo
        secret = tmp_path / "secret.py"
        secret.write_text(
            "# --8<-- [start:key]\nKEY = 'do not publish'\n# --8<-- [end:key]\n", encoding="utf-8"
        )
        os.symlink(secret, root / "snippets" / "leak.py")
        ref = "snippets/leak.py:key"
    else:  # a repository file outside snippets/
        ref = "mkdocs.yml"
    (root / POSTS / "post.md").write_text(
        post("post", "Post", f'```\n--8<-- "{ref}"\n```'), encoding="utf-8"
    )
    code, output = build(config, tmp_path)
    assert_fails_naming(code, output, "blog/posts/post.md", ref, "outside the folders", "snippets/")
    assert "do not publish" not in output


def test_a_notebook_posts_embed_is_checked_naming_the_notebook(tmp_path):
    body = '```python\n--8<-- "snippets/optim.py:no_such_section"\n```'
    notebook = "\n".join("# " + line for line in post("nb", "Notebook", body).splitlines())
    config = make_site(tmp_path / "copy", {"notebook.py": notebook})
    with_fake_notebooks(config)
    code, output = build(config, tmp_path)
    line = 1 + notebook.splitlines().index('# --8<-- "snippets/optim.py:no_such_section"')
    assert_fails_naming(code, output, "blog/posts/notebook.py", f"line {line}:", "no_such_section")


# --------------------------------------------------------------------------- links


def test_a_link_to_a_draft_fails_naming_both_posts(tmp_path):
    config = make_site(
        tmp_path / "copy",
        {
            "published.md": post("published", "Published", "See [the draft](draft.md)."),
            "draft.md": post("draft", "Draft", extra="draft: true\n"),
        },
    )
    code, output = build(config, tmp_path)
    assert_fails_naming(code, output, "blog/posts/published.md", "blog/posts/draft.md", "draft")


@pytest.mark.parametrize(
    "html, target",
    [
        ('<img src="missing.png" alt="a figure">', "blog/post/missing.png"),
        ('<a href="../no-such-page/">a page</a>', "blog/no-such-page/"),
        ('<a href="index.md">the index</a>', "blog/post/index.md"),
    ],
    ids=["img-src", "a-href", "md-href"],
)
@ENGINES
def test_a_raw_html_link_to_nothing_fails_naming_the_post(tmp_path, engine, html, target):
    config = make_site(tmp_path / "copy", {"post.md": post("post", "Post", html)})
    code, output = build(config, tmp_path, engine)
    # Zensical resolves a raw-HTML path from the post's own folder, or names a link to a .md
    # itself (with the line): either way the post and the missing name
    shown = f"'{target}'" if engine == "mkdocs" else PurePosixPath(target).name
    assert_fails_naming(code, output, "blog/posts/post.md", shown)


@ENGINES
def test_raw_html_links_into_the_site_pass(tmp_path, engine):
    """The guard knows published pages and files: these links build."""
    html = '<a href="../../about/">about</a> <img src="../../assets/images/favicon.png">'
    config = make_site(tmp_path / "copy", {"post.md": post("post", "Post", html)})
    code, output = build(config, tmp_path, engine)
    assert code == 0, output


# --------------------------------------------------------------------------- quiet


def test_a_build_logs_nothing_but_mkdocs_messages(tmp_path):
    """Every stderr line of a clean build is a MkDocs log record (``LEVEL -  text``): no
    third-party library prints to stderr around it (jieba splits the Chinese here)."""
    config = make_site(tmp_path / "copy", {"post.md": post("post", "Post", "自适应优化方法。")})
    result = mkdocs_cli_build(config, tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    record = re.compile(r"(DEBUG|INFO|WARNING|ERROR|CRITICAL) +- ")
    stray = [line for line in result.stderr.splitlines() if line.strip() and not record.match(line)]
    assert not stray, "not MkDocs log records:\n" + "\n".join(stray)
    assert "INFO" in result.stderr  # the pattern does match MkDocs' own lines


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize("where", ["post", "notebook post", "embedded module"])
def test_a_file_that_is_not_utf8_fails_naming_it_and_where(tmp_path, where):
    """A byte that is not UTF-8 (here Latin-1's é) is named with its line and column, in
    whichever file the build reads it: no decoding traceback."""
    embed = '```python\n--8<-- "snippets/optim.py:adam_step"\n```'
    config = make_site(tmp_path / "copy", {"post.md": post("post", "Post", embed)})
    posts = config.parent / "docs" / "blog" / "posts"
    if where == "post":
        target, shown = posts / "post.md", "docs/blog/posts/post.md"
        target.write_bytes(target.read_bytes() + b"Caf\xe9 au lait.\n")
    elif where == "notebook post":
        target, shown = posts / "nb.py", "docs/blog/posts/nb.py"
        target.write_bytes(b"# ---\n# date: 2026-01-02\n# ---\n\n# %%\nprint('caf\xe9')\n")
    else:
        target, shown = config.parent / "snippets" / "optim.py", "snippets/optim.py"
        target.write_bytes(b"# caf\xe9\n" + target.read_bytes())
    code, output = build(config, tmp_path)
    assert_fails_naming(code, output, shown, "is not UTF-8 text: byte 0xe9 at line")


@pytest.mark.parametrize(
    "line, why",
    [
        ('--8<-- "snippets/optim.py:adam_step" ', "spaces after it"),
        ("--8<-- snippets/optim.py:adam_step", "the path must be in quotes"),
    ],
    ids=["trailing-space", "no-quotes"],
)
def test_an_embed_line_pymdownx_would_publish_as_text_fails_naming_it(tmp_path, line, why):
    """A review published the literal --8<-- line of an embed with a trailing space."""
    config = make_site(
        tmp_path / "copy", {"post.md": post("post", "Post", f"```python\n{line}\n```")}
    )
    code, output = build(config, tmp_path)
    assert_fails_naming(code, output, "blog/posts/post.md", "looks like an embed", why)
    assert re.search(r"line \d+: '--8<-- ", output), output


# --------------------------------------------------------------------------- whole pages


@pytest.mark.parametrize(
    "html, why",
    [
        ('<div class="note">\n\nNever closed.', "its content leaves <div> open"),
        (
            "<details><summary>More</summary>\n\nFolded.\n\n## A later heading",
            "the rest of the page is folded inside <details>",
        ),
        ('<div class="x">\n<!-- never closed\n</div>', "opens an HTML comment (<!--)"),
        ("</div>", "closes an element it never opened"),
    ],
    ids=["div", "details", "comment", "stray-end-tag"],
)
@ENGINES
def test_html_that_changes_the_rest_of_the_page_fails_naming_the_post(tmp_path, engine, html, why):
    """Whatever the markup, the page is parsed as a browser parses it, and the post's
    content must come out whole: not left open, not closed too far."""
    body = f"Before.\n\n{html}\n\nAfter.\n"
    config = make_site(tmp_path / "copy", {"post.md": post("post", "Post", body)})
    code, output = build(config, tmp_path, engine)
    assert_fails_naming(code, output, "Doc file 'blog/posts/post.md'", why)


@ENGINES
def test_balanced_html_and_comments_build(tmp_path, engine):
    body = (
        "<div markdown>\n\nInside **Markdown**.\n\n</div>\n\n<!-- a closed comment -->\n\n"
        "<details><summary>More</summary><p>Folded on purpose.</p></details>\n"
    )
    config = make_site(tmp_path / "copy", {"post.md": post("post", "Post", body)})
    code, output = build(config, tmp_path, engine)
    assert code == 0, output
    page = (tmp_path / "out" / "blog" / "post" / "index.html").read_text(encoding="utf-8")
    assert "tested-blog:content" not in page  # the marks are gone from what is published


@pytest.mark.parametrize(
    "excerpt, why",
    [
        ('Last line with <a href="../">an unclosed link', "leaves <a> open: the browser carries"),
        ("Ends in <b>bold never closed", "leaves <b> open"),
    ],
    ids=["a", "b"],
)
@ENGINES
def test_an_inline_element_left_open_at_the_end_fails(tmp_path, engine, excerpt, why):
    """The browser re-opens an unclosed <a> or <b> around everything after the content (a
    review found the footer's links turned into one link): before/after, it is named."""
    config = make_site(tmp_path / "copy", {"post.md": post("post", "Post", f"Body.\n\n{excerpt}")})
    code, output = build(config, tmp_path, engine)
    # Zensical's page carries it over in another way: the same element named, another why
    shown = why if engine == "mkdocs" else why.split(":")[0]
    assert_fails_naming(code, output, "Doc file 'blog/posts/post.md'", shown)


@pytest.mark.parametrize(
    "around",
    [
        "<details><summary>Spoiler</summary>\nIntro text\n<!-- more -->\nRest of it.\n</details>",
        "An excerpt.\n\n<!-- editor's note\n<!-- more -->\n\nBody.",
    ],
    ids=["inside-details", "inside-comment"],
)
@ENGINES
def test_an_excerpt_separator_inside_an_element_or_comment_fails(tmp_path, engine, around):
    """The blog's index pages show a post up to its separator: one inside <details> left
    the index's <details> open, one inside a comment published the comment as text."""
    text = (
        "---\ndate: 2026-01-15\nslug: post\nauthors:\n  - owner\ncategories:\n  - Testing\n"
        f"---\n\n# Post\n\n{around}\n"
    )
    config = make_site(tmp_path / "copy", {"post.md": text})
    code, output = build(config, tmp_path, engine)
    assert_fails_naming(code, output, "Doc file 'blog/posts/post.md'", "excerpt separator")


def test_static_html_files_of_docs_carry_the_policy_too(tmp_path):
    """A page of docs/ published as it is (no page event runs for it), .html or .htm,
    gets the same policy, its own inline script allowed by hash; a page gets it once."""
    from tested_blog import csp

    config = make_site(tmp_path / "copy", {"post.md": post("post", "Post")})
    script = "<script>var h=['evil','example'].join('.');fetch('https://'+h+'/b');</script>"
    for name in ("demo.html", "old.htm"):
        (config.parent / "docs" / name).write_text(
            f"<!doctype html><html><head><title>t</title></head><body>{script}</body></html>",
            encoding="utf-8",
        )
    code, output = build(config, tmp_path)
    assert code == 0, output
    for name in ("demo.html", "old.htm"):
        html = (tmp_path / "out" / name).read_text(encoding="utf-8")
        assert html.count("Content-Security-Policy") == 1, name
        policy = html.split('http-equiv="Content-Security-Policy" content="', 1)[1]
        assert policy.startswith(csp.policy(csp.inline_script_hashes(html))), name
    page = (tmp_path / "out" / "blog" / "post" / "index.html").read_text(encoding="utf-8")
    assert page.count("Content-Security-Policy") == 1
