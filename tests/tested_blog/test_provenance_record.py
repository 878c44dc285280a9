"""tested_blog.provenance.record: line contexts and test outcomes folded into one entry per
section; the record file round-trips and a damaged one is refused."""

from __future__ import annotations

import json

import pytest
from tested_blog import sections
from tested_blog.provenance.record import (
    MeasuredFile,
    RecordError,
    Result,
    aggregate,
    file_digest,
    function_body_lines,
    read_record,
    section_digest,
    write_record,
)

SOURCE = """\
import functools

# --8<-- [start:scale]
@functools.cache
def scale(x, k=2):
    if x is None:
        raise ValueError("x")
    return k * x
# --8<-- [end:scale]


class Box:
    # --8<-- [start:box_size]
    size = 3

    def grow(self):
        def inner():
            return self.size + 1
        return inner()
    # --8<-- [end:box_size]
"""
# coverage.py's statement lines of SOURCE
STATEMENTS = frozenset({1, 4, 5, 6, 7, 8, 12, 14, 16, 17, 18, 19})


def passed(file: str = "tests/test_a.py", line: int = 5) -> Result:
    return Result("passed", file, line)


def measured(contexts: dict[int, list[str]]) -> MeasuredFile:
    return MeasuredFile("snippets/a.py", SOURCE, STATEMENTS, contexts)


def test_function_bodies_are_the_lines_that_run_only_when_called():
    inside = function_body_lines(SOURCE)
    assert {6, 7, 8, 17, 18, 19} <= inside  # bodies, a nested function's included
    assert not {1, 4, 5, 12, 14, 16} & inside  # import, decorator, headers, class attribute


def test_a_section_run_by_passing_tests_is_fully_tested():
    import_time = [""]  # collection imports the module outside any test
    record = aggregate(
        [
            measured(
                {
                    1: import_time,
                    4: import_time,
                    5: import_time,
                    6: [
                        "t.py::test_scale[1]|run",
                        "t.py::test_scale[2]|run",
                        "t.py::test_raises|run",
                    ],
                    7: ["t.py::test_raises|run"],
                    8: ["t.py::test_scale[1]|run", "t.py::test_scale[2]|setup"],
                }
            )
        ],
        {
            "t.py::test_scale[1]": passed(),
            "t.py::test_scale[2]": passed(),
            "t.py::test_raises": passed(line=9),
        },
    )
    entry = record["sections"]["snippets/a.py:scale"]
    assert entry["sha256"] == section_digest(sections.section_body(SOURCE, "scale"))
    assert (entry["start"], entry["statements"], entry["definitions"]) == (3, 3, 2)
    assert (entry["tests"], entry["passed"], entry["failed"], entry["untested"]) == (3, 3, 0, [])
    # two examples, never two parameter sets of one test function
    ids = [e["id"] for e in entry["examples"]]
    assert len(ids) == 2 and len({i.split("[")[0] for i in ids}) == 2
    assert {"file": "tests/test_a.py", "line": 9, "id": "t.py::test_raises"} in entry["examples"]


def test_failed_tests_and_lines_no_passing_test_ran_are_kept():
    record = aggregate(
        [
            measured(
                {
                    6: ["t.py::test_ok|run", "t.py::test_bad|run"],
                    7: ["t.py::test_bad|run"],  # only a failing test reached the raise
                    8: ["t.py::test_ok|run", "t.py::test_skip|run"],
                }
            )
        ],
        {
            "t.py::test_ok": passed(),
            "t.py::test_bad": Result("failed", "t.py", 3),
            "t.py::test_skip": Result("other", "t.py", 4),
        },
    )
    entry = record["sections"]["snippets/a.py:scale"]
    assert (entry["tests"], entry["passed"], entry["failed"], entry["other"]) == (3, 1, 1, 1)
    assert entry["failing"] == ["t.py::test_bad"]
    assert entry["untested"] == [7 - 3]  # as an offset from the start marker
    assert [e["id"] for e in entry["examples"]] == ["t.py::test_ok"]
    assert record["tests"] == {"passed": 1, "failed": 1, "other": 1}


def test_a_section_no_test_ran_has_no_tests_and_every_body_line_untested():
    record = aggregate([measured({4: [""], 5: [""], 12: [""], 14: [""], 16: [""]})], {})
    entry = record["sections"]["snippets/a.py:box_size"]
    assert (entry["tests"], entry["examples"]) == (0, [])
    assert [entry["start"] + n for n in entry["untested"]] == [17, 18, 19]
    assert entry["definitions"] == 2  # size = 3 and the def line


def test_files_with_broken_or_no_markers_give_no_entries():
    broken = MeasuredFile("snippets/b.py", "# --8<-- [start:x]\nx = 1\n", frozenset({2}), {})
    plain = MeasuredFile("snippets/c.py", "x = 1\n", frozenset({1}), {1: [""]})
    record = aggregate([broken, plain], {}, command="pytest")
    assert record["sections"] == {} and record["command"] == "pytest"
    assert record["measured"] == ["snippets/b.py", "snippets/c.py"]


def test_the_record_round_trips_and_a_missing_one_is_none(tmp_path):
    record = aggregate([measured({6: ["t.py::test_ok|run"]})], {"t.py::test_ok": passed()})
    path = tmp_path / "deep" / "provenance.json"
    write_record(path, record)
    assert read_record(path) == json.loads(json.dumps(record))
    assert not list(path.parent.glob("*.part"))
    assert read_record(tmp_path / "none.json") is None


@pytest.mark.parametrize(
    "text, says",
    [
        ("{not json", "not valid JSON"),
        ('{"format": 99, "sections": {}, "measured": []}', "format 2"),
        ("[1, 2]", "format 2"),
    ],
)
def test_a_damaged_record_is_refused_naming_the_file(tmp_path, text, says):
    path = tmp_path / "provenance.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RecordError, match=says) as error:
        read_record(path)
    assert str(path) in str(error.value)


def test_a_class_header_section_is_run_by_the_tests_of_the_methods_it_defines():
    text = (
        '# --8<-- [start:net]\nclass Net:\n    """Doc."""\n# --8<-- [end:net]\n\n'
        "    # --8<-- [start:net_run]\n    def run(self):\n        return 1\n"
        "    # --8<-- [end:net_run]\n"
    )
    header = MeasuredFile(
        "snippets/n.py", text, frozenset({2, 7, 8}), {2: [""], 7: [""], 8: ["t.py::test_run|run"]}
    )
    record = aggregate([header], {"t.py::test_run": passed()})
    net, run = record["sections"]["snippets/n.py:net"], record["sections"]["snippets/n.py:net_run"]
    assert (net["tests"], net["passed"], net["statements"], net["untested"]) == (1, 1, 0, [])
    assert (run["tests"], run["statements"], run["definitions"]) == (1, 1, 1)


def test_a_sections_inputs_are_every_file_its_tests_ran_code_of_and_the_tests_files():
    """The section's module, a helper module one of its tests also ran (a checking
    decorator, a function it calls), and each covering test's own file: with digests."""
    helper = MeasuredFile(
        "snippets/helper.py",
        "def h():\n    return 1\n",
        frozenset({1, 2}),
        {2: ["tests/test_a.py::test_scale|run"]},
    )
    elsewhere = MeasuredFile(
        "snippets/other.py",
        "def o():\n    return 2\n",
        frozenset({1, 2}),
        {2: ["tests/test_b.py::test_other|run"]},
    )
    record = aggregate(
        [measured({6: ["tests/test_a.py::test_scale|run"]}), helper, elsewhere],
        {
            "tests/test_a.py::test_scale": passed("tests/test_a.py"),
            "tests/test_b.py::test_other": passed("tests/test_b.py"),
        },
        {"tests/test_a.py": "aaa", "tests/test_b.py": "bbb", "snippets/a.py": "ondisk"},
    )
    inputs = record["sections"]["snippets/a.py:scale"]["inputs"]
    assert sorted(inputs) == ["snippets/a.py", "snippets/helper.py", "tests/test_a.py"]
    assert inputs["tests/test_a.py"] == "aaa" and inputs["snippets/a.py"] == "ondisk"
    assert inputs["snippets/helper.py"] == file_digest(helper.text.encode())
