"""Tested numpy reference implementations shown on the ML interview Q&A site.

Each module holds one concept; import the one you need, e.g.
``from snippets.optim import Adam``. Importing the package does no work.
"""

__all__ = [
    "activations",
    "gradient_check",
    "layers",
    "metrics",
    "optim",
    "softmax_regression",
    "two_layer_net",
    "validation",
]
