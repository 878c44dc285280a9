import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from snippets.validation import (
    SCAN_BELOW,
    all_finite,
    check_array,
    check_labels,
    check_positive,
    check_probability,
    check_same_length,
    checked_with,
)


def test_check_array_accepts_and_returns_ndarray():
    out = check_array([[1.0, 2.0]], "x", ndim=2, shape=(None, 2))
    assert isinstance(out, np.ndarray) and out.shape == (1, 2)


@pytest.mark.parametrize(
    "value, kwargs, message",
    [
        ([1.0, 2.0], {"ndim": 2}, "x must be 2-D"),
        ([[1.0, 2.0]], {"shape": (None, 3)}, r"x must have shape \(any, 3\)"),
        ([], {}, "x must not be empty"),
        ([1.0, np.nan], {}, "x must be finite"),
        ([1.0, np.inf], {}, "x must be finite"),
        ([[1.0], [1.0, 2.0]], {}, "x must be an array of numbers"),
        (["a", "b"], {}, "x must hold real numbers"),
    ],
)
def test_check_array_rejects(value, kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        check_array(value, "x", **kwargs)


def test_check_labels():
    assert check_labels([0.0, 2.0, 1.0], "y", 3).dtype == np.int64
    with pytest.raises(ValueError, match=r"y must hold labels in \[0, 3\)"):
        check_labels([0, 3], "y", 3)
    with pytest.raises(ValueError, match=r"y must hold labels in \[0, "):
        check_labels([-1, 0], "y")
    with pytest.raises(ValueError, match="y must hold integer class labels"):
        check_labels([0.5, 1.0], "y", 3)
    with pytest.raises(TypeError, match="y must hold integer class labels"):
        check_labels([True, False], "y", 3)


def test_check_same_length():
    check_same_length(np.zeros(3), "a", np.zeros((3, 2)), "b")
    with pytest.raises(ValueError, match="a and b must have the same length, got 3 and 2"):
        check_same_length(np.zeros(3), "a", np.zeros(2), "b")


def test_check_positive_and_probability():
    assert check_positive(2, "lr") == 2.0
    assert check_positive(0, "eps", allow_zero=True) == 0.0
    for bad in (0, -1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="lr must be a finite number > 0"):
            check_positive(bad, "lr")
    with pytest.raises(TypeError, match="lr must be a real number, got str"):
        check_positive("0.1", "lr")
    with pytest.raises(TypeError, match="lr must be a real number, got bool"):
        check_positive(True, "lr")
    assert check_probability(0.5, "p") == 0.5
    with pytest.raises(ValueError, match=r"p must be in \[0, 1\)"):
        check_probability(1.0, "p")
    assert check_probability(1.0, "beta", upper_inclusive=True) == 1.0


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from([np.float32, np.float64]).flatmap(
        lambda dt: arrays(
            dt,
            st.tuples(st.integers(1, 6), st.integers(1, 6)),
            elements=st.one_of(
                st.floats(width=32 if dt == np.float32 else 64),
                st.sampled_from([3e38, -3e38, 0.0, 1.0]).map(dt),
            ),
        )
    )
)
def test_all_finite_agrees_with_isfinite(X):
    # Huge finite values overflow the row sums: the check must fall back, not report inf.
    assert all_finite(X) == bool(np.isfinite(X).all())
    assert all_finite(X[0]) == bool(np.isfinite(X[0]).all())  # 1-D
    assert all_finite(X[None]) == bool(np.isfinite(X).all())  # 3-D
    # Above SCAN_BELOW elements the row sums decide first: the same answer.
    big = np.tile(X, (-(-SCAN_BELOW // X.size), 1))
    assert big.size >= SCAN_BELOW
    assert all_finite(big) == bool(np.isfinite(X).all())


def test_all_finite_on_scalars_and_check_array_on_empty():
    assert all_finite(np.float64(1.0)) and not all_finite(np.array(np.inf))
    assert check_array(np.zeros((0, 3)), "x", allow_empty=True).shape == (0, 3)


# ---------------------------------------------------------------- one exception per mistake


def _count_calls():
    """(call with a count given as a float, call with a count out of range) per entry point."""
    from snippets import layers, optim, softmax_regression, two_layer_net

    X, y = np.ones((4, 3)), np.array([0, 1, 0, 1])
    img, w, b = np.ones((1, 1, 4, 4)), np.ones((1, 1, 2, 2)), np.ones(1)
    net = lambda: two_layer_net.TwoLayerNet(3, 2, 2)  # noqa: E731
    return {
        "fit max_iter": (
            lambda: softmax_regression.fit(X, y, 2, max_iter=10.0),
            lambda: softmax_regression.fit(X, y, 2, max_iter=-1),
        ),
        "fit num_classes": (
            lambda: softmax_regression.fit(X, y, 2.0),
            lambda: softmax_regression.fit(X, y, 1),
        ),
        "minimize max_iter": (
            lambda: optim.minimize(lambda x: x, [1.0], optim.SGD(lr=0.1), max_iter=10.0),
            lambda: optim.minimize(lambda x: x, [1.0], optim.SGD(lr=0.1), max_iter=-1),
        ),
        "train epochs": (
            lambda: two_layer_net.train(net(), X, y, optim.SGD(lr=0.1), 1.0, 2),
            lambda: two_layer_net.train(net(), X, y, optim.SGD(lr=0.1), 0, 2),
        ),
        "TwoLayerNet hidden_dim": (
            lambda: two_layer_net.TwoLayerNet(3, 2.0, 2),
            lambda: two_layer_net.TwoLayerNet(3, 0, 2),
        ),
        "conv2d stride": (
            lambda: layers.conv2d_forward(img, w, b, stride=1.0),
            lambda: layers.conv2d_forward(img, w, b, stride=0),
        ),
        "maxpool2d size": (
            lambda: layers.maxpool2d_forward(img, size=2.0),
            lambda: layers.maxpool2d_forward(img, size=0),
        ),
    }


@pytest.mark.parametrize("entry", sorted(_count_calls()))
def test_a_count_that_is_not_an_integer_is_a_type_error_and_out_of_range_a_value_error(entry):
    not_integer, out_of_range = _count_calls()[entry]
    with pytest.raises(TypeError, match="must be an integer"):
        not_integer()
    with pytest.raises(ValueError, match="must be >= "):
        out_of_range()


def test_checked_with_runs_the_check_then_the_kernel():
    from snippets.validation import checked_with

    seen = []

    def check(a, b=2):
        seen.append(("check", a, b))
        if a < 0:
            raise ValueError("a must be >= 0")
        return float(a), b

    @checked_with(check)
    def kernel(a, b=2):
        """Docstring kept."""
        seen.append(("kernel", a, b))
        return a * b

    assert kernel(3) == 6.0 and kernel(3, b=3) == 9.0
    assert seen[:2] == [("check", 3, 2), ("kernel", 3.0, 2)]
    assert kernel.__doc__ == "Docstring kept." and kernel.kernel(2, 5) == 10
    with pytest.raises(ValueError, match="a must be >= 0"):
        kernel(-1)


def test_a_checked_function_and_its_kernel_agree_on_every_default():
    # the page shows the kernel's signature; callers get the check's defaults
    def check(x, alpha=0.01):
        return x, alpha

    def kernel(x, alpha=0.01):
        return x * alpha

    def drifted(x, alpha=0.02):
        return x * alpha

    assert checked_with(check)(kernel)(2.0) == 0.02
    with pytest.raises(TypeError, match=r"drifted: its checked wrapper takes .*make the two"):
        checked_with(check)(drifted)
