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
import sys
import threading
import time
from collections.abc import Callable, Iterable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig

from ..passes import BuildError
from ..passes.prebuild import enabled

POLL = 0.5  # seconds between two looks at the watched files


def watched(config: MkDocsConfig) -> list[Path]:
    """What a build of ``config`` reads that an author edits."""
    root = Path(config.config_file_path).resolve().parent
    paths = [Path(config.config_file_path), Path(config.docs_dir)]
    if config.theme.custom_dir:
        paths.append(Path(config.theme.custom_dir))
    paths += [Path(p) for p in config.watch]
    code = enabled(config, "tested/code")
    if code is not None:
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


class SubPathHandler(SimpleHTTPRequestHandler):
    """The files of ``directory`` at ``prefix`` only, as GitHub Pages serves a project site:
    ``/repo`` goes to ``/repo/``, a missing page under it gets the site's own 404.html, and a
    folder without an index.html is a 404 (no listings)."""

    prefix = "/"

    def send_head(self):
        route = urlsplit(self.path).path
        if route + "/" == self.prefix:
            self.send_response(301)
            self.send_header("Location", self.prefix)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if not route.startswith(self.prefix):
            self.send_error(404, "outside the site's sub-path")
            return None
        return super().send_head()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        not_found = Path(str(self.directory), "404.html")
        under = urlsplit(self.path).path.startswith(self.prefix)
        if code != 404 or not under or not not_found.is_file():
            return super().send_error(code, message, explain)
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None

    def translate_path(self, path: str) -> str:
        # send_head() has checked the prefix: /repo/x is <directory>/x
        return super().translate_path("/" + urlsplit(path).path[len(self.prefix) :])

    def list_directory(self, path):
        self.send_error(404, "no index.html")
        return None

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base's signature
        pass  # quiet: the builds say what matters


class SiteHTTPServer(ThreadingHTTPServer):
    """A threading server that takes a burst of connections (a page and its assets at once)
    and treats a client that hangs up early as normal: a browser closing a page
    mid-request is not an error of the site."""

    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):  # reset, broken pipe, aborted
            return
        super().handle_error(request, client_address)


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
    handler = type("Handler", (SubPathHandler,), {"prefix": prefix})
    server = SiteHTTPServer(
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
