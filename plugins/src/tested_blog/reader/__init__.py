"""What a reader gets beyond the page's text: quiz mode, link previews, the previous and
next post, and feeds dated by the posts (the ``tested/reader`` plugin, ``plugin``)."""
