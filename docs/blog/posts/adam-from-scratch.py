# ---
# date:
#   created: 2026-11-20
# slug: adam-from-scratch
# authors: [owner]
# categories: [Worked programs]
# tags: [optimisation, Adam, numpy]
# description: >-
#   Adam written in numpy, run on f(x) = x² − 1 from a random start, then raced
#   against SGD, Momentum and RMSProp on the Rosenbrock valley. Executed at build time.
# ---

# %% [markdown]
# # Adam from scratch
#
# Adam keeps two running averages per parameter: one of the gradient (like Momentum)
# and one of the squared gradient (like RMSProp). It divides the first by the square
# root of the second, after correcting both for starting at zero. This post runs the
# tested implementation from the `snippets` package on a one-dimensional bowl and then
# on the Rosenbrock valley, next to SGD, Momentum and RMSProp. Every number and figure
# below was produced when the site was built.
#
# <!-- more -->
#
# ## The update
#
# With gradient $g_t$ at step $t$, decay rates $\beta_1, \beta_2$ and step size $\eta$:
#
# $$
# \begin{aligned}
# m_t &= \beta_1 m_{t-1} + (1-\beta_1)\, g_t, &
# v_t &= \beta_2 v_{t-1} + (1-\beta_2)\, g_t^2, \\
# \hat m_t &= \frac{m_t}{1-\beta_1^t}, &
# \hat v_t &= \frac{v_t}{1-\beta_2^t}, \\
# \theta_t &= \theta_{t-1} - \eta\, \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}.
# \end{aligned}
# $$
#
# Because $m_0 = v_0 = 0$, the raw averages are biased towards zero for the first few
# steps; dividing by $1-\beta^t$ removes exactly that bias (for a constant gradient,
# $\hat m_t = g$ at every $t$). The ratio $\hat m_t / \sqrt{\hat v_t}$ is roughly the
# *sign* of a consistent gradient, so early steps have length about $\eta$ whatever
# the scale of the loss.
#
# In code, one step for one parameter array `p` with gradient `g` is the equations line
# by line (`snippets/optim.py`; the `Adam` class checks its arguments once, keeps `m`, `v`
# and `t` per parameter, and calls this function):
#
# ```python
# --8<-- "snippets/optim.py:adam_step"
# ```
#
# **AMSGrad** (Reddi et al., 2018) is a variant with one changed line: it divides by the
# largest $v$ seen so far, so a coordinate's step can never grow because its recent
# gradients got smaller (`Adam(amsgrad=True)`):
#
# ```python
# --8<-- "snippets/optim.py:amsgrad_step"
# ```
#
# and the loop that drives any optimiser until the gradient is small:
#
# ```python
# --8<-- "snippets/optim.py:minimize"
# ```

# %% [markdown]
# ## Minimising $f(x) = x^2 - 1$
#
# The minimum is at $x = 0$ with $f(0) = -1$, and $f'(x) = 2x$. Start from a random
# point (seeded, so this page is the same on every build) and give Adam a deliberately
# small budget first: `converged` reports whether the gradient really fell below `tol`,
# not merely that the loop ended.

# %%
import numpy as np
import matplotlib.pyplot as plt

from snippets.optim import SGD, Adam, Momentum, RMSProp, minimize


def f(x):
    return x**2 - 1


def grad_f(x):
    return 2 * x


rng = np.random.default_rng(seed=3)
x0 = rng.uniform(-3.0, 3.0)
print(f"start x0 = {x0:.4f}, f(x0) = {f(x0):.4f}")

short = minimize(grad_f, x0, Adam(lr=0.1), max_iter=25, tol=1e-6)
print(f"25 steps:  x = {short.x[0]:+.6f}  converged = {short.converged}  "
      f"|f'(x)| = {short.grad_norm:.2e}")

full = minimize(grad_f, x0, Adam(lr=0.1), max_iter=5000, tol=1e-6)
print(f"full run:  x = {full.x[0]:+.2e}  converged = {full.converged}  "
      f"after {full.n_iter} steps, f(x) = {f(full.x[0]):.12f}")

# %% [markdown]
# The first iterates and the last few: the steps start at about $\eta = 0.1$ in
# length (the sign-like behaviour above), overshoot zero because the momentum term
# still points the old way, and shrink as the averaged gradient dies out.

# %%
xs = full.trajectory[:, 0]
for t in [*range(6), None, *range(len(xs) - 3, len(xs))]:
    print("   ..." if t is None else f"{t:5d}  x = {xs[t]:+.8f}")

# %%
fig, ax = plt.subplots(figsize=(7, 3))
ax.plot(np.arange(len(xs)), xs, lw=1.5)
ax.axhline(0.0, color="grey", lw=0.8, ls="--")
ax.set_xlabel("step t")
ax.set_ylabel("$x_t$")
ax.set_title(f"Adam (lr = 0.1) on $x^2 - 1$: "
             f"converged after {full.n_iter} steps")
plt.show()

# %% [markdown]
# ## A race on the Rosenbrock valley
#
# $f(x, y) = (1-x)^2 + 100\,(y - x^2)^2$ has its minimum at $(1, 1)$ at the bottom of a
# long, curved, flat-floored valley: the walls are steep (gradients in the hundreds)
# while the floor barely slopes. A single learning rate that is stable across the
# walls is tiny along the floor, which is exactly where the methods differ. All four
# start at $(-1.5, 2)$ with 3000 steps and a learning rate that is roughly the largest
# stable one for that method.

# %%
def rosenbrock(p):
    x, y = p
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def grad_rosenbrock(p):
    x, y = p
    return np.array([-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)])


start = np.array([-1.5, 2.0])
optimisers = {
    "SGD (lr=1e-3)": SGD(lr=1e-3),
    "Momentum (lr=2e-4, 0.9)": Momentum(lr=2e-4, momentum=0.9),
    "RMSProp (lr=1e-2)": RMSProp(lr=1e-2),
    "Adam (lr=0.1)": Adam(lr=0.1),
}
runs = {name: minimize(grad_rosenbrock, start, opt, max_iter=3000, tol=1e-6)
        for name, opt in optimisers.items()}

print(f"{'method':<24} {'steps':>5}  converged  "
      f"{'final (x, y)':>18}  {'f':>9}")
for name, r in runs.items():
    print(f"{name:<24} {r.n_iter:5d}  {str(r.converged):<9}  "
          f"({r.x[0]:6.3f}, {r.x[1]:6.3f})  {rosenbrock(r.x):9.2e}")

# %%
X, Y = np.meshgrid(np.linspace(-2, 2, 300), np.linspace(-1, 3, 300))
Z = rosenbrock((X, Y))

fig, axes = plt.subplots(2, 2, figsize=(10, 8.5), sharex=True, sharey=True)
for ax, (name, r) in zip(axes.flat, runs.items()):
    # Aliased contour lines: as crisp at retina size, and a fifth of the PNG bytes.
    ax.contour(X, Y, Z, levels=np.logspace(-1, 3.5, 12),
               colors="0.7", linewidths=0.6, antialiased=False)
    path = r.trajectory
    ax.plot(path[:, 0], path[:, 1], lw=1, color="tab:blue")
    # A dot every 100 steps shows the speed along the path, not just its shape.
    ax.plot(path[::100, 0], path[::100, 1], "o", ms=3, color="tab:blue")
    ax.plot(*start, "ko", ms=6)
    ax.plot(1, 1, "r*", ms=14)
    ax.set_title(f"{name}: {r.n_iter} steps, converged = {r.converged}",
                 fontsize=10)
for ax in axes[1]:
    ax.set_xlabel("x")
for ax in axes[:, 0]:
    ax.set_ylabel("y")
fig.suptitle("Paths from (-1.5, 2) (black); minimum at (1, 1) (red star); "
             "a dot every 100 steps")
fig.tight_layout()
plt.show()

# %%
fig, ax = plt.subplots(figsize=(8, 3.5))
for name, r in runs.items():
    ax.semilogy([rosenbrock(p) for p in r.trajectory], lw=1.2, label=name)
ax.set_xlabel("step")
ax.set_ylabel("f(x, y), log scale")
ax.set_title("Loss per step")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# What the pictures show:
#
# - **SGD** drops off the steep wall in a few steps, then crawls: with a step size
#   small enough for the walls, the gentle slope of the floor moves it very little,
#   and after 3000 steps it is still well short of the minimum.
# - **Momentum** turns the small but consistent slope of the floor into speed (its dots
#   are further apart) and ends much closer, still moving.
# - **RMSProp** divides each coordinate's step by the size of its recent gradients, so
#   it runs along the floor quickly at first. But with a constant rate and no averaging
#   of the direction, every step stays about `lr` long: on the floor it bounces from
#   wall to wall (the saw-tooth in the loss), and it stalls a few hundredths short of
#   the minimum.
# - **Adam** has both ingredients: the rescaling gives it speed on the floor and the
#   averaged direction damps the bouncing, so its loss keeps falling and its gradient
#   really reaches `tol` (that, and nothing else, is what `converged = True` says).
#
# The learning rates matter as much as the method names in a race like this; what
# survives any reasonable choice is the shape of each path.
