"""Element-wise activation functions and their derivatives.

Every function takes the pre-activation ``x`` (any shape) and returns an
array of the same shape. Float inputs keep their dtype (float32 stays
float32); integer and boolean inputs are computed in float64. The
derivatives also take ``x``, not the activation's output, so that each pair
can be checked against finite differences of the same input.

``+inf``/``-inf`` are accepted (the limits are well defined, e.g.
``sigmoid(-inf) == 0``); NaN is rejected.
"""

from __future__ import annotations

import numpy as np

from snippets.validation import check_array, check_positive, checked_with

__all__ = [
    "leaky_relu",
    "leaky_relu_grad",
    "relu",
    "relu_grad",
    "sigmoid",
    "sigmoid_grad",
    "tanh",
    "tanh_grad",
]


def _float_input(x: object) -> np.ndarray:
    """Return ``x`` as a float array (float dtypes kept), rejecting NaN."""
    arr = check_array(x, "x", allow_empty=True, finite=False)
    if arr.dtype.kind != "f":
        arr = arr.astype(np.float64)
    if np.isnan(arr).any():
        raise ValueError("x must not contain NaN")
    return arr


def _check_x(x: object) -> tuple[np.ndarray]:
    return (_float_input(x),)


def _check_x_alpha(x: object, alpha: object = 0.01) -> tuple[np.ndarray, float]:
    return _float_input(x), check_positive(alpha, "alpha", allow_zero=True)


def _check_leaky(x: object, alpha: object = 0.01) -> tuple[np.ndarray, float]:
    x, alpha = _check_x_alpha(x, alpha)
    if alpha == 0 and np.isneginf(x).any():
        raise ValueError(
            "x holds -inf and alpha = 0: the slope times x is 0 * -inf, which is undefined;"
            " use relu(x) for a slope of 0"
        )
    return x, alpha


@checked_with(_check_x)
# --8<-- [start:sigmoid]
def sigmoid(x: np.ndarray) -> np.ndarray:
    """Logistic function 1 / (1 + exp(-x)), stable for any magnitude of x."""
    # exp(-|x|) lies in (0, 1], so it can underflow to 0 but never overflow;
    # both branches below are the same function written with it.
    z = np.exp(-np.abs(x))
    # equivalent mutant (ReplaceComparisonOperator_GtE_Gt): at x = 0 both branches give 1/2
    return np.where(x >= 0, 1 / (1 + z), z / (1 + z))
# --8<-- [end:sigmoid]


# --8<-- [start:sigmoid_grad]
def sigmoid_grad(x: np.ndarray) -> np.ndarray:
    """Derivative of sigmoid at x: s (1 - s), at most 1/4 (at x = 0)."""
    s = sigmoid(x)
    return s * (1 - s)
# --8<-- [end:sigmoid_grad]


@checked_with(_check_x)
# --8<-- [start:tanh]
def tanh(x: np.ndarray) -> np.ndarray:
    """Hyperbolic tangent, range (-1, 1) and zero-centred."""
    return np.tanh(x)
# --8<-- [end:tanh]


# --8<-- [start:tanh_grad]
def tanh_grad(x: np.ndarray) -> np.ndarray:
    """Derivative of tanh at x: 1 - tanh(x)^2, at most 1 (at x = 0)."""
    t = tanh(x)
    return 1 - t * t
# --8<-- [end:tanh_grad]


@checked_with(_check_x)
# --8<-- [start:relu]
def relu(x: np.ndarray) -> np.ndarray:
    """Rectified linear unit max(x, 0)."""
    return np.maximum(x, 0)
# --8<-- [end:relu]


@checked_with(_check_x)
# --8<-- [start:relu_grad]
def relu_grad(x: np.ndarray) -> np.ndarray:
    """Derivative of relu: 1 where x > 0, else 0 (the value 0 is used at the kink x = 0)."""
    return (x > 0).astype(x.dtype)
# --8<-- [end:relu_grad]


@checked_with(_check_leaky)
# --8<-- [start:leaky_relu]
def leaky_relu(x: np.ndarray, alpha: float = 0.01) -> np.ndarray:
    """x where x > 0, alpha * x elsewhere; the small slope keeps negative units learning."""
    # equivalent mutant (ReplaceComparisonOperator_Gt_GtE): at x = 0 both branches give 0
    return np.where(x > 0, x, alpha * x)
# --8<-- [end:leaky_relu]


@checked_with(_check_x_alpha)
# --8<-- [start:leaky_relu_grad]
def leaky_relu_grad(x: np.ndarray, alpha: float = 0.01) -> np.ndarray:
    """Derivative of leaky_relu: 1 where x > 0, alpha elsewhere (alpha at the kink x = 0)."""
    return np.where(x > 0, 1, alpha).astype(x.dtype)
# --8<-- [end:leaky_relu_grad]
