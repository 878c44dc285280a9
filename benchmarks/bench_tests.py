"""The README's test command: its wall time, where the time goes, and how much code it
tests. Prints; asserts nothing.

    python benchmarks/bench_tests.py [--top 12]

Runs ``python -m pytest`` as the README gives it (every core, the provenance record
written), with pytest's per-test durations, and prints the wall time, the summed test time
of the slowest test modules, and the lines of the machinery (plugins/src/tested_blog, its
Python and its shipped assets) and of the tests. Target: the whole run within 2 minutes on
a quiet 2-core machine. Run it alone: on 2 cores anything else running distorts it.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DURATION = re.compile(r"^([\d.]+)s (?:setup|call|teardown)\s+(\S+?)::")
SUMMARY = re.compile(r"^=+ (.*(?:passed|failed).*) in ([\d.]+)s")


def lines_of(paths: list[Path]) -> int:
    return sum(len(p.read_text(encoding="utf-8").splitlines()) for p in paths)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=12, help="test modules to list")
    args = parser.parse_args()
    started = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "--durations=0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    by_module: Counter[str] = Counter()
    summary = "no summary line"
    for line in run.stdout.splitlines():
        if found := DURATION.match(line):
            by_module[found.group(2)] += float(found.group(1))
        elif found := SUMMARY.match(line):
            summary = found.group(1)
    print(f"python -m pytest: {wall:.1f} s wall ({summary}; exit code {run.returncode})")
    print(f"summed test time {sum(by_module.values()):.1f} s over all workers; slowest modules:")
    for module, seconds in by_module.most_common(args.top):
        print(f"  {seconds:6.1f} s  {module}")
    machinery = sorted((ROOT / "plugins" / "src" / "tested_blog").rglob("*.py"))
    assets = sorted((ROOT / "plugins" / "src" / "tested_blog").rglob("assets/*"))
    tests = sorted(p for p in (ROOT / "tests").rglob("*.py") if "fixture_blog" not in p.parts)
    fixture = sorted((ROOT / "tests" / "fixture_blog").rglob("*.py"))
    print(
        f"lines: machinery {lines_of(machinery):,} Python + {lines_of(assets):,} CSS/JS;"
        f" tests {lines_of(tests):,} (+ {lines_of(fixture):,} of the fixture blog)"
    )


if __name__ == "__main__":
    main()
