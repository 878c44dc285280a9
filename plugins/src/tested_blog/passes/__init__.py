"""The plugins' work as two passes around any engine that renders Markdown to a site.

- ``prebuild``: on a staged copy of docs/, before the engine reads it: the sources checked,
  the notebook posts executed (or taken from the cache) and written as Markdown posts with
  their figures and downloads, every page's embeds checked and given their tested-by
  lines, the plugins' stylesheets and scripts added;
- ``postbuild``: on the site the engine wrote: every formula typeset, the search index's
  formulas read as text, a Content Security Policy in every page, and proof that each
  staged page was published with all the pre-build pass gave it.

``python -m tested_blog.zensical`` runs them around Zensical. The options are the plugins'
own, read from mkdocs.yml and checked by the same ``Config`` classes.
"""

from __future__ import annotations

from .postbuild import finish
from .prebuild import BuildError, Staged, StagedPage, stage

__all__ = ["BuildError", "Staged", "StagedPage", "finish", "stage"]
