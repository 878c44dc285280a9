"""The mutation operators: what one mutant changes.

cosmic-ray's operators make the changes (its ``Operator`` classes find the positions in a
parso tree and rewrite one), chosen so that each position gives few mutants that a wrong
program could plausibly contain: the natural counterpart of an operator (``+``/``-``,
``*``/``/``, ``**`` -> ``*``, ``<``/``<=``, ``==``/``!=``, ``is``/``is not``), a number
one up and one down, ``True``/``False``, ``and``/``or``, a negated condition, a loop over
nothing, ``break``/``continue``. cosmic-ray has no operator for augmented assignments, so
``AugmentedAssignment`` adds one (``+=``/``-=``, ``*=``/``/=``) in cosmic-ray's terms.
"""

from __future__ import annotations

from cosmic_ray.operators.operator import Example, Operator
from cosmic_ray.plugins import get_operator

from tested_blog.mutants.key import COSMIC_RAY, OWN

_AUGMENTED = {"+=": "-=", "-=": "+=", "*=": "/=", "/=": "*="}


class AugmentedAssignment(Operator):
    """``x += y`` becomes ``x -= y`` (and back), ``x *= y`` becomes ``x /= y`` (and back)."""

    def mutation_positions(self, node):
        if node.type == "operator" and node.value in _AUGMENTED and node.parent.type == "expr_stmt":
            yield (node.start_pos, node.end_pos)

    def mutate(self, node, index):
        node.value = _AUGMENTED[node.value]
        return node

    @classmethod
    def examples(cls):
        return (Example("x += 1", "x -= 1"), Example("x *= y", "x /= y"))


_OWN_CLASSES = {"AugmentedAssignment": AugmentedAssignment}
assert tuple(_OWN_CLASSES) == OWN


def short_name(name: str) -> str:
    """How messages and equivalence marks name an operator: cosmic-ray's name without its
    ``core/`` prefix (``ReplaceBinaryOperator_Pow_Mul``), or this module's own."""
    return name.removeprefix("core/")


def operators() -> list[tuple[str, Operator]]:
    """Every operator used, as (short name, instance), in a fixed order."""
    chosen = [(short_name(name), get_operator(name)()) for name in COSMIC_RAY]
    return chosen + [(name, cls()) for name, cls in _OWN_CLASSES.items()]


def by_name(name: str) -> Operator:
    """A fresh instance of the operator called ``name`` (its short name)."""
    if name in _OWN_CLASSES:
        return _OWN_CLASSES[name]()
    return get_operator("core/" + name)()
