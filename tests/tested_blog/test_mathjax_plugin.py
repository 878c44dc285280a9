"""tested_blog.mathjax.plugin: the tested/math plugin, a thin MkDocs adapter over
tested_blog.mathjax."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import pytest
from mkdocs.structure.files import File
from tested_blog.authored import mark_generated_from
from tested_blog.mathjax.plugin import MathPlugin

LOGGER = "mkdocs.plugins.tested.math"


def new_plugin() -> MathPlugin:
    """The plugin as MkDocs makes it: options validated, then on_startup."""
    plugin = MathPlugin()
    errors, _ = plugin.load_config({})
    assert not errors, errors
    plugin.on_startup(command="build", dirty=False)
    return plugin


@pytest.fixture
def hook():
    plugin = new_plugin()
    yield plugin
    plugin.on_shutdown()


def fake_config(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    return SimpleNamespace(
        config_file_path=str(tmp_path / "mkdocs.yml"),
        site_dir=str(tmp_path / "site"),
        markdown_extensions=["pymdownx.arithmatex"],
        mdx_configs={"pymdownx.arithmatex": {"generic": True}},
    )


def notebook_page(tmp_path):
    """The Markdown page a notebook post becomes, marked as generated from its .py."""
    notebook = File("blog/posts/adam.py", str(tmp_path / "docs"), str(tmp_path / "site"), True)
    generated = File("blog/posts/adam.md", str(tmp_path / "cache"), str(tmp_path / "site"), True)
    mark_generated_from(generated, notebook)
    return SimpleNamespace(file=generated, url="blog/adam/", content=PAGE, markdown="")


PAGE = (
    "<html><head><title>t</title></head><body><p>"
    '<span class="arithmatex">\\(\\frac{1}{\\)</span> and '
    '<span class="arithmatex">\\(x^2\\)</span></p></body></html>'
)


def test_a_tex_error_warns_naming_the_notebook_the_formula_and_mathjaxs_message(
    hook, tmp_path, caplog
):
    config = fake_config(tmp_path)
    hook.on_config(config)
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        out = hook.on_post_page(PAGE, page=notebook_page(tmp_path), config=config)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1, warnings
    prefix = "blog/posts/adam.py: TeX error in $\\frac{1}{$: "
    assert warnings[0].startswith(prefix) and len(warnings[0]) > len(prefix), warnings
    assert out.count("<mjx-container") == 2


def test_pages_with_math_link_the_stylesheet_by_relative_url(hook, tmp_path):
    config = fake_config(tmp_path)
    hook.on_config(config)
    page = SimpleNamespace(
        file=File("a/b.md", str(tmp_path), str(tmp_path), True), url="a/b/", content="", markdown=""
    )
    out = hook.on_post_page(PAGE.replace("\\frac{1}{", "y"), page=page, config=config)
    assert '<link rel="stylesheet" href="../../assets/mathjax/chtml.css">' in out
    # and the script that copies a selected formula as its TeX, from the same place
    assert '<script src="../../assets/tested-blog/copy-tex.js" defer></script>\n</head>' in out
    assert 'rel="preload"' not in out  # the fonts are fetched as the stylesheet asks
    # after the page's own stylesheets, next to the last, so tested/reader can join them
    themed = PAGE.replace(
        "<title>t</title>",
        '<title>t</title><link rel="stylesheet" href="../../x.css">\n<script>s()</script>',
    )
    out = hook.on_post_page(themed.replace("\\frac{1}{", "y"), page=page, config=config)
    assert (
        '<link rel="stylesheet" href="../../x.css">\n'
        '<link rel="stylesheet" href="../../assets/mathjax/chtml.css">\n<script>s()</script>'
    ) in out
    plain = "<html><head></head><body><p>none</p></body></html>"
    assert hook.on_post_page(plain, page=page, config=config) == plain
    hook.on_post_build(config)
    assert (tmp_path / "site" / "assets" / "mathjax" / "chtml.css").is_file()


def test_an_error_in_an_excerpt_is_reported_once_by_the_post_that_has_it(hook, tmp_path, caplog):
    """The blog index repeats a post's excerpt: the warning names the post, not the index.
    A formula found only outside any page's own text is still reported, at the end."""
    config = fake_config(tmp_path)
    hook.on_config(config)
    index = SimpleNamespace(
        file=File("blog/index.md", str(tmp_path), str(tmp_path), True),
        url="blog/",
        content="<p>Posts</p>",
        markdown="",
    )
    post = SimpleNamespace(
        file=File("blog/posts/p.md", str(tmp_path), str(tmp_path), True),
        url="blog/p/",
        content=PAGE,
        markdown="",
    )
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        hook.on_post_page(PAGE, page=index, config=config)
        hook.on_post_page(PAGE, page=post, config=config)
        hook.on_post_build(config)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert [w.split(":")[0] for w in warnings] == ["blog/posts/p.md"], warnings

    caplog.clear()
    hook.on_config(config)
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        hook.on_post_page(PAGE, page=index, config=config)
        hook.on_post_build(config)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and warnings[0].startswith("blog/index.md: TeX error in "), warnings


def test_serve_rebuilds_reuse_one_mathjax_process(tmp_path):
    """`mkdocs serve` loads the configuration afresh for every rebuild, and MkDocs keeps the
    one instance of a plugin that has a startup: so the typesetter and its Node process
    carry over, and the second rebuild sends MathJax only its new formula."""
    from mkdocs.config import load_config

    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nplugins: [tested/math]\n"
        "markdown_extensions:\n  - pymdownx.arithmatex: {generic: true}\n"
    )
    page = SimpleNamespace(
        file=File("a.md", str(tmp_path), str(tmp_path), True), url="a/", content="", markdown=""
    )
    loaded = []
    for formula in ("x^2", "y^3"):
        config = load_config(str(tmp_path / "mkdocs.yml"))
        plugin = config.plugins["tested/math"]
        plugin.on_startup(command="serve", dirty=False)
        plugin.on_config(config)
        plugin.on_post_page(
            f'<html><head></head><span class="arithmatex">\\({formula}\\)</span></html>',
            page=page,
            config=config,
        )
        typesetter = plugin.typesetter
        loaded.append((plugin, typesetter, typesetter._process._proc.pid, typesetter.rendered))
        plugin.on_post_build(config=config)
    try:
        (first, t1, pid1, _), (second, t2, pid2, rendered) = loaded
        assert first is second and t1 is t2 and pid1 == pid2 and rendered == 1
    finally:
        loaded[-1][0].on_shutdown()
    assert t2._process is None  # on_shutdown ended it


def test_switched_off_it_leaves_the_math_to_the_browser(tmp_path):
    plugin = MathPlugin()
    plugin.load_config({"enabled": False})
    config = fake_config(tmp_path)
    plugin.on_config(config)
    assert plugin.on_post_page(PAGE, page=notebook_page(tmp_path), config=config) == PAGE
    plugin.on_post_build(config)
    assert not (tmp_path / "site").exists()


def test_rebuilds_keep_one_typesetter_and_another_site_gets_its_own(hook, tmp_path):
    """MkDocs keeps the plugin for the life of the process (`mkdocs serve`): its rebuilds
    reuse the typesetter (its Node process, its cache); a site with another cache folder
    gets a new one and the old one is closed; shutting down closes the last."""
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir(), second.mkdir()
    hook.on_config(fake_config(first))
    typesetter = hook.typesetter
    page = SimpleNamespace(
        file=File("a.md", str(first), str(first), True), url="a/", content="", markdown=""
    )
    hook.on_post_page(PAGE.replace("\\frac{1}{", "y"), page=page, config=fake_config(first))
    assert typesetter._process is not None  # Node is running
    hook.on_config(fake_config(first))
    assert hook.typesetter is typesetter
    hook.on_config(fake_config(second))
    assert hook.typesetter is not typesetter and typesetter._process is None
    last = hook.typesetter
    hook.on_shutdown()
    assert last._process is None
