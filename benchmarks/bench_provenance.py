"""What provenance costs: the record's size, a build's time to read it, the suite's CPU.

1. Record: the bytes of ``.cache/provenance.json`` (made by ``python -m pytest``).
2. Reading: CPU seconds of what the ``tested/code`` plugin does in one build of the real site
   (``SiteProvenance.load``: read the record, ask git for the commit; then ``page``
   on the Markdown of every post, the notebook posts' as the last build generated them),
   the median of ``--repeat`` rounds in this process. Target: at most 0.1 s.
3. ``--suite``: the README's test command with recording (``python -m pytest``) and
   without (``python -m pytest --no-cov``), alternating, ``--rounds`` times each; prints
   the CPU seconds (user + system of pytest and every process it waited for: site builds,
   kernels, Chromium) and their ratio. Target: at most 2. Wall time is printed too, but on
   a shared machine only the CPU seconds mean anything.

    python benchmarks/bench_provenance.py            # 1 and 2 (run the tests once first)
    python benchmarks/bench_provenance.py --suite    # and 3: runs the whole suite 2 x rounds
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from tested_blog.provenance import RECORD

ROOT = Path(__file__).resolve().parents[1]


def post_markdowns() -> dict[str, str]:
    """Each post's Markdown as the provenance hook sees it (front matter removed)."""
    found = {}
    posts = ROOT / "docs" / "blog" / "posts"
    generated = ROOT / ".cache" / "notebooks" / "pages" / "blog" / "posts"
    for path in sorted(posts.glob("*.md")) + sorted(generated.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        found[path.name] = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    return found


def reading(repeat: int) -> None:
    from mkdocs.config import load_config
    from tested_blog.provenance.plugin import snippet_bases
    from tested_blog.provenance.site import SiteProvenance

    record = ROOT / RECORD
    if not record.is_file():
        print(f"no record at {RECORD}: run `python -m pytest` first")
        return
    print(f"record: {record.stat().st_size:,} bytes ({RECORD})")
    config = load_config(config_file=str(ROOT / "mkdocs.yml"))
    markdowns = post_markdowns()
    rounds = []
    for _ in range(repeat):
        cpu = time.process_time()
        site = SiteProvenance.load(ROOT, snippet_bases(config))
        for name, text in markdowns.items():
            site.page(text, name)
        rounds.append(time.process_time() - cpu)
    print(
        f"reading: {statistics.median(rounds):.4f} s CPU per build (median of {repeat}; "
        f"{len(markdowns)} posts, {len(site.shown)} embedded sections; target <= 0.1 s)"
    )
    print(site.summary())


def suite(rounds: int) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    commands = {
        "with recording": [sys.executable, "-m", "pytest", "-q"],
        "without (--no-cov)": [sys.executable, "-m", "pytest", "-q", "--no-cov"],
    }
    cpu: dict[str, list[float]] = {k: [] for k in commands}
    wall: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(rounds):
        for label, command in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
            wall[label].append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[label].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            tail = done.stdout.strip().splitlines()[-1:] or ["(no output)"]
            print(
                f"  {label}: {cpu[label][-1]:.1f} s CPU, {wall[label][-1]:.1f} s wall; {tail[0]}",
                flush=True,
            )
    on, off = (statistics.median(cpu[k]) for k in commands)
    print(
        f"suite CPU: {on:.1f} s with recording, {off:.1f} s without: ratio {on / off:.2f} "
        f"(median of {rounds}; target <= 2)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="rounds of the reading timing")
    parser.add_argument("--suite", action="store_true", help="also time the whole test suite")
    parser.add_argument("--rounds", type=int, default=2, help="suite runs of each kind")
    args = parser.parse_args()
    reading(args.repeat)
    if args.suite:
        suite(args.rounds)


if __name__ == "__main__":
    main()
