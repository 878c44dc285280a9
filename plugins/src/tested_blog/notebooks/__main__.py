"""Render the notebook posts of a folder without MkDocs (for Zensical, or to look).

    python -m tested_blog.notebooks [POSTS] [--out DIR] [--jobs N] [--prefix blog/posts]

Executes (or takes from the cache) every notebook post in POSTS (default
docs/blog/posts) and writes each as ``DIR/<name>.md`` with its figures and downloads
(``.ipynb``, ``.py``) in ``DIR/<name>/``
(default DIR: .cache/notebooks/pages). Run from the repository root, which comes first
on the kernels' path. Exits 1, naming each post and what is wrong, when any post fails.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
from pathlib import Path

from .errors import MissingModule, NotebookPostErrors
from .pipeline import Options, build
from .posts import is_post


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tested_blog.notebooks", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("posts", nargs="?", default="docs/blog/posts", type=Path)
    parser.add_argument("--out", type=Path, default=Path(".cache/notebooks/pages"))
    parser.add_argument("--jobs", type=int, default=None, help="kernels at once")
    parser.add_argument(
        "--prefix",
        default="blog/posts",
        help="the posts folder relative to docs/, as messages name posts",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    root = Path.cwd()
    sources = [
        (f"{args.prefix}/{p.name}", p.resolve())
        for p in sorted(args.posts.iterdir())
        if is_post(f"{args.prefix}/{p.name}", args.prefix)
    ]
    options = Options() if args.jobs is None else Options.from_mapping({"jobs": args.jobs})
    try:
        outcome = build(
            sources, root=root, cache_dir=root / ".cache" / "notebooks", options=options
        )
    except (NotebookPostErrors, MissingModule) as exc:
        print(exc, file=sys.stderr)
        return 1
    for item in outcome.published:
        name = Path(item.page_uri).name
        target = args.out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.resolve() != item.page_path.resolve():
            shutil.copyfile(item.page_path, target)
        for uri, path in {**item.figures, **item.downloads}.items():
            figure = args.out / Path(uri).parent.name / Path(uri).name
            figure.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, figure)
        print(target)
    print(outcome.summary(), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
