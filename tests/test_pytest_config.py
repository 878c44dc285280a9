"""The suite's own pytest settings (pyproject.toml), where a setting has a consequence a test
can show: two test sessions at once on one machine leave each other's folders alone."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

from conftest import ROOT

WAITING_TEST = """\
import pathlib, time

def test_keeps_its_folder(tmp_path_factory):
    base = tmp_path_factory.getbasetemp()
    (base / "mine").mkdir()
    pathlib.Path("started").touch()
    for _ in range(600):  # until the other sessions are over (60 s at most)
        if pathlib.Path("others-done").exists():
            break
        time.sleep(0.1)
    assert (base / "mine").is_dir(), "another pytest session deleted this one's folder"
"""


def pytest_command(*args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:xdist",
        "-p",
        "no:cov",
        *args,
    ]


def test_a_second_session_leaves_a_running_sessions_temp_folder_alone(tmp_path):
    # With tmp_path_retention_policy = "none", pytest keeps no earlier numbered folder, and
    # a session started while another runs deleted the running one's base folder (seen
    # when a browser-test run and a quick unit-test run overlapped).
    setting = re.search(
        r'^tmp_path_retention_policy = "(\w+)"', (ROOT / "pyproject.toml").read_text("utf-8"), re.M
    )
    policy = setting.group(1) if setting else "all"
    (tmp_path / "pytest.ini").write_text(
        f"[pytest]\ntmp_path_retention_policy = {policy}\n", encoding="utf-8"
    )
    (tmp_path / "test_wait.py").write_text(WAITING_TEST, encoding="utf-8")
    (tmp_path / "test_quick.py").write_text(  # a tmp_path makes pytest tidy old folders
        "def test_quick(tmp_path):\n    assert tmp_path.is_dir()\n", encoding="utf-8"
    )
    env = {**os.environ, "PYTEST_DEBUG_TEMPROOT": str(tmp_path / "temproot")}
    env.pop("PYTEST_ADDOPTS", None)
    (tmp_path / "temproot").mkdir()
    waiting = subprocess.Popen(
        pytest_command("test_wait.py"),
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for _ in range(600):
            if (tmp_path / "started").exists() or waiting.poll() is not None:
                break
            time.sleep(0.1)
        assert (tmp_path / "started").exists(), waiting.communicate()[0]
        for _ in range(5):  # more sessions than pytest keeps folders of
            quick = subprocess.run(
                pytest_command("test_quick.py"),
                cwd=tmp_path,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert quick.returncode == 0, quick.stdout + quick.stderr
    finally:
        (tmp_path / "others-done").touch()
        out = waiting.communicate(timeout=120)[0]
    assert waiting.returncode == 0, out


def test_pausing_coverage_is_left_to_the_main_thread():
    """conftest.unmeasured pauses coverage for a site build; called from the threads of a
    pool at once (the downloaded-notebook test re-ran five notebooks that way), it stopped
    and started the one coverage.py instance from five threads, and pytest-cov's stop at the
    end of the run failed (INTERNALERROR: 'Expected current collector ...'). On another
    thread it now leaves coverage as it is; on the tests' own thread it pauses it."""
    import threading

    import coverage
    from conftest import unmeasured

    running = coverage.Coverage.current()
    seen: dict[str, object] = {}

    def in_a_thread() -> None:
        with unmeasured():
            seen["thread"] = coverage.Coverage.current()

    worker = threading.Thread(target=in_a_thread)
    worker.start()
    worker.join()
    assert seen["thread"] is running
    with unmeasured():
        assert coverage.Coverage.current() is None
    assert coverage.Coverage.current() is running
