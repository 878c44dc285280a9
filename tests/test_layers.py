import copy
import json

import numpy as np
import pytest
from conftest import ROOT, load_module
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.special import logsumexp
from scipy.special import softmax as scipy_softmax

from snippets.gradient_check import (
    numerical_gradient,
    numerical_gradient_array,
    rel_error,
)
from snippets.layers import (
    BatchnormCache,
    Conv2dCache,
    FcCache,
    Maxpool2dCache,
    batchnorm_backward,
    batchnorm_forward,
    conv2d_backward,
    conv2d_forward,
    conv2d_param_count,
    dropout_backward,
    dropout_forward,
    fc_backward,
    fc_forward,
    fc_param_count,
    layernorm_backward,
    layernorm_forward,
    maxpool2d_backward,
    maxpool2d_forward,
    relu_backward,
    relu_forward,
    rmsnorm_backward,
    rmsnorm_forward,
    softmax_loss,
)

LAYER_TOL = 1e-7


def rng(seed=0):
    return np.random.default_rng(seed)


# ---------------------------------------------------------------------------
# Gradient checks (float64)
# ---------------------------------------------------------------------------


def test_fc_backward_matches_numerical_gradients():
    r = rng(0)
    x, w, b = r.standard_normal((4, 5)), r.standard_normal((5, 3)), r.standard_normal(3)
    dout = r.standard_normal((4, 3))
    _, cache = fc_forward(x, w, b)
    dx, dw, db = fc_backward(dout, cache)
    assert (
        rel_error(dx, numerical_gradient_array(lambda v: fc_forward(v, w, b)[0], x, dout))
        < LAYER_TOL
    )
    assert (
        rel_error(dw, numerical_gradient_array(lambda v: fc_forward(x, v, b)[0], w, dout))
        < LAYER_TOL
    )
    assert (
        rel_error(db, numerical_gradient_array(lambda v: fc_forward(x, w, v)[0], b, dout))
        < LAYER_TOL
    )


def test_fc_forward_value_and_backward_shapes():
    r = rng(1)
    x, w, b = r.standard_normal((3, 4)), r.standard_normal((4, 2)), r.standard_normal(2)
    out, cache = fc_forward(x, w, b)
    expected = np.array(
        [[sum(x[i, k] * w[k, j] for k in range(4)) + b[j] for j in range(2)] for i in range(3)]
    )
    assert np.allclose(out, expected)
    dx, dw, db = fc_backward(r.standard_normal((3, 2)), cache)
    assert (dx.shape, dw.shape, db.shape) == (x.shape, w.shape, b.shape)


def test_relu_backward_matches_numerical_gradient():
    r = rng(2)
    x = r.standard_normal((5, 6))
    x[np.abs(x) < 1e-3] = 0.5  # keep clear of the kink at 0, where f is not differentiable
    dout = r.standard_normal((5, 6))
    out, cache = relu_forward(x)
    assert np.array_equal(out, np.where(x > 0, x, 0.0))
    dx = relu_backward(dout, cache)
    assert (
        rel_error(dx, numerical_gradient_array(lambda v: relu_forward(v)[0], x, dout)) < LAYER_TOL
    )


def test_softmax_loss_gradient_matches_numerical_gradient():
    r = rng(3)
    # Moderate logits: an entry of dscores near 1e-7 would sit at the noise floor of a
    # centred difference (~1e-16 / h), which no exact gradient can match to 1e-7.
    scores = r.standard_normal((6, 4))
    y = r.integers(0, 4, 6)
    loss, dscores = softmax_loss(scores, y)
    num = numerical_gradient(lambda s: softmax_loss(s, y)[0], scores)
    assert rel_error(dscores, num) < LAYER_TOL


def test_softmax_loss_matches_logsumexp_oracle():
    r = rng(4)
    scores = r.standard_normal((7, 5)) * 4
    y = r.integers(0, 5, 7)
    loss, dscores = softmax_loss(scores, y)
    expected = np.mean(logsumexp(scores, axis=1) - scores[np.arange(7), y])
    assert loss == pytest.approx(expected, rel=1e-12)
    onehot = np.eye(5)[y]
    assert np.allclose(
        dscores, (scipy_softmax(scores, axis=1) - onehot) / 7, rtol=1e-12, atol=1e-15
    )


def test_dropout_backward_matches_numerical_gradient_train_and_test():
    r = rng(5)
    x, dout = r.standard_normal((4, 5)), r.standard_normal((4, 5))
    for train in (True, False):
        # A fresh generator with the same seed in every call, so every probe uses one mask.
        def f(v, train=train):
            return dropout_forward(v, 0.3, train, np.random.default_rng(11))[0]

        _, cache = dropout_forward(x, 0.3, train, np.random.default_rng(11))
        dx = dropout_backward(dout, cache)
        assert rel_error(dx, numerical_gradient_array(f, x, dout)) < LAYER_TOL


def _bn_check(mode):
    r = rng(6)
    n, d = 6, 4
    x = r.standard_normal((n, d)) * 2 + 1
    gamma, beta = r.standard_normal(d), r.standard_normal(d)
    dout = r.standard_normal((n, d))
    base = {"mode": mode, "running_mean": r.standard_normal(d), "running_var": r.random(d) + 0.5}

    def fwd(xv, gv, bv):
        return batchnorm_forward(xv, gv, bv, copy.deepcopy(base))[0]

    _, cache = batchnorm_forward(x, gamma, beta, copy.deepcopy(base))
    dx, dgamma, dbeta = batchnorm_backward(dout, cache)
    return (
        rel_error(dx, numerical_gradient_array(lambda v: fwd(v, gamma, beta), x, dout)),
        rel_error(dgamma, numerical_gradient_array(lambda v: fwd(x, v, beta), gamma, dout)),
        rel_error(dbeta, numerical_gradient_array(lambda v: fwd(x, gamma, v), beta, dout)),
    )


@pytest.mark.parametrize("mode", ["train", "test"])
def test_batchnorm_backward_matches_numerical_gradients(mode):
    errors = _bn_check(mode)
    assert max(errors) < LAYER_TOL, errors


# ---------------------------------------------------------------------------
# Backward functions never mutate their inputs
# ---------------------------------------------------------------------------


def _forward_cases():
    r = rng(7)
    x = r.standard_normal((5, 3))
    yield (
        "fc",
        fc_forward(x, r.standard_normal((3, 4)), r.standard_normal(4))[1],
        fc_backward,
        (5, 4),
    )
    yield "relu", relu_forward(x)[1], relu_backward, (5, 3)
    yield "dropout", dropout_forward(x, 0.5, True, r)[1], dropout_backward, (5, 3)
    yield "dropout-test", dropout_forward(x, 0.5, False, r)[1], dropout_backward, (5, 3)
    for mode in ("train", "test"):
        bn = {"mode": mode}
        cache = batchnorm_forward(x, r.random(3) + 0.5, r.standard_normal(3), bn)[1]
        yield f"batchnorm-{mode}", cache, batchnorm_backward, (5, 3)
    yield (
        "layernorm",
        layernorm_forward(x, r.random(3) + 0.5, r.standard_normal(3))[1],
        (layernorm_backward),
        (5, 3),
    )
    yield "rmsnorm", rmsnorm_forward(x, r.random(3) + 0.5)[1], rmsnorm_backward, (5, 3)


@pytest.mark.parametrize(
    "name, cache, backward, shape",
    list(_forward_cases()),
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_backward_does_not_mutate_inputs(name, cache, backward, shape):
    dout = rng(8).standard_normal(shape)
    dout_before = dout.copy()
    cache_before = copy.deepcopy(cache)
    grads = backward(dout, cache)
    grads = grads if isinstance(grads, tuple) else (grads,)
    assert np.array_equal(dout, dout_before)
    for now, before in zip(cache, cache_before, strict=False):
        if isinstance(now, np.ndarray):
            assert np.array_equal(now, before)
    # Nor may a returned gradient alias dout: writing to it later would corrupt dout.
    for g in grads:
        assert not np.shares_memory(g, dout)


def test_softmax_loss_does_not_mutate_scores():
    scores = rng(9).standard_normal((3, 4))
    before = scores.copy()
    softmax_loss(scores, np.array([0, 1, 3]))
    assert np.array_equal(scores, before)


# ---------------------------------------------------------------------------
# softmax_loss: stability, dtype, invariants
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("label", [0, 1, 2])
def test_softmax_loss_is_finite_and_correct_for_huge_logits(dtype, label):
    scores = np.array([[1000.0, 0.0, -1000.0]], dtype=dtype)
    loss, dscores = softmax_loss(scores, np.array([label]))
    oracle = logsumexp(scores.astype(np.float64), axis=1)[0] - float(scores[0, label])
    assert np.isfinite(loss) and np.all(np.isfinite(dscores))
    assert loss.dtype == dtype and dscores.dtype == dtype
    assert float(loss) == pytest.approx(oracle, rel=1e-6, abs=1e-6)  # 0, 1000 or 2000
    expected = np.array([1.0, 0.0, 0.0]) - np.eye(3)[label]
    assert np.allclose(dscores[0], expected, atol=1e-6)


def test_softmax_loss_float32_matches_float64_oracle_on_wide_logits():
    r = rng(10)
    scores = (r.standard_normal((50, 10)) * 300).astype(np.float32)
    y = r.integers(0, 10, 50)
    loss, dscores = softmax_loss(scores, y)
    s64 = scores.astype(np.float64)
    oracle = np.mean(logsumexp(s64, axis=1) - s64[np.arange(50), y])
    assert loss.dtype == np.float32 and dscores.dtype == np.float32
    assert float(loss) == pytest.approx(oracle, rel=1e-5)
    assert np.allclose(dscores, (scipy_softmax(s64, axis=1) - np.eye(10)[y]) / 50, atol=1e-6)


score_arrays = st.integers(1, 8).flatmap(
    lambda n: st.integers(2, 6).flatmap(
        lambda c: st.tuples(
            arrays(np.float64, (n, c), elements=st.floats(-50, 50)),
            arrays(np.int64, (n,), elements=st.integers(0, c - 1)),
        )
    )
)


@settings(max_examples=60, deadline=None)
@given(score_arrays)
def test_softmax_probabilities_rows_sum_to_one(data):
    scores, y = data
    n, c = scores.shape
    _, dscores = softmax_loss(scores, y)
    probs = dscores * n + np.eye(c)[y]  # undo the /N and the -onehot
    assert np.all(probs >= -1e-12)
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(score_arrays, st.floats(-1e3, 1e3))
def test_softmax_loss_is_invariant_to_shifting_each_row(data, shift):
    scores, y = data
    shifts = shift * np.linspace(-1.0, 1.0, scores.shape[0])[:, None]  # a constant per row
    loss, dscores = softmax_loss(scores, y)
    loss_shifted, dscores_shifted = softmax_loss(scores + shifts, y)
    # Adding c to every logit of a row changes rounding only: tolerances scale with |c|.
    tol = 1e-12 * (1 + abs(shift) + np.abs(scores).max())
    assert abs(loss - loss_shifted) <= 10 * tol
    assert np.allclose(dscores, dscores_shifted, rtol=0, atol=10 * tol)


# ---------------------------------------------------------------------------
# Dropout
# ---------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(p=st.floats(0.0, 0.9), seed=st.integers(0, 2**32 - 1))
@example(p=1e-6, seed=0)  # one unit of 160,000 dropped: beyond a Gaussian 6 sigma, not wrong
def test_dropout_keeps_the_expected_value(p, seed):
    r = np.random.default_rng(seed)
    x = r.standard_normal(8) * 3
    k = 20_000
    out, cache = dropout_forward(np.broadcast_to(x, (k, 8)), p, True, r)
    # Each column keeps k - D of its k entries, D ~ Binomial(k, p), each scaled by 1/(1-p):
    # its mean is x (pk - D) / (k (1 - p)) away from x. |D - pk| stays within 6 standard
    # deviations plus 6 (the plus for a small pk, where D is near Poisson: P(D >= 7) for
    # pk = 0.02 is below 1e-15; the Gaussian bound alone failed on one dropped unit).
    spread = 6 * np.sqrt(k * p * (1 - p)) + 6
    assert np.all(
        np.abs(out.mean(axis=0) - x) <= np.abs(x) * spread / (k * (1 - p)) + 1e-9 * np.abs(x)
    )  # + summation rounding
    kept = cache.mask != 0
    assert np.allclose(out[kept], np.broadcast_to(x, (k, 8))[kept] / (1 - p))
    n = kept.size
    assert abs((~kept).sum() - p * n) <= 6 * np.sqrt(n * p * (1 - p)) + 6


def test_dropout_inference_is_identity_and_p_zero_keeps_everything():
    x = rng(12).standard_normal((4, 3))
    out, _ = dropout_forward(x, 0.7, False, rng(0))
    assert np.array_equal(out, x)
    out, _ = dropout_forward(x, 0.0, True, rng(0))
    assert np.array_equal(out, x)


def test_dropout_is_reproducible_from_the_generator():
    x = rng(13).standard_normal((10, 10))
    a, _ = dropout_forward(x, 0.5, True, np.random.default_rng(3))
    b, _ = dropout_forward(x, 0.5, True, np.random.default_rng(3))
    c, _ = dropout_forward(x, 0.5, True, np.random.default_rng(4))
    assert np.array_equal(a, b) and not np.array_equal(a, c)


# ---------------------------------------------------------------------------
# Batch normalisation
# ---------------------------------------------------------------------------


bn_inputs = st.integers(2, 40).flatmap(
    lambda n: st.integers(1, 5).flatmap(
        lambda d: arrays(np.float64, (n, d), elements=st.floats(-100, 100))
    )
)


@settings(max_examples=60, deadline=None)
@given(bn_inputs)
def test_batchnorm_train_output_has_zero_mean_unit_variance(x):
    assume(x.var(axis=0).min() > 1e-2)  # a constant feature cannot be scaled to variance 1
    d = x.shape[1]
    out, _ = batchnorm_forward(x, np.ones(d), np.zeros(d), {"mode": "train"})
    assert np.allclose(out.mean(axis=0), 0.0, atol=1e-9)
    # var(out) = var / (var + eps) with eps = 1e-5, so within 1e-3 of 1 for var > 1e-2.
    assert np.allclose(out.var(axis=0), 1.0, atol=1e-3)


def test_batchnorm_gamma_beta_set_the_output_statistics():
    x = rng(14).standard_normal((500, 3)) * [1.0, 5.0, 0.1] + [3.0, -2.0, 7.0]
    gamma, beta = np.array([2.0, 0.5, 1.5]), np.array([-1.0, 0.0, 4.0])
    out, _ = batchnorm_forward(x, gamma, beta, {"mode": "train", "eps": 1e-12})
    assert np.allclose(out.mean(axis=0), beta)
    assert np.allclose(out.std(axis=0), gamma)


def test_batchnorm_running_averages_and_test_mode():
    r = rng(15)
    x = r.standard_normal((32, 4)) * 3 + 5
    gamma, beta = r.random(4) + 0.5, r.standard_normal(4)
    bn = {"mode": "train", "momentum": 0.8}
    batchnorm_forward(x, gamma, beta, bn)
    # Created on first use as zeros / ones, then one update with momentum 0.8; the running
    # variance averages the unbiased batch variance, as torch.nn.BatchNorm1d does.
    assert np.allclose(bn["running_mean"], 0.2 * x.mean(axis=0))
    assert np.allclose(bn["running_var"], 0.8 + 0.2 * x.var(axis=0, ddof=1))
    for _ in range(200):  # the same batch again and again: the averages converge to it
        batchnorm_forward(x, gamma, beta, bn)
    assert np.allclose(bn["running_mean"], x.mean(axis=0))
    assert np.allclose(bn["running_var"], x.var(axis=0, ddof=1))

    bn["mode"] = "test"
    mean, var = bn["running_mean"].copy(), bn["running_var"].copy()
    x_new = r.standard_normal((3, 4))
    out, _ = batchnorm_forward(x_new, gamma, beta, bn)
    assert np.allclose(out, gamma * (x_new - mean) / np.sqrt(var + 1e-5) + beta)
    assert np.array_equal(bn["running_mean"], mean) and np.array_equal(bn["running_var"], var)
    # Test mode treats rows independently: one row alone gives the same answer.
    alone, _ = batchnorm_forward(x_new[:1], gamma, beta, bn)
    assert np.allclose(alone, out[:1])


def test_batchnorm_train_does_not_modify_callers_running_arrays():
    running_mean = np.zeros(2)
    bn = {"mode": "train", "running_mean": running_mean}
    batchnorm_forward(rng(16).standard_normal((5, 2)) + 3, np.ones(2), np.zeros(2), bn)
    assert np.array_equal(running_mean, np.zeros(2))
    assert not np.array_equal(bn["running_mean"], np.zeros(2))


# ---------------------------------------------------------------------------
# float32 stays float32
# ---------------------------------------------------------------------------


def test_every_layer_keeps_float32():
    f32 = np.float32
    r = rng(17)
    x = r.standard_normal((6, 4)).astype(f32)
    w, b = r.standard_normal((4, 3)).astype(f32), np.zeros(3, f32)
    out, cache = fc_forward(x, w, b)
    assert out.dtype == f32
    assert all(g.dtype == f32 for g in fc_backward(np.ones_like(out), cache))
    out, cache = relu_forward(x)
    assert out.dtype == f32 and relu_backward(np.ones_like(out), cache).dtype == f32
    out, cache = dropout_forward(x, 0.25, True, r)
    assert out.dtype == f32 and dropout_backward(np.ones_like(out), cache).dtype == f32
    for mode in ("train", "test"):
        bn = {"mode": mode, "eps": np.float64(1e-5), "momentum": np.float64(0.9)}
        out, cache = batchnorm_forward(x, np.ones(4, f32), np.zeros(4, f32), bn)
        assert out.dtype == f32
        assert bn["running_mean"].dtype == f32 and bn["running_var"].dtype == f32
        assert all(g.dtype == f32 for g in batchnorm_backward(np.ones_like(out), cache))


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------


def _fc_args(**over):
    args = {"x": np.zeros((2, 3)), "w": np.zeros((3, 4)), "b": np.zeros(4)}
    args.update(over)
    return args


@pytest.mark.parametrize(
    "over, message",
    [
        ({"x": np.zeros(3)}, "x must be 2-D"),
        ({"w": np.zeros((2, 4))}, r"w must have shape \(D, M\) with D = x.shape\[1\] = 3"),
        ({"b": np.zeros(3)}, r"b must have shape \(4\)"),
        ({"x": np.full((2, 3), np.nan)}, "x must be finite"),
        ({"w": np.full((3, 4), np.inf)}, "w must be finite"),
        ({"x": np.zeros((0, 3))}, "x must not be empty"),
        ({"x": [["a", "b", "c"]]}, "x must hold real numbers"),
    ],
)
def test_fc_forward_rejects_bad_input(over, message):
    with pytest.raises((ValueError, TypeError), match=message):
        fc_forward(**_fc_args(**over))


def test_backward_rejects_bad_dout_and_cache():
    x = np.ones((2, 3))
    _, fc_cache = fc_forward(x, np.ones((3, 4)), np.zeros(4))
    with pytest.raises(ValueError, match=r"dout must have shape \(2, 4\), got \(2, 3\)"):
        fc_backward(np.ones((2, 3)), fc_cache)
    with pytest.raises(ValueError, match="dout must be finite"):
        fc_backward(np.full((2, 4), np.nan), fc_cache)
    _, relu_cache = relu_forward(x)
    with pytest.raises(TypeError, match="cache must be the cache returned by fc_forward"):
        fc_backward(np.ones((2, 3)), relu_cache)
    with pytest.raises(ValueError, match=r"dout must have shape \(2, 3\)"):
        relu_backward(np.ones((3, 2)), relu_cache)
    _, drop_cache = dropout_forward(x, 0.5, False, rng())
    with pytest.raises(ValueError, match=r"dout must have shape \(2, 3\)"):
        dropout_backward(np.ones(6), drop_cache)
    _, bn_cache = batchnorm_forward(x, np.ones(3), np.zeros(3), {"mode": "train"})
    assert isinstance(bn_cache, BatchnormCache) and isinstance(fc_cache, FcCache)
    with pytest.raises(ValueError, match=r"dout must have shape \(2, 3\)"):
        batchnorm_backward(np.ones((2, 4)), bn_cache)
    with pytest.raises(TypeError, match="cache must be the cache returned by batchnorm_forward"):
        batchnorm_backward(np.ones((2, 3)), (1, 2, 3, 4))


@pytest.mark.parametrize(
    "scores, y, error, message",
    [
        (np.zeros((2, 3)), [0, 3], ValueError, r"y must hold labels in \[0, 3\)"),
        (np.zeros((2, 3)), [-1, 0], ValueError, r"y must hold labels in \[0, 3\)"),
        (np.zeros((2, 3)), [0.5, 1.0], ValueError, "y must hold integer class labels"),
        (np.zeros((2, 3)), [True, False], TypeError, "y must hold integer class labels"),
        (np.zeros((2, 3)), [0, 1, 2], ValueError, "scores and y must have the same length"),
        (np.zeros((2, 3)), [[0, 1]], ValueError, "y must be 1-D"),
        (np.zeros(3), [0], ValueError, "scores must be 2-D"),
        (np.array([[0.0, np.inf]]), [0], ValueError, "scores must be finite"),
        (np.zeros((0, 3)), [], ValueError, "scores must not be empty"),
    ],
)
def test_softmax_loss_rejects_bad_input(scores, y, error, message):
    with pytest.raises(error, match=message):
        softmax_loss(scores, y)


@pytest.mark.parametrize(
    "x, p, train, generator, error, message",
    [
        (
            np.ones(3),
            1.0,
            True,
            rng(),
            ValueError,
            r"p \(the drop probability\) must be in \[0, 1\)",
        ),
        (np.ones(3), -0.1, True, rng(), ValueError, r"p \(the drop probability\) must be"),
        (np.ones(3), "0.5", True, rng(), TypeError, "p .* must be a real number"),
        (np.ones(3), 0.5, "yes", rng(), TypeError, "train must be True or False"),
        (
            np.ones(3),
            0.5,
            True,
            np.random.RandomState(0),
            TypeError,
            "rng must be a numpy.random.Generator",
        ),
        (np.array([1.0, np.nan]), 0.5, True, rng(), ValueError, "x must be finite"),
        (np.zeros(0), 0.5, True, rng(), ValueError, "x must not be empty"),
    ],
)
def test_dropout_rejects_bad_input(x, p, train, generator, error, message):
    with pytest.raises(error, match=message):
        dropout_forward(x, p, train, generator)


@pytest.mark.parametrize(
    "x, gamma, bn_param, error, message",
    [
        (
            np.ones((4, 2)),
            np.ones(2),
            {"mode": "eval"},
            ValueError,
            r"bn_param\['mode'\] must be 'train' or 'test'",
        ),
        (np.ones((4, 2)), np.ones(2), {}, ValueError, r"bn_param\['mode'\] must be"),
        (np.ones((4, 2)), np.ones(2), "train", TypeError, "bn_param must be a dict"),
        (
            np.ones((4, 2)),
            np.ones(3),
            {"mode": "train"},
            ValueError,
            r"gamma must have shape \(2\)",
        ),
        (np.ones(4), np.ones(4), {"mode": "train"}, ValueError, "x must be 2-D"),
        (
            np.ones((1, 2)),
            np.ones(2),
            {"mode": "train"},
            ValueError,
            "at least 2 rows in train mode",
        ),
        (
            np.ones((4, 2)),
            np.ones(2),
            {"mode": "train", "eps": 0},
            ValueError,
            r"bn_param\['eps'\] must be",
        ),
        (
            np.ones((4, 2)),
            np.ones(2),
            {"mode": "train", "momentum": 1.5},
            ValueError,
            r"bn_param\['momentum'\] must be in",
        ),
        (
            np.ones((4, 2)),
            np.ones(2),
            {"mode": "test", "running_mean": np.zeros(3)},
            ValueError,
            r"bn_param\['running_mean'\] must have shape \(2\)",
        ),
        (
            np.ones((4, 2)),
            np.ones(2),
            {"mode": "test", "running_var": [1.0, 1.0]},
            TypeError,
            r"bn_param\['running_var'\] must be an ndarray",
        ),
        (
            np.ones((4, 2)),
            np.ones(2),
            {"mode": "test", "running_var": np.array([1.0, -1.0])},
            ValueError,
            r"bn_param\['running_var'\] must be >= 0",
        ),
        (np.full((4, 2), np.inf), np.ones(2), {"mode": "train"}, ValueError, "x must be finite"),
    ],
)
def test_batchnorm_rejects_bad_input(x, gamma, bn_param, error, message):
    with pytest.raises(error, match=message):
        batchnorm_forward(x, gamma, np.zeros_like(gamma), bn_param)


def test_relu_forward_rejects_bad_input():
    with pytest.raises(ValueError, match="x must be finite"):
        relu_forward(np.array([np.nan]))
    with pytest.raises(ValueError, match="x must not be empty"):
        relu_forward(np.zeros((0, 2)))


# ---------------------------------------------------------------------------
# Agreement with PyTorch (stored references, float64): batch norm, conv2d, max pooling
# ---------------------------------------------------------------------------

DATA = ROOT / "tests" / "data"
TORCH_TOL = 1e-12


def _load_layers_reference_script():
    """The generator script holds the recipe and the inputs; importing it does not import torch."""
    return load_module("make_layers_torch_reference", DATA / "make_layers_torch_reference.py")


LREF = _load_layers_reference_script()


@pytest.fixture(scope="module")
def torch_layers():
    with np.load(DATA / "layers_torch_reference.npz") as data:
        return {key: data[key] for key in data.files}


def _close(ours, theirs, what):
    assert ours.shape == theirs.shape, what
    err = np.max(np.abs(ours - theirs) / np.maximum(1.0, np.abs(theirs)))
    assert err < TORCH_TOL, f"{what}: max error {err:.2e}"


def test_layers_reference_file_matches_recipe(torch_layers):
    assert json.loads(str(torch_layers["recipe"])) == json.loads(LREF.recipe_json()), (
        "tests/data/layers_torch_reference.npz is stale: "
        "re-run python tests/data/make_layers_torch_reference.py"
    )


def test_batchnorm_matches_torch_batchnorm1d_in_train_and_eval_mode(torch_layers):
    cfg, inp = LREF.RECIPE["batchnorm"], LREF.batchnorm_inputs()
    bn = {"mode": "train", "momentum": cfg["momentum"], "eps": cfg["eps"]}
    for step in range(cfg["train_steps"]):
        out, cache = batchnorm_forward(inp["x_train"][step], inp["gamma"], inp["beta"], bn)
        grads = batchnorm_backward(inp["dout_train"][step], cache)
        ref = {
            k.split("/")[2]: v
            for k, v in torch_layers.items()
            if k.startswith(f"batchnorm/train{step}/")
        }
        _close(out, ref["out"], f"train step {step}: out")
        for name, g in zip(("dx", "dgamma", "dbeta"), grads, strict=False):
            _close(g, ref[name], f"train step {step}: {name}")
        _close(bn["running_mean"], ref["running_mean"], f"train step {step}: running_mean")
        _close(bn["running_var"], ref["running_var"], f"train step {step}: running_var")
    bn["mode"] = "test"
    out, cache = batchnorm_forward(inp["x_eval"], inp["gamma"], inp["beta"], bn)
    _close(out, torch_layers["batchnorm/eval/out"], "eval: out")
    grads = batchnorm_backward(inp["dout_eval"], cache)
    for name, g in zip(("dx", "dgamma", "dbeta"), grads, strict=True):
        _close(g, torch_layers[f"batchnorm/eval/{name}"], f"eval: {name}")


def test_layernorm_and_rmsnorm_match_torch_layernorm_and_rmsnorm(torch_layers):
    cfg, inp = LREF.RECIPE["rownorm"], LREF.rownorm_inputs()
    out, cache = layernorm_forward(inp["x"], inp["gamma"], inp["beta"], cfg["layernorm_eps"])
    _close(out, torch_layers["layernorm/out"], "layernorm: out")
    grads = layernorm_backward(inp["dout"], cache)
    for name, g in zip(("dx", "dgamma", "dbeta"), grads, strict=True):
        _close(g, torch_layers[f"layernorm/{name}"], f"layernorm: {name}")
    out, cache = rmsnorm_forward(inp["x"], inp["gamma"], cfg["rmsnorm_eps"])
    _close(out, torch_layers["rmsnorm/out"], "rmsnorm: out")
    for name, g in zip(("dx", "dgamma"), rmsnorm_backward(inp["dout"], cache), strict=True):
        _close(g, torch_layers[f"rmsnorm/{name}"], f"rmsnorm: {name}")


@pytest.mark.parametrize("name", sorted(LREF.RECIPE["conv2d"]))
def test_conv2d_matches_torch_conv2d_and_its_gradients(name, torch_layers):
    stride, pad = LREF.RECIPE["conv2d"][name][7:]
    inp = LREF.conv2d_inputs(name)
    out, cache = conv2d_forward(inp["x"], inp["w"], inp["b"], stride=stride, pad=pad)
    _close(out, torch_layers[f"conv2d/{name}/out"], f"{name}: out")
    for key, g in zip(("dx", "dw", "db"), conv2d_backward(inp["dout"], cache), strict=False):
        _close(g, torch_layers[f"conv2d/{name}/{key}"], f"{name}: {key}")


@pytest.mark.parametrize("name", sorted(LREF.RECIPE["maxpool2d"]))
def test_maxpool2d_matches_torch_max_pool2d_and_its_gradient(name, torch_layers):
    size, stride = LREF.RECIPE["maxpool2d"][name][4:]
    inp = LREF.maxpool2d_inputs(name)
    out, cache = maxpool2d_forward(inp["x"], size=size, stride=stride)
    _close(out, torch_layers[f"maxpool2d/{name}/out"], f"{name}: out")
    _close(
        maxpool2d_backward(inp["dout"], cache), torch_layers[f"maxpool2d/{name}/dx"], f"{name}: dx"
    )


# ---------------------------------------------------------------------------
# Convolution and pooling: gradient checks, properties, bad input
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("stride, pad", [(1, 0), (1, 1), (2, 1), (3, 2)])
def test_conv2d_backward_matches_numerical_gradients(stride, pad):
    r = rng(30 + stride + pad)
    x, w, b = r.standard_normal((2, 3, 6, 5)), r.standard_normal((2, 3, 3, 2)), r.standard_normal(2)
    out, cache = conv2d_forward(x, w, b, stride, pad)
    dout = r.standard_normal(out.shape)
    dx, dw, db = conv2d_backward(dout, cache)
    num = numerical_gradient_array
    assert (
        rel_error(dx, num(lambda v: conv2d_forward(v, w, b, stride, pad)[0], x, dout)) < LAYER_TOL
    )
    assert (
        rel_error(dw, num(lambda v: conv2d_forward(x, v, b, stride, pad)[0], w, dout)) < LAYER_TOL
    )
    assert (
        rel_error(db, num(lambda v: conv2d_forward(x, w, v, stride, pad)[0], b, dout)) < LAYER_TOL
    )


@pytest.mark.parametrize("size, stride", [(2, 2), (3, 2), (2, 1)])
def test_maxpool2d_backward_matches_numerical_gradient(size, stride):
    r = rng(40 + size + stride)
    x = r.standard_normal((2, 2, 7, 6))
    out, cache = maxpool2d_forward(x, size, stride)
    dout = r.standard_normal(out.shape)
    dx = maxpool2d_backward(dout, cache)
    assert (
        rel_error(
            dx, numerical_gradient_array(lambda v: maxpool2d_forward(v, size, stride)[0], x, dout)
        )
        < LAYER_TOL
    )


def test_conv2d_is_a_dot_product_of_each_patch_with_each_filter():
    r = rng(50)
    x, w, b = r.standard_normal((1, 2, 4, 4)), r.standard_normal((3, 2, 2, 2)), r.standard_normal(3)
    out, _ = conv2d_forward(x, w, b, stride=2, pad=1)
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    for f in range(3):
        for i in range(out.shape[2]):
            for j in range(out.shape[3]):
                patch = xp[0, :, 2 * i : 2 * i + 2, 2 * j : 2 * j + 2]
                assert np.isclose(out[0, f, i, j], np.sum(patch * w[f]) + b[f])


def test_conv2d_is_translation_equivariant():
    r = rng(51)
    x, w, b = np.zeros((1, 1, 9, 9)), r.standard_normal((1, 1, 3, 3)), np.zeros(1)
    x[0, 0, 2:5, 2:5] = r.standard_normal((3, 3))
    shifted = np.roll(x, (2, 1), axis=(2, 3))
    out, _ = conv2d_forward(x, w, b)
    out_shifted, _ = conv2d_forward(shifted, w, b)
    assert np.allclose(np.roll(out, (2, 1), axis=(2, 3)), out_shifted)


def test_maxpool2d_ties_send_the_gradient_to_one_input():
    x = np.ones((1, 1, 2, 2))
    _, cache = maxpool2d_forward(x, 2, 2)
    dx = maxpool2d_backward(np.array([[[[3.0]]]]), cache)
    assert dx.sum() == 3.0 and np.count_nonzero(dx) == 1 and dx[0, 0, 0, 0] == 3.0


def test_conv_and_pool_backward_do_not_mutate_inputs_and_keep_float32():
    r = rng(52)
    x = r.standard_normal((2, 2, 5, 5)).astype(np.float32)
    w, b = r.standard_normal((3, 2, 3, 3)).astype(np.float32), np.zeros(3, np.float32)
    for forward, backward, args in (
        (conv2d_forward, conv2d_backward, (x, w, b, 1, 1)),
        (maxpool2d_forward, maxpool2d_backward, (x, 2, 2)),
    ):
        out, cache = forward(*args)
        assert out.dtype == np.float32
        dout = r.standard_normal(out.shape).astype(np.float32)
        before = (dout.copy(), copy.deepcopy(cache))
        grads = backward(dout, cache)
        grads = grads if isinstance(grads, tuple) else (grads,)
        assert all(g.dtype == np.float32 for g in grads)
        assert np.array_equal(dout, before[0])
        for now, then in zip(cache, before[1], strict=False):
            assert np.array_equal(now, then)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (
            lambda: conv2d_forward(np.ones((1, 2, 4, 4)), np.ones((1, 3, 3, 3)), np.ones(1)),
            ValueError,
            r"w must have shape \(F, C, KH, KW\) with C = x.shape\[1\] = 2",
        ),
        (
            lambda: conv2d_forward(np.ones((2, 4, 4)), np.ones((1, 2, 3, 3)), np.ones(1)),
            ValueError,
            "x must be 4-D",
        ),
        (
            lambda: conv2d_forward(np.ones((1, 1, 2, 2)), np.ones((1, 1, 3, 3)), np.ones(1)),
            ValueError,
            "do not fit",
        ),
        (
            lambda: conv2d_forward(np.ones((1, 1, 4, 4)), np.ones((1, 1, 3, 3)), np.ones(2)),
            ValueError,
            r"b must have shape \(1\)",
        ),
        (
            lambda: conv2d_forward(np.ones((1, 1, 4, 4)), np.ones((1, 1, 3, 3)), np.ones(1), 1.0),
            TypeError,
            "stride must be an integer",
        ),
        (
            lambda: conv2d_forward(np.ones((1, 1, 4, 4)), np.ones((1, 1, 3, 3)), np.ones(1), 0),
            ValueError,
            "stride must be >= 1",
        ),
        (
            lambda: conv2d_forward(np.ones((1, 1, 4, 4)), np.ones((1, 1, 3, 3)), np.ones(1), 1, -1),
            ValueError,
            "pad must be >= 0",
        ),
        (lambda: maxpool2d_forward(np.ones((1, 1, 2, 2)), 3), ValueError, "does not fit"),
        (
            lambda: maxpool2d_forward(np.ones((1, 1, 4, 4)), 2.0),
            TypeError,
            "size must be an integer",
        ),
        (
            lambda: maxpool2d_backward(
                np.ones((1, 1, 3, 3)), maxpool2d_forward(np.ones((1, 1, 4, 4)))[1]
            ),
            ValueError,
            r"dout must have spatial shape \(2, 2\)",
        ),
        (
            lambda: conv2d_backward(np.ones((1, 1, 2, 2)), (1, 2, 3, 4)),
            TypeError,
            "cache must be the cache returned by conv2d_forward",
        ),
    ],
)
def test_conv_and_pool_reject_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_caches_are_typed():
    _, conv_cache = conv2d_forward(np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2)), np.ones(1))
    _, pool_cache = maxpool2d_forward(np.ones((1, 1, 4, 4)))
    assert isinstance(conv_cache, Conv2dCache) and isinstance(pool_cache, Maxpool2dCache)


def test_parameter_counts():
    # A conv layer's count does not depend on the image size; an fc layer's does.
    assert conv2d_param_count(3, 64, 3) == 64 * 3 * 3 * 3 + 64
    assert fc_param_count(784, 100) == 78_500
    r = rng(53)
    w, b = r.standard_normal((5, 2, 3, 3)), r.standard_normal(5)
    assert conv2d_param_count(2, 5, 3) == w.size + b.size
    with pytest.raises(TypeError, match="in_features must be an integer"):
        fc_param_count(3.0, 2)
    with pytest.raises(ValueError, match="in_channels must be >= 1"):
        conv2d_param_count(0, 2, 3)


# ---------------------------------------------------------------------------
# Layer norm and RMS norm: gradient checks, properties, bad input
# ---------------------------------------------------------------------------


# Rows of 1 or 2 features normalise to constants (+-1), whose gradients are nearly 0: a
# relative error means nothing there, so the checks use 3 features or more.
@pytest.mark.parametrize("shape", [(4, 6), (1, 5), (3, 3)])
def test_layernorm_backward_matches_numerical_gradients(shape):
    r = rng(40 + shape[1])
    x = r.standard_normal(shape) * 3 + 1
    gamma, beta, dout = (
        r.standard_normal(shape[1]),
        r.standard_normal(shape[1]),
        r.standard_normal(shape),
    )
    dx, dgamma, dbeta = layernorm_backward(dout, layernorm_forward(x, gamma, beta)[1])
    num = numerical_gradient_array
    assert rel_error(dx, num(lambda v: layernorm_forward(v, gamma, beta)[0], x, dout)) < LAYER_TOL
    assert (
        rel_error(dgamma, num(lambda v: layernorm_forward(x, v, beta)[0], gamma, dout)) < LAYER_TOL
    )
    assert (
        rel_error(dbeta, num(lambda v: layernorm_forward(x, gamma, v)[0], beta, dout)) < LAYER_TOL
    )


@pytest.mark.parametrize("shape", [(4, 6), (1, 5), (3, 3)])
def test_rmsnorm_backward_matches_numerical_gradients(shape):
    r = rng(50 + shape[1])
    x = r.standard_normal(shape) * 3 + 1
    gamma, dout = r.standard_normal(shape[1]), r.standard_normal(shape)
    dx, dgamma = rmsnorm_backward(dout, rmsnorm_forward(x, gamma)[1])
    num = numerical_gradient_array
    assert rel_error(dx, num(lambda v: rmsnorm_forward(v, gamma)[0], x, dout)) < LAYER_TOL
    assert rel_error(dgamma, num(lambda v: rmsnorm_forward(x, v)[0], gamma, dout)) < LAYER_TOL


def test_layernorm_rows_have_zero_mean_and_unit_variance_and_ignore_the_batch():
    r = rng(60)
    x = r.standard_normal((6, 8)) * r.uniform(0.5, 4, (6, 1)) + r.standard_normal((6, 1)) * 5
    ones, zeros = np.ones(8), np.zeros(8)
    out, _ = layernorm_forward(x, ones, zeros, eps=1e-12)
    np.testing.assert_allclose(out.mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(out.var(axis=1), 1, rtol=1e-9)
    # each row is normalised by its own statistics: alone or in a batch, the same output
    for i in range(len(x)):
        alone, _ = layernorm_forward(x[i : i + 1], ones, zeros, eps=1e-12)
        assert np.array_equal(alone[0], out[i])
    # and so it does not change when a row is shifted or scaled
    moved, _ = layernorm_forward(3.0 * x + 7.0, ones, zeros, eps=1e-12)
    np.testing.assert_allclose(moved, out, atol=1e-9)


def test_rmsnorm_rows_have_unit_rms_and_keep_their_mean():
    r = rng(61)
    x = r.standard_normal((5, 8)) + 2.0
    ones = np.ones(8)
    out, _ = rmsnorm_forward(x, ones, eps=1e-12)
    np.testing.assert_allclose(np.sqrt((out**2).mean(axis=1)), 1, rtol=1e-9)
    np.testing.assert_allclose(rmsnorm_forward(4.0 * x, ones, eps=1e-12)[0], out, rtol=1e-9)
    # no mean is subtracted: a shifted row is a different row
    assert np.all(out.mean(axis=1) > 0.5)
    assert not np.allclose(rmsnorm_forward(x + 1.0, ones)[0], out, atol=1e-3)
    gamma = r.uniform(0.5, 2, 8)
    np.testing.assert_allclose(rmsnorm_forward(x, gamma, eps=1e-12)[0], gamma * out, rtol=1e-12)


@given(
    arrays(
        np.float64, st.tuples(st.integers(1, 5), st.integers(1, 6)), elements=st.floats(-1e3, 1e3)
    )
)
@settings(max_examples=60, deadline=None)
def test_row_norms_are_finite_and_keep_float_dtype(x):
    d = x.shape[1]
    for out in (
        layernorm_forward(x, np.ones(d), np.zeros(d))[0],
        rmsnorm_forward(x, np.ones(d))[0],
    ):
        assert out.shape == x.shape and out.dtype == np.float64 and np.isfinite(out).all()
    x32 = x.astype(np.float32)
    assert (
        layernorm_forward(x32, np.ones(d, np.float32), np.zeros(d, np.float32))[0].dtype
        == np.float32
    )
    assert rmsnorm_forward(x32, np.ones(d, np.float32))[0].dtype == np.float32


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: layernorm_forward(np.ones(4), np.ones(4), np.zeros(4)), "x must"),
        (lambda: layernorm_forward(np.ones((2, 4)), np.ones(3), np.zeros(4)), "gamma"),
        (lambda: layernorm_forward(np.ones((2, 4)), np.ones(4), np.zeros(5)), "beta"),
        (lambda: layernorm_forward(np.ones((2, 4)), np.ones(4), np.zeros(4), 0.0), "eps"),
        (lambda: layernorm_forward(np.ones((2, 0)), np.ones(0), np.zeros(0)), "empty"),
        (lambda: rmsnorm_forward(np.ones((2, 4)), np.ones(4), -1e-6), "eps"),
        (lambda: rmsnorm_forward(np.full((2, 4), np.nan), np.ones(4)), "x"),
        (lambda: layernorm_backward(np.ones((2, 4)), "cache"), "LayernormCache"),
        (
            lambda: rmsnorm_backward(
                np.ones((2, 3)), rmsnorm_forward(np.ones((2, 4)), np.ones(4))[1]
            ),
            "dout",
        ),
    ],
)
def test_row_norms_name_the_bad_argument(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()
