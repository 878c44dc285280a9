# ---
# date:
#   created: 2026-12-06
# slug: training-sanity-checks
# authors: [owner]
# categories: [Worked programs]
# tags: [debugging, training, neural networks, numpy]
# description: >-
#   Five checks to run before trusting a training run, on the numpy two-layer network:
#   the initial loss, overfitting a tiny batch, a gradient check, the update-to-weight
#   ratio and a learning-rate range test.
# ---

# %% [markdown]
# # Sanity checks before a long training run
#
# "Your network does not train. What do you check?" A good answer is a short list of
# cheap experiments, each with an expected result that a bug would break. This post runs
# five of them on the [two-layer network](two-layer-net-numpy.md) and the 8×8 digits,
# and, for most of them, what a failure looks like.
#
# <!-- more -->

# %%
import math

import matplotlib.pyplot as plt
import numpy as np
from _digits import standardised_split

from snippets.gradient_check import numerical_gradient, rel_error
from snippets.optim import SGD, Adam
from snippets.two_layer_net import TwoLayerNet, train

# the digits split of the other worked programs, standardised with training statistics
X_train, X_test, y_train, y_test = standardised_split()
C = 10  # classes

# %% [markdown]
# ## 1. The loss at initialisation
#
# Before any training, a classifier that knows nothing should give every class about
# the same probability, $1/C$, so its cross-entropy is $-\log(1/C) = \log C$. A loss
# far above that at step 0 means confident predictions from random weights: usually a
# last layer initialised too large, or a bug in the loss.

# %%
net = TwoLayerNet(64, 64, C, seed=0)  # He initialisation, no L2 penalty
loss_he = float(net.loss(X_train, y_train)[0])
net.params["W2"] *= 0.01  # the same network with a last layer 100 times smaller
loss_small = float(net.loss(X_train, y_train)[0])
print(f"log C = {math.log(C):.4f}")
print(f"initial loss, He-initialised last layer:        {loss_he:.4f}")
print(f"initial loss, last layer scaled down 100 times: {loss_small:.4f}")

# %% [markdown]
# With He initialisation the scores are spread out enough to make the initial loss
# about a fifth higher than $\log C$; shrinking the last layer brings it to $\log C$.
# A loss well above $\log C$ at step 0 means the first steps go into undoing
# overconfident guesses, and a loss far above it points to a bug.

# %% tags=["remove-cell"]
assert abs(loss_small - math.log(C)) < 1e-3 * math.log(C)
assert 1.1 * math.log(C) < loss_he < 1.3 * math.log(C)

# %% [markdown]
# ## 2. Overfit a tiny batch
#
# A network with 4,810 parameters must be able to memorise 20 examples. If it cannot
# reach a training loss near zero on them, no amount of data will help: the model, the
# loss or the update is broken.

# %%
tiny = TwoLayerNet(64, 64, C, seed=0)
history = train(tiny, X_train[:20], y_train[:20], Adam(lr=1e-2), epochs=100,
                batch_size=20, seed=0)
print(f"parameters: {sum(p.size for p in tiny.params.values())}")
print(f"after 100 steps on 20 examples: loss {history.loss[-1]:.1e}, "
      f"training accuracy {history.train_acc[-1]:.0%}")

# %% tags=["remove-cell"]
assert sum(p.size for p in tiny.params.values()) == 4810
assert history.loss[-1] < 1e-3 and history.train_acc[-1] == 1.0

# %% [markdown]
# ## 3. A gradient check
#
# Compare the backward pass with centred finite differences on a small network, in
# float64 (as the [two-layer network](two-layer-net-numpy.md) post does in detail). A
# relative error around $10^{-7}$ or below is agreement; a bug shows up as an error of
# order one:
#
# ```python
# --8<-- "snippets/gradient_check.py:rel_error"
# ```
#
# Here is the check on the real backward pass, and on one with a typical bug, a
# gradient of $W_1$ twice too large:

# %%
rng = np.random.default_rng(0)
X_small, y_small = rng.standard_normal((5, 8)), rng.integers(0, C, size=5)
small = TwoLayerNet(8, 6, C, seed=1, reg=0.1)
_, grads = small.loss(X_small, y_small)
numeric = numerical_gradient(lambda _: small.loss(X_small, y_small)[0], small.params["W1"])
error_ok = rel_error(numeric, grads["W1"])
error_bug = rel_error(numeric, 2 * grads["W1"])
print(f"W1, correct backward pass: relative error {error_ok:.1e}")
print(f"W1, gradient doubled:      relative error {error_bug:.2f}")

# %% tags=["remove-cell"]
assert error_ok < 1e-7 and abs(error_bug - 1 / 3) < 1e-6

# %% [markdown]
# (Doubling a gradient gives exactly $|g - 2g| / (|g| + |2g|) = 1/3$ in every entry.)
#
# ## 4. The update-to-weight ratio
#
# How big is one step compared with the weights it changes? The ratio
# $\lVert \eta\, \nabla W \rVert / \lVert W \rVert$ of the first layer, over 100 steps
# of SGD with batches of 64, for three learning rates:

# %%
def ratio_run(lr, steps=100):
    net = TwoLayerNet(64, 64, C, seed=0)
    rng = np.random.default_rng(0)
    ratios = []
    optimizer = SGD(lr=lr)
    for _ in range(steps):
        batch = rng.choice(len(y_train), 64, replace=False)
        loss, grads = net.loss(X_train[batch], y_train[batch])
        ratios.append(lr * np.linalg.norm(grads["W1"]) / np.linalg.norm(net.params["W1"]))
        optimizer.step(net.params, grads)
    with np.errstate(over="ignore", invalid="ignore"):
        accuracy = np.mean(net.predict(X_test) == y_test)
    return np.median(ratios), accuracy


ratio_runs = {lr: ratio_run(lr) for lr in (1e-3, 1e-1, 3.0)}
print(f"{'lr':>6}  {'median update/weight':>20}  test accuracy after 100 steps")
for lr, (ratio, accuracy) in ratio_runs.items():
    print(f"{lr:6.0e}  {ratio:20.1e}  {accuracy:.2f}")

# %% [markdown]
# The usual rule of thumb is a ratio around $10^{-3}$. Far below it the weights barely
# move (at $\eta = 10^{-3}$ the network is barely better than chance after 100 steps);
# near 1 every step rewrites the weights, and the network ends barely better than chance
# either. The ratio is cheap to log per layer, and it tells a learning rate that is too
# small from one that is too large.

# %% tags=["remove-cell"]
(low, acc_low), (good, acc_good), (high, acc_high) = ratio_runs.values()
assert low < 1e-3 < good < 1e-2 < 0.5 < high
assert acc_low < 0.3 and acc_good > 0.9 and acc_high < 0.3

# %% [markdown]
# ## 5. A learning-rate range test
#
# Instead of guessing $\eta$, train for up to 200 steps while raising it exponentially,
# from $10^{-4}$ to $10$, and record the loss: the range test of Smith (2017), in the
# exponential form fast.ai made popular. The loss falls slowly while $\eta$ is too
# small, fast in the useful range, and explodes once $\eta$ is too large; a common rule
# is a rate about ten times below the point of lowest loss.

# %%
rates = np.geomspace(1e-4, 10, 200)
net = TwoLayerNet(64, 64, C, seed=0)
rng = np.random.default_rng(0)
losses = []
for lr in rates:
    batch = rng.choice(len(y_train), 64, replace=False)
    with np.errstate(over="ignore", invalid="ignore"):
        loss, grads = net.loss(X_train[batch], y_train[batch])
    losses.append(float(loss))
    if not np.isfinite(loss) or loss > 4 * losses[0]:
        break  # diverged: the test is over
    SGD(lr=lr).step(net.params, grads)
tried = rates[: len(losses)]
smooth = np.convolve(losses, np.ones(5) / 5, mode="valid")  # mean of 5 steps
lowest = tried[np.argmin(smooth) + 2]  # the rate at the centre of the lowest window
chosen = lowest / 10
print(f"loss lowest at lr = {lowest:.2g}; diverged at lr = {tried[-1]:.2g}; "
      f"chosen lr = {chosen:.2g}")

check = TwoLayerNet(64, 64, C, seed=0)
train(check, X_train, y_train, SGD(lr=chosen), epochs=5, batch_size=64, seed=0)
chosen_accuracy = np.mean(check.predict(X_test) == y_test)
print(f"five epochs at the chosen rate: test accuracy {chosen_accuracy:.3f}")

# %%
fig, ax = plt.subplots(figsize=(8, 3.5))
ax.semilogx(tried, losses, lw=1, color="0.6", label="loss of each batch")
ax.semilogx(tried[2:-2], smooth, lw=2, label="mean of 5 batches")
ax.axvline(lowest, color="tab:red", ls="--", lw=1, label=f"lowest, lr = {lowest:.2g}")
ax.axvline(chosen, color="tab:green", ls="--", lw=1, label=f"chosen, lr = {chosen:.2g}")
ax.set_xlabel("learning rate (raised at every step)")
ax.set_ylabel("training loss")
ax.set_ylim(0, 1.5 * losses[0])
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# The rate the test picks trains the network to over 90% test accuracy in five epochs,
# close to the 0.1 the [two-layer network](two-layer-net-numpy.md) post uses. The test
# costs one short run, and it finds the rate's order of magnitude, which is what
# matters most.
#
# **The list, for an interview.** Check the initial loss against $\log C$; overfit a
# tiny batch; gradient-check the backward pass on a small model; watch the
# update-to-weight ratio per layer; find the learning rate with a range test. Then look
# at the data itself (labels, scaling, a few examples), which none of these checks
# covers, and start the long run.

# %% tags=["remove-cell"]
assert 0.5 < lowest < 5 and lowest < tried[-1] < 10, (lowest, tried[-1])
assert smooth[0] > 2 * smooth.min()  # the loss did fall before it rose
assert chosen_accuracy > 0.9 and 0.05 < chosen < 0.5  # "close to the 0.1"
