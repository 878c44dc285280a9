import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from snippets import softmax_regression as sr
from snippets.gradient_check import numerical_gradient, rel_error


def blobs(n_per_class=40, num_classes=3, spread=0.5, seed=0):
    """Gaussian blobs centred on a circle of radius 3, plus a column of ones: an easy problem."""
    rng = np.random.default_rng(seed)
    angles = 2 * np.pi * np.arange(num_classes) / num_classes
    centres = 3 * np.column_stack([np.cos(angles), np.sin(angles)])
    X = np.concatenate([c + spread * rng.normal(size=(n_per_class, 2)) for c in centres])
    y = np.repeat(np.arange(num_classes), n_per_class)
    return sr.add_intercept(X), y


def one_hot(y, num_classes):
    return np.eye(num_classes)[y]


# ------------------------------------------------------------ log_softmax


def test_log_softmax_matches_scipy_and_stays_finite_for_huge_logits():
    from scipy.special import log_softmax as reference

    logits = np.random.default_rng(3).normal(scale=20, size=(7, 4))
    np.testing.assert_allclose(sr.log_softmax(logits), reference(logits, axis=1), rtol=1e-12)
    for dtype in (np.float64, np.float32):
        huge = np.array([[1000.0, 0.0, -1000.0]], dtype=dtype)
        out = sr.log_softmax(huge)
        assert out.dtype == dtype and np.isfinite(out).all()
        np.testing.assert_allclose(out, [[0.0, -1000.0, -2000.0]], rtol=1e-6)


def test_log_softmax_rejects_bad_logits():
    with pytest.raises(ValueError, match="logits must be 2-D"):
        sr.log_softmax(np.zeros(3))
    with pytest.raises(ValueError, match="logits must be finite"):
        sr.log_softmax(np.array([[0.0, np.nan]]))


# ------------------------------------------------------------ softmax_probs

finite = st.floats(-50, 50, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(
    X=arrays(np.float64, (5, 3), elements=finite),
    W=arrays(np.float64, (4, 3), elements=finite),
    shift=arrays(np.float64, (3,), elements=finite),
)
def test_softmax_rows_sum_to_one_and_shift_invariant(X, W, shift):
    P = sr.softmax_probs(X, W)
    assert P.shape == (5, 4)
    assert np.all(P >= 0) and np.all(P <= 1)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-12)
    # adding the same vector to every row of W changes no probability
    np.testing.assert_allclose(sr.softmax_probs(X, W + shift), P, atol=1e-9)


def test_softmax_handles_huge_logits_without_warnings():
    X = np.array([[1.0, 0.0], [0.0, 1.0]])
    W = np.array([[1000.0, -1000.0], [0.0, 0.0], [-1000.0, 1000.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        P = sr.softmax_probs(X, W)
        P32 = sr.softmax_probs(X.astype(np.float32), W.astype(np.float32))
        ll = sr.mean_log_likelihood(X, [1, 1], W)
    np.testing.assert_allclose(P, [[1, 0, 0], [0, 0, 1]], atol=1e-300)
    assert P32.dtype == np.float32 and np.all(np.isfinite(P32))
    assert ll == pytest.approx(-1000.0)  # log P = -1000 exactly, no log(0)


def test_mean_log_likelihood_matches_log_of_probs():
    rng = np.random.default_rng(1)
    X, W, y = rng.normal(size=(20, 4)), rng.normal(size=(3, 4)), rng.integers(0, 3, 20)
    P = sr.softmax_probs(X, W)
    assert sr.mean_log_likelihood(X, y, W) == pytest.approx(np.mean(np.log(P[np.arange(20), y])))


# -------------------------------------------------- log_likelihood_gradient


@pytest.mark.parametrize("seed", range(3))
def test_gradient_matches_numerical_gradient(seed):
    rng = np.random.default_rng(seed)
    N, D, C = 15, 4, 3
    X, y = rng.normal(size=(N, D)), rng.integers(0, C, N)
    W = rng.normal(size=(C, D))
    W[-1] = 0
    grad = sr.log_likelihood_gradient(X, one_hot(y, C), sr.softmax_probs(X, W))
    numeric = numerical_gradient(lambda w: sr.mean_log_likelihood(X, y, w), W)
    assert grad.shape == (C, D)
    assert rel_error(grad[:-1], numeric[:-1]) < 1e-7
    np.testing.assert_array_equal(grad[-1], 0.0)  # the pinned row gets no update
    assert np.any(numeric[-1] != 0)  # although the likelihood does depend on it


def test_gradient_does_not_mutate_inputs():
    rng = np.random.default_rng(0)
    X, P = (
        rng.normal(size=(6, 2)),
        sr.softmax_probs(rng.normal(size=(6, 2)), rng.normal(size=(3, 2))),
    )
    Y = one_hot(rng.integers(0, 3, 6), 3)
    copies = [a.copy() for a in (X, Y, P)]
    sr.log_likelihood_gradient(X, Y, P)
    for a, b in zip((X, Y, P), copies, strict=False):
        np.testing.assert_array_equal(a, b)


# ---------------------------------------------------------------------- fit


def test_fit_stops_by_its_rule_on_an_easy_problem():
    X, y = blobs()
    result = sr.fit(X, y, 3)  # default lr, max_iter, tol
    assert result.converged and result.n_iter < 1000
    assert len(result.log_likelihood) == result.n_iter + 1
    assert result.log_likelihood[0] == pytest.approx(np.log(1 / 3))  # W = 0: uniform
    assert result.log_likelihood[-1] > -0.3  # far above log(1/3) = -1.1
    assert result.log_likelihood[-1] == pytest.approx(sr.mean_log_likelihood(X, y, result.W))
    assert sr.accuracy(X, y, result.W) == 1.0
    # honest flag: the gradient of the penalised objective at W really is below tol
    grad = (
        sr.log_likelihood_gradient(X, one_hot(y, 3), sr.softmax_probs(X, result.W))
        - 1e-3 * result.W
    )
    grad[-1] = 0
    assert np.abs(grad).max() < 1e-3


def test_fit_converges_only_when_the_gradient_is_strictly_below_tol():
    X, y = blobs()
    # fit's first gradient, at W = 0 (where the L2 term's gradient is zero)
    W = np.zeros((3, X.shape[1]))
    first = sr.log_likelihood_gradient(X, one_hot(y, 3), np.exp(sr.log_softmax(X @ W.T)))
    largest = np.abs(first).max()
    assert not sr.fit(X, y, 3, max_iter=0, tol=largest).converged
    assert sr.fit(X, y, 3, max_iter=0, tol=np.nextafter(largest, np.inf)).converged


def test_fit_reports_not_converged_when_budget_runs_out():
    X, y = blobs()
    result = sr.fit(X, y, 3, max_iter=5)
    assert not result.converged and result.n_iter == 5
    assert len(result.log_likelihood) == 6
    assert np.all(np.diff(result.log_likelihood) > 0)  # ascent: every step climbs here


def test_fit_keeps_last_row_exactly_zero():
    X, y = blobs(num_classes=4)
    W = sr.fit(X, y, 4, max_iter=50).W
    assert W.shape == (4, X.shape[1])
    np.testing.assert_array_equal(W[-1], 0.0)
    assert np.all(np.abs(W[:-1]).sum(axis=1) > 0)


@pytest.mark.parametrize(
    "dtype, expected",
    [
        (np.int64, np.float64),
        (np.int32, np.float64),
        (np.uint8, np.float64),
        (np.float64, np.float64),
        (np.float32, np.float32),
    ],
)
def test_fit_weights_are_float_whatever_x_dtype(dtype, expected):
    X, y = blobs()
    Xq = np.round(X * 10).astype(dtype) if np.dtype(dtype).kind in "iu" else X.astype(dtype)
    if np.dtype(dtype).kind == "u":
        Xq = np.abs(Xq).astype(dtype)
    result = sr.fit(Xq, y, 3, lr=0.01, max_iter=200)
    assert result.W.dtype == expected
    assert np.abs(result.W).max() > 0  # an integer W would have truncated these tiny steps to 0
    assert sr.softmax_probs(Xq, result.W).dtype == expected


def test_fit_step_uses_the_mean_not_the_sum():
    # Duplicating every sample leaves the mean log-likelihood (and its gradient)
    # unchanged, so the fit must be identical; a summed gradient would double the step.
    X, y = blobs()
    a = sr.fit(X, y, 3, max_iter=30)
    b = sr.fit(np.vstack([X, X]), np.concatenate([y, y]), 3, max_iter=30)
    np.testing.assert_allclose(a.W, b.W, rtol=1e-10, atol=1e-12)


def test_fit_uses_zero_based_labels():
    X, y = blobs(num_classes=3)
    result = sr.fit(X, y, 3)
    assert set(sr.predict(X, result.W)) == {0, 1, 2}
    with pytest.raises(ValueError, match=r"y must hold labels in \[0, 3\)"):
        sr.fit(X, y + 1, 3)  # 1-based labels: label 3 does not exist


def test_pinning_the_last_row_changes_no_prediction():
    rng = np.random.default_rng(3)
    X, W = rng.normal(size=(30, 5)), rng.normal(size=(4, 5))
    pinned = W - W[-1]  # subtract the last row from every row
    np.testing.assert_array_equal(pinned[-1], 0.0)
    np.testing.assert_allclose(sr.softmax_probs(X, pinned), sr.softmax_probs(X, W), rtol=1e-12)


def test_predict_and_accuracy_agree_with_probabilities():
    rng = np.random.default_rng(4)
    X, W, y = rng.normal(size=(50, 3)), rng.normal(size=(4, 3)), rng.integers(0, 4, 50)
    pred = sr.predict(X, W)
    np.testing.assert_array_equal(pred, sr.softmax_probs(X, W).argmax(axis=1))
    assert sr.accuracy(X, y, W) == pytest.approx(np.mean(pred == y))


def test_add_intercept():
    X = np.arange(6).reshape(3, 2)
    out = sr.add_intercept(X)
    np.testing.assert_array_equal(out, [[0, 1, 1], [2, 3, 1], [4, 5, 1]])
    assert out.dtype == np.float64


# -------------------------------------------------------- real data: digits


def test_digits_accuracy_close_to_sklearn(digits_split):
    from sklearn.linear_model import LogisticRegression

    X_tr, X_te, y_tr, y_te = digits_split
    result = sr.fit(sr.add_intercept(X_tr), y_tr, 10)
    ours = sr.accuracy(sr.add_intercept(X_te), y_te, result.W)
    reference = LogisticRegression(max_iter=5000).fit(X_tr, y_tr).score(X_te, y_te)
    print(f"digits test accuracy: ours {ours:.4f} ({result.n_iter} steps), sklearn {reference:.4f}")
    assert result.converged
    assert ours >= 0.96
    assert abs(ours - reference) <= 0.02


def test_digits_float32(digits_split):
    X_tr, X_te, y_tr, y_te = (
        a.astype(np.float32) if a.dtype.kind == "f" else a for a in digits_split
    )
    result = sr.fit(sr.add_intercept(X_tr), y_tr, 10)
    assert result.W.dtype == np.float32
    assert sr.accuracy(sr.add_intercept(X_te), y_te, result.W) >= 0.96


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"X": np.ones(5)}, ValueError, "X must be 2-D"),
        ({"X": np.full((5, 2), np.nan)}, ValueError, "X must be finite"),
        ({"X": np.ones((0, 2)), "y": []}, ValueError, "X must not be empty"),
        ({"y": [0, 1, 0, 1]}, ValueError, "y and X must have the same length, got 4 and 5"),
        ({"y": [0, 1, 0.5, 1, 0]}, ValueError, "y must hold integer class labels"),
        ({"y": [0, 1, -1, 1, 0]}, ValueError, r"y must hold labels in \[0, 2\)"),
        ({"y": [0, 1, 2, 1, 0]}, ValueError, r"y must hold labels in \[0, 2\)"),
        ({"num_classes": 1}, ValueError, "num_classes must be >= 2"),
        ({"num_classes": 2.0}, TypeError, "num_classes must be an integer"),
        ({"lr": 0.0}, ValueError, "lr must be a finite number > 0"),
        ({"lr": -1.0}, ValueError, "lr must be a finite number > 0"),
        ({"max_iter": -1}, ValueError, "max_iter must be >= 0"),
        ({"max_iter": 10.5}, TypeError, "max_iter must be an integer"),
        ({"max_iter": 10.0}, TypeError, "max_iter must be an integer"),
        ({"tol": -1e-3}, ValueError, "tol must be a finite number >= 0"),
        ({"reg": np.inf}, ValueError, "reg must be a finite number >= 0"),
    ],
)
def test_fit_bad_input(kwargs, error, message):
    args = {"X": np.ones((5, 2)), "y": [0, 1, 0, 1, 0], "num_classes": 2, **kwargs}
    with pytest.raises(error, match=message):
        sr.fit(**args)


@pytest.mark.parametrize("f", [sr.softmax_probs, sr.predict])
def test_x_w_mismatch(f):
    with pytest.raises(
        ValueError, match=r"W must have shape \(C, 3\) to match X's 3 features, got \(4, 2\)"
    ):
        f(np.ones((5, 3)), np.zeros((4, 2)))
    with pytest.raises(ValueError, match="W must be 2-D"):
        f(np.ones((5, 3)), np.zeros(3))
    with pytest.raises(ValueError, match="W must be finite"):
        f(np.ones((5, 3)), np.full((2, 3), np.inf))


def test_accuracy_and_log_likelihood_reject_out_of_range_labels():
    X, W = np.ones((3, 2)), np.zeros((2, 2))
    for f in (sr.accuracy, sr.mean_log_likelihood):
        with pytest.raises(ValueError, match=r"y must hold labels in \[0, 2\)"):
            f(X, [0, 1, 2], W)
        with pytest.raises(ValueError, match="y and X must have the same length"):
            f(X, [0, 1], W)


def test_gradient_bad_shapes():
    X, P = np.ones((4, 3)), np.full((4, 2), 0.5)
    with pytest.raises(ValueError, match=r"Y must have shape \(4, 2\)"):
        sr.log_likelihood_gradient(X, np.ones((4, 3)), P)
    with pytest.raises(ValueError, match=r"P must have shape \(4, any\)"):
        sr.log_likelihood_gradient(X, np.ones((5, 2)), np.full((5, 2), 0.5))
    with pytest.raises(ValueError, match="P must have at least 2 columns"):
        sr.log_likelihood_gradient(X, np.ones((4, 1)), np.ones((4, 1)))


def test_predict_and_accuracy_accept_the_fit_result():
    rng = np.random.default_rng(7)
    X = rng.standard_normal((30, 3))
    y = (X[:, 0] > 0).astype(int)
    result = sr.fit(X, y, 2, max_iter=50)
    assert np.array_equal(sr.predict(X, result), sr.predict(X, result.W))
    assert sr.accuracy(X, y, result) == sr.accuracy(X, y, result.W)
    with pytest.raises(TypeError, match=r"pass result\.W"):
        sr.predict(X, {"W": result.W})
