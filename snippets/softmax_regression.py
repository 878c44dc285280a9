"""Softmax (multinomial logistic) regression fitted by batch gradient ascent.

Conventions:

* ``X`` is (N, D), labels ``y`` are integers in ``[0, C)`` (0-based), and the
  weights ``W`` are (C, D): row c scores class c by ``X @ W[c]``.
* There is no separate intercept: append a column of ones to ``X`` (see
  ``add_intercept``) and the matching column of ``W`` is the bias.
* The last row of ``W`` is pinned at zero. Adding the same vector to every row
  of ``W`` adds the same number to every logit of a sample, which softmax
  ignores, so one row is redundant for the likelihood; fixing it at zero removes
  that flat direction without changing the maximum-likelihood predictions.
* Weights are floating point whatever the dtype of ``X``: float32 ``X`` gives
  float32 weights, anything else (float64, integers, booleans) float64.

``fit`` maximises the *mean* log-likelihood minus ``reg / 2 * ||W||^2``, so the
learning rate does not depend on the number of samples. A small L2 penalty is
on by default: on separable data (digits' training split nearly is) the unpenalised
likelihood has no maximum and the weights would grow for ever. With ``reg > 0``
pinning the last row is a choice of parametrisation rather than a free
symmetry (the penalty treats that class's row differently).
Features should be standardised: the default ``lr = 2`` assumes so (on
standardised iris, wine, breast-cancer and digits, steps up to 4 still
increased the likelihood monotonically).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from snippets.validation import (
    check_array,
    check_int,
    check_labels,
    check_positive,
    check_same_length,
    checked_with,
)

__all__ = [
    "SoftmaxRegressionResult",
    "accuracy",
    "add_intercept",
    "fit",
    "log_likelihood_gradient",
    "log_softmax",
    "mean_log_likelihood",
    "predict",
    "softmax_probs",
]


def _float_dtype(x: np.ndarray) -> np.dtype:
    """float32 stays float32; every other input dtype computes in float64."""
    return np.dtype(np.float32) if x.dtype == np.float32 else np.dtype(np.float64)


def _check_x_w(X: object, W: object) -> tuple[np.ndarray, np.ndarray]:
    """Validate X (N, D) and W (C, D) (or fit's result, whose ``W`` is used); return both
    in a common float dtype."""
    if isinstance(W, SoftmaxRegressionResult):
        W = W.W
    X = check_array(X, "X", ndim=2)
    try:
        W = check_array(W, "W", ndim=2)
    except TypeError:
        raise TypeError(
            f"W must be the (C, D) weight array (for fit's result, pass result.W), "
            f"got {type(W).__name__}"
        ) from None
    if W.shape[1] != X.shape[1]:
        raise ValueError(
            f"W must have shape (C, {X.shape[1]}) to match X's {X.shape[1]} features, got {W.shape}"
        )
    dtype = np.result_type(_float_dtype(X), _float_dtype(W))
    return X.astype(dtype, copy=False), W.astype(dtype, copy=False)


def add_intercept(X: np.ndarray) -> np.ndarray:
    """Return X (N, D) with a column of ones appended, (N, D + 1), so W's last column is a bias."""
    X = check_array(X, "X", ndim=2)
    X = X.astype(_float_dtype(X), copy=False)
    return np.hstack([X, np.ones((X.shape[0], 1), dtype=X.dtype)])


def _check_y(y: object, X: np.ndarray, num_classes: int) -> np.ndarray:
    """Labels y (N,) in [0, num_classes), one per row of the validated X."""
    y = check_labels(y, "y", num_classes)
    check_same_length(y, "y", X, "X")
    return y


def _check_x_y_w(X: object, y: object, W: object) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate X (N, D), labels y (N,) in [0, C) and W (C, D)."""
    X, W = _check_x_w(X, W)
    return X, _check_y(y, X, W.shape[0]), W


def _check_gradient_args(
    X: object, Y: object, P: object
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate X (N, D), one-hot Y (N, C) and probabilities P (N, C)."""
    X = check_array(X, "X", ndim=2)
    P = check_array(P, "P", shape=(X.shape[0], None))
    Y = check_array(Y, "Y", shape=P.shape)
    if P.shape[1] < 2:
        raise ValueError(f"P must have at least 2 columns (classes), got shape {P.shape}")
    dtype = np.result_type(_float_dtype(X), _float_dtype(P))
    return X.astype(dtype, copy=False), Y.astype(dtype, copy=False), P.astype(dtype, copy=False)


def _check_fit_args(X: object, y: object, num_classes: object, lr: object = 2.0,
                    max_iter: object = 1000, tol: object = 1e-3,
                    reg: object = 1e-3) -> tuple[Any, ...]:
    """Validate fit's arguments; X comes back as float32 or float64."""
    X = check_array(X, "X", ndim=2)
    num_classes = check_int(num_classes, "num_classes", minimum=2)
    y = _check_y(y, X, num_classes)
    max_iter = check_int(max_iter, "max_iter", minimum=0)
    lr = check_positive(lr, "lr")
    tol = check_positive(tol, "tol", allow_zero=True)
    reg = check_positive(reg, "reg", allow_zero=True)
    return X.astype(_float_dtype(X), copy=False), y, num_classes, lr, max_iter, tol, reg


def _check_logits(logits: object) -> tuple[np.ndarray]:
    return (check_array(logits, "logits", ndim=2),)


@checked_with(_check_logits)
# --8<-- [start:log_softmax]
def log_softmax(logits: np.ndarray) -> np.ndarray:
    """Log class probabilities (N, C) from logits (N, C), computed stably."""
    # log softmax(z) = z - log(sum exp z), unchanged by subtracting the row max. After
    # the shift the largest logit is 0, so exp cannot overflow, the row sum is at least 1
    # and its log is finite: never log(0), unlike taking log of an underflowed P.
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
# --8<-- [end:log_softmax]


@checked_with(_check_x_w)
# --8<-- [start:softmax_probs]
def softmax_probs(X: np.ndarray, W: np.ndarray) -> np.ndarray:
    """Class probabilities P (N, C) for inputs X (N, D) and weights W (C, D)."""
    return np.exp(log_softmax(X @ W.T))                   # rows sum to 1
# --8<-- [end:softmax_probs]


@checked_with(_check_x_y_w)
# --8<-- [start:mean_log_likelihood]
def mean_log_likelihood(X: np.ndarray, y: np.ndarray, W: np.ndarray) -> float:
    """Mean over samples of log P(y_n | x_n; W), for X (N, D), y (N,), W (C, D)."""
    log_P = log_softmax(X @ W.T)                          # (N, C)
    return float(np.mean(log_P[np.arange(len(y)), y]))
# --8<-- [end:mean_log_likelihood]


@checked_with(_check_gradient_args)
# --8<-- [start:log_likelihood_gradient]
def log_likelihood_gradient(X: np.ndarray, Y: np.ndarray, P: np.ndarray) -> np.ndarray:
    """Gradient (C, D) of the mean log-likelihood for X (N, D), one-hot Y (N, C),
    probabilities P (N, C)."""
    grad = (Y - P).T @ X / X.shape[0]                     # (C, D)
    grad[-1] = 0                                          # the pinned last row never moves
    return grad
# --8<-- [end:log_likelihood_gradient]


@dataclass(frozen=True)
class SoftmaxRegressionResult:
    """What ``fit`` returns.

    W: fitted weights (C, D), last row exactly zero.
    n_iter: number of gradient steps taken.
    converged: True when the largest absolute entry of the objective's
        gradient at ``W`` is below ``tol``.
    log_likelihood: mean log-likelihood (without the penalty) at the
        starting point and after every step, (n_iter + 1,).
    """

    W: np.ndarray
    n_iter: int
    converged: bool
    log_likelihood: np.ndarray


@checked_with(_check_fit_args)
# --8<-- [start:fit]
def fit(X: np.ndarray, y: np.ndarray, num_classes: int, lr: float = 2.0,
        max_iter: int = 1000, tol: float = 1e-3, reg: float = 1e-3) -> SoftmaxRegressionResult:
    """Fit W (num_classes, D) to X (N, D) and labels y (N,) by batch gradient ascent.

    Stops when max |gradient| < tol or after max_iter steps; see SoftmaxRegressionResult.
    """
    Y = np.eye(num_classes, dtype=X.dtype)[y]            # one-hot labels, (N, C)
    W = np.zeros((num_classes, X.shape[1]), dtype=X.dtype)  # float weights whatever X was
    rows = np.arange(len(y))
    history = []
    # equivalent mutant (NumberReplacer): max_iter + 2 too ends at the break below
    for n_iter in range(max_iter + 1):
        log_P = log_softmax(X @ W.T)                      # (N, C), one pass per step
        history.append(log_P[rows, y].mean())             # the mean log-likelihood
        # log_likelihood_gradient averages over samples, so lr does not grow with N;
        # the L2 term leaves the pinned last row at zero because that row is zero.
        grad = log_likelihood_gradient(X, Y, np.exp(log_P)) - reg * W  # (C, D)
        converged = bool(np.abs(grad).max() < tol)
        if converged or n_iter == max_iter:
            break
        W += lr * grad                                    # ascent: we maximise
    return SoftmaxRegressionResult(W, n_iter, converged, np.array(history, dtype=np.float64))
# --8<-- [end:fit]


@checked_with(_check_x_w)
# --8<-- [start:predict]
def predict(X: np.ndarray, W: np.ndarray) -> np.ndarray:
    """Most probable class (N,) for X (N, D): softmax is monotone, so argmax of the logits."""
    return np.argmax(X @ W.T, axis=1)
# --8<-- [end:predict]


@checked_with(_check_x_y_w)
# --8<-- [start:accuracy]
def accuracy(X: np.ndarray, y: np.ndarray, W: np.ndarray) -> float:
    """Fraction of samples of X (N, D) whose predicted class equals the label y (N,)."""
    return float(np.mean(predict(X, W) == y))
# --8<-- [end:accuracy]
