"""The mutants of a section, and the source of one.

Positions come from each operator in a fixed order over the file's whole parse tree, as
cosmic-ray counts them (its ``occurrence``), so a mutant is named by (operator,
occurrence) and made again from the file's text alone; only those that start on a line of
the section are kept.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from cosmic_ray.ast import ast_nodes, get_ast
from cosmic_ray.mutating import mutate_code

from tested_blog.mutants.operators import by_name, operators
from tested_blog.text import lines

# Where an operator token is no operator: ``*``/``**`` in a signature (keyword-only
# marker, ``*args``, ``**kwargs``), which cosmic-ray's binary-operator replacement would
# turn into ``/`` (a positional-only marker): a change of the signature, not of a result.
_SIGNATURE = frozenset({"parameters", "param", "lambdef", "varargslist"})


def _in_signature(node) -> bool:
    return node.type == "operator" and getattr(node.parent, "type", None) in _SIGNATURE


@dataclass(frozen=True)
class Mutant:
    """One change to a file: the ``occurrence``-th position of ``operator`` in it."""

    operator: str  # short name (operators.short_name)
    occurrence: int
    line: int  # 1-based line of the file where the changed code starts


def mutants(text: str, start: int, end: int) -> list[Mutant]:
    """The mutants of the Python source ``text`` that change a line strictly between lines
    ``start`` and ``end`` (a section's markers), ordered by line."""
    nodes = list(ast_nodes(get_ast(text)))
    found = []
    for name, operator in operators():
        occurrence = 0
        for node in nodes:
            for (line, _column), _end in operator.mutation_positions(node):
                if start < line < end and not _in_signature(node):
                    found.append(Mutant(name, occurrence, line))
                occurrence += 1
    return sorted(found, key=lambda m: (m.line, m.operator, m.occurrence))


def mutated(text: str, mutant: Mutant) -> str:
    """``text`` with ``mutant``'s change made."""
    code = mutate_code(text, by_name(mutant.operator), mutant.occurrence)
    if code is None:
        raise ValueError(f"{mutant} is not a position of {mutant.operator} in this text")
    return code


def change(text: str, mutant: Mutant) -> tuple[str, str]:
    """The changed line as written and as the mutant has it (each stripped; a change that
    spans lines gives its first differing line of each side)."""
    before, after = lines(text), lines(mutated(text, mutant))
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag != "equal":
            old = before[a0] if a0 < a1 else ""
            new = after[b0] if b0 < b1 else ""
            return old.strip(), new.strip()
    return before[mutant.line - 1].strip(), before[mutant.line - 1].strip()
