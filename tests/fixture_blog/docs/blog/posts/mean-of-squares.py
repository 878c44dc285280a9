# ---
# date: 2026-03-02
# slug: mean-of-squares
# authors:
#   - cook
# categories:
#   - Recipes
# ---

# %% [markdown]
# # The mean of the first squares
#
# The running mean of $k^2$ for $k = 1, \dots, 10$.
#
# <!-- more -->

# %%
from recipes.mean import running_mean

print("mean of squares:", running_mean(k * k for k in range(1, 11)))
