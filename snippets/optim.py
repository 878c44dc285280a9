"""First-order optimisers (SGD, Momentum, AdaGrad, RMSProp, Adam/AdamW) and a small minimise loop.

Every optimiser has ``step(params, grads)``: two dicts name -> ndarray; each array in
``params`` is updated in place from the gradient of the same name. Per-parameter state
(velocities, moment estimates, Adam's step count ``t``) lives in ``optimizer.state[name]``,
is created on the first step shaped like the parameter, and has the parameter's dtype,
so float32 parameters stay float32. The update rules follow the ``torch.optim`` classes
with the same hyper-parameters (in float64 they agree to ~1e-15 relative).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
from numpy.typing import ArrayLike

from snippets.validation import (
    all_finite,
    check_array,
    check_flag,
    check_int,
    check_positive,
    check_probability,
    check_small_constant,
    checked_with,
)

__all__ = [
    "SGD",
    "adagrad_step",
    "adam_step",
    "adamw_step",
    "amsgrad_step",
    "check_optimizer",
    "momentum_step",
    "rmsprop_step",
    "sgd_step",
    "AdaGrad",
    "Adam",
    "MinimizeResult",
    "Momentum",
    "Optimizer",
    "RMSProp",
    "minimize",
]


class Optimizer:
    """Base class: ``step`` checks its arguments, then calls ``_update`` once per parameter.

    Subclasses implement ``_update(name, p, g)``, which changes ``p`` in place and never
    writes to ``g`` (the caller's gradient).
    """

    def __init__(self, lr: float) -> None:
        self.lr = check_positive(lr, "lr")
        self.state: dict[str, dict[str, Any]] = {}

    def step(self, params: Mapping[str, np.ndarray], grads: Mapping[str, ArrayLike]) -> None:
        """Update every array in ``params`` in place using ``grads[name]`` (same shape)."""
        # Check everything before touching anything, so a bad gradient never leaves
        # the model half-updated.
        for name, p, g in self._check_step(params, grads):
            self._update(name, p, g)

    def reset(self) -> None:
        """Forget all per-parameter state (as if no step had been taken)."""
        self.state.clear()

    def _update(self, name: str, p: np.ndarray, g: np.ndarray) -> None:
        raise NotImplementedError

    def _state(self, name: str, p: np.ndarray, *buffers: str) -> dict[str, Any]:
        """State of parameter ``name``: zero buffers shaped like ``p``, made on first use."""
        if name not in self.state:
            self.state[name] = {key: np.zeros_like(p) for key in buffers}
        return self.state[name]

    def _check_step(
        self, params: Mapping[str, np.ndarray], grads: Mapping[str, ArrayLike]
    ) -> list[tuple[str, np.ndarray, np.ndarray]]:
        """Return (name, param, grad as an ndarray) triples, or raise naming the bad argument."""
        for arg, value in (("params", params), ("grads", grads)):
            if not isinstance(value, Mapping):
                raise TypeError(f"{arg} must be a dict name -> ndarray, got {type(value).__name__}")
        unknown = sorted(set(grads) - set(params))
        if unknown:
            raise ValueError(
                f"grads has unknown parameter name(s) {unknown}; params holds {sorted(params)}"
            )
        missing = sorted(set(params) - set(grads))
        if missing:
            raise ValueError(f"grads is missing the gradient of parameter(s) {missing}")
        checked = []
        for name, p in params.items():
            if not isinstance(p, np.ndarray) or p.dtype.kind != "f":
                got = f"dtype {p.dtype}" if isinstance(p, np.ndarray) else type(p).__name__
                raise TypeError(
                    f"params[{name!r}] must be a float ndarray (it is updated in place), got {got}"
                )
            if p.dtype not in (np.float32, np.float64):
                # float16 cannot hold eps = 1e-8 (it rounds to 0), so a zero gradient
                # would give 0 / 0 = NaN; other widths are untested.
                raise TypeError(
                    f"params[{name!r}] must be float32 or float64, got {p.dtype}; "
                    "keep a float32 master copy of float16 weights and step that"
                )
            if not p.flags.writeable:
                raise ValueError(f"params[{name!r}] is read-only; it must be updated in place")
            eps = getattr(self, "eps", None)
            if eps is not None:
                check_small_constant(eps, "eps", p.dtype)
            g = check_array(grads[name], f"grads[{name!r}]", shape=p.shape)
            if g.dtype.kind == "b":
                raise TypeError(f"grads[{name!r}] must hold real numbers, got booleans")
            if g.dtype != p.dtype:  # the state is kept in the parameter's dtype
                with np.errstate(over="ignore"):
                    g = g.astype(p.dtype)
                if not all_finite(g):
                    raise ValueError(f"grads[{name!r}] overflows {p.dtype} ({name!r}'s dtype)")
            for key, buf in self.state.get(name, {}).items():
                if isinstance(buf, np.ndarray) and (buf.shape, buf.dtype) != (p.shape, p.dtype):
                    raise ValueError(
                        f"params[{name!r}] is {p.dtype} {p.shape} but its optimiser state "
                        f"{key!r} was created for {buf.dtype} {buf.shape}; call reset() "
                        "or use a new optimiser"
                    )
            checked.append((name, p, g))
        return checked

    def __repr__(self) -> str:
        hyper = ", ".join(f"{k}={v!r}" for k, v in vars(self).items()
                          if k != "state" and not k.startswith("_"))
        return f"{type(self).__name__}({hyper})"


def _check_betas(betas: object) -> tuple[float, float]:
    if not isinstance(betas, (tuple, list)) or len(betas) != 2:
        raise TypeError(f"betas must be a pair (beta1, beta2), got {betas!r}")
    return (check_probability(betas[0], "betas[0] (beta1)"),
            check_probability(betas[1], "betas[1] (beta2)"))


# ---------------------------------------------------------------------------
# Kernels: the update rules as shown in the posts. No checks here. Each takes the
# parameter p and its state arrays and updates them in place from the gradient g: the
# state is the optimiser's memory, and each temporary array the size of p slows the
# training step down (benchmarks/bench_snippets.py).
# ---------------------------------------------------------------------------


# --8<-- [start:sgd_step]
def sgd_step(p: np.ndarray, g: np.ndarray, lr: float) -> None:
    """Plain gradient descent: p <- p - lr * g."""
    p -= lr * g
# --8<-- [end:sgd_step]


# --8<-- [start:momentum_step]
def momentum_step(p: np.ndarray, g: np.ndarray, v: np.ndarray, lr: float, mu: float) -> None:
    """Heavy-ball momentum (torch.optim.SGD with momentum, no dampening)."""
    v *= mu
    v += g  # v = mu v + g: old gradients fade, a steady direction builds up speed
    p -= lr * v
# --8<-- [end:momentum_step]


# --8<-- [start:adagrad_step]
def adagrad_step(p: np.ndarray, g: np.ndarray, sum_sq: np.ndarray, lr: float,
                 eps: float) -> None:
    """AdaGrad: divide by the root of the sum of ALL squared gradients so far."""
    sum_sq += g**2  # only grows, so every coordinate's step only shrinks
    p -= lr * g / (np.sqrt(sum_sq) + eps)
# --8<-- [end:adagrad_step]


# --8<-- [start:rmsprop_step]
def rmsprop_step(p: np.ndarray, g: np.ndarray, v: np.ndarray, lr: float, alpha: float,
                 eps: float) -> None:
    """RMSProp: a running AVERAGE of squared gradients instead of their sum."""
    v *= alpha
    v += (1 - alpha) * g**2  # old gradients are forgotten, so the step can recover
    p -= lr * g / (np.sqrt(v) + eps)
# --8<-- [end:rmsprop_step]


# --8<-- [start:adam_step]
def adam_step(p: np.ndarray, g: np.ndarray, m: np.ndarray, v: np.ndarray, t: int,
              lr: float, beta1: float, beta2: float, eps: float) -> None:
    """One Adam step at step number t = 1, 2, ... (p, m and v are updated in place)."""
    m *= beta1
    m += (1 - beta1) * g  # m = beta1 m + (1 - beta1) g: running mean of g
    v *= beta2
    v += (1 - beta2) * g**2  # v = beta2 v + (1 - beta2) g^2: running mean of g^2
    m_hat = m / (1 - beta1**t)  # m and v start at 0: undo that bias
    v_hat = v / (1 - beta2**t)
    # p -= lr * m_hat / (sqrt(v_hat) + eps), one operation at a time so that no further
    # p-sized arrays are made
    denom = np.sqrt(v_hat, out=v_hat)
    denom += eps
    m_hat /= denom
    p -= lr * m_hat
# --8<-- [end:adam_step]


# --8<-- [start:adamw_step]
def adamw_step(p: np.ndarray, g: np.ndarray, m: np.ndarray, v: np.ndarray, t: int,
               lr: float, beta1: float, beta2: float, eps: float,
               weight_decay: float) -> None:
    """AdamW: shrink the weights directly, outside the adaptive scaling; then Adam."""
    p *= 1 - lr * weight_decay
    adam_step(p, g, m, v, t, lr, beta1, beta2, eps)
# --8<-- [end:adamw_step]


# --8<-- [start:amsgrad_step]
def amsgrad_step(p: np.ndarray, g: np.ndarray, m: np.ndarray, v: np.ndarray,
                 v_max: np.ndarray, t: int, lr: float, beta1: float, beta2: float,
                 eps: float) -> None:
    """AMSGrad: Adam dividing by the largest v so far (v_max, updated in place)."""
    m *= beta1
    m += (1 - beta1) * g
    v *= beta2
    v += (1 - beta2) * g**2
    np.maximum(v_max, v, out=v_max)  # the denominator never shrinks
    m_hat = m / (1 - beta1**t)
    v_hat = v_max / (1 - beta2**t)
    p -= lr * m_hat / (np.sqrt(v_hat) + eps)
# --8<-- [end:amsgrad_step]


# ---------------------------------------------------------------------------
# The validated classes: hyper-parameters checked once, then one kernel call per step.
# ---------------------------------------------------------------------------


class SGD(Optimizer):
    """Plain gradient descent: a step of size ``lr`` against the gradient."""

    def _update(self, name: str, p: np.ndarray, g: np.ndarray) -> None:
        sgd_step(p, g, self.lr)


class Momentum(Optimizer):
    """Heavy-ball momentum (torch.optim.SGD with ``momentum``, no dampening)."""

    def __init__(self, lr: float, momentum: float = 0.9) -> None:
        super().__init__(lr)
        self.momentum = check_probability(momentum, "momentum")

    def _update(self, name: str, p: np.ndarray, g: np.ndarray) -> None:
        v = self._state(name, p, "v")["v"]  # velocity, zero before the first step
        momentum_step(p, g, v, self.lr, self.momentum)


class AdaGrad(Optimizer):
    """AdaGrad: per-coordinate step ``lr / sqrt(sum of all squared gradients so far)``."""

    def __init__(self, lr: float, eps: float = 1e-10) -> None:
        super().__init__(lr)
        self.eps = check_positive(eps, "eps", allow_zero=True)

    def _update(self, name: str, p: np.ndarray, g: np.ndarray) -> None:
        adagrad_step(p, g, self._state(name, p, "sum_sq")["sum_sq"], self.lr, self.eps)


class RMSProp(Optimizer):
    """RMSProp: AdaGrad with a running *average* of squared gradients (torch.optim.RMSprop)."""

    def __init__(self, lr: float, alpha: float = 0.99, eps: float = 1e-8) -> None:
        super().__init__(lr)
        self.alpha = check_probability(alpha, "alpha")
        self.eps = check_positive(eps, "eps", allow_zero=True)

    def _update(self, name: str, p: np.ndarray, g: np.ndarray) -> None:
        rmsprop_step(p, g, self._state(name, p, "v")["v"], self.lr, self.alpha, self.eps)


class Adam(Optimizer):
    """Adam, as torch.optim.Adam / AdamW with the same hyper-parameters.

    ``weight_decay`` > 0 adds the L2 gradient ``weight_decay * p`` (torch.optim.Adam);
    with ``decoupled=True`` it is AdamW's decay instead (``adamw_step``). ``amsgrad=True``
    divides by the running maximum of v (``amsgrad_step``).
    """

    def __init__(self, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0, decoupled: bool = False,
                 amsgrad: bool = False) -> None:
        super().__init__(lr)
        self.betas = _check_betas(betas)
        self.eps = check_positive(eps, "eps", allow_zero=True)
        self.weight_decay = check_positive(weight_decay, "weight_decay", allow_zero=True)
        self.decoupled = check_flag(decoupled, "decoupled")
        self.amsgrad = check_flag(amsgrad, "amsgrad")

    def _update(self, name: str, p: np.ndarray, g: np.ndarray) -> None:
        (beta1, beta2), lr, eps, wd = self.betas, self.lr, self.eps, self.weight_decay
        s = self._state(name, p, *(("m", "v", "v_max") if self.amsgrad else ("m", "v")))
        s["t"] = t = s.get("t", 0) + 1  # steps taken, for the bias correction
        decay = wd if self.decoupled else 0.0
        if wd and not self.decoupled:
            g = g + wd * p  # L2 penalty in the gradient (a new array: grads stay untouched)
        if self.amsgrad:
            p *= 1 - lr * decay  # AdamW's decay comes first, as in adamw_step
            amsgrad_step(p, g, s["m"], s["v"], s["v_max"], t, lr, beta1, beta2, eps)
        elif decay:
            adamw_step(p, g, s["m"], s["v"], t, lr, beta1, beta2, eps, decay)
        else:
            adam_step(p, g, s["m"], s["v"], t, lr, beta1, beta2, eps)


@dataclass
class MinimizeResult:
    """Outcome of ``minimize``.

    ``x`` (D,) is the last point reached, ``n_iter`` the number of optimiser steps,
    ``converged`` whether ``grad_norm`` (the gradient norm at ``x``) is <= tol, and
    ``trajectory`` (n_iter + 1, D) every point visited, starting with x0.
    """

    x: np.ndarray
    n_iter: int
    converged: bool
    trajectory: np.ndarray
    grad_norm: float


def check_optimizer(optimizer: object, *, any_with_step: bool = False) -> None:
    """Raise TypeError unless ``optimizer`` is an optimiser instance, not its class.

    With ``any_with_step``, any object with a ``step(params, grads)`` method will do.
    """
    if isinstance(optimizer, type):
        raise TypeError(
            f"optimizer must be an instance such as {optimizer.__name__}(lr=0.1), "
            f"got the class {optimizer.__name__} itself"
        )
    if any_with_step and not callable(getattr(optimizer, "step", None)):
        raise TypeError(
            "optimizer must have a step(params, grads) method (see snippets.optim), "
            f"got {type(optimizer).__name__}"
        )
    if not any_with_step and not isinstance(optimizer, Optimizer):
        raise TypeError(
            f"optimizer must be an Optimizer such as SGD(lr=0.1), got {type(optimizer).__name__}"
        )


class _CheckedGradient:
    """Wraps grad_fn: each call is checked to be finite and shaped like x (float64)."""

    def __init__(self, grad_fn: Callable[[np.ndarray], ArrayLike]) -> None:
        self.grad_fn, self.calls = grad_fn, 0

    def __call__(self, x: np.ndarray) -> np.ndarray:
        it, self.calls = self.calls, self.calls + 1
        try:
            g = check_array(self.grad_fn(x.copy()), "grad_fn(x)")  # a copy: x stays ours
        except ValueError as exc:
            raise ValueError(
                f"{exc} (at iteration {it}, x={x}; a diverging run? try a smaller lr)"
            ) from None
        if g.shape != x.shape and not (g.ndim == 0 and x.size == 1):
            raise ValueError(
                f"grad_fn(x) must return an array shaped like x {x.shape}, got {g.shape}"
            )
        return np.asarray(g, dtype=np.float64).reshape(x.shape)


class _CheckedOnce:
    """``optimizer`` as minimize's loop steps it, without re-checking every step.

    The loop's arguments are checked already: ``x`` is minimize's own float64 (D,) copy
    of x0, each gradient comes from ``_CheckedGradient`` (finite float64, shaped like x)
    and ``reset`` clears any state an earlier run left. So ``step`` goes straight to the
    optimiser's update, as the other kernels do: their inputs are checked once, not in
    the loop. Used only when ``_checks_as_base(optimizer)``.
    """

    def __init__(self, optimizer: Optimizer) -> None:
        self.optimizer = optimizer

    def reset(self) -> None:
        self.optimizer.reset()

    def step(self, params: Mapping[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> None:
        for name, p in params.items():
            self.optimizer._update(name, p, grads[name])


def _checks_as_base(optimizer: Optimizer) -> bool:
    """Whether ``optimizer`` steps, checks and resets as ``Optimizer`` does, so that
    ``_CheckedOnce`` changes nothing but the time a step takes. A subclass or an instance
    with its own ``step``, ``_check_step`` or ``reset`` keeps them."""
    cls = type(optimizer)
    return (
        cls.step is Optimizer.step
        and cls._check_step is Optimizer._check_step
        and cls.reset is Optimizer.reset
        and not {"step", "_check_step", "reset"} & set(vars(optimizer))
    )


def _check_minimize_args(
    grad_fn: Callable[[np.ndarray], ArrayLike], x0: ArrayLike, optimizer: Optimizer,
    max_iter: int = 10_000, tol: float = 1e-8,
) -> tuple[Callable[[np.ndarray], np.ndarray], np.ndarray, Optimizer, int, float]:
    """minimize's arguments checked; x0 as a fresh float64 (D,) array."""
    if not callable(grad_fn):
        raise TypeError(f"grad_fn must be callable, got {type(grad_fn).__name__}")
    x = check_array(x0, "x0", ndim=(0, 1))
    if x.dtype.kind == "b":
        raise TypeError("x0 must hold real numbers, got booleans")
    check_optimizer(optimizer)
    max_iter = check_int(max_iter, "max_iter", minimum=0)
    tol = check_positive(tol, "tol", allow_zero=True)
    x = np.array(x, dtype=np.float64).reshape(-1)
    if _checks_as_base(optimizer):  # the checks of step are done above
        optimizer = cast(Optimizer, _CheckedOnce(optimizer))
    return _CheckedGradient(grad_fn), x, optimizer, max_iter, tol


@checked_with(_check_minimize_args)
# --8<-- [start:minimize]
def minimize(grad_fn: Callable[[np.ndarray], np.ndarray], x0: np.ndarray, optimizer: Optimizer,
             max_iter: int = 10_000, tol: float = 1e-8) -> MinimizeResult:
    """Follow ``optimizer`` from ``x0`` (scalar or (D,)) until ||grad|| <= tol or max_iter steps.

    ``grad_fn`` maps a (D,) float64 array to its gradient (D,). The optimiser's state is reset.
    """
    x = x0  # (D,) float64, a copy of the caller's x0
    optimizer.reset()  # no velocity or moments left over from an earlier run
    trajectory = [x.copy()]
    g = grad_fn(x)
    # Stop on the gradient, never on the step length: a momentum step is ~0 whenever the
    # velocity changes sign, far from any minimum.
    while np.linalg.norm(g) > tol and len(trajectory) <= max_iter:
        optimizer.step({"x": x}, {"x": g})
        trajectory.append(x.copy())
        g = grad_fn(x)
    grad_norm = float(np.linalg.norm(g))
    return MinimizeResult(x=x, n_iter=len(trajectory) - 1, converged=grad_norm <= tol,
                          trajectory=np.array(trajectory), grad_norm=grad_norm)
# --8<-- [end:minimize]
