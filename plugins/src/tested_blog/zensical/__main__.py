"""Build a site with Zensical, with the tested-blog plugins' work done around it.

    python -m tested_blog.zensical [-f mkdocs.yml] [-d SITE_DIR] [--strict] [--preview]

Reads mkdocs.yml (the plugins' options included) as MkDocs would, stages the pages, runs
``zensical build`` on them and finishes the site it writes (``tested_blog.zensical``).
Exits 1, naming the files to fix, when the site cannot be built as written.
``--preview`` builds before the tests have written their record (a fresh clone), as
``mkdocs serve`` does: what the record lacks is reported, not fatal.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..passes import BuildError
from ..provenance.check import MODE_ENV
from . import build


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
    args = parser.parse_args(argv)
    if args.preview:
        os.environ[MODE_ENV] = "pending"
    if not args.config_file.is_file():
        print(f"ERROR - no configuration file {args.config_file}", file=sys.stderr)
        return 1
    try:
        build(args.config_file, site_dir=args.site_dir, strict=args.strict)
    except BuildError as exc:
        print(f"ERROR - {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
