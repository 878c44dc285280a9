"""A two-layer classifier (fc -> ReLU -> fc -> softmax) built from ``snippets.layers``,
and a mini-batch training loop that works with any optimiser from ``snippets.optim``.

The network computes in one floating-point dtype end to end (``dtype``, float64 by
default): parameters, scores, loss and gradients all share it, so a float32 network
runs float32 matrix products throughout.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from snippets import layers
from snippets.metrics import accuracy
from snippets.optim import check_optimizer
from snippets.validation import (
    all_finite,
    check_array,
    check_int,
    check_labels,
    check_positive,
    check_same_length,
    checked_with,
    same_parameters,
)

__all__ = ["History", "TwoLayerNet", "train"]

# TwoLayerNet.loss checks X and y once, then runs the layers' kernels: the code shown for
# each layer, without checking (and scanning for NaN) again at every layer.
fc_forward, relu_forward = layers.fc_forward.kernel, layers.relu_forward.kernel
relu_backward, softmax_loss = layers.relu_backward.kernel, layers.softmax_loss.kernel
fc_backward = layers.fc_backward.kernel


def _check_init(
    input_dim: object, hidden_dim: object, num_classes: object, weight_scale: object,
    seed: object, dtype: object, reg: object,
) -> tuple[int, int, int, float | None, int | None, np.dtype, float]:
    dims = (check_int(input_dim, "input_dim"), check_int(hidden_dim, "hidden_dim"),
            check_int(num_classes, "num_classes", minimum=2))
    if weight_scale is not None:
        weight_scale = check_positive(weight_scale, "weight_scale")
    if seed is not None:
        seed = check_int(seed, "seed", minimum=0)
    try:
        dt = np.dtype(dtype)  # type: ignore[call-overload]  # anything: TypeError below
    except TypeError:
        dt = None
    if dt not in (np.float32, np.float64):
        raise TypeError(f"dtype must be np.float32 or np.float64, got {dtype!r}")
    return (*dims, weight_scale, seed, dt, check_positive(reg, "reg", allow_zero=True))


def _check_xy(
    X: object, y: object, input_dim: int, num_classes: int, dtype: np.dtype,
    x_name: str = "X", y_name: str = "y",
) -> tuple[np.ndarray, np.ndarray | None]:
    """X (N, input_dim) finite, cast to the model dtype; y (N,) labels in [0, num_classes)."""
    X = check_array(X, x_name, shape=(None, input_dim), finite=False)
    with np.errstate(over="ignore"):  # float64 beyond the float32 range -> inf, caught below
        X = X.astype(dtype, copy=False)
    if not all_finite(X):
        raise ValueError(f"{x_name} must be finite (as {dtype.name}), found NaN or inf")
    if y is not None:
        y = check_labels(y, y_name, num_classes=num_classes)
        check_same_length(X, x_name, y, y_name)
    return X, y


def _checks_init(init: Callable[..., None]) -> Callable[..., None]:
    """Decorate ``TwoLayerNet.__init__``: check the sizes and options once."""

    @functools.wraps(init)
    def checked_init(
        self: TwoLayerNet, input_dim: object, hidden_dim: object, num_classes: object,
        weight_scale: object = None, seed: object = 0, dtype: object = np.float64,
        *, reg: object = 0.0,
    ) -> None:
        *args, reg = _check_init(input_dim, hidden_dim, num_classes, weight_scale, seed,
                                 dtype, reg)
        init(self, *args, reg=reg)

    same_parameters(checked_init, init)
    return checked_init


def _checks_inputs(loss: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate ``TwoLayerNet.loss``: check X and y once (cast to the model's dtype)."""

    @functools.wraps(loss)
    def checked_loss(self: TwoLayerNet, X: object, y: object = None) -> Any:
        (D, _), C = self.params["W1"].shape, self.params["W2"].shape[1]
        X, y = _check_xy(X, y, D, C, self.dtype)
        return loss(self, X, y)

    return checked_loss


# --8<-- [start:two_layer_net]
class TwoLayerNet:
    """fc (D -> H) -> ReLU -> fc (H -> C) -> softmax cross-entropy.

    ``params``: W1 (D, H), b1 (H,), W2 (H, C), b2 (C,), all of dtype ``dtype``.
    ``reg`` is the L2 strength: the loss adds 0.5 * reg * (|W1|^2 + |W2|^2).
    """
# --8<-- [end:two_layer_net]

    @_checks_init  # validates the arguments (outside the shown code)
    # --8<-- [start:two_layer_net_init]
    def __init__(
        self, input_dim: int, hidden_dim: int, num_classes: int,
        weight_scale: float | None = None, seed: int | None = 0,
        dtype: np.dtype = np.dtype(np.float64),  # noqa: B008 (a dtype is immutable)
        *, reg: float = 0.0,
    ) -> None:
        D, H, C = input_dim, hidden_dim, num_classes
        rng = np.random.default_rng(seed)
        # He initialisation: std sqrt(2 / fan_in) keeps the variance of the activations
        # about constant through a ReLU layer (ReLU zeroes half of its input).
        std1 = math.sqrt(2 / D) if weight_scale is None else weight_scale
        std2 = math.sqrt(2 / H) if weight_scale is None else weight_scale
        self.params: dict[str, np.ndarray] = {
            "W1": std1 * rng.standard_normal((D, H), dtype=dtype),
            "b1": np.zeros(H, dtype=dtype),  # a vector, shaped like its gradient
            "W2": std2 * rng.standard_normal((H, C), dtype=dtype),
            "b2": np.zeros(C, dtype=dtype),
        }
        self.dtype, self.reg = dtype, reg
    # --8<-- [end:two_layer_net_init]

    @_checks_inputs  # validates X and y (outside the shown code)
    # --8<-- [start:two_layer_net_loss]
    def loss(
        self, X: np.ndarray, y: np.ndarray | None = None
    ) -> np.ndarray | tuple[np.floating, dict[str, np.ndarray]]:
        """Scores (N, C) for X (N, D) if y is None; else (loss, grads) for labels y (N,).

        ``grads`` has the keys, shapes and dtype of ``params``.
        """
        p = self.params
        z1, _ = fc_forward(X, p["W1"], p["b1"])  # (N, H)
        a1, relu_cache = relu_forward(z1)  # (N, H)
        scores, fc2_cache = fc_forward(a1, p["W2"], p["b2"])  # (N, C)
        if y is None:
            return scores
        loss, dscores = softmax_loss(scores, y)
        # Backward: the same layers in reverse, each turning dL/d(output) into dL/d(input).
        da1, dW2, db2 = fc_backward(dscores, fc2_cache)
        dz1 = relu_backward(da1, relu_cache)
        # fc_backward for the first layer, minus dx: nothing needs a gradient for the data
        # (dx would cost as much as dW1).
        dW1, db1 = X.T @ dz1, dz1.sum(axis=0)
        if self.reg:
            loss += 0.5 * self.reg * (np.vdot(p["W1"], p["W1"]) + np.vdot(p["W2"], p["W2"]))
            dW1 += self.reg * p["W1"]
            dW2 += self.reg * p["W2"]
        return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
    # --8<-- [end:two_layer_net_loss]

    # --8<-- [start:two_layer_net_predict]
    def predict(self, X: ArrayLike) -> np.ndarray:
        """Predicted class (N,) for each row of X (N, D): the highest score."""
        return self.loss(X).argmax(axis=1)
    # --8<-- [end:two_layer_net_predict]

    def __repr__(self) -> str:
        (D, H), C = self.params["W1"].shape, self.params["W2"].shape[1]
        return f"TwoLayerNet({D}, {H}, {C}, dtype={self.dtype.name}, reg={self.reg})"


@dataclass
class History:
    """Per-epoch training record returned by ``train`` (one entry per epoch)."""

    loss: list[float] = field(default_factory=list)  # mean mini-batch loss over the epoch
    train_acc: list[float] = field(default_factory=list)  # accuracy on X at the epoch's end
    val_acc: list[float] = field(default_factory=list)  # on X_val; empty without X_val


def _check_train(
    model: object, X: object, y: object, optimizer: object, epochs: object,
    batch_size: object, seed: object = 0, X_val: object = None, y_val: object = None,
) -> tuple[Any, ...]:
    if not isinstance(model, TwoLayerNet):
        raise TypeError(f"model must be a TwoLayerNet, got {type(model).__name__}")
    check_optimizer(optimizer, any_with_step=True)
    (D, _), C = model.params["W1"].shape, model.params["W2"].shape[1]
    X, y = _check_xy(X, y, D, C, model.dtype)
    if y is None:
        raise TypeError("y must be given: train needs labels")
    if (X_val is None) != (y_val is None):
        raise ValueError("X_val and y_val must be given together (or both left out)")
    if X_val is not None:
        X_val, y_val = _check_xy(X_val, y_val, D, C, model.dtype, "X_val", "y_val")
    epochs = check_int(epochs, "epochs")
    batch_size = check_int(batch_size, "batch_size")
    if seed is not None:
        check_int(seed, "seed", minimum=0)
    return model, X, y, optimizer, epochs, batch_size, seed, X_val, y_val


@checked_with(_check_train)
# --8<-- [start:train]
def train(
    model: TwoLayerNet, X: np.ndarray, y: np.ndarray, optimizer: Any, epochs: int,
    batch_size: int, seed: int | None = 0,
    X_val: np.ndarray | None = None, y_val: np.ndarray | None = None,
) -> History:
    """Mini-batch training: each epoch visits the rows of X (N, D) once in a new random
    order, calling ``optimizer.step(model.params, grads)`` once per batch of labels y (N,).
    """
    rng = np.random.default_rng(seed)
    n = X.shape[0]
    history = History()
    for _ in range(epochs):
        order = rng.permutation(n)  # reshuffle so each epoch sees different batches
        total = 0.0
        for start in range(0, n, batch_size):
            batch = order[start:start + batch_size]  # the last batch may be smaller
            loss, grads = model.loss(X[batch], y[batch])
            optimizer.step(model.params, grads)
            total += float(loss) * len(batch)
        history.loss.append(total / n)  # weighted by batch size: a mean over samples
        history.train_acc.append(accuracy(y, model.predict(X)))
        if X_val is not None:
            history.val_acc.append(accuracy(y_val, model.predict(X_val)))
    return history
# --8<-- [end:train]
