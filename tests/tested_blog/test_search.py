"""tested_blog.search: the search index as a reader sees its results."""

from tested_blog.search import tags_once_per_page


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
