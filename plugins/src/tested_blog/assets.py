"""The stylesheets and scripts the plugins ship, published with the site that uses them.

A plugin that writes markup needs its styles (and the quiz its script) on every page, in
any blog, without the author copying files. Each plugin keeps its files in an ``assets/``
folder of its package and calls ``link`` from ``on_config`` (the page templates link the
files: mkdocs.yml's ``extra_css`` and ``extra_javascript``, after the author's own) and
``publish`` from ``on_files`` (the files are written to the site under ``PREFIX``).

A file of the same path under docs/ (``docs/assets/tested-blog/reader.css``) replaces the
shipped one: the author's copy wins, as a theme override would.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.resources import files as package_files
from pathlib import Path

from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

PREFIX = "assets/tested-blog/"


def shipped(package: str, names: Iterable[str]) -> list[Path]:
    """The files ``names`` of ``package``'s ``assets/`` folder, each one checked to exist."""
    folder = Path(str(package_files(package).joinpath("assets")))
    paths = [folder / name for name in names]
    for path in paths:
        if not path.is_file():  # a broken installation, never the author's doing
            raise FileNotFoundError(f"{package} ships no {path.name} (looked in {folder})")
    return paths


def link(config: MkDocsConfig, paths: Iterable[Path]) -> None:
    """Link each shipped ``.css`` and ``.js`` file from every page, once."""
    styles = {str(s) for s in config.extra_css}
    scripts = {str(s) for s in config.extra_javascript}
    for path in paths:
        uri = PREFIX + path.name
        if path.suffix == ".css" and uri not in styles:
            config.extra_css.append(uri)
        elif path.suffix == ".js" and uri not in scripts:
            config.extra_javascript.append(ExtraScriptValue(uri))


def publish(config: MkDocsConfig, files: Files, paths: Iterable[Path]) -> None:
    """Add each shipped file to the site, unless docs/ has a file of the same path."""
    for path in paths:
        uri = PREFIX + path.name
        if files.get_file_from_path(uri) is None:
            files.append(File.generated(config, uri, abs_src_path=str(path)))
