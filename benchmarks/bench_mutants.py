"""Time of the mutation pass (``python -m tested_blog.mutants``). Prints figures; asserts
nothing.

    python benchmarks/bench_mutants.py [--record .cache/provenance.json] [--edit snippets/optim.py]

Needs the record of a full test run (``python -m pytest``). Works on copies of it, so the
record itself is left as it is:

1. cold: every section's mutation result removed, as on a fresh clone;
2. after an edit: the results of the sections whose tests ran the ``--edit`` file made
   out of date, as the next ``python -m pytest`` after an edit of that file makes them
   (its digest in their inputs changes);
3. nothing changed: all results current.

Prints, for each, the wall time, the mutants run and the sections run; for the cold run
also the slowest sections. Run it on a quiet machine: it uses every core.
"""

from __future__ import annotations

import argparse
import copy
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(record: dict, folder: Path, name: str) -> tuple[float, dict, str]:
    path = folder / f"{name}.json"
    path.write_text(json.dumps(record))
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "tested_blog.mutants", "--root", str(ROOT), "--record", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return time.perf_counter() - began, json.loads(path.read_text()), done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", default=str(ROOT / ".cache" / "provenance.json"))
    parser.add_argument("--edit", default="snippets/optim.py")
    args = parser.parse_args()
    record = json.loads(Path(args.record).read_text())
    cold = copy.deepcopy(record)
    for entry in cold["sections"].values():
        entry.pop("mutants", None)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        seconds, after, line = run(cold, folder, "cold")
        results = {k: e.get("mutants", {}) for k, e in after["sections"].items()}
        print(f"cold: {seconds:.1f} s — {line}")
        slowest = sorted(results.items(), key=lambda kv: -kv[1].get("seconds", 0))[:5]
        for key, result in slowest:
            print(f"  {key}: {result.get('total', 0)} mutants, {result.get('seconds', 0)} s")
        edited = copy.deepcopy(after)
        touched = 0
        for entry in edited["sections"].values():
            if args.edit in entry.get("inputs", {}):
                entry["inputs"][args.edit] = "edited"
                touched += 1
        seconds, _, line = run(edited, folder, "edited")
        print(f"after an edit of {args.edit} ({touched} sections' tests ran it):")
        print(f"  {seconds:.1f} s — {line}")
        seconds, _, line = run(after, folder, "current")
        print(f"nothing changed: {seconds:.1f} s — {line}")


if __name__ == "__main__":
    main()
