"""HTML mode's metadata: title, date, author and outlet from the page itself.

Contract: :func:`page_metadata` reads the markup (meta tags, JSON-LD, <title>,
htmldate) into a ``dict`` of fields before extraction; :func:`read_page_lines`
adds the ``page_*`` fields read from the page's own lines around the chosen
body (labelled bylines, the dateline above it); :func:`pick_date` and
:func:`teaser_date` decide between the dates.  :mod:`newsclean.html` merges
them with the fields the chrome detector found in the body's lines.

The labelled lines are parsed by :mod:`newsclean.chrome.metadata`, the same
parser text mode uses, so both modes read a byline the same way.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Mapping
from itertools import islice
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from newsclean.chrome import Detection

_SQUASH = re.compile(r"[\W_]+")
# A host name rather than a site name ("example.com"): not a credited outlet.
# (Possessive, no group kept: a label never contains the dot, so nothing is
# given back, and 500,000 labels leave no backtracking stack behind.)
_HOSTLIKE = re.compile(r"^[\w-]++(?:\.[\w-]++)++$")
# Text nodes that may be a byline/dateline/editor line trafilatura left out.
# (发表于/发布于: a blog's or forum's "posted at" line under the post; 执笔:
# the writer of a report; 文： the writer of a column.)
_LABELS = (
    *("来源", "稿源", "作者", "记者", "编辑", "來源", "記者", "編輯"),
    *("发表于", "发布于", "执笔", "文：", "文:"),
)
# A superset of the labels, as one regex over the raw page: most pages outside
# Chinese have none, and skip the tree searches (2% of an extraction vs 12%).
_ANY_LABEL = re.compile("[来稿作记编來記編][源者辑輯]|发[表布]于|执笔|文[:：]")
# Its first characters: a page without any of them cannot match, and ``in`` on
# a str is a memchr (instant on an ASCII page) where the class scans each position.
_LABEL_FIRST = "来稿作记编來記編发执文"
# Exactly the labels, as one regex (see _labelled).
_LABELLED = re.compile("|".join(map(re.escape, _LABELS)))
# The first non-blank text node after a label whose value the page put in the
# next element ("<td>作者：</td><td>芊草凡凡</td>").
_NEXT_TEXTS = "following::text()[normalize-space()][position() <= 2]"
# Scholarly pages name the authors in Highwire/Google Scholar tags; their
# generic "author" tag then often names the journal or the publisher.
_CITATION_AUTHORS = "//meta[@name='citation_author' or @name='citation_authors']/@content"
_GENERATOR = "//meta[@name='generator']/@content"
_AUTHOR_TAGS = "//meta[translate(@name, 'AUTHOR', 'author')='author']/@content"
# Every text node on each side; the labelled ones are picked in Python
# (:func:`_labelled`): an XPath predicate of thirteen contains() copies each
# node's text thirteen times, three times the cost of the axis itself.
_BEFORE = "preceding::text()"
_AFTER = "following::text()"
_BYLINE_NODES = 3  # labelled text nodes looked at on each side of the body
# The non-blank text nodes above the body's first paragraph, nearest first (a
# reverse axis counts positions from the context node).
_NEAR_BEFORE = "preceding::text()[normalize-space()][position() <= $n]"
_DATELINE_NODES = 80  # text nodes above the body searched for its dateline
_ANCHOR_LINES = 6  # first body lines tried as the anchor of the dateline search
_PROSE_LINE = 40  # characters: a line of prose rather than a label or a link
_MAX_DATELINE = 120  # characters: an info bar, not a paragraph
_DATE_IN_MARKUP = "boolean(//meta[contains(@content, $d)] | //time[contains(@datetime, $d)])"
# the values _DATE_IN_MARKUP looks into, and the form of htmldate's days in them
_MARKUP_DATES = "//meta/@content | //time/@datetime"
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ANCHOR_CHARS = 12  # characters of a body paragraph used to find it in the tree
# The elements (under <body>, not script or style) that own a text node with
# the snippet, in document order (an XPath result): a text node's parent is the
# element it sits in, also for the text after a child (lxml's tail).  One pass
# over the text nodes; the first word, which has no space, is tested raw first
# (a cheap filter).
_OWNERS_WITH = (
    "//body//text()[contains(., $w) and "
    "contains(normalize-space(translate(., '\u3000\u00a0', '  ')), $s)]"
    "/parent::*[ancestor::body][not(self::script or self::style)]"
)
# A run of word characters (single spaces allowed): the normalizer may have
# changed punctuation next to it, never the letters themselves.  Only its first
# _ANCHOR_CHARS are used: an unbounded repeat over a 1 MB line of letters keeps
# a backtracking entry per character (ReDoS bench: 3x slower per character).
_WORD_RUN = re.compile(rf"[^\W_](?:[^\W_]| (?=[^\W_])){{3,{_ANCHOR_CHARS - 1}}}")
_MAX_META_LINE = 240
# (A separator's spaces start where the run of spaces starts: from inside a long
# run each start would scan it to its end, quadratic; a match's trailing
# spaces are greedy, so the next one cannot start inside a run either.)
_TITLE_SEPARATORS = re.compile(r"((?<!\s)\s+[|\-–—]\s+|(?:(?<!\s)\s+)?[_｜]\s*)")
# htmldate without its full-text scan: a dateline in the text is parsed anyway.
_DATE_OPTIONS: dict[str, Any] = {"extensive_search": False, "original_date": True}


def read_page_lines(
    meta: dict[str, str | None], tree: HtmlElement, html: str, det: Detection
) -> None:
    """Metadata from the page lines around the chosen body, into ``meta``.

    The labelled lines next to it (:func:`_page_bylines`) and, when the body's
    own lines carry no date or no author, the dateline and byline just above
    it (:func:`_header_before`), as ``page_*`` fields.
    """
    kept_lines = [v.text for v in det.lines if v.reason is None and v.text.strip()]
    if not kept_lines:
        return
    posted = None
    if any(c in html for c in _LABEL_FIRST) and _ANY_LABEL.search(html):
        # the last paragraph anchors the search below the body: a short line
        # kept after it (a "文章评论" heading) may sit anywhere on the page
        last = next((t for t in reversed(kept_lines) if len(t) >= _PROSE_LINE), kept_lines[-1])
        found = _page_bylines(tree, kept_lines[0], last)
        posted = found.pop(_POSTED, None)
        for key, value in found.items():
            meta[f"page_{key}"] = value
    # A date the page states (meta tags, <time>, URL) outranks a dateline anyway.
    want_date = (
        not det.metadata.get("date") and not meta.get("page_date") and not meta.get("confirmed")
    )
    # A byline above the body that the extraction dropped ("By Jane Doe | June
    # 10, 2023" in its own <p class="byline">): text mode reads it, so HTML
    # mode must too.
    want_author = not (det.metadata.get("author") or meta.get("page_author") or meta.get("author"))
    if want_date or want_author:
        # The first paragraph of prose anchors the search (a kept breadcrumb or
        # kicker may sit above the info bar); table rows count by their cells.
        cells = [c.strip() for line in kept_lines[:_ANCHOR_LINES] for c in line.split("|")]
        dated = _dateline_in(cells) if want_date else None
        date, author = _header_before(
            tree,
            sorted((c for c in cells if len(c) >= _ANCHOR_CHARS), key=_not_prose),
            want_date=want_date and not dated,
            want_author=want_author,
            title=meta.get("title"),
        )
        if want_date:
            meta["page_date"] = dated or date
        if author:
            meta["page_author"] = author
    # Blogs and forums print the post's date under it ("发表于 2005-9-15 11:46"):
    # the evidence when nothing above the body dates it.
    if posted and not det.metadata.get("date") and not meta.get("page_date"):
        meta["page_date"] = posted


def page_metadata(tree: HtmlElement, url: str | None) -> dict[str, str | None]:
    """Title, author, outlet and address from the page's markup (the date is
    :func:`page_date`'s).

    trafilatura's own metadata helpers (meta tags, JSON-LD, <title>/<h1>);
    its extract_author() is left out: it searches the whole tree for
    byline-looking elements, costs a fifth of an extraction, and the byline
    lines are read by the detector and :func:`_page_bylines` anyway.
    """
    from trafilatura.metadata import examine_meta, extract_meta_json, extract_title

    doc = examine_meta(tree)
    # Malformed JSON-LD is common; trafilatura shrugs it off the same way.
    with contextlib.suppress(Exception):
        doc = extract_meta_json(tree, doc)
    if not doc.title:
        doc.title = extract_title(tree)
    doc.clean_and_trim()
    meta = {
        "title": strip_site(_field(doc.title), _field(doc.sitename)),
        "author": _markup_author(tree, _field(doc.author), _field(doc.sitename)),
        "source": _field(doc.sitename),
        "url": _field(doc.url),
    }
    # The site's own name credits the outlet; a bare host name does not (docs/contracts.md §1).
    if meta["source"] and _HOSTLIKE.match(meta["source"]):
        meta["source"] = None
    return meta


def page_date(tree: HtmlElement, url: str | None) -> tuple[str | None, bool]:
    """htmldate's date of the page, and whether the page states it (in its
    markup or its address) rather than htmldate guessing it from the text."""
    from htmldate import find_date

    date = find_date(tree, url=url, **_DATE_OPTIONS) or None
    return date, bool(date and _states_date(tree, date, url))


def states_a_day(tree: HtmlElement, url: str | None) -> bool:
    """The page's markup or address holds some day that :func:`page_date`
    could call stated: without one, htmldate's date is a guess, which never
    outranks a dateline (:func:`pick_date`), and need not be asked for."""
    from newsclean.chrome.metadata import url_date

    if url and url_date(url):
        return True
    return any(map(_ISO_DAY.search, tree.xpath(_MARKUP_DATES)))


def _markup_author(tree: HtmlElement, author: str | None, sitename: str | None) -> str | None:
    """The author the markup names, or None where its tags name something else.

    trafilatura joins every author-like tag with "; ".  Where the page has
    citation tags, they name the authors and the rest is the journal or the
    publisher.  A list with a host name or the site's own name in it credits
    the site ("www.yunnan.cn, 云南网"), and an author the generator tag also
    names credits the software ("Discuz! Team" next to "Discuz! X3.4"): no
    person in either.
    """
    cited = [" ".join(str(c).split()) for c in tree.xpath(_CITATION_AUTHORS)]
    cited = [c for c in cited if c]
    if cited:
        return "; ".join(dict.fromkeys(cited))
    if not author:
        return None
    site = squash_key(sitename) if sitename else ""
    # the raw tags too: trafilatura prints "www.yunnan.cn" as "Www Yunnan Cn"
    raw = " ; ".join(str(c) for c in tree.xpath(_AUTHOR_TAGS))
    for item in re.split(r"[;；,，]", f"{author} ; {raw}"):
        item = item.strip()
        if _HOSTLIKE.match(item) or (site and squash_key(item) == site):
            return None
    for generator in tree.xpath(_GENERATOR):
        word = squash_key(str(generator).split()[0]) if str(generator).split() else ""
        if len(word) > 2 and word in squash_key(author):
            return None
    return author


def _states_date(tree: HtmlElement, date: str, url: str | None) -> bool:
    from newsclean.chrome.metadata import url_date

    if url and url_date(url) == date[:10]:
        return True
    return bool(tree.xpath(_DATE_IN_MARKUP, d=date[:10]))


def strip_site(title: str | None, sitename: str | None) -> str | None:
    """``Headline | Site`` -> ``Headline``: drop a leading or trailing <title>
    segment that names the site (separators kept elsewhere)."""
    if not title or not sitename:
        return title
    site = squash_key(sitename)
    parts = _TITLE_SEPARATORS.split(title)  # segment, separator, segment, ...

    def names_site(segment: str) -> bool:
        k = squash_key(segment)
        return k == site or (len(k) > 2 and k in site)

    if len(parts) >= 3 and names_site(parts[-1]):
        parts = parts[:-2]
    if len(parts) >= 3 and names_site(parts[0]):
        parts = parts[2:]
    return "".join(parts).strip() or title


def title_segments(title: str) -> list[str]:
    """The parts of a <title> between its separators ("Headline - Section |
    Site", "标题_频道_网站"), stripped, empty ones left out."""
    parts = _TITLE_SEPARATORS.split(title)[::2]  # segment, separator, segment, ...
    return [p.strip() for p in parts if p.strip()]


def _field(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _page_bylines(tree: HtmlElement, first: str, last: str) -> dict[str, str | None]:
    """Fields from labelled lines next to the body (来源：/作者：/责任编辑：).

    trafilatura drops the info bar above the article and the editor line under
    it.  The first and last body paragraphs are found in the tree, and the
    nearest labelled text nodes before the first and after the last are parsed;
    only lines that are nothing but metadata count.  After the body, lines with
    a date are skipped: those are the date/source lines of a related list;
    only a date a publish label introduces ("发表于", "posted") is kept, under
    ``_POSTED``, for the caller to use when nothing above the body has one.
    """
    found: dict[str, str | None] = {}
    start = _find_paragraph(tree, first)
    if start is not None:
        # the nearest first: from the end of the document-order list
        for node in _labelled(reversed(start.xpath(_BEFORE))):
            _read_byline(node, found, allow_date=True)
    end = _find_paragraph(tree, last)
    if end is not None:
        for node in _labelled(end.xpath(_AFTER)):
            _read_byline(node, found, allow_date=False)
    return found


def _labelled(nodes: Iterable[Any]) -> list[Any]:
    """The first :data:`_BYLINE_NODES` of ``nodes`` (text nodes, in the order
    given) that hold one of the :data:`_LABELS`.  One regex of the labels tests
    a node in one scan (a loop of ``in`` tests made one per label), and the
    scan stops at the last node wanted: a long page has thousands of text
    nodes on each side of the body."""
    return list(islice(filter(_LABELLED.search, nodes), _BYLINE_NODES))


def _not_prose(cell: str) -> bool:
    return len(cell) < _PROSE_LINE  # sorts prose first (stable)


def _dateline_in(cells: list[str]) -> str | None:
    """The date of a table cell among the first body lines that is nothing
    but metadata (trafilatura renders an info bar in a layout table as one
    ``| site | 2005年08月16日 来源：新华网 |`` row, which the detector keeps)."""
    from newsclean.chrome.metadata import parse_meta_line

    for cell in cells:
        if len(cell) <= _MAX_DATELINE:
            fields, only = parse_meta_line(cell)
            if only and fields.get("date"):
                return fields["date"]
    return None


def _header_before(
    tree: HtmlElement,
    lines: list[str],
    *,
    want_date: bool,
    want_author: bool,
    title: str | None = None,
) -> tuple[str | None, str | None]:
    """The date and the byline author of the nearest short texts above the body.

    Pages print the article's date in the info bar between the headline and
    the body ("2005年03月21日 11:21", "发表于 2004-12-27 12:40",
    "BUSINESS.SOHU.COM 2005年3月11日12:12 来源：..."), often without a label
    and in markup that trafilatura drops, and the byline with it ("By Jane
    Doe | June 10, 2023").  The body's first paragraph that can be found in
    the tree is the anchor; the text nodes above it are read nearest first,
    only short ones count (an info bar, not a teaser's sentence), and the
    search stops at the first long text above: that is another block, no
    longer the article's header.  The date is the first one any short text
    holds.  The author comes from a text that is nothing but metadata, not in
    a caption ("By Reuters" under a photo), and only when the headline
    (``title``) is found above it: a byline above the headline, or on a page
    whose headline is not there, is a teaser's or a sidebar's.
    """
    from newsclean.chrome.metadata import find_date, parse_meta_line

    if not (want_date or want_author):
        return None, None
    found = (_find_paragraph(tree, line) for line in lines)
    start = next((e for e in found if e is not None), None)
    if start is None:
        return None, None
    headline = squash_key(title) if title and want_author else ""
    date = author = None
    date_open, author_open = want_date, bool(headline)
    for node in reversed(start.xpath(_NEAR_BEFORE, n=_DATELINE_NODES)):  # nearest first
        text = " ".join(str(node).split())
        if headline and _names_headline(squash_key(text), headline):
            if author is not None:
                return date, author  # the byline sits between the headline and the body
            headline, author_open = "", False  # a byline further up is another article's
        if len(text) > _MAX_DATELINE:
            # another block (a standfirst, a teaser): no dateline or byline of
            # this article beyond it, though its headline may still come
            date_open = author_open = False
        elif not _link_text(node):
            # (a link's date is another page's: "查看旧版(2007年11月18号以前)",
            # an archive or a teaser; never the dateline of this one)
            if date_open and date is None:
                date = find_date(text)[0]
            if author_open and author is None and not _in_caption(node):
                fields, only = parse_meta_line(text)
                author = fields.get("author") if only else None
        if (date is not None or not date_open) and (
            not headline or (author is None and not author_open)
        ):
            break
    return date, None


def _names_headline(key: str, headline: str) -> bool:
    """A text (squashed) is the headline, or the part of it the <title> keeps."""
    return len(key) >= _ANCHOR_CHARS and (key in headline or headline in key)


def _in_caption(node: Any) -> bool:
    """The text node sits in a photo's caption (or its figure)."""
    return _inside(node, "figcaption", "figure")


def _link_text(node: Any) -> bool:
    """The text node is a link's own text (or inside one), not the tail after it."""
    return _inside(node, "a")


def _inside(node: Any, *tags: str) -> bool:
    """The element that holds the text node (its parent's parent for a tail:
    lxml hangs the text after an element on that element) is or sits in one
    of ``tags``."""
    owner = node.getparent()
    if owner is not None and node.is_tail:
        owner = owner.getparent()
    if owner is None:
        return False
    return owner.tag in tags or next(owner.iterancestors(*tags), None) is not None


def _find_paragraph(tree: HtmlElement, line: str) -> HtmlElement | None:
    # trafilatura turns ideographic and no-break spaces into plain ones.
    run = _WORD_RUN.search(" ".join(line.split()))
    if run is None:
        return None
    # A paragraph is the best anchor, then a block.
    snippet = run[0][:_ANCHOR_CHARS]
    owners = tree.xpath(_OWNERS_WITH, s=snippet, w=snippet.split(" ", 1)[0])
    hits = [o for o in owners if o.tag == "p"] or owners
    blocks = (h for h in hits if h.tag in ("div", "td"))
    return next(blocks, hits[0]) if hits else None


_POSTED = "posted"  # _page_bylines' key for a labelled publish date under the body


def _read_byline(node: Any, found: dict[str, str | None], allow_date: bool) -> None:
    # The label and its value are often split over elements
    # (<span>来源：</span><a>大众日报</a>): read the enclosing element.
    parent = node.getparent()
    if parent is not None and not node.is_tail and parent.tag == "a":
        return  # a link's text is a menu entry ("记者博客"), not a byline
    if parent is not None and node.is_tail:
        parent = parent.getparent()
    text = parent.text_content() if parent is not None else ""
    if not text or len(text) > _MAX_META_LINE:
        text = str(node)
    if not _read_lines(node, text, found, allow_date) and text != str(node):
        # the enclosing element adds a button ("[点击此处收藏本文] 发表于 …"):
        # the text node alone may still be a metadata line
        _read_lines(node, str(node), found, allow_date)


def _read_lines(node: Any, text: str, found: dict[str, str | None], allow_date: bool) -> bool:
    """Parse the lines of ``text`` (around ``node``) into ``found``; whether
    any was a metadata line."""
    from newsclean.chrome.metadata import (
        dangling_label,
        dangling_value,
        parse_meta_line,
        posted_label,
    )

    any_line = False
    for line in text.splitlines():
        line = line.strip()
        if not line or len(line) > _MAX_META_LINE:
            continue
        fields, only = parse_meta_line(line)
        # the label ends the text node: its value is the next one
        if only and not fields and dangling_label(line) and str(node).rstrip().endswith(line):
            value = _next_text(node)
            if value and dangling_value(value):
                fields, only = parse_meta_line(f"{line} {value}")
        if not only:
            continue
        any_line = True
        if fields.get("date") and not allow_date:
            if posted_label(line):
                # the post's own info line ("作者:X 阅读(3) 发表于:…"), not a
                # related item's: its author is the post's too
                found.setdefault(_POSTED, fields["date"])
                if fields.get("author"):
                    found.setdefault("author", fields["author"])
            continue
        for key, value in fields.items():
            if value and key not in found:
                found[key] = value
    return any_line


def _next_text(node: Any) -> str | None:
    """The first non-blank text after the text node ``node`` and its element."""
    element = node.getparent()
    if element is None:
        return None
    # A tail's element comes before it: its following text starts with the tail.
    texts = [str(t).strip() for t in element.xpath(_NEXT_TEXTS)]
    if node.is_tail and texts and texts[0] == str(node).strip():
        texts = texts[1:]
    return texts[0] if texts else None


def teaser_date(date: str, det: Detection, tree: HtmlElement) -> bool:
    """htmldate's date is printed in a related list that the detector removed,
    and not in the page's meta tags or <time> elements: it is a teaser's date
    (htmldate falls back to dates in the markup when the article has none)."""
    teasers = [v.text for v in det.lines if v.reason == "related-list"]
    if not teasers or len(date) < 10:
        return False
    y, m, d = date[:4], date[5:7], date[8:10]
    forms = (date[:10], f"{y}/{m}/{d}", f"{y}.{m}.{d}", f"{y}年{int(m)}月{int(d)}日")
    if not any(f in t for t in teasers for f in forms):
        return False
    return not tree.xpath(_DATE_IN_MARKUP, d=date[:10])


def pick_author(det: Detection, meta: Mapping[str, str | None]) -> str | None:
    """The author, by evidence: a credit in the body's lines, then a labelled
    line on the page next to the body, then the markup.  A labelled line
    ("作者：X") outranks the reporters a reprinted story credits in its first
    sentence ("本报讯（记者 Y）"): the page says who posted it."""
    from newsclean.chrome.metadata import inline_author

    text, page = det.metadata.get("author"), meta.get("page_author")
    if text and page and text != page:
        first = next((v.text for v in det.lines if v.reason is None and v.text.strip()), "")
        if inline_author(first) == text:
            return page
    return text or page or meta.get("author")


def pick_date(
    from_text: str | None, from_page: str | None, confirmed: str | None, signed: str | None = None
) -> str | None:
    """The date an official document's signature block gives it (``signed``:
    the document's own date, whenever a page publishes it); else the dateline
    when it agrees with the page's date (it often adds the
    time); when they disagree, the page's date if the page states it (meta
    tags, <time>, the URL: ``confirmed``), else the dateline printed with the
    article (htmldate's guess from the markup is weaker evidence);
    whichever exists otherwise."""
    if signed:
        return signed
    if from_text and from_page:
        if from_text[:10] == from_page[:10]:
            return from_text
        return from_page if confirmed else from_text
    return from_text or from_page


def squash_key(s: str) -> str:
    """``s`` lowercased without punctuation, spaces or underscores (for comparisons)."""
    return _SQUASH.sub("", s).lower()


__all__ = [
    "page_date",
    "page_metadata",
    "pick_date",
    "read_page_lines",
    "squash_key",
    "states_a_day",
    "strip_site",
    "teaser_date",
    "title_segments",
]
