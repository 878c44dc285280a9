"""Regenerate ``tests/data/optim_torch_reference.npz``: torch.optim fed a fixed gradient sequence.

torch is only needed to run this script (``pip install torch==2.13.0``); it is not a
requirement of the project. From the repository root:

    python tests/data/make_optim_torch_reference.py

``tests/test_optim.py`` imports ``RECIPE``, ``initial_params`` and ``gradient_sequence``
from this file (importing it does not import torch), replays the same gradients through
``snippets.optim`` and compares with the parameters stored here.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

OUT = Path(__file__).with_name("optim_torch_reference.npz")


def _adam(**changes) -> list:
    """An Adam config: every hyper-parameter spelled out, ``changes`` on top of these."""
    hyper = {
        "lr": 0.01,
        "betas": [0.9, 0.999],
        "eps": 1e-8,
        "weight_decay": 0.0,
        "decoupled": False,
        "amsgrad": False,
    }
    return ["Adam", {**hyper, **changes}]


# Everything that determines the reference numbers. The test checks that the stored file
# was made from this exact recipe, so editing it without re-running the script fails loudly.
RECIPE = {
    "seed": 1234,
    "n_steps": 100,
    # name -> (shape, gradient scale): "b" gets tiny gradients, so eps matters for it.
    "params": {"w": [[4, 3], 1.0], "b": [[3], 1e-6]},
    # config name -> (snippets.optim class, every hyper-parameter spelled out)
    "configs": {
        "sgd": ["SGD", {"lr": 0.05}],
        "momentum": ["Momentum", {"lr": 0.01, "momentum": 0.9}],
        "adagrad": ["AdaGrad", {"lr": 0.1, "eps": 1e-10}],
        "rmsprop": ["RMSProp", {"lr": 0.01, "alpha": 0.99, "eps": 1e-8}],
        "rmsprop_alpha09": ["RMSProp", {"lr": 0.003, "alpha": 0.9, "eps": 1e-6}],
        "adam": _adam(),
        "adam_betas": _adam(lr=0.02, betas=[0.8, 0.95], eps=1e-6),
        "adam_l2": _adam(weight_decay=0.1),
        "adamw": _adam(weight_decay=0.1, decoupled=True),
        # beta2 = 0.9 lets v fall when the gradients shrink, so the running max matters.
        "adam_amsgrad": _adam(betas=[0.9, 0.9], amsgrad=True),
        "adamw_amsgrad": _adam(betas=[0.8, 0.9], weight_decay=0.1, decoupled=True, amsgrad=True),
    },
}


def initial_params() -> dict[str, np.ndarray]:
    """Float64 starting values, away from zero so relative errors stay meaningful."""
    rng = np.random.RandomState(RECIPE["seed"])  # legacy generator: its stream is frozen
    params = {}
    for name, (shape, _) in RECIPE["params"].items():
        sign = np.where(rng.rand(*shape) < 0.5, -1.0, 1.0)
        params[name] = sign * rng.uniform(2.0, 3.0, size=shape)
    return params


def gradient_sequence() -> list[dict[str, np.ndarray]]:
    """``n_steps`` gradient dicts with a drifting mean and a magnitude that changes over time."""
    rng = np.random.RandomState(RECIPE["seed"] + 1)
    seq = []
    for t in range(RECIPE["n_steps"]):
        scale_t = 1.0 + 0.5 * np.sin(0.3 * t)  # bigger and smaller gradients: v must track them
        seq.append(
            {
                name: scale * scale_t * (0.3 + rng.standard_normal(shape))
                for name, (shape, scale) in RECIPE["params"].items()
            }
        )
    return seq


def recipe_json() -> str:
    return json.dumps(RECIPE, sort_keys=True)


def _torch_optimizer(kind: str, hyper: dict, tensors: list):
    import torch

    h = dict(hyper)
    if kind == "SGD":
        return torch.optim.SGD(tensors, lr=h["lr"], foreach=False)
    if kind == "Momentum":
        return torch.optim.SGD(
            tensors,
            lr=h["lr"],
            momentum=h["momentum"],
            dampening=0.0,
            nesterov=False,
            foreach=False,
        )
    if kind == "AdaGrad":
        return torch.optim.Adagrad(
            tensors,
            lr=h["lr"],
            eps=h["eps"],
            lr_decay=0.0,
            weight_decay=0.0,
            initial_accumulator_value=0.0,
            foreach=False,
        )
    if kind == "RMSProp":
        return torch.optim.RMSprop(
            tensors,
            lr=h["lr"],
            alpha=h["alpha"],
            eps=h["eps"],
            weight_decay=0.0,
            momentum=0.0,
            centered=False,
            foreach=False,
        )
    if kind == "Adam":
        cls = torch.optim.AdamW if h.pop("decoupled") else torch.optim.Adam
        return cls(
            tensors,
            lr=h["lr"],
            betas=tuple(h["betas"]),
            eps=h["eps"],
            weight_decay=h["weight_decay"],
            amsgrad=h["amsgrad"],
            foreach=False,
        )
    raise ValueError(f"unknown optimiser kind {kind!r}")


def run_torch(kind: str, hyper: dict) -> dict[str, np.ndarray]:
    """Final float64 parameters after feeding ``gradient_sequence()`` to torch.optim."""
    import torch

    tensors = {
        name: torch.tensor(p, dtype=torch.float64, requires_grad=True)
        for name, p in initial_params().items()
    }
    opt = _torch_optimizer(kind, hyper, list(tensors.values()))
    for grads in gradient_sequence():
        for name, tensor in tensors.items():
            tensor.grad = torch.tensor(grads[name], dtype=torch.float64)
        opt.step()
    return {name: tensor.detach().numpy().copy() for name, tensor in tensors.items()}


def main() -> None:
    import torch

    arrays = {"recipe": np.array(recipe_json()), "torch_version": np.array(torch.__version__)}
    for config, (kind, hyper) in RECIPE["configs"].items():
        for name, value in run_torch(kind, hyper).items():
            arrays[f"{config}/{name}"] = value
    np.savez(OUT, **arrays)
    print(f"wrote {OUT} ({len(RECIPE['configs'])} configs, torch {torch.__version__})")


if __name__ == "__main__":
    main()
