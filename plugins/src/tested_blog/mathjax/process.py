"""One Node.js process running MathJax (typeset.js), spoken to in JSON lines.

Started once and reused for every page of a build, and for every rebuild of one
``mkdocs serve`` session: MathJax loads once (~0.3 s), then each formula costs a few
milliseconds. Requests are batched per page (one round trip for all of a page's new
formulas).
"""

from __future__ import annotations

import collections
import html
import json
import queue
import subprocess
import threading
from pathlib import Path

SCRIPT = Path(__file__).with_name("typeset.js")
# A page's formulas take milliseconds each; an answer this late means MathJax is stuck.
ANSWER_TIMEOUT_S = 300.0


def error_markup(message: str) -> str:
    """Markup standing for a formula MathJax threw on, marked like a TeX error."""
    text = html.escape(message, quote=True)
    return (
        f'<mjx-container class="MathJax" jax="CHTML"><mjx-merror data-mjx-error="{text}">'
        f"<mjx-mtext>{text}</mjx-mtext></mjx-merror></mjx-container>"
    )


class MathJaxFailed(RuntimeError):
    """The Node process could not start or answer (not a TeX error: those come back as
    markup with an <mjx-merror>)."""


class MathJaxProcess:
    """A running ``node typeset.js``; ``render`` and ``stylesheet`` talk to it."""

    def __init__(
        self, node: str, es5_dir: Path, script: Path = SCRIPT, timeout: float = ANSWER_TIMEOUT_S
    ) -> None:
        self.command = [node, str(script), str(es5_dir)]
        self.timeout = timeout
        try:
            self._proc = subprocess.Popen(
                self.command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                bufsize=1,
            )
        except OSError as exc:
            raise MathJaxFailed(f"could not start {' '.join(self.command)}: {exc}") from exc
        # Keep the end of stderr for error messages; reading it also stops a chatty child
        # from blocking on a full pipe.
        self._stderr: collections.deque[str] = collections.deque(maxlen=40)
        self._drain = threading.Thread(target=self._read_stderr, daemon=True, name="mathjax-stderr")
        self._drain.start()
        # Answers are read on a thread of their own, so that a stuck MathJax is a timeout.
        self._answers: queue.Queue[str] = queue.Queue()
        self._reader = threading.Thread(
            target=self._read_stdout, daemon=True, name="mathjax-stdout"
        )
        self._reader.start()
        self._lock = threading.Lock()
        hello = self._read()
        if not hello.get("ready"):
            self.close()
            raise MathJaxFailed(f"MathJax did not start: {hello}")
        self.version: str = hello["version"]

    def _read_stdout(self) -> None:
        assert self._proc.stdout is not None
        for line in self._proc.stdout:
            self._answers.put(line)
        self._answers.put("")  # end of output

    def _read_stderr(self) -> None:
        assert self._proc.stderr is not None
        for line in self._proc.stderr:
            self._stderr.append(line.rstrip("\n"))

    def _failure(self, what: str) -> MathJaxFailed:
        tail = "\n".join(self._stderr)
        return MathJaxFailed(
            f"{what} ({' '.join(self.command)}; exit status "
            f"{self._proc.poll()}){':' + chr(10) + tail if tail else ''}"
        )

    def _read(self) -> dict:
        try:
            line = self._answers.get(timeout=self.timeout)
        except queue.Empty:
            self._proc.kill()
            self._proc.wait(timeout=10)
            raise self._failure(f"MathJax did not answer within {self.timeout:g} s") from None
        if not line:
            self._proc.wait(timeout=10)
            raise self._failure("the MathJax process ended without answering")
        message = json.loads(line)
        if "fatal" in message:
            raise self._failure(f"MathJax failed: {message['fatal']}")
        return message

    def _ask(self, request: dict) -> dict:
        with self._lock:
            if self._proc.poll() is not None:
                raise self._failure("the MathJax process is not running")
            assert self._proc.stdin is not None
            try:
                self._proc.stdin.write(json.dumps(request) + "\n")
                self._proc.stdin.flush()
            except OSError as exc:
                raise self._failure(f"could not write to the MathJax process: {exc}") from exc
            return self._read()

    def render(self, formulas: list[tuple[str, bool]]) -> list[str]:
        """CHTML markup (an ``<mjx-container>``) for each ``(tex, display)``, in order; a
        formula MathJax throws on gets ``error_markup`` (reported like a TeX error)."""
        if not formulas:
            return []
        markup = self._ask({"render": [[tex, display] for tex, display in formulas]})["html"]
        if len(markup) != len(formulas):
            raise self._failure(f"asked for {len(formulas)} formulas, got {len(markup)}")
        return [item if isinstance(item, str) else error_markup(item["error"]) for item in markup]

    def stylesheet(self) -> str:
        """The CHTML stylesheet for every character this process has typeset so far."""
        return self._ask({"stylesheet": True})["css"]

    @property
    def running(self) -> bool:
        return self._proc.poll() is None

    def close(self) -> None:
        """End the process (closing its stdin ends its read loop)."""
        if self._proc.poll() is None:
            try:
                assert self._proc.stdin is not None
                self._proc.stdin.close()
                self._proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self._proc.kill()
                self._proc.wait(timeout=10)
        self._drain.join(timeout=5)
        self._reader.join(timeout=5)
