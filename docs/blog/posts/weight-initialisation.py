# ---
# date:
#   created: 2026-12-06
# slug: weight-initialisation
# authors: [owner]
# categories: [Worked programs]
# tags: [initialisation, deep learning, numpy]
# description: >-
#   Why zero weights cannot train, where the Xavier and He scales come from, and what
#   each scale does to the activations and the gradients of a 30-layer network.
# ---

# %% [markdown]
# # Weight initialisation: zero, Xavier and He
#
# "How do you initialise the weights of a network, and why?" The answer has two parts.
# The weights must differ from one another, or every hidden unit computes the same thing
# forever. And they must have the right *scale*, or the signal shrinks or grows
# geometrically with depth, in the forward pass and in the gradients. This post shows
# both on numpy networks, using the layers and initialisers of the `snippets` package.
#
# <!-- more -->
#
# ## Why not start from zero?
#
# Take the [two-layer network](two-layer-net-numpy.md) and start it with every weight
# equal, to 0.01, then with every weight 0. Every hidden unit has the same incoming
# weights, so it computes the same output and receives the same gradient, so after the
# update its weights are still the same as every other unit's: the symmetry is never
# broken, and 32 hidden units do the work of one. With all weights 0 it is worse: the
# hidden layer outputs 0, so neither weight matrix gets a gradient, and only the output
# biases learn. Ten epochs of SGD on the digits in each case, and the same with random (He)
# weights:

# %%
import matplotlib.pyplot as plt
import numpy as np
from _digits import standardised_split

from snippets.activations import tanh, tanh_grad
from snippets.init import he_normal, xavier_normal
from snippets.layers import fc_backward, fc_forward, relu_backward, relu_forward
from snippets.optim import SGD
from snippets.two_layer_net import TwoLayerNet, train

# the digits split of the other worked programs, standardised with training statistics
X_train, X_test, y_train, y_test = standardised_split()

starts = {"every weight 0.01": 0.01, "every weight 0": 0.0, "random (He)": None}
print(f"{'start':<18} {'test accuracy':>13}  {'classes predicted':>17}  "
      f"{'largest |W1|':>12}  largest difference between two hidden units")
symmetric = {}
for label, value in starts.items():
    net = TwoLayerNet(64, 32, 10, seed=0)  # He-initialised
    if value is not None:
        net.params["W1"][:] = value
        net.params["W2"][:] = value
    train(net, X_train, y_train, SGD(lr=0.1), epochs=10, batch_size=64, seed=0)
    # hidden unit j: column j of W1 (its inputs) and row j of W2 (its outputs)
    spread = max(np.ptp(net.params["W1"], axis=1).max(),
                 np.ptp(net.params["W2"], axis=0).max())
    predicted = net.predict(X_test)
    accuracy = np.mean(predicted == y_test)
    symmetric[label] = (spread, accuracy, np.abs(net.params["W1"]).max(),
                        len(np.unique(predicted)))
    print(f"{label:<18} {accuracy:13.3f}  {symmetric[label][3]:17d}  "
          f"{symmetric[label][2]:12.3g}  {spread:.3g}")

# %% [markdown]
# After ten epochs the equal-weight network's hidden units are still exact copies of
# one another: in effect a network with a single hidden unit, and far less accurate
# than the random start. The all-zero network has not moved its weights at all and
# predicts the same class for every image. Random weights break the symmetry. Their
# *scale* is the second part.

# %% tags=["remove-cell"]
assert symmetric["every weight 0.01"][0] == 0 and symmetric["every weight 0"][0] == 0
assert symmetric["every weight 0"][2] == 0  # the weights never moved
assert symmetric["every weight 0"][3] == 1  # the same class for every image
assert symmetric["every weight 0.01"][1] < 0.5 < 0.9 < symmetric["random (He)"][1]

# %% [markdown]
# ## The scale: keeping the variance through a layer
#
# A fully connected layer computes $z_i = \sum_{j=1}^{n_\text{in}} w_{ij}\, x_j$. With
# weights and inputs independent, the weights of mean zero,
#
# $$
# \operatorname{Var}(z_i) = n_\text{in} \operatorname{Var}(w)\, \mathbb{E}[x_j^2].
# $$
#
# So each layer multiplies the second moment of the signal by
# $n_\text{in} \operatorname{Var}(w)$ (times what the activation does to it). Repeated
# over $L$ layers, any factor other than 1 grows or shrinks geometrically. The same
# argument run backwards, on the gradient $\partial L / \partial x_j =
# \sum_i w_{ij}\, \partial L / \partial z_i$, gives the factor
# $n_\text{out} \operatorname{Var}(w)$.
#
# **Xavier (Glorot and Bengio, 2010)** looks at a layer whose activation is linear
# around zero, such as tanh. The forward pass wants $\operatorname{Var}(w) =
# 1/n_\text{in}$, the backward pass $1/n_\text{out}$; the compromise is their harmonic
# mean:
#
# ```python
# --8<-- "snippets/init.py:xavier_normal"
# ```
#
# or the same variance from a uniform distribution:
#
# ```python
# --8<-- "snippets/init.py:xavier_uniform"
# ```
#
# **He (He et al., 2015)** is for ReLU. For $z$ symmetric about zero, ReLU keeps half of
# it, so $\mathbb{E}[\operatorname{relu}(z)^2] = \operatorname{Var}(z)/2$: each ReLU layer
# halves the second moment, and doubling the weights' variance gives it back:
#
# ```python
# --8<-- "snippets/init.py:he_normal"
# ```
#
# ## Thirty layers deep
#
# A stack of 30 fully connected layers of width 256, each followed by tanh or by ReLU,
# on a batch of 256 random inputs. For each way of drawing the weights, the forward pass
# records the standard deviation of every layer's output; then a random gradient enters
# at the top and the backward pass records the standard deviation of the gradient
# arriving at every layer's input. The third scale, a fixed standard deviation of 0.01,
# is the one many tutorials used before these derivations were common.

# %%
depth, width, batch = 30, 256, 256


def small(fan_in, fan_out, rng):
    return 0.01 * rng.standard_normal((fan_in, fan_out))


schemes = {"N(0, 0.01^2)": small, "Xavier": xavier_normal, "He": he_normal}


def forward_backward(activation, init, seed=0):
    """Standard deviations of each layer's output (forward) and of the gradient at each
    layer's input (backward), for layers 1 to depth."""
    rng = np.random.default_rng(seed)
    h = rng.standard_normal((batch, width))
    caches, forward = [], []
    for _ in range(depth):
        z, fc_cache = fc_forward(h, init(width, width, rng), np.zeros(width))
        if activation == "ReLU":
            h, act_cache = relu_forward(z)
        else:
            h, act_cache = tanh(z), z
        caches.append((fc_cache, act_cache))
        forward.append(h.std())
    grad, backward = rng.standard_normal(h.shape), []
    for fc_cache, act_cache in reversed(caches):
        if activation == "ReLU":
            dz = relu_backward(grad, act_cache)
        else:
            dz = grad * tanh_grad(act_cache)
        grad, _, _ = fc_backward(dz, fc_cache)
        backward.append(grad.std())
    return np.array(forward), np.array(backward[::-1])


stats = {(act, name): forward_backward(act, init)
         for act in ("tanh", "ReLU") for name, init in schemes.items()}
print(f"{'':5} {'weights':<13} {'output std, layer 1, 10, 30':>30}   "
      f"{'gradient std, layer 30, 10, 1':>30}")
for (act, name), (fwd, bwd) in stats.items():
    print(f"{act:<5} {name:<13} {fwd[0]:10.2g} {fwd[9]:9.2g} {fwd[-1]:9.2g}   "
          f"{bwd[-1]:10.2g} {bwd[9]:9.2g} {bwd[0]:9.2g}")

# %%
fig, axes = plt.subplots(2, 2, figsize=(10, 7), sharex=True)
layers = np.arange(1, depth + 1)
for col, act in enumerate(("tanh", "ReLU")):
    for name in schemes:
        fwd, bwd = stats[act, name]
        axes[0, col].semilogy(layers, fwd, marker=".", label=name)
        axes[1, col].semilogy(layers, bwd, marker=".", label=name)
    axes[0, col].set_title(f"{act}: std of each layer's output")
    axes[1, col].set_title(f"{act}: std of the gradient at each layer's input")
    axes[1, col].set_xlabel("layer")
for ax in axes.flat:
    ax.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# What the runs show:
#
# - **A fixed small scale kills both passes.** With standard deviation 0.01, each layer
#   multiplies the signal by about $0.01\sqrt{256} = 0.16$ before the activation, so
#   after 30 layers the outputs are down by more than twenty orders of magnitude, and
#   the gradients reaching the first layers vanish in the same way: those layers
#   cannot learn.
# - **ReLU needs He.** With Xavier's variance (here $1/256$, since the layers are
#   square), every ReLU layer halves the second moment, and 30 of them shrink the
#   output's standard deviation by about $2^{-15}$. He's factor of 2 keeps both the
#   outputs and the gradients at the same scale from the first layer to the last.
# - **tanh is gentler with Xavier, but not exact.** tanh is linear only near zero and
#   compresses larger inputs, so with Xavier the outputs shrink slowly with depth,
#   without collapsing, and the gradients shrink several-fold from the last layer to
#   the first. With He's weights, twice the variance, tanh saturates more and the
#   outputs hold their scale; each layer still multiplies the gradient by more than 1
#   despite the saturation, so the gradients grow towards the first layers.
#
# In practice: He (Kaiming) initialisation for ReLU-like activations, Xavier (Glorot)
# for tanh (for sigmoid only a rough default, since its slope at 0 is 1/4), biases at
# zero, and normalisation layers (see
# [Normalisation layers](normalisation-layers.md)) or residual connections, which make
# deep networks much less sensitive to the exact scale.

# %% tags=["remove-cell"]
for act in ("tanh", "ReLU"):
    fwd, bwd = stats[act, "N(0, 0.01^2)"]
    assert fwd[-1] < 1e-20 * fwd[0] and bwd[0] < 1e-20 * bwd[-1], (act, fwd[-1], bwd[0])
fwd, bwd = stats["ReLU", "Xavier"]
assert 2.0**-17 < fwd[-1] / fwd[0] < 2.0**-13 and bwd[0] < 1e-3 * bwd[-1]
fwd, bwd = stats["ReLU", "He"]
assert 0.5 < fwd[-1] / fwd[0] < 2 and 0.5 < bwd[0] / bwd[-1] < 2
fwd, bwd = stats["tanh", "Xavier"]
assert 0.05 < fwd[-1] < fwd[9] < fwd[0] and fwd[-1] < 0.5 * fwd[0]
assert bwd[0] < 0.3 * bwd[-1]  # "several-fold"
fwd, bwd = stats["tanh", "He"]
assert 0.5 < fwd[-1] / fwd[0] < 1.5 and bwd[0] > 2 * bwd[-1]
