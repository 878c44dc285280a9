"""snippets.init: the scale of each initialiser, and what that scale is for."""

import numpy as np
import pytest

from snippets.init import he_normal, xavier_normal, xavier_uniform
from snippets.layers import fc_forward, relu_forward

INITS = {"xavier_normal": xavier_normal, "xavier_uniform": xavier_uniform, "he_normal": he_normal}


def expected_variance(name: str, fan_in: int, fan_out: int) -> float:
    return 2 / fan_in if name == "he_normal" else 2 / (fan_in + fan_out)


@pytest.mark.parametrize("name", sorted(INITS))
@pytest.mark.parametrize("fan_in, fan_out", [(400, 100), (100, 400), (256, 256)])
def test_the_sample_variance_is_the_initialisers_variance(name, fan_in, fan_out):
    """40,000 draws: the sample variance is within 3% of the formula (seeded; the standard
    error of a sample variance of n draws is about sqrt(2/n) = 0.7% here)."""
    w = INITS[name](fan_in, fan_out, np.random.default_rng(0))
    assert w.shape == (fan_in, fan_out) and w.dtype == np.float64
    assert abs(w.mean()) < 0.03 * np.sqrt(expected_variance(name, fan_in, fan_out))
    assert w.var() == pytest.approx(expected_variance(name, fan_in, fan_out), rel=0.03)


def test_xavier_uniform_stays_inside_its_bound_and_a_seed_fixes_every_draw():
    w = xavier_uniform(30, 20, np.random.default_rng(1))
    assert np.abs(w).max() <= np.sqrt(6 / 50)
    assert np.abs(w).max() > 0.95 * np.sqrt(6 / 50)  # the bound is reached, not a smaller one
    for init in INITS.values():
        a, b = (init(7, 5, np.random.default_rng(3)) for _ in range(2))
        assert np.array_equal(a, b)


def test_he_keeps_the_second_moment_through_relu_layers_and_xavier_halves_it():
    """The reason for the factor 2: through 10 fc + ReLU layers of width 500, He's
    activations keep their mean square; with Xavier's variance (1 / fan_in here, as
    fan_in = fan_out) it halves at every layer."""
    rng = np.random.default_rng(2)
    x = rng.standard_normal((200, 500))
    moments = {}
    for name in ("he_normal", "xavier_normal"):
        h = x
        for _ in range(10):
            w = INITS[name](500, 500, rng)
            h, _ = relu_forward(fc_forward(h, w, np.zeros(500))[0])
        moments[name] = (h**2).mean() / (x**2).mean()
    assert 0.5 < moments["he_normal"] < 2, moments
    assert 0.5**10 * 0.5 < moments["xavier_normal"] < 0.5**10 * 2, moments


@pytest.mark.parametrize("name", sorted(INITS))
@pytest.mark.parametrize(
    "args, error, message",
    [
        ((0, 3, np.random.default_rng(0)), ValueError, "fan_in must be >= 1"),
        ((3, 2.5, np.random.default_rng(0)), TypeError, "fan_out must be an integer"),
        ((3, 2, 0), TypeError, "rng must be a numpy.random.Generator"),
    ],
)
def test_bad_arguments_are_named(name, args, error, message):
    with pytest.raises(error, match=message):
        INITS[name](*args)
