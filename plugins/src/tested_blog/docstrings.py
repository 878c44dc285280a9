"""Where a piece of the API reference comes from: the docstring, file and line holding it.

The reference page (``docs/reference.md``) is ``::: module`` lines that mkdocstrings fills
with the package's docstrings, so a problem found in its HTML, such as a TeX error, is
the author's to fix in a ``.py`` file, not in the page. griffe (the loader mkdocstrings
uses) reads the modules statically, as the build did.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

# `::: identifier` lines of a page's Markdown (mkdocstrings' autodoc syntax)
AUTODOC = re.compile(r"^[ \t]*:::[ \t]+([\w.]+)", re.M)


def documented(markdown: str) -> list[str]:
    """The identifiers a page's Markdown has mkdocstrings document, in order."""
    return list(dict.fromkeys(AUTODOC.findall(markdown)))


def _objects(obj) -> Iterator:
    yield obj
    for member in obj.members.values():
        if not member.is_alias:  # an imported name: documented where it is defined
            yield from _objects(member)


def origins(text: str, identifiers: Iterable[str], root: Path) -> list[str]:
    """``"<file>, line <n>, the docstring of <object>"`` for each docstring, under the
    documented ``identifiers``, that contains ``text``; files relative to ``root``, which
    is where the modules are imported from. Empty when none does."""
    import griffe

    found = []
    for identifier in identifiers:
        package, _, rest = identifier.partition(".")
        try:
            # not a folder of that name in the working directory: the modules under root
            top = griffe.load(package, search_paths=[str(root)], try_relative_path=False)
            obj = top[rest] if rest else top
        except Exception:  # noqa: BLE001 - not loadable: mkdocstrings has said so already
            continue
        for item in _objects(obj):
            doc = item.docstring
            if doc is None or text not in doc.value or doc.lineno is None:
                continue
            line = doc.lineno + doc.value[: doc.value.index(text)].count("\n")
            path = Path(item.filepath)
            where = path.relative_to(root).as_posix() if path.is_relative_to(root) else path
            found.append(f"{where}, line {line}, the docstring of {item.path}")
    return list(dict.fromkeys(found))
