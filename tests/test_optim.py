"""Tests for snippets.optim: torch agreement, hand-derived updates, minimize, bad input."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from conftest import ROOT, load_module
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from snippets import optim
from snippets.optim import SGD, AdaGrad, Adam, Momentum, Optimizer, RMSProp, minimize

DATA = ROOT / "tests" / "data"


def _load_reference_script():
    """The generator script holds the recipe; importing it does not import torch."""
    return load_module("make_optim_torch_reference", DATA / "make_optim_torch_reference.py")


REF = _load_reference_script()
CONFIGS = REF.RECIPE["configs"]


def make_optimizer(kind: str, hyper: dict) -> Optimizer:
    return getattr(optim, kind)(**hyper)


def replay(opt: Optimizer) -> dict[str, np.ndarray]:
    """Feed the reference gradient sequence to ``opt``; return the final parameters."""
    params = REF.initial_params()
    for grads in REF.gradient_sequence():
        opt.step(params, grads)
    return params


@pytest.fixture(scope="module")
def reference():
    with np.load(DATA / "optim_torch_reference.npz") as data:
        return {key: data[key] for key in data.files}


# ---------------------------------------------------------------- torch agreement


def test_reference_file_matches_recipe(reference):
    stored = json.loads(str(reference["recipe"]))
    assert stored == json.loads(REF.recipe_json()), (
        "tests/data/optim_torch_reference.npz is stale: "
        "re-run python tests/data/make_optim_torch_reference.py"
    )
    expected_keys = {f"{c}/{n}" for c in CONFIGS for n in REF.RECIPE["params"]}
    assert expected_keys <= set(reference)


@pytest.mark.parametrize("config", sorted(CONFIGS))
def test_matches_torch_for_100_steps(config, reference):
    params = replay(make_optimizer(*CONFIGS[config]))
    start = REF.initial_params()
    for name, p in params.items():
        expected = reference[f"{config}/{name}"]
        assert p.dtype == np.float64 and p.shape == expected.shape
        rel = np.max(np.abs(p - expected) / np.abs(expected))
        assert rel <= 1e-12, f"{config}/{name}: max relative error {rel:.3g}"
        # The displacement too, so a parameter that barely moved is still checked.
        moved = expected - start[name]
        assert np.max(np.abs(moved)) > 0
        rel_move = np.max(np.abs((p - start[name]) - moved)) / np.max(np.abs(moved))
        assert rel_move <= 1e-12, f"{config}/{name}: displacement error {rel_move:.3g}"


@pytest.mark.parametrize("config", [c for c in sorted(CONFIGS) if CONFIGS[c][1].get("amsgrad")])
def test_amsgrad_reference_actually_uses_the_running_max(config, reference):
    kind, hyper = CONFIGS[config]
    plain = replay(make_optimizer(kind, {**hyper, "amsgrad": False}))
    assert not np.allclose(plain["w"], reference[f"{config}/w"], rtol=1e-6, atol=0)


def test_reference_params_stay_away_from_zero(reference):
    # Guards the relative-error measure above against dividing by ~0.
    for key in reference:
        if "/" in key:
            assert np.min(np.abs(reference[key])) > 0.05, key


# ---------------------------------------------------------------- hand-derived updates


def test_sgd_first_step_by_hand():
    p = np.array([1.0, -2.0, 0.5])
    SGD(lr=0.1).step({"p": p}, {"p": np.array([0.5, 4.0, 0.0])})
    np.testing.assert_allclose(p, [0.95, -2.4, 0.5], rtol=1e-15)


def test_momentum_two_steps_by_hand():
    p = np.array([1.0, 2.0])
    opt = Momentum(lr=0.1, momentum=0.9)
    opt.step({"p": p}, {"p": np.array([1.0, -2.0])})  # v = g = [1, -2]
    np.testing.assert_allclose(p, [0.9, 2.2], rtol=1e-15)
    opt.step({"p": p}, {"p": np.array([1.0, 1.0])})  # v = 0.9 * [1, -2] + [1, 1] = [1.9, -0.8]
    np.testing.assert_allclose(p, [0.9 - 0.19, 2.2 + 0.08], rtol=1e-15)
    np.testing.assert_allclose(opt.state["p"]["v"], [1.9, -0.8], rtol=1e-15)


def test_adagrad_two_steps_by_hand():
    p = np.array([1.0])
    opt = AdaGrad(lr=0.1, eps=0.0)
    opt.step({"p": p}, {"p": np.array([2.0])})  # sum_sq = 4: step = 0.1 * 2 / 2
    np.testing.assert_allclose(p, [0.9], rtol=1e-15)
    opt.step({"p": p}, {"p": np.array([1.0])})  # sum_sq = 5: step = 0.1 * 1 / sqrt(5)
    np.testing.assert_allclose(p, [0.9 - 0.1 / math.sqrt(5.0)], rtol=1e-15)


def test_rmsprop_two_steps_by_hand():
    p = np.array([1.0])
    opt = RMSProp(lr=0.01, alpha=0.9, eps=0.0)
    opt.step({"p": p}, {"p": np.array([2.0])})  # v = 0.1 * 4 = 0.4
    np.testing.assert_allclose(p, [1.0 - 0.01 * 2.0 / math.sqrt(0.4)], rtol=1e-15)
    opt.step({"p": p}, {"p": np.array([-1.0])})  # v = 0.9 * 0.4 + 0.1 * 1 = 0.46
    expected = 1.0 - 0.01 * 2.0 / math.sqrt(0.4) + 0.01 / math.sqrt(0.46)
    np.testing.assert_allclose(p, [expected], rtol=1e-15)


def test_adam_first_step_is_lr_times_sign_of_g():
    p = np.zeros(4)  # starting at 0, p holds the step itself, with no rounding of p + step
    g = np.array([1e-6, -3.0, 250.0, -0.01])
    Adam(lr=0.01, eps=0.0).step({"p": p}, {"p": g})
    # m_hat = g and v_hat = g**2 after bias correction, so the step is lr * g / |g|
    # (up to a few roundings in the bias corrections).
    np.testing.assert_allclose(-p, 0.01 * np.sign(g), rtol=1e-14)


def test_adam_first_step_with_default_eps_is_close_to_lr_sign():
    p = np.zeros(3)
    g = np.array([1.0, -1e-3, 1e-6])
    Adam(lr=0.1).step({"p": p}, {"p": g})
    # eps = 1e-8 only matters next to |g| = 1e-6 (about 1 %).
    np.testing.assert_allclose(-p, 0.1 * np.sign(g) * np.abs(g) / (np.abs(g) + 1e-8), rtol=1e-12)
    assert -p[2] < 0.1 * 0.995


def test_adam_constant_gradient_moves_lr_every_step():
    p = np.array([1.0, 1.0])
    opt = Adam(lr=0.05, betas=(0.8, 0.9), eps=0.0)
    for t in range(1, 6):
        opt.step({"p": p}, {"p": np.array([3.0, -0.5])})
        np.testing.assert_allclose(p, [1.0 - 0.05 * t, 1.0 + 0.05 * t], rtol=1e-13)


def test_adam_second_step_by_hand():
    beta1, beta2, lr = 0.9, 0.999, 0.1
    g1, g2 = 2.0, -1.0
    m = (1 - beta1) * g2 + beta1 * (1 - beta1) * g1
    v = (1 - beta2) * g2**2 + beta2 * (1 - beta2) * g1**2
    m_hat, v_hat = m / (1 - beta1**2), v / (1 - beta2**2)
    p = np.array([0.0])
    opt = Adam(lr=lr, betas=(beta1, beta2), eps=0.0)
    opt.step({"p": p}, {"p": np.array([g1])})
    opt.step({"p": p}, {"p": np.array([g2])})
    np.testing.assert_allclose(p, [-lr - lr * m_hat / math.sqrt(v_hat)], rtol=1e-13)
    assert opt.state["p"]["t"] == 2


def test_adam_coupled_weight_decay_enters_the_gradient():
    # g + wd * p = -0.5 + 0.1 * 10 = +0.5: the L2 term flips the direction of the step.
    p = np.array([10.0])
    g = np.array([-0.5])
    Adam(lr=0.01, eps=0.0, weight_decay=0.1).step({"p": p}, {"p": g})
    np.testing.assert_allclose(p, [10.0 - 0.01], rtol=1e-15)
    assert g[0] == -0.5  # the caller's gradient is not modified


def test_adamw_decays_the_weights_outside_the_adaptive_step():
    p = np.array([10.0, -4.0])
    Adam(lr=0.01, eps=0.0, weight_decay=0.1, decoupled=True).step(
        {"p": p}, {"p": np.array([-0.5, 2.0])}
    )
    # p * (1 - lr * wd), then the usual first Adam step of lr * sign(g).
    np.testing.assert_allclose(p, [10.0 * 0.999 + 0.01, -4.0 * 0.999 - 0.01], rtol=1e-15)


def test_amsgrad_keeps_the_largest_second_moment():
    beta1, beta2, lr = 0.9, 0.999, 0.1
    g1, g2 = 10.0, 0.1  # v falls at step 2: b2 * 0.1 + 1e-5 < 0.1
    v1 = (1 - beta2) * g1**2
    v2 = beta2 * v1 + (1 - beta2) * g2**2
    assert v2 < v1
    m2 = beta1 * (1 - beta1) * g1 + (1 - beta1) * g2
    step_size = lr / (1 - beta1**2)
    steps = {}
    for amsgrad in (False, True):
        p = np.array([0.0])
        opt = Adam(lr=lr, betas=(beta1, beta2), eps=0.0, amsgrad=amsgrad)
        opt.step({"p": p}, {"p": np.array([g1])})
        before = p.copy()
        opt.step({"p": p}, {"p": np.array([g2])})
        steps[amsgrad] = float(before[0] - p[0])
    np.testing.assert_allclose(
        steps[False], step_size * m2 / math.sqrt(v2 / (1 - beta2**2)), rtol=1e-13
    )
    np.testing.assert_allclose(
        steps[True], step_size * m2 / math.sqrt(v1 / (1 - beta2**2)), rtol=1e-13
    )
    assert steps[True] < steps[False]
    assert "v_max" in opt.state["p"]


def test_momentum_zero_is_sgd():
    rng = np.random.default_rng(0)
    p1 = rng.standard_normal((3, 2))
    p2 = p1.copy()
    sgd, mom = SGD(lr=0.3), Momentum(lr=0.3, momentum=0.0)
    for _ in range(5):
        g = rng.standard_normal((3, 2))
        sgd.step({"w": p1}, {"w": g})
        mom.step({"w": p2}, {"w": g})
    np.testing.assert_array_equal(p1, p2)


# ---------------------------------------------------------------- state, dtype, in place

ALL_OPTIMIZERS = [
    lambda: SGD(lr=0.1),
    lambda: Momentum(lr=0.1),
    lambda: AdaGrad(lr=0.1),
    lambda: RMSProp(lr=0.1),
    lambda: Adam(lr=0.1),
    lambda: Adam(lr=0.1, weight_decay=0.01),
    lambda: Adam(lr=0.1, weight_decay=0.01, decoupled=True, amsgrad=True),
]
OPT_IDS = ["sgd", "momentum", "adagrad", "rmsprop", "adam", "adam_l2", "adamw_amsgrad"]


@pytest.mark.parametrize("make", ALL_OPTIMIZERS, ids=OPT_IDS)
@pytest.mark.parametrize("grad_dtype", [np.float32, np.float64])
def test_float32_params_stay_float32(make, grad_dtype):
    opt = make()
    p = np.ones((4, 3), dtype=np.float32)
    for _ in range(3):
        opt.step({"w": p}, {"w": np.full((4, 3), 0.5, dtype=grad_dtype)})
    assert p.dtype == np.float32
    assert np.all(p < 1)
    for value in opt.state.get("w", {}).values():
        if isinstance(value, np.ndarray):
            assert value.dtype == np.float32 and value.shape == (4, 3)


@pytest.mark.parametrize("make", ALL_OPTIMIZERS, ids=OPT_IDS)
def test_updates_in_place_and_leaves_grads_alone(make):
    buffer = np.arange(12.0).reshape(3, 4) + 1.0
    w = buffer[:, 1:3]  # a non-contiguous view: the update must land in `buffer`
    params = {"w": w}
    grads = {"w": np.array([[1.0, -2.0], [0.5, 0.0], [3.0, -1.0]])}
    grads_before = grads["w"].copy()
    before = buffer.copy()
    make().step(params, grads)
    assert params["w"] is w
    assert not np.array_equal(buffer[:, 1:3], before[:, 1:3])
    np.testing.assert_array_equal(buffer[:, [0, 3]], before[:, [0, 3]])
    np.testing.assert_array_equal(grads["w"], grads_before)


@pytest.mark.parametrize("make", ALL_OPTIMIZERS, ids=OPT_IDS)
def test_state_is_per_name_and_created_lazily(make):
    rng = np.random.default_rng(1)
    joint = make()
    assert joint.state == {}
    a, b = rng.standard_normal(3), rng.standard_normal((2, 2))
    a_alone, b_alone = a.copy(), b.copy()
    opt_a, opt_b = make(), make()
    for _ in range(4):
        ga, gb = rng.standard_normal(3), rng.standard_normal((2, 2))
        joint.step({"a": a, "b": b}, {"a": ga, "b": gb})
        opt_a.step({"a": a_alone}, {"a": ga})
        opt_b.step({"b": b_alone}, {"b": gb})
    # Stepping two parameters together is the same as two separate optimisers.
    np.testing.assert_array_equal(a, a_alone)
    np.testing.assert_array_equal(b, b_alone)
    if joint.state:  # SGD needs none
        assert set(joint.state) == {"a", "b"}
        for name, shape in (("a", (3,)), ("b", (2, 2))):
            buffers = [v for v in joint.state[name].values() if isinstance(v, np.ndarray)]
            assert buffers and all(buf.shape == shape for buf in buffers)
    if isinstance(joint, Adam):
        assert joint.state["a"]["t"] == joint.state["b"]["t"] == 4


def test_reset_forgets_state():
    opt = Adam(lr=0.1)
    p = np.zeros(2)
    opt.step({"p": p}, {"p": np.ones(2)})
    assert opt.state["p"]["t"] == 1
    opt.reset()
    assert opt.state == {}


def test_repr_shows_hyper_parameters():
    text = repr(Adam(lr=0.01, decoupled=True))
    assert text.startswith("Adam(") and "lr=0.01" in text and "decoupled=True" in text
    assert "state" not in text


# ---------------------------------------------------------------- properties (hypothesis)

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
shapes = hnp.array_shapes(min_dims=1, max_dims=2, max_side=5)


@settings(max_examples=50, deadline=None)
@given(data=st.data(), lr=st.floats(1e-6, 10.0))
def test_sgd_step_is_p_minus_lr_g(data, lr):
    shape = data.draw(shapes)
    p = data.draw(hnp.arrays(np.float64, shape, elements=finite))
    g = data.draw(hnp.arrays(np.float64, shape, elements=finite))
    expected = p - lr * g
    SGD(lr=lr).step({"p": p}, {"p": g})
    np.testing.assert_array_equal(p, expected)


@settings(max_examples=50, deadline=None)
@given(
    data=st.data(),
    lr=st.floats(1e-6, 1.0),
    beta1=st.floats(0.0, 0.999),
    beta2=st.floats(0.0, 0.9999),
    eps=st.floats(1e-12, 1.0),
)
def test_adam_first_step_is_at_most_lr(data, lr, beta1, beta2, eps):
    shape = data.draw(shapes)
    p = data.draw(hnp.arrays(np.float64, shape, elements=finite))
    g = data.draw(hnp.arrays(np.float64, shape, elements=finite))
    start = p.copy()
    Adam(lr=lr, betas=(beta1, beta2), eps=eps).step({"p": p}, {"p": g})
    step = start - p
    # Each coordinate moves at most lr (up to the rounding of p itself), in the direction -g.
    assert np.all(np.abs(step) <= lr * (1 + 1e-9) + 4 * np.spacing(np.abs(start)))
    assert np.all(step * g >= 0)


@settings(max_examples=30, deadline=None)
@given(x0=st.floats(-10.0, 10.0), max_iter=st.integers(0, 40))
def test_minimize_result_is_consistent(x0, max_iter):
    res = minimize(lambda x: 2.0 * x, x0, Momentum(lr=0.05, momentum=0.9), max_iter=max_iter)
    assert res.trajectory.shape == (res.n_iter + 1, 1)
    assert res.n_iter <= max_iter
    assert res.trajectory[0, 0] == x0
    np.testing.assert_array_equal(res.trajectory[-1], res.x)
    # converged is exactly "the gradient at the returned point is small".
    assert res.converged == (abs(2.0 * res.x[0]) <= 1e-8)
    assert res.converged or res.n_iter == max_iter


# ---------------------------------------------------------------- minimize


def rosenbrock_grad(p: np.ndarray) -> np.ndarray:
    """Gradient of (1 - x)**2 + 100 (y - x**2)**2, minimum at (1, 1)."""
    x, y = p
    return np.array([-2.0 * (1.0 - x) - 400.0 * x * (y - x * x), 200.0 * (y - x * x)])


QUADRATIC_CASES = {
    "sgd": SGD(lr=0.1),
    "momentum": Momentum(lr=0.01, momentum=0.9),
    "adagrad": AdaGrad(lr=0.5),
    "rmsprop": RMSProp(lr=0.01),
    "adam": Adam(lr=0.05),
    "adamw": Adam(lr=0.05, weight_decay=0.01, decoupled=True),
}


@pytest.mark.parametrize("name", sorted(QUADRATIC_CASES))
def test_minimize_quadratic_reaches_zero(name):
    # f(x) = x**2 - 1, f'(x) = 2x
    res = minimize(lambda x: 2.0 * x, 3.0, QUADRATIC_CASES[name], max_iter=20_000)
    assert res.converged, (name, res.n_iter, res.grad_norm)
    assert abs(res.x[0]) <= 0.5e-8
    assert 0 < res.n_iter < 20_000
    assert res.trajectory.shape == (res.n_iter + 1, 1)
    assert res.trajectory[0, 0] == 3.0 and res.x.dtype == np.float64


ROSENBROCK_CASES = {
    # lr below 2 / (largest Hessian eigenvalue at (1, 1), ~1002) so plain descent is stable.
    "sgd": SGD(lr=1.5e-3),
    "momentum": Momentum(lr=1e-3, momentum=0.9),
    "adagrad": AdaGrad(lr=0.5),
    # With a tiny eps RMSProp keeps stepping ~lr and circles the minimum forever; a large
    # eps turns it into gradient descent (step lr/eps * g) once the gradient is small.
    "rmsprop": RMSProp(lr=1.5e-3, eps=1.0),
    "adam": Adam(lr=0.05),
}


@pytest.mark.parametrize("name", sorted(ROSENBROCK_CASES))
def test_minimize_rosenbrock_reaches_one_one(name):
    res = minimize(rosenbrock_grad, [-1.2, 1.0], ROSENBROCK_CASES[name], max_iter=100_000)
    assert res.converged, (name, res.n_iter, res.grad_norm)
    np.testing.assert_allclose(res.x, [1.0, 1.0], atol=1e-6)
    assert np.linalg.norm(rosenbrock_grad(res.x)) <= 1e-8
    assert res.trajectory.shape == (res.n_iter + 1, 2)
    np.testing.assert_array_equal(res.trajectory[0], [-1.2, 1.0])


def test_minimize_not_converged_when_max_iter_too_small():
    res = minimize(rosenbrock_grad, [-1.2, 1.0], SGD(lr=1.5e-3), max_iter=50)
    assert not res.converged
    assert res.n_iter == 50 and res.trajectory.shape == (51, 2)
    assert res.grad_norm > 1e-8
    np.testing.assert_allclose(res.grad_norm, np.linalg.norm(rosenbrock_grad(res.x)))


def test_minimize_not_fooled_when_momentum_turns_around():
    # Heavy-ball on x**2 overshoots and turns around; at a turning point the step is
    # tiny although x is far from 0. A step-length rule would stop there; ours must not.
    grad = lambda x: 2.0 * x  # noqa: E731
    tol = 1e-2
    res = minimize(grad, 1.0, Momentum(lr=0.02, momentum=0.99), max_iter=100_000, tol=tol)
    steps = np.abs(np.diff(res.trajectory[:, 0]))  # step i goes to trajectory[i + 1]
    far = np.abs(grad(res.trajectory[1:, 0])) > 10 * tol
    turning = np.flatnonzero((steps < tol) & far)
    assert turning.size > 0
    k = int(turning[0]) + 1
    assert res.converged and res.n_iter > k and abs(grad(res.x[0])) <= tol
    short = minimize(grad, 1.0, Momentum(lr=0.02, momentum=0.99), max_iter=k, tol=tol)
    assert short.n_iter == k and not short.converged
    assert abs(short.x[0]) > 5 * tol


def test_minimize_max_iter_zero_and_start_at_minimum():
    res = minimize(lambda x: 2.0 * x, [0.5, -1.0], Adam(lr=0.1), max_iter=0)
    assert res.n_iter == 0 and not res.converged
    np.testing.assert_array_equal(res.trajectory, [[0.5, -1.0]])
    at_min = minimize(lambda x: 2.0 * x, [0.0, 0.0], Adam(lr=0.1))
    assert at_min.converged and at_min.n_iter == 0


def test_minimize_stops_when_the_gradient_norm_reaches_tol_exactly():
    # a constant gradient whose norm is tol itself (0.5 and 0.25 are exact in binary)
    res = minimize(lambda x: np.full_like(x, 0.5), [3.0], SGD(lr=0.1), max_iter=50, tol=0.5)
    assert res.grad_norm == 0.5
    assert res.converged and res.n_iter == 0  # "until ||grad|| <= tol": no step taken


def test_minimize_resets_the_optimizer_and_copies_x0():
    opt = Momentum(lr=0.01)
    x0 = np.array([2.0, -1.0])
    first = minimize(lambda x: 2.0 * x, x0, opt, max_iter=30)
    second = minimize(lambda x: 2.0 * x, x0, opt, max_iter=30)
    np.testing.assert_array_equal(first.trajectory, second.trajectory)
    np.testing.assert_array_equal(x0, [2.0, -1.0])
    assert first.x is not x0


@pytest.mark.parametrize("name", sorted(ROSENBROCK_CASES))
def test_minimize_steps_as_the_checked_step_does(name):
    # minimize checks its arguments once and then skips step's per-call checks; the
    # points it visits are exactly those of a loop calling the checked step.
    opt = ROSENBROCK_CASES[name]
    res = minimize(rosenbrock_grad, [-1.2, 1.0], opt, max_iter=200, tol=0.0)
    opt.reset()
    x = np.array([-1.2, 1.0])
    points = [x.copy()]
    for _ in range(200):
        opt.step({"x": x}, {"x": rosenbrock_grad(x)})
        points.append(x.copy())
    np.testing.assert_array_equal(res.trajectory, points)


def test_minimize_checks_the_step_arguments_once_not_every_step(monkeypatch):
    calls = []
    real = Optimizer._check_step

    def counting(self, params, grads):
        calls.append(1)
        return real(self, params, grads)

    monkeypatch.setattr(Optimizer, "_check_step", counting)
    res = minimize(lambda x: 2.0 * x, 1.0, Momentum(lr=0.01), max_iter=50)
    assert res.n_iter == 50 and calls == [], f"step's checks ran {len(calls)} times"


def test_minimize_keeps_a_step_check_or_reset_of_the_optimizers_own():
    class Clipping(SGD):
        """Gradient descent on the gradient clipped to [-1, 1] by its own step check."""

        def _check_step(self, params, grads):
            return [(n, p, np.clip(g, -1, 1)) for n, p, g in super()._check_step(params, grads)]

    clipped = minimize(lambda x: 2.0 * x, 10.0, Clipping(lr=0.5), max_iter=3)
    np.testing.assert_array_equal(clipped.trajectory[:, 0], [10.0, 9.5, 9.0, 8.5])

    resets = []

    class Counting(SGD):
        def reset(self):
            resets.append(1)
            super().reset()

    minimize(lambda x: 2.0 * x, 1.0, Counting(lr=0.1), max_iter=2)
    assert resets == [1]

    spied = SGD(lr=0.25)
    steps = []
    real_step = spied.step
    spied.step = lambda params, grads: (steps.append(1), real_step(params, grads))
    minimize(lambda x: 2.0 * x, 1.0, spied, max_iter=4)
    assert steps == [1, 1, 1, 1], "an instance's own step was bypassed"


def test_minimize_keeps_the_step_of_a_subclass_that_overrides_it():
    class Clipped(SGD):
        """Gradient descent on the gradient's sign: its own step, not _update's."""

        def step(self, params, grads):
            super().step(params, {name: np.sign(g) for name, g in grads.items()})

    res = minimize(lambda x: 2.0 * x, 1.0, Clipped(lr=0.25), max_iter=3)
    np.testing.assert_array_equal(res.trajectory[:, 0], [1.0, 0.75, 0.5, 0.25])


def test_minimize_accepts_scalar_gradient_for_scalar_x0():
    res = minimize(lambda x: float(2.0 * x[0]), 1.0, SGD(lr=0.1))
    assert res.converged and res.x.shape == (1,)


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "build, exc, match",
    [
        (lambda: SGD(lr=0.0), ValueError, "lr"),
        (lambda: SGD(lr=-0.1), ValueError, "lr"),
        (lambda: SGD(lr=float("nan")), ValueError, "lr"),
        (lambda: SGD(lr="0.1"), TypeError, "lr"),
        (lambda: Momentum(lr=0.1, momentum=1.0), ValueError, "momentum"),
        (lambda: Momentum(lr=0.1, momentum=-0.5), ValueError, "momentum"),
        (lambda: AdaGrad(lr=0.1, eps=-1e-10), ValueError, "eps"),
        (lambda: RMSProp(lr=0.1, alpha=1.0), ValueError, "alpha"),
        (lambda: RMSProp(lr=0.1, eps=-1.0), ValueError, "eps"),
        (lambda: Adam(lr=0.0), ValueError, "lr"),
        (lambda: Adam(betas=(1.0, 0.999)), ValueError, r"betas\[0\]"),
        (lambda: Adam(betas=(0.9, -0.1)), ValueError, r"betas\[1\]"),
        (lambda: Adam(betas=(0.9, 1.5)), ValueError, r"betas\[1\]"),
        (lambda: Adam(betas=0.9), TypeError, "betas"),
        (lambda: Adam(betas=(0.9, 0.99, 0.999)), TypeError, "betas"),
        (lambda: Adam(eps=-1e-8), ValueError, "eps"),
        (lambda: Adam(weight_decay=-0.01), ValueError, "weight_decay"),
        (lambda: Adam(decoupled="yes"), TypeError, "decoupled"),
        (lambda: Adam(amsgrad=1), TypeError, "amsgrad"),
    ],
)
def test_bad_hyper_parameters(build, exc, match):
    with pytest.raises(exc, match=match):
        build()


W = np.ones((2, 3))


@pytest.mark.parametrize("make", ALL_OPTIMIZERS, ids=OPT_IDS)
@pytest.mark.parametrize(
    "params, grads, exc, match",
    [
        ({"w": W}, {"w": np.ones((2, 3)), "extra": np.ones(3)}, ValueError, "unknown.*'extra'"),
        ({"w": W, "b": np.ones(3)}, {"w": np.ones((2, 3))}, ValueError, "missing.*'b'"),
        ({"w": W}, {"w": np.ones((3, 2))}, ValueError, r"grads\['w'\].*shape \(2, 3\)"),
        ({"w": W}, {"w": np.ones(6)}, ValueError, r"grads\['w'\].*shape"),
        ({"w": W}, {"w": np.full((2, 3), np.nan)}, ValueError, r"grads\['w'\].*finite"),
        ({"w": W}, {"w": np.full((2, 3), np.inf)}, ValueError, r"grads\['w'\].*finite"),
        ({"w": W}, {"w": np.full((2, 3), "a")}, TypeError, r"grads\['w'\]"),
        ({"w": W}, {"w": np.ones((2, 3), dtype=bool)}, TypeError, r"grads\['w'\]"),
        ({"w": [[1.0, 1.0, 1.0]]}, {"w": [[1.0, 1.0, 1.0]]}, TypeError, r"params\['w'\].*ndarray"),
        ({"w": np.ones((2, 3), dtype=int)}, {"w": W}, TypeError, r"params\['w'\].*float"),
        ([W], {"w": W}, TypeError, "params must be a dict"),
        ({"w": W}, [W], TypeError, "grads must be a dict"),
    ],
)
def test_bad_step_arguments(make, params, grads, exc, match):
    opt = make()
    snapshot = (
        {k: np.array(v, copy=True) for k, v in params.items()} if isinstance(params, dict) else None
    )
    with pytest.raises(exc, match=match):
        opt.step(params, grads)
    if snapshot is not None:
        for k, v in snapshot.items():
            np.testing.assert_array_equal(params[k], v)


def test_bad_gradient_leaves_every_parameter_untouched():
    a, b = np.ones(2), np.ones(2)
    with pytest.raises(ValueError, match=r"grads\['b'\]"):
        Adam(lr=0.1).step({"a": a, "b": b}, {"a": np.ones(2), "b": np.array([1.0, np.nan])})
    np.testing.assert_array_equal(a, [1.0, 1.0])


def test_read_only_param_is_rejected():
    w = np.ones(3)
    w.flags.writeable = False
    with pytest.raises(ValueError, match=r"params\['w'\].*read-only"):
        SGD(lr=0.1).step({"w": w}, {"w": np.ones(3)})


def test_param_changing_shape_under_the_same_name_is_rejected():
    opt = Momentum(lr=0.1)
    opt.step({"w": np.ones(3)}, {"w": np.ones(3)})
    with pytest.raises(ValueError, match=r"params\['w'\].*reset\(\)"):
        opt.step({"w": np.ones(4)}, {"w": np.ones(4)})
    with pytest.raises(ValueError, match=r"params\['w'\].*float32"):
        opt.step({"w": np.ones(3, dtype=np.float32)}, {"w": np.ones(3)})


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"x0": np.ones((2, 2))}, ValueError, "x0"),
        ({"x0": [1.0, np.nan]}, ValueError, "x0"),
        ({"x0": []}, ValueError, "x0"),
        ({"x0": "1.0"}, TypeError, "x0"),
        ({"x0": True}, TypeError, "x0"),
        ({"optimizer": "adam"}, TypeError, "optimizer"),
        ({"max_iter": -1}, ValueError, "max_iter"),
        ({"max_iter": 10.0}, TypeError, "max_iter"),
        ({"tol": -1e-8}, ValueError, "tol"),
        ({"grad_fn": lambda x: np.ones(3)}, ValueError, r"grad_fn\(x\).*shaped like x"),
        ({"grad_fn": lambda x: np.full(2, np.nan)}, ValueError, r"grad_fn\(x\).*finite"),
        ({"grad_fn": lambda x: None}, TypeError, r"grad_fn\(x\)"),
    ],
)
def test_minimize_bad_input(kwargs, exc, match):
    args = {"grad_fn": lambda x: 2.0 * x, "x0": [1.0, 2.0], "optimizer": SGD(lr=0.1), **kwargs}
    with pytest.raises(exc, match=match):
        minimize(**args)


def test_minimize_reports_divergence_clearly():
    # lr far above 2 / f'' makes x**2 blow up until the gradient overflows.
    # (numpy's overflow warnings on the way to inf are expected here, not the point.)
    with (
        np.errstate(over="ignore", invalid="ignore"),
        pytest.raises(ValueError, match=r"grad_fn\(x\).*iteration \d+.*smaller lr"),
    ):
        minimize(lambda x: 2.0 * x, 1.0, SGD(lr=10.0), max_iter=10_000)


# ---------------------------------------------------------------- issue 13: quiet wrong numbers


@pytest.mark.parametrize("make", ALL_OPTIMIZERS, ids=OPT_IDS)
def test_float16_params_are_refused_before_any_update(make):
    # In float16, eps = 1e-8 rounds to 0: a zero gradient used to turn Adam's params NaN.
    p = np.ones(3, dtype=np.float16)
    with pytest.raises(TypeError, match=r"params\['w'\].*float16"):
        make().step({"w": p}, {"w": np.zeros(3, dtype=np.float16)})
    np.testing.assert_array_equal(p, np.ones(3, dtype=np.float16))


def test_zero_gradient_leaves_float32_params_finite_and_unchanged():
    p = np.ones(3, dtype=np.float32)
    Adam().step({"w": p}, {"w": np.zeros(3, dtype=np.float32)})
    np.testing.assert_array_equal(p, np.ones(3, dtype=np.float32))


def test_float64_gradient_beyond_float32_range_is_refused():
    with pytest.raises(ValueError, match=r"grads\['w'\].*float32"):
        SGD(lr=0.1).step({"w": np.ones(2, dtype=np.float32)}, {"w": np.full(2, 1e300)})


@pytest.mark.parametrize("cls", [SGD, Momentum, Adam])
def test_minimize_given_the_class_says_to_make_an_instance(cls):
    with pytest.raises(TypeError, match=rf"instance such as {cls.__name__}\(lr=0\.1\).*class"):
        minimize(lambda x: 2 * x, 1.0, cls)
