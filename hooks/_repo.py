"""Puts the repository root on ``sys.path`` so that hooks can import ``sitebuild``.

MkDocs loads each hook by path with only the hook's own folder on ``sys.path`` while it
runs; ``import _repo`` first in a hook makes the machinery package importable, whichever
directory the build was started from.
"""

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[1])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
