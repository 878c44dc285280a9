"""tested_blog.notebooks.render: an executed notebook (a plain dict) as a Markdown post."""

from __future__ import annotations

import base64
import hashlib
import io
import re
import struct
import zlib

import nbformat
import numpy as np
import pytest
from PIL import Image
from tested_blog.notebooks.render import (
    EXECUTED_MARK,
    OutputTooLarge,
    image_size,
    render,
)

v4 = nbformat.v4


def png(width: int, height: int) -> bytes:
    """A valid grey PNG of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\0" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def jpeg(width: int, height: int) -> bytes:
    from PIL import Image  # matplotlib's dependency

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format="JPEG")
    return buffer.getvalue()


def notebook(*cells) -> dict:
    nb = v4.new_notebook()
    nb.cells = list(cells)
    return nb


def code(source: str, *outputs, tags: list[str] | None = None, **metadata):
    cell = v4.new_code_cell(source, outputs=list(outputs))
    if tags:
        cell.metadata["tags"] = tags
    cell.metadata.update(metadata)
    return cell


def show(data: dict, metadata: dict | None = None):
    return v4.new_output("display_data", data=data, metadata=metadata or {})


def run(nb: dict, max_output: int = 10_000):
    return render(
        nb,
        front_matter="---\ndate: 2026-01-01\n---",
        name="blog/posts/p.py",
        figure_dir="p",
        max_output=max_output,
    )


def test_front_matter_markdown_and_code_in_fences():
    out = run(
        notebook(
            v4.new_markdown_cell("# Title\n\n$x^2$"),
            code("print('hi')", v4.new_output("stream", name="stdout", text="hi\n")),
        )
    )
    assert out.markdown.startswith("---\ndate: 2026-01-01\n---\n")
    assert "# Title\n\n$x^2$" in out.markdown
    assert "```python\nprint('hi')\n```" in out.markdown
    assert '```text title="Output"\nhi\n```' in out.markdown
    assert out.figures == {} and out.warnings == []


def test_every_shown_code_cell_is_marked_executed_right_under_its_code():
    out = run(
        notebook(
            v4.new_markdown_cell("Text."),
            code("a = 1", v4.new_output("stream", name="stdout", text="1\n")),
            code("b = 2", tags=["remove-input"]),
            code("c = 3", tags=["remove-cell"]),
            code("d = 4"),
        )
    )
    assert out.markdown.count(EXECUTED_MARK) == 2  # not for hidden input or a hidden cell
    first = out.markdown.index("```python\na = 1\n```\n")
    assert out.markdown.index(EXECUTED_MARK) > first
    assert out.markdown.index(EXECUTED_MARK) < out.markdown.index('```text title="Output"')
    assert out.markdown.rstrip().endswith("d = 4\n```\n\n" + EXECUTED_MARK.rstrip())


def test_the_executed_mark_is_one_paragraph_with_its_class():
    import markdown

    html = markdown.markdown(
        "```python\nx\n```\n\n" + EXECUTED_MARK, extensions=["attr_list", "pymdownx.superfences"]
    )
    assert '<p class="nb-executed" data-search-exclude' in html
    assert len(re.findall(r"<p[ >]", html)) == 1
    assert "Executed when the site was built</p>" in html


def test_html_wins_over_plain_text_like_a_dataframe_in_jupyter():
    table = '<table class="dataframe"><tr><td>1</td></tr></table>'
    out = run(notebook(code("df", show({"text/html": table, "text/plain": "   a\n0  1"}))))
    assert f'<div class="nb-html">\n{table}\n</div>' in out.markdown
    assert "0  1" not in out.markdown


@pytest.mark.parametrize(
    ("mime", "payload", "size", "suffix"),
    [
        ("image/png", base64.b64encode(png(40, 20)).decode(), (40, 20), ".webp"),
        ("image/jpeg", base64.b64encode(jpeg(30, 10)).decode(), (30, 10), ".jpg"),
        (
            "image/svg+xml",
            '<svg xmlns="http://www.w3.org/2000/svg" width="12pt" height="6pt"/>',
            (16, 8),
            ".svg",
        ),
    ],
)
def test_images_become_content_addressed_files_with_size_and_alt(mime, payload, size, suffix):
    out = run(notebook(code("fig", show({mime: payload, "text/plain": "<Figure>"}))))
    ((name, data),) = out.figures.items()
    assert name.startswith("figure-") and name.endswith(suffix)
    assert hashlib.sha256(data).hexdigest()[:16] in name
    if suffix == ".webp":
        with Image.open(io.BytesIO(data)) as image:
            assert image.size == size
    else:
        assert image_size(mime, data) == pytest.approx(size)
    assert (
        f"![Figure 1: output of cell 1](p/{name}){{ .nb-figure "
        f'width="{size[0]}" height="{size[1]}" }}'
    ) in out.markdown
    assert "base64" not in out.markdown and "<Figure>" not in out.markdown
    again = run(notebook(code("other source", show({mime: payload}))))
    assert list(again.figures) == [name]  # same bytes, same file


def test_a_png_is_published_as_lossless_webp_only_when_that_is_smaller():
    rng = np.random.default_rng(0)
    flat, noise = np.full((20, 40, 4), 128, np.uint8), rng.integers(0, 256, (20, 40, 4))
    suffixes = []
    for pixels in (flat, noise):
        raw = io.BytesIO()
        Image.fromarray(pixels.astype(np.uint8), "RGBA").save(raw, format="PNG")
        out = run(
            notebook(code("fig", show({"image/png": base64.b64encode(raw.getvalue()).decode()})))
        )
        ((name, data),) = out.figures.items()
        with Image.open(io.BytesIO(data)) as image:
            np.testing.assert_array_equal(np.asarray(image.convert("RGBA")), pixels)  # lossless
        assert len(data) <= len(raw.getvalue())
        suffixes.append(name.rsplit(".", 1)[1])
    # flat grey is smaller as WebP; random noise is not, and its PNG is kept
    assert suffixes == ["webp", "png"]


def test_the_first_figure_loads_at_once_the_others_lazily():
    first, second = (base64.b64encode(png(40 + i, 20)).decode() for i in range(2))
    out = run(
        notebook(code("a", show({"image/png": first})), code("b", show({"image/png": second})))
    )
    lines = [line for line in out.markdown.splitlines() if ".nb-figure" in line]
    assert len(lines) == 2
    assert "loading" not in lines[0] and 'loading="lazy"' in lines[1]


def test_shown_size_from_metadata_and_alt_from_the_cell():
    data = base64.b64encode(png(200, 100)).decode()
    cell = code(
        "fig",
        show({"image/png": data}, {"image/png": {"width": 100, "height": 50}}),
        alt="Loss against step",
    )
    out = run(notebook(cell))
    assert "![Loss against step](p/" in out.markdown
    assert 'width="100" height="50"' in out.markdown


def test_latex_and_markdown_reprs_go_through_the_site_math():
    out = run(
        notebook(
            code("sym", show({"text/latex": "$$x^2$$", "text/plain": "x**2"})),
            code("md", show({"text/markdown": "**b** $y$", "text/plain": "b"})),
        )
    )
    assert "\n$$x^2$$\n" in out.markdown and "\n**b** $y$\n" in out.markdown
    assert "x**2" not in out.markdown.replace("```python\nsym", "")


def test_tags_hide_cells_inputs_and_outputs_and_show_allowed_errors():
    err = v4.new_output(
        "error", ename="KeyError", evalue="'k'", traceback=["\x1b[31mKeyError\x1b[0m: 'k'"]
    )
    out = run(
        notebook(
            code(
                "secret()",
                v4.new_output("stream", name="stdout", text="hidden\n"),
                tags=["remove-cell"],
            ),
            code(
                "quiet()",
                v4.new_output("stream", name="stdout", text="only output\n"),
                tags=["remove-input"],
            ),
            code(
                "loud()",
                v4.new_output("stream", name="stdout", text="no output\n"),
                tags=["remove-output"],
            ),
            code("boom()", err, tags=["raises-exception"]),
        )
    )
    md = out.markdown
    assert "secret" not in md and "hidden" not in md
    assert "quiet()" not in md and "only output" in md
    assert "loud()" in md and "no output" not in md
    assert "```text title=\"Error\"\nKeyError: 'k'\n```" in md  # ANSI colours stripped


def test_stderr_and_memory_addresses_are_warnings_even_in_hidden_cells():
    out = run(
        notebook(
            code("warn()", v4.new_output("stream", name="stderr", text="careful\n")),
            code(
                "obj()",
                show({"text/plain": "<object object at 0x7f3a2b1c9d80>"}),
                tags=["remove-cell"],
            ),
        )
    )
    assert any("cell 1 wrote to stderr:\ncareful" in w for w in out.warnings), out.warnings
    assert any("cell 2 prints a memory address (at 0x7f3a2b1c9d80)" in w for w in out.warnings), (
        out.warnings
    )
    assert all(w.startswith("Notebook post 'blog/posts/p.py', cell ") for w in out.warnings)


def test_text_output_over_the_limit_names_the_cell():
    big = v4.new_output("stream", name="stdout", text="x" * 2000)
    with pytest.raises(OutputTooLarge, match=r"cell 2 printed 2,000 bytes .* 1,000"):
        run(notebook(code("ok()"), code("spam()", big)), max_output=1000)


def test_backticks_in_output_get_a_longer_fence():
    out = run(notebook(code("p()", v4.new_output("stream", name="stdout", text="```\n"))))
    assert '````text title="Output"\n```\n````' in out.markdown


def test_printed_text_is_published_literally_never_as_an_embed_or_colour_codes():
    """Found by a review: a printed line like an embed was replaced by the code of the file
    it named (with a "tested by" line), and colour codes reached the page as raw bytes."""
    printed = (
        '--8<-- "snippets/activations.py:relu"\n  --8<--\n'
        "\x1b[31mred\x1b[0m plain\n;--8<-- already escaped\n"
    )
    cell = code(
        "print(...)",
        v4.new_output("stream", name="stdout", text=printed),
        show({"text/plain": '--8<-- "snippets/a.py"'}),
    )
    markdown = run(notebook(cell)).markdown
    assert ';--8<-- "snippets/activations.py:relu"' in markdown
    assert "  ;--8<--\n" in markdown  # a block marker, at its indentation
    assert ';--8<-- "snippets/a.py"' in markdown
    assert "\x1b" not in markdown and "red plain" in markdown
    assert ";--8<-- already escaped" in markdown and ";;--8<--" not in markdown


def test_html_output_that_leaves_an_element_open_is_refused_naming_the_cell():
    """Found by a review: an unclosed <div> swallowed the rest of the page as raw text."""
    from tested_blog.notebooks.render import UnbalancedHTML

    with pytest.raises(UnbalancedHTML, match=r"cell 1 shows HTML in which <div> is never closed"):
        run(notebook(code("HTML(...)", show({"text/html": "<div><p>unclosed div"}))))
    with pytest.raises(UnbalancedHTML, match="</span> closes an element never opened"):
        run(notebook(code("HTML(...)", show({"text/html": "text</span>"}))))
    # void elements, self-closing tags and end tags HTML lets one leave out are fine
    fine = "<table><tr><td>1<td>2</table><p>a<p>b<br><img src='x.png' alt=''><svg><path/></svg>"
    assert '<div class="nb-html">' in run(notebook(code("x", show({"text/html": fine})))).markdown
