"""First-order optimisers (SGD, Momentum, AdaGrad, RMSProp, Adam/AdamW) and a small minimise loop.

Every optimiser has ``step(params, grads)``: two dicts name -> ndarray; each array in
``params`` is updated in place from the gradient of the same name. Per-parameter state
(velocities, moment estimates, Adam's step count ``t``) lives in ``optimizer.state[name]``,
is created on the first step shaped like the parameter, and has the parameter's dtype,
so float32 parameters stay float32. The update rules follow the ``torch.optim`` classes
with the same hyper-parameters (in float64 they agree to ~1e-15 relative).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from snippets.validation import (
    check_array,
    check_flag,
    check_int,
    check_positive,
    check_probability,
)

__all__ = [
    "SGD",
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
            if not p.flags.writeable:
                raise ValueError(f"params[{name!r}] is read-only; it must be updated in place")
            g = check_array(grads[name], f"grads[{name!r}]", shape=p.shape)
            if g.dtype.kind == "b":
                raise TypeError(f"grads[{name!r}] must hold real numbers, got booleans")
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


# --8<-- [start:sgd]
class SGD(Optimizer):
    """Plain gradient descent: a step of size ``lr`` against the gradient."""

    def _update(self, name: str, p: np.ndarray, g: np.ndarray) -> None:
        p -= self.lr * g
# --8<-- [end:sgd]


# --8<-- [start:momentum]
class Momentum(Optimizer):
    """Heavy-ball momentum (torch.optim.SGD with ``momentum``, no dampening)."""

    def __init__(self, lr: float, momentum: float = 0.9) -> None:
        super().__init__(lr)
        self.momentum = check_probability(momentum, "momentum")

    def _update(self, name: str, p: np.ndarray, g: np.ndarray) -> None:
        v = self._state(name, p, "v")["v"]  # velocity, zero before the first step
        v *= self.momentum  # old gradients fade geometrically...
        v += g  # ...so a consistent direction builds up speed
        p -= self.lr * v
# --8<-- [end:momentum]


# --8<-- [start:adagrad]
class AdaGrad(Optimizer):
    """AdaGrad: per-coordinate step ``lr / sqrt(sum of all squared gradients so far)``."""

    def __init__(self, lr: float, eps: float = 1e-10) -> None:
        super().__init__(lr)
        self.eps = check_positive(eps, "eps", allow_zero=True)

    def _update(self, name: str, p: np.ndarray, g: np.ndarray) -> None:
        sum_sq = self._state(name, p, "sum_sq")["sum_sq"]
        sum_sq += np.square(g)  # only grows, so every coordinate's step only shrinks
        p -= self.lr * (g / (np.sqrt(sum_sq) + self.eps))
# --8<-- [end:adagrad]


# --8<-- [start:rmsprop]
class RMSProp(Optimizer):
    """RMSProp: AdaGrad with a running *average* of squared gradients (torch.optim.RMSprop)."""

    def __init__(self, lr: float, alpha: float = 0.99, eps: float = 1e-8) -> None:
        super().__init__(lr)
        self.alpha = check_probability(alpha, "alpha")
        self.eps = check_positive(eps, "eps", allow_zero=True)

    def _update(self, name: str, p: np.ndarray, g: np.ndarray) -> None:
        v = self._state(name, p, "v")["v"]
        v *= self.alpha  # forget old gradients, so the step size can recover
        v += (1 - self.alpha) * np.square(g)
        p -= self.lr * (g / (np.sqrt(v) + self.eps))
# --8<-- [end:rmsprop]


# --8<-- [start:adam]
class Adam(Optimizer):
    """Adam; ``decoupled=True`` is AdamW, ``amsgrad=True`` the AMSGrad variant (as torch.optim)."""

    def __init__(self, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0, decoupled: bool = False,
                 amsgrad: bool = False) -> None:
        super().__init__(lr)
        self.betas = _check_betas(betas)
        self.eps = check_positive(eps, "eps", allow_zero=True)
        self.weight_decay = check_positive(weight_decay, "weight_decay", allow_zero=True)
        self.decoupled = check_flag(decoupled, "decoupled")
        self.amsgrad = check_flag(amsgrad, "amsgrad")
        # v_max is AMSGrad's running maximum of v; plain Adam does not need it.
        self._buffers = ("m", "v", "v_max") if self.amsgrad else ("m", "v")

    def _update(self, name: str, p: np.ndarray, g: np.ndarray) -> None:
        beta1, beta2 = self.betas
        lr, wd = self.lr, self.weight_decay
        s = self._state(name, p, *self._buffers)
        s["t"] = s.get("t", 0) + 1  # steps taken, for the bias correction
        m, v, t = s["m"], s["v"], s["t"]
        if wd and self.decoupled:
            p *= 1 - lr * wd  # AdamW: shrink the weights directly, outside the adaptive scaling
        elif wd:
            g = g + wd * p  # L2 penalty enters the gradient (a new array: grads stay untouched)
        m *= beta1
        m += (1 - beta1) * g  # running mean of g
        v *= beta2
        v += (1 - beta2) * np.square(g)  # running mean of g**2
        if self.amsgrad:
            v = np.maximum(s["v_max"], v, out=s["v_max"])  # the denominator never shrinks
        # m and v start at 0, so early averages are too small; dividing by (1 - beta**t)
        # fixes that. eps is added after the correction, as torch does.
        denom = np.sqrt(v)
        denom /= math.sqrt(1 - beta2**t)
        denom += self.eps
        p -= (lr / (1 - beta1**t)) * (m / denom)
# --8<-- [end:adam]


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


def _check_minimize_args(x0: ArrayLike, optimizer: Optimizer, max_iter: int, tol: float) -> np.ndarray:
    """Return x0 as a fresh float64 (D,) array after checking every argument."""
    x = check_array(x0, "x0", ndim=(0, 1))
    if x.dtype.kind == "b":
        raise TypeError("x0 must hold real numbers, got booleans")
    if not isinstance(optimizer, Optimizer):
        raise TypeError(
            f"optimizer must be an Optimizer such as SGD(lr=0.1), got {type(optimizer).__name__}"
        )
    check_int(max_iter, "max_iter", minimum=0)
    check_positive(tol, "tol", allow_zero=True)
    return np.array(x, dtype=np.float64).reshape(-1)


def _gradient(grad_fn: Callable[[np.ndarray], ArrayLike], x: np.ndarray, it: int) -> np.ndarray:
    """grad_fn at (a copy of) x, checked to be finite and shaped like x."""
    try:
        g = check_array(grad_fn(x.copy()), "grad_fn(x)")
    except ValueError as exc:
        raise ValueError(f"{exc} (at iteration {it}, x={x}; a diverging run? try a smaller lr)") from None
    if g.shape != x.shape and not (g.ndim == 0 and x.size == 1):
        raise ValueError(f"grad_fn(x) must return an array shaped like x {x.shape}, got {g.shape}")
    return np.asarray(g, dtype=np.float64).reshape(x.shape)


# --8<-- [start:minimize]
def minimize(grad_fn: Callable[[np.ndarray], ArrayLike], x0: ArrayLike, optimizer: Optimizer,
             max_iter: int = 10_000, tol: float = 1e-8) -> MinimizeResult:
    """Follow ``optimizer`` from ``x0`` (scalar or (D,)) until ||grad|| <= tol or max_iter steps.

    ``grad_fn`` maps a (D,) float64 array to its gradient (D,). The optimiser's state is reset.
    """
    x = _check_minimize_args(x0, optimizer, max_iter, tol)  # (D,) float64 copy of x0
    optimizer.reset()  # no velocity or moments left over from an earlier run
    trajectory = [x.copy()]
    g = _gradient(grad_fn, x, 0)
    # Stop on the gradient, never on the step length: a momentum step is ~0 whenever the
    # velocity changes sign, far from any minimum.
    while np.linalg.norm(g) > tol and len(trajectory) <= max_iter:
        optimizer.step({"x": x}, {"x": g})
        trajectory.append(x.copy())
        g = _gradient(grad_fn, x, len(trajectory) - 1)
    grad_norm = float(np.linalg.norm(g))
    return MinimizeResult(x=x, n_iter=len(trajectory) - 1, converged=grad_norm <= tol,
                          trajectory=np.array(trajectory), grad_norm=grad_norm)
# --8<-- [end:minimize]
