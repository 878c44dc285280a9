"""tested_blog.search: the search index as a reader sees its results."""

import json

from tested_blog.search import (
    name_search_dialog,
    rewrite_index,
    segment_chinese,
    tags_once_per_page,
)


def test_a_posts_tags_stay_on_its_page_entry_only():
    index = {
        "docs": [
            {"location": "blog/post/", "title": "Post", "text": "", "tags": ["a", "b"]},
            {"location": "blog/post/#one", "title": "One", "text": "", "tags": ["a", "b"]},
            {"location": "blog/post/#two", "title": "Two", "text": "", "tags": ["a", "b"]},
            {"location": "about/#x", "title": "X", "text": ""},
        ]
    }
    assert tags_once_per_page(index) == 2
    assert [doc.get("tags") for doc in index["docs"]] == [["a", "b"], None, None, None]
    assert tags_once_per_page(index) == 0  # a second pass changes nothing


def test_zensicals_index_is_tidied_the_same_way(tmp_path):
    """Zensical writes search.json with "items" where Material writes "docs"."""
    index = {
        "config": {},
        "items": [
            {"location": "blog/post/", "title": "Post", "text": "", "tags": ["a"]},
            {"location": "blog/post/#one", "title": "One", "text": "", "tags": ["a"]},
        ],
    }
    (tmp_path / "search.json").write_text(json.dumps(index), encoding="utf-8")
    rewrite_index(tmp_path, tags_once_per_page)
    written = json.loads((tmp_path / "search.json").read_text(encoding="utf-8"))
    assert [item.get("tags") for item in written["items"]] == [["a"], None]


MATERIAL_DIALOG = (
    '<div class="md-search" data-md-component="search" role="dialog">\n'
    '  <label class="md-search__overlay" for="__search"></label>\n'
    '  <input type="text" class="md-search__input" name="query" aria-label="Suchen"'
    ' placeholder="Suchen" data-md-component="search-query" required>\n</div>'
)


def test_a_nameless_search_dialog_is_named_as_its_search_field():
    named = name_search_dialog(f"<body>{MATERIAL_DIALOG}</body>")
    assert named.count('aria-label="Suchen"') == 2  # the theme's language, not "Search"
    assert (
        '<div class="md-search" data-md-component="search" role="dialog" aria-label="Suchen">'
        in named
    )
    assert named.replace(' aria-label="Suchen">', ">", 1) == f"<body>{MATERIAL_DIALOG}</body>"


def test_a_named_dialog_and_a_page_without_one_are_left_alone():
    zensical = (
        '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">'
    )
    assert name_search_dialog(zensical) == zensical
    assert name_search_dialog("<p>no search here</p>") == "<p>no search here</p>"
    # no search field to take the name from: the English one
    bare = '<div class="md-search" data-md-component="search" role="dialog"></div>'
    assert 'role="dialog" aria-label="Search">' in name_search_dialog(bare)


def test_chinese_text_is_split_into_words_for_a_search_that_splits_on_u200b():
    index = {
        "items": [{"location": "a/", "title": "优化方法", "text": "<p>自适应优化方法 Adam</p>"}]
    }
    assert segment_chinese(index) == 2
    (item,) = index["items"]
    assert "优化" in item["text"].split("\u200b")  # a word of its own
    assert item["text"].replace("\u200b", "") == "<p>自适应优化方法 Adam</p>"
    assert "优化" in item["title"].split("\u200b")
