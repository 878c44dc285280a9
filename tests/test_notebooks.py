"""Notebook posts through MkDocs (the tested/notebooks plugin on tested_blog.notebooks).

The first group reads the strict build of the real site (the ``built_site`` fixture):
each notebook post is there with its figures and the numbers it claims, and it is
listed like a Markdown post. The second group builds small temporary sites
(tests/notebook_sites.py) to see what an author sees: errors naming the notebook, the
cache across builds. The last group pins the third-party behaviour the plugin relies on.
The pipeline's modules have their own tests in tests/tested_blog/.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT
from notebook_sites import build, executed, make_repo, percent_notebook, posts_dir
from PIL import Image

pytestmark = pytest.mark.site

POSTS = {
    "adam-from-scratch": "Adam from scratch",
    "two-layer-net-numpy": "A two-layer network in numpy",
    "softmax-regression": "Softmax regression by gradient ascent",
    "weight-initialisation": "Weight initialisation: zero, Xavier and He",
    "training-sanity-checks": "Sanity checks before a long training run",
}
# Figures each post draws (plt.show() calls in its source).
FIGURES = {
    "adam-from-scratch": 3,
    "two-layer-net-numpy": 2,
    "softmax-regression": 2,
    "weight-initialisation": 1,
    "training-sanity-checks": 1,
}
# Code each post must show, embedded from snippets/ by section.
SHOWN = {
    "adam-from-scratch": ["def adam_step(", "def amsgrad_step(", "def minimize("],
    "two-layer-net-numpy": [
        "class TwoLayerNet",
        "rng = np.random.default_rng(seed)",
        "def loss(",
        "def predict(self, X",
        "def train(",
        "def numerical_gradient(",
        "def rel_error(",
        "def numerical_gradient_array(",
    ],
    "softmax-regression": [
        "def softmax_probs(",
        "def log_likelihood_gradient(",
        "def mean_log_likelihood(",
        "def fit(",
        "def predict(X",
        "def accuracy(X",
    ],
    "weight-initialisation": ["def xavier_normal(", "def xavier_uniform(", "def he_normal("],
    "training-sanity-checks": ["def rel_error("],
}


def _page(site: Path, slug: str) -> str:
    path = site / "blog" / slug / "index.html"
    assert path.is_file(), f"no page for post {slug!r} at {path}"
    return path.read_text(encoding="utf-8")


def _text(page: str) -> str:
    """The visible text of a page: tags removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def _number(pattern: str, text: str) -> float:
    match = re.search(pattern, text)
    assert match, f"pattern {pattern!r} not found in the page"
    return float(match.group(1))


# ------------------------------------------------------------- the real site


@pytest.mark.parametrize("slug", POSTS)
def test_post_has_its_figures_as_sized_webp_files_all_but_the_first_lazy(built_site, slug):
    page = _page(built_site, slug)
    assert "data:image" not in page, f"{slug}: a figure is inlined as base64"
    images = re.findall(r'<img [^>]*class="nb-figure"[^>]*>', page)
    assert len(images) == FIGURES[slug], f"{slug}: {len(images)} figures"
    for number, tag in enumerate(images):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', tag))
        # the first may be what a reader sees first: fetched at once, not when scrolled to
        assert attrs.get("loading") == (None if number == 0 else "lazy"), tag
        assert attrs["alt"].strip(), tag
        # matplotlib's PNG as lossless WebP: a third of the bytes, the same pixels
        assert re.fullmatch(r"figure-[0-9a-f]{16}\.webp", attrs["src"]), tag
        with Image.open(built_site / "blog" / slug / attrs["src"]) as image:
            assert image.format == "WEBP"
            width, height = image.size
        # retina PNG: twice the pixels of the size it is shown at (IPython halves an odd
        # pixel count downwards, so one pixel more is the same figure)
        assert 0 <= width - 2 * int(attrs["width"]) <= 1, tag
        assert 0 <= height - 2 * int(attrs["height"]) <= 1, tag
        assert width >= 300 and height >= 100, (width, height)


@pytest.mark.parametrize("slug", POSTS)
def test_post_shows_code_math_and_no_traceback(built_site, slug):
    page = _page(built_site, slug)
    text = _text(page)
    assert "<h1" in page and POSTS[slug] in text
    for line in SHOWN[slug]:
        assert line in text, f"{slug}: embedded section with {line!r} missing"
    assert "--8<--" not in text, f"{slug}: a snippet marker was left unexpanded"
    # Notebook Markdown went through arithmatex like every Markdown post.
    assert page.count('class="arithmatex"') >= 3
    assert "Traceback" not in text and '<span class="filename">Error</span>' not in page


def test_adam_post_numbers(built_site):
    text = _text(_page(built_site, "adam-from-scratch"))
    assert re.search(r"25 steps: .* converged = False", text)
    x = _number(r"full run: +x = ([-+0-9.e]+) +converged = True", text)
    assert abs(x) < 1e-5  # the minimum of x^2 - 1 is at 0
    adam = re.search(r"Adam \(lr=[0-9.e-]+\) +(\d+) +True +\( *([\d.]+), *([\d.]+)\)", text)
    assert adam, "Adam's Rosenbrock row does not report convergence"
    assert abs(float(adam.group(2)) - 1) < 1e-3 and abs(float(adam.group(3)) - 1) < 1e-3
    # each method at the best rate of the post's sweep; the rows the conclusions rest on
    assert re.search(r"SGD \(lr=[0-9.e-]+\) +3000 +False", text)
    assert re.search(r"Momentum \(lr=[0-9.e-]+\) +\d+ +True", text)
    assert re.search(r"RMSProp \(lr=[0-9.e-]+\) +3000 +False", text)
    assert "1 - beta**t is" in text and "passes 0.5 at t = 693" in text


def test_two_layer_post_numbers(built_site):
    text = _text(_page(built_site, "two-layer-net-numpy"))
    errors = [float(e) for e in re.findall(r"relative error ([0-9.e+-]+)", text)]
    # W1, b1, W2, b2 of the whole net, then dx, dw, db of one fc layer.
    assert len(errors) == 7 and max(errors) < 1e-6, errors
    for optimiser in ("SGD", "Adam"):
        accuracy = _number(rf"test accuracy, {optimiser} \([^)]*\): ([0-9.]+)", text)
        assert accuracy >= 0.96, (optimiser, accuracy)


def test_weight_initialisation_post_numbers(built_site):
    text = _text(_page(built_site, "weight-initialisation"))
    rows = {
        start: re.search(rf"{re.escape(start)} +([0-9.]+) +(\d+) +(\S+) +(\S+)\n", text)
        for start in ("every weight 0.01", "every weight 0 ")
    }
    assert all(row and row.group(4) == "0" for row in rows.values()), rows  # identical units
    assert rows["every weight 0 "].group(2, 3) == ("1", "0"), rows  # one class, W1 never moved
    he = _number(r"random \(He\) +([0-9.]+)", text)
    assert he > 0.9
    relu_he = re.search(r"ReLU +He +([0-9.e-]+) +([0-9.e-]+) +([0-9.e-]+)", text)
    assert relu_he and 0.5 < float(relu_he.group(3)) / float(relu_he.group(1)) < 2


def test_training_sanity_checks_post_numbers(built_site):
    text = _text(_page(built_site, "training-sanity-checks"))
    assert _number(r"scaled down 100 times: ([0-9.]+)", text) == pytest.approx(2.3026, abs=3e-3)
    assert "training accuracy 100%" in text
    assert _number(r"gradient doubled: +relative error ([0-9.]+)", text) == 0.33
    assert _number(r"five epochs at the chosen rate: test accuracy ([0-9.]+)", text) > 0.9


def test_softmax_post_numbers(built_site):
    text = _text(_page(built_site, "softmax-regression"))
    assert _number(r"largest change in any probability after the shift: ([0-9.e+-]+)", text) < 1e-15
    assert re.search(r"\d+ gradient steps, converged = True", text)
    assert "largest entry of the last row of W: 0.0" in text
    assert _number(r"smallest rise from one step to the next ([0-9.e+-]+)", text) > 0
    # fully converged, pinned and free fits disagree on the same few images
    differ = re.findall(r"e-0[67] +\d+ +\d+ +(\d+) of 450", text)
    assert len(differ) == 2 and differ[0] == differ[1] and 0 < int(differ[0]) < 10, differ
    ours = _number(r"test accuracy, gradient ascent \(ours\): ([0-9.]+)", text)
    theirs = _number(r"test accuracy, sklearn LogisticRegression: ([0-9.]+)", text)
    assert ours >= 0.96 and abs(ours - theirs) <= 0.02, (ours, theirs)


@pytest.mark.parametrize("slug", POSTS)
def test_post_listed_on_blog_index_with_excerpt(built_site, slug):
    index = (built_site / "blog" / "index.html").read_text(encoding="utf-8")
    assert f'href="{slug}/"' in index
    assert POSTS[slug] in _text(index)
    assert "Worked programs" in _text(index)
    assert "2026" in _text(index)
    # The excerpt stops at <!-- more -->: the code further down is not on the index.
    assert SHOWN[slug][0] not in _text(index)


def test_posts_in_category_and_archive(built_site):
    category = built_site / "blog" / "category" / "worked-programs" / "index.html"
    text = category.read_text(encoding="utf-8")
    # Archive pages are per year or per month depending on the blog's settings.
    archives = sorted((built_site / "blog" / "archive").rglob("index.html"))
    assert archives, "the blog has no archive pages"
    archive_text = "".join(page.read_text(encoding="utf-8") for page in archives)
    for slug in POSTS:
        assert f'href="../../{slug}/"' in text, f"{slug} missing from {category}"
        assert f"{slug}/" in archive_text, f"{slug} missing from the archive"


def test_posts_in_rss_feed(built_site):
    feeds = sorted(built_site.glob("feed_rss_*.xml"))
    assert feeds, "no RSS feed in the site"
    for feed in feeds:
        xml = feed.read_text(encoding="utf-8")
        for slug, title in POSTS.items():
            assert f"/blog/{slug}/</link>" in xml, f"{slug} missing from {feed.name}"
            assert title in xml


# --------------------------------------------------- small temporary sites


@pytest.fixture()
def mini_site(tmp_path) -> Path:
    return make_repo(tmp_path)


def write_ipynb(path: Path, cells: list[tuple[str, str]]) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    make = {
        "raw": nbformat.v4.new_raw_cell,
        "markdown": nbformat.v4.new_markdown_cell,
        "code": nbformat.v4.new_code_cell,
    }
    nb.cells = [make[kind](source) for kind, source in cells]
    nbformat.write(nb, str(path))


def test_cache_executes_only_what_changed(mini_site):
    posts = posts_dir(mini_site)
    (posts / "uses-a.py").write_text(
        percent_notebook(
            "Uses a",
            '# ```python\n# --8<-- "snippets/a.py:thrice"\n# ```',
            """
        import snippets
        from snippets.a import thrice
        import matplotlib.pyplot as plt
        print("thrice(2) =", thrice(2), "from", snippets.__file__)
        plt.plot([0, 1, 4]);
        plt.show()
        """,
        ),
        encoding="utf-8",
    )
    ipynb_cells = [
        ("raw", "---\ndate: 2026-01-03\ncategories: [Tests]\n---"),
        ("markdown", "# Uses c\n\nMath $y = x/2$.\n\n<!-- more -->"),
        (
            "code",
            "import os\nfrom snippets.c import half\nprint('half(3) =', half(3))\n"
            "print('cwd', os.getcwd())",
        ),
    ]
    write_ipynb(posts / "uses-c.ipynb", ipynb_cells)
    site = mini_site.parent / "site"

    first = build(mini_site)
    assert first.returncode == 0, first.log
    assert executed(first.log) == ["blog/posts/uses-a.py", "blog/posts/uses-c.ipynb"]
    post_a = site / "blog" / "2026" / "01" / "02" / "uses-a"
    page_a = _text((post_a / "index.html").read_text())
    page_c = (site / "blog" / "2026" / "01" / "03" / "uses-c" / "index.html").read_text()
    # This checkout's toy package was imported, not the installed one, whatever the cwd.
    assert f"thrice(2) = 6 from {mini_site / 'snippets' / '__init__.py'}" in page_a
    assert "def thrice(x):" in page_a  # the fenced --8<-- line was expanded
    assert "half(3) = 1.5" in _text(page_c)
    assert f"cwd {posts}" in _text(page_c)  # a notebook runs in its own folder
    assert 'class="arithmatex"' in page_c
    figure = re.search(r'src="([^"]+\.webp)"', (post_a / "index.html").read_text()).group(1)
    figure_bytes = (post_a / figure).read_bytes()
    pages = mini_site / ".cache" / "notebooks" / "pages" / "blog" / "posts"
    markdown_a = (pages / "uses-a.md").read_text(encoding="utf-8")

    unchanged = build(mini_site)
    assert unchanged.returncode == 0, unchanged.log
    assert executed(unchanged.log) == []
    assert "notebooks: executed 0, from cache 2" in unchanged.log

    # A module that uses-a.py imports only indirectly (a.py imports b.py).
    with open(mini_site / "snippets" / "b.py", "a", encoding="utf-8") as f:
        f.write("# an edit\n")
    after_module_edit = build(mini_site)
    assert after_module_edit.returncode == 0, after_module_edit.log
    assert executed(after_module_edit.log) == ["blog/posts/uses-a.py"]

    ipynb_cells[1] = ("markdown", "# Uses c\n\nEdited text.\n\n<!-- more -->")
    write_ipynb(posts / "uses-c.ipynb", ipynb_cells)
    after_notebook_edit = build(mini_site)
    assert after_notebook_edit.returncode == 0, after_notebook_edit.log
    assert executed(after_notebook_edit.log) == ["blog/posts/uses-c.ipynb"]

    # Executing again from scratch gives the same page, figure bytes included.
    entries = mini_site / ".cache" / "notebooks" / "entries"
    shutil.rmtree(entries)
    rerun = build(mini_site)
    assert rerun.returncode == 0, rerun.log
    assert len(executed(rerun.log)) == 2
    assert (pages / "uses-a.md").read_text(encoding="utf-8") == markdown_a
    assert (post_a / figure).read_bytes() == figure_bytes
    # Entries of superseded notebook versions were removed: one per notebook remains.
    assert len(list(entries.iterdir())) == 2


def test_raising_cell_fails_the_build_naming_post_and_cell(mini_site):
    (posts_dir(mini_site) / "broken.py").write_text(
        percent_notebook(
            "Broken",
            "x = 1",
            "# Some prose.",
            "y = x + 1\nraise ValueError('boom from a cell')",
            "print('never runs')",
        ),
        encoding="utf-8",
    )
    result = build(mini_site)
    assert result.returncode != 0
    assert "Notebook post 'blog/posts/broken.py' failed in cell 4 (line 18)" in result.log
    assert "'y = x + 1'" in result.log
    assert "ValueError: boom from a cell" in result.log
    assert not (mini_site.parent / "site" / "blog" / "2026").exists()


def test_cell_tags_and_unstable_output(mini_site):
    tagged = [
        ("raises-exception", 'raise KeyError("shown, not fatal")'),
        ("remove-input", 'print("output without its code")'),
        ("remove-output", 'print("code without its output")'),
        ("remove-cell", 'print("neither")'),
    ]
    text = percent_notebook(
        "Noisy", 'import sys\nprint("careful", file=sys.stderr)', "print(object())"
    )
    text += "".join(f'\n# %% tags=["{tag}"]\n{code}\n' for tag, code in tagged)
    (posts_dir(mini_site) / "noisy.py").write_text(text, encoding="utf-8")
    for attempt in ("executed", "from the cache"):  # the warnings hold on every build
        result = build(mini_site)
        assert result.returncode != 0, attempt  # --strict turns the warnings into a failure
        assert (
            "Notebook post 'blog/posts/noisy.py', cell 2 (line 12) wrote to stderr" in result.log
        ), attempt
        assert "cell 3 (line 16) prints a memory address" in result.log, attempt
    page = mini_site / ".cache" / "notebooks" / "pages" / "blog" / "posts" / "noisy.md"
    markdown = page.read_text(encoding="utf-8")
    assert "KeyError: 'shown, not fatal'" in markdown  # the allowed error's traceback
    assert "output without its code" in markdown
    assert 'print("output without its code")' not in markdown
    assert markdown.count("code without its output") == 1  # the source line only
    assert "neither" not in markdown


def test_missing_snippet_section_fails_the_build(mini_site):
    (posts_dir(mini_site) / "prose.py").write_text(
        percent_notebook("Prose", '# ```python\n# --8<-- "snippets/a.py:no_such_section"\n# ```'),
        encoding="utf-8",
    )
    result = build(mini_site)
    assert result.returncode != 0
    assert "no_such_section" in result.log


def test_notebook_without_front_matter_is_rejected(mini_site):
    (posts_dir(mini_site) / "bare.py").write_text(
        "# %% [markdown]\n# # No front matter\n\n# %%\nprint(1)\n", encoding="utf-8"
    )
    result = build(mini_site)
    assert result.returncode != 0
    assert "Notebook post 'blog/posts/bare.py' has no front matter" in result.log


@pytest.mark.parametrize(
    ("front", "names"),
    [
        ("date: 2026-02-30\n", ["2026-02-30"]),  # impossible date: PyYAML raises ValueError
        ("date: 2026-01-02\ntags: optimisation\n", ["key 'tags'", "list of strings"]),
        ("date: 2026-01-02\nauthors: [nobody]\n", ["key 'authors'", "'nobody'"]),
        ("date: 2026-01-02\nslug: ../../escape\n", ["key 'slug'", "../../escape"]),
        ("date: not a date\n", ["key 'date'"]),
        ("title: no date\n", ["key 'date'", "missing"]),
        ("date: 2026-01-02\ndraft: maybe\n", ["key 'draft'"]),
    ],
)
def test_bad_front_matter_fails_before_any_kernel_naming_notebook_and_key(mini_site, front, names):
    (posts_dir(mini_site) / "bad.py").write_text(
        percent_notebook("Bad", "print('ran')", front=front), encoding="utf-8"
    )
    (posts_dir(mini_site) / "good.py").write_text(
        percent_notebook("Good", "print('ran')"), encoding="utf-8"
    )
    result = build(mini_site)
    assert result.returncode != 0
    assert "Notebook post 'blog/posts/bad.py' has" in result.log, result.log
    for name in names:
        assert name in result.log, (name, result.log)
    assert "notebooks: executing" not in result.log, "a kernel ran before the check"
    assert "Traceback" not in result.log and ".cache" not in result.log


def test_broken_link_in_a_notebook_names_the_notebook(mini_site):
    (posts_dir(mini_site) / "links.py").write_text(
        percent_notebook("Links", "# See [the other post](missing-post.md).", "print(1)"),
        encoding="utf-8",
    )
    result = build(mini_site)
    assert result.returncode != 0
    assert "'blog/posts/links.py'" in result.log and "missing-post.md" in result.log
    assert "links.md" not in result.log and ".cache" not in result.log


def test_drafts_do_not_run_and_helpers_are_not_posts(mini_site):
    posts = posts_dir(mini_site)
    (posts / "_helper.py").write_text("VALUE = 41\n", encoding="utf-8")
    (posts / "uses-helper.py").write_text(
        percent_notebook("Uses helper", "from _helper import VALUE\nprint('value', VALUE + 1)"),
        encoding="utf-8",
    )
    (posts / "unfinished.py").write_text(
        percent_notebook(
            "Unfinished",
            "raise SystemExit('a draft must not run')",
            front="date: 2026-01-05\ndraft: true\n",
        ),
        encoding="utf-8",
    )
    result = build(mini_site)
    assert result.returncode == 0, result.log
    assert executed(result.log) == ["blog/posts/uses-helper.py"]
    assert "drafts skipped 1" in result.log
    site = mini_site.parent / "site"
    assert "value 42" in _text(
        (site / "blog" / "2026" / "01" / "02" / "uses-helper" / "index.html").read_text()
    )
    assert not list(site.rglob("unfinished*"))
    # the helper is published only beside the downloads of the post that imports it,
    # since the downloaded notebook needs it
    (helper,) = site.rglob("_helper.py")
    assert helper.parent.name == "uses-helper" and helper.read_text() == "VALUE = 41\n"
    # the only uses-helper.py is its download beside the page, not the author's file
    (script,) = [p for p in site.rglob("uses-helper.py")]
    assert script.parent.name == "uses-helper"
    assert script.read_bytes() != (posts / "uses-helper.py").read_bytes()
    assert "Running this notebook" in script.read_text(encoding="utf-8")
    # the helper is a dependency: editing it re-runs the post that imports it
    (posts / "_helper.py").write_text("VALUE = 1\n", encoding="utf-8")
    again = build(mini_site)
    assert executed(again.log) == ["blog/posts/uses-helper.py"], again.log


def test_every_jupyter_output_type_is_published(mini_site):
    (posts_dir(mini_site) / "outputs.py").write_text(
        percent_notebook(
            "Outputs",
            """
        from IPython.display import HTML, SVG, Latex, Markdown, display
        display(HTML('<table class="dataframe"><tr><th>a</th></tr><tr><td>1</td></tr></table>'))
        display(SVG('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30">'
                    '<rect width="40" height="30"/></svg>'))
        display(Latex(r"$$\\int_0^1 x\\,dx = \\tfrac12$$"))
        display(Markdown("**bold** and $a^2$"))
        """,
            """
        import io
        import matplotlib.pyplot as plt
        from IPython.display import Image, display
        fig, ax = plt.subplots(figsize=(2, 1))
        ax.plot([0, 1])
        buffer = io.BytesIO()
        fig.savefig(buffer, format="jpeg", dpi=50)
        plt.close(fig)
        display(Image(data=buffer.getvalue(), format="jpeg"))
        """,
        ),
        encoding="utf-8",
    )
    result = build(mini_site)
    assert result.returncode == 0, result.log
    folder = mini_site.parent / "site" / "blog" / "2026" / "01" / "02" / "outputs"
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert '<div class="nb-html">' in page and '<table class="dataframe">' in page
    assert "<strong>bold</strong>" in page
    assert page.count('class="arithmatex"') >= 2  # the LaTeX and the Markdown math
    images = re.findall(r'<img [^>]*src="([^"]*/figure-[0-9a-f]{16}\.(svg|jpg))"[^>]*>', page)
    assert sorted(suffix for _, suffix in images) == ["jpg", "svg"], page
    for src, _ in images:
        assert (folder / src).resolve().stat().st_size > 0, src
    svg = next(tag for tag in re.findall(r"<img [^>]*>", page) if ".svg" in tag)
    assert 'width="40"' in svg and 'height="30"' in svg, svg


def test_writing_inside_the_repository_fails_every_build(mini_site):
    (posts_dir(mini_site) / "writer.py").write_text(
        percent_notebook("Writer", "open('generated.md', 'w').write('# made by a notebook')"),
        encoding="utf-8",
    )
    for attempt in range(2):
        result = build(mini_site)
        assert result.returncode != 0, attempt
        assert "Notebook post 'blog/posts/writer.py'" in result.log
        assert "docs/blog/posts/generated.md" in result.log
        assert not (posts_dir(mini_site) / "generated.md").exists()


def test_a_subprocess_that_rewrites_a_page_fails_the_build_before_it_is_published(mini_site):
    """Past the kernel's audit hook (a shell writes, not Python): the build compares what
    it reads before and after the post ran, and fails naming the post and the file."""
    (posts_dir(mini_site) / "injector.py").write_text(
        percent_notebook(
            "Injector",
            "import subprocess\n"
            "subprocess.run(['sh', '-c', 'echo INJECTED >> ../../index.md'], check=True)",
        ),
        encoding="utf-8",
    )
    result = build(mini_site)
    assert result.returncode != 0, result.log
    assert "Notebook post 'blog/posts/injector.py' changed the repository" in result.log
    assert "docs/index.md (changed)" in result.log, result.log
    assert not (mini_site.parent / "site" / "index.html").exists()


def test_a_notebook_and_a_markdown_post_of_the_same_name_fail_before_running(mini_site):
    posts = posts_dir(mini_site)
    (posts / "clash.py").write_text(
        percent_notebook("Clash", "print('ran')", slug="clash-nb"), encoding="utf-8"
    )
    (posts / "clash.md").write_text("---\ndate: 2026-01-02\n---\n# Clash\n", encoding="utf-8")
    result = build(mini_site)
    assert result.returncode != 0
    assert (
        "Notebook post 'blog/posts/clash.py' and 'blog/posts/clash.md' would both become"
        in result.log
    ), result.log
    assert "notebooks: executing" not in result.log, "a kernel ran before the clash was reported"


def test_a_py_and_an_ipynb_of_the_same_name_fail_before_running(mini_site):
    """jupytext pairs x.py with x.ipynb: both would become x.md, and one post was lost."""
    import jupytext

    posts = posts_dir(mini_site)
    text = percent_notebook("Pair one", "print('one')", slug="pair-one")
    (posts / "pair.py").write_text(text, encoding="utf-8")
    other = jupytext.reads(text.replace("pair-one", "pair-two"), fmt="py:percent")
    jupytext.write(other, posts / "pair.ipynb")
    result = build(mini_site)
    assert result.returncode != 0, result.log
    named = re.search(
        r"Notebook post '(\S+)' and '(\S+)' would both become the page (\S+)", result.log
    )
    assert named, result.log
    assert sorted(named.groups()[:2]) == ["blog/posts/pair.ipynb", "blog/posts/pair.py"]
    assert named.group(3) == "blog/posts/pair.md"
    assert "notebooks: executing" not in result.log, "a kernel ran before the clash was reported"


# ------------------------------------------- third-party behaviour pinned


def test_pinned_jupytext_header_becomes_first_raw_cell():
    import jupytext

    nb = jupytext.reads(
        "# ---\n# date: 2026-01-02\n# tags: [a]\n# ---\n\n# %%\nx = 1\n", fmt="py:percent"
    )
    first = nb.cells[0]
    assert first.cell_type == "raw"
    assert first.source.strip() == "---\ndate: 2026-01-02\ntags: [a]\n---"
    assert nb.cells[1].cell_type == "code"


def test_pinned_plugin_runs_before_the_blog_collects_posts():
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    order = [
        getattr(method, "__module__", "") or type(method.__self__).__module__
        for method in config.plugins.events["files"]
    ]
    notebooks = order.index("tested_blog.notebooks.plugin")
    blog = next(i for i, m in enumerate(order) if m.startswith("material.plugins.blog"))
    assert notebooks < blog, order


def test_pinned_blog_plugin_reads_the_generated_post(mini_site):
    """on_files turns a notebook into a generated .md File the blog plugin takes as a post.

    Markdown-only notebook: no kernel is started, so this runs in well under a second.
    """
    from mkdocs.commands.build import get_files
    from mkdocs.config import load_config

    (posts_dir(mini_site) / "note.py").write_text(
        percent_notebook("A note", "# Text with $x$.", slug="a-note"), encoding="utf-8"
    )
    config = load_config(str(mini_site / "mkdocs.yml"), site_dir=str(mini_site.parent / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        config = config.plugins.on_config(config)
        files = config.plugins.on_files(get_files(config), config=config)
        assert files.get_file_from_path("blog/posts/note.py") is None
        page = files.get_file_from_path("blog/posts/note.md")
        assert page is not None and page.is_documentation_page()
        assert page.generated_by and Path(page.abs_src_path).is_relative_to(mini_site / ".cache")
        posts = config.plugins["material/blog"].blog.posts
        assert [post.file for post in posts] == [page]
        assert posts[0].meta["categories"] == ["Tests"]
        assert posts[0].config.slug == "a-note"
        assert posts[0].markdown.startswith("# A note")
        assert posts[0].url.endswith("a-note/")
    finally:
        config.plugins.on_shutdown()


def test_hook_works_inside_a_running_event_loop(mini_site):
    """A build started from code that already runs an asyncio loop (Playwright's sync API in
    the same test process, a Jupyter kernel) still executes notebooks: the hook must not
    call asyncio.run on the caller's thread. The loop runs on a thread of its own here, so
    this test does not depend on what else the test process has running."""
    import asyncio
    import threading

    errors: list[BaseException] = []

    async def build_inside_loop():
        try:
            test_pinned_blog_plugin_reads_the_generated_post(mini_site)
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)

    thread = threading.Thread(target=asyncio.run, args=(build_inside_loop(),))
    thread.start()
    thread.join(timeout=300)
    assert not thread.is_alive(), "the build inside an event loop did not finish"
    assert not errors, f"build inside a running event loop failed: {errors[0]!r}"
