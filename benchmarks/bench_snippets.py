"""Speed of the ``snippets`` package on this machine. Prints figures; asserts nothing.

    python benchmarks/bench_snippets.py [--rounds 11] [--wait-quiet 60] [--no-torch] [--quick]

0. Before measuring, waits (up to ``--wait-quiet`` seconds) for a 2-second window in which
   other processes use < 15% of one core, and prints what it found and the load average.
1. Matmul peak: GFLOP/s of a large square ``np.dot`` (n = 2048 and 4096) in float64 and
   float32, best of 5 repeats, numpy's BLAS at its default thread count; measured before
   and again after part 2, and the best of everything is "the peak" of that dtype.
2. One training step of ``snippets.two_layer_net.TwoLayerNet(784, 100, 10)``:
   ``model.loss(X, y)`` (forward + backward) then ``snippets.optim.Adam().step(params,
   grads)``, at batch 64 and 1024, float32 and float64. FLOPs counted per step (matrix
   products only; bias adds, ReLU, softmax and Adam are not counted):
       forward   X @ W1 (2*N*D*H) + a1 @ W2 (2*N*H*C)
       backward  dW2 = a1.T @ dscores (2*N*H*C), da1 = dscores @ W2.T (2*N*H*C),
                 dW1 = X.T @ dz1 (2*N*D*H); no dX (the input is data, as torch skips it
                 for a leaf tensor that does not require grad)
       total     4*N*D*H + 6*N*H*C   (N=1024: 327.3 MFLOP; N=64: 20.5 MFLOP)
   The FLOP rate of the median step is shown as a share of the matmul peak of its dtype.
3. When PyTorch can be imported (optional; never a requirement of this repository): the
   same step in torch -- nn.Linear(784, 100) -> ReLU -> nn.Linear(100, 10) with the
   numpy model's initial weights copied in (transposed: nn.Linear stores (out, in)),
   F.cross_entropy, loss.backward(), torch.optim.Adam() with its defaults (lr 1e-3,
   default ``foreach``), ``zero_grad()`` -- timed exactly like the numpy step.
4. ``snippets.softmax_regression.fit`` on scikit-learn's digits (stratified 75/25 split,
   random_state=0, StandardScaler fitted on the training part, ``add_intercept``,
   ``fit(X_train, y_train, 10)`` with its defaults): median of 9 runs and test accuracy.
Last, the three targets with PASS/MISS: float32 batch-1024 step numpy/torch <= 1.0,
float32 batch-1024 step >= 45% of the float32 matmul peak, digits fit < 100 ms.

How the numpy/torch comparison is kept fair
-------------------------------------------
* Separate processes. torch's OpenMP worker threads keep spinning for a while after each
  parallel region; in the same process they would compete with numpy's BLAS threads for
  the 2 cores. So numpy and torch steps run in two worker processes started by this
  script (multiprocessing, "spawn"); the numpy worker never imports torch, and this parent
  process never imports torch at all. Both workers get their commands over a pipe and
  sleep in a blocking read while the other one runs.
* Same threads. The parent reads the thread count of numpy's BLAS with threadpoolctl;
  the numpy worker limits its BLAS to that count (threadpoolctl.threadpool_limits) and
  the torch worker calls ``torch.set_num_threads`` with it. Both are printed.
* Alternating blocks. For each (dtype, batch) the parent runs a numpy block, then a torch
  block, then numpy again, ... (``--rounds`` of each), with a short idle gap between blocks
  so that spinning threads of the previous block have gone to sleep. Load changes on the
  machine therefore hit both sides alike. Each block starts from a fresh model (same seed,
  same initial weights in numpy and torch) and a fresh Adam, runs warm-up steps, then
  times each step with ``time.perf_counter``. Reported: median and min over all timed
  steps of all blocks; the ratio numpy/torch is the median over rounds of
  (numpy block median / torch block median) of the same round, with its range.
* Load is measured, not guessed: for every block the parent reads the machine's busy CPU
  time (/proc/stat) before and after, and subtracts the worker's own CPU time (all its
  threads); the rest, per second of the block, is the 'others' column (in cores). On this
  2-core machine one busy process elsewhere is enough to make OpenBLAS's threaded calls
  wait for a time slice (numpy then gets several times slower while torch's OpenMP pool
  copes better), so compare figures only from runs where 'others' is near 0.
* Data: random standard-normal inputs and random labels, a pool of pre-generated batches
  cycled step by step (the same pool in both workers), so the net never trains on one
  batch only; with a fresh model per block the timed steps are the same work every round.

BLAS environment
----------------
On some processors this machine sets OPENBLAS_CORETYPE (and OPENBLAS_L2_SIZE) for old
OpenBLAS builds; they force a slower kernel on a current numpy. If either is set, this
script re-executes itself once with BOTH removed (for this benchmark process and its
workers only; tests and CI keep them) and prints what it removed. ``--keep-blas-env``
measures with them. The OpenBLAS kernel in use (threadpoolctl's ``architecture``) is
printed either way.
"""

from __future__ import annotations

import os
import sys

_BLAS_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
_REMOVED_MARK = "BENCH_SNIPPETS_REMOVED_BLAS_ENV"

if (
    __name__ == "__main__"
    and "--keep-blas-env" not in sys.argv
    and any(key in os.environ for key in _BLAS_ENV)
):
    # Must happen before numpy is imported: OpenBLAS reads these when it loads.
    _env = {k: v for k, v in os.environ.items() if k not in _BLAS_ENV}
    _env[_REMOVED_MARK] = " ".join(f"{k}={os.environ[k]}" for k in _BLAS_ENV if k in os.environ)
    os.execve(sys.executable, [sys.executable, os.path.abspath(__file__), *sys.argv[1:]], _env)

import argparse
import importlib.util
import math
import multiprocessing as mp
import platform
import statistics
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]

D, H, C = 784, 100, 10  # the benchmarked net: 784 -> 100 -> 10
BATCHES = (64, 1024)
DTYPES = ("float32", "float64")
GAP_S = 0.25  # idle time between blocks: lets spinning BLAS/OpenMP threads go to sleep

TARGET_RATIO = 1.0  # float32, batch 1024: numpy step time / torch step time
TARGET_SHARE = 0.45  # float32, batch 1024: step FLOP rate / float32 matmul peak
TARGET_FIT_MS = 100.0  # softmax_regression.fit on digits


def step_flops(n: int) -> int:
    """Matrix-product FLOPs of one training step at batch n (see the module docstring)."""
    forward = 2 * n * D * H + 2 * n * H * C
    backward = 2 * n * H * C * 2 + 2 * n * D * H  # dW2 and da1; dW1 (no dX)
    return forward + backward


def blas_info() -> dict:
    """threadpoolctl's record of numpy's BLAS (first BLAS pool found)."""
    from threadpoolctl import threadpool_info

    pools = [p for p in threadpool_info() if p.get("user_api") == "blas"]
    return pools[0] if pools else {}


def cpu_busy_seconds() -> float:
    """CPU seconds all processes have spent busy since boot, summed over CPUs (/proc/stat);
    NaN where /proc/stat does not exist."""
    try:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:]]
    except OSError:
        return float("nan")
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")  # user..steal


def wait_until_quiet(max_wait: float, threshold: float = 0.15) -> str:
    """Wait (at most max_wait s) for a 2 s window in which the CPUs were busy less than
    ``threshold`` of one core (other helpers, builds, tests); say what was found."""
    deadline = time.monotonic() + max_wait
    while True:
        busy0, wall0 = cpu_busy_seconds(), time.perf_counter()
        time.sleep(2.0)
        busy = (cpu_busy_seconds() - busy0) / (time.perf_counter() - wall0)
        if math.isnan(busy) or busy < threshold:  # NaN: cannot tell, do not wait
            return f"quiet: other processes used {busy:.0%} of a core over 2 s"
        if time.monotonic() >= deadline:
            return (
                f"NOT quiet after waiting {max_wait:.0f} s: other processes used "
                f"{busy:.0%} of a core over the last 2 s (figures below are affected)"
            )


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1e3:8.3f} ms"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


# ---------------------------------------------------------------------------
# Workers (run in their own processes)
# ---------------------------------------------------------------------------


def pool_size(n: int) -> int:
    """Pre-generated batches cycled at batch n: at least 8, and 2048 samples in all."""
    return max(8, 2048 // n)


def make_pool(dtype: str, n: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Random batches (X (n, D) standard normal, y (n,) random labels); the same in both
    workers because the seed depends only on (dtype, n)."""
    rng = np.random.default_rng([n, DTYPES.index(dtype)])
    return [
        (rng.standard_normal((n, D), dtype=np.dtype(dtype)), rng.integers(0, C, n))
        for _ in range(pool_size(n))
    ]


def numpy_worker(conn, threads: int) -> None:
    """Serve (dtype, n, warmup, steps) blocks of snippets steps; never imports torch."""
    from threadpoolctl import threadpool_limits

    from snippets.optim import Adam
    from snippets.two_layer_net import TwoLayerNet

    pools: dict = {}
    with threadpool_limits(limits=threads, user_api="blas"):
        conn.send({"threads": blas_info().get("num_threads")})
        while (msg := conn.recv()) is not None:
            cpu0 = time.process_time()  # this process, all its threads (BLAS included)
            dtype, n, warmup, steps = msg
            if (dtype, n) not in pools:
                pools.clear()
                pools[dtype, n] = make_pool(dtype, n)
            data = pools[dtype, n]
            model = TwoLayerNet(D, H, C, dtype=np.dtype(dtype), seed=0)
            optimizer = Adam()
            times = []
            for i in range(warmup + steps):
                X, y = data[i % len(data)]
                start = time.perf_counter()
                _, grads = model.loss(X, y)
                optimizer.step(model.params, grads)
                times.append(time.perf_counter() - start)
            conn.send((times[warmup:], time.process_time() - cpu0))


def torch_worker(conn, threads: int) -> None:
    """Serve the same blocks with the equivalent torch step (checked: in float64 both
    give the same loss and parameters to ~1e-14 after 20 steps from the same start)."""
    try:
        import torch
        import torch.nn.functional as F
    except Exception as exc:  # noqa: BLE001 -- any import failure means "no torch"
        conn.send({"error": f"{type(exc).__name__}: {exc}"})
        return
    from snippets.two_layer_net import TwoLayerNet

    torch.set_num_threads(threads)
    conn.send(
        {
            "threads": torch.get_num_threads(),
            "version": torch.__version__,
            "mkl": torch.backends.mkl.is_available(),
            "mkldnn": torch.backends.mkldnn.is_available(),
        }
    )
    pools: dict = {}
    while (msg := conn.recv()) is not None:
        cpu0 = time.process_time()  # this process, all its threads (OpenMP included)
        dtype, n, warmup, steps = msg
        if (dtype, n) not in pools:
            pools.clear()
            pools[dtype, n] = [
                (torch.from_numpy(X), torch.from_numpy(y)) for X, y in make_pool(dtype, n)
            ]
        data = pools[dtype, n]
        tdtype = getattr(torch, dtype)
        init = TwoLayerNet(D, H, C, dtype=np.dtype(dtype), seed=0).params  # same start
        model = torch.nn.Sequential(
            torch.nn.Linear(D, H), torch.nn.ReLU(), torch.nn.Linear(H, C)
        ).to(tdtype)
        with torch.no_grad():  # nn.Linear stores weight as (out, in): ours transposed
            model[0].weight.copy_(torch.from_numpy(init["W1"].T.copy()))
            model[0].bias.copy_(torch.from_numpy(init["b1"]))
            model[2].weight.copy_(torch.from_numpy(init["W2"].T.copy()))
            model[2].bias.copy_(torch.from_numpy(init["b2"]))
        optimizer = torch.optim.Adam(model.parameters())  # lr 1e-3, as snippets' Adam
        times = []
        for i in range(warmup + steps):
            X, y = data[i % len(data)]
            start = time.perf_counter()
            optimizer.zero_grad()
            loss = F.cross_entropy(model(X), y)
            loss.backward()
            optimizer.step()
            times.append(time.perf_counter() - start)
        conn.send((times[warmup:], time.process_time() - cpu0))


class Worker:
    """A worker process and the parent's end of its pipe."""

    def __init__(self, ctx, target, threads: int) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=target, args=(child, threads), daemon=True)
        self.proc.start()
        child.close()
        self.hello = self.conn.recv()

    def block(self, dtype: str, n: int, warmup: int, steps: int) -> tuple[list[float], float]:
        """Step times (s) of one block, and the CPU seconds that OTHER processes used
        meanwhile (all CPUs busy time minus this worker's own CPU time, all threads)."""
        busy0, wall0 = cpu_busy_seconds(), time.perf_counter()
        self.conn.send((dtype, n, warmup, steps))
        times, own_cpu = self.conn.recv()
        others = cpu_busy_seconds() - busy0 - own_cpu
        return times, max(others, 0.0) / (time.perf_counter() - wall0)

    def close(self) -> None:
        if self.proc.is_alive():
            try:
                self.conn.send(None)
            except (BrokenPipeError, OSError):
                pass
        self.proc.join(timeout=30)


# ---------------------------------------------------------------------------
# Parts of the benchmark (parent process)
# ---------------------------------------------------------------------------


def matmul_peak(sizes: tuple[int, ...], repeats: int) -> dict[str, float]:
    """Best GFLOP/s of np.dot(a, b) on (n, n) matrices, per dtype, over sizes and repeats."""
    peak = {}
    for dtype in ("float64", "float32"):
        rng = np.random.default_rng(0)
        best = {}
        for n in sizes:
            a = rng.standard_normal((n, n), dtype=np.dtype(dtype))
            b = rng.standard_normal((n, n), dtype=np.dtype(dtype))
            out = np.empty_like(a)
            np.dot(a, b, out=out)  # warm-up: threads started, pages touched
            times = []
            for _ in range(repeats):
                start = time.perf_counter()
                np.dot(a, b, out=out)
                times.append(time.perf_counter() - start)
            best[n] = 2 * n**3 / min(times) / 1e9
        peak[dtype] = max(best.values())
        sizes_txt = ", ".join(f"n={n}: {g:6.1f}" for n, g in best.items())
        print(f"  {dtype}: peak {peak[dtype]:6.1f} GFLOP/s   ({sizes_txt}; best of {repeats})")
    return peak


def train_steps(threads: int, rounds: int, use_torch: bool) -> dict:
    """Alternating numpy/torch blocks for every (dtype, batch).

    Returns {(dtype, n): {side: {"times": [...], "medians": [...], "others": [...]}}}, with
    every timed step, each block's median, and each block's CPU use by other processes
    (in cores).
    """
    ctx = mp.get_context("spawn")
    workers = {"numpy": Worker(ctx, numpy_worker, threads)}
    print(f"  numpy worker: BLAS threads {workers['numpy'].hello['threads']} (threadpoolctl limit)")
    if use_torch:
        tw = Worker(ctx, torch_worker, threads)
        if "error" in tw.hello:
            print(f"  torch: not importable ({tw.hello['error']}); numpy only")
            tw.close()
        else:
            workers["torch"] = tw
            h = tw.hello
            print(
                f"  torch worker: torch {h['version']}, set_num_threads({threads}) -> "
                f"get_num_threads() = {h['threads']}, MKL {h['mkl']}, oneDNN {h['mkldnn']}"
            )
    results = {}
    try:
        for dtype in DTYPES:
            for n in BATCHES:
                warmup, steps = (30, 200) if n <= 64 else (10, 60)
                res = {name: {"times": [], "medians": [], "others": []} for name in workers}
                for _ in range(rounds):
                    for name, worker in workers.items():  # numpy, torch, numpy, torch, ...
                        times, others = worker.block(dtype, n, warmup, steps)
                        res[name]["times"] += times
                        res[name]["medians"].append(statistics.median(times))
                        res[name]["others"].append(others)
                        time.sleep(GAP_S)
                results[dtype, n] = res
                print(
                    f"    {dtype} batch {n:4d} done "
                    f"({rounds} rounds x {steps} timed steps per side)"
                )
    finally:
        for worker in workers.values():
            worker.close()
    return results


def ratio_of(res: dict) -> tuple[float, float, float] | None:
    """numpy/torch: median over rounds of the per-round ratio of block medians, min, max."""
    if "torch" not in res:
        return None
    ratios = [a / b for a, b in zip(res["numpy"]["medians"], res["torch"]["medians"], strict=False)]
    return statistics.median(ratios), min(ratios), max(ratios)


def report_steps(results: dict, peak: dict[str, float]) -> None:
    print(
        f"  {'dtype':8s} {'batch':>5s} {'MFLOP':>6s}  {'side':5s} {'median':>9s} {'min':>9s}"
        f" {'GFLOP/s':>8s} {'of peak':>8s}  {'others':>6s}  numpy/torch [range]"
    )
    for (dtype, n), res in results.items():
        flops = step_flops(n)
        ratio = ratio_of(res)
        for i, (name, r) in enumerate(res.items()):
            med = statistics.median(r["times"])
            rate = flops / med / 1e9
            head = f"{dtype:8s} {n:5d} {flops / 1e6:6.1f}" if i == 0 else " " * 21
            tail = ""
            if ratio and i == 0:
                tail = f"  {ratio[0]:.3f} [{ratio[1]:.2f} .. {ratio[2]:.2f}]"
            print(
                f"  {head}  {name:5s} {fmt_ms(med)} {fmt_ms(min(r['times']))} {rate:8.1f}"
                f" {rate / peak[dtype]:8.1%}  {statistics.mean(r['others']):6.2f}{tail}"
            )
    print(
        "  (median/min over all timed steps; 'of peak' = median-step FLOP rate / matmul peak"
        " of that dtype;\n   'others' = CPU cores used by other processes during the blocks,"
        " mean; ratio = median over rounds\n   of numpy block median / torch block median)"
    )


def softmax_fit_digits(repeats: int) -> tuple[float, float, float, int]:
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    from snippets import softmax_regression as sr

    X, y = load_digits(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
    scaler = StandardScaler().fit(X_tr)
    X_tr = sr.add_intercept(scaler.transform(X_tr))
    X_te = sr.add_intercept(scaler.transform(X_te))
    sr.fit(X_tr, y_tr, 10)  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = sr.fit(X_tr, y_tr, 10)
        times.append(time.perf_counter() - start)
    acc = sr.accuracy(X_te, y_te, result.W)
    return statistics.median(times), min(times), acc, result.n_iter


def load_text() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f} (1 / 5 / 15 min)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=11, help="numpy/torch block pairs")
    parser.add_argument("--no-torch", action="store_true", help="skip the torch comparison")
    parser.add_argument("--quick", action="store_true", help="smoke run: few rounds, small peak")
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="wait up to this long for the machine to be idle (0: do not wait)",
    )
    parser.add_argument(
        "--keep-blas-env",
        action="store_true",
        help="do not remove OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE",
    )
    args = parser.parse_args()
    rounds = 2 if args.quick else args.rounds
    sizes, repeats = ((1024,), 2) if args.quick else ((2048, 4096), 5)

    info = blas_info()
    threads = int(info.get("num_threads") or 1)
    print("bench_snippets")
    print(
        f"  machine: {os.cpu_count()} CPUs, {platform.machine()}, "
        f"python {platform.python_version()}, numpy {np.__version__}"
    )
    print(
        f"  numpy BLAS: {info.get('internal_api')} {info.get('version')}, kernel "
        f"{info.get('architecture')}, threads {threads} ({info.get('threading_layer')})"
    )
    removed = os.environ.get(_REMOVED_MARK)
    left = [k for k in _BLAS_ENV if k in os.environ]
    if removed:
        print(f"  BLAS env: removed for this benchmark process only: {removed}")
    elif left:
        print(
            "  BLAS env: kept (--keep-blas-env): " + " ".join(f"{k}={os.environ[k]}" for k in left)
        )
    else:
        print("  BLAS env: OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE not set")
    if args.wait_quiet > 0:
        print(f"  {wait_until_quiet(args.wait_quiet)}")
    print(f"  load average at start: {load_text()}")

    print("\n1. Matmul peak (np.dot of two square matrices; measured before and after part 2)")
    peak = matmul_peak(sizes, repeats)

    use_torch = not args.no_torch and importlib.util.find_spec("torch") is not None
    print(
        "\n2/3. Training step 784-100-10, loss + Adam step; FLOPs = 4*N*D*H + 6*N*H*C"
        + (
            "; numpy and torch (if it imports) in alternating blocks"
            if use_torch
            else "; torch not used"
        )
    )
    results = train_steps(threads, rounds, use_torch)
    print("  matmul peak again:")
    again = matmul_peak(sizes, repeats)
    peak = {dtype: max(peak[dtype], again[dtype]) for dtype in peak}
    print(
        f"  peak used below (best of both): float64 {peak['float64']:.1f}, "
        f"float32 {peak['float32']:.1f} GFLOP/s"
    )
    report_steps(results, peak)

    print("\n4. softmax_regression.fit on digits (75/25 stratified, standardised, intercept)")
    fit_med, fit_min, acc, n_iter = softmax_fit_digits(3 if args.quick else 9)
    print(
        f"  median {fit_med * 1e3:.1f} ms, min {fit_min * 1e3:.1f} ms "
        f"({n_iter} iterations), test accuracy {acc:.4f}"
    )

    res = results["float32", 1024]
    others = statistics.mean(x for r in res.values() for x in r["others"])
    print(
        f"\nTargets (load average at end: {load_text()}; during the float32 batch-1024 "
        f"blocks other processes used {others:.2f} cores)"
    )
    ratio = ratio_of(res)
    if ratio:
        print(
            f"  float32 batch-1024 step numpy/torch    {ratio[0]:7.3f}    target <= "
            f"{TARGET_RATIO:.2f}    {verdict(ratio[0] <= TARGET_RATIO)}"
        )
    else:
        print("  float32 batch-1024 step numpy/torch    n/a (torch not importable, or --no-torch)")
    share = step_flops(1024) / statistics.median(res["numpy"]["times"]) / 1e9 / peak["float32"]
    print(
        f"  float32 batch-1024 step share of peak  {share:7.1%}    target >= "
        f"{TARGET_SHARE:.0%}     {verdict(share >= TARGET_SHARE)}"
    )
    print(
        f"  softmax_regression.fit on digits       {fit_med * 1e3:6.1f} ms  target <  "
        f"{TARGET_FIT_MS:.0f} ms  {verdict(fit_med * 1e3 < TARGET_FIT_MS)}"
    )


if __name__ == "__main__":
    main()
