"""What the build makes of a section's mutation result: the figure of the tested-by
line, and the problems that fail a strict build."""

from __future__ import annotations

from tested_blog.mutants.key import mutation_key
from tested_blog.mutants.verdict import verdict

TEXT = """\
# --8<-- [start:s]
def f(x):
    return x * 2 > 0{mark}
# --8<-- [end:s]
"""
SURVIVOR = {
    "line": 2,
    "operator": "ReplaceComparisonOperator_Gt_GtE",
    "before": "return x * 2 > 0",
    "after": "return x * 2 >= 0",
}


def entry(**mutants):
    base = {"sha256": "abc", "inputs": {"m.py": "1"}, "covered_by": ["t::a"]}
    return {**base, "mutants": {"key": mutation_key(base), **mutants}}


def judged(mark="", **mutants):
    return verdict(entry(**mutants), TEXT.format(mark=mark), 1, 4, "pkg/m.py")


def test_all_caught():
    v = judged(total=4, caught=2, crashed=1, timed_out=1, survived=[])
    assert v.figure() == "4/4 mutants caught" and v.problem() is None


def test_code_no_operator_can_change_says_so():
    v = judged(total=0, caught=0, survived=[])
    assert v.figure() == "0 mutants (no operator applies)" and v.problem() is None


def test_a_survivor_is_named_with_its_line_and_change():
    v = judged(total=4, caught=3, survived=[SURVIVOR])
    assert v.figure() == "3/4 mutants caught"
    problem = v.problem()
    assert "1 surviving mutant(s)" in problem
    assert "pkg/m.py:3: `- return x * 2 > 0` -> `+ return x * 2 >= 0`" in problem
    assert "(ReplaceComparisonOperator_Gt_GtE)" in problem


def test_a_marked_survivor_is_equivalent():
    mark = "  # equivalent mutant (ReplaceComparisonOperator_Gt_GtE): f(0) is False either way"
    v = judged(mark, total=4, caught=3, survived=[SURVIVOR])
    assert v.problem() is None
    assert v.figure() == "3/3 mutants caught, 1 equivalent"


def test_marks_that_say_too_much_are_problems():
    unneeded = judged("  # equivalent mutant (NumberReplacer): no", total=4, caught=4, survived=[])
    assert "tests catch every such mutant of the line: remove the mark" in unneeded.problem()
    unknown = judged("  # equivalent mutant (Nonsense): x", total=4, caught=4, survived=[])
    assert "'Nonsense', which is not a mutation operator" in unknown.problem()
    reasonless = judged(
        "  # equivalent mutant (ReplaceComparisonOperator_Gt_GtE)",
        total=4,
        caught=3,
        survived=[SURVIVOR],
    )
    assert "gives no reason" in reasonless.problem()
    assert "1 surviving mutant(s)" in reasonless.problem()  # and it does not count


def test_a_result_for_other_code_or_none_is_missing():
    stale = entry(total=1, caught=1, survived=[])
    stale["inputs"] = {"m.py": "2"}  # a file its tests ran changed since
    for e in (stale, {"sha256": "abc"}, None):
        v = verdict(e, TEXT.format(mark=""), 1, 4)
        assert v.state == "missing" and v.figure() == ""
        assert "no mutation result for its code as it is now" in v.problem()


def test_tests_that_fail_alone_are_an_error():
    v = judged(error="its tests do not pass when run by themselves (pytest exit code 1)")
    assert v.problem().startswith("could not be mutation-tested: its tests do not pass")
