"""plugins/README.md, "Configure": its `plugins:` block lists every option of every plugin
with its default, as the plugins' Config classes define them (found by a new author: the
block showed a repository URL that is no default)."""

from __future__ import annotations

import re
from importlib.metadata import entry_points

import pytest
import yaml
from conftest import ROOT

README = (ROOT / "plugins" / "README.md").read_text(encoding="utf-8")


class _AnyTags(yaml.SafeLoader):
    """YAML as mkdocs.yml writes it: a tag such as ``!relative`` read as plain YAML."""


_AnyTags.add_multi_constructor("!", lambda loader, suffix, node: None)


def configured() -> dict[str, dict]:
    """The options the README's Configure block gives each tested/ plugin."""
    section = README.split("## Configure", 1)[1]
    block = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert block, "no yaml block under Configure"
    found = {}
    for entry in yaml.load(block.group(1), Loader=_AnyTags)["plugins"]:
        if isinstance(entry, dict):
            ((name, options),) = entry.items()
            if name.startswith("tested/"):
                found[name] = options or {}
    return found


PLUGINS = {
    ep.name: ep for ep in entry_points(group="mkdocs.plugins") if ep.name.startswith("tested/")
}


@pytest.mark.parametrize("name", sorted(PLUGINS))
def test_the_readme_shows_every_option_with_its_default(name):
    shown = configured()
    assert name in shown, f"{name} is not in the README's Configure block"
    plugin = PLUGINS[name].load()()
    errors, _ = plugin.load_config({})
    assert not errors, errors
    defaults = dict(plugin.config)
    assert set(shown[name]) == set(defaults), (name, set(shown[name]) ^ set(defaults))
    for option, value in shown[name].items():
        assert value == defaults[option], (
            f"{name}: {option}: README {value!r}, default {defaults[option]!r}"
        )
