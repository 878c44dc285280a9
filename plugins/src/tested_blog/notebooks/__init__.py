"""Notebook posts: notebooks executed at build time and published as blog posts.

The pipeline, one module per step, none of which needs MkDocs to be running:

* ``posts``: find a folder's notebook posts, read them, validate their front matter;
* ``execute``: run them in fresh kernels, a bounded number at a time (nbclient);
* ``tracker``: runs inside each kernel and records what the notebook depended on;
* ``cache``: keys, the dependencies of a run, and entries that are a miss when unusable;
* ``render``: an executed notebook as a Markdown post with its figures as files;
* ``pipeline``: the steps put together; ``python -m tested_blog.notebooks`` runs it alone.

``plugin`` adapts it to MkDocs (the ``tested/notebooks`` plugin).
"""
