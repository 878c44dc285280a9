"""The author's loop on the Zensical path: build, serve the site under its sub-path, build
again when a file the build reads changes (``python -m tested_blog.zensical --serve``).

``zensical serve`` cannot be used: it would serve the pages without the passes. Here every
rebuild is the whole command (the caches make it quick: only changed notebook posts run,
only new formulas are typeset), and a rebuild that fails says why and keeps the last good
site on show. What is watched: mkdocs.yml, the docs folder, the theme's ``custom_dir``,
MkDocs' ``watch`` folders, ``tested/code``'s embeddable folders and the provenance record
(a test run renews the tested-by lines).
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Iterable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig

from ..passes import BuildError

POLL = 0.5  # seconds between two looks at the watched files


def watched(config: MkDocsConfig) -> list[Path]:
    """What a build of ``config`` reads that an author edits."""
    root = Path(config.config_file_path).resolve().parent
    paths = [Path(config.config_file_path), Path(config.docs_dir)]
    if config.theme.custom_dir:
        paths.append(Path(config.theme.custom_dir))
    paths += [Path(p) for p in config.watch]
    code = config.plugins.get("tested/code")
    if code is not None and code.config.enabled:
        paths += [root / folder for folder in code.config.snippet_folders]
        paths.append(root / code.config.record)
    return list(dict.fromkeys(p.resolve() for p in paths))


def snapshot(paths: Iterable[Path]) -> dict[Path, tuple[int, int]]:
    """Size and modification time of every file under ``paths`` (bytecode left out)."""
    found = {}
    for top in paths:
        for path in [top] if top.is_file() else top.rglob("*") if top.is_dir() else []:
            if path.is_file() and "__pycache__" not in path.parts:
                stat = path.stat()
                found[path] = (stat.st_size, stat.st_mtime_ns)
    return found


class _UnderPrefix(SimpleHTTPRequestHandler):
    """Files of the site folder under the site's sub-path (``/recipes/…``), as GitHub
    Pages serves them."""

    prefix = "/"

    def send_head(self):
        if not urlsplit(self.path).path.startswith(self.prefix):
            self.send_error(404, f"the site is served under {self.prefix}")
            return None
        return super().send_head()

    def translate_path(self, path: str) -> str:
        return super().translate_path("/" + urlsplit(path).path[len(self.prefix) :])

    def log_message(self, format: str, *args) -> None:  # quiet: the builds say what matters
        pass


def serve(
    config: MkDocsConfig,
    site_dir: Path,
    rebuild: Callable[[], None],
    address: str = "127.0.0.1:8000",
    say: Callable[[str], None] = print,
    running: threading.Event | None = None,
) -> None:
    """Serve ``site_dir`` (built already) at ``address`` under ``config``'s ``site_url``
    path, calling ``rebuild`` whenever a watched file changes, until interrupted (or
    ``running`` is cleared)."""
    host, _, port = address.rpartition(":")
    prefix = "/" + urlsplit(config.site_url or "").path.strip("/")
    prefix = prefix.rstrip("/") + "/"
    handler = type("Handler", (_UnderPrefix,), {"prefix": prefix})
    server = ThreadingHTTPServer(
        (host or "127.0.0.1", int(port)), functools.partial(handler, directory=str(site_dir))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    bound_host, bound_port = server.server_address[:2]
    say(f"INFO - Serving on http://{bound_host!s}:{bound_port}{prefix}")
    paths = watched(config)
    seen = snapshot(paths)
    running = running or threading.Event()
    running.set()
    try:
        while running.is_set():
            time.sleep(POLL)
            now = snapshot(paths)
            if now == seen:
                continue
            changed = sorted({*now.items()} ^ {*seen.items()})
            say(f"INFO - Rebuilding: {changed[0][0]} changed")
            seen = now
            try:
                rebuild()
            except BuildError as exc:
                say(f"ERROR - {exc}\nINFO - still serving the last site that built")
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
