"""Keep third-party chatter off the build's stderr, so real warnings stand out.

jieba (used by Material's search plugin to split Chinese text into words) logs four DEBUG
lines ("Building prefix dict ...") to its own stderr handler on every build; it sets its
logger to DEBUG when imported, so the level is set here, after the import.
"""

from __future__ import annotations

import logging

from mkdocs.config.defaults import MkDocsConfig


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    try:
        import jieba
    except ImportError:  # the search plugin then does without it
        return config
    jieba.setLogLevel(logging.WARNING)
    return config
