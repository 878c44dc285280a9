import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from snippets.gradient_check import (
    numerical_gradient,
    numerical_gradient_array,
    rel_error,
)


@pytest.mark.parametrize("shape", [(), (5,), (3, 4), (2, 3, 2)])
def test_numerical_gradient_matches_analytic_gradient_for_any_shape(shape):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape)
    # f(x) = sum(sin(x) * x^2): gradient cos(x) x^2 + 2 x sin(x)
    grad = numerical_gradient(lambda v: np.sum(np.sin(v) * v**2), x)
    expected = np.cos(x) * x**2 + 2 * x * np.sin(x)
    assert grad.shape == x.shape
    assert rel_error(grad, expected) < 1e-8


def test_numerical_gradient_restores_x_and_works_through_a_closure():
    rng = np.random.default_rng(1)
    w = rng.standard_normal((3, 2))
    before = w.copy()
    a = rng.standard_normal((3, 2))
    # f ignores its argument and reads w directly, as with a model's parameters.
    grad = numerical_gradient(lambda _: float(np.sum(a * w**2)), w)
    assert np.array_equal(w, before)
    assert rel_error(grad, 2 * a * w) < 1e-8


def test_numerical_gradient_restores_x_when_f_raises():
    x = np.array([1.0, 2.0, 3.0])
    before = x.copy()
    calls = []

    def f(v):
        calls.append(v.copy())
        if len(calls) == 3:  # the first call is the argument check, then the probes
            raise RuntimeError("boom")
        return float(v.sum())

    with pytest.raises(RuntimeError, match="boom"):
        numerical_gradient(f, x)
    assert np.array_equal(x, before)
    assert calls[-1][0] != before[0]  # it did raise in the middle of a perturbation


def test_numerical_gradient_is_second_order_accurate():
    # For f = x^3 the centred difference is exact up to h^2 (error h^2 per entry).
    x = np.array([0.5, -2.0])
    h = 1e-3
    grad = numerical_gradient(lambda v: np.sum(v**3), x, h=h)
    assert np.allclose(grad, 3 * x**2 + h**2, rtol=0, atol=1e-9)


def test_numerical_gradient_keeps_float32():
    x = np.array([1.0, 2.0], dtype=np.float32)
    grad = numerical_gradient(lambda v: np.sum(v * v), x, h=1e-2)
    assert grad.dtype == np.float32
    assert np.allclose(grad, 2 * x, rtol=1e-3)


def test_numerical_gradient_array_matches_matrix_product():
    rng = np.random.default_rng(2)
    a = rng.standard_normal((4, 3))
    x = rng.standard_normal((3, 2))
    dout = rng.standard_normal((4, 2))
    before = x.copy()
    grad = numerical_gradient_array(lambda v: a @ v, x, dout)
    assert np.array_equal(x, before)
    assert rel_error(grad, a.T @ dout) < 1e-8


def test_numerical_gradient_array_copes_with_f_returning_a_view_of_x():
    x = np.array([1.0, -2.0, 3.0])
    dout = np.array([0.5, 2.0, -1.0])
    # f reverses x (a view). Without copying f(x+h) the probe would read x-h instead.
    grad = numerical_gradient_array(lambda v: v[::-1], x, dout)
    assert rel_error(grad, dout[::-1]) < 1e-8


def test_rel_error_hand_values():
    assert rel_error(1.0, 1.0) == 0.0
    assert rel_error([0.0, 0.0], [0.0, 0.0]) == 0.0
    assert rel_error([1.0, 2.0], [1.0, 2.0 + 4e-6]) == pytest.approx(4e-6 / (4 + 4e-6))
    # The 1e-8 floor: both numbers tiny -> judged against 1e-8, not against each other.
    assert rel_error(0.0, 1e-10) == pytest.approx(1e-2)
    assert rel_error(1.0, -1.0) == pytest.approx(1.0)


@settings(max_examples=50, deadline=None)
@given(
    arrays(np.float64, st.integers(1, 6), elements=st.floats(-1e6, 1e6)),
    arrays(np.float64, st.integers(1, 6), elements=st.floats(-1e6, 1e6)),
)
def test_rel_error_is_symmetric_and_bounded(a, b):
    if a.shape != b.shape:
        b = np.resize(b, a.shape)
    err = rel_error(a, b)
    assert err == rel_error(b, a)
    assert 0.0 <= err <= 1.0  # |a - b| <= |a| + |b|


@pytest.mark.parametrize(
    "f, x, h, error, message",
    [
        ("not callable", np.zeros(2), 1e-5, TypeError, "f must be callable"),
        (np.sum, [1.0, 2.0], 1e-5, TypeError, "x must be a float ndarray"),
        (np.sum, np.arange(3), 1e-5, TypeError, r"x must be a float ndarray .* got dtype int"),
        (np.sum, np.array([1.0, np.nan]), 1e-5, ValueError, "x must be finite"),
        (np.sum, np.zeros(0), 1e-5, ValueError, "x must not be empty"),
        (np.sum, np.zeros(2), 0.0, ValueError, "h must be a finite number > 0"),
        (np.sum, np.zeros(2), -1e-5, ValueError, "h must be a finite number > 0"),
        (lambda v: v * 2, np.zeros(2), 1e-5, ValueError, "f must return a scalar"),
    ],
)
def test_numerical_gradient_rejects_bad_input(f, x, h, error, message):
    with pytest.raises(error, match=message):
        numerical_gradient(f, x, h)


def test_numerical_gradient_rejects_read_only_x():
    x = np.zeros(3)
    x.flags.writeable = False
    with pytest.raises(ValueError, match="x must be writeable"):
        numerical_gradient(np.sum, x)


def test_numerical_gradient_array_rejects_dout_of_wrong_shape():
    with pytest.raises(ValueError, match=r"dout must have shape \(3\)"):
        numerical_gradient_array(lambda v: v * 2, np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match="dout must be finite"):
        numerical_gradient_array(lambda v: v * 2, np.zeros(2), [1.0, np.inf])


@pytest.mark.parametrize(
    "a, b, message",
    [
        (np.zeros(3), np.zeros(4), "a and b must have the same shape"),
        (np.zeros(0), np.zeros(0), "a must not be empty"),
        ([1.0, np.nan], [1.0, 1.0], "a must be finite"),
        ([1.0, 1.0], [np.inf, 1.0], "b must be finite"),
    ],
)
def test_rel_error_rejects_bad_input(a, b, message):
    with pytest.raises(ValueError, match=message):
        rel_error(a, b)
