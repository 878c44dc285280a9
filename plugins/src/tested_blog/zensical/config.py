"""The configuration Zensical builds from: the author's mkdocs.yml, pointed at the staged
pages, with what Zensical cannot run taken out and done for it.

Read with MkDocs' own loader (``INHERIT`` merged, ``!ENV`` resolved), so the file means what
it means to MkDocs; ``!relative $config_dir`` becomes an absolute path. Zensical requires
the docs and site folders inside the folder of its configuration file, so that file is
written beside the staged pages (``.cache/zensical/mkdocs.yml``) and every other path in it
is made absolute. Then:

- the ``tested/`` plugins come out: the passes do their work;
- hooks: their ``on_config`` runs here, as MkDocs would run it, and what it changed
  (``site_author``, ``copyright``, ``extra``, the theme's options) is written into the
  configuration. A hook that handles any other event, or changes anything else, would be
  lost silently, so it is an error;
- the stylesheets and scripts the pre-build pass staged are added to ``extra_css`` and
  ``extra_javascript``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils.yaml import get_yaml_loader, yaml_load

from ..passes import BuildError, Staged

TESTED = "tested/"
# what a hook's on_config may change and the written configuration carries over (the
# theme's options too); a change to anything else is refused
CARRIED = ("site_name", "site_author", "site_description", "copyright", "extra")


def engine_config(config: MkDocsConfig, staged: Staged, site_dir: str) -> dict[str, Any]:
    """Zensical's configuration for ``config``'s site, built from ``staged``'s pages into
    ``site_dir`` (both relative to the folder the configuration is written to)."""
    root = Path(config.config_file_path).resolve().parent
    with open(config.config_file_path, "rb") as file:
        raw = _absolute(yaml_load(file, get_yaml_loader(config=config)))
    raw["docs_dir"] = staged.folder.name
    raw["site_dir"] = site_dir
    theme = raw.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str(root / theme["custom_dir"])
    plugins = raw.get("plugins") or {}
    if isinstance(plugins, list):  # MkDocs reads both forms
        plugins = {
            (next(iter(p)) if isinstance(p, dict) else p): (
                next(iter(p.values())) if isinstance(p, dict) else None
            )
            for p in plugins
        }
    plugins = {name: options for name, options in plugins.items() if not name.startswith(TESTED)}
    _absolute_handler_paths(plugins, root)
    raw["plugins"] = plugins
    changes = _hooks_config(config)
    theme_changes = changes.pop("theme", {})
    raw.update(changes)
    if theme_changes:
        theme = raw.get("theme") or {}
        theme = {"name": theme} if isinstance(theme, str) else theme  # `theme: material`
        raw["theme"] = {**theme, **theme_changes}
    raw.pop("hooks", None)
    for key, shipped in (("extra_css", staged.styles), ("extra_javascript", staged.scripts)):
        own = list(raw.get(key) or [])
        raw[key] = own + [s for s in shipped if s not in own]
    return raw


def write(config: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(text, encoding="utf-8")


def _absolute(value: Any) -> Any:
    """``value`` with each ``!relative`` placeholder as the absolute path it stands for."""
    if isinstance(value, dict):
        return {k: _absolute(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_absolute(v) for v in value]
    if isinstance(value, os.PathLike):
        return os.path.abspath(os.fspath(value))
    return value


def _absolute_handler_paths(plugins: dict[str, Any], root: Path) -> None:
    """mkdocstrings' handlers find the code they document on ``paths`` relative to
    mkdocs.yml's folder, which the written configuration no longer shares."""
    handlers = (plugins.get("mkdocstrings") or {}).get("handlers") or {}
    for options in handlers.values():
        if isinstance(options, dict) and isinstance(options.get("paths"), list):
            options["paths"] = [str(root / p) for p in options["paths"]]


def _hooks_config(config: MkDocsConfig) -> dict[str, Any]:
    """What the hooks' ``on_config`` changes, as it goes into Zensical's configuration;
    raises on a hook that handles another event, fails, or changes what cannot go there."""
    hooks: dict = config.hooks  # type: ignore[assignment]  # MkDocs makes it {path: module}
    for path, module in hooks.items():
        other = sorted(
            name
            for name in dir(module)
            if name.startswith("on_") and name != "on_config" and callable(getattr(module, name))
        )
        if other:
            raise BuildError(
                f"mkdocs.yml: the hook {path} handles {', '.join(other)}, which only MkDocs"
                " runs: Zensical would build the site without it (move that work into a"
                " plugin of tested_blog.passes, or build with MkDocs)"
            )
    changes: dict[str, Any] = {}
    for path, module in hooks.items():
        if not callable(getattr(module, "on_config", None)):
            continue
        before = {key: _plain_setting(key, value) for key, value in config.items()}
        folders = list(config.theme.dirs)
        try:
            config = module.on_config(config) or config
        except Exception as exc:  # the hook's own error, named as MkDocs would name it
            raise BuildError(f"mkdocs.yml: the hook {path} failed: {exc}") from None
        if list(config.theme.dirs) != folders:  # not one of the theme's options
            raise BuildError(
                f"mkdocs.yml: the hook {path} changes the theme's folders (theme.dirs), which"
                " the Zensical build cannot carry over: set custom_dir in mkdocs.yml instead"
            )
        for key, value in config.items():
            now = _plain_setting(key, value)
            if now == before.get(key):
                continue
            if key in CARRIED:
                changes[key] = now
            elif key == "theme":
                theme = changes.setdefault("theme", {})
                theme.update({k: v for k, v in now.items() if v != before[key].get(k)})
            else:
                raise BuildError(
                    f"mkdocs.yml: the hook {path} changes '{key}', which the Zensical build"
                    " cannot carry over: set it in mkdocs.yml instead"
                )
    return changes


def plain(value: Any) -> Any:
    """``value`` as YAML can write it: mappings (the theme among them) and lists of plain
    values; anything else by its representation, so that a change to it still shows."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


def _plain_setting(key: str, value: Any) -> Any:
    """``plain``, but the plugins by their options, which a hook may change in place."""
    if key == "plugins" and isinstance(value, Mapping):
        return {
            str(name): [type(plugin).__name__, plain(dict(getattr(plugin, "config", {}) or {}))]
            for name, plugin in value.items()
        }
    return plain(value)
