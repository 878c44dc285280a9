"""tested_blog.mathjax.cache: rendered formulas on disk, keyed by TeX, display mode, MathJax."""

from __future__ import annotations

from tested_blog.mathjax.cache import KEEP_STYLESHEETS, FormulaCache, formula_key, salt, set_key
from tested_blog.mathjax.page import Formula


def test_keys_tell_display_from_inline_and_sets_ignore_order():
    inline, display = Formula("x", display=False), Formula("x", display=True)
    assert formula_key(inline) != formula_key(display)
    assert formula_key(inline) == formula_key(Formula("x", display=False))
    assert set_key({"a", "b"}) == set_key({"b", "a"}) != set_key({"a"})


def test_salt_changes_with_mathjax_version_and_configuration(tmp_path):
    script = tmp_path / "typeset.js"
    script.write_text("config A")
    a = salt("3.2.2", script)
    assert salt("3.2.3", script) != a
    script.write_text("config B")
    assert salt("3.2.2", script) != a


def test_saved_entries_come_back_under_the_same_salt_only(tmp_path):
    cache = FormulaCache(tmp_path, "salt 1")
    cache.markup["k1"] = "<mjx-container>1</mjx-container>"
    cache.add_stylesheet("s1", "css 1")
    cache.save()
    again = FormulaCache(tmp_path, "salt 1")
    assert again.markup == {"k1": "<mjx-container>1</mjx-container>"}
    assert again.stylesheets == {"s1": "css 1"}
    assert FormulaCache(tmp_path, "salt 2").markup == {}


def test_save_keeps_only_the_formulas_asked_for_and_the_newest_stylesheets(tmp_path):
    cache = FormulaCache(tmp_path, "s")
    cache.markup.update({"used": "a", "gone": "b"})
    for i in range(KEEP_STYLESHEETS + 2):
        cache.add_stylesheet(f"set{i}", f"css{i}")
    cache.save(keep={"used"})
    again = FormulaCache(tmp_path, "s")
    assert set(again.markup) == {"used"}
    assert list(again.stylesheets) == [f"set{i}" for i in range(2, KEEP_STYLESHEETS + 2)]


def test_an_unreadable_cache_file_is_an_empty_cache(tmp_path):
    (tmp_path / "cache.json").write_text("{ torn")
    cache = FormulaCache(tmp_path, "s")
    assert cache.markup == {} and cache.stylesheets == {}
    cache.markup["k"] = "v"
    cache.changed = True
    cache.save()
    assert FormulaCache(tmp_path, "s").markup == {"k": "v"}
