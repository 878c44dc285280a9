import numpy as np
import pytest

from snippets.gradient_check import numerical_gradient, rel_error
from snippets.optim import SGD, Adam
from snippets.two_layer_net import History, TwoLayerNet, train

NET_TOL = 1e-6
KEYS = ["W1", "b1", "W2", "b2"]


def small_problem(seed=0, n=5, d=4, c=3):
    r = np.random.default_rng(seed)
    return r.standard_normal((n, d)), r.integers(0, c, n)


# ---------------------------------------------------------------------------
# Initialisation
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_params_have_the_documented_shapes_and_dtype(dtype):
    net = TwoLayerNet(6, 5, 3, dtype=dtype)
    shapes = {"W1": (6, 5), "b1": (5,), "W2": (5, 3), "b2": (3,)}
    assert list(net.params) == KEYS
    for name, shape in shapes.items():
        assert net.params[name].shape == shape  # biases are vectors, not the scalar 0.0
        assert net.params[name].dtype == dtype
    assert not net.params["b1"].any() and not net.params["b2"].any()


def test_he_initialisation_and_weight_scale():
    net = TwoLayerNet(1000, 400, 200, seed=3)
    assert net.params["W1"].std() == pytest.approx(np.sqrt(2 / 1000), rel=0.02)
    assert net.params["W2"].std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    assert abs(net.params["W1"].mean()) < 0.01 * np.sqrt(2 / 1000)  # 6 standard errors
    net = TwoLayerNet(1000, 400, 200, weight_scale=1e-3, seed=3)
    for name in ("W1", "W2"):
        assert net.params[name].std() == pytest.approx(1e-3, rel=0.02)


def test_seed_makes_initialisation_reproducible():
    a, b, c = (
        TwoLayerNet(4, 3, 2, seed=7),
        TwoLayerNet(4, 3, 2, seed=7),
        TwoLayerNet(4, 3, 2, seed=8),
    )
    assert all(np.array_equal(a.params[k], b.params[k]) for k in KEYS)
    assert not np.array_equal(a.params["W1"], c.params["W1"])


# ---------------------------------------------------------------------------
# loss / predict
# ---------------------------------------------------------------------------


def test_scores_match_an_independent_forward_pass():
    X, _ = small_problem()
    net = TwoLayerNet(4, 6, 3, seed=1)
    net.params["b1"][:] = np.linspace(-0.5, 0.5, 6)
    net.params["b2"][:] = [0.1, -0.2, 0.3]
    p = net.params
    hidden = np.where(X @ p["W1"] + p["b1"] > 0, X @ p["W1"] + p["b1"], 0.0)
    assert np.allclose(net.loss(X), hidden @ p["W2"] + p["b2"])
    assert np.array_equal(net.predict(X), net.loss(X).argmax(axis=1))


@pytest.mark.parametrize("reg", [0.0, 0.7])
def test_loss_gradients_match_numerical_gradients(reg):
    X, y = small_problem(seed=2)
    net = TwoLayerNet(4, 7, 3, seed=4, reg=reg)
    for name in ("b1", "b2"):  # non-zero biases, so their gradients are exercised fully
        net.params[name][:] = np.random.default_rng(5).standard_normal(net.params[name].shape) * 0.1
    _, grads = net.loss(X, y)
    for name in KEYS:
        num = numerical_gradient(lambda _: net.loss(X, y)[0], net.params[name])
        assert rel_error(grads[name], num) < NET_TOL, name


def test_reg_adds_half_l2_penalty_of_the_weights():
    X, y = small_problem(seed=3)
    plain, regd = TwoLayerNet(4, 5, 3, seed=2), TwoLayerNet(4, 5, 3, seed=2, reg=0.3)
    p = plain.params
    penalty = 0.5 * 0.3 * (np.sum(p["W1"] ** 2) + np.sum(p["W2"] ** 2))
    assert regd.loss(X, y)[0] == pytest.approx(plain.loss(X, y)[0] + penalty, rel=1e-12)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_grads_have_exactly_the_params_keys_shapes_and_dtypes(dtype):
    X, y = small_problem()
    net = TwoLayerNet(4, 5, 3, dtype=dtype, reg=0.1)
    loss, grads = net.loss(X, y)
    assert list(grads) == list(net.params)
    for name, p in net.params.items():
        assert grads[name].shape == p.shape and grads[name].dtype == p.dtype
    assert np.asarray(loss).dtype == dtype


def test_float32_net_stays_float32_through_training():
    X, y = small_problem(n=40, d=6, c=4)  # float64 data: cast once to the net's dtype
    net = TwoLayerNet(6, 8, 4, dtype=np.float32, reg=1e-3)
    assert net.loss(X).dtype == np.float32
    loss, grads = net.loss(X, y)
    assert loss.dtype == np.float32 and all(g.dtype == np.float32 for g in grads.values())
    train(net, X, y, Adam(lr=1e-2), epochs=2, batch_size=16)
    assert all(p.dtype == np.float32 for p in net.params.values())


def test_loss_does_not_mutate_inputs_or_params():
    X, y = small_problem()
    net = TwoLayerNet(4, 5, 3, reg=0.5)
    before = {k: v.copy() for k, v in net.params.items()}
    X0, y0 = X.copy(), y.copy()
    net.loss(X, y)
    assert np.array_equal(X, X0) and np.array_equal(y, y0)
    assert all(np.array_equal(net.params[k], before[k]) for k in KEYS)


# ---------------------------------------------------------------------------
# train
# ---------------------------------------------------------------------------


def test_digits_test_accuracy_at_least_096(digits_split):
    X_tr, X_te, y_tr, y_te = digits_split
    net = TwoLayerNet(64, 100, 10, seed=0)
    history = train(
        net, X_tr, y_tr, Adam(lr=1e-3), epochs=15, batch_size=32, seed=0, X_val=X_te, y_val=y_te
    )
    test_acc = np.mean(net.predict(X_te) == y_te)
    assert test_acc >= 0.96
    assert history.val_acc[-1] == pytest.approx(test_acc)
    assert history.loss[-1] < 0.5 * history.loss[0]  # it learned, epoch over epoch
    assert history.train_acc[-1] >= 0.98


def test_history_has_one_entry_per_epoch_and_is_reproducible(digits_split):
    X_tr, _, y_tr, _ = digits_split
    X_tr, y_tr = X_tr[:300], y_tr[:300]
    runs = []
    for _ in range(2):
        net = TwoLayerNet(64, 20, 10, seed=1)
        runs.append(train(net, X_tr, y_tr, SGD(lr=0.1), epochs=3, batch_size=64, seed=5))
    a, b = runs
    assert isinstance(a, History)
    assert len(a.loss) == len(a.train_acc) == 3 and a.val_acc == []
    assert a == b
    other = train(
        TwoLayerNet(64, 20, 10, seed=1), X_tr, y_tr, SGD(lr=0.1), epochs=3, batch_size=64, seed=6
    )
    assert other.loss != a.loss  # the seed decides the batch order


def test_train_epoch_loss_is_the_sample_weighted_mean_of_batch_losses():
    # With a learning rate too small to matter, every batch sees the initial network, so
    # the epoch mean must equal the full-data loss even with an uneven last batch.
    X, y = small_problem(n=10, d=4, c=3)
    net = TwoLayerNet(4, 5, 3, seed=0)
    full_loss = float(net.loss(X, y)[0])
    history = train(net, X, y, SGD(lr=1e-300), epochs=1, batch_size=4)
    assert history.loss[0] == pytest.approx(full_loss, rel=1e-12)


def test_train_does_not_mutate_data():
    X, y = small_problem(n=12)
    X0, y0 = X.copy(), y.copy()
    train(TwoLayerNet(4, 3, 3), X, y, Adam(), epochs=2, batch_size=5)
    assert np.array_equal(X, X0) and np.array_equal(y, y0)


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, kwargs, error, message",
    [
        ((0, 3, 2), {}, ValueError, "input_dim must be >= 1, got 0"),
        ((4, -1, 2), {}, ValueError, "hidden_dim must be >= 1, got -1"),
        ((4, 3, 1), {}, ValueError, "num_classes must be >= 2, got 1"),
        ((4.0, 3, 2), {}, TypeError, "input_dim must be an integer, got float"),
        ((4, True, 2), {}, TypeError, "hidden_dim must be an integer, got bool"),
        ((4, 3, 2), {"weight_scale": 0.0}, ValueError, "weight_scale must be a finite number > 0"),
        ((4, 3, 2), {"dtype": np.int32}, TypeError, "dtype must be np.float32 or np.float64"),
        ((4, 3, 2), {"dtype": "not a dtype"}, TypeError, "dtype must be np.float32 or np.float64"),
        ((4, 3, 2), {"seed": -1}, ValueError, "seed must be >= 0"),
        ((4, 3, 2), {"reg": -0.1}, ValueError, "reg must be a finite number >= 0"),
    ],
)
def test_init_rejects_bad_arguments(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        TwoLayerNet(*args, **kwargs)


@pytest.mark.parametrize(
    "X, y, error, message",
    [
        (np.zeros((3, 5)), None, ValueError, r"X must have shape \(any, 4\), got \(3, 5\)"),
        (np.zeros(4), None, ValueError, r"X must have shape \(any, 4\)"),
        (np.zeros((0, 4)), None, ValueError, "X must not be empty"),
        (np.full((2, 4), np.nan), None, ValueError, "X must be finite"),
        (np.full((2, 4), -np.inf), None, ValueError, "X must be finite"),
        (np.zeros((3, 4)), [0, 1], ValueError, "X and y must have the same length, got 3 and 2"),
        (np.zeros((2, 4)), [0, 3], ValueError, r"y must hold labels in \[0, 3\)"),
        (np.zeros((2, 4)), [0, -1], ValueError, r"y must hold labels in \[0, 3\)"),
        (np.zeros((2, 4)), [0.0, 1.5], ValueError, "y must hold integer class labels"),
        (np.zeros((2, 4)), ["a", "b"], TypeError, "y must hold real numbers"),
    ],
)
def test_loss_rejects_bad_input(X, y, error, message):
    net = TwoLayerNet(4, 5, 3)
    with pytest.raises(error, match=message):
        net.loss(X, y)
    if y is None:
        with pytest.raises(error, match=message):
            net.predict(X)


def test_float64_input_beyond_float32_range_is_rejected_by_a_float32_net():
    net = TwoLayerNet(4, 5, 3, dtype=np.float32)
    X = np.ones((2, 4))
    X[1, 2] = 1e300  # finite in float64, inf once cast to float32
    with pytest.raises(ValueError, match=r"X must be finite \(as float32\)"):
        net.loss(X, [0, 1])


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"epochs": 0}, ValueError, "epochs must be >= 1"),
        ({"batch_size": 0}, ValueError, "batch_size must be >= 1"),
        ({"batch_size": 2.5}, TypeError, "batch_size must be an integer"),
        ({"optimizer": "adam"}, TypeError, "optimizer must have a step"),
        ({"model": object()}, TypeError, "model must be a TwoLayerNet"),
        ({"X_val": np.zeros((2, 4))}, ValueError, "X_val and y_val must be given together"),
        (
            {"X_val": np.zeros((2, 4)), "y_val": [0, 5]},
            ValueError,
            r"y_val must hold labels in \[0, 3\)",
        ),
        (
            {"X_val": np.zeros((2, 3)), "y_val": [0, 1]},
            ValueError,
            r"X_val must have shape \(any, 4\)",
        ),
        ({"y": [0, 1]}, ValueError, "X and y must have the same length"),
        ({"y": None}, TypeError, "y must be given"),
        ({"seed": -3}, ValueError, "seed must be >= 0"),
    ],
)
def test_train_rejects_bad_arguments(kwargs, error, message):
    X, y = small_problem(n=6)
    args = {
        "model": TwoLayerNet(4, 5, 3),
        "X": X,
        "y": y,
        "optimizer": SGD(lr=0.1),
        "epochs": 1,
        "batch_size": 2,
        **kwargs,
    }
    with pytest.raises(error, match=message):
        train(**args)


def test_train_given_an_optimiser_class_says_to_make_an_instance():
    X, y = small_problem(n=6)
    with pytest.raises(TypeError, match=r"instance such as SGD\(lr=0\.1\).*class SGD"):
        train(TwoLayerNet(4, 5, 3), X, y, SGD, epochs=1, batch_size=2)
