"""The site of a mkdocs.yml built by Zensical, with the tested-blog plugins' work done around it.

Zensical (the successor of Material for MkDocs) reads mkdocs.yml but runs no MkDocs plugin
or hook, and skips them without a word. ``build`` therefore runs the plugins' work as
passes (``tested_blog.passes``) around it:

1. the pre-build pass stages docs/ into ``.cache/zensical/docs`` (notebook posts executed
   and written as Markdown posts, embeds checked, tested-by lines added);
2. Zensical builds the staged pages from a configuration written beside them
   (``tested_blog.zensical.config``) into ``.cache/zensical/site``;
3. the post-build pass typesets the math, adds the pages' security policy and checks that
   every staged page was published whole;
4. only then does the result replace the site folder: a failed build publishes nothing.

Every message names the file the author edits. ``python -m tested_blog.zensical`` is the
command.
"""

from __future__ import annotations

import importlib.metadata
import logging
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError

from .. import INSTALL_ZENSICAL
from ..notebooks import pipeline
from ..passes import BuildError, finish, stage
from .config import engine_config, write

TESTED_VERSION = "0.0.73"  # the Zensical release this adapter is tested against
WORK = Path(".cache") / "zensical"  # relative to mkdocs.yml's folder
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def zensical_version() -> str:
    """The installed Zensical's version; raises ``BuildError`` when there is none."""
    try:
        return importlib.metadata.version("zensical")
    except importlib.metadata.PackageNotFoundError:
        raise BuildError(
            f"Zensical is not installed: {INSTALL_ZENSICAL} (zensical=={TESTED_VERSION})"
        ) from None


def build(
    config_file: Path,
    *,
    site_dir: Path | None = None,
    strict: bool | None = None,
    say: Callable[[str], None] = print,
) -> None:
    """Build the site of ``config_file`` with Zensical into ``site_dir`` (mkdocs.yml's
    ``site_dir`` by default). ``strict`` (mkdocs.yml's ``strict`` by default) makes every
    warning an error. Raises ``BuildError`` naming the author's files."""
    started = time.monotonic()
    version = zensical_version()
    if version != TESTED_VERSION:
        say(f"WARNING - tested with Zensical {TESTED_VERSION}; this is Zensical {version}")
    logged = Logged()  # what MkDocs' loader and the hooks warn about, as MkDocs counts it
    logging.getLogger("mkdocs").addHandler(logged)
    try:
        try:
            config = load_config(config_file=str(config_file))
        except (ConfigurationError, Abort) as exc:
            raise BuildError(f"{config_file}: {exc}") from None
        strict = bool(config.strict) if strict is None else strict
        work = Path(config.config_file_path).resolve().parent / WORK
        staged = stage(config, work / "docs")
        for note in staged.notes:
            say(f"INFO - {note}")
        written = work / "mkdocs.yml"
        write(engine_config(config, staged, "site"), written)
    finally:
        logging.getLogger("mkdocs").removeHandler(logged)
    staged.warnings = logged.messages + staged.warnings
    if (work / "site").exists():
        shutil.rmtree(work / "site")
    done = subprocess.run(
        [sys.executable, "-m", "zensical", "build", "-f", str(written)]
        + (["--strict"] if strict else []),
        cwd=Path(config.config_file_path).resolve().parent,
        capture_output=True,
        text=True,
    )
    output = without_traceback(ANSI.sub("", done.stdout + done.stderr))
    for page in staged.pages.values():  # a generated page: the notebook its author edits
        if page.uri != page.author:
            output = output.replace(page.uri, page.author)
    if done.returncode != 0:
        raise BuildError(f"Zensical failed (exit {done.returncode}):\n{output.strip()}")
    say(output.strip())
    warnings = staged.warnings + finish(work / "site", staged, config)
    for warning in warnings:
        say(f"WARNING - {warning}")
    if strict and warnings:
        raise BuildError(f"Aborted with {len(warnings)} warnings in strict mode")
    target = Path(site_dir) if site_dir is not None else Path(config.site_dir)
    if target.exists():
        shutil.rmtree(target)
    shutil.move(str(work / "site"), str(target))
    notebooks = config.plugins.get("tested/notebooks")
    if staged.notebooks is not None and notebooks is not None:
        pipeline.prune(notebooks.cache_dir(config), staged.notebooks)
    say(f"INFO - Built {target} with Zensical {version} in {time.monotonic() - started:.1f} s")


def without_traceback(output: str) -> str:
    """Zensical's ``output`` with its command line's Python traceback cut to the error it
    ends with (``RuntimeError: Aborted because --strict flag is set``): its own messages
    above already name the file."""
    kept: list[str] = []
    inside = False
    for line in output.splitlines():
        if line.startswith("Traceback (most recent call last):"):
            inside = True
        elif inside and (not line.strip() or line[0].isspace()):
            continue
        else:
            inside = False
            kept.append(line)
    return "\n".join(kept)


class Logged(logging.Handler):
    """The warnings and errors MkDocs' loggers give while the configuration is read and the
    hooks run: MkDocs fails a strict build on them, so the Zensical build does too."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
