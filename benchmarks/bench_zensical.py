"""The site built by Zensical (``python -m tested_blog.zensical``) against the MkDocs build,
in the same run on the same machine. Prints; asserts nothing.

    python benchmarks/bench_zensical.py [--rounds 2]

Two copies of the repository without caches (``bench_site.copy_repository``), one per
engine, each built:

- cold: no notebook, math or engine cache, so every notebook post is executed and every
  formula typeset (the same work on both paths: it is the plugins' own);
- warm: again, with nothing changed (``--rounds`` times; the fastest is kept).

Wall seconds, and the ratio Zensical path / MkDocs path of each. The builds run one after
the other, never at once: run this alone on a quiet machine.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_site import BUILD_ENV, copy_repository

COMMANDS = {
    "MkDocs": [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"],
    "Zensical": [sys.executable, "-m", "tested_blog.zensical"],
}


def timed(engine: str, root: Path) -> float:
    """Wall seconds of one build of the copy at ``root`` with ``engine``'s command."""
    start = time.perf_counter()
    done = subprocess.run(
        [*COMMANDS[engine], "-f", str(root / "mkdocs.yml"), "-d", str(root / "site")],
        capture_output=True,
        text=True,
        cwd=root,
        env={**os.environ, **BUILD_ENV},
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"the {engine} build failed:\n{done.stdout}\n{done.stderr}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2, help="warm builds per engine")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-zensical-") as tmp:
        roots = {engine: copy_repository(Path(tmp) / engine) for engine in COMMANDS}
        cold = {engine: timed(engine, root) for engine, root in roots.items()}
        warm = {
            engine: min(timed(engine, root) for _ in range(args.rounds))
            for engine, root in roots.items()
        }
    print(f"{'':10} {'cold s':>8} {'warm s':>8}")
    for engine in COMMANDS:
        print(f"{engine:10} {cold[engine]:8.1f} {warm[engine]:8.1f}")
    print(
        f"{'ratio':10} {cold['Zensical'] / cold['MkDocs']:8.2f}"
        f" {warm['Zensical'] / warm['MkDocs']:8.2f}   (Zensical path / MkDocs path)"
    )


if __name__ == "__main__":
    main()
