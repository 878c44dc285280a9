"""The author's loop in a real browser: a page `mkdocs serve` shows reloads itself when a
file changes, under the Content Security Policy tested/guards gives every page.

The server adds an inline script to each page it serves, with the time in it, which polls
for a rebuild. A policy that allowed only the build's own inline scripts (by hash) blocked
it, and previews never reloaded (found by a review): under `mkdocs serve` the policy lets
inline scripts run; a built page keeps its hashes (tests/tested_blog/test_csp.py).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from browser_shared import browser_test

pytestmark = [browser_test, pytest.mark.site]

CONFIG = """\
site_name: A preview
theme:
  name: material
  font: false
plugins:
  - tested/guards
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if server.poll() is not None:
            raise AssertionError(f"mkdocs serve stopped:\n{server.stderr.read()}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"mkdocs serve did not answer at {url} in {seconds} s")


def test_a_served_page_reloads_itself_when_its_file_changes(browser, tmp_path):
    (tmp_path / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    page_file = tmp_path / "docs" / "index.md"
    page_file.parent.mkdir()
    page_file.write_text("# Home\n\nThe first version.\n", encoding="utf-8")
    address = f"127.0.0.1:{free_port()}"
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", address],
        cwd=tmp_path,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(f"http://{address}/", server)
        page = browser.new_page()
        blocked: list[str] = []
        page.on("console", lambda m: blocked.append(m.text) if "Security Policy" in m.text else 0)
        page.goto(f"http://{address}/")
        assert "The first version." in page.inner_text("article")
        policy = page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
        assert policy and "default-src 'self'" in policy  # the page keeps its policy
        page_file.write_text("# Home\n\nThe second version.\n", encoding="utf-8")
        # (read from Playwright's own world: the page's policy forbids its eval)
        end = time.monotonic() + 60
        while "The second version." not in page.inner_text("article"):
            assert time.monotonic() < end, f"the page did not reload; blocked: {blocked}"
            page.wait_for_timeout(250)
        assert not blocked, blocked
        page.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
