"""``python -m tested_blog.mutants``: bring the provenance record's mutation results up to
date (the pytest plugin runs this after it writes the record)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tested_blog.mutants.update import LIMIT_FACTOR, LIMIT_MIN, update
from tested_blog.provenance import RECORD


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tested_blog.mutants", description=__doc__)
    parser.add_argument("--record", default=str(RECORD), help=f"the record (default {RECORD})")
    parser.add_argument("--root", default=".", help="the project's root (default: here)")
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="processes at a time (default: cores)"
    )
    parser.add_argument(
        "--time-limit-floor",
        type=float,
        default=LIMIT_MIN,
        help="the least time a mutant's tests get, in seconds (default %(default)s; each gets"
        f" {LIMIT_FACTOR} times their own time when that is more)",
    )
    parser.add_argument(
        "--again",
        action="store_true",
        help="run every section's mutants, even those whose result is current (after an edit"
        " the result's key does not see, such as a data file the tests read)",
    )
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, not {args.jobs}")
    root = Path(args.root).resolve()
    record = Path(args.record)
    record = record if record.is_absolute() else root / record
    for threads in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(threads, "1")  # one core per process: they run side by side
    started = os.getcwd()
    os.chdir(root)  # the tests' ids are relative to the project's root
    # `python -m` put the folder it started in first on sys.path; `python -m pytest` run in
    # the project's root puts the root there, and so must this
    sys.path[:] = [str(root) if p in ("", started) else p for p in sys.path]
    say = lambda line: print(line, file=sys.stderr)  # noqa: E731
    print(update(root, record, args.jobs, say, floor=args.time_limit_floor, again=args.again))
    return 0


if __name__ == "__main__":
    sys.exit(main())
