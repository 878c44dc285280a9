"""tested_blog.notebooks.cache: a used entry is never stale, an unusable one is a miss."""

from __future__ import annotations

import importlib
import json
import sys

import pytest
from tested_blog.notebooks.cache import Cache, Dependencies, Entry, entry_key, sha256


@pytest.fixture()
def repo(tmp_path):
    root = tmp_path / "repo"
    (root / "posts").mkdir(parents=True)
    (root / "data.csv").write_text("1,2\n", encoding="utf-8")
    return root


def report(**kwargs) -> dict:
    return {
        "reads": [],
        "listings": [],
        "writes": [],
        "missing_imports": [],
        "installed_modules": [],
        "untrackable": [],
        **kwargs,
    }


def entry(key: str, deps: Dependencies, figures=()) -> Entry:
    return Entry(
        key=key,
        front_matter="---\n---",
        markdown="# x",
        figures=list(figures),
        warnings=["a warning"],
        deps=deps,
    )


def test_key_depends_on_bytes_and_path():
    assert entry_key(b"a", "p.py") == entry_key(b"a", "p.py")
    assert len({entry_key(b"a", "p.py"), entry_key(b"b", "p.py"), entry_key(b"a", "q.py")}) == 3


def test_a_data_file_read_in_the_repository_is_a_dependency(repo):
    deps = Dependencies.from_report(report(reads=[str(repo / "data.csv")]), repo)
    assert deps.files == {"data.csv": sha256(b"1,2\n")}
    assert deps.changed(repo, repo / "posts") is None
    (repo / "data.csv").write_text("1,3\n", encoding="utf-8")
    assert deps.changed(repo, repo / "posts") == "'data.csv' changed"
    (repo / "data.csv").unlink()
    assert deps.changed(repo, repo / "posts") == "'data.csv' changed"


def test_files_outside_the_repository_and_folder_listings(repo, tmp_path):
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("v1", encoding="utf-8")
    deps = Dependencies.from_report(
        report(reads=[str(outside)], listings=[str(repo / "posts")]), repo
    )
    assert list(deps.external) == [str(outside)] and list(deps.listings) == [str(repo / "posts")]
    assert deps.changed(repo, repo / "posts") is None
    (repo / "posts" / "new.csv").write_text("", encoding="utf-8")
    assert "contents of folder" in deps.changed(repo, repo / "posts")
    deps = Dependencies.from_report(report(reads=[str(outside)]), repo)
    outside.write_text("v2", encoding="utf-8")
    assert deps.changed(repo, repo / "posts") == f"'{outside}' changed"


def test_bytecode_and_interpreter_files_are_not_dependencies(repo):
    pyc = repo / "pkg" / "__pycache__" / "m.cpython-311.pyc"
    pyc.parent.mkdir(parents=True)
    pyc.write_bytes(b"x")
    deps = Dependencies.from_report(report(reads=[str(pyc), importlib.__file__]), repo)
    assert deps.files == {} and deps.external == {}


def test_an_optional_import_that_becomes_importable_makes_the_entry_stale(repo):
    deps = Dependencies.from_report(report(missing_imports=["zz_optional_dep"]), repo)
    assert deps.changed(repo, repo / "posts") is None
    (repo / "zz_optional_dep.py").write_text("", encoding="utf-8")
    assert "'zz_optional_dep'" in deps.changed(repo, repo / "posts")


def fake_distribution(tmp_path, monkeypatch):
    """An installed distribution 'zzdemo' 1.0; returns its RECORD file."""
    site = tmp_path / "site-packages"
    info = site / "zzdemo-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: zzdemo\nVersion: 1.0\n")
    (info / "top_level.txt").write_text("zzdemo\n")
    (info / "RECORD").write_text("zzdemo/__init__.py,sha256=aaa,1\n")
    (site / "zzdemo").mkdir()
    (site / "zzdemo" / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(site))
    return info / "RECORD"


def test_a_distribution_is_checked_by_its_record_on_every_call(repo, tmp_path, monkeypatch):
    """Same version, other code (the RECORD differs): stale, within one process too."""
    record = fake_distribution(tmp_path, monkeypatch)
    deps = Dependencies.from_report(report(installed_modules=["zzdemo"]), repo)
    assert deps.dists["zzdemo"].startswith("1.0 ")
    assert deps.changed(repo, repo / "posts") is None
    record.write_text("zzdemo/__init__.py,sha256=bbb,1\n")
    assert deps.changed(repo, repo / "posts") == "the installed distribution 'zzdemo' changed"


def test_each_build_reads_the_distributions_afresh(repo, tmp_path, monkeypatch):
    """One Cache is one build: its entries share what they read of a distribution; the
    next build's Cache reads it again (a package upgraded while `mkdocs serve` runs)."""
    record = fake_distribution(tmp_path, monkeypatch)
    deps = Dependencies.from_report(report(installed_modules=["zzdemo"]), repo)
    Cache(repo / ".cache").store(entry("k1", deps), {})
    Cache(repo / ".cache").store(entry("k2", deps), {})
    this_build = Cache(repo / ".cache")
    assert this_build.load("k1", repo, repo / "posts")[1] == "unchanged"
    assert list(this_build.fingerprints) == ["zzdemo"]
    record.write_text("zzdemo/__init__.py,sha256=bbb,1\n")
    next_build = Cache(repo / ".cache")
    for key in ("k1", "k2"):
        loaded, why = next_build.load(key, repo, repo / "posts")
        assert loaded is None and why == "the installed distribution 'zzdemo' changed"


def test_store_then_load(repo):
    cache = Cache(repo / ".cache")
    deps = Dependencies.from_report(report(reads=[str(repo / "data.csv")]), repo)
    cache.store(entry("k1", deps, ["figure-a.png"]), {"figure-a.png": b"png"})
    loaded, why = cache.load("k1", repo, repo / "posts")
    assert why == "unchanged" and loaded == entry("k1", deps, ["figure-a.png"])
    assert cache.load("other", repo, repo / "posts") == (None, "not executed before")


ENTRY_HEAD = '{"format": 3, "key": "k1", "front_matter": "", "markdown": "", '


@pytest.mark.parametrize(
    "damage",
    [
        "not json",
        "[]",
        "{}",
        '{"format": 3, "key": "k1"}',
        '{"format": 1, "key": "k1"}',
        ENTRY_HEAD + '"figures": 3, "downloads": [], "warnings": [], "deps": {}}',
        ENTRY_HEAD + '"figures": [], "downloads": [], "warnings": [], "deps": {"files": ["a"]}}',
        ENTRY_HEAD + '"figures": [], "downloads": [], "warnings": [], "deps": {"bogus": 1}}',
        ENTRY_HEAD + '"figures": [], "downloads": 7, "warnings": [], "deps": {}}',
        # format 2, before the downloads: its entries lack them, so they are misses
        '{"format": 2, "key": "k1", "front_matter": "", "markdown": "", "figures": [], '
        '"warnings": [], "deps": {}}',
    ],
)
def test_an_unusable_entry_is_a_miss_never_a_crash(repo, damage):
    cache = Cache(repo / ".cache")
    cache.store(entry("k1", Dependencies()), {})
    (cache.entry_dir("k1") / "entry.json").write_text(damage, encoding="utf-8")
    loaded, why = cache.load("k1", repo, repo / "posts")
    assert loaded is None and why, why


def test_a_missing_figure_or_download_or_an_untrackable_run_is_a_miss(repo):
    cache = Cache(repo / ".cache")
    cache.store(entry("k1", Dependencies(), ["figure-a.png"]), {"figure-a.png": b"png"})
    (cache.entry_dir("k1") / "figure-a.png").unlink()
    assert cache.load("k1", repo, repo / "posts")[0] is None
    with_files = Entry(**{**entry("k3", Dependencies()).__dict__, "downloads": ["p.ipynb"]})
    cache.store(with_files, {"p.ipynb": b"{}"})
    assert cache.load("k3", repo, repo / "posts") == (with_files, "unchanged")
    (cache.entry_dir("k3") / "p.ipynb").unlink()
    assert cache.load("k3", repo, repo / "posts") == (None, "its stored file p.ipynb is missing")
    cache.store(entry("k2", Dependencies(untrackable=["runs a subprocess"])), {})
    loaded, why = cache.load("k2", repo, repo / "posts")
    assert loaded is None and "runs a subprocess" in why


@pytest.mark.parametrize(
    "damage",
    ["cut short", "same size, other bytes", "edited record"],
)
def test_a_stored_file_or_record_not_as_stored_is_a_miss(repo, damage):
    """A figure cut short, or changed since it was stored, is never published: the entry
    is a miss and the post runs again."""
    cache = Cache(repo / ".cache")
    figure = b"\x89PNG the whole figure"
    cache.store(entry("k1", Dependencies(), ["figure-a.png"]), {"figure-a.png": figure})
    where = cache.entry_dir("k1")
    if damage == "cut short":
        (where / "figure-a.png").write_bytes(figure[:8])
    elif damage == "same size, other bytes":
        (where / "figure-a.png").write_bytes(figure.replace(b"whole", b"other"))
    else:
        record = json.loads((where / "entry.json").read_text(encoding="utf-8"))
        record["markdown"] = "# Not what ran"
        (where / "entry.json").write_text(json.dumps(record), encoding="utf-8")
    loaded, why = cache.load("k1", repo, repo / "posts")
    assert loaded is None, why
    assert why == (
        "its entry.json is not what was stored"
        if damage == "edited record"
        else "its stored file figure-a.png is not what was stored"
    )


def test_prune_keeps_only_used_entries(repo):
    cache = Cache(repo / ".cache")
    for key in ("a", "b"):
        cache.store(entry(key, Dependencies()), {})
    cache.prune({"b"})
    assert [p.name for p in (repo / ".cache" / "entries").iterdir()] == ["b"]
    assert json.loads((cache.entry_dir("b") / "entry.json").read_text())["key"] == "b"


def test_a_key_holds_no_path_of_the_machine(monkeypatch):
    """The cache is restored on other machines (a CI runner's fresh virtual environment):
    where the interpreter lives is no part of a key (it was, so every runner missed)."""
    here = entry_key(b"a", "p.py", "settings")
    monkeypatch.setattr(sys, "executable", "/elsewhere/venv/bin/python")
    assert entry_key(b"a", "p.py", "settings") == here
