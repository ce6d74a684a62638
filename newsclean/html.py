"""HTML mode: trafilatura for the main content, then the text-level chrome detector.

Contract: ``clean_html(html: str, url: str | None, config: Config) -> Article``, and
``explain_html(...) -> (Article, Detection)`` with the per-line verdicts behind it
(trafilatura's text lines, or the flattened page's lines when it fell back).

The page is parsed once (trafilatura's loader, which repairs broken markup) and
the tree is shared, so a page costs one parse and one trafilatura extraction:

1. ``trafilatura.bare_extraction`` finds the main content; trafilatura's
   metadata helpers read the title, author and site name, and htmldate the
   date when the body's own lines cannot settle it.
2. trafilatura leaves related lists, editor lines, copyright and share text
   behind, especially on Chinese portals, so the chrome detector
   (:func:`newsclean.chrome.detect`, ``mode="html"``) judges every line of its
   text.  A leading headline that repeats the page title becomes ``title``.
3. Header and footer lines that trafilatura dropped (``来源：``, ``作者：``,
   ``责任编辑：``) are still read from the page for the metadata (the page's
   metadata, markup and lines, is :mod:`newsclean.meta_html`'s part).
4. When trafilatura keeps too little (broken markup, a stray ``</html>``, the
   article in a layout table or a container it does not recognise), the page
   is flattened like docs/contracts.md §4 text-mode input and cleaned in text mode
   instead, flagged ``html-fallback``: a poor extraction must not silently
   become an empty article.

:func:`flatten_html` is that flattening exactly as docs/contracts.md §4 specifies it
(BeautifulSoup); the benchmark builds its text-mode input with it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from copy import deepcopy
from functools import cached_property
from typing import TYPE_CHECKING, Any

from newsclean.article import Article
from newsclean.chrome import Detection, detect
from newsclean.chrome.detector import DATA_ROWS, is_data_row, is_number_cell
from newsclean.config import Config
from newsclean.density import content_root, densest_block
from newsclean.limits import Deadline, cap_attributes
from newsclean.meta_html import (
    page_date,
    page_metadata,
    pick_author,
    pick_date,
    read_page_lines,
    states_a_day,
    teaser_date,
    title_segments,
)
from newsclean.meta_html import squash_key as _key
from newsclean.normalize import normalize_line

if TYPE_CHECKING:
    from lxml.html import HtmlElement, HTMLParser

    from newsclean.chrome.detector import LineMemo

# Elements whose text is never page content (docs/contracts.md §4 step 2).
_INVISIBLE = ("script", "style", "noscript", "template")
# The lookbehind lets a match start only where a run of spaces starts: without
# it, a run that is not at the end of its line was rescanned from each of its
# characters (quadratic; 50,000 &nbsp; took 70 s, found by bench/fuzz.py).
_TRAILING_SPACE = re.compile(r"(?<![ \t\r\f\v\u00a0\u3000])[ \t\r\f\v\u00a0\u3000]+$", re.MULTILINE)
_BLANK_RUNS = re.compile(r"\n{3,}")
# libxml2 stops reading at the first </html>; a CMS that pastes a whole page
# template before the article leaves one in the middle.  Closing tags of html
# and body carry no structure (the parser closes them at the end anyway).
_CLOSE_ROOT = re.compile(r"</\s*(?:html|body)\s*>", re.IGNORECASE)
# libxml2 reads what <noframes> holds as raw text: a frameset page's whole
# article came out as one line of "<body><table><tr><td><h1>...", markup as
# body text.  Read as a <div>, it is the page it is (what a browser without
# frames shows).
_NOFRAMES = re.compile(r"<(/?)\s*noframes\b", re.IGNORECASE)
_LAYOUT_CELL = 120  # characters of prose in one table cell: layout, not data
_TINY = 200  # characters: trafilatura kept a caption or a menu, not an article
# characters: less than a short article, and the page is asked for more (a
# review's first paragraph kept, a page without <p> whose body is in <div>s)
_SHORT = 500
_HEADER_LINES = 3  # kept lines at the top of trafilatura's text that may be header
# trafilatura returned a layout table when this share of its text is table rows
_TABLE_DUMP = 0.25
_SURPLUS_FLOOR = 50  # characters: a short line of chrome is allowed on a short page
_AGREE = 0.8  # share of text mode's body that must lie inside trafilatura's table
_SURPLUS = 0.12  # non-link text the table may add, relative to text mode's body
_START_KEY = 12  # characters of a body line: enough to locate it in trafilatura's table
_DENSE_AGREE = 0.9  # share of each body inside the other: the density candidate agrees
# share of the page's visible characters inside tables: a page laid out in them
_LAYOUT_SHARE = 0.9
# visible characters (spaces aside): a larger page is left to trafilatura (the
# largest bench page has 48,000; the arbiter's searches grow with its square)
_EARLY_MAX_CHARS = 100_000
_HEADLINE_PART = 0.8  # of the <title>'s main part: the headline line, less a photo mark
_TITLE_WINDOW = 40  # lines above the body searched for the headline (as _choose_title)
# between a <title>'s headline and its site parts when unspaced ("Headline-搜狐新闻");
# an unspaced dash ("——") opens a Chinese headline's subtitle
_TITLE_JOINS = frozenset("-_|｜")
_PHOTO_MARK = re.compile(r"^\s*[（(][组多]?图[）)]")  # "Headline（图）-Site"
_MIN_HEADLINE = 4  # characters: a shorter start or end of a <title> is no headline
_TOP_TABLES = ".//table[not(ancestor::table)]"  # the outermost tables
_SPACES = " \n\t\r\f\v\u00a0\u3000"  # left out of _solid's counts
# libxml2 stops building the tree at 256 levels of nesting (2048 with its
# "huge" option), silently: 400 unclosed <font> blocks keep 254 of their lines.
# A tree that reaches near the limit is parsed again with the option; one that
# reaches near the second limit goes to the BeautifulSoup flattening, which
# has none.
_DEFAULT_DEPTH, _HUGE_DEPTH = 250, 2040

# trafilatura settings, each measured on the article-extraction-benchmark with
# bench/extraction.py (README, "HTML mode"):
# - fast=True skips trafilatura's second opinion (its readability/jusText
#   fallbacks): a third faster and no worse; our own fallback covers failures.
# - favor_precision=True: trafilatura alone loses recall with it (an empty
#   result on some pages), but the text-mode fallback recovers those, and the
#   teaser blocks it drops are the ones the line detector finds hardest
#   (F1 0.966 -> 0.968, and 10% faster).
# - include_comments=False: reader comments are not the article.
_EXTRACT_OPTIONS: dict[str, Any] = {
    "fast": True,
    "favor_precision": True,
    "include_comments": False,
    "include_tables": True,
    "with_metadata": False,  # read below, without trafilatura's costly byline hunt
}


def flatten_html(html: str) -> str:
    """The page's text as a scraper would dump it (docs/contracts.md §4, text-mode input).

    BeautifulSoup with the lxml parser, invisible elements dropped,
    ``get_text("\\n")``, trailing spaces stripped from each line, and runs of
    blank lines collapsed into one.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(cap_attributes(html), "lxml")
    for tag in soup(_INVISIBLE):
        tag.decompose()
    return _tidy(soup.get_text("\n"))


def _flatten_any(html: str) -> str:
    """:func:`flatten_html`'s text of a page trafilatura's loader rejects.

    A page rooted in something other than ``<html>`` (a crawler's ``<text>``
    wrapper, a fragment) still builds an lxml tree, and flattening that tree
    gives the same text at a tenth to a thirtieth of BeautifulSoup's cost; only
    what lxml cannot build within its depth limit goes to BeautifulSoup.
    """
    try:
        tree = _parse_huge(_prepared(html))
    except Exception:  # load_html's rejects include what lxml raises on; BeautifulSoup copes
        tree = None
    if tree is None or _reaches(tree, _HUGE_DEPTH):
        return flatten_html(html)
    return _flatten_tree(tree)


def _prepared(html: str) -> str:
    """``html`` as it is parsed: without closing root tags, <noframes> as <div>."""
    return _NOFRAMES.sub(r"<\1div", _CLOSE_ROOT.sub("", html))


def _tidy(text: str) -> str:
    text = _TRAILING_SPACE.sub("", text)
    # Whitespace-only lines became empty above, so blank runs are plain "\n\n\n+".
    return _BLANK_RUNS.sub("\n\n", text).strip("\n")


def _flatten_tree(tree: HtmlElement) -> str:
    """:func:`flatten_html` on the already parsed tree (and it mutates the tree).

    The same steps on trafilatura's parse, which has dropped HTML comments, so
    text that a comment split stays on one line; all of it runs inside lxml, at
    a tenth of BeautifulSoup's cost.
    """
    from lxml import etree

    etree.strip_elements(tree, *_INVISIBLE, with_tail=False)
    return _tidy("\n".join(tree.itertext()))


def clean_html(
    html: str, url: str | None, config: Config, *, deadline: Deadline | None = None
) -> Article:
    """One HTML page in, one cleaned Article out (see the module docstring)."""
    return explain_html(html, url, config, deadline=deadline)[0]


def explain_html(
    html: str,
    url: str | None,
    config: Config,
    *,
    deadline: Deadline | None = None,
    memo: LineMemo | None = None,
) -> tuple[Article, Detection]:
    """:func:`clean_html`'s Article and the line verdicts it was built from.

    ``deadline`` (``clean()`` passes one built from ``config.timeout``) is
    checked before each costly stage.  ``memo``: the page's
    :class:`~newsclean.chrome.detector.LineMemo`, shared by every detection of
    its lines (``explain`` passes one on to its stabilizing pass too).
    """
    from trafilatura import bare_extraction

    from newsclean.chrome.detector import LineMemo

    deadline = deadline or Deadline(None)
    memo = memo if memo is not None else LineMemo()
    html = cap_attributes(html)
    tree = _load_tree(_prepared(html))
    if tree is None:
        # Not a document lxml can build (a bare fragment, binary junk): the
        # forgiving BeautifulSoup flattening still gets its text.
        deadline.check("flattening")
        det = detect(_flatten_any(html), config, mode="text", memo=memo, deadline=deadline)
        return _finish(det, {}, url, ("html-fallback",)), det

    deadline.check("page metadata")
    meta = page_metadata(tree, url)
    # A page laid out in tables, with no article container, is one that
    # trafilatura can only return as the tables' rows, and text mode's body is
    # then weighed against those rows (below).  The page's own tables are that
    # dump at its widest, so when text mode's body settles them on their own
    # (and holds the page's data rows, which trafilatura would keep) the page
    # is decided without trafilatura.  Issue 12's speed: 29 of the 69 Chinese
    # benchmark pages, a tenth of the set's time; no bench page's Article
    # changes but for two titles that lose a table row's "| |" rules.
    flat: _Flattened | None = None  # the page flattened, once made
    early: Detection | None = None  # text mode's detection of it, and its title hint
    early_title = meta["title"]
    evidence: _Evidence | None = None  # the page's own evidence for the arbiter
    if _laid_out_in_tables(tree):
        deadline.check("the text-mode candidate")
        flat = _Flattened(tree)
        evidence = _Evidence(flat.visible, config, deadline, memo)
        early = detect(
            flat.text,
            config,
            hints={"title": early_title},
            mode="text",
            memo=memo,
            deadline=deadline,
        )
        early_body = _body(early)
        if (
            _settles_table(early_body, flat.tables, evidence, early_title)
            # the article's own data tables (standings, prices) are in it: a
            # data table, unlike a layout table's rows, is trafilatura's to keep
            and _keeps_rows(flat.data_rows, early_body)
            and not _article_container(tree)
        ):
            _title_from(early, meta)
            return _with_page_fields(early, early, meta, tree, flat, html, url, deadline)
    deadline.check("extraction")
    doc = bare_extraction(tree, url=url, **_EXTRACT_OPTIONS)  # works on a copy
    text = (getattr(doc, "text", None) if doc is not None else None) or ""
    deadline.check("chrome detection")
    det = detect(
        text, config, hints={"title": meta["title"]}, mode="html", memo=memo, deadline=deadline
    )
    det, headline = _lift_header(_second_guess_related(det, config), meta, url)
    if headline:  # the visible headline, without the <title>'s section and site parts
        meta["title"] = headline
    body = _body(det)
    kept = sum(len(p) for p in body if not _is_layout_row(p))

    # The fallback test runs text mode over the whole page, which costs as much
    # as the rest, so it is only asked when trafilatura kept less than a short
    # article or less than `ratio` of the page's paragraph (<p>) text; text
    # mode must then find `1/ratio` times more body, and include what
    # trafilatura kept.
    ratio = config.html_fallback_ratio
    table_dump = _table_share(body) >= _TABLE_DUMP
    if kept < _SHORT or kept < ratio * _paragraph_chars(tree) or table_dump:
        deadline.check("the text-mode fallback")
        flat = flat or _Flattened(tree)
        if early is not None and meta["title"] == early_title:
            alt = early  # the same text with the same hint: the same verdicts
        else:
            alt = detect(
                flat.text,
                config,
                hints={"title": meta["title"]},
                mode="text",
                memo=memo,
                deadline=deadline,
            )
        alt_body = _body(alt)
        evidence = evidence or _Evidence(flat.visible, config, deadline, memo)
        if (kept < ratio * sum(map(len, alt_body)) and _covers(alt_body, body, kept)) or (
            table_dump and _settles_table(alt_body, body, evidence, meta["title"])
        ):
            return _with_page_fields(alt, det, meta, tree, flat, html, url, deadline)
    return _with_page_fields(det, det, meta, tree, flat, html, url, deadline, flags=())


def _body(det: Detection) -> list[str]:
    """The detection's body paragraphs (none when it found no body)."""
    return det.paragraphs() if "no-body" not in det.flags else []


def _with_page_fields(
    chosen: Detection,
    det: Detection,
    meta: dict[str, str | None],
    tree: HtmlElement,
    flat: _Flattened | None,
    html: str,
    url: str | None,
    deadline: Deadline,
    flags: tuple[str, ...] = ("html-fallback",),
) -> tuple[Article, Detection]:
    """The Article of the ``chosen`` detection, with the page's date and labelled
    lines read around it; ``det`` is the one whose removed lines say which
    dates are teasers' (trafilatura's text, or the chosen one without it)."""
    found, page_url = chosen.metadata, url or meta["url"]
    # htmldate costs a tenth of a page.  Its date loses to a signature's, and
    # to a dateline in the body's lines unless the page states it (pick_date):
    # it is only asked when it can make a difference.  It reads the whole
    # tree: the scripts hold JSON-LD.
    if not found.get("signed") and (not found.get("date") or states_a_day(tree, page_url)):
        deadline.check("page date")
        date, stated = page_date(tree, page_url)
        if date and not teaser_date(date, det, tree):
            meta["date"], meta["confirmed"] = date, "yes" if stated else None
    # The page's lines are read from its visible text once it was flattened:
    # a script's source between the info bar and the body is no line of the
    # page, and would end the search for the dateline above the body.
    read_page_lines(meta, tree if flat is None else flat.visible, html, chosen)
    return _finish(chosen, meta, url, flags), chosen


def _title_from(det: Detection, meta: dict[str, str | None]) -> None:
    """The visible headline as the title, as :func:`_lift_header` takes it from
    the top of trafilatura's text: the nearest line above the body that is the
    <title> without its section and site parts.  That is a line that is

    - the main part of the <title> ("Headline_Channel_Site": the longest part
      between its spaced separators), or most of it ("Headline（图）"); or
    - the <title>'s start or end, a separator right after or before it
      ("Headline（图）-搜狐新闻", "新闻中心-Headline"; a colon is no separator:
      "Results: Senate stays red" is one headline).

    The search goes up from the body over :data:`_TITLE_WINDOW` lines and
    stops at a line that is the whole <title> or another of its parts: the
    title then stays whole, as it did.  A two-line headline's lines, a kicker
    or a channel name are none of these, and never the title."""
    title = meta.get("title")
    if not title:
        return
    parts = sorted(map(_key, title_segments(title)), key=len)
    main, others, whole = parts[-1], set(parts[:-1]), _key(title)
    body = next((i for i, v in enumerate(det.lines) if v.reason is None and v.text.strip()), 0)
    lines = [v.text.strip() for v in reversed(det.lines[:body]) if v.text.strip()]
    for line in lines[:_TITLE_WINDOW]:
        key = _key(line)
        if not key:
            continue  # a rule or a bar between menu items
        if key == whole:
            return
        if (
            len(parts) > 1
            and (key == main or (key in main and len(key) >= _HEADLINE_PART * len(main)))
        ) or _title_end(line, title):
            meta["title"] = line
            return
        if key in others:
            return


def _title_end(line: str, title: str) -> bool:
    """``line`` starts or ends ``title``, a separator where it meets the rest."""
    if len(line) < _MIN_HEADLINE or line == title:
        return False
    if title.startswith(line):
        rest = _PHOTO_MARK.sub("", title[len(line) :], count=1).lstrip()
        return rest[:1] in _TITLE_JOINS
    if title.endswith(line):
        return title[: -len(line)].rstrip()[-1:] in _TITLE_JOINS
    return False


def _laid_out_in_tables(tree: HtmlElement) -> bool:
    """The page's visible text lies in tables (:data:`_LAYOUT_SHARE` of its
    characters, spaces aside).  Without an article container
    (:func:`_article_container`) trafilatura falls back to the page's wild
    text, and the tables come back whole, row by row.

    Cheap on every page: a page without tables stops at one search, and the
    counts are XPath ``string()`` values, built in C.  A page of more than
    :data:`_EARLY_MAX_CHARS` is not decided early: weighing the tables costs
    more than trafilatura there (a 20,000-row catalogue took 18 s in
    :func:`_refines`'s substring searches, past the default timeout).
    """
    root = content_root(tree)
    tops = root.xpath(_TOP_TABLES)
    if not tops:
        return False
    total, inside = _solid(root), sum(map(_solid, tops))
    for hidden in root.iter(*_INVISIBLE):
        if next(hidden.iterancestors(*_INVISIBLE), None) is None:  # counted once
            n = _solid(hidden)
            total -= n
            if next(hidden.iterancestors("table"), None) is not None:
                inside -= n
    return 0 < total <= _EARLY_MAX_CHARS and inside >= _LAYOUT_SHARE * total


def _article_container(tree: HtmlElement) -> bool:
    """The page has the kind of article container trafilatura looks for first
    (its ``BODY_XPATH``: ``<article>``, ``class="post-content"``...): it would
    extract that, not the wild text of the tables.  Asked last, as these
    searches cost a few milliseconds on a large page."""
    from trafilatura.xpaths import BODY_XPATH

    return any(expression(tree) for expression in BODY_XPATH)


def _solid(element: HtmlElement) -> int:
    """Characters of the element's text, the common spaces left out."""
    text: str = element.xpath("string()", smart_strings=False)
    return len(text) - sum(map(text.count, _SPACES))


class _Flattened:
    """The page flattened as text-mode input (:func:`flatten_html`), from a copy
    of the tree without its invisible elements; the tree itself stays whole
    for htmldate (the scripts hold JSON-LD).  The copy's tables are read on
    first use."""

    def __init__(self, tree: HtmlElement) -> None:
        # A copy of the whole document, not of ``tree`` alone: a page wrapped
        # in a crawler's <text> root is parsed into html/body around it, and
        # the page-line searches (//body//text()) must still find that body.
        page = tree.getroottree()
        visible: HtmlElement = deepcopy(page).xpath(page.getpath(tree))[0]
        self.visible = visible
        self.text = _flatten_tree(visible)

    @cached_property
    def tables(self) -> list[str]:
        """The text of each outermost table: trafilatura's table dump at its widest."""
        return ["".join(t.itertext()) for t in content_root(self.visible).xpath(_TOP_TABLES)]

    @cached_property
    def data_rows(self) -> list[str]:
        """The rows of data tables, as trafilatura renders them (``| cell |
        cell |``): short cells, one a number (:func:`is_data_row`), one a name
        or a word, not a row of links, and at least ``DATA_ROWS`` such rows in
        their table.  A calendar's or a pager's row of numbers, a lone row, a
        row of links, a row that holds a table: a widget or layout."""
        tables: dict[HtmlElement, list[str]] = {}
        for tr in content_root(self.visible).iter("tr"):
            if tr.find(".//tr") is not None:
                continue
            cells = [" ".join("".join(c.itertext()).split()) for c in tr if c.tag in ("td", "th")]
            row = "| " + " | ".join(cells) + " |"
            if (
                is_data_row(row)
                and any(c and not is_number_cell(c) for c in cells)
                and 2 * sum(len("".join(a.itertext()).strip()) for a in tr.iter("a"))
                < sum(map(len, cells))
            ):
                tables.setdefault(next(tr.iterancestors("table"), tr), []).append(row)
        return [row for rows in tables.values() if len(rows) >= DATA_ROWS for row in rows]


def _keeps_rows(rows: list[str], body: list[str]) -> bool:
    """Nearly all of the rows' text (``_AGREE``) lies in the body, or there are none."""
    return not rows or _inside(rows, body) >= _AGREE


def _settles_table(
    alt_body: list[str], table: list[str], page: _Evidence, title: str | None
) -> bool:
    """Text mode's body wins over a table dump (trafilatura's rows, or the
    page's own tables): it refines the table, or it starts where the table's
    prose starts and the densest block agrees with it."""
    return _refines(alt_body, table, page) or (
        _leads(alt_body, table, page) and _densest_agrees(alt_body, page, title)
    )


def _load_tree(html: str) -> HtmlElement | None:
    """trafilatura's parse of ``html``; parsed again past libxml2's depth limit.

    None when lxml cannot build a document, or when even the huge-tree parse
    is cut (the caller then flattens with BeautifulSoup).
    """
    tree = _parse(html)
    if tree is None or not _reaches(tree, _DEFAULT_DEPTH):
        return tree
    tree = _parse_huge(html)
    return None if tree is None or _reaches(tree, _HUGE_DEPTH) else tree


def _reaches(tree: HtmlElement, depth: int) -> bool:
    """Some element lies ``depth`` levels below the root (one XPath, in C)."""
    return bool(tree.xpath("boolean(" + "*/" * (depth - 1) + "*)"))


def _html_parser(*, huge: bool) -> HTMLParser:
    """trafilatura's parser (``trafilatura.utils.HTML_PARSER``'s options), with
    libxml2's huge-tree option when ``huge``, and lxml's element classes
    assigned in C.

    lxml.html's own class lookup is a Python method that runs for every element
    Python touches (each XPath result, each ancestor of an iteration); the
    extraction, which walks the tree and its copies many times, spent a sixth
    of newsclean's time on the Chinese benchmark set in it.  The C lookup gives
    every element the plain ``HtmlElement`` class, the same methods, which is all
    trafilatura, htmldate and newsclean use (the form classes that lxml.html
    would pick for ``<form>``, ``<input>``... only add form-filling helpers); the
    classes stay with the tree and its copies.  A new parser per call, since
    lxml parsers are not to be shared between threads.
    """
    from lxml.etree import ElementDefaultClassLookup
    from lxml.html import (
        HtmlComment,
        HtmlElement,
        HtmlEntity,
        HTMLParser,
        HtmlProcessingInstruction,
    )

    parser = HTMLParser(
        collect_ids=False,
        default_doctype=False,
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        huge_tree=huge,
    )
    parser.set_element_class_lookup(
        ElementDefaultClassLookup(
            element=HtmlElement,
            comment=HtmlComment,
            pi=HtmlProcessingInstruction,
            entity=HtmlEntity,
        )
    )
    return parser


def _parse(html: str) -> HtmlElement | None:
    """trafilatura's ``load_html`` of a ``str``, step by step, with :func:`_html_parser`.

    The same repair, the same parse (of the text, or of its UTF-8 bytes when it
    declares an encoding or the text parse is empty), the same rejection of a
    page that neither names html nor parses to two children.
    """
    from lxml.html import fromstring
    from trafilatura.utils import is_dubious_html, repair_faulty_html

    parser = _html_parser(huge=False)
    beginning = html[:50].lower()
    dubious = is_dubious_html(beginning)
    fixed = repair_faulty_html(html, beginning)
    tree: HtmlElement | None = None
    bytes_tried = False
    try:
        tree = fromstring(fixed, parser=parser)
    except ValueError:  # a str with an encoding declaration
        tree, bytes_tried = _parse_bytes(fixed, parser), True
    except Exception:  # load_html's catch-all: lxml raises many kinds
        tree = None
    if (tree is None or len(tree) < 1) and not bytes_tried:
        tree = _parse_bytes(fixed, parser)
    if tree is not None and dubious and len(tree) < 2:
        return None
    return tree


def _parse_bytes(html: str, parser: HTMLParser) -> HtmlElement | None:
    from lxml.html import fromstring

    try:
        return fromstring(html.encode("utf-8", "surrogatepass"), parser=parser)  # type: ignore[no-any-return]
    except Exception:  # as load_html's fromstring_bytes
        return None


def _parse_huge(html: str) -> HtmlElement | None:
    """The parse of trafilatura's ``load_html`` with libxml2's huge-tree option."""
    from lxml.etree import ParserError
    from lxml.html import fromstring
    from trafilatura.utils import repair_faulty_html

    parser = _html_parser(huge=True)
    fixed = repair_faulty_html(html, html[:50].lower())
    try:
        try:
            return fromstring(fixed, parser=parser)  # type: ignore[no-any-return]
        except ValueError:  # a str with an encoding declaration
            return fromstring(fixed.encode("utf-8", "surrogatepass"), parser=parser)  # type: ignore[no-any-return]
    except (ParserError, ValueError):
        return None


def _is_layout_row(paragraph: str) -> bool:
    """A table row whose cell holds prose: a layout table, not data.

    trafilatura renders every table row as one ``| cell | cell |`` line, so an
    article laid out in a table (old portals, government sites) comes back
    mashed into one line with the menu and the footer.  Such text does not
    count as kept, which sends the page to the fallback.
    """
    return paragraph.startswith("|") and any(len(c) > _LAYOUT_CELL for c in paragraph.split("|"))


def _table_share(body: list[str]) -> float:
    """The share of the body's characters in ``| cell | cell |`` rows, data rows aside.

    A data row (short cells, one of them a number: standings, a timetable) is
    the article's table, not a layout table dumped whole; text mode, which
    has one cell per line, has nothing to refine in it.
    """
    total = sum(map(len, body))
    dump = sum(len(p) for p in body if p.startswith("|") and not is_data_row(p))
    return dump / total if total else 0.0


class _Evidence:
    """What the arbitration of a table dump reads from the page itself, each
    piece computed on first use and once: a page may be weighed twice, on its
    own tables and then on trafilatura's rows, with the same text-mode body.
    One per page (:func:`explain_html` makes it); nothing outlives the call.
    """

    def __init__(
        self,
        tree: HtmlElement,
        config: Config,
        deadline: Deadline,
        memo: LineMemo | None = None,
    ) -> None:
        self.tree, self.config, self.deadline, self.memo = tree, config, deadline, memo
        self._dense: dict[str | None, list[str] | None] = {}

    @cached_property
    def links(self) -> list[str]:
        """The page's link texts, squashed, longest first (see :func:`_unlinked`)."""
        keys = {_key("".join(a.itertext())) for a in self.tree.iter("a")}
        return sorted((k for k in keys if len(k) > 1), key=len, reverse=True)

    def dense(self, title: str | None) -> list[str] | None:
        """The detector's body of the page's densest block (None: no block)."""
        if title not in self._dense:
            self.deadline.check("the density candidate")
            block = densest_block(self.tree)
            self._dense[title] = (
                None
                if block is None
                else _body(
                    detect(
                        block.text,
                        self.config,
                        hints={"title": title},
                        mode="html",
                        memo=self.memo,
                        deadline=self.deadline,
                    )
                )
            )
        return self._dense[title]


def _refines(alt_body: list[str], body: list[str], page: _Evidence) -> bool:
    """Text mode's body is a refinement of trafilatura's table dump.

    When trafilatura finds no article container it returns a layout table
    whole: the article's cell together with the menu, hot-news and copyright
    cells around it.  The text detector, run on the same page, judged those
    lines one by one.  Its body wins when the two agree on the article (nearly
    all of text mode's body lies inside trafilatura's table) and the evidence
    says the rest of the table is chrome: once text mode's body and the page's
    link texts (menus, headline lists) are taken out, little text is left
    (``_SURPLUS`` of text mode's body).  Non-link text beyond that may be body
    that text mode cut (a data table, a long post it split) or another post,
    so trafilatura's text stays.
    """
    if not alt_body:
        return False
    table = "".join(map(_key, body))
    alt_keys = sorted((k for k in map(_key, alt_body) if k), key=len, reverse=True)
    alt_chars = sum(map(len, alt_keys))
    inside = sum(len(k) for k in alt_keys if k in table)
    if not alt_chars or inside < _AGREE * alt_chars:
        return False
    rest = table
    for k in alt_keys:
        rest = rest.replace(k, "", 1)
    allowed = max(_SURPLUS * alt_chars, _SURPLUS_FLOOR)
    return len(_unlinked(rest, page.links, allowed)) <= allowed


def _leads(alt_body: list[str], body: list[str], page: _Evidence) -> bool:
    """Text mode's body starts where the prose of trafilatura's table starts.

    Before it, the table may hold the page's header: menus (link texts) and a
    line or two (a site name, a dateline), no more than ``_SURPLUS`` of text
    mode's body (or ``_SURPLUS_FLOOR`` characters).  More unlinked text above
    it means the detector chose a later story of a page with several (a blog
    index; issue 12's "sidebar story over the main story"), and the story it
    skipped is as likely the article.
    """
    table = "".join(map(_key, body))
    keys = [k for k in map(_key, alt_body) if k]
    starts = [i for i in (table.find(k) for k in keys if len(k) >= _START_KEY) if i >= 0]
    if not starts:
        return False
    lead = table[: min(starts)]
    allowed = max(_SURPLUS * sum(map(len, keys)), _SURPLUS_FLOOR)
    return len(_unlinked(lead, page.links, allowed)) <= allowed


def _unlinked(text: str, links: list[str], enough: float) -> str:
    """``text`` (squashed) without the page's link texts (squashed, longest
    first so that a short link text does not split a longer one); stops once
    ``enough`` is left.  ``links`` is read only when there is more than that."""
    if len(text) <= enough:
        return text
    for link in links:
        if link in text:
            text = text.replace(link, "")
            if len(text) <= enough:
                break
    return text


def _densest_agrees(alt_body: list[str], page: _Evidence, title: str | None) -> bool:
    """A third, independent candidate says text mode's body is the article.

    On a table dump trafilatura and the text detector disagree, and the
    table's surplus (:func:`_refines`) may be chrome without links (a
    copyright notice, dates) or other posts of a blog page.  The page's
    densest subtree (:func:`newsclean.density.densest_block`, found from the
    tree's shape alone) is a second view of where the article is: the
    detector judges its lines too, and when that body and text mode's body
    are the same text (each lies ``_DENSE_AGREE`` inside the other), two
    views of the page (all of it flattened; the block its shape singles out)
    agree, and text mode's body wins.  The detector is shared, so the vote is
    only asked after :func:`_leads`: where it chose a later story, the
    densest block (the container of all stories) agrees with it just as well.
    Measured with bench/extraction.py, same run with and without: the Chinese
    set's HTML F1 0.943 -> 0.954 (3 layout-table pages: a blog post, an
    interview, a forum post), the English set unchanged (no page changes).
    """
    if not alt_body:
        return False
    dense = page.dense(title)
    if dense is None:
        return False
    return _inside(alt_body, dense) >= _DENSE_AGREE and _inside(dense, alt_body) >= _DENSE_AGREE


def _inside(lines: list[str], other: list[str]) -> float:
    """The share of ``lines``' characters (squashed) that lie inside ``other``'s text."""
    text = "".join(map(_key, other))
    keys = [k for k in map(_key, lines) if k]
    total = sum(map(len, keys))
    return sum(len(k) for k in keys if k in text) / total if total else 0.0


def _paragraph_chars(tree: HtmlElement) -> int:
    # plain strings: a "smart" one per text node (with its parent) is not needed to count
    return sum(map(len, tree.xpath("//p//text()", smart_strings=False)))


def _covers(alt_body: list[str], body: list[str], kept: int) -> bool:
    """Text mode's body contains most of what trafilatura kept (or trafilatura
    kept almost nothing).  Otherwise text mode chose another part of the page,
    a comment thread or a teaser list, and trafilatura's DOM view is the better bet."""
    if kept < _TINY:
        return True
    alt_all = "".join(map(_key, alt_body))
    hit = sum(len(p) for p in body if _key(p) in alt_all)
    return hit >= 0.5 * kept


def _second_guess_related(det: Detection, config: Config) -> Detection:
    """Keep a related-list verdict only where the lexicon says so.

    On trafilatura's text the detector's *structural* related-list evidence
    (a line printed twice, a run of short lines) mostly hits article content:
    recipe steps, deal lists, repeated table rows; trafilatura's DOM view
    (link density, containers) has already dropped most real teaser lists.
    So a related-list line stays removed only when it is chrome on its own
    (the detector judges the single line: "相关新闻", "Related: ...") or when it
    follows such a line without body in between (the items of a list that
    trafilatura left behind).  Measured on the benchmark: F1 0.969 -> 0.973,
    precision unchanged.
    """
    lines = list(det.lines)
    changed = False
    in_list = False
    for i, v in enumerate(lines):
        if v.reason is None and v.text.strip():
            in_list = False
        elif v.reason == "related-list":
            if detect(v.text, config, mode="html").lines[0].reason == "related-list":
                in_list = True
            elif not in_list:
                lines[i] = dataclasses.replace(v, reason=None, doubt="related-list")
                changed = True
    if not changed:
        return det
    return _settle_no_body(dataclasses.replace(det, lines=tuple(lines)), config)


def _settle_no_body(det: Detection, config: Config) -> Detection:
    """``det`` with its ``no-body`` verdict taken again after lines were kept.

    The detector says ``no-body`` when less than ``min_body_chars`` is kept,
    and then removes the lines it kept as ``no-body``.  A page whose body it
    took for a teaser list (dated sections: a date line, a paragraph, another
    date line) had every line a related-list and the flag; keeping the lines
    back (:func:`_second_guess_related`) left the flag on a kept body, so the
    Article had text and ``no-body`` (docs/contracts.md: no-body is
    ``text == ""``).  The same rule as the detector's, on the lines now kept:
    enough text is a body, its no-body lines kept too (the detector had kept
    them); too little is still no body, and the lines kept back go as well.
    """
    if "no-body" not in det.flags:
        return det
    kept = sum(
        len(v.kept if v.kept is not None else v.text)
        for v in det.lines
        if v.reason in (None, "no-body")
    )
    if kept < config.min_body_chars:
        lines = tuple(
            dataclasses.replace(v, reason="no-body", doubt=None) if v.reason is None else v
            for v in det.lines
        )
        return dataclasses.replace(det, lines=lines)
    lines = tuple(
        dataclasses.replace(v, reason=None) if v.reason == "no-body" else v for v in det.lines
    )
    flags = tuple(f for f in det.flags if f != "no-body")
    return dataclasses.replace(det, lines=lines, flags=flags)


def _lift_header(
    det: Detection, meta: Mapping[str, str | None], url: str | None
) -> tuple[Detection, str | None]:
    """Lift the headline and a printed page address out of the first kept lines.

    trafilatura often starts its text with the ``<h1>`` (docs/contracts.md §1 keeps the
    title out of ``text``), sometimes after a "print" line with the page's URL.
    Only the first few kept lines are looked at, and the headline must be the
    page title or a segment of it ("Opinion | Headline | Site").
    """
    title = meta.get("title")
    tkey = _key(title) if title else ""
    urls = {u.rstrip("/") for u in (url, meta.get("url")) if u}
    lines = list(det.lines)
    headline = None
    seen = 0
    for i, v in enumerate(lines):
        if v.reason is not None or not v.text.strip():
            continue
        seen += 1
        if seen > _HEADER_LINES:
            break
        s = v.text.strip()
        if s.rstrip("/") in urls:
            lines[i] = dataclasses.replace(v, reason="metadata", doubt=None)
        elif tkey and _is_title(_key(s), tkey):
            lines[i] = dataclasses.replace(v, reason="title", doubt=None)
            headline = s
            break
    if lines == list(det.lines):
        return det, None
    return dataclasses.replace(det, lines=tuple(lines)), headline


def _is_title(k: str, tkey: str) -> bool:
    if len(k) < 4:
        return False
    if k == tkey:
        return True
    # the line is most of the title (the title adds a section or site name) ...
    if k in tkey and len(k) >= 0.5 * len(tkey):
        return True
    # ... or the title is most of the line (the line adds a kicker).
    return tkey in k and len(tkey) >= 0.8 * len(k)


def _finish(
    det: Detection, meta: Mapping[str, str | None], url: str | None, flags: tuple[str, ...]
) -> Article:
    """The Article, with the detector's fields merged into the page's.

    Lines in the text (or on the page) that credit a source, author or editor
    beat the markup: they name the agency of a reprint, where og:site_name names
    the portal.  Title and date prefer the markup, which is less ambiguous.
    """
    art = det.to_article(url=url, flags=flags)
    found = det.metadata

    def first(*values: str | None) -> str | None:
        # Fields get the body's normalization (spaces, width, punctuation).
        value = next((v for v in values if v), None)
        return normalize_line(value, det.config) or None if value else None

    return dataclasses.replace(
        art,
        title=first(meta.get("title"), found.get("title")),
        date=pick_date(
            found.get("date") or meta.get("page_date"),
            meta.get("date"),
            meta.get("confirmed"),
            found.get("signed"),
        ),
        source=first(found.get("source"), meta.get("page_source"), meta.get("source")),
        author=first(pick_author(det, meta)),
        editor=first(found.get("editor"), meta.get("page_editor")),
    )


__all__ = ["clean_html", "explain_html", "flatten_html"]
