"""`mkdocs serve` rebuilds of this site against bare Material, and memory across rebuilds.
Prints; asserts nothing.

    python benchmarks/bench_serve.py [--posts 50] [--rebuilds 20]

The site plus ``--posts`` generated posts (math, two embedded sections and a Chinese note
each; the notebook posts as stubs: benchmarks/bench_site.py part 4 times those), built
with this repository's mkdocs.yml (every plugin of plugins/, notebooks off) and with a
bare Material configuration of the same docs/ tree (blog, search, and the Markdown
extensions the posts need). Each configuration runs in a process of its own the way
`mkdocs serve` does (bench_site.serve_loop): a first build, then ``--rebuilds`` rebuilds,
each after appending a blank line to one post and loading the configuration afresh.

Printed: the first build's wall time and each configuration's median rebuild, with the
ratio ours / bare (targets: <= 1.5 for both); and the resident memory after the 1st, the
middle and the last rebuild (target: no growth from the middle on). Run it on a quiet
machine: on 2 cores anything else running distorts the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_site import BUILD_ENV, make_generated_site

HERE = Path(__file__).resolve().parent


def serve(config: Path, edit: Path, rebuilds: int) -> list[dict]:
    """The JSON lines of one serve-like process: the first build, then each rebuild."""
    done = subprocess.run(
        [sys.executable, str(HERE / "bench_site.py"), "--serve-loop", str(config)]
        + [str(edit)] * rebuilds,
        capture_output=True,
        text=True,
        env={**os.environ, **BUILD_ENV},
        cwd=config.parent,
        check=True,
    )
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=50)
    parser.add_argument("--rebuilds", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        ours, bare, _ = make_generated_site(Path(tmp) / "site", args.posts)
        edit = ours.parent / "docs" / "blog" / "posts" / "generated-000.md"
        runs = {
            name: serve(config, edit, args.rebuilds)
            for name, config in (("ours", ours), ("bare", bare))
        }
    first = {name: run[0]["wall"] for name, run in runs.items()}
    rebuild = {name: statistics.median(r["wall"] for r in run[1:]) for name, run in runs.items()}
    print(f"site + {args.posts} posts, {args.rebuilds} rebuilds after a one-post edit")
    print(
        f"first build:     ours {first['ours']:.2f} s, bare {first['bare']:.2f} s, "
        f"ratio {first['ours'] / first['bare']:.2f} (target <= 1.5)"
    )
    print(
        f"median rebuild:  ours {rebuild['ours']:.2f} s, bare {rebuild['bare']:.2f} s, "
        f"ratio {rebuild['ours'] / rebuild['bare']:.2f} (target <= 1.5)"
    )
    for name, run in runs.items():
        rss = [r["rss"] / 2**20 for r in run[1:]]
        middle = len(rss) // 2
        print(
            f"memory, {name}: after rebuild 1 {rss[0]:.0f} MB, rebuild {middle + 1} "
            f"{rss[middle]:.0f} MB, rebuild {len(rss)} {rss[-1]:.0f} MB "
            f"(growth from the middle on: {rss[-1] - rss[middle]:+.1f} MB)"
        )


if __name__ == "__main__":
    main()
