"""Build a site with Zensical, with the tested-blog plugins' work done around it.

    python -m tested_blog.zensical [-f mkdocs.yml] [-d SITE_DIR] [--strict] [--preview]
                                   [--serve [-a 127.0.0.1:8000]]

Reads mkdocs.yml (the plugins' options included) as MkDocs would, stages the pages, runs
``zensical build`` on them and finishes the site it writes (``tested_blog.zensical``).
Exits 1, naming the files to fix, when the site cannot be built as written.
``--preview`` builds before the tests have written their record (a fresh clone), as
``mkdocs serve`` does: what the record lacks is reported, not fatal. ``--serve`` then
serves the site under its sub-path and builds it again whenever a file it reads changes
(``tested_blog.zensical.serve``).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from mkdocs.config import load_config

from ..passes import BuildError
from ..provenance.check import MODE_ENV
from . import build
from .serve import serve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tested_blog.zensical", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    parser.add_argument("-d", "--site-dir", type=Path, help="where to write the site")
    parser.add_argument("--strict", action="store_true", default=None, help="fail on any warning")
    parser.add_argument(
        "--preview",
        action="store_true",
        help="a look before the tests have run, as `mkdocs serve` gives: the tested-by lines"
        " say what is missing instead of failing the build",
    )
    parser.add_argument(
        "--serve",
        action="store_true",
        help="serve the site and build it again on every change (implies --preview)",
    )
    parser.add_argument(
        "-a", "--dev-addr", default="127.0.0.1:8000", help="where --serve serves the site"
    )
    args = parser.parse_args(argv)
    if args.preview or args.serve:
        os.environ[MODE_ENV] = "pending"
    if not args.config_file.is_file():
        print(f"ERROR - no configuration file {args.config_file}", file=sys.stderr)
        return 1

    def once() -> None:
        build(args.config_file, site_dir=args.site_dir, strict=args.strict)

    try:
        once()
    except BuildError as exc:
        print(f"ERROR - {exc}", file=sys.stderr)
        return 1
    if args.serve:
        config = load_config(config_file=str(args.config_file))
        site_dir = args.site_dir or Path(config.site_dir)
        serve(config, site_dir, once, args.dev_addr, say=lambda line: print(line, flush=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
