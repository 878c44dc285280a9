"""Render the notebook posts of a folder without building the site (for another engine, to
look, or to fill the cache from several machines at once).

    python -m tested_blog.notebooks [POSTS] [--out DIR] [--jobs N] [--prefix blog/posts]
                                    [--config-file mkdocs.yml] [--shard K/N]

Executes (or takes from the cache) every notebook post in POSTS (default
docs/blog/posts) and writes each as ``DIR/<name>.md`` with its figures and downloads
(``.ipynb``, ``.py``) in ``DIR/<name>/``
(default DIR: .cache/notebooks/pages). Run from the repository root, which comes first
on the kernels' path. Exits 1, naming each post and what is wrong, when any post fails.

``--config-file`` takes the ``tested/notebooks`` options (and its cache folder) from that
mkdocs.yml (by default ./mkdocs.yml when there is one), so the cache entries written are
the ones its site build looks for.
``--shard K/N`` runs only the K-th of N equal shares of the posts (by sorted name): N jobs
of a CI matrix each run one share, and the cache entries they write (content-addressed
folders under the cache's ``entries/``) merge by copying them into one folder.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
from dataclasses import replace
from pathlib import Path

from .errors import MissingModule, NotebookPostErrors
from .pipeline import Options, build
from .posts import is_post


def shard(text: str) -> tuple[int, int]:
    """``K/N`` with 1 <= K <= N, as a pair."""
    k, _, n = text.partition("/")
    if not (k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
        raise argparse.ArgumentTypeError(f"expected K/N with 1 <= K <= N, got {text!r}")
    return int(k), int(n)


def settings(config_file: Path | None, root: Path) -> tuple[Options, Path]:
    """The options and cache folder: from ``config_file``'s tested/notebooks plugin when
    given, else the defaults (the cache under ``root``)."""
    if config_file is None:
        return Options(), root / ".cache" / "notebooks"
    from mkdocs.config import load_config

    config = load_config(config_file=str(config_file))
    plugin = config.plugins.get("tested/notebooks")
    if plugin is None:
        raise ValueError(f"{config_file} does not use the tested/notebooks plugin")
    return plugin.options(config.plugins.get("material/blog")), plugin.cache_dir(config)


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
    parser.add_argument(
        "--config-file",
        type=Path,
        help="take the tested/notebooks options from this mkdocs.yml (default: ./mkdocs.yml)",
    )
    parser.add_argument("--shard", type=shard, help="K/N: run the K-th of N shares of the posts")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    root = Path.cwd()
    if args.config_file is None and (root / "mkdocs.yml").is_file():
        args.config_file = root / "mkdocs.yml"  # the site's own options, as its build reads
    sources = [
        (f"{args.prefix}/{p.name}", p.resolve())
        for p in sorted(args.posts.iterdir())
        if is_post(f"{args.prefix}/{p.name}", args.prefix)
    ]
    if args.shard is not None:
        k, n = args.shard
        sources = sources[k - 1 :: n]
    try:
        options, cache_dir = settings(args.config_file, root)
        if args.jobs is not None:
            options = replace(options, jobs=Options.from_mapping({"jobs": args.jobs}).jobs)
        outcome = build(sources, root=root, cache_dir=cache_dir, options=options)
    except (NotebookPostErrors, MissingModule, ValueError) as exc:
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
