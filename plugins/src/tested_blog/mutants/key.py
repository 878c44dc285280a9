"""What a section's mutation result depends on, and whether the record's is current.

Kept apart from the operators and the runner (which import cosmic-ray and pytest), so that
a site build can judge a record without them.
"""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import version

_BINARY = "core/ReplaceBinaryOperator_"
_COMPARE = "core/ReplaceComparisonOperator_"

# cosmic-ray's registry names of the operators used, one line per kind of change
COSMIC_RAY = (
    *(_BINARY + pair for pair in ("Add_Sub", "Sub_Add", "Mul_Div", "Div_Mul", "Pow_Mul")),
    *(_BINARY + pair for pair in ("FloorDiv_Div", "Mod_FloorDiv")),
    *(_COMPARE + pair for pair in ("Lt_LtE", "LtE_Lt", "Gt_GtE", "GtE_Gt")),
    *(_COMPARE + pair for pair in ("Eq_NotEq", "NotEq_Eq", "Is_IsNot", "IsNot_Is")),
    "core/ReplaceUnaryOperator_USub_UAdd",
    "core/NumberReplacer",
    "core/ReplaceTrueWithFalse",
    "core/ReplaceFalseWithTrue",
    "core/ReplaceAndWithOr",
    "core/ReplaceOrWithAnd",
    "core/AddNot",
    "core/ZeroIterationForLoop",
    "core/ReplaceBreakWithContinue",
    "core/ReplaceContinueWithBreak",
)

# the operators tested_blog adds (mutants/operators.py)
OWN = ("AugmentedAssignment",)
# how mutants are chosen and judged beyond the operators: changed when that changes
RULES = "2026-12-07: no signature tokens; caught = failed, crashed or timed out"


def fingerprint() -> str:
    """Digest of the operator set and cosmic-ray's version: a result computed with other
    operators is not the same result."""
    text = "\n".join([version("cosmic-ray"), RULES, *COSMIC_RAY, *OWN])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def operator_names() -> frozenset[str]:
    """Every operator's short name, as messages and equivalence marks write it."""
    return frozenset(name.removeprefix("core/") for name in COSMIC_RAY) | frozenset(OWN)


def mutation_key(entry: dict) -> str:
    """Digest of everything a section's mutation result depends on: its text, every file
    its tests ran, the ids of those tests, the operators."""
    data = {
        "sha256": entry.get("sha256"),
        "inputs": entry.get("inputs"),
        "tests": sorted(entry.get("covered_by", [])),
        "operators": fingerprint(),
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode("utf-8")).hexdigest()


def wanted(entry: dict) -> bool:
    """Whether a section's entry is one whose mutants are run: its tests passed and ran
    every line of it (the build refuses the others anyway)."""
    return bool(entry.get("passed")) and not entry.get("failed") and not entry.get("untested")


def current(entry: dict) -> bool:
    """Whether the entry's mutation result is the one for the section as recorded (a run
    that could not be made is tried again)."""
    result = entry.get("mutants")
    return (
        isinstance(result, dict)
        and "error" not in result
        and result.get("key") == mutation_key(entry)
    )


def carry(previous: dict | None, record: dict) -> int:
    """Copy into ``record`` every mutation result of ``previous`` whose key still holds;
    returns how many."""
    kept = 0
    old = (previous or {}).get("sections", {})
    for key, entry in record["sections"].items():
        result = old.get(key, {}).get("mutants")
        if isinstance(result, dict) and result.get("key") == mutation_key(entry):
            entry["mutants"] = result
            kept += 1
    return kept
