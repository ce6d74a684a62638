"""The density candidate (newsclean/density.py): the page's densest subtree."""

from __future__ import annotations

from lxml.html import fromstring

from newsclean.density import densest_block

_STORY = [
    "The council approved the harbour budget on Tuesday after a debate that ran past midnight.",
    "The plan raises spending on the sea wall and the ferry pier and takes effect in May.",
    "Opponents said it leaves too little in reserve for a winter of storms like the last one.",
]


def _page(extra: str = "") -> str:
    menu = "".join(f'<li><a href="/s{i}">Section {i}</a></li>' for i in range(15))
    teasers = "".join(
        f'<li><a href="/n{i}">Another headline about the town number {i} today</a></li>'
        for i in range(10)
    )
    story = "".join(f"<p>{p} <b>More</b> of it, <i>in</i> words.</p>" for p in _STORY)
    return (
        "<html><head><title>Budget</title><script>var x = 'a b c d e f g h';</script></head>"
        f"<body><ul class=nav>{menu}</ul><div class=main><div id=story>{story}</div>"
        f"<ul class=related>{teasers}</ul></div>{extra}</body></html>"
    )


def test_the_story_container_beats_menus_and_headline_lists() -> None:
    block = densest_block(fromstring(_page()))
    assert block is not None
    assert block.element.get("id") == "story"
    assert block.text.splitlines()[0] == _STORY[0]
    assert "Section" not in block.text and "headline" not in block.text


def test_its_text_is_one_line_per_text_node_without_invisible_elements() -> None:
    tree = fromstring(
        "<html><body><div><p>First words of a paragraph <a href='/x'>a link</a> and more"
        " words after the link in the same paragraph here.<script>var hidden = 1;</script>"
        " Its tail stays.</p></div></body></html>"
    )
    block = densest_block(tree)
    assert block is not None
    assert block.text.splitlines() == [
        "First words of a paragraph",
        "a link",
        "and more words after the link in the same paragraph here.",
        "Its tail stays.",
    ]


def test_a_page_of_links_has_no_dense_block() -> None:
    links = "".join(f'<a href="/{i}">Link number {i}</a>' for i in range(30))
    assert densest_block(fromstring(f"<html><body><div>{links}</div></body></html>")) is None


def test_cjk_characters_count_as_words() -> None:
    # Twelve ideographs weigh more than three Latin words in links.
    tree = fromstring(
        "<html><body><div id=a><a href='/'>one two three</a></div>"
        "<div id=b>市政府召开新闻发布会介绍改造</div></body></html>"
    )
    block = densest_block(tree)
    assert block is not None and block.element.get("id") == "b"
