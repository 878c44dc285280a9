# ---
# date:
#   created: 2026-11-24
# slug: softmax-regression
# authors: [owner]
# categories: [Worked programs]
# tags: [softmax, logistic regression, maximum likelihood, numpy]
# description: >-
#   Multinomial logistic regression fitted by gradient ascent on the log-likelihood,
#   with the last class's weights pinned at zero; trained on the 8×8 digits and
#   compared with scikit-learn.
# ---

# %% [markdown]
# # Softmax regression by gradient ascent
#
# Softmax regression is the multi-class version of logistic regression: one weight
# vector per class, a linear score for each, and softmax to turn the scores into
# probabilities. Here it is fitted the plain way, by walking uphill on the
# log-likelihood, with one class's weights fixed at zero. We look at why that pinning
# costs nothing for the likelihood alone and what it changes once an L2 penalty is
# added, train on the handwritten digits, look at what the weights learned, and check
# the accuracy against scikit-learn's solver on the same split.
#
# <!-- more -->
#
# ## The model and its probabilities
#
# With weights $W \in \mathbb{R}^{C\times D}$ (row $w_c$ scores class $c$) and an input
# $x \in \mathbb{R}^D$ (with a constant 1 appended, so the last column of $W$ acts as
# the bias):
#
# $$
# P(y = c \mid x) = \frac{e^{w_c^\top x}}{\sum_{k=1}^{C} e^{w_k^\top x}}.
# $$
#
# The exponentials overflow for logits around 710 in float64. Subtracting the largest
# logit of each row first changes nothing (it multiplies numerator and denominator by
# the same factor) and makes the largest exponential exactly 1. The code works with
# $\log P$ (log-sum-exp), because the log-likelihood needs it and the log of a probability
# that has underflowed to 0 would be $-\infty$; the probabilities are its exponential:
#
# ```python
# --8<-- "snippets/softmax_regression.py:log_softmax"
# ```
#
# ```python
# --8<-- "snippets/softmax_regression.py:softmax_probs"
# ```
#
# ## Why one row can be pinned at zero
#
# Add the same vector $u$ to every row of $W$. Every logit of $x$ grows by the same
# number $u^\top x$, and
#
# $$
# \frac{e^{(w_c + u)^\top x}}{\sum_k e^{(w_k + u)^\top x}}
# = \frac{e^{u^\top x}\, e^{w_c^\top x}}{e^{u^\top x} \sum_k e^{w_k^\top x}}
# = P(y = c \mid x).
# $$
#
# So $W$ and $W + \mathbf{1}u^\top$ describe the same model: the parameters are only
# determined up to that shift, and the likelihood is flat along it. Choosing
# $u = -w_C$ turns any $W$ into an equivalent one whose last row is zero, so
# for the likelihood alone, restricting the search to "last row $= 0$" loses no model
# at all, and it removes the flat direction (with $C = 2$ this is exactly ordinary
# logistic regression: one free weight vector). Every other row then reads as a
# comparison with class $C$: $\log \frac{P(c\mid x)}{P(C\mid x)} = w_c^\top x$.
#
# **With a penalty the argument no longer holds.** `fit` maximises the likelihood
# *minus* $\frac{\lambda}{2}\lVert W\rVert^2$ (`reg` $= \lambda = 10^{-3}$ by default, see
# below), and the penalty is not shift-invariant: of all the equivalent $W + \mathbf{1}u^\top$
# it is smallest for the one whose rows sum to zero, not for the one whose last row is
# zero. So the pinned, penalised fit is a slightly different model from the unpinned,
# penalised one: the penalty pulls every class towards class $C$ instead of towards
# the average class. The training section below measures how much that changes.
#
# ## The gradient
#
# The mean log-likelihood of $N$ samples with one-hot labels $Y \in \{0,1\}^{N\times C}$
# and probabilities $P$ is
#
# $$
# \ell(W) = \frac1N \sum_{n} \log P_{n, y_n},
# \qquad
# \nabla_W \ell = \frac1N (Y - P)^\top X,
# $$
#
# observed minus expected class indicators, weighted by the inputs. Averaging instead of
# summing keeps a good step size independent of $N$. The pinned row's gradient is
# simply set to zero, so it never moves:
#
# ```python
# --8<-- "snippets/softmax_regression.py:log_likelihood_gradient"
# ```
#
# Computed from `log_softmax`, the log-likelihood never takes the log of an underflowed 0:
#
# ```python
# --8<-- "snippets/softmax_regression.py:mean_log_likelihood"
# ```
#
# `fit` repeats $W \leftarrow W + \eta\, (\nabla_W \ell - \lambda W)$ (ascent, since we
# maximise), with the small L2 penalty so that nearly separable data such as the digits
# still have a finite maximum, and stops when the largest gradient entry falls below
# `tol`. The bias is the last column of $W$, so the penalty applies to it too:
#
# ```python
# --8<-- "snippets/softmax_regression.py:fit"
# ```
#
# Predictions only need the largest logit, because softmax preserves order:
#
# ```python
# --8<-- "snippets/softmax_regression.py:predict"
# ```
#
# ```python
# --8<-- "snippets/softmax_regression.py:accuracy"
# ```

# %% [markdown]
# ## A numerical check of the shift invariance
#
# Before training, confirm the argument above on random data: shifting every row by the
# same random vector leaves the probabilities unchanged to rounding error.

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from snippets.softmax_regression import accuracy, add_intercept, fit, predict, softmax_probs

rng = np.random.default_rng(0)
X_demo = rng.standard_normal((5, 4))
W_demo = rng.standard_normal((3, 4))
u = rng.standard_normal(4)
P_shifted = softmax_probs(X_demo, W_demo + u)  # u added to every row
shift = np.abs(P_shifted - softmax_probs(X_demo, W_demo)).max()
print(f"largest change in any probability after the shift: {shift:.0e}")
print(f"exp overflows float64 above {np.log(np.finfo(np.float64).max):.2f}")

# %% [markdown]
# ## Training on the digits
#
# A stratified 75/25 split (the same test images as in the
# [two-layer network](two-layer-net-numpy.md) post), features standardised with
# statistics of the training rows only, and a column of ones appended for the bias.

# %%
digits = load_digits()
X_train, X_test, y_train, y_test = train_test_split(
    digits.data, digits.target, test_size=0.25, stratify=digits.target,
    random_state=0)
scaler = StandardScaler().fit(X_train)
A_train = add_intercept(scaler.transform(X_train))
A_test = add_intercept(scaler.transform(X_test))

result = fit(A_train, y_train, num_classes=10)
W = result.W
print(f"{result.n_iter} gradient steps, converged = {result.converged}")
print(f"largest entry of the last row of W: {np.abs(W[-1]).max()}")
print(f"train accuracy {accuracy(A_train, y_train, result):.4f}")
print(f"test accuracy  {accuracy(A_test, y_test, result):.4f}")

# %% [markdown]
# How much does pinning cost once the penalty is on? Compare the pinned fit with the
# same ascent with every row free (the gradient of the penalised objective, no row set
# to zero). Stopped where `fit` stops by default, both solutions are still moving, so
# both run to a tolerance a thousand times tighter, and ten times tighter again to
# show that the answer no longer moves.
#
# The free ascent never leaves the rows-sum-to-zero solution the penalty prefers: it
# starts at $W = 0$, every row of $Y - P$ sums to zero, so each gradient's columns
# $(Y - P)^\top X$ sum to zero across classes, and so does $-\lambda W$.

# %%
reg, lr = 1e-3, 2.0  # fit's defaults
Y_train = np.eye(10)[y_train]


def fit_free(tol):
    W_free = np.zeros_like(W)
    for step in range(100_000):
        grad = (Y_train - softmax_probs(A_train, W_free)).T @ A_train / len(y_train)
        grad -= reg * W_free
        if np.abs(grad).max() < tol:
            return W_free, step
        W_free += lr * grad
    raise RuntimeError(f"no convergence to {tol}")


print(f"{'tolerance':>9}  {'steps (pinned, free)':>20}  {'predictions differ':>18}  "
      "test accuracy (pinned, free)")
differ = {}
for tol in (1e-3, 1e-6, 1e-7):
    pinned = fit(A_train, y_train, num_classes=10, tol=tol, max_iter=100_000)
    W_free, steps = fit_free(tol)
    differ[tol] = int(np.sum(predict(A_test, pinned) != predict(A_test, W_free)))
    print(f"{tol:9.0e}  {pinned.n_iter:9d} {steps:10d}  "
          f"{differ[tol]:4d} of {len(y_test)} ({differ[tol] / len(y_test):.1%})  "
          f"{accuracy(A_test, y_test, pinned):.4f} {accuracy(A_test, y_test, W_free):.4f}")
print(f"largest column sum of the free W: {np.abs(W_free.sum(axis=0)).max():.0e}")

# %% [markdown]
# Fully converged, the two penalised models disagree on a handful of test images, and
# one more digit of tolerance changes nothing: that handful is what the pinning costs.
# At the default tolerance, where both fits are still moving, the difference looks
# larger than it is.

# %%
fig, ax = plt.subplots(figsize=(7, 3))
ax.plot(result.log_likelihood)
ax.set_xlabel("gradient step")
ax.set_ylabel("mean log-likelihood")
ax.set_title("Mean log-likelihood of the training set during the ascent")
plt.show()
rises = np.diff(result.log_likelihood)
print(f"smallest rise from one step to the next {rises.min():.1e}, "
      f"final value {result.log_likelihood[-1]:.4f}")

# %% [markdown]
# ## What the weights look like
#
# Each row of $W$ (without the bias column) has one weight per pixel, so it can be shown
# as an 8×8 image: red pixels push towards the class, blue ones against it. Because of
# the pinning, every image is a score *relative to the digit 9*, and the last image is
# blank by construction. Subtracting the mean row (a shift, so the same model) gives the
# more symmetric picture in the second row, where each digit is compared with the
# average class instead.

# %%
pixels = W[:, :64]
centred = pixels - pixels.mean(axis=0)
fig, axes = plt.subplots(2, 10, figsize=(12, 2.9))
rows = [(pixels, "pinned"), (centred, "centred")]
for row, (weights, label) in enumerate(rows):
    limit = np.abs(weights).max()
    for c in range(10):
        ax = axes[row, c]
        ax.imshow(weights[c].reshape(8, 8), cmap="RdBu_r",
                  vmin=-limit, vmax=limit)
        ax.set_xticks([])
        ax.set_yticks([])
        if row == 0:
            ax.set_title(str(c))
    axes[row, 0].set_ylabel(label)
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Beside scikit-learn
#
# `LogisticRegression` fits the same multinomial model with an L2 penalty, but not
# the same objective: it uses a quasi-Newton solver (L-BFGS), it pins no row, its
# penalty strength is set by `C = 1` (it minimises $\frac12\lVert w\rVert^2 + C \sum_n
# \text{loss}_n$, which is $\lambda = 1/(CN)$ in `fit`'s terms, printed below), and it
# fits a separate intercept that it does **not** penalise, while `fit` penalises the
# bias column like every other weight. On the same split:

# %%
Z_train, Z_test = scaler.transform(X_train), scaler.transform(X_test)
reference = LogisticRegression(max_iter=5000).fit(Z_train, y_train)
ours = accuracy(A_test, y_test, W)
theirs = reference.score(Z_test, y_test)
agree = np.mean(predict(A_test, W) == reference.predict(Z_test))
print(f"test accuracy, gradient ascent (ours): {ours:.4f}")
print(f"test accuracy, sklearn LogisticRegression: {theirs:.4f}")
print(f"the two agree on {agree:.1%} of the test images")
print(f"sklearn's C = 1 is lambda = 1 / (C N) = {1 / len(y_train):.1e} in fit's terms "
      f"(fit uses {reg:.0e})")

# %% [markdown]
# The accuracies are within two points of each other: both
# are linear models of the same form, and the small difference comes from the
# different penalties (strength, pinned row, penalised bias) and from where each solver
# stopped. A linear classifier on standardised pixels already gets most digits right
# (above 95% here); the
# [two-layer network](two-layer-net-numpy.md) adds a hidden layer on top of the same data.

# %% tags=["remove-cell"]
# The claims of this page.
assert result.converged and not W[-1].any()
assert 0 < differ[1e-6] == differ[1e-7] < differ[1e-3] < 0.05 * len(y_test), differ
assert abs(ours - theirs) <= 0.02 and ours > 0.95, (ours, theirs)
assert rises.min() > 0 and shift < 1e-15

