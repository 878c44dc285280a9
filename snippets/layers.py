"""Neural-network layers as forward/backward function pairs (CS231n conventions).

``name_forward(x, ...) -> (out, cache)`` computes the layer and keeps in ``cache`` only
what the backward pass needs; ``name_backward(dout, cache)`` returns the gradients of
the loss with respect to the forward inputs, given ``dout`` = dL/d(out). Backward
functions never write to ``dout`` or to anything in the cache.

Arrays keep their floating-point dtype throughout: float32 in gives float32 out.
Integer or boolean inputs are treated as float64.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from snippets.validation import (
    check_array,
    check_flag,
    check_labels,
    check_positive,
    check_probability,
    check_same_length,
)

__all__ = [
    "BatchnormCache",
    "DropoutCache",
    "FcCache",
    "ReluCache",
    "assume_finite",
    "batchnorm_backward",
    "batchnorm_forward",
    "dropout_backward",
    "dropout_forward",
    "fc_backward",
    "fc_forward",
    "relu_backward",
    "relu_forward",
    "softmax_loss",
]


class FcCache(NamedTuple):
    """What ``fc_backward`` needs from ``fc_forward``."""

    x: np.ndarray  # (N, D) input, for dw
    w: np.ndarray  # (D, M) weights, for dx


class ReluCache(NamedTuple):
    """What ``relu_backward`` needs from ``relu_forward``."""

    out: np.ndarray  # (N, ...) output; out > 0 exactly where the input was > 0


class DropoutCache(NamedTuple):
    """What ``dropout_backward`` needs from ``dropout_forward``."""

    mask: np.ndarray | None  # kept units hold 1/(1-p), dropped 0; None at inference
    shape: tuple[int, ...]


class BatchnormCache(NamedTuple):
    """What ``batchnorm_backward`` needs from ``batchnorm_forward``."""

    xhat: np.ndarray  # (N, D) normalised input
    gamma: np.ndarray  # (D,)
    inv_std: np.ndarray  # (D,) 1 / sqrt(var + eps), batch or running variance
    train: bool  # in test mode the statistics are constants, not functions of x


# ---------------------------------------------------------------------------
# Argument checks (kept out of the shown sections; each public function calls one)
# ---------------------------------------------------------------------------

# Scanning an array for NaN/inf costs a full pass over it, about 10% of an fc layer's
# time; a caller that has already scanned its data can switch the layers' scans off.
_ASSUME_FINITE: ContextVar[bool] = ContextVar("assume_finite", default=False)


@contextmanager
def assume_finite() -> Iterator[None]:
    """Inside this block the layer functions skip their NaN/inf scans (shapes, dtypes
    and labels are still checked). For callers that have checked their inputs once,
    like ``TwoLayerNet.loss``; cf. ``sklearn.config_context(assume_finite=True)``."""
    token = _ASSUME_FINITE.set(True)
    try:
        yield
    finally:
        _ASSUME_FINITE.reset(token)


def _checked(x: object, name: str, **kwargs: Any) -> np.ndarray:
    """check_array, with the NaN/inf scan unless inside ``assume_finite()``; integer and
    boolean arrays come back as float64 (the layers compute in floating point)."""
    arr = check_array(x, name, finite=not _ASSUME_FINITE.get(), **kwargs)
    return arr if arr.dtype.kind == "f" else arr.astype(np.float64)


def _check_dout(dout: object, cache: object, cache_type: type, layer: str) -> np.ndarray:
    """``dout`` must be finite and shaped like the forward output recorded in ``cache``."""
    if not isinstance(cache, cache_type):
        raise TypeError(
            f"cache must be the cache returned by {layer}_forward "
            f"({cache_type.__name__}), got {type(cache).__name__}"
        )
    if isinstance(cache, FcCache):
        shape = (cache.x.shape[0], cache.w.shape[1])
    elif isinstance(cache, DropoutCache):
        shape = cache.shape
    else:
        shape = cache[0].shape
    return _checked(dout, "dout", shape=shape, allow_empty=True)


def _check_fc_forward(x: object, w: object, b: object) -> tuple[np.ndarray, ...]:
    x = _checked(x, "x", ndim=2)
    w = _checked(w, "w", ndim=2)
    if w.shape[0] != x.shape[1]:
        raise ValueError(
            f"w must have shape (D, M) with D = x.shape[1] = {x.shape[1]}, got {w.shape}"
        )
    b = _checked(b, "b", shape=(w.shape[1],))
    return x, w, b


def _check_scores_labels(scores: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    scores = _checked(scores, "scores", ndim=2)
    y = check_labels(y, "y", num_classes=scores.shape[1])
    check_same_length(scores, "scores", y, "y")
    # Column-major copy: numpy reduces a short last axis (C classes) one row at a time,
    # which made the row max and row sum ~70% of softmax_loss at N=1024; with each
    # column contiguous they run as vector operations across the N rows instead.
    return np.asfortranarray(scores), y


def _check_dropout(x: object, p: object, train: object, rng: object) -> tuple[Any, ...]:
    x = _checked(x, "x")
    p = check_probability(p, "p (the drop probability)")
    train = check_flag(train, "train")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            "rng must be a numpy.random.Generator (e.g. np.random.default_rng(0)), "
            f"got {type(rng).__name__}"
        )
    return x, p, train, rng


def _check_batchnorm(
    x: object, gamma: object, beta: object, bn_param: object
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, float]:
    """Return x, gamma, beta, eps, momentum; eps and momentum as Python floats so
    that they never promote float32 arrays."""
    x = _checked(x, "x", ndim=2)
    d = x.shape[1]
    gamma = _checked(gamma, "gamma", shape=(d,))
    beta = _checked(beta, "beta", shape=(d,))
    if not isinstance(bn_param, MutableMapping):
        raise TypeError(f"bn_param must be a dict, got {type(bn_param).__name__}")
    mode = bn_param.get("mode")
    if mode not in ("train", "test"):
        raise ValueError(f"bn_param['mode'] must be 'train' or 'test', got {mode!r}")
    if mode == "train" and x.shape[0] < 2:
        raise ValueError(
            f"x must hold at least 2 rows in train mode (batch statistics), got {x.shape[0]}"
        )
    eps = check_positive(bn_param.get("eps", 1e-5), "bn_param['eps']")
    momentum = check_probability(bn_param.get("momentum", 0.9), "bn_param['momentum']",
                                 upper_inclusive=True)
    for key in ("running_mean", "running_var"):
        if key in bn_param:
            stat = bn_param[key]
            if not isinstance(stat, np.ndarray):
                raise TypeError(f"bn_param[{key!r}] must be an ndarray, got {type(stat).__name__}")
            check_array(stat, f"bn_param[{key!r}]", shape=(d,))
            if key == "running_var" and (stat < 0).any():
                raise ValueError(f"bn_param[{key!r}] must be >= 0")
    return x, gamma, beta, eps, momentum


# ---------------------------------------------------------------------------
# Fully connected (affine) layer
# ---------------------------------------------------------------------------


# --8<-- [start:fc_forward]
def fc_forward(x: ArrayLike, w: ArrayLike, b: ArrayLike) -> tuple[np.ndarray, FcCache]:
    """Affine layer ``out = x @ w + b``: x (N, D), w (D, M), b (M,) -> out (N, M)."""
    x, w, b = _check_fc_forward(x, w, b)
    out = x @ w  # (N, M)
    out += b  # in place: no second (N, M) temporary
    return out, FcCache(x, w)
# --8<-- [end:fc_forward]


# --8<-- [start:fc_backward]
def fc_backward(
    dout: ArrayLike, cache: FcCache, need_dx: bool = True
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """Gradients of the affine layer: dout (N, M) -> dx (N, D), dw (D, M), db (M,).

    ``need_dx=False`` skips dx (returns None), e.g. for a first layer fed with data.
    """
    dout = _check_dout(dout, cache, FcCache, "fc")
    x, w = cache
    dx = dout @ w.T if need_dx else None  # (N, D); costs as much as dw, so skip it if unused
    dw = x.T @ dout  # (D, M)
    db = dout.sum(axis=0)  # (M,): b was added to every row
    return dx, dw, db
# --8<-- [end:fc_backward]


# ---------------------------------------------------------------------------
# ReLU
# ---------------------------------------------------------------------------


# --8<-- [start:relu_forward]
def relu_forward(x: ArrayLike) -> tuple[np.ndarray, ReluCache]:
    """Elementwise ``max(x, 0)`` for x of any shape."""
    x = _checked(x, "x")
    out = np.maximum(x, 0)
    return out, ReluCache(out)  # out > 0 marks where the gradient passes
# --8<-- [end:relu_forward]


# --8<-- [start:relu_backward]
def relu_backward(dout: ArrayLike, cache: ReluCache) -> np.ndarray:
    """Gradient of ReLU: dout passes where the input was positive, else 0."""
    dout = _check_dout(dout, cache, ReluCache, "relu")
    (out,) = cache
    return dout * (out > 0)
# --8<-- [end:relu_backward]


# ---------------------------------------------------------------------------
# Softmax + cross-entropy
# ---------------------------------------------------------------------------


# --8<-- [start:softmax_loss]
def softmax_loss(scores: ArrayLike, y: ArrayLike) -> tuple[np.floating, np.ndarray]:
    """Mean cross-entropy of softmax(scores) and its gradient.

    scores (N, C) logits, y (N,) labels in [0, C) -> loss (scalar), dscores (N, C).
    """
    scores, y = _check_scores_labels(scores, y)
    n = scores.shape[0]
    rows = np.arange(n)
    # Subtracting the row max changes nothing mathematically but keeps exp() <= 1,
    # so no logit is too large (overflow) and the largest term is exactly 1 (no log(0)).
    shifted = scores - scores.max(axis=1, keepdims=True)  # (N, C)
    exp = np.exp(shifted)
    sum_exp = exp.sum(axis=1, keepdims=True)  # (N, 1), in [1, C]
    log_probs_y = shifted[rows, y] - np.log(sum_exp[:, 0])  # (N,) log-softmax at the labels
    loss = -log_probs_y.mean()
    dscores = exp
    dscores /= sum_exp  # softmax probabilities p, reusing the exp buffer
    dscores[rows, y] -= 1  # p - onehot(y)
    dscores /= n  # the loss is a mean over the batch
    return loss, dscores
# --8<-- [end:softmax_loss]


# ---------------------------------------------------------------------------
# Inverted dropout
# ---------------------------------------------------------------------------


# --8<-- [start:dropout_forward]
def dropout_forward(
    x: ArrayLike, p: float, train: bool, rng: np.random.Generator
) -> tuple[np.ndarray, DropoutCache]:
    """Inverted dropout on x of any shape; ``p`` is the probability of DROPPING a unit.

    Training: zero each unit with probability p and scale survivors by 1/(1-p), so
    E[out] = x. Inference: identity (``out`` is ``x`` itself, no rescaling needed).
    """
    x, p, train, rng = _check_dropout(x, p, train, rng)
    if not train:
        return x, DropoutCache(None, x.shape)
    keep = rng.random(x.shape, dtype=x.dtype) >= p  # each unit survives with prob 1-p
    mask = keep.astype(x.dtype)
    mask /= 1 - p  # scale now, so the test-time network needs no change
    return x * mask, DropoutCache(mask, x.shape)
# --8<-- [end:dropout_forward]


# --8<-- [start:dropout_backward]
def dropout_backward(dout: ArrayLike, cache: DropoutCache) -> np.ndarray:
    """Gradient of dropout: the same mask (and scale) applied to dout."""
    dout = _check_dout(dout, cache, DropoutCache, "dropout")
    mask = cache.mask
    return dout * mask if mask is not None else dout.copy()
# --8<-- [end:dropout_backward]


# ---------------------------------------------------------------------------
# Batch normalisation
# ---------------------------------------------------------------------------


# --8<-- [start:batchnorm_forward]
def batchnorm_forward(
    x: ArrayLike, gamma: ArrayLike, beta: ArrayLike, bn_param: dict[str, Any]
) -> tuple[np.ndarray, BatchnormCache]:
    """Batch normalisation of x (N, D) per feature, then scale gamma (D,) and shift beta (D,).

    ``bn_param``: ``mode`` ('train' or 'test'), ``eps`` (1e-5), ``momentum`` (0.9), and
    ``running_mean`` / ``running_var`` (D,), created on first use and updated in train
    mode as ``running = momentum * running + (1 - momentum) * batch_statistic``.
    """
    x, gamma, beta, eps, momentum = _check_batchnorm(x, gamma, beta, bn_param)
    d = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(d, dtype=x.dtype))
    running_var = bn_param.get("running_var", np.ones(d, dtype=x.dtype))
    train = bn_param["mode"] == "train"
    if train:
        mean = x.mean(axis=0)  # (D,) statistics of this mini-batch
        var = x.var(axis=0)  # (D,) biased, as used for normalising
        # New arrays, not in-place updates: arrays the caller holds stay unchanged.
        bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mean
        bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
    else:
        mean, var = running_mean, running_var  # inference: fixed statistics
        bn_param["running_mean"], bn_param["running_var"] = mean, var
    inv_std = 1 / np.sqrt(var + eps)  # (D,)
    xhat = (x - mean) * inv_std  # (N, D)
    out = gamma * xhat + beta  # gamma, beta let the layer undo the normalisation
    return out, BatchnormCache(xhat, gamma, inv_std, train)
# --8<-- [end:batchnorm_forward]


# --8<-- [start:batchnorm_backward]
def batchnorm_backward(
    dout: ArrayLike, cache: BatchnormCache
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of batch normalisation: dout (N, D) -> dx (N, D), dgamma (D,), dbeta (D,)."""
    dout = _check_dout(dout, cache, BatchnormCache, "batchnorm")
    xhat, gamma, inv_std, train = cache
    n = dout.shape[0]
    dbeta = dout.sum(axis=0)  # (D,)
    dgamma = (dout * xhat).sum(axis=0)  # (D,)
    if not train:  # running statistics are constants: a plain per-feature scale
        return dout * (gamma * inv_std), dgamma, dbeta
    # Batch mean and variance depend on every row of x; summing those paths gives the
    # compact form: dx = gamma * inv_std / N * (N * dout - sum(dout) - xhat * sum(dout * xhat)).
    dx = (gamma * inv_std / n) * (n * dout - dbeta - xhat * dgamma)
    return dx, dgamma, dbeta
# --8<-- [end:batchnorm_backward]
