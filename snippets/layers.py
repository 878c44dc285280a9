"""Neural-network layers as forward/backward function pairs (CS231n conventions).

``name_forward(x, ...) -> (out, cache)`` computes the layer and keeps in ``cache`` only
what the backward pass needs; ``name_backward(dout, cache)`` returns the gradients of
the loss with respect to the forward inputs, given ``dout`` = dL/d(out). Backward
functions never write to ``dout`` or to anything in the cache.

Each public function checks its arguments once and then runs its kernel, the plain
function shown in the posts (``fc_forward.kernel`` is the unchecked kernel itself).
Arrays keep their floating-point dtype throughout: float32 in gives float32 out.
Integer or boolean inputs are treated as float64.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any, NamedTuple

import numpy as np

from snippets.validation import (
    check_array,
    check_flag,
    check_generator,
    check_int,
    check_labels,
    check_positive,
    check_probability,
    check_same_length,
    check_small_constant,
    checked_with,
)

__all__ = [
    "BatchnormCache",
    "Conv2dCache",
    "DropoutCache",
    "FcCache",
    "LayernormCache",
    "Maxpool2dCache",
    "ReluCache",
    "RmsnormCache",
    "batchnorm_backward",
    "batchnorm_forward",
    "conv2d_backward",
    "conv2d_forward",
    "conv2d_param_count",
    "dropout_backward",
    "dropout_forward",
    "fc_backward",
    "fc_forward",
    "fc_param_count",
    "layernorm_backward",
    "layernorm_forward",
    "maxpool2d_backward",
    "maxpool2d_forward",
    "relu_backward",
    "relu_forward",
    "rmsnorm_backward",
    "rmsnorm_forward",
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

    mask: np.ndarray | None  # (N, ...) kept units hold 1/(1-p), dropped 0; None at inference
    shape: tuple[int, ...]  # shape of x (and of out)


class BatchnormCache(NamedTuple):
    """What ``batchnorm_backward`` needs from ``batchnorm_forward``."""

    xhat: np.ndarray  # (N, D) normalised input
    gamma: np.ndarray  # (D,)
    inv_std: np.ndarray  # (D,) 1 / sqrt(var + eps), batch or running variance
    train: bool  # in test mode the statistics are constants, not functions of x


class LayernormCache(NamedTuple):
    """What ``layernorm_backward`` needs from ``layernorm_forward``."""

    xhat: np.ndarray  # (N, D) normalised input
    gamma: np.ndarray  # (D,)
    inv_std: np.ndarray  # (N, 1) 1 / sqrt(var + eps) of each row


class RmsnormCache(NamedTuple):
    """What ``rmsnorm_backward`` needs from ``rmsnorm_forward``."""

    xhat: np.ndarray  # (N, D) input divided by its row's RMS
    gamma: np.ndarray  # (D,)
    inv_rms: np.ndarray  # (N, 1) 1 / sqrt(mean(x^2) + eps) of each row


class Conv2dCache(NamedTuple):
    """What ``conv2d_backward`` needs from ``conv2d_forward``."""

    x_pad: np.ndarray  # (N, C, H + 2 pad, W + 2 pad) zero-padded input
    w: np.ndarray  # (F, C, KH, KW) filters
    stride: int
    pad: int


class Maxpool2dCache(NamedTuple):
    """What ``maxpool2d_backward`` needs from ``maxpool2d_forward``."""

    x: np.ndarray  # (N, C, H, W) input, to find where each window's maximum was
    size: int  # windows are size x size
    stride: int


# ---------------------------------------------------------------------------
# Argument checks (kept out of the shown kernels; each public function calls one)
# ---------------------------------------------------------------------------


def _checked(x: object, name: str, **kwargs: Any) -> np.ndarray:
    """check_array; integer and boolean arrays come back as float64 (the layers compute
    in floating point)."""
    arr = check_array(x, name, **kwargs)
    return arr if arr.dtype.kind == "f" else arr.astype(np.float64)


def _check_backward(dout: object, cache: object, cache_type: type,
                    layer: str) -> tuple[np.ndarray, Any]:
    """``dout`` must be finite and shaped like the forward output recorded in ``cache``."""
    if not isinstance(cache, cache_type):
        raise TypeError(
            f"cache must be the cache returned by {layer}_forward "
            f"({cache_type.__name__}), got {type(cache).__name__}"
        )
    if isinstance(cache, FcCache):
        shape: tuple[int | None, ...] = (cache.x.shape[0], cache.w.shape[1])
    elif isinstance(cache, DropoutCache):
        shape = cache.shape
    elif isinstance(cache, Conv2dCache):
        shape = (cache.x_pad.shape[0], cache.w.shape[0], None, None)
    elif isinstance(cache, Maxpool2dCache):
        shape = (*cache.x.shape[:2], None, None)
    else:
        shape = cache[0].shape  # type: ignore[index]  # ReluCache, BatchnormCache
    dout = _checked(dout, "dout", shape=shape, allow_empty=True)
    if isinstance(cache, (Conv2dCache, Maxpool2dCache)):
        want = _conv_out_shape(cache)
        if dout.shape[2:] != want:
            raise ValueError(f"dout must have spatial shape {want}, got {dout.shape[2:]}")
    return dout, cache


def _conv_out_shape(cache: Conv2dCache | Maxpool2dCache) -> tuple[int, int]:
    if isinstance(cache, Conv2dCache):
        (kh, kw), (h, w), s = cache.w.shape[2:], cache.x_pad.shape[2:], cache.stride
    else:
        (kh, kw), (h, w), s = (cache.size, cache.size), cache.x.shape[2:], cache.stride
    return (h - kh) // s + 1, (w - kw) // s + 1


def _check_fc_forward(x: object, w: object, b: object) -> tuple[np.ndarray, ...]:
    x = _checked(x, "x", ndim=2)
    w = _checked(w, "w", ndim=2)
    if w.shape[0] != x.shape[1]:
        raise ValueError(
            f"w must have shape (D, M) with D = x.shape[1] = {x.shape[1]}, got {w.shape}"
        )
    b = _checked(b, "b", shape=(w.shape[1],))
    return x, w, b


def _check_fc_backward(dout: object, cache: object) -> tuple[np.ndarray, Any]:
    return _check_backward(dout, cache, FcCache, "fc")


def _check_relu_forward(x: object) -> tuple[np.ndarray]:
    return (_checked(x, "x"),)


def _check_relu_backward(dout: object, cache: object) -> tuple[np.ndarray, Any]:
    return _check_backward(dout, cache, ReluCache, "relu")


def _check_softmax_loss(scores: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    scores = _checked(scores, "scores", ndim=2)
    y = check_labels(y, "y", num_classes=scores.shape[1])
    check_same_length(scores, "scores", y, "y")
    return scores, y


def _check_dropout_forward(x: object, p: object, train: object, rng: object) -> tuple[Any, ...]:
    x = _checked(x, "x")
    p = check_probability(p, "p (the drop probability)")
    train = check_flag(train, "train")
    return x, p, train, check_generator(rng, "rng")


def _check_dropout_backward(dout: object, cache: object) -> tuple[np.ndarray, Any]:
    return _check_backward(dout, cache, DropoutCache, "dropout")


def _check_batchnorm_forward(
    x: object, gamma: object, beta: object, bn_param: object
) -> tuple[np.ndarray, np.ndarray, np.ndarray, MutableMapping[str, Any]]:
    """x, gamma, beta checked; in ``bn_param``, eps and momentum become Python floats (so
    they never promote float32 arrays) and missing running statistics are created."""
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
    bn_param["eps"] = check_small_constant(
        check_positive(bn_param.get("eps", 1e-5), "bn_param['eps']"), "bn_param['eps']", x.dtype
    )
    bn_param["momentum"] = check_probability(bn_param.get("momentum", 0.9),
                                             "bn_param['momentum']", upper_inclusive=True)
    for key, start in (("running_mean", 0.0), ("running_var", 1.0)):
        if key not in bn_param:
            bn_param[key] = np.full(d, start, dtype=x.dtype)
            continue
        stat = bn_param[key]
        if not isinstance(stat, np.ndarray):
            raise TypeError(f"bn_param[{key!r}] must be an ndarray, got {type(stat).__name__}")
        check_array(stat, f"bn_param[{key!r}]", shape=(d,))
        if key == "running_var" and (stat < 0).any():
            raise ValueError(f"bn_param[{key!r}] must be >= 0")
    return x, gamma, beta, bn_param


def _check_batchnorm_backward(dout: object, cache: object) -> tuple[np.ndarray, Any]:
    return _check_backward(dout, cache, BatchnormCache, "batchnorm")


def _check_rmsnorm_forward(x: object, gamma: object, eps: object = 1e-6) -> tuple[Any, ...]:
    """x (N, D) not empty and gamma (D,) checked; eps > 0 (a constant row has RMS or
    variance 0) and a Python float (so it never promotes float32 arrays)."""
    x = _checked(x, "x", ndim=2)
    gamma = _checked(gamma, "gamma", shape=(x.shape[1],))
    return x, gamma, check_small_constant(check_positive(eps, "eps"), "eps", x.dtype)


def _check_layernorm_forward(x: object, gamma: object, beta: object,
                             eps: object = 1e-5) -> tuple[Any, ...]:
    """As for RMS normalisation, plus beta (D,)."""
    x_, gamma_, eps_ = _check_rmsnorm_forward(x, gamma, eps)
    return x_, gamma_, _checked(beta, "beta", shape=(x_.shape[1],)), eps_


def _check_layernorm_backward(dout: object, cache: object) -> tuple[np.ndarray, Any]:
    return _check_backward(dout, cache, LayernormCache, "layernorm")


def _check_rmsnorm_backward(dout: object, cache: object) -> tuple[np.ndarray, Any]:
    return _check_backward(dout, cache, RmsnormCache, "rmsnorm")


def _check_conv2d_forward(x: object, w: object, b: object, stride: object = 1,
                          pad: object = 0) -> tuple[Any, ...]:
    x = _checked(x, "x", ndim=4)
    w = _checked(w, "w", ndim=4)
    if w.shape[1] != x.shape[1]:
        raise ValueError(
            f"w must have shape (F, C, KH, KW) with C = x.shape[1] = {x.shape[1]}, got {w.shape}"
        )
    b = _checked(b, "b", shape=(w.shape[0],))
    stride, pad = check_int(stride, "stride"), check_int(pad, "pad", minimum=0)
    padded = (x.shape[2] + 2 * pad, x.shape[3] + 2 * pad)
    if padded[0] < w.shape[2] or padded[1] < w.shape[3]:
        raise ValueError(f"the {w.shape[2]}x{w.shape[3]} filters do not fit in the "
                         f"padded {padded[0]}x{padded[1]} input")
    return x, w, b, stride, pad


def _check_conv2d_backward(dout: object, cache: object) -> tuple[np.ndarray, Any]:
    return _check_backward(dout, cache, Conv2dCache, "conv2d")


def _check_maxpool2d_forward(x: object, size: object = 2,
                             stride: object = 2) -> tuple[np.ndarray, int, int]:
    x = _checked(x, "x", ndim=4)
    size, stride = check_int(size, "size"), check_int(stride, "stride")
    if size > min(x.shape[2:]):
        raise ValueError(f"size {size} does not fit in the {x.shape[2]}x{x.shape[3]} input")
    return x, size, stride


def _check_maxpool2d_backward(dout: object, cache: object) -> tuple[np.ndarray, Any]:
    return _check_backward(dout, cache, Maxpool2dCache, "maxpool2d")


def _check_fc_param_count(in_features: object, out_features: object) -> tuple[int, int]:
    return check_int(in_features, "in_features"), check_int(out_features, "out_features")


def _check_conv2d_param_count(in_channels: object, out_channels: object,
                              kernel_size: object) -> tuple[int, int, int]:
    return (check_int(in_channels, "in_channels"), check_int(out_channels, "out_channels"),
            check_int(kernel_size, "kernel_size"))


# ---------------------------------------------------------------------------
# Fully connected (affine) layer
# ---------------------------------------------------------------------------


@checked_with(_check_fc_forward)
# --8<-- [start:fc_forward]
def fc_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, FcCache]:
    """Affine layer ``out = x @ w + b``: x (N, D), w (D, M), b (M,) -> out (N, M)."""
    out = x @ w + b  # (N, M); b is added to every row
    return out, FcCache(x, w)
# --8<-- [end:fc_forward]


@checked_with(_check_fc_backward)
# --8<-- [start:fc_backward]
def fc_backward(dout: np.ndarray, cache: FcCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of the affine layer: dout (N, M) -> dx (N, D), dw (D, M), db (M,)."""
    x, w = cache
    dx = dout @ w.T  # (N, D)
    dw = x.T @ dout  # (D, M)
    db = dout.sum(axis=0)  # (M,): b was added to every row
    return dx, dw, db
# --8<-- [end:fc_backward]


@checked_with(_check_fc_param_count)
# --8<-- [start:fc_param_count]
def fc_param_count(in_features: int, out_features: int) -> int:
    """Parameters of a fully connected layer: one weight per (input, output) pair + biases."""
    return in_features * out_features + out_features
# --8<-- [end:fc_param_count]


# ---------------------------------------------------------------------------
# ReLU
# ---------------------------------------------------------------------------


@checked_with(_check_relu_forward)
# --8<-- [start:relu_forward]
def relu_forward(x: np.ndarray) -> tuple[np.ndarray, ReluCache]:
    """Elementwise ``max(x, 0)`` for x of any shape."""
    out = np.maximum(x, 0)
    return out, ReluCache(out)  # out > 0 marks where the gradient passes
# --8<-- [end:relu_forward]


@checked_with(_check_relu_backward)
# --8<-- [start:relu_backward]
def relu_backward(dout: np.ndarray, cache: ReluCache) -> np.ndarray:
    """Gradient of ReLU: dout passes where the input was positive, else 0."""
    (out,) = cache
    return dout * (out > 0)
# --8<-- [end:relu_backward]


# ---------------------------------------------------------------------------
# Softmax + cross-entropy
# ---------------------------------------------------------------------------


@checked_with(_check_softmax_loss)
# --8<-- [start:softmax_loss]
def softmax_loss(scores: np.ndarray, y: np.ndarray) -> tuple[np.floating, np.ndarray]:
    """Mean cross-entropy of softmax(scores) and its gradient.

    scores (N, C) logits, y (N,) labels in [0, C) -> loss (scalar), dscores (N, C).
    """
    n = scores.shape[0]
    rows = np.arange(n)
    # Speed only: with each column contiguous the row max and row sum below run ~1.7x
    # faster for C = 10 (benchmarks/bench_snippets.py, the 784-100-10 step).
    scores = np.asfortranarray(scores)
    # Subtracting the row max changes nothing mathematically but keeps exp() <= 1, so
    # nothing overflows and each row's sum is >= 1 (its log is finite: no log(0)).
    shifted = scores - scores.max(axis=1, keepdims=True)  # (N, C)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # log-softmax
    loss = -log_probs[rows, y].mean()
    dscores = np.exp(log_probs)  # softmax probabilities p
    dscores[rows, y] -= 1  # p - onehot(y)
    return loss, dscores / n  # the loss is a mean over the batch
# --8<-- [end:softmax_loss]


# ---------------------------------------------------------------------------
# Inverted dropout
# ---------------------------------------------------------------------------


@checked_with(_check_dropout_forward)
# --8<-- [start:dropout_forward]
def dropout_forward(
    x: np.ndarray, p: float, train: bool, rng: np.random.Generator
) -> tuple[np.ndarray, DropoutCache]:
    """Inverted dropout on x of any shape; ``p`` is the probability of DROPPING a unit.

    Training: zero each unit with probability p and scale survivors by 1/(1-p), so
    E[out] = x. Inference: identity (``out`` is ``x`` itself, no rescaling needed).
    """
    if not train:
        return x, DropoutCache(None, x.shape)
    # equivalent mutant (ReplaceComparisonOperator_GtE_Gt): P(draw == p) <= 2^-24
    keep = rng.random(x.shape, dtype=x.dtype) >= p  # each unit survives with prob 1-p
    mask = keep.astype(x.dtype) / (1 - p)  # scale now, so the test-time net needs no change
    return x * mask, DropoutCache(mask, x.shape)
# --8<-- [end:dropout_forward]


@checked_with(_check_dropout_backward)
# --8<-- [start:dropout_backward]
def dropout_backward(dout: np.ndarray, cache: DropoutCache) -> np.ndarray:
    """Gradient of dropout: the same mask (and scale) applied to dout."""
    mask = cache.mask
    return dout * mask if mask is not None else dout.copy()  # a copy: never alias dout
# --8<-- [end:dropout_backward]


# ---------------------------------------------------------------------------
# Batch normalisation
# ---------------------------------------------------------------------------


@checked_with(_check_batchnorm_forward)
# --8<-- [start:batchnorm_forward]
def batchnorm_forward(
    x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, bn_param: dict[str, Any]
) -> tuple[np.ndarray, BatchnormCache]:
    """Batch normalisation of x (N, D) per feature, then scale gamma (D,) and shift beta (D,).

    ``bn_param``: ``mode`` ('train' or 'test'), ``eps`` (1e-5), ``momentum`` (0.9), and
    ``running_mean`` / ``running_var`` (D,), created on first use as 0 / 1 and updated in
    train mode as ``running = momentum * running + (1 - momentum) * batch_statistic``
    (torch.nn.BatchNorm1d's ``momentum`` is our 1 - momentum).
    """
    momentum, train = bn_param["momentum"], bn_param["mode"] == "train"
    if train:
        n = x.shape[0]
        mean = x.mean(axis=0)  # (D,) statistics of this mini-batch
        var = x.var(axis=0)  # (D,) biased (divides by N): used to normalise the batch
        # Running averages for inference. Like PyTorch, they average the unbiased variance
        # N/(N-1) var. New arrays, not in-place updates: arrays the caller holds stay as they are.
        bn_param["running_mean"] = momentum * bn_param["running_mean"] + (1 - momentum) * mean
        bn_param["running_var"] = (momentum * bn_param["running_var"]
                                   + (1 - momentum) * var * (n / (n - 1)))
    else:
        mean, var = bn_param["running_mean"], bn_param["running_var"]  # fixed statistics
    inv_std = 1 / np.sqrt(var + bn_param["eps"])  # (D,)
    xhat = (x - mean) * inv_std  # (N, D)
    out = gamma * xhat + beta  # gamma, beta let the layer undo the normalisation
    return out, BatchnormCache(xhat, gamma, inv_std, train)
# --8<-- [end:batchnorm_forward]


@checked_with(_check_batchnorm_backward)
# --8<-- [start:batchnorm_backward]
def batchnorm_backward(
    dout: np.ndarray, cache: BatchnormCache
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of batch normalisation: dout (N, D) -> dx (N, D), dgamma (D,), dbeta (D,)."""
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


# ---------------------------------------------------------------------------
# Layer normalisation and RMS normalisation: per example, over its features
# ---------------------------------------------------------------------------


@checked_with(_check_layernorm_forward)
# --8<-- [start:layernorm_forward]
def layernorm_forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray,
                      eps: float = 1e-5) -> tuple[np.ndarray, LayernormCache]:
    """Layer normalisation of each row of x (N, D) over its D features, then scale gamma
    (D,) and shift beta (D,). The same in training and at inference: no running averages."""
    mean = x.mean(axis=1, keepdims=True)  # (N, 1) statistics of each example
    var = x.var(axis=1, keepdims=True)  # (N, 1) biased, as torch.nn.LayerNorm
    inv_std = 1 / np.sqrt(var + eps)  # (N, 1)
    xhat = (x - mean) * inv_std  # (N, D)
    out = gamma * xhat + beta  # (N, D)
    return out, LayernormCache(xhat, gamma, inv_std)
# --8<-- [end:layernorm_forward]


@checked_with(_check_layernorm_backward)
# --8<-- [start:layernorm_backward]
def layernorm_backward(
    dout: np.ndarray, cache: LayernormCache
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of layer normalisation: dout (N, D) -> dx (N, D), dgamma (D,), dbeta (D,)."""
    xhat, gamma, inv_std = cache
    d = xhat.shape[1]
    dbeta = dout.sum(axis=0)  # (D,) summed over the batch
    dgamma = (dout * xhat).sum(axis=0)  # (D,)
    dxhat = dout * gamma  # (N, D)
    # Batch norm's formula turned sideways: each row's mean and variance depend on every
    # feature of that row, so the sums run over the features (axis 1), not the batch.
    dx = (inv_std / d) * (d * dxhat - dxhat.sum(axis=1, keepdims=True)
                          - xhat * (dxhat * xhat).sum(axis=1, keepdims=True))
    return dx, dgamma, dbeta
# --8<-- [end:layernorm_backward]


@checked_with(_check_rmsnorm_forward)
# --8<-- [start:rmsnorm_forward]
def rmsnorm_forward(x: np.ndarray, gamma: np.ndarray,
                    eps: float = 1e-6) -> tuple[np.ndarray, RmsnormCache]:
    """RMS normalisation of each row of x (N, D): divide by the root mean square of its
    features, then scale by gamma (D,). No mean is subtracted and there is no shift."""
    inv_rms = 1 / np.sqrt((x**2).mean(axis=1, keepdims=True) + eps)  # (N, 1)
    xhat = x * inv_rms  # (N, D)
    return gamma * xhat, RmsnormCache(xhat, gamma, inv_rms)
# --8<-- [end:rmsnorm_forward]


@checked_with(_check_rmsnorm_backward)
# --8<-- [start:rmsnorm_backward]
def rmsnorm_backward(dout: np.ndarray, cache: RmsnormCache) -> tuple[np.ndarray, np.ndarray]:
    """Gradients of RMS normalisation: dout (N, D) -> dx (N, D), dgamma (D,)."""
    xhat, gamma, inv_rms = cache
    dgamma = (dout * xhat).sum(axis=0)  # (D,)
    dxhat = dout * gamma  # (N, D)
    # d(xhat_j)/d(x_k) = inv_rms * (delta_jk - xhat_j xhat_k / D): one path through x_k
    # itself, one through the row's RMS, which every feature shares.
    dx = inv_rms * (dxhat - xhat * (dxhat * xhat).mean(axis=1, keepdims=True))
    return dx, dgamma
# --8<-- [end:rmsnorm_backward]


# ---------------------------------------------------------------------------
# Convolution and max pooling (N, C, H, W layout, as PyTorch)
# ---------------------------------------------------------------------------


@checked_with(_check_conv2d_forward)
# --8<-- [start:conv2d_forward]
def conv2d_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int = 1,
                   pad: int = 0) -> tuple[np.ndarray, Conv2dCache]:
    """2-D convolution (cross-correlation, as in every DL library) with zero padding.

    x (N, C, H, W), w (F, C, KH, KW), b (F,) -> out (N, F, H_out, W_out) with
    H_out = (H + 2 pad - KH) // stride + 1 (W_out likewise).
    """
    F, _, KH, KW = w.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))  # zeros around H and W
    H_out = (x_pad.shape[2] - KH) // stride + 1
    W_out = (x_pad.shape[3] - KW) // stride + 1
    out = np.zeros((x.shape[0], F, H_out, W_out), dtype=x.dtype)
    for i in range(H_out):
        for j in range(W_out):
            patch = x_pad[:, :, i * stride:i * stride + KH, j * stride:j * stride + KW]
            # every filter sees the same (N, C, KH, KW) patch: the weights are shared
            out[:, :, i, j] = np.tensordot(patch, w, axes=([1, 2, 3], [1, 2, 3])) + b
    return out, Conv2dCache(x_pad, w, stride, pad)
# --8<-- [end:conv2d_forward]


@checked_with(_check_conv2d_backward)
# --8<-- [start:conv2d_backward]
def conv2d_backward(dout: np.ndarray,
                    cache: Conv2dCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients: dout (N, F, H_out, W_out) -> dx (N, C, H, W), dw (F, C, KH, KW), db (F,)."""
    x_pad, w, stride, pad = cache
    _, _, KH, KW = w.shape
    dx_pad, dw = np.zeros_like(x_pad), np.zeros_like(w)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            rows = slice(i * stride, i * stride + KH)
            cols = slice(j * stride, j * stride + KW)
            d = dout[:, :, i, j]  # (N, F): how much each output at (i, j) matters
            dw += np.tensordot(d, x_pad[:, :, rows, cols], axes=([0], [0]))  # (F, C, KH, KW)
            dx_pad[:, :, rows, cols] += np.tensordot(d, w, axes=([1], [0]))  # (N, C, KH, KW)
    db = dout.sum(axis=(0, 2, 3))  # (F,)
    H, W = x_pad.shape[2] - 2 * pad, x_pad.shape[3] - 2 * pad
    return dx_pad[:, :, pad:pad + H, pad:pad + W], dw, db  # drop the padding's gradient
# --8<-- [end:conv2d_backward]


@checked_with(_check_conv2d_param_count)
# --8<-- [start:conv2d_param_count]
def conv2d_param_count(in_channels: int, out_channels: int, kernel_size: int) -> int:
    """Parameters of a conv layer: each of the out_channels filters spans all input
    channels over a kernel_size x kernel_size window, plus one bias per filter."""
    return out_channels * in_channels * kernel_size**2 + out_channels
# --8<-- [end:conv2d_param_count]


@checked_with(_check_maxpool2d_forward)
# --8<-- [start:maxpool2d_forward]
def maxpool2d_forward(x: np.ndarray, size: int = 2,
                      stride: int = 2) -> tuple[np.ndarray, Maxpool2dCache]:
    """Max over each size x size window, per channel: x (N, C, H, W) -> (N, C, H_out, W_out)
    with H_out = (H - size) // stride + 1. No parameters."""
    H_out = (x.shape[2] - size) // stride + 1
    W_out = (x.shape[3] - size) // stride + 1
    out = np.zeros((*x.shape[:2], H_out, W_out), dtype=x.dtype)
    for i in range(H_out):
        for j in range(W_out):
            window = x[:, :, i * stride:i * stride + size, j * stride:j * stride + size]
            out[:, :, i, j] = window.max(axis=(2, 3))
    return out, Maxpool2dCache(x, size, stride)
# --8<-- [end:maxpool2d_forward]


@checked_with(_check_maxpool2d_backward)
# --8<-- [start:maxpool2d_backward]
def maxpool2d_backward(dout: np.ndarray, cache: Maxpool2dCache) -> np.ndarray:
    """Gradient of max pooling: each window's dout goes to the input that was its max."""
    x, size, stride = cache
    N, C = x.shape[:2]
    dx = np.zeros_like(x)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            rows = slice(i * stride, i * stride + size)
            cols = slice(j * stride, j * stride + size)
            # equivalent mutant (NumberReplacer): numpy reads -2 as it reads -1, "the rest"
            window = x[:, :, rows, cols].reshape(N, C, -1)  # (N, C, size * size)
            winner = window.argmax(axis=2)[..., None]  # first maximum on ties, as PyTorch
            dwindow = np.zeros_like(window)
            np.put_along_axis(dwindow, winner, dout[:, :, i, j, None], axis=2)
            dx[:, :, rows, cols] += dwindow.reshape(N, C, size, size)  # windows may overlap
    return dx
# --8<-- [end:maxpool2d_backward]
