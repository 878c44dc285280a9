"""An executed notebook as a Markdown blog post, its figures as separate image files.

``render`` is a pure function of the executed notebook (nbformat JSON as a dict): it
returns the Markdown, the figure files to publish beside the page, and the warnings a
strict build turns into errors. nbconvert supplies what Jupyter tooling agrees on: which
cells the ``remove-cell``/``remove-input``/``remove-output`` tags hide
(``TagRemovePreprocessor``), which representation of an output to show
(``DataTypeFilter``, the order nbconvert's HTML export uses) and ANSI stripping. The
Markdown is the site's own, so the blog plugin, arithmatex and pymdownx see a post like
any other:

* code: a ``python`` fence with ``EXECUTED_MARK`` under it (embeds in Markdown cells
  get their "tested by" line from the ``tested/code`` plugin);
* text output: a ``text`` fence titled "Output";
* ``text/html`` (a DataFrame, say): the HTML, in a ``div.nb-html`` the site's CSS styles;
* ``image/png``, ``image/jpeg``, ``image/svg+xml``: a content-addressed file next to the
  page, shown with width, height and alt text (the cell's ``alt`` metadata when it has
  one); every figure but the first is loaded lazily (the first may be the largest thing on
  screen, which a browser should not wait to fetch). A PNG is published as lossless WebP,
  the same pixels, when that file is smaller (a third of the size for matplotlib's
  figures);
* ``text/markdown`` and ``text/latex``: Markdown, so ``$…$`` goes through the site's math;
* an error, in a cell tagged ``raises-exception``: its traceback, titled "Error".
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import struct
from dataclasses import dataclass, field

from .. import sections

ADDRESS = re.compile(r"\bat 0x[0-9a-fA-F]{6,}\b")
PRIORITY = [
    "text/html",
    "text/latex",
    "image/svg+xml",
    "image/png",
    "image/jpeg",
    "text/markdown",
    "text/plain",
]
IMAGE_SUFFIX = {"image/png": ".png", "image/jpeg": ".jpg", "image/svg+xml": ".svg"}


def as_webp(png: bytes) -> bytes | None:
    """The PNG as lossless WebP (the same pixels), or None when that is not smaller."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        out = io.BytesIO()
        image.save(out, format="WEBP", lossless=True, quality=100, method=6, exact=True)
    webp = out.getvalue()
    return webp if len(webp) < len(png) else None


TEXT_TYPES = ("text/html", "text/latex", "text/markdown", "text/plain")
# Under each shown code cell: what is on the page below it came from running it in a build
# (an entry of the cache is used only while everything the run depended on is unchanged).
EXECUTED_MARK = "Executed when the site was built\n{: .nb-executed data-search-exclude }\n"


@dataclass
class Rendered:
    markdown: str
    figures: dict[str, bytes] = field(default_factory=dict)  # file name -> bytes
    warnings: list[str] = field(default_factory=list)


class OutputTooLarge(Exception):
    """A cell printed more text than a page should carry."""


class UnbalancedHTML(Exception):
    """A cell's HTML output leaves an element open or closes one it never opened: the
    Markdown after it would be swallowed into that HTML and published as raw text."""


# Elements with no end tag, and those whose end tag HTML lets an author leave out.
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
_VOID |= {"track", "wbr", "param"}
_OPTIONAL_END = {"p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option"}
_OPTIONAL_END |= {"colgroup", "caption", "rt", "rp", "optgroup"}


def unbalanced(payload: str) -> str | None:
    """What in an HTML output is left open or closed without opening, or None."""
    from html.parser import HTMLParser

    stack: list[str] = []
    wrong: list[str] = []

    class Balance(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag not in _VOID:
                stack.append(tag)

        def handle_startendtag(self, tag, attrs):
            pass  # <x/>: opened and closed

        def handle_endtag(self, tag):
            if tag in _VOID:
                return
            if tag not in stack:
                wrong.append(f"</{tag}> closes an element never opened")
                return
            while stack and stack[-1] != tag:  # only optional end tags may be left out
                left = stack.pop()
                if left not in _OPTIONAL_END:
                    wrong.append(f"<{left}> is never closed")
            stack.pop()

    parser = Balance(convert_charrefs=True)
    parser.feed(payload)
    parser.close()
    wrong += [f"<{tag}> is never closed" for tag in stack if tag not in _OPTIONAL_END]
    return "; ".join(dict.fromkeys(wrong)) or None


def _joined(value: str | list[str]) -> str:
    return value if isinstance(value, str) else "".join(value)


def fence(text: str, info: str) -> str:
    """``text`` in a backtick fence longer than any backtick run inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{info}\n{text.rstrip()}\n{ticks}\n"


def literal(text: str) -> str:
    """Printed text as the page must show it: terminal colour codes removed, and each line
    that pymdownx.snippets would read as an embed escaped with its ``;``, so the output is
    never replaced by the code of a file."""
    from nbconvert.filters import strip_ansi

    lines = strip_ansi(text).split("\n")
    return "\n".join(_escape_embed(line) for line in lines)


def _escape_embed(line: str) -> str:
    match = sections.REFERENCE.match(line) if "8<-" in line else None
    if match is None or match.group("escape"):
        return line
    return match.group("space") + ";" + line[len(match.group("space")) :]


def image_size(mime: str, data: bytes) -> tuple[float, float] | None:
    """Pixel width and height read from the image's own header, when it states them."""
    if mime == "image/png" and data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        return struct.unpack(">II", data[16:24])
    if mime == "image/jpeg":
        at = 2
        while at + 9 < len(data) and data[at] == 0xFF:
            marker, length = data[at + 1], struct.unpack(">H", data[at + 2 : at + 4])[0]
            if marker in (0xC0, 0xC1, 0xC2):  # start of frame: height then width
                height, width = struct.unpack(">HH", data[at + 5 : at + 9])
                return width, height
            at += 2 + length
        return None
    if mime == "image/svg+xml":
        root = re.search(rb"<svg\b[^>]*>", data)
        if root is None:
            return None
        dims = [
            re.search(rb'\b%s="([0-9.]+)(pt|px)?"' % k, root.group(0))
            for k in (b"width", b"height")
        ]
        if all(dims):
            found = [d for d in dims if d is not None]
            scale = [4 / 3 if d.group(2) == b"pt" else 1 for d in found]
            return float(found[0].group(1)) * scale[0], float(found[1].group(1)) * scale[1]
    return None


class _Renderer:
    def __init__(self, name: str, figure_dir: str, max_output: int, where) -> None:
        from nbconvert.filters import DataTypeFilter

        self.name = name  # the post, as messages name it
        self.figure_dir = figure_dir
        self.max_output = max_output
        self.where = where  # cell number -> "cell N (line L)"
        self.choose = DataTypeFilter(display_data_priority=PRIORITY)
        self.rendered = Rendered("")
        self.figure_count = 0

    def image(self, mime: str, payload: str, meta: dict, cell: dict, cell_no: int) -> str:
        data = payload.encode() if mime == "image/svg+xml" else base64.b64decode(payload)
        self.figure_count += 1
        size = meta.get(mime, {}) if isinstance(meta.get(mime), dict) else {}
        width, height = size.get("width"), size.get("height")
        if width is None or height is None:
            found = image_size(mime, data)
            if found is not None:
                width, height = found
        suffix = IMAGE_SUFFIX[mime]
        if mime == "image/png" and (webp := as_webp(data)) is not None:
            data, suffix = webp, ".webp"
        name = f"figure-{hashlib.sha256(data).hexdigest()[:16]}{suffix}"
        self.rendered.figures[name] = data
        alt = cell.get("metadata", {}).get("alt")
        if not isinstance(alt, str) or not alt.strip():
            alt = f"Figure {self.figure_count}: output of cell {cell_no}"
        attrs = "".join(
            f' {k}="{round(float(v))}"'
            for k, v in (("width", width), ("height", height))
            if v is not None
        )
        alt_md = alt.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
        lazy = ' loading="lazy"' if self.figure_count > 1 else ""
        return f"![{alt_md}]({self.figure_dir}/{name}){{ .nb-figure{lazy}{attrs} }}\n"

    def output(self, output: dict, cell: dict, cell_no: int) -> str:

        kind = output["output_type"]
        if kind == "stream":
            text = _joined(output["text"])
            if output.get("name") == "stderr":
                self.rendered.warnings.append(
                    f"Notebook post '{self.name}', {self.where(cell_no)} wrote to stderr:\n"
                    f"{text.strip()}"
                )
            return fence(literal(text), 'text title="Output"') if text.strip() else ""
        if kind == "error":  # only in cells tagged raises-exception
            return fence(literal("\n".join(output["traceback"])), 'text title="Error"')
        data, meta = output.get("data", {}), output.get("metadata", {})
        chosen = self.choose(data)
        if not chosen:
            return ""
        mime = chosen[0]
        payload = _joined(data[mime])
        if mime in IMAGE_SUFFIX:
            return self.image(mime, payload, meta, cell, cell_no)
        if mime == "text/html":
            if why := unbalanced(payload):
                raise UnbalancedHTML(f"{self.where(cell_no)} shows HTML in which {why}")
            return f'<div class="nb-html">\n{payload.strip()}\n</div>\n'
        if mime in ("text/markdown", "text/latex"):
            return payload.strip() + "\n"
        return fence(literal(payload), 'text title="Output"')

    def check(self, outputs: list[dict], cell_no: int) -> None:
        size = 0
        for output in outputs:
            text = _joined(output.get("text", "")) + "".join(
                _joined(output.get("data", {}).get(t, "")) for t in TEXT_TYPES
            )
            size += len(text.encode("utf-8"))
            if found := ADDRESS.search(text):
                self.rendered.warnings.append(
                    f"Notebook post '{self.name}', {self.where(cell_no)} prints a memory "
                    f"address ({found.group(0)}), so its page changes on every run; end the "
                    "line with ';' or call plt.show()"
                )
        if size > self.max_output:
            raise OutputTooLarge(
                f"{self.where(cell_no)} printed {size:,} bytes of text, more than the "
                f"{self.max_output:,} a page may carry (max_output of tested/notebooks in"
                " mkdocs.yml); print a summary instead"
            )


def render(
    notebook: dict,
    *,
    front_matter: str,
    name: str,
    figure_dir: str,
    max_output: int,
    where=lambda n: f"cell {n}",
) -> Rendered:
    """The post as Markdown. ``notebook``: the executed cells (front matter removed);
    ``figure_dir``: where the page links its figures, relative to the page's source;
    ``where(n)``: how messages name cell ``n`` (counted from 1)."""
    import nbformat
    from nbconvert.preprocessors import TagRemovePreprocessor

    renderer = _Renderer(name, figure_dir, max_output, where)
    nb = nbformat.from_dict(notebook)
    numbered = list(enumerate(nb.cells, start=1))
    for cell_no, cell in numbered:  # hidden output still must not be unstable or huge
        renderer.check(cell.get("outputs", []), cell_no)
    tags = TagRemovePreprocessor(
        remove_cell_tags={"remove-cell"},
        remove_input_tags={"remove-input"},
        remove_all_outputs_tags={"remove-output"},
    )
    parts = [front_matter.strip() + "\n"]
    for cell_no, cell in numbered:
        if cell.cell_type == "raw" or not tags.check_cell_conditions(cell, {}, cell_no):
            continue
        cell, _ = tags.preprocess_cell(cell, {}, cell_no)
        if cell.cell_type == "markdown":
            parts.append(cell.source.rstrip() + "\n")
            continue
        hidden = cell.metadata.get("transient", {}).get("remove_source", False)
        if cell.source.strip() and not hidden:
            parts.extend([fence(cell.source, "python"), EXECUTED_MARK])
        parts.extend(renderer.output(o, cell, cell_no) for o in cell.get("outputs", []))
    renderer.rendered.markdown = "\n".join(p for p in parts if p)
    return renderer.rendered
