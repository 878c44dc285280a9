"""Build guards: a site that would publish something other than what its author wrote fails
the build, naming the file the author edits (the ``tested/guards`` plugin, ``plugin``)."""
