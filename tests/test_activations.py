import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from snippets import activations as act
from snippets.gradient_check import numerical_gradient_array

PAIRS = [
    (act.sigmoid, act.sigmoid_grad),
    (act.tanh, act.tanh_grad),
    (act.relu, act.relu_grad),
    (act.leaky_relu, act.leaky_relu_grad),
    (lambda x: act.leaky_relu(x, alpha=0.2), lambda x: act.leaky_relu_grad(x, alpha=0.2)),
]
ALL = [
    act.sigmoid,
    act.sigmoid_grad,
    act.tanh,
    act.tanh_grad,
    act.relu,
    act.relu_grad,
    act.leaky_relu,
    act.leaky_relu_grad,
]


@pytest.mark.parametrize("f, df", PAIRS)
def test_derivative_matches_centred_differences(f, df):
    rng = np.random.default_rng(0)
    x = rng.uniform(-6, 6, size=200)
    x = x[np.abs(x) > 1e-3]  # keep away from the kink of the ReLU family
    # f acts element-wise, so the gradient of sum(f(x) * 1) is f'(x) entry by entry
    numeric = numerical_gradient_array(f, x, np.ones_like(x))
    np.testing.assert_allclose(df(x), numeric, rtol=1e-7, atol=1e-10)


@pytest.mark.parametrize("f", ALL)
def test_shape_and_float_dtype_preserved(f):
    for dtype in (np.float32, np.float64):
        x = np.linspace(-3, 3, 12, dtype=dtype).reshape(3, 4)
        out = f(x)
        assert out.shape == (3, 4) and out.dtype == dtype
    assert f(np.arange(-2, 3)).dtype == np.float64  # integers compute in float64


def test_sigmoid_stable_at_large_magnitude_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any overflow/invalid RuntimeWarning fails the test
        x = np.array([-1000.0, -800.0, 0.0, 800.0, 1000.0, -np.inf, np.inf])
        s = act.sigmoid(x)
        g = act.sigmoid_grad(x)
        s32 = act.sigmoid(x.astype(np.float32))
    np.testing.assert_array_equal(s, [0.0, 0.0, 0.5, 1.0, 1.0, 0.0, 1.0])
    np.testing.assert_array_equal(g, [0.0, 0.0, 0.25, 0.0, 0.0, 0.0, 0.0])
    np.testing.assert_array_equal(s32, np.array([0, 0, 0.5, 1, 1, 0, 1], dtype=np.float32))
    assert np.all(np.isfinite(s)) and np.all(np.isfinite(s32))


def test_sigmoid_matches_naive_formula_where_that_is_safe():
    x = np.linspace(-30, 30, 101)
    np.testing.assert_allclose(act.sigmoid(x), 1 / (1 + np.exp(-x)), rtol=1e-14)
    # and keeps relative precision in the far left tail, where 1 - s would not
    np.testing.assert_allclose(act.sigmoid(np.array([-700.0])), np.exp(-700.0), rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    arrays(
        np.float64,
        st.integers(1, 30),
        elements=st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
    )
)
def test_ranges_and_symmetries(x):
    s, t = act.sigmoid(x), act.tanh(x)
    assert np.all((s >= 0) & (s <= 1)) and np.all((t >= -1) & (t <= 1))
    np.testing.assert_allclose(s + act.sigmoid(-x), 1.0, atol=1e-15)  # sigma(-x) = 1 - sigma(x)
    np.testing.assert_array_equal(act.tanh(-x), -t)  # tanh is odd (zero-centred)
    assert np.all(act.relu(x) >= 0) and np.all(act.relu(x) == np.maximum(x, 0))
    assert np.all((act.sigmoid_grad(x) >= 0) & (act.sigmoid_grad(x) <= 0.25))
    assert np.all((act.tanh_grad(x) >= 0) & (act.tanh_grad(x) <= 1))
    assert set(np.unique(act.relu_grad(x))) <= {0.0, 1.0}
    np.testing.assert_array_equal(act.leaky_relu(x), np.where(x > 0, x, 0.01 * x))


def test_relu_family_at_the_kink_and_alpha_zero():
    x = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_array_equal(act.relu_grad(x), [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(act.leaky_relu_grad(x, alpha=0.1), [0.1, 0.1, 1.0])
    np.testing.assert_array_equal(act.leaky_relu(x, alpha=0.0), act.relu(x))
    np.testing.assert_array_equal(act.leaky_relu(x, alpha=0.1), [-0.2, 0.0, 3.0])


def test_functions_do_not_mutate_input():
    x = np.array([-1.0, 0.5, 2.0])
    before = x.copy()
    for f in ALL:
        f(x)
    np.testing.assert_array_equal(x, before)


@pytest.mark.parametrize("f", ALL)
def test_rejects_nan_and_non_numbers(f):
    with pytest.raises(ValueError, match="x must not contain NaN"):
        f(np.array([0.0, np.nan]))
    with pytest.raises(TypeError, match="x must hold real numbers"):
        f(np.array(["a", "b"]))


@pytest.mark.parametrize("f", [act.leaky_relu, act.leaky_relu_grad])
def test_rejects_bad_alpha(f):
    with pytest.raises(ValueError, match="alpha must be a finite number >= 0"):
        f(np.ones(3), alpha=-0.1)
    with pytest.raises(TypeError, match="alpha must be a real number"):
        f(np.ones(3), alpha="0.1")
