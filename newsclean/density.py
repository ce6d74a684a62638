"""A third body candidate for HTML mode: the page's densest subtree.

Contract: ``densest_block(tree) -> Block | None``, the element of an lxml tree
whose subtree holds the most article-like text, with its flattened text.

This is Body Text Extraction (Finn, Kushmerick and Smyth, 2001) over the DOM,
with the link-text penalty of the text-density extractors (CETD, Sun et al.
2011; GNE): every token of text outside links counts +1, every token of link
text and every element counts -1, and the element whose subtree has the largest
sum wins.  An article's container is many tokens of prose under few tags; a
menu, a headline list or a layout table's navigation cells are links and tags
and pull any container that takes them in below the one that leaves them out.

It looks at nothing but the tree's shape and the amount of text, so it fails
independently of trafilatura (container names, paragraph heuristics) and of
the text detector (line lexicons): :mod:`newsclean.html` uses it as the third
voice when those two disagree.  One pass over the elements, tokens counted by
one regex per text node.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# One ideograph/kana/hangul syllable, or a run of other word characters: a CJK
# character carries about as much as a word.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")
# Elements whose text is never shown (same list as the flattening) or that
# hold a form's controls, not prose.
_SKIP = frozenset(("script", "style", "noscript", "template", "select", "option", "textarea"))
# Elements that cost nothing: line breaks and inline formatting are part of
# prose; counting them would favour unformatted text over formatted text.
_FREE = frozenset(("br", "b", "i", "em", "strong", "span", "font", "u", "sup", "sub", "wbr"))
_TAG_COST = 1.0
_LINK_COST = 1.0


@dataclass(frozen=True)
class Block:
    """The winning element, its score, and its text (flattened like text-mode input)."""

    element: HtmlElement
    score: float
    text: str


def densest_block(tree: HtmlElement) -> Block | None:
    """The element with the largest subtree score (see the module docstring),
    None when no element scores above zero (a page of links)."""
    root = content_root(tree)
    order: list[HtmlElement] = []
    score: dict[HtmlElement, float] = {}
    in_link: dict[HtmlElement, bool] = {}
    parent_of: dict[HtmlElement, HtmlElement | None] = {}
    stack: list[tuple[HtmlElement, HtmlElement | None, bool]] = [(root, None, False)]
    while stack:
        el, parent, linked = stack.pop()
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag or tag in _SKIP:
            # Its tail is its parent's text.
            if parent is not None and el.tail:
                score[parent] += _tokens(el.tail) * (-_LINK_COST if in_link[parent] else 1.0)
            continue
        linked = linked or tag == "a"
        own = 0.0 if tag in _FREE else -_TAG_COST
        if el.text:
            own += _tokens(el.text) * (-_LINK_COST if linked else 1.0)
        if parent is not None and el.tail:
            # A tail belongs to the parent (it may be outside a link this element is).
            score[parent] += _tokens(el.tail) * (-_LINK_COST if in_link[parent] else 1.0)
        score[el] = score.get(el, 0.0) + own
        in_link[el] = linked
        parent_of[el] = parent
        order.append(el)
        stack.extend((child, el, linked) for child in reversed(el))
    # Children come after their parent in ``order``: sum bottom-up.
    for el in reversed(order):
        p = parent_of[el]
        if p is not None:
            score[p] += score[el]
    best = max(order, key=lambda e: score[e], default=None)
    if best is None or score[best] <= 0:
        return None
    return Block(best, score[best], _text_of(best))


def content_root(tree: HtmlElement) -> HtmlElement:
    """The page's <body>, or the tree itself when it has none (a fragment, a
    crawler's <text> root)."""
    body = tree.find(".//body")
    return tree if body is None else body


def _tokens(text: str) -> int:
    return len(_TOKEN.findall(text))


def _text_of(element: HtmlElement) -> str:
    """The element's text, one line per text node (as the flattening does)."""
    parts: list[str] = []
    stack: list[HtmlElement | str] = [element]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        if item is not element and item.tail:
            stack.append(item.tail)  # after the element's own content
        tag = item.tag if isinstance(item.tag, str) else ""
        if not tag or tag in _SKIP:
            continue
        stack.extend(reversed(item))
        if item.text:
            stack.append(item.text)
    return "\n".join(p.strip() for p in parts if p.strip())


__all__ = ["Block", "content_root", "densest_block"]
