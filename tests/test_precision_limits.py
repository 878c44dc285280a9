"""The public API at the limits of floating point: an input on which the plain arithmetic
would give a wrong number without an error is refused, naming the argument and the limit
(snippets/validation.py's checks, called before the shown code runs)."""

import numpy as np
import pytest

from snippets import activations as act
from snippets import layers, metrics, optim
from snippets.gradient_check import numerical_gradient, numerical_gradient_array, rel_error


# Inputs on which the plain arithmetic gives a wrong number without an error (found by a
# review): each is refused, naming the argument and the limit.
@pytest.mark.parametrize(
    "call, says",
    [
        (
            lambda: numerical_gradient(lambda v: float(np.sum(v * v)), np.ones(2, np.float16)),
            "h = 1e-05 is too small for x in float16",
        ),
        (
            lambda: numerical_gradient(
                lambda v: float(np.sum(v * v)), np.array([1e6], dtype=np.float32)
            ),
            "the step x + h - (x - h) it can hold is 0",
        ),
        (
            lambda: numerical_gradient_array(lambda v: v * 2, np.array([1e12, 1.0]), np.ones(2)),
            "h = 1e-05 is too small for x in float64: at x[0] = 1e+12",
        ),
        (lambda: rel_error(np.array([1e308]), np.array([-1e308])), "|a| + |b| overflows"),
        (
            lambda: act.leaky_relu(np.array([-np.inf, 1.0]), alpha=0.0),
            "x holds -inf and alpha = 0",
        ),
        (
            lambda: metrics.roc_auc([0, 1], np.array([2**53, 2**53 + 1], dtype=np.int64)),
            "scores holds integers beyond 2**53",
        ),
        (
            lambda: metrics.average_precision(
                [0, 1], np.array([2**60, 2**60 + 1], dtype=np.uint64)
            ),
            "scores holds integers beyond 2**53",
        ),
        (
            lambda: optim.Adam(lr=0.1, eps=1e-45).step(
                {"w": np.zeros(2, np.float32)}, {"w": np.zeros(2, np.float32)}
            ),
            "eps = 1e-45 is below the smallest normal float32",
        ),
        (
            lambda: layers.batchnorm_forward(
                np.zeros((3, 2), np.float32),
                np.ones(2, np.float32),
                np.zeros(2, np.float32),
                {"mode": "train", "eps": 1e-40},
            ),
            "bn_param['eps'] = 1e-40 is below the smallest normal float32",
        ),
    ],
    ids=[
        "grad-float16",
        "grad-large-float32",
        "grad-array-large-float64",
        "rel-error-overflow",
        "leaky-relu-alpha-0",
        "roc-auc-large-ints",
        "average-precision-large-uints",
        "adam-tiny-eps",
        "batchnorm-tiny-eps",
    ],
)
def test_precision_limits_raise_instead_of_returning_a_wrong_number(call, says):
    with pytest.raises(ValueError) as caught:
        call()
    assert says in str(caught.value), str(caught.value)


def test_inputs_just_inside_the_limits_still_give_the_right_number():
    """The limits refuse only what would be wrong: these are answered, and correctly."""
    x = np.array([1.0, 2.0], dtype=np.float32)
    assert np.allclose(numerical_gradient(lambda v: float(np.sum(v * v)), x), 2 * x, rtol=2e-3)
    assert act.leaky_relu_grad(np.array([-np.inf]), alpha=0.0)[0] == 0.0
    assert act.leaky_relu(np.array([-np.inf]), alpha=0.5)[0] == -np.inf
    assert metrics.roc_auc([0, 1], np.array([2**53 - 1, 2**53], dtype=np.int64)) == 1.0
    assert rel_error(np.array([8e307]), np.array([-8e307])) == 1.0
    w = np.ones(2, np.float32)
    optim.Adam(lr=0.1, eps=float(np.finfo(np.float32).tiny)).step({"w": w}, {"w": np.ones(2)})
    assert np.all(np.isfinite(w))
