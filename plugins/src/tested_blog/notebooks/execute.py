"""Run notebooks in fresh kernels with nbclient: bounded, hermetic, every failure named.

* At most ``jobs`` kernels run at once; each notebook's result is handed to ``on_done`` the
  moment it finishes, so one failure or a slow notebook throws away no other work.
* Each kernel is this interpreter's own ipykernel (no kernelspec of the author's machine
  is consulted) with a fixed, minimal environment: nothing from the author's shell except
  ``PATH`` and ``HOME`` reaches the notebook, so the shell cannot change a page.
* A hidden first cell records what the notebook depends on (``tracker.py``); a hidden last
  cell reports it as one ``display_data`` message of its own MIME type. (Reading it from
  printed text was the old hook's intermittent crash: ipykernel may send one ``print`` as
  several stream messages, and the last of them can be a lone newline.)
* A cell that raises, a cell over the time limit, a kernel that does not start or dies:
  each is a ``NotebookPostError`` naming the post and, where there is one, the cell.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .errors import MissingModule, NotebookPostError
from .posts import NotebookPost, cell_lines

HIDDEN_CELL_TIMEOUT = 120  # seconds for the build's own setup and report cells
REPORT_MIME = "application/vnd.tested_blog.dependencies+json"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

# Retina PNG figures, sharp on high-DPI screens; 'Software': None drops the PNG text chunk
# naming the matplotlib build, so a re-run gives byte-identical images. The font list is
# built before tracking starts: building it runs fc-list, a subprocess.
_FIGURES = """\
try:
    import matplotlib.font_manager
except ImportError:
    pass
else:
    get_ipython().run_line_magic("matplotlib", "inline")
    get_ipython().run_line_magic("config", "InlineBackend.figure_formats = ['retina']")
    get_ipython().run_line_magic(
        "config", "InlineBackend.print_figure_kwargs = "
        "{'bbox_inches': 'tight', 'metadata': {'Software': None}}")
"""
# Files the kernel reads while it starts, before the tracker runs, in the notebook's folder
# (its working directory, matplotlib's first place for its configuration) and, for the
# modules Python imports at start-up from its path, in the repository root too.
STARTUP_FILES = {
    "folder": ("matplotlibrc", "sitecustomize.py", "usercustomize.py"),
    "root": ("sitecustomize.py", "usercustomize.py"),
}
_REPORT = f"""\
from IPython.display import display as _sitebuild_display
_sitebuild_display({{{REPORT_MIME!r}: _sitebuild_tracker.report()}}, raw=True)
"""


@dataclass(frozen=True)
class Limits:
    """How much a build lets notebooks use."""

    jobs: int  # kernels at once
    cell_timeout: float  # seconds one cell may run
    startup_timeout: int = 60  # seconds a kernel may take to start


@dataclass
class Executed:
    """A notebook after its run: outputs filled in, and what it depended on."""

    notebook: dict  # nbformat JSON of the post's cells (the hidden cells removed)
    report: dict = field(default_factory=dict)  # tracker.report(); empty: nothing ran


def kernel_scratch() -> Path:
    """A new folder (outside the repository, removed when its kernel is done) for one
    kernel's IPython and matplotlib configuration and its sockets. Never shared: a cell
    that writes an IPython startup file or a matplotlibrc there reaches no other kernel,
    build or checkout."""
    path = Path(tempfile.mkdtemp(prefix="tested-blog-kernel-"))
    (path / "ipython").mkdir()
    (path / "matplotlib").mkdir()
    return path


def kernel_environment(root: Path, folder: Path, scratch: Path) -> dict[str, str]:
    """The whole environment of a kernel. The repository root comes first on the path, so
    ``import snippets`` finds this checkout's package, then the notebook's folder, for its
    helper modules; one BLAS thread per kernel, since kernels run side by side and a BLAS
    sum's rounding can depend on its thread count."""
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "HOME": os.environ.get("HOME", str(scratch)),
        "PYTHONPATH": os.pathsep.join([str(root), str(folder)]),
        "PYTHONHASHSEED": "0",  # set iteration order is part of some printed outputs
        "PYTHONDONTWRITEBYTECODE": "1",  # no __pycache__ written into the repository
        "PYTHONUTF8": "1",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TZ": "UTC",
        "IPYTHONDIR": str(scratch / "ipython"),
        "MPLCONFIGDIR": str(scratch / "matplotlib"),
        "JUPYTER_PLATFORM_DIRS": "1",
    }
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = "1"
    # OpenBLAS's core type is a property of this machine, not of the author's shell: keep
    # it where it is set, since some OpenBLAS builds compute wrong results without it.
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if var in os.environ:
            env[var] = os.environ[var]
    return env


def setup_source(root: Path, scratch: Path) -> str:
    """The hidden first cell: figure settings, then the dependency tracker started."""
    tracker = (Path(__file__).with_name("tracker.py")).read_text(encoding="utf-8")
    ignored = [str(scratch), "/proc", "/sys", "/dev"]
    return (
        _FIGURES + "\n" + "_sitebuild = {}\n"
        f"exec(compile({tracker!r}, 'sitebuild-tracker', 'exec'), _sitebuild)\n"
        f"_sitebuild_tracker = _sitebuild['start']({str(root)!r}, {ignored!r},"
        f" {tempfile.gettempdir()!r})\n"
        "del _sitebuild\n"
    )


@contextlib.contextmanager
def _removed(folder: Path):
    try:
        yield
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _install_hint(ename: str | None, evalue: str | None) -> str:
    """For a cell that imported a module the kernel's Python lacks (the error's name and
    value): how to install it."""
    if ename != "ModuleNotFoundError":
        return ""
    found = re.search(r"No module named '([^'.]+)", evalue or "")
    if found is None:
        return ""
    return (
        f"\nThe kernel runs {sys.executable}: install the package that provides"
        f" '{found.group(1)}' into it (python -m pip install ...), and list it among your"
        " site's requirements"
    )


def _where(post: NotebookPost, nb, index: int | None) -> str:
    """``cell N (line L) 'first line'`` for the post's own cell at notebook index ``index``
    (index 0 is the hidden setup cell, so it equals the post's cell number from 1)."""
    if index is None or index <= 0:
        return "the setup cell the build runs first"
    if index >= len(nb.cells) - 1:
        return "the report cell the build runs last"
    lines = cell_lines(post)
    line = f" (line {lines[index - 1]})" if index - 1 < len(lines) else ""
    first = next((ln for ln in nb.cells[index].source.splitlines() if ln.strip()), "")
    return f"cell {index}{line} {first!r}"


async def execute(post: NotebookPost, nb, root: Path, limits: Limits) -> Executed:
    """Run the post's cells (``nb``, front matter removed) in a fresh kernel."""
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    nb = nbformat.from_dict(json.loads(json.dumps(nb)))  # a private copy
    if not any(cell.cell_type == "code" for cell in nb.cells):
        return Executed(json.loads(json.dumps(nb)))  # Markdown only: no kernel to start
    specs = KernelSpecManager(kernel_dirs=[], ensure_native_kernel=True)
    try:  # ipykernel provides this interpreter's own kernel, the only one used
        specs.get_kernel_spec("python3")
    except NoSuchKernel:
        raise MissingModule("ipykernel") from None
    scratch = kernel_scratch()
    hidden = {"sitebuild_hidden": True}
    nb.cells.insert(0, nbformat.v4.new_code_cell(setup_source(root, scratch), metadata=hidden))
    nb.cells.append(nbformat.v4.new_code_cell(_REPORT, metadata=hidden))
    running: list[int] = [0]
    failed: list[int] = []
    # Only ipykernel's own spec for this interpreter: a 'python3' kernelspec installed on
    # the author's machine could point at another Python.
    # Unix sockets, not TCP ports: kernels starting side by side cannot race for a port.
    sockets = scratch / "sockets"
    sockets.mkdir()
    km = AsyncKernelManager(
        kernel_name="python3",
        transport="ipc",
        ip=str(sockets / "ipc"),
        connection_file=str(sockets / "connection.json"),
        kernel_spec_manager=specs,
    )
    client = NotebookClient(
        # the author's limit is for the author's cells; the hidden cells import matplotlib,
        # which a loaded machine may take seconds to do
        nb,
        km=km,
        timeout_func=lambda cell: (
            max(limits.cell_timeout, HIDDEN_CELL_TIMEOUT)
            if cell.metadata.get("sitebuild_hidden")
            else limits.cell_timeout
        ),
        startup_timeout=limits.startup_timeout,
        allow_errors=False,
        coalesce_streams=True,
        record_timing=False,
        resources={"metadata": {"path": str(post.path.parent)}},
        on_cell_start=lambda cell, cell_index: running.__setitem__(0, cell_index),
        on_cell_error=lambda cell, cell_index, execute_reply: failed.append(cell_index),
    )
    env = kernel_environment(root, post.path.parent, scratch)
    with tempfile.TemporaryFile("w+", encoding="utf-8") as kernel_log, _removed(scratch):
        try:
            await client.async_execute(env=env, stderr=kernel_log)
        except CellTimeoutError:
            cell = nb.cells[running[0]]
            limit = client.timeout_func(cell)  # type: ignore[misc]  # set just above
            raise post.error(
                f"timed out in {_where(post, nb, running[0])}: the cell ran longer than "
                f"{limit:g} s (cell_timeout of tested/notebooks in mkdocs.yml)"
            ) from None
        except CellExecutionError as exc:
            index = failed[-1] if failed else running[0]
            reason = ANSI.sub("", str(exc)).strip() + _install_hint(exc.ename, exc.evalue)
            raise post.error(f"failed in {_where(post, nb, index)}:\n{reason}") from None
        except DeadKernelError:
            kernel_log.seek(0)
            raise post.error(
                f"lost its kernel, which died in {_where(post, nb, running[0])}"
                f"\n{kernel_log.read()[-2000:]}".rstrip()
            ) from None
        except (RuntimeError, TimeoutError) as exc:
            if client.kc is not None and running[0] > 0:
                raise post.error(f"failed in {_where(post, nb, running[0])}: {exc}") from None
            raise post.error(
                f"could not start its kernel within {limits.startup_timeout:g} s"
                f" ({type(exc).__name__}: {exc})"
            ) from None
        finally:
            # nbclient leaves its atexit clean-up registered when the kernel fails to start
            # (it then prints a traceback at exit); stop any such kernel here instead.
            atexit.unregister(client._cleanup_kernel)
            if km.has_kernel:
                await km.shutdown_kernel(now=True)
    report_outputs = [
        o for o in nb.cells[-1].get("outputs", []) if REPORT_MIME in o.get("data", {})
    ]
    if len(report_outputs) != 1:
        raise post.error(
            "did not report its dependencies: the last, hidden cell of the "
            "build printed no report (did a cell replace sys.displayhook?)"
        )
    report = report_outputs[0]["data"][REPORT_MIME]
    if report["writes"]:
        raise post.error(
            "writes inside the repository: "
            + ", ".join(report["writes"])
            + " (write to a temporary folder instead)"
        )
    nb.cells = nb.cells[1:-1]
    return Executed(json.loads(json.dumps(nb)), report)


def execute_all(
    jobs: list[tuple[NotebookPost, object]],
    root: Path,
    limits: Limits,
    on_done: Callable[[NotebookPost, Executed], None],
) -> list[NotebookPostError]:
    """Run every (post, cells) pair, at most ``limits.jobs`` at once; ``on_done`` gets each
    result as soon as it is there. Returns the failures, one per failed post.

    ``on_done`` runs on a thread of its own, one call at a time: rendering and hashing a
    result must not hold up the event loop, which drives the kernels still running and
    starts the next one in the slot just freed."""

    async def run_all(handler: ThreadPoolExecutor) -> list[NotebookPostError]:
        loop = asyncio.get_running_loop()
        gate = asyncio.Semaphore(limits.jobs)
        errors: list[NotebookPostError] = []

        async def one(post: NotebookPost, nb) -> None:
            async with gate:
                try:
                    result = await execute(post, nb, root, limits)
                except NotebookPostError as exc:
                    errors.append(exc)
                    return
                except (MissingModule, ModuleNotFoundError):
                    raise  # the building Python's problem, not this post's
                except Exception as exc:  # noqa: BLE001 - reported as the post's failure
                    errors.append(
                        post.error(
                            f"could not be executed: {type(exc).__name__}: {ANSI.sub('', str(exc))}"
                        )
                    )
                    return
            await loop.run_in_executor(handler, on_done, post, result)

        await asyncio.gather(*(one(post, nb) for post, nb in jobs))
        return sorted(errors, key=lambda e: e.src_uri)

    # A worker thread has no event loop, so asyncio.run works there even when the build
    # was started from code running inside one (Playwright's sync API, a Jupyter kernel).
    with ThreadPoolExecutor(max_workers=1) as pool, ThreadPoolExecutor(max_workers=1) as handler:
        return pool.submit(asyncio.run, run_all(handler)).result()


def default_jobs() -> int:
    """As many kernels at once as the machine has cores for this process."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
