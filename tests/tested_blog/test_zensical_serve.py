"""tested_blog.zensical.serve: the site served under its sub-path, built again on a change."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request

import pytest
from mkdocs.config import load_config
from tested_blog.passes import BuildError
from tested_blog.zensical.serve import serve, snapshot, watched


@pytest.fixture
def config(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "src").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: A site\nsite_url: https://example.test/sub/path/\ntheme:\n  name: material\n"
        "plugins:\n  - tested/code:\n      snippet_folders: [src]\n",
        encoding="utf-8",
    )
    return load_config(config_file=str(tmp_path / "mkdocs.yml"))


def test_what_is_watched_is_what_the_author_edits(config, tmp_path):
    found = watched(config)
    for path in ("mkdocs.yml", "docs", "src", ".cache/provenance.json"):
        assert (tmp_path / path).resolve() in found, path
    assert not any(".cache/zensical" in str(p) or p.name == "site" for p in found)
    (tmp_path / "docs" / "__pycache__").mkdir()
    (tmp_path / "docs" / "__pycache__" / "x.pyc").write_bytes(b"")
    assert set(snapshot(found)) == {
        (tmp_path / "mkdocs.yml").resolve(),
        (tmp_path / "docs" / "index.md").resolve(),
    }


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_the_site_is_served_under_its_sub_path_and_rebuilt_on_a_change(config, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("first", encoding="utf-8")
    said: list[str] = []
    builds: list[float] = []

    def rebuild():
        builds.append(time.monotonic())
        (site / "index.html").write_text(f"build {len(builds)}", encoding="utf-8")
        if len(builds) == 2:
            raise BuildError("Post 'index.md': broken")

    running = threading.Event()
    thread = threading.Thread(
        target=serve,
        args=(config, site, rebuild, "127.0.0.1:0"),
        kwargs={"say": said.append, "running": running},
    )
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not said and time.monotonic() < deadline:
            time.sleep(0.05)
        (url,) = [line.split("Serving on ")[1] for line in said if "Serving on" in line]
        assert url.endswith("/sub/path/")
        assert get(url) == (200, "first")
        assert get(url.replace("/sub/path/", "/"))[0] == 404  # only under the sub-path
        assert get(url.rstrip("/")) == (200, "first")  # redirected to the sub-path's folder
        (site / "404.html").write_text("the site's own 404", encoding="utf-8")
        assert get(url + "no/such/page/") == (404, "the site's own 404")
        for n in (1, 2):
            (tmp_path / "docs" / "index.md").write_text(f"# Home {n}\n", encoding="utf-8")
            while len(builds) < n and time.monotonic() < deadline:
                time.sleep(0.05)
            assert len(builds) == n
        assert get(url) == (200, "build 2")  # a failed build: the server goes on
        assert any("ERROR - Post 'index.md': broken" in line for line in said), said
    finally:
        running.clear()
        thread.join(timeout=10)
    assert not thread.is_alive()
