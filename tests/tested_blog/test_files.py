"""tested_blog.files: generated files written in one step, and only when they changed."""

from __future__ import annotations

import os

from tested_blog.files import write_atomic, write_if_changed


def test_a_file_is_written_with_its_folders_and_no_temporary_left(tmp_path):
    path = tmp_path / "a" / "b" / "x.css"
    write_atomic(path, b"p{}")
    assert path.read_bytes() == b"p{}"
    assert [p.name for p in path.parent.iterdir()] == ["x.css"]


def test_an_unchanged_file_keeps_its_time_and_a_changed_one_is_replaced(tmp_path):
    path = tmp_path / "x.css"
    write_if_changed(path, b"p{}")
    os.utime(path, ns=(1, 1))
    write_if_changed(path, b"p{}")
    assert path.stat().st_mtime_ns == 1
    write_if_changed(path, b"q{}")
    assert path.read_bytes() == b"q{}" and path.stat().st_mtime_ns != 1
