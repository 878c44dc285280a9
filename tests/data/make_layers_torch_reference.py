"""Regenerate ``tests/data/layers_torch_reference.npz``: torch's batch norm, layer norm, RMS
norm, conv2d and max pooling on fixed float64 inputs, with their gradients.

torch is only needed to run this script (``pip install torch==2.13.0``); it is not a
requirement of the project. From the repository root:

    python tests/data/make_layers_torch_reference.py

``tests/test_layers.py`` imports ``RECIPE`` and the input builders from this file
(importing it does not import torch), runs ``snippets.layers`` on the same inputs and
compares with the arrays stored here.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

OUT = Path(__file__).with_name("layers_torch_reference.npz")

RECIPE = {
    "seed": 2026,
    # batch norm: D features, a run of train batches of N rows, then one eval batch.
    # Our momentum (weight of the old running value) is 1 - torch's momentum.
    "batchnorm": {"n": 8, "d": 4, "train_steps": 5, "momentum": 0.9, "eps": 1e-5},
    # layer norm and RMS norm: N rows of D features, each row with its own offset and scale
    "rownorm": {"n": 5, "d": 7, "layernorm_eps": 1e-5, "rmsnorm_eps": 1e-6},
    # conv2d: name -> [N, C, H, W, F, KH, KW, stride, pad]
    "conv2d": {
        "3x3_pad1": [2, 3, 7, 6, 4, 3, 3, 1, 1],
        "3x2_stride2": [2, 2, 8, 7, 3, 3, 2, 2, 0],
        "5x5_pad2_stride3": [1, 3, 9, 8, 2, 5, 5, 3, 2],
    },
    # maxpool2d: name -> [N, C, H, W, size, stride]
    "maxpool2d": {
        "2x2_stride2": [2, 3, 6, 6, 2, 2],
        "3x3_stride2_overlap": [1, 2, 7, 5, 3, 2],
        "2x2_stride1": [2, 1, 5, 4, 2, 1],
    },
}


def _rng(*salt: int) -> np.random.RandomState:
    return np.random.RandomState([RECIPE["seed"], *salt])  # legacy generator: frozen stream


def batchnorm_inputs() -> dict[str, np.ndarray]:
    """gamma, beta (D,), train batches (steps, N, D), eval batch (N, D), and a dout per batch."""
    bn = RECIPE["batchnorm"]
    r = _rng(1)
    n, d, steps = bn["n"], bn["d"], bn["train_steps"]
    return {
        "gamma": r.uniform(0.5, 2.0, d),
        "beta": r.standard_normal(d),
        # each batch has its own offset and scale, so the running averages move
        "x_train": r.standard_normal((steps, n, d)) * r.uniform(0.5, 3.0, (steps, 1, d))
        + r.standard_normal((steps, 1, d)) * 2,
        "dout_train": r.standard_normal((steps, n, d)),
        "x_eval": r.standard_normal((n, d)) * 2 + 1,
        "dout_eval": r.standard_normal((n, d)),
    }


def rownorm_inputs() -> dict[str, np.ndarray]:
    """x (N, D), gamma and beta (D,), dout (N, D)."""
    rn = RECIPE["rownorm"]
    r = _rng(4)
    n, d = rn["n"], rn["d"]
    return {
        "x": r.standard_normal((n, d)) * r.uniform(0.1, 5.0, (n, 1))
        + r.standard_normal((n, 1)) * 3,
        "gamma": r.uniform(0.5, 2.0, d),
        "beta": r.standard_normal(d),
        "dout": r.standard_normal((n, d)),
    }


def conv2d_inputs(name: str) -> dict[str, np.ndarray]:
    N, C, H, W, F, KH, KW, stride, pad = RECIPE["conv2d"][name]
    r = _rng(2, sorted(RECIPE["conv2d"]).index(name))
    x, w = r.standard_normal((N, C, H, W)), r.standard_normal((F, C, KH, KW))
    b = r.standard_normal(F)
    H_out, W_out = (H + 2 * pad - KH) // stride + 1, (W + 2 * pad - KW) // stride + 1
    return {"x": x, "w": w, "b": b, "dout": r.standard_normal((N, F, H_out, W_out))}


def maxpool2d_inputs(name: str) -> dict[str, np.ndarray]:
    N, C, H, W, size, stride = RECIPE["maxpool2d"][name]
    r = _rng(3, sorted(RECIPE["maxpool2d"]).index(name))
    H_out, W_out = (H - size) // stride + 1, (W - size) // stride + 1
    # continuous values: no ties, so "where the maximum was" is unambiguous
    return {"x": r.standard_normal((N, C, H, W)), "dout": r.standard_normal((N, C, H_out, W_out))}


def recipe_json() -> str:
    return json.dumps(RECIPE, sort_keys=True)


def _t(a: np.ndarray, grad: bool = False):
    import torch

    return torch.tensor(a, dtype=torch.float64, requires_grad=grad)


def run_batchnorm() -> dict[str, np.ndarray]:
    import torch

    bn, inp = RECIPE["batchnorm"], batchnorm_inputs()
    layer = torch.nn.BatchNorm1d(
        bn["d"], eps=bn["eps"], momentum=1 - bn["momentum"], dtype=torch.float64
    )
    with torch.no_grad():
        layer.weight.copy_(_t(inp["gamma"]))
        layer.bias.copy_(_t(inp["beta"]))
    out = {}
    layer.train()
    for step in range(bn["train_steps"]):
        x = _t(inp["x_train"][step], grad=True)
        y = layer(x)
        layer.zero_grad()
        y.backward(_t(inp["dout_train"][step]))
        out[f"train{step}/out"] = y.detach().numpy().copy()
        out[f"train{step}/dx"] = x.grad.numpy().copy()
        out[f"train{step}/dgamma"] = layer.weight.grad.numpy().copy()
        out[f"train{step}/dbeta"] = layer.bias.grad.numpy().copy()
        out[f"train{step}/running_mean"] = layer.running_mean.numpy().copy()
        out[f"train{step}/running_var"] = layer.running_var.numpy().copy()
    layer.eval()
    x = _t(inp["x_eval"], grad=True)
    y = layer(x)
    layer.zero_grad()
    y.backward(_t(inp["dout_eval"]))
    out["eval/out"] = y.detach().numpy().copy()
    out["eval/dx"] = x.grad.numpy().copy()
    out["eval/dgamma"] = layer.weight.grad.numpy().copy()
    out["eval/dbeta"] = layer.bias.grad.numpy().copy()
    return out


def run_rownorm() -> dict[str, np.ndarray]:
    import torch

    rn, inp = RECIPE["rownorm"], rownorm_inputs()
    out = {}
    layers = {
        "layernorm": torch.nn.LayerNorm(rn["d"], eps=rn["layernorm_eps"], dtype=torch.float64),
        "rmsnorm": torch.nn.RMSNorm(rn["d"], eps=rn["rmsnorm_eps"], dtype=torch.float64),
    }
    for name, layer in layers.items():
        with torch.no_grad():
            layer.weight.copy_(_t(inp["gamma"]))
            if name == "layernorm":
                layer.bias.copy_(_t(inp["beta"]))
        x = _t(inp["x"], grad=True)
        y = layer(x)
        y.backward(_t(inp["dout"]))
        out[f"{name}/out"] = y.detach().numpy().copy()
        out[f"{name}/dx"] = x.grad.numpy().copy()
        out[f"{name}/dgamma"] = layer.weight.grad.numpy().copy()
        if name == "layernorm":
            out[f"{name}/dbeta"] = layer.bias.grad.numpy().copy()
    return out


def run_conv2d(name: str) -> dict[str, np.ndarray]:
    import torch.nn.functional as F

    stride, pad = RECIPE["conv2d"][name][7:]
    inp = conv2d_inputs(name)
    x, w, b = _t(inp["x"], True), _t(inp["w"], True), _t(inp["b"], True)
    y = F.conv2d(x, w, b, stride=stride, padding=pad)
    y.backward(_t(inp["dout"]))
    return {
        "out": y.detach().numpy().copy(),
        "dx": x.grad.numpy().copy(),
        "dw": w.grad.numpy().copy(),
        "db": b.grad.numpy().copy(),
    }


def run_maxpool2d(name: str) -> dict[str, np.ndarray]:
    import torch.nn.functional as F

    size, stride = RECIPE["maxpool2d"][name][4:]
    inp = maxpool2d_inputs(name)
    x = _t(inp["x"], True)
    y = F.max_pool2d(x, kernel_size=size, stride=stride)
    y.backward(_t(inp["dout"]))
    return {"out": y.detach().numpy().copy(), "dx": x.grad.numpy().copy()}


def main() -> None:
    import torch

    arrays = {"recipe": np.array(recipe_json()), "torch_version": np.array(torch.__version__)}
    arrays.update({f"batchnorm/{k}": v for k, v in run_batchnorm().items()})
    arrays.update(run_rownorm())
    for name in RECIPE["conv2d"]:
        arrays.update({f"conv2d/{name}/{k}": v for k, v in run_conv2d(name).items()})
    for name in RECIPE["maxpool2d"]:
        arrays.update({f"maxpool2d/{name}/{k}": v for k, v in run_maxpool2d(name).items()})
    np.savez(OUT, **arrays)
    print(f"wrote {OUT} ({len(arrays) - 2} arrays, torch {torch.__version__})")


if __name__ == "__main__":
    main()
