"""Numerical gradients by centred differences, to check hand-written backward passes.

``numerical_gradient`` handles a scalar function (a loss); ``numerical_gradient_array``
handles a function with array output (a layer) by contracting it with an upstream
gradient ``dout``, which is exactly what the layer's backward pass computes.
``rel_error`` compares the two answers independently of their scale.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from snippets.validation import all_finite, check_array, check_positive, checked_with

__all__ = ["numerical_gradient", "numerical_gradient_array", "rel_error"]


def _check_probe(f: object, x: object, h: object) -> float:
    """``x`` is perturbed in place, so it must be a writeable float ndarray."""
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        got = f"dtype {x.dtype}" if isinstance(x, np.ndarray) else type(x).__name__
        raise TypeError(
            f"x must be a float ndarray (it is perturbed in place and passed to f), got {got}"
        )
    if not x.flags.writeable:
        raise ValueError("x must be writeable: it is perturbed in place")
    check_array(x, "x")
    h = check_positive(h, "h")
    # The centred difference divides by the step asked for, 2h; the step taken is what x's
    # dtype can hold of x + h and x - h. Where they differ by more than 1%, so does the
    # gradient (float16 at any x, float32 at |x| ~ 1e3 with h = 1e-5: often the step is 0).
    wide = x.astype(np.float64)
    taken = (wide + h).astype(x.dtype).astype(np.float64) - (wide - h).astype(x.dtype)
    off = np.abs(taken - 2 * h) / (2 * h)
    if off.size and off.max() > 0.01:
        worst = tuple(int(i) for i in np.unravel_index(np.argmax(off), off.shape))
        raise ValueError(
            f"h = {h:g} is too small for x in {x.dtype}: at x{list(worst)} = {x[worst]:g} the step"
            f" x + h - (x - h) it can hold is {taken[worst]:g}, not 2h = {2 * h:g} (the gradient"
            " would be off by as much); use float64 x or a larger h"
        )
    return h


def _check_scalar_f(f: Callable[[np.ndarray], Any], x: np.ndarray,
                    h: object = 1e-5) -> tuple[Callable[[np.ndarray], Any], np.ndarray, float]:
    h = _check_probe(f, x, h)
    value = f(x)
    if np.ndim(value) != 0:
        raise ValueError(f"f must return a scalar, got shape {np.shape(value)}")
    return f, x, h


def _check_array_f(
    f: Callable[[np.ndarray], Any], x: np.ndarray, dout: object, h: object = 1e-5
) -> tuple[Callable[[np.ndarray], Any], np.ndarray, np.ndarray, float]:
    h = _check_probe(f, x, h)
    out_shape = np.shape(f(x))
    dout = check_array(dout, "dout", shape=out_shape)
    return f, x, dout, h


def _check_pair(a: object, b: object) -> tuple[np.ndarray, np.ndarray]:
    """Both arrays, the same shape, as float64."""
    a = check_array(a, "a")
    b = check_array(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    a, b = a.astype(np.float64), b.astype(np.float64)
    with np.errstate(over="ignore"):
        total = np.abs(a) + np.abs(b)
    if not all_finite(total):
        raise ValueError(
            "a and b are too large to compare: |a| + |b| overflows float64 (above"
            f" {np.finfo(np.float64).max:.3g}); scale both by the same factor first"
        )
    return a, b


@checked_with(_check_scalar_f)
# --8<-- [start:numerical_gradient]
def numerical_gradient(
    f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-5
) -> np.ndarray:
    """Centred-difference gradient of the scalar function ``f`` at ``x`` (any shape).

    ``x`` is nudged in place one entry at a time (so ``f`` may also read it through a
    closure, e.g. a model's weights) and restored after every probe. Returns x's shape.
    """
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        try:
            x[idx] = old + h
            f_plus = f(x)
            x[idx] = old - h
            f_minus = f(x)
        finally:
            x[idx] = old  # restore, even if f raised
        # Error O(h^2), against O(h) for the one-sided difference (f(x+h) - f(x)) / h.
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad
# --8<-- [end:numerical_gradient]


@checked_with(_check_array_f)
# --8<-- [start:numerical_gradient_array]
def numerical_gradient_array(
    f: Callable[[np.ndarray], np.ndarray], x: np.ndarray, dout: ArrayLike, h: float = 1e-5
) -> np.ndarray:
    """Numerical gradient of ``sum(f(x) * dout)`` at ``x``, for ``f`` with array output.

    This is what a backward pass returns for upstream gradient ``dout`` (shaped like
    ``f(x)``); ``x`` is nudged in place and restored as in ``numerical_gradient``.
    """
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        try:
            x[idx] = old + h
            f_plus = np.array(f(x))  # a copy: f may return a view of x
            x[idx] = old - h
            f_minus = np.array(f(x))
        finally:
            x[idx] = old
        grad[idx] = np.sum((f_plus - f_minus) * dout) / (2 * h)
    return grad
# --8<-- [end:numerical_gradient_array]


@checked_with(_check_pair)
# --8<-- [start:rel_error]
def rel_error(a: np.ndarray, b: np.ndarray) -> float:
    """Largest elementwise relative error ``|a - b| / max(1e-8, |a| + |b|)``.

    Scale-free, so 1e-7 means "agrees to ~7 digits" for tiny and huge gradients alike;
    the 1e-8 floor avoids 0/0 where both are exactly zero.
    """
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))
# --8<-- [end:rel_error]
