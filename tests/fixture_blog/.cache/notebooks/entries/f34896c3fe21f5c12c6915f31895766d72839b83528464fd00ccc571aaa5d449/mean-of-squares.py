# %% [markdown]
# **Running this notebook.** It was executed when the site was built, and its outputs are
# the ones on the page. Its code imports `snippets`, the site's tested numpy package;
# install it first, in a terminal or in a notebook cell with `%pip`:
#
# ```bash
# python -m pip install recipes
# ```
#
# Then run all cells (*Run → Run All Cells*). The `.py` download of this post is the same
# notebook as a script: open it in Jupyter with jupytext, or run it with `python`.

# %% [markdown]
# # The mean of the first squares
#
# The running mean of $k^2$ for $k = 1, \dots, 10$.
#
# <!-- more -->

# %%
from recipes.mean import running_mean

print("mean of squares:", running_mean(k * k for k in range(1, 11)))
