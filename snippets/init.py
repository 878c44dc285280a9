"""Weight initialisation for fully connected layers: Xavier (Glorot) and He.

Each function returns a (fan_in, fan_out) weight matrix, the layout of ``fc_forward``'s
``w``, drawn from ``rng`` so that a seed fixes it. The scale is what keeps the variance of
a layer's outputs (Xavier: and of its input gradients) equal to that of its inputs; the
derivations are in the post on weight initialisation.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from snippets.validation import check_generator, check_int, checked_with

__all__ = ["he_normal", "xavier_normal", "xavier_uniform"]


def _check_init(fan_in: object, fan_out: object, rng: object) -> tuple[Any, ...]:
    return check_int(fan_in, "fan_in"), check_int(fan_out, "fan_out"), check_generator(rng, "rng")


@checked_with(_check_init)
# --8<-- [start:xavier_normal]
def xavier_normal(fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    """Glorot and Bengio (2010): Var(w) = 2 / (fan_in + fan_out), between 1 / fan_in
    (which keeps the forward variance) and 1 / fan_out (the backward one)."""
    std = math.sqrt(2 / (fan_in + fan_out))
    return std * rng.standard_normal((fan_in, fan_out))
# --8<-- [end:xavier_normal]


@checked_with(_check_init)
# --8<-- [start:xavier_uniform]
def xavier_uniform(fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    """The same variance from a uniform distribution: U(-a, a) has variance a^2 / 3."""
    a = math.sqrt(6 / (fan_in + fan_out))
    return rng.uniform(-a, a, size=(fan_in, fan_out))
# --8<-- [end:xavier_uniform]


@checked_with(_check_init)
# --8<-- [start:he_normal]
def he_normal(fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    """He et al. (2015), for ReLU layers: Var(w) = 2 / fan_in. ReLU zeroes half of its
    input, halving the second moment that the next layer sees; the 2 gives it back."""
    std = math.sqrt(2 / fan_in)
    return std * rng.standard_normal((fan_in, fan_out))
# --8<-- [end:he_normal]
