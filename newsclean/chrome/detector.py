"""The detector: lines -> units -> features -> one contiguous body run -> verdicts.

Structure decides the hard cases, lexicons the explicit ones:

1. Split the page into lines; glue link fragments of one paragraph into a unit
   (a flattened ``<p>`` with a link breaks into "text", "link", ", more").
2. Score every unit: lexicon chrome is strongly negative (an end-of-article
   marker even more), prose is positive in proportion to its length, short and
   list-like lines are mildly negative, duplicated headlines more so.
3. The body is the maximum-sum contiguous run of units (Kadane): short
   subheadings between paragraphs survive, a prose teaser stranded among
   headlines and dates after an end marker does not.
4. Every other unit gets a reason: its lexicon class, ``metadata`` / ``title``
   when lifted into fields, else the class of the section it sits in.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from newsclean.chrome.features import (
    BAD,
    GOOD,
    NEAR,
    SHORT,
    LineFeatures,
    line_counts,
    line_features,
)
from newsclean.chrome.language import guess_language
from newsclean.chrome.lexicon import (
    GUESS_ONLY,
    LANGUAGE_FILES,
    ChromeRule,
    Lexicon,
    load_lexicon,
    prefix_in_prose,
    reports,
    sentence_after_notice,
)
from newsclean.chrome.metadata import (
    Meta,
    bare_names,
    credit_words,
    dangling_label,
    dangling_value,
    find_date,
    inline_author,
    issuer,
    opens_byline,
    parse_meta_line,
    posted_by,
    posted_label,
    poster_above,
    role_only,
    trailing_credit,
    url_date,
)
from newsclean.chrome.threads import HEADER_MAX, ThreadSigns, mark_signs, thread_headers
from newsclean.config import Config
from newsclean.limits import Deadline

# Kadane weights, in visual units (one CJK character = 3).
END_PENALTY = 600.0  # an end-of-article marker: only a long article continues past it
RULE_PENALTY = 150.0  # explicit chrome, plus its own length
SHORT_PENALTY = 10.0  # a menu item, a caption, a subheading: bridged by prose around it
DUP_PENALTY = 60.0  # a headline printed twice (related lists do that)
BAD_SCALE = 0.5
INLINE_BOX_MAX = 8  # units between a related heading inside an article and its prose
RESUME_MIN = 200  # prose (visual length, two paragraphs or more) that must follow such a box
DUP_GAP = 2  # units apart at most for a repeated line to count as a duplicated headline
KEY_MAX = 450  # units at least this long are compared verbatim, not squashed
TEASER_MAX = 450  # a teaser under a headline is at most a couple of sentences
PLAIN_TEASER_MAX = 250  # ... under a sentence-case headline, about one sentence
PLAIN_HEADLINE_MAX = 150
BYLINE_MAX = 2  # byline and date units between a list item's headline and its teaser
DATED = 3  # _pair_at's kind for a dated item
TABLE_MIN = 4  # cells of a data table inside the article at least (see _across_tables)
TABLE_NUMBERS = 3  # ... of which cells that are a number (a quarter of them at least)
TEASER_SHARE = 0.6  # a sentence-case list's teasers: this short next to the article's paragraphs
DAMP_AFTER = 400.0  # prose needed before an end marker counts as ending the article
DAMPING = 0.2
STORY_SHARE = 0.25  # a candidate story is worth this share of the best run at least
STORY_HEAD = 3  # units above a story where its headline and date line sit
# Only markers after which a page never resumes its article: a related list can
# sit inside an article ("Related: ..."), a comment box, a legal footer or the
# continue link of a truncated reprint ("……阅读全文", "Read more >>") cannot.
DAMPING_CLASSES = frozenset({"comments", "copyright", "cookie-notice", "continue-link"})

DEADLINE_UNITS = 4096  # units judged between two looks at the deadline
AMID_RUN = 3  # chrome lines in a row that prose on both sides carries the body across
MENU_RUN = 3  # menu-like units in a row that make a menu
MENU_ITEM = 24  # visual length of a menu item at most (eight CJK characters)
MENU_WORDS = 2  # words of a menu item at most, in a space-delimited script
_DIGIT = re.compile(r"\d")
#: The rule a comment-thread header (threads.py) gets: comments, an end marker.
THREAD_RULE = ChromeRule(
    reason="comments", head=None, anywhere=None, max_len=HEADER_MAX, end=True, strip=False
)

_CONTINUATION = re.compile(r"[,.;:!?)\]’”…»%a-z]")  # tried with match: the first character
_OPEN_END = re.compile(r"[a-z,;(“‘\-–—]")  # tried on the last character
# cheap gate before the metadata parsers: a digit, a colon, a credit word, "by".
# Separate scans: a character class and literals run at C speed, one
# alternation with a leading \b is tried at every position (see _meta_hint).
_META_HINT_CHARS = re.compile(r"[\d:：]")
# \bby\b, IGNORECASE (which folds nothing else into b or y); the leading \b is a
# lookbehind at the end so that the scan starts on the character class
_META_HINT_BY = re.compile(r"[bB][yY]\b(?<!\w[bB][yY])")
#: a sentence's end, before any closing quotes or brackets (a headline may end
#: on a quoted title: "... Stars of 'This Is the End'")
_FULL_STOP = re.compile(r"[.!?。！？…][\"”’'」』)）]*$")
# a statement's end: a closing sentence is not a question ("Like this article?")
_CLOSING_STOP = re.compile(r"[.!。！][\"”’'」』)）]*$")
# a full stop (not an ellipsis, nor a question or an exclamation that a headline may end on)
_PERIOD = re.compile(r"(?<!\.)[.。][\"”’'」』)）]*$")
#: A speaker's label before a line of an interview: one to three words, a colon.
_SPEAKER = re.compile(r"[^\s:：]{1,16}(?:\s[^\s:：]{1,16}){0,2}\s?[:：]\s*\S")
_QUESTION_STOP = re.compile(r"[?？][\"”’'」』)）]*$")
#: a table cell that is a number: a score, a share, an amount, a time
_NUMBER_CELL = re.compile(r"[-+−–(#$€£¥]?\s?\d[\d\s.,:/%()–-]*")
#: a paragraph the page cut off: a word, then a bare ellipsis ("... may receive further....")
_CUT_OFF = re.compile(r"\w\s?(?:\.{3,}|…)\s*$")
_BULLET = re.compile(r"[-–•·▪●◆■*]\s")
_SQUASH = re.compile(r"[\s\W_]+")
_BRACKET_HEAD = re.compile(r"^【([^】]{2,80})】")
#: a CJK outline number ("一、", "（二）", "3、"): a section of the text's own
#: outline starts here, which a page's headline never does
_OUTLINE = re.compile(
    r"[一二三四五六七八九十百]+、|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,3}、"
)
#: The optional bullet before a doubled phrase; every prefix of its match is a
#: lead too (``\s*[•·\-*]?\s*``), see _doubled.
_DOUBLED_LEAD = re.compile(r"\s*[•·\-*]?\s*")
_DOUBLED_MIN = 6  # characters: a shorter phrase printed twice is a word, not a headline
_DOUBLED_MAX_CHARS = 4 * KEY_MAX  # raw characters: a headline printed twice is never this long


@dataclass(slots=True)  # one per line: slots make building and reading it cheaper
class Unit:
    """One paragraph: a line, or link fragments glued back together."""

    lines: list[int]  # 0-based indices into the input lines
    text: str
    feats: LineFeatures
    rule: ChromeRule | None = None
    meta: dict[str, str | None] | None = None  # fields, when the unit is only metadata
    dup: bool = False
    teaser: bool = False  # part of a headline/teaser alternation (a related list)
    weak: bool = False  # the rule is evidence only: structure around the unit decides
    box: bool = False  # a headline link inside an inline related box
    title: bool = False
    reason: str | None = None
    doubt: str | None = None
    key: str = ""  # the text squashed for comparisons (no spaces, punctuation, case)
    body: str | None = None  # kept text when a fragment was cut out
    cut: str | None = None  # the fragment cut out
    cut_reason: str = "injection"  # why: an injected prefix, or a continue marker
    ends: bool = False  # a continue marker was cut off its end: the body ends here
    #: removed (or cut) for what it is, not only for where it stands (see _mark_evidence)
    evidence: bool = False
    thread: bool = False  # a comment-thread header (user, time, floor, reply widgets)
    #: Carries a time of day or a relative time (threads.STAMP); None: not read yet.
    stamped: bool | None = None
    #: chrome between two paragraphs of prose: removed, but the body goes on (see _amid_prose)
    amid: bool = False


def _doubled(text: str) -> bool:
    r"""The line (stripped) is one phrase printed twice: a lead (an optional
    bullet between spaces), the phrase of at least six characters on one
    line, spaces, the same phrase again.

    This is the regex ``^\s*[•·\-*]?\s*(.{6,}?)\s+\1\s*$`` without its
    backtracking, which tries every split of the line and is quadratic in a
    run of spaces (ReDoS, issue 11): the second copy ends the line, so the
    phrase ends where the line's last word ends, and the spaces between the
    copies are the run through the middle of the line.  That leaves one split
    to compare per lead, and only the last few cuts of each space run of the
    lead can matter (tests/test_redos.py checks it against the regex).
    """
    if len(text) > _DOUBLED_MAX_CHARS:
        return False
    # Two copies need a space between them, and a copy has a character that
    # is not one: a line that is one word (most CJK lines) is never doubled.
    if len(text.split(None, 1)) < 2:
        return False
    lead = _DOUBLED_LEAD.match(text)
    end = lead.end() if lead else 0
    bullet = len(text) - len(text.lstrip())  # where the bullet would stand
    cuts = {*range(max(0, bullet - _DOUBLED_MIN), min(bullet, end) + 1)}
    cuts.update(range(max(0, end - _DOUBLED_MIN), end + 1))
    return any(_same_halves(text[k:]) for k in sorted(cuts))


def _same_halves(rest: str) -> bool:
    """``rest`` is ``P W P T``: P a phrase of one line (``.{6,}``), W and T spaces."""
    body = rest.rstrip()
    n = len(body)
    if not n:
        return False
    mid = (n - 1) // 2  # in the spaces between the copies, if they are equal
    if not body[mid].isspace():
        return False
    cut = len(body[: mid + 1].rstrip())  # where those spaces start: the first copy ends
    if not cut or body[n - cut :] != body[:cut] or not body[cut : n - cut].isspace():
        return False
    if "\n" in body[:cut]:
        return False
    if cut >= _DOUBLED_MIN:
        return True
    # A shorter phrase may end in spaces: the same ones after each copy (the
    # second copy's end in the line's trailing spaces), one left between.
    gap, tail = body[cut : n - cut - 1], rest[n:]
    need = _DOUBLED_MIN - cut
    if len(gap) < need or len(tail) < need:
        return False
    return gap[:need] == tail[:need] and "\n" not in tail[:need]


#: ASCII characters ``_SQUASH`` removes (not letters or digits): ``translate``
#: deletes them at C speed on an ASCII line.
_ASCII_SQUASH = str.maketrans({i: None for i in range(128) if not chr(i).isalnum()})


def _key(s: str) -> str:
    if s.isascii():
        return s.translate(_ASCII_SQUASH).lower()
    return _SQUASH.sub("", s).lower()


def _meta_hint(text: str) -> bool:
    return bool(
        _META_HINT_CHARS.search(text)
        or credit_words().search(text)
        or _META_HINT_BY.search(text)
        or opens_byline(text)  # another language's byline word ("Par", "Von")
    )


def _open_ended(text: str, stop: frozenset[str] | None) -> bool:
    """The line stops mid-sentence: on a comma, a hyphen, or a function word."""
    if _OPEN_END.match(text[-1:]):
        return stop is None or not text[-1].isalpha() or text.rsplit(None, 1)[-1].lower() in stop
    return False


def _hard_wrapped(last: Unit, s: str, i: int, stop: frozenset[str] | None) -> bool:
    """``s`` (line ``i``) goes on with the sentence ``last`` broke off, across
    one blank line: a hard-wrapped paragraph ("… after a trial in which" /
    blank / "the number of passengers doubled.").  A new paragraph or a menu
    item does not start lower case right after a line cut on a function word.
    """
    return (
        stop is not None
        and last.lines[-1] == i - 2
        and s[0].islower()
        and not _BULLET.match(s)
        and _open_ended(last.text, stop)
        and last.text[-1:].isalpha()
    )


def _units(
    lines: list[str], stop: frozenset[str] | None, byline: Callable[[str], bool]
) -> list[Unit]:
    """The page's lines as units: a line, or the lines of one paragraph that a
    scraper split (at an inline element's edges, or a hard wrap).

    ``byline(line)``: the line is a byline and nothing else ("Von Anna Schmidt
    | 12. März 2021"): it starts a unit even after a line that ends on a
    function word (a German headline ending on "hat" swallowed it, and the
    headline and the byline became one paragraph of the body).
    """
    units: list[Unit] = []
    prev_blank = True
    counts: list[list[int]] | None = None
    for i, raw in enumerate(lines):
        s = raw.strip()
        if not s:
            prev_blank = True
            continue
        last = units[-1] if units else None
        if stop is not None and last is not None and _hard_wrapped(last, s, i, stop):
            last.lines.append(i)
            last.text = f"{last.text} {s}"
        elif (
            last is not None
            and not prev_blank
            and last.lines[-1] == i - 1
            # a bulleted line starts an item of its own: a list of headlines cut
            # off on a function word ("… against the") is not one long paragraph
            and not _BULLET.match(s)
            and (
                (
                    _CONTINUATION.match(s)
                    and (_OPEN_END.match(last.text[-1:]) or s[0] in ",.;:)]’”…%")
                )
                or (stop is not None and _open_ended(last.text, stop) and not byline(s))
            )
        ):
            last.lines.append(i)
            last.text = f"{last.text} {s}" if s[0].isalnum() else last.text + s
        else:
            if counts is None:
                counts = line_counts(lines)
            d, ns, pu = counts[i]
            units.append(Unit([i], s, line_features(s, stop, (d, ns, pu))))
        prev_blank = False
    for u in units:
        if len(u.lines) > 1:
            u.feats = line_features(u.text, stop)
    return units


def _mark_duplicates(units: list[Unit], counts: Counter[str], mode: str) -> None:
    """Headlines printed twice are list items; a refrain inside the body is not.

    A repetition close by (link text + image alt, DUP_GAP units apart) always
    counts.  In text mode any repetition counts too (menus repeated in header and
    footer), unless the line sits between two paragraphs of prose: a subhead or a
    refrain ("Eat every 2-3 hours" under each plan) recurs inside a body.  In HTML
    mode trafilatura has dropped the menus, so only close repetitions count.
    """
    last: dict[str, int] = {}
    for i, u in enumerate(units):
        if counts[u.key] < 2 or len(u.key) < 4:
            continue
        j = last.get(u.key)
        if j is not None and i - j <= DUP_GAP:
            u.dup = units[j].dup = True
        elif mode == "text" and not _prose_around(units, i):
            u.dup = True
        last[u.key] = i


def _headline_like(u: Unit, signs: ThreadSigns) -> bool:
    f = u.feats
    if (
        u.rule is not None
        or u.meta is not None
        or f.terminal
        or not 12 <= f.vlen <= 240
        or f.quality == GOOD
        or _stamped(u, signs)  # a dated line ("Par X | 12 mars 2021, 10:42") is a dateline
    ):
        return False
    if f.dense * 3 >= f.vlen // 2:
        # CJK subheads look exactly like headlines; CJK lists are caught by
        # their markers ([详细], …) and duplicated headlines instead
        return False
    words = [w for w in u.text.split() if len(w) > 3 and w[0].isalpha()]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def _stamped(u: Unit, signs: ThreadSigns) -> bool:
    """``u`` carries a time stamp; read on first use (few units are asked)."""
    if u.stamped is None:
        u.stamped = signs.stamped(u.text)
    return u.stamped


def _plain_headline(u: Unit, signs: ThreadSigns) -> bool:
    """A short line that does not end like a sentence: a headline in sentence
    case (most languages other than English do not title-case headlines), or
    in a script without case (ja, ko, zh).  Subheadings look the same: a list
    of them inside the article is told apart by where it sits (_inside_prose)."""
    f = u.feats
    if u.rule is not None or u.meta is not None or f.terminal or _stamped(u, signs):
        return False
    if not 12 <= f.vlen <= PLAIN_HEADLINE_MAX:
        return False
    return f.quality != GOOD


def _pair_at(units: list[Unit], j: int, signs: ThreadSigns) -> tuple[int, int]:
    """``units[j]`` is a headline and ``units[k]`` its teaser: (2, k) when the
    headline is Title Case, (1, k) when in sentence case, (DATED, k) when a
    date sits between them, (0, 0) when no pair.

    A Title Case headline may carry a teaser of a couple of sentences; a
    sentence-case one (which a subheading looks like too) only a short teaser
    that ends like a sentence: a subheading is followed by a paragraph.  A
    byline and a date line may sit between the headline and its teaser
    (BYLINE_MAX units); a date there is a list item's, an article's subheading
    carries none, so such items count as a Title Case list's.  But a page's own
    header is one such item, so dated items only chain with dated items.
    """
    n = len(units)
    if j + 1 >= n:  # no unit after it (j may be past the end)
        return 0, 0
    h = units[j]
    # what both headline tests rule out, checked once and first: this runs on
    # every unit, and most units (prose, chrome) fail it on their own fields
    hf = h.feats
    if hf.terminal or hf.quality == GOOD or h.rule is not None:
        return 0, 0
    k, dated = j + 1, False
    while k < n and k - j <= BYLINE_MAX and _byline(units[k]):
        dated = dated or units[k].meta is not None
        k += 1
    if k >= n or (k > j + 1 and not dated):  # a name alone is no list item's byline
        return 0, 0
    t = units[k].feats
    if t.quality != GOOD and t.quality != NEAR and not _listless_sentence(t):
        return 0, 0
    if dated and t.vlen < TEASER_MAX and (_headline_like(h, signs) or _plain_headline(h, signs)):
        return DATED, k
    if _headline_like(h, signs):
        return (2, k) if t.vlen < TEASER_MAX else (0, 0)
    if t.vlen < PLAIN_TEASER_MAX and t.terminal and _plain_headline(h, signs):
        return 1, k
    return 0, 0


TEASER_WORDS = 8  # words of a one-sentence teaser at least


def _listless_sentence(f: LineFeatures) -> bool:
    """A sentence of TEASER_WORDS words or more in a language without a
    stop-word list (Russian): there only length makes prose, and a teaser of
    ten Russian words (60 characters) is BAD, below the length set on
    English words, so a related list's headline had no teaser to pair with.
    Only the pairing reads it so: its weight as prose stays (a teaser taken
    for NEAR prose carried a list's tail into the body)."""
    return f.stop < 0 and f.words >= TEASER_WORDS and f.terminal


def _byline(u: Unit) -> bool:
    """``u`` can be a list item's byline or date line: metadata, or a short
    line that is no sentence and no lexicon chrome."""
    if u.meta is not None:
        return True
    return u.feats.quality == SHORT and not u.feats.terminal and u.rule is None


def _mark_teaser_lists(units: list[Unit], signs: ThreadSigns) -> None:
    """Headline, teaser, headline, teaser...: a related list, however good the prose.

    An article alternates subheadings with *groups* of long paragraphs; a list
    alternates strictly, with one short teaser per headline.  Dates, counters
    or source lines between the pairs do not break the pattern.  A list with
    sentence-case headlines must leave some prose outside it: a page that is
    nothing but such pairs is a listicle (subheading, one paragraph), and its
    items are the article.  So is a run of pairs that the article's prose
    announces, numbered 1, 2, 3 (:func:`_announced_items`).
    """
    n, i = len(units), 0
    good = [u.feats.vlen if u.feats.quality == GOOD else 0 for u in units]
    while i < n:
        j, pairs, plain, teasers = i, 0, False, 0
        last = i  # the end of the last pair
        dated = False
        heads: list[int] = []
        while (pair := _pair_at(units, j, signs))[0]:
            kind, k = pair
            if pairs and (kind == DATED) != dated:
                break
            dated = kind == DATED
            heads.append(j)
            pairs += 1
            plain = plain or kind == 1
            teasers += units[k].feats.vlen
            j = last = k + 1
            while j < n and (
                units[j].meta is not None
                or (
                    units[j].feats.quality == SHORT
                    and not _headline_like(units[j], signs)
                    and not _pair_at(units, j, signs)[0]
                )
            ):
                j += 1
        if pairs < 3:
            i += 1
            continue
        if _announced_items(units, heads):
            # the article's own list: none of its items start another.  But a
            # related list under a heading the lexicon lacks ("Also on our
            # site:") looks the same: the items stay, with the doubt recorded.
            for u in units[i:j]:
                u.doubt = u.doubt or "related-list"
            i = j
            continue
        if not plain or (
            not _inside_prose(units, i, last) and _shorter_than_article(i, j, teasers, pairs, good)
        ):
            for u in units[i:j]:
                u.teaser = True
        i = j  # a listicle's later items are no list of their own either


def _announced_items(units: list[Unit], heads: list[int]) -> bool:
    """The headlines ``heads`` of a run of pairs are numbered 1, 2, 3... in
    sequence, and the line right above the first is the article's prose
    announcing them on a colon ("Here are our favourite routes:"): a
    listicle's items, each with its paragraph.

    A related list has a heading of its own (a lexicon rule), or follows an
    article that ended its sentence; it is not introduced by the prose.  The
    introduction is prose when it is a paragraph itself or follows one, and
    neither is chrome or metadata (a byline or a date line above the body
    does not count: it is no prose, wherever it sits).
    """
    intro = heads[0] - 1
    if intro < 0 or not _INTRODUCES.search(units[intro].text):
        return False
    if not _counts_from_one([_ordinal(units[h]) for h in heads]):
        return False

    def prose(u: Unit) -> bool:
        return u.rule is None and u.meta is None and u.feats.quality in (GOOD, NEAR)

    lead = units[intro]
    if lead.rule is not None or lead.meta is not None or not lead.feats.terminal:
        return False
    return prose(lead) or (intro > 0 and prose(units[intro - 1]))


def _inside_prose(units: list[Unit], i: int, j: int) -> bool:
    """``units[i:j]`` sits between two paragraphs of prose, with no chrome
    around it: subheadings of the article, each over one paragraph.  A related
    list starts or ends the body (or has a heading, a lexicon rule, of its own)."""
    return (
        i > 0
        and j < len(units)
        and all(u.feats.quality == GOOD and u.rule is None for u in (units[i - 1], units[j]))
    )


def _shorter_than_article(i: int, j: int, teasers: int, pairs: int, good: list[int]) -> bool:
    """The ``pairs`` teasers (``teasers`` visual units in all) of ``units[i:j]``
    are short next to the article's paragraphs outside the run: their mean
    length is at most TEASER_SHARE of the mean of the GOOD units (``good``:
    each unit's length when GOOD, else 0) outside it.

    Sentence-case headline/paragraph pairs are also how an article with a
    subheading over each paragraph looks, or a listicle; there the paragraphs
    inside are as long as those outside, or there is no article outside at all.
    """
    outside = [v for k, v in enumerate(good) if v and not i <= k < j]
    if not outside:
        return False
    return teasers / pairs <= TEASER_SHARE * sum(outside) / len(outside)


def _weight(u: Unit, mode: str) -> float:
    f = u.feats
    if u.teaser:
        return -SHORT_PENALTY - 0.3 * f.vlen
    if u.rule is not None and u.weak:
        return 0.0
    if u.rule is not None and u.rule.inline:
        return -SHORT_PENALTY
    if u.rule is not None:
        return -END_PENALTY if u.rule.end else -(RULE_PENALTY + f.vlen)
    if u.meta is not None:
        return -SHORT_PENALTY
    if u.dup and f.quality != GOOD:
        return -DUP_PENALTY
    if f.quality == GOOD:
        return float(f.vlen)
    if f.quality == NEAR:
        return 0.5 * f.vlen
    if mode == "html":  # trafilatura already chose the content: keep unless chrome
        return 1.0
    if f.quality == SHORT:
        return -SHORT_PENALTY
    return -BAD_SCALE * min(f.vlen, 600)


def _damped(weights: list[float], units: list[Unit]) -> list[float]:
    """Prose after an end-of-article marker counts for little.

    Once a page has shown an article's worth of prose and then an end marker
    (comments, related, copyright), what follows is comments, teasers or a cookie
    notice, however well written: it may extend the body only if it is huge.
    """
    out = list(weights)
    seen = 0.0
    damp = False
    for i, (w, u) in enumerate(zip(weights, units, strict=True)):
        if damp and w > 0:
            out[i] = w * DAMPING
        elif w > 0:
            seen += w
        if _ends_article(u, seen):
            damp = True
    return out


#: Markers that still end the body with prose after them: comments, a related
#: list's teasers and a newsletter box's pitch are prose under their heading
#: (a related box inside the article is _resume_after_inline_box's), a cookie
#: notice is prose itself, and a continue link follows a truncated body's end.
ENDS_BEFORE_PROSE = frozenset(
    {"comments", "related-list", "newsletter", "cookie-notice", "continue-link"}
)


def _amid_prose(units: list[Unit], weights: list[float]) -> None:
    """A chrome line between two paragraphs of prose does not end the body, nor
    does a share bar of a few under the lead.

    Its rule's penalty (and an end marker's 600) made a short body stop at it
    and the paragraph after it go as the marker's section: a stray "首页" or
    "上一篇：…" line a page left inside the article.  Such a line (one, with a
    sentence of prose on both sides) costs the run what a short line costs; it
    is still removed for its rule.  A run of them (AMID_RUN at most: "Share on
    Facebook" / "Share on X") is crossed only right under the lead, the first
    paragraph of prose: two rule penalties outweigh a one-sentence lead, which
    went as the headline; after more of the article such a bar often ends it,
    and the next story follows.  Comment-thread headers and the markers of
    ENDS_BEFORE_PROSE are followed by prose that is not the article's.
    """
    n = len(units)
    i = 1
    while i < n - 1:
        if not _amid_chrome(units[i], weights[i]):
            i += 1
            continue
        j = i
        while j < n and j - i < AMID_RUN and _amid_chrome(units[j], weights[j]):
            j += 1
        under_lead = not any(_sentence_prose(u) for u in units[: i - 1])
        if (
            j < n
            and (j - i == 1 or under_lead)
            and _sentence_prose(units[i - 1])
            and _sentence_prose(units[j])
        ):
            for k in range(i, j):
                units[k].amid = True
                weights[k] = -SHORT_PENALTY
        i = j


def _amid_chrome(u: Unit, weight: float) -> bool:
    """A rule line :func:`_amid_prose` may carry the body across."""
    return (
        u.rule is not None
        and not u.weak
        and not u.thread
        and u.rule.reason not in ENDS_BEFORE_PROSE
        and weight < -SHORT_PENALTY
    )


def _ends_article(u: Unit, seen: float) -> bool:
    """``u`` is an end marker after which the page never resumes the article."""
    if u.amid:  # prose follows it right away: the article goes on
        return False
    if u.ends or u.thread:  # a continue marker cut off the body's last sentence,
        return seen > 0  # or a comment thread: the body never resumes after either
    return (
        u.rule is not None
        and u.rule.end
        and u.rule.reason in DAMPING_CLASSES
        # a continue link follows a truncated body, however short it was
        and (seen >= DAMP_AFTER or (seen > 0 and u.rule.reason == "continue-link"))
    )


def _across_tables(units: list[Unit], weights: list[float], a: int, b: int) -> tuple[int, int]:
    """Carry the body ``units[a:b]`` across the data tables that split it.

    A stats piece or a results page interleaves its paragraphs with tables: the
    best run is one section, and each table's cells (-SHORT_PENALTY each) keep
    it from the next.  A table is TABLE_MIN short cells at least, a quarter of
    them (TABLE_NUMBERS at least) numbers (scores, shares, amounts, times),
    with no chrome with evidence among them (a lexicon rule other than an
    inline widget, a date line, a teaser, a thread header) and a paragraph
    (_sentence_prose) on its far side; the body then runs on over that
    paragraph's own best run of prose.  A menu or a list of headlines has no
    cells that are numbers (a rank or a date sits inside a headline's text);
    this only extends the chosen story, it never picks another one.
    """
    # Each step starts from the next paragraph of the same stretch (a results
    # page alternates them with tables for its whole length): _ProseReach
    # sums the stretch once, not once per step.
    prose_reach = _ProseReach(weights)
    for step in (1, -1):
        while True:
            edge = b if step == 1 else a - 1
            far = _table_far_side(units, weights, edge, step)
            end = prose_reach(far, step) if far is not None else None
            if end is None:
                break
            if step == 1:
                b = end + 1
            else:
                a = end
    return a, b


def _table_far_side(units: list[Unit], weights: list[float], k: int, step: int) -> int | None:
    """The index of the paragraph beyond a data table starting at ``k``
    (going in direction ``step``), or None when no such table starts there."""
    n, start, numbers = len(units), k, 0
    while 0 <= k < n and weights[k] < 0 and _table_cell(units[k]):
        numbers += is_number_cell(units[k].text)
        k += step
    cells = abs(k - start)
    if cells < TABLE_MIN or numbers < TABLE_NUMBERS or 4 * numbers < cells or not 0 <= k < n:
        return None
    return k if _sentence_prose(units[k]) else None


def _sentence_prose(u: Unit) -> bool:
    """``u`` is a paragraph of prose, not a headline that reads like one: GOOD,
    or NEAR and ending like a sentence."""
    if u.rule is not None or u.teaser:
        return False
    f = u.feats
    return f.quality == GOOD or (f.quality == NEAR and bool(_FULL_STOP.search(u.text[-4:])))


class _ProseReach:
    """Where the best run of prose that starts at a unit ends, for one page's
    weights: ``prose_reach(k, step)`` is the index where the running sum from
    ``k`` (going in direction ``step``) peaks first, up to the next end marker
    (an advert between two paragraphs is crossed when the prose beyond
    outweighs it, as Kadane crosses it); None when the sum never gets above 0.

    _across_tables asks from one paragraph after another of one stretch
    between end markers, and summing to the stretch's end for each was
    quadratic (a 1 MB results page: 30 s).  Each stretch is summed once per
    direction, on first use: its prefix sums, and for every start the first
    peak after it (the first maximum of the prefix sums from there on); a
    question is then two look-ups.

    The sums are exact (the weights, binary fractions, added as integers over
    one power-of-two denominator).  A float sum run from each start rounds
    differently from each start, so prefix sums cannot reproduce it; exact
    sums agree with it whenever it did not round, which is whenever every
    weight is a multiple of 1/2 (all but a teaser's and a damped one), and
    otherwise decide by the true sums what the rounding decided either way.
    """

    __slots__ = ("_ends", "_stretches", "_weights")

    def __init__(self, weights: list[float]) -> None:
        self._weights = weights
        self._ends: list[int] | None = None  # the end markers' indices, on first use
        # (first index, step) -> the stretch's prefix sums and peaks
        self._stretches: dict[tuple[int, int], tuple[list[int], list[int]]] = {}

    def __call__(self, k: int, step: int) -> int | None:
        w = self._weights
        if not 0 <= k < len(w) or w[k] <= -END_PENALTY:
            return None
        if self._ends is None:
            self._ends = [i for i, x in enumerate(w) if x <= -END_PENALTY]
        at = bisect.bisect(self._ends, k)
        lo = self._ends[at - 1] + 1 if at else 0
        hi = self._ends[at] if at < len(self._ends) else len(w)
        sums, peaks = self._stretches.get((lo, step)) or self._sum(lo, hi, step)
        i = k - lo
        j = peaks[i]
        # forward: the sum of lo+i .. lo+j; backward: of lo+j .. lo+i
        gain = sums[j + 1] - sums[i] if step == 1 else sums[i + 1] - sums[j]
        return lo + j if gain > 0 else None

    def _sum(self, lo: int, hi: int, step: int) -> tuple[list[int], list[int]]:
        ratios = [x.as_integer_ratio() for x in self._weights[lo:hi]]
        shift = max(den.bit_length() for _, den in ratios)  # denominators are powers of 2
        scaled = (num << (shift - den.bit_length()) for num, den in ratios)
        sums = list(itertools.accumulate(scaled, initial=0))
        n = hi - lo
        peaks = [0] * n
        if step == 1:  # from i: the first j >= i with the largest sums[j + 1]
            best = n - 1
            for i in range(n - 1, -1, -1):
                if sums[i + 1] >= sums[best + 1]:
                    best = i
                peaks[i] = best
        else:  # from i down: the last j <= i with the smallest sums[j]
            best = 0
            for i in range(n):
                if sums[i] <= sums[best]:
                    best = i
                peaks[i] = best
        self._stretches[lo, step] = sums, peaks
        return sums, peaks


def _table_cell(u: Unit) -> bool:
    return (
        (u.rule is None or u.rule.inline)
        and u.meta is None
        and not u.teaser
        and not u.thread
        and u.feats.quality in (SHORT, BAD)
    )


def _best_run(weights: list[float]) -> tuple[int, int, float]:
    """Kadane: the contiguous run with the largest sum, as (start, end exclusive, sum)."""
    best = (0, 0, 0.0)
    start, acc = 0, 0.0
    for i, w in enumerate(weights):
        if acc <= 0:
            start, acc = i, 0.0
        acc += w
        if acc > best[2]:
            best = (start, i + 1, acc)
    return best


def _local_runs(weights: list[float]) -> list[tuple[int, int, float]]:
    """The best run of every stretch Kadane's running sum does not reset in:
    the page's candidate stories, in page order (the global best is one of them)."""
    runs: list[tuple[int, int, float]] = []
    start, acc, best = 0, 0.0, (0, 0, 0.0)
    for i, w in enumerate(weights):
        if acc <= 0:
            if best[2] > 0:
                runs.append(best)
            start, acc, best = i, 0.0, (i, i, 0.0)
        acc += w
        if acc > best[2]:
            best = (start, i + 1, acc)
    if best[2] > 0:
        runs.append(best)
    return runs


def _main_story(
    units: list[Unit],
    raw: list[float],
    weights: list[float],
    best: tuple[int, int, float],
    hint_key: str,
) -> tuple[int, int]:
    """The main story of a page that holds several (a blog's front page, an
    article followed by the next ones, a sidebar story).

    Candidates are the local best runs worth at least STORY_SHARE of the best
    one.  Evidence, in order: the one story whose heading agrees with the
    page's title (the title hint, or the ``<title>`` a flattened page starts
    with), among the runs of the undamped ``raw`` weights (a later post sits
    after the comment links of the earlier ones); else, when every candidate
    of the damped ``weights`` is a dated story (a date line just above it),
    the first one: pages list their own or newest story first, and the run
    that merely holds the most prose is a later, longer post.  Otherwise the
    best run stands.
    """
    a, b, total = best
    if total <= 0:
        return a, b
    page_title = units[0].key if units else ""
    runs = _candidates(raw)
    if len(runs) >= 2 and (hint_key or page_title):
        agreeing = [r for r in runs if _heading_agrees(units, r[0], hint_key, page_title)]
        if len(agreeing) == 1:
            return agreeing[0][0], agreeing[0][1]
    if weights != raw:  # damped: the candidates differ
        runs = _candidates(weights)
    if len(runs) >= 2 and all(_dated(units, r[0]) for r in runs):
        return runs[0][0], runs[0][1]
    return a, b


def _candidates(weights: list[float]) -> list[tuple[int, int, float]]:
    runs = _local_runs(weights)
    top = max((r[2] for r in runs), default=0.0)
    return [r for r in runs if r[2] >= STORY_SHARE * top]


def _story_head(units: list[Unit], start: int) -> list[Unit]:
    return units[max(0, start - STORY_HEAD) : start]


def _heading_agrees(units: list[Unit], start: int, hint_key: str, page_title: str) -> bool:
    """A short line just above ``start`` is the page's title (or inside its ``<title>``)."""
    for u in _story_head(units, start):
        k = u.key
        if (
            len(k) >= 4
            and u.feats.vlen < KEY_MAX
            and (k == hint_key or (k in page_title and u is not units[0]))
        ):
            return True
    return False


def _dated(units: list[Unit], start: int) -> bool:
    """A date line (metadata or a time stamp) sits just above ``start``."""
    return any(u.meta is not None or u.stamped for u in _story_head(units, start))


def _related_heading(u: Unit) -> bool:
    """``u`` heads a related box: an end marker of the related-list rules."""
    return u.rule is not None and u.rule.end and u.rule.reason == "related-list"


def _resume_after_inline_box(units: list[Unit], weights: list[float], b: int) -> int:
    """Carry the body over a "Related / Don't miss" box inside the article.

    A related heading, a few headline links, then the article's prose again:
    the run stopped at the heading, but what follows the box is more of the
    same article.  The box itself stays chrome (its units are rules or get the
    heading's reason); prose must resume within a few units and be substantial.
    """
    n = len(units)
    while b < n:
        if not _related_heading(units[b]):
            return b
        c = b + 1
        while c < n and c - b <= INLINE_BOX_MAX and _box_item(units[c]):
            c += 1
        if c - b > INLINE_BOX_MAX:
            return b
        if c >= n or units[c].rule is not None:
            # the box runs to the end of the text or to chrome: its last
            # lines may still be the article's short close
            close = _close_in_box(units, b, c, c)
            if close is None:
                return b
            _keep_close(units, b, close, c)
            return c
        if units[c].teaser:
            return b
        # the prose after the box, up to the next chrome, must be worth a paragraph or two
        # (an inline widget, such as an advert label or a "Read more: <headline>"
        # link, sits between the article's paragraphs and is crossed, as Kadane
        # crosses it; it is not prose)
        end, acc, prose = c, 0, 0
        while end < n and weights[end] > -END_PENALTY and _crossable(units[end]):
            # bulleted items under a related heading are its headlines, not prose
            if (
                units[end].rule is None
                and units[end].feats.quality in (GOOD, NEAR)
                and not _BULLET.match(units[end].text)
            ):
                acc += units[end].feats.vlen
                prose += 1
            end += 1
        if _numbering_goes_on(units, b + 1, c, end):
            return b
        if acc < RESUME_MIN or prose < 2:
            close = _close_in_box(units, b, c, end)
            if close is None:
                return b
            _keep_close(units, b, close, end)
        else:
            for u in units[b + 1 : c]:
                u.box = True
        b = end
    return b


def _keep_close(units: list[Unit], b: int, close: int, end: int) -> None:
    """The box under ``units[b]`` ends at ``close``; ``units[close:end]`` is
    kept: less prose than a paragraph or two, yet all of it sentences that end
    the text after the box's headlines, the article's close (or the teaser of
    the box's last headline, hence the doubt)."""
    for u in units[b + 1 : close]:
        u.box = True
    for u in units[close:end]:
        u.doubt = u.doubt or "related-list"


def _close_in_box(units: list[Unit], b: int, c: int, end: int) -> int | None:
    """Where the article's close starts, when the box under the heading
    ``units[b]`` (its scan reached ``c``) is followed by too little prose to be
    crossed, or None.

    The close is what ends the text, or runs up to a line that is chrome by
    its own content: full sentences, or a line ending on a colon and the
    short lines it introduces ("Start with these steps:" / "Water the fern a
    day before." / ...), which the box's scan took as headlines
    (:func:`_box_item`: a short line is anything but prose), then the prose
    after the box.  A headline that is no sentence must come before it: a
    related list does not end on a full stop, while prose right under the
    heading is its story's teaser; and a box whose items end on full stops
    pairs headlines with teasers, whose last sentence is no close.
    """
    if not _ends_text(units, end):
        return None
    j = c
    while j > b + 1 and _closing_sentence(units[j - 1]):
        j -= 1  # the box's last lines are sentences: the close's
    prev = units[j - 1]
    if j > b + 1 and prev.rule is None and prev.meta is None and _INTRODUCES.search(prev.text):
        j -= 1  # the line that announced them
    if j == b + 1 or units[j - 1].rule is not None or _closing_sentence(units[j - 1]):
        return None
    if any(_stated(u.text) for u in units[b + 1 : j]):
        return None  # the box pairs headlines with teaser sentences: the last is a teaser
    # a statement, not a question: long question headlines read as prose
    if not all(map(_close_line, units[c:end])):
        return None
    return j if j < end else None


def _stated(text: str) -> bool:
    """``text`` ends on a statement's full stop (no question)."""
    return _CLOSING_STOP.search(text.rstrip()[-4:]) is not None


def _stated_prose(u: Unit) -> bool:
    """A paragraph of prose that ends on a full stop (no question)."""
    return _sentence_prose(u) and _stated(u.text)


def _close_line(u: Unit) -> bool:
    """A line that can close an article: a short sentence or a paragraph, stated."""
    return _closing_sentence(u) or _stated_prose(u)


def _numbering_goes_on(units: list[Unit], i: int, c: int, end: int) -> bool:
    """The box ``units[i:c]`` is a numbered list from its first item on, and
    the first number within LIST_GAP units after it is the next one: the
    related list goes on (each headline with its teaser sentence, "1.
    青岛地铁新线路正式开通运营" / "新线路全长…" / "2. …"), and what follows the
    box is more of the list, not the article.  An article's own numbered
    sections after a box start again at 1, and when the box's scan took the
    article's "1. Subsidies" heading as an item, the box is no one list."""
    numbers = [o for u in units[i:c] if (o := _ordinal(u)) is not None]
    if i >= c or _ordinal(units[i]) is None or not _counts_from_one(numbers):
        return False  # not one list numbered from 1 ("1. <related>", "1. <own section>")
    if any(_ordinal(units[k]) is not None for k in range(max(0, i - 1 - LIST_GAP), i - 1)):
        return False  # the article's own list began above the box: the next number may be its
    after = (_ordinal(units[k]) for k in range(c, min(end, c + LIST_GAP + 1)))
    return next((o for o in after if o is not None), None) == len(numbers) + 1


def _mark_crossed_boxes(units: list[Unit], a: int, b: int) -> None:
    """The items of a related box the body run crossed whole (Kadane carried it
    over the heading: enough prose on both sides) are the box's, as when
    :func:`_resume_after_inline_box` carries the body over it: the units after
    the heading up to the prose that resumes (INLINE_BOX_MAX at most)."""
    for h in range(a, b - 1):
        if not _related_heading(units[h]):
            continue
        c = h + 1
        while (
            c < b
            and c - h <= INLINE_BOX_MAX
            and units[c].rule is None
            and _box_item(units[c])
            and units[c].doubt != "related-list"  # kept in doubt: the close, items kept
        ):
            c += 1
        if c < b and c - h <= INLINE_BOX_MAX:  # the article's prose resumes at c
            for u in units[h + 1 : c]:
                u.box = True


def _crossable(u: Unit) -> bool:
    return u.rule is None or u.rule.inline


def _resume_before_inline_box(units: list[Unit], weights: list[float], a: int, b: int) -> int:
    """Carry the body back over a related box the run starts just after: the
    mirror of :func:`_resume_after_inline_box` (the run took the longer half of
    an article split by a "More from X" box).  The box's items are the units
    after its heading up to the run's first sentence of prose (the run may
    have taken the last of them); the prose before the heading must be worth
    RESUME_MIN and two paragraphs."""
    prose_reach = _ProseReach(weights)  # boxes in a row: one summing serves each heading
    while a > 0:
        h = a - 1  # the heading, above the items the run left out
        while h >= 0 and a - h <= INLINE_BOX_MAX and units[h].rule is None and _box_item(units[h]):
            h -= 1
        head = units[h]
        if h < 0 or head.rule is None or not head.rule.end or head.rule.reason != "related-list":
            return a
        c = a  # past the items the run took
        while c < b and c - h <= INLINE_BOX_MAX and _box_item(units[c]):
            c += 1
        if c == h + 1 or c >= b or c - h > INLINE_BOX_MAX:
            return a
        reach = prose_reach(h - 1, -1)
        if reach is None:
            return a
        prose = [u for u in units[reach:h] if u.rule is None and u.feats.quality in (GOOD, NEAR)]
        if len(prose) < 2 or sum(u.feats.vlen for u in prose) < RESUME_MIN:
            return a
        for u in units[h + 1 : c]:
            u.box = True
        a = reach
    return a


def _box_item(u: Unit) -> bool:
    """``u`` can sit in an inline related box: anything but a sentence of prose.
    Its headline links may read like prose but do not end like a sentence, and
    a box may hold a second heading ("Related" twice, two links under each)."""
    if u.rule is not None:
        return u.rule.reason == "related-list"
    return u.feats.quality not in (GOOD, NEAR) or not _FULL_STOP.search(u.text[-4:])


def _outline_head(units: list[Unit], a: int) -> bool:
    """The unit right above the body start is the first heading of the body's own
    outline ("一、培养目标：" over its paragraph): a short line the run left out
    (a subheading costs what a menu item costs), which a menu or a headline
    never starts with an outline number."""
    if a <= 0:
        return False
    u = units[a - 1]
    return (
        u.rule is None
        and u.meta is None
        and not u.dup
        and u.feats.quality == SHORT
        and bool(_OUTLINE.match(u.text))
    )


def _skip_header(units: list[Unit], a: int, b: int) -> int:
    """Move the body start past a headline + dateline the run swallowed.

    "Headline / 2020-02-26 来源: X / first paragraph": the headline is prose-like
    enough to join the run, but a metadata line right after it marks a header.
    """
    for i in range(a, min(b, a + 4)):
        u = units[i]
        if u.meta is not None:
            if all(units[j].feats.quality != GOOD for j in range(a, i)):
                a = i + 1
        elif u.feats.quality == GOOD:
            break
    return a


def _prose_around(units: list[Unit], i: int) -> bool:
    """Body prose on both sides: a trailing "..." or a "uses cookies" is then
    the writer's.  Neighbours that are such weak matches in prose themselves
    are looked across (two sentences of a story about cookies in a row)."""
    good = (GOOD, NEAR)

    def prose_beyond(step: int) -> bool:
        k = i + step
        while 0 <= k < len(units) and units[k].weak and units[k].feats.quality in good:
            k += step
        return 0 <= k < len(units) and units[k].rule is None and units[k].feats.quality in good

    return prose_beyond(-1) and prose_beyond(1)


def _cut_off_tail(units: list[Unit], i: int) -> bool:
    """``units[i]`` is the body's last paragraph, cut off by the page ("...").

    A paywalled or excerpted article (a preview, a syndication snippet) stops
    mid-paragraph on an ellipsis, which the weak teaser pattern also matches.
    It is the body's own when it directly follows body prose, is prose itself,
    ends on a bare ellipsis right after a word (no "read more" or arrow), and
    is the page's only line the teaser pattern matches: a teaser list repeats
    the ellipsis on every item, and its first item follows a headline.
    """
    if not 0 < i < len(units):
        return False
    u, prev = units[i], units[i - 1]
    if u.rule is None or not u.weak or u.feats.quality != GOOD or not _CUT_OFF.search(u.text):
        return False
    if prev.rule is not None or prev.teaser or prev.feats.quality != GOOD:
        return False
    return sum(v.rule is u.rule for v in units) == 1


#: words (Latin-like) or CJK characters a closing sentence has at least
CLOSING_WORDS, CLOSING_DENSE = 3, 5


def _closing_sentence(u: Unit, stop: re.Pattern[str] = _CLOSING_STOP) -> bool:
    """A line that reads as the article's last sentence ("He thanked his
    staff.", "他只想把面做好。"): no lexicon rule or metadata, not repeated or a
    teaser, a few words that end on a full stop (``stop``), no bullet or menu shape.

    Short, or too poor in function words to count as prose (a sentence of
    names and numbers: "Wichita West senior David Garcia finished second in
    the 50 yard freestyle."); a paragraph of prose the run left out was left
    out for a reason (another story), so it is not carried in here."""
    f = u.feats
    if not _unclaimed(u):
        return False
    if f.quality == GOOD or not stop.search(u.text.rstrip()[-4:]) or _BULLET.match(u.text):
        return False
    return f.dense >= CLOSING_DENSE or len(u.text.split()) >= CLOSING_WORDS


def _closing_sentences(units: list[Unit], a: int, b: int, listed: bool = False) -> int:
    """Carry the body's end over the short sentences that close it.

    Text mode scores a short line as chrome (a menu item, a link), so an
    article's short last sentence fell outside the body run as "navigation".
    Short full sentences right after the body's last paragraph are the
    article's own when nothing but chrome or the end of the text follows them:
    a run of short lines that goes on into more text is a list, not a close.
    ``listed``: the body ends on the list or table its prose introduced
    (:func:`_introduced`), which closes no less than a paragraph does; a
    paragraph that ends on a full stop closes it too.
    """
    if not a < b < len(units) or not (listed or _sentence_prose(units[b - 1])):
        return b
    end, n = b, len(units)
    doubted = None  # from here on kept, but a site's box reads the same
    while end < n:
        if listed and _ordinal(units[end]) is not None:
            break  # under a list, a line numbered again starts another ("most read")
        if _closing_sentence(units[end]) or (listed and _stated_prose(units[end])):
            end += 1
        elif (
            end + 1 < n
            and _subheading(units[end])
            and (_closing_sentence(units[end + 1]) or _sentence_prose(units[end + 1]))
        ):
            # the last section's heading and its short paragraph ("What
            # happens next" / "The building will be sold in the spring."), or
            # a site's box ("Support local journalism" / one line)
            doubted = end if doubted is None else doubted
            end += 2
        elif (
            end + 1 < n
            and _closing_sentence(units[end], _QUESTION_STOP)
            and _closing_sentence(units[end + 1])
            and _SPEAKER.match(units[end].text)
            and _SPEAKER.match(units[end + 1].text)
        ):
            # a question and its answer, each after its speaker's label (an
            # interview's "Q:"/"A:", "问："/"答：", "Anna Kowalski:"): a list of
            # headlines may ask and a teaser answer, but neither is labelled
            end += 2
        else:
            break
    if end == b or not _ends_text(units, end):
        return b
    # under a list, a site's blurb or a sign-up line reads the same: kept, in
    # doubt; so does a heading and its line, and what follows them
    first = b if listed else end if doubted is None else doubted
    for u in units[first:end]:
        u.doubt = u.doubt or "outside-body"
    return end


def _unclaimed(u: Unit) -> bool:
    """No evidence claims ``u``: no lexicon rule, no metadata, not a repeat, a
    teaser or a thread header."""
    return u.rule is None and u.meta is None and not (u.dup or u.teaser or u.thread)


def _ends_text(units: list[Unit], k: int) -> bool:
    """``k`` is past the text's end, or ``units[k]`` is chrome by its own
    content (a lexicon rule, a metadata line): nothing of the article follows."""
    return k >= len(units) or units[k].rule is not None or units[k].meta is not None


def _subheading(u: Unit) -> bool:
    """A section heading: a few words, no sentence end, no chrome, no repeat."""
    f = u.feats
    return (
        _unclaimed(u)
        and f.quality == SHORT
        and f.vlen <= HEADLINE
        and not f.terminal
        and not _BULLET.match(u.text)
    )


#: An ordinal that opens a list item: "1.", "2)", "3、", "(4)", "（5）", "#6.",
#: "#7 " (a listicle's "#1 Bernina Express": the sign alone marks the number;
#: a hashtag is no 1-3 digits and a space).  The mark must not lead into a
#: digit ("1.5 million" is no item).
_ORDINAL = re.compile(
    r"(?:#\s?)?(\d{1,3})\s?[.)）、．:：](?!\d)|[(（](\d{1,3})[)）]|#(\d{1,3})\s(?=\S)"
)
_INTRODUCES = re.compile(r"[:：]\s*$")
LIST_LEAD = 2  # units allowed between the introduction and the list's first item
LIST_GAP = 6  # units allowed between two items (a link, a price, a description)
LIST_MIN = 3  # items that make the run a list
TABLE_ROWS = 3  # rows of one shape that make a run of cells a table
SERIES_HEAD = 5  # tokens of a line's start that give its shape
#: A word (with an abbreviation's dot), a number (with its separators), a mark.
_SKELETON_TOKEN = re.compile(r"[^\W\d_]+\.?|\d+(?:[.,:/]\d+)*|[^\w\s]")
TABLE_WIDTH = 12  # the widest row looked for
CELL_MAX = 80  # a table cell's longest visual length
DATA_ROWS = 2  # rows of a "| cell |" data table that carry the body over it
#: The rule trafilatura writes under a table's header row: |---|---|
_TABLE_RULE = re.compile(r"\|(?:\s*:?-{3,}:?\s*\|)+\s*$")


def _ordinal(u: Unit) -> int | None:
    m = _ORDINAL.match(u.text)
    return int(m[1] or m[2] or m[3]) if m else None


def _counts_from_one(numbers: Sequence[int | None]) -> bool:
    """``numbers`` are 1, 2, 3... in sequence (one list's items)."""
    return list(numbers) == list(range(1, len(numbers) + 1))


def _introduced(units: list[Unit], a: int, b: int) -> int:
    """Carry the body's end over the list or table its prose introduces.

    A listicle, a deals post or a results page ends its prose on a colon
    ("...the best offers on Amazon:", "Final standings after 36 races:") and
    goes on with the list or the table it announced: short lines, which the
    run took for a menu.  :func:`_introduced_list` and
    :func:`_introduced_table` say how far the announced content goes.
    """
    if not a < b:
        return b
    # the nearest introduction: in the body, or the line right after it
    start = min(b, len(units) - 1)
    intro = next((i for i in range(start, a - 1, -1) if _INTRODUCES.search(units[i].text)), None)
    if intro is None or units[intro].rule is not None or units[intro].meta is not None:
        return b
    return max(
        _introduced_list(units, intro, b),
        _introduced_series(units, intro, b),
        _introduced_table(units, intro, b),
        _introduced_items(units, a, intro, b),
    )


def _introduced_list(units: list[Unit], intro: int, b: int) -> int:
    """The end of a list numbered 1, 2, 3... in sequence right after ``intro``.

    Each item may have lines under it (a link, a price).  The list ends at a
    line that is chrome by its own content (a lexicon rule, a metadata line)
    or where the numbering stops.  A menu is never numbered, and a numbered
    "most read" list after an article's full stop has no introduction.
    """
    items: list[int] = []
    k, since = intro + 1, 0
    while k < len(units):
        u = units[k]
        if u.rule is not None or u.meta is not None:
            break
        n = _ordinal(u)
        if n == len(items) + 1:
            items.append(k)
            since = 0
        elif n is not None and items:
            break  # another list's numbering
        else:
            since += 1
            if since > (LIST_GAP if items else LIST_LEAD):
                break
        k += 1
    if len(items) < LIST_MIN or items[-1] < b:
        return b
    # after the last item, as many lines as the items had under them
    end = items[-1] + 1
    under = min(y - x - 1 for x, y in itertools.pairwise(items))
    for u in units[end : end + under]:
        if u.rule is not None or u.meta is not None or _ordinal(u) is not None:
            break
        end += 1
    return end


ITEMS_MAX = 12  # unmarked items of an introduced list at most


def _introduced_items(units: list[Unit], a: int, intro: int, b: int) -> int:
    """The end of an unmarked list right after ``intro`` and the close under it.

    A flattened ``<ul>`` has neither numbers nor bullets: "The council also
    voted to:" / "raise parking fees" / "cut opening hours" (or the short
    sentences of a plan's steps) / then the article's last sentence or
    paragraph ("The measures take effect on January 1.").  The short lines are
    the list the prose announced when the article's prose closes under them,
    up to the end of the text or to chrome: a menu after the article's colon
    has no sentence of the article's under it.  Two items at least, ITEMS_MAX
    at most, none of them chrome, a repeat or a teaser.
    """
    n, k = len(units), intro + 1
    while k < n and k - intro <= ITEMS_MAX and _list_item(units[k]):
        k += 1
    end = k
    while end < n and _close_line(units[end]):
        end += 1
    closed = end > k or _closing_sentence(units[k - 1])
    if k - intro <= 2 or not closed or k <= b or not _ends_text(units, end):
        return b
    # a site's "Our other titles:" over its names reads the same: kept, in
    # doubt; the close is :func:`_closing_sentences`' (listed), which records its own
    for u in units[intro:k]:
        u.doubt = u.doubt or "navigation"
    return k


def _list_item(u: Unit) -> bool:
    """A line that can be an item of a list: short (no paragraph of prose),
    not chrome by its own content, not a repeat, a teaser or a thread header."""
    return u.feats.quality not in (GOOD, NEAR) and _unclaimed(u)


def _introduced_series(units: list[Unit], intro: int, b: int) -> int:
    """The end of a run of items that all start alike right after ``intro``.

    A tour's dates ("June 9 -- Coral Sky Amphitheatre, ..."), a timetable or
    a list of results: lines that open with the same shape, a number and a
    separator in it (:func:`_skeleton`).  Headlines and menu entries open
    with words, so no run of them qualifies.  The run is consecutive lines
    without a lexicon rule or a metadata line, LIST_MIN of them at least.
    """
    first = intro + 1
    if first >= len(units):
        return b
    shape = _skeleton(units[first].text)
    if "0" not in shape or not any(t not in ("0", "a") for t in shape):
        return b
    end = first
    while (
        end < len(units)
        and units[end].rule is None
        and units[end].meta is None
        and _skeleton(units[end].text) == shape
    ):
        end += 1
    return end if end - first >= LIST_MIN and end > b else b


def _skeleton(text: str) -> tuple[str, ...]:
    """The shape of a line's first SERIES_HEAD tokens: "a" a word, "0" a number,
    a punctuation mark itself ("June 9 -- Coral Sky" -> a 0 - - a)."""
    out: list[str] = []
    for m in _SKELETON_TOKEN.finditer(text):
        t = m[0]
        out.append("0" if t[0].isdecimal() else "a" if t[0].isalnum() else t)
        if len(out) == SERIES_HEAD:
            break
    return tuple(out)


def _introduced_table(units: list[Unit], intro: int, b: int) -> int:
    """The end of a flattened table right after ``intro``; its cells are kept.

    A flattened page has one line per table cell, so a table is a run of
    short lines whose shape (a number or text) repeats with the row's width:
    "Pos. / Driver / Points" then "1 / Kyle Busch / 5040", "2 / ... ".  At
    least TABLE_ROWS rows of the same shape, numbers and text both, after an
    optional header row of text, make the run a table.  Its number cells lose
    their ``counter`` verdict (a lone number is a counter's shape, and a
    cell's here), so they stay in the body, in this pass and when the clean
    text is judged again.
    """
    s = intro + 1
    shapes: list[str] = []
    for u in units[s:]:
        shape = _cell(u)
        if shape is None:
            break
        shapes.append(shape)
    end = 0
    for width in range(2, TABLE_WIDTH + 1):
        for head in (0, width):  # without or with a header row
            row = shapes[head : head + width]
            # numbers and text both, or numbers under a header row of text
            # ("Year / Visitors / Loans" over "2019 / 41,200 / 90,000"): a run
            # of lone numbers with no names over it is a widget's counters
            if len(row) < width or "n" not in row or ("t" not in row and not head):
                continue
            if head and "n" in shapes[:head]:
                continue  # a header row is the columns' names
            rows = 1
            while shapes[head + rows * width : head + (rows + 1) * width] == row:
                rows += 1
            if rows >= TABLE_ROWS:
                end = max(end, head + rows * width)
    if not end:
        return b
    for u in units[s : s + end]:
        u.rule = None  # a number cell's counter rule (the only rule a cell may have)
    return max(b, s + end)


def _tables_inside(units: list[Unit], a: int, b: int) -> None:
    """The tables the body ``units[a:b]`` introduces between its paragraphs
    keep their number cells, as the one it ends on does (:func:`_introduced_table`):
    the run crosses a table's cells, but a lone number is a counter's shape."""
    for i in range(a, b - 1):
        u = units[i]
        if u.rule is None and u.meta is None and _INTRODUCES.search(u.text):
            _introduced_table(units, i, i + 1)


def _cell(u: Unit) -> str | None:
    """A table cell's shape: "n" (a number), "t" (short text), None (no cell)."""
    if u.meta is not None or len(u.lines) > 1 or u.feats.vlen > CELL_MAX:
        return None
    if is_number_cell(u.text):
        return "n"
    return "t" if u.rule is None else None


def is_data_row(line: str) -> bool:
    """A ``| cell | cell |`` row (trafilatura's rendering of a table row) of a
    data table: every cell short (CELL_MAX), one of them a number."""
    if not line.startswith("|"):
        return False
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    return all(len(c) <= CELL_MAX for c in cells) and any(map(is_number_cell, cells))


def _table_rows(units: list[Unit], b: int) -> int:
    """Carry the body's end over the data table its last lines start.

    trafilatura renders a table it keeps as ``| cell |`` rows, a header row
    and a ``|---|`` rule under it: the article's table (standings, results,
    prices), whose rows are short lines after the body, and whose rule is a
    ``counter``'s shape (it goes, as markup).  When the body ends on such a
    table's header (or the header or rows follow it), the rows (DATA_ROWS at
    least, each short cells with a number) are the body's too.  Layout
    tables (menus, a portal's cells) have no number in every row, and stay out.
    """
    k = b
    if k > 0 and units[k - 1].text.startswith("|") and not is_data_row(units[k - 1].text):
        k -= 1  # the header row, already in the body
    start = k
    if k < len(units) and units[k].text.startswith("|") and not is_data_row(units[k].text):
        k += 1  # the header row
    if k < len(units) and _TABLE_RULE.match(units[k].text):
        k += 1  # the rule under the header: markup, it goes as a counter
    rows = 0
    while k < len(units) and units[k].meta is None and is_data_row(units[k].text):
        units[k].rule = None
        rows += 1
        k += 1
    return max(b, k) if rows >= DATA_ROWS and k > start else b


def is_number_cell(text: str) -> bool:
    """``text`` (a stripped table cell) is a number (_NUMBER_CELL: a score, a
    share, an amount, a time: "5040", "-3", "12.5%", "$12", "2-1")."""
    return _NUMBER_CELL.fullmatch(text) is not None


LIST_ITEMS = 2  # dated items after the body's last line that make it a list's first


def _before_dated_list(units: list[Unit], a: int, b: int) -> int:
    """End the body before a dated headline list's first headline.

    A list of headlines, each with its byline or date line under it, often
    follows the article; the run takes the first headline (a short line, in
    prose's weight range) and stops at its date line.  When the body's last
    unit is such a headline, with a date or byline under it, and the same
    shape (headline, date lines) follows at least LIST_ITEMS more times, it is
    the list's first item.  An article's last line carries no date under it.
    """
    if b - a < 2 or b >= len(units) or not _list_headline(units[b - 1]):
        return b
    k, items = b, 0
    while items <= LIST_ITEMS:
        if k >= len(units) or units[k].meta is None:
            break
        while k < len(units) and units[k].meta is not None:
            k += 1
        items += 1
        if k >= len(units) or not _list_headline(units[k]):
            break
        k += 1
    return b - 1 if items > LIST_ITEMS else b


def _list_headline(u: Unit) -> bool:
    """A short line that is no sentence and no chrome: a list item's headline."""
    f = u.feats
    return (
        u.rule is None
        and u.meta is None
        and not f.terminal
        and 12 <= f.vlen <= PLAIN_HEADLINE_MAX
        and f.quality != GOOD
    )


def _header_line(u: Unit) -> bool:
    """``u`` is a line of the header's credits: a byline, a date, a source or an
    editor line (what sits between a headline and its body)."""
    return u.meta is not None or (u.rule is not None and u.rule.reason == "editor-line")


_ABBREVIATION_END = re.compile(r"(?:\b[A-Z]\.){2,}[\"”’']*$|\b(?:Inc|Ltd|Co|Corp|Jr|Sr|St)\.$")


def _lead_sentence(u: Unit) -> bool:
    """``u`` reads as a sentence of the article, not as its headline: prose
    (GOOD or NEAR) ending on a full stop.  A headline ends on none; a lead or
    a standfirst printed above the byline does ("The council voted on Monday
    to …, after a six-month trial." / "By Jane Doe"), and, being longer, it
    took the title from the headline above it.  (Whether it is the body's is
    the body run's call: the English set's truth leaves such a standfirst
    out, so it is not pulled into the body here.)"""
    f = u.feats
    if not (f.quality == GOOD or f.quality == NEAR) or not _PERIOD.search(u.text[-4:]):
        return False
    # an abbreviation's point ("… rise in the U.S.") ends no sentence of a headline
    return not _ABBREVIATION_END.search(u.text)


def _choose_title(units: list[Unit], start: int, hints_title: str | None) -> int | None:
    """Index of the headline among the units before the body."""
    keys = [u.key for u in units]
    # one string holding every key: "is k inside another unit" becomes a count
    joined = "\x00".join(keys)
    best, best_score = None, 0.0
    # units between the candidate and the body, less the header's credit
    # lines: a byline, a date and a source line each on its own line put a
    # short headline ("夜班公交将再运行一年" / 来源 / 作者 / 责任编辑 / date) as
    # far from the body as a related list's headline, and it lost the title
    far = 0
    for i in range(start - 1, max(-1, start - 40), -1):
        u = units[i]
        far += not _header_line(u)
        if u.rule is not None or u.meta is not None or u.feats.vlen < 12 or u.feats.vlen > 450:
            continue
        if _lead_sentence(u):
            continue
        if bare_names(u.text):  # a byline under the headline, not the headline
            continue
        if _OUTLINE.match(u.text):  # "一、培养目标：" heads a section of the body
            continue
        k = keys[i]
        if not k:
            continue
        score = min(u.feats.vlen, 120) / 12 - far * 0.5
        if u.feats.quality == GOOD:
            score -= 8
        if hints_title and _key(hints_title) == k:
            score += 200
        # repeated: printed twice, echoed in <title> "Headline - Site", "标题:Headline"
        if joined.count(k) > 1:
            score += 30
        # a page flattened from HTML starts with its <title>: "Headline - Site"
        if i > 0 and k in keys[0]:
            score += 40
        if score > best_score:
            best, best_score = i, score
    return best


def run_detector(
    text: str,
    config: Config,
    hints: Mapping[str, str | None] | None,
    mode: str,
    memo: LineMemo | None = None,
    deadline: Deadline | None = None,
) -> tuple[list[Unit], list[str], Meta, str | None, tuple[str, ...]]:
    """Units with their verdicts, the input lines, metadata, language and flags
    (``memo``: the page's :class:`LineMemo`, when it is judged more than once;
    ``deadline``: checked between the passes, see :func:`newsclean.chrome.detect`)."""
    # One pass over a huge text takes seconds: a deadline checked only before
    # the detection would let it run on far past the limit.
    deadline = deadline or Deadline(None)
    lex: Lexicon = load_lexicon()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    language = config.language or guess_language(text, lex.stopwords)
    if language in LANGUAGE_FILES:
        lex = load_lexicon(language)
    stop = lex.stopwords.get(language) if language and language not in GUESS_ONLY else None
    deadline.check("chrome detection: units")
    memo = memo if memo is not None else LineMemo()

    def byline(text: str) -> bool:
        if not text[:1].isupper() or not opens_byline(text):
            return False
        parsed = memo.meta(text)
        return parsed is not None and parsed[1] and bool(parsed[0].get("author"))

    units = _units(lines, stop, byline)
    deadline.check("chrome detection: judging lines")
    _judge(units, lex, stop, mode, memo, deadline)
    deadline.check("chrome detection: the body run")

    raw = [_weight(u, mode) for u in units]
    _amid_prose(units, raw)
    weights = _damped(raw, units)
    a, b, total = _best_run(weights)
    if mode == "text":
        hint = (hints or {}).get("title")
        a, b = _main_story(units, raw, weights, (a, b, total), _key(hint) if hint else "")
    a = _skip_header(units, a, b)
    a -= _outline_head(units, a)
    if total > 0:
        b = _resume_after_inline_box(units, weights, b)
        a = _resume_before_inline_box(units, weights, a, b)
        if mode == "text":
            a, b = _across_tables(units, weights, a, b)
        _mark_crossed_boxes(units, a, b)
        # the sentence a continue marker was glued onto is the body's last one
        b = next((k + 1 for k in range(a, b) if units[k].ends), b)
        b += _cut_off_tail(units, b)
        b = _before_dated_list(units, a, b)
        b = _closing_sentences(units, a, b)
        if (listed := _introduced(units, a, b)) > b:
            b = _closing_sentences(units, a, listed, listed=True)
        _tables_inside(units, a, b)
        b = _table_rows(units, b)
    else:
        a = b = 0
    deadline.check("chrome detection: verdicts")

    meta = Meta()
    hint_title = (hints or {}).get("title")
    t = _choose_title(units, a, hint_title) if units else None
    title_key = units[t].key if t is not None else (_key(hint_title) if hint_title else "")
    if t is not None:
        units[t].title = True
        meta.fill(title=units[t].text)
    _collect_metadata(units, a, b, meta)
    _assign_reasons(units, a, b, title_key)
    if t is not None and t < a:
        _info_bar(units[t + 1 : min(a, t + 1 + INFO_BAR_LINES)], meta)
    signed = _signature(units[max(a, b - 2) : b + SIGNATURE_UNITS])
    if signed:
        meta.fill(author=signed[0])
        meta.date = meta.signed = signed[1]

    if b > a:
        meta.fill(author=inline_author(units[a].text))
        # the writers in brackets at the end: of the last paragraph, or a
        # line of their own just under it
        after = units[b].text if b < len(units) and units[b].feats.vlen <= 24 else ""
        meta.fill(author=trailing_credit(units[b - 1].text) or trailing_credit(after))
        meta.fill(author=_bare_byline(units, t, a))
    if meta.date is None:  # a content farm's 网址: echo still dates the page
        for u in units:
            if u.reason == "injection":
                meta.fill(date=url_date(u.text))
    for k, v in (hints or {}).items():
        if v and k in ("title", "date", "source", "author", "editor"):
            setattr(meta, k, v)

    if not _mark_evidence(units, a) and mode == "text":
        # Nothing in the text is chrome by its own content or is a menu: the
        # structural verdicts (a short line or a headline at the edge, a list
        # after the body) would only say where a page's body stops among its
        # chrome, and there is none.  The text is kept whole, which is what
        # makes cleaning stable on its own output (newsclean.explain strips
        # the evidence lines, so clean text never has any).
        for u in units:
            u.reason = None
        meta.title = hint_title
    flags: tuple[str, ...] = ()
    kept = sum(len(u.body or u.text) for u in units if u.reason is None)
    if kept < config.min_body_chars:
        flags = ("no-body",)
        for u in units:
            if u.reason is None:
                u.reason = "no-body"
    return units, lines, meta, language, flags


def _mark_evidence(units: list[Unit], a: int) -> bool:
    """Set ``Unit.evidence`` on the units removed (or cut) for what they are: a
    lexicon rule, a metadata line, an injected or continue fragment, an item of
    a menu (MENU_RUN or more menu-like units in a row, all removed), or the
    headline that opens the text right before the body (``a``: its first unit).
    True when there is any."""
    first = units[0] if units else None
    if a == 1 and first is not None and first.title and first.reason == "title":
        # a headline, not the article's first sentence (a dateline lead, a question)
        first.evidence = not first.feats.terminal and first.feats.quality in (SHORT, BAD)
    run: list[Unit] = []
    for u in [*units, None]:
        if u is not None and u.reason is not None and _menu_item(u):
            run.append(u)
        else:
            if len(run) >= MENU_RUN:
                for m in run:
                    m.evidence = True
            run = []
        if u is None:
            break
        if u.reason is None:
            u.evidence = u.evidence or u.cut is not None
        elif u.reason == "metadata" or (u.rule is not None and u.reason == u.rule.reason):
            u.evidence = True
    return any(u.evidence for u in units)


def _menu_item(u: Unit) -> bool:
    """A menu entry: a word or two (a few CJK characters), no digit, no sentence
    end, no list bullet (a bulleted line is an item of the content's own list:
    menus come without bullets)."""
    f = u.feats
    short = f.vlen <= MENU_ITEM and (f.dense > 0 or len(u.text.split()) <= MENU_WORDS)
    return (
        f.quality == SHORT
        and short
        and not f.terminal
        and not _DIGIT.search(u.text)
        and not _BULLET.match(u.text)
    )


class LineMemo:
    """What the detector reads from one line's text alone, remembered for a page.

    HTML mode judges the same lines up to three times: in trafilatura's text,
    in the flattened page (the text-mode fallback) and in the cleaned text
    (stabilizing); the lexicon, the metadata parser and the squashed key of a
    line depend on nothing but its text (and the lexicon), so one page's
    detections share them.  A memo belongs to one page (``newsclean.explain``
    makes one per call): it only grows, with that page's lines.
    """

    __slots__ = ("_doubled", "_keys", "_matches", "_metas")

    def __init__(self) -> None:
        self._keys: dict[str, str] = {}
        self._metas: dict[str, tuple[dict[str, str | None], bool] | None] = {}
        self._matches: dict[tuple[int, str, int, int], tuple[ChromeRule | None, bool]] = {}
        self._doubled: dict[str, bool] = {}

    def key(self, text: str) -> str:
        k = self._keys.get(text)
        if k is None:
            k = self._keys[text] = _key(text)
        return k

    def meta(self, text: str) -> tuple[dict[str, str | None], bool] | None:
        """``parse_meta_line(text)`` where ``_meta_hint`` allows it, else None;
        the fields are a fresh dict each time (the caller keeps and edits it)."""
        if text in self._metas:
            found = self._metas[text]
        else:
            found = self._metas[text] = parse_meta_line(text) if _meta_hint(text) else None
        return None if found is None else (dict(found[0]), found[1])

    def match(
        self, lex: Lexicon, text: str, vlen: int, dense: int
    ) -> tuple[ChromeRule | None, bool]:
        # the lexicon by identity: load_lexicon returns one object per language
        k = (id(lex), text, vlen, dense)
        found = self._matches.get(k)
        if found is None:
            found = self._matches[k] = lex.match(text, vlen, dense)
        return found

    def doubled(self, text: str) -> bool:
        found = self._doubled.get(text)
        if found is None:
            found = self._doubled[text] = _doubled(text)
        return found


def _judge(
    units: list[Unit],
    lex: Lexicon,
    stop: frozenset[str] | None,
    mode: str,
    memo: LineMemo,
    deadline: Deadline | None = None,
) -> None:
    """Per-unit evidence: injected prefixes, metadata, lexicon rules, duplicates, lists.

    ``deadline`` is checked every DEADLINE_UNITS units: judging a page of
    megabytes is one pass of seconds (hostile test: timeout=1 took 3.5 s).
    """
    deadline = deadline or Deadline(None)
    for u in units:
        # long paragraphs are never headlines or echoes: skip the squash
        u.key = memo.key(u.text) if u.feats.vlen < KEY_MAX else u.text
    counts = Counter(u.key for u in units)
    _cut_continue_suffix(units, lex, stop)
    for n, u in enumerate(units):
        if n % DEADLINE_UNITS == DEADLINE_UNITS - 1:
            deadline.check("chrome detection: judging lines")
        if u.ends:
            continue  # judged: prose whose continue marker was cut off
        for rule in lex.prefix_rules:
            m = rule.search(u.text)
            if m and m.end() < len(u.text):
                rest = u.text[m.end() :].strip()
                rf = line_features(rest, stop)
                if rf.quality == GOOD:  # a real paragraph behind the injected prefix
                    u.body, u.cut = rest, m[0]
                    u.feats = rf
                else:
                    u.rule = rule
                break
        if u.rule is None and u.feats.vlen < 240:
            parsed = memo.meta(u.text)
            if parsed is not None and parsed[1]:
                u.meta = parsed[0]
        if u.rule is None:
            found, anchored = memo.match(lex, u.text, u.feats.vlen, u.feats.dense)
            if found is not None and prefix_in_prose(found, u.text, u.feats):
                # a sentence that starts with a chrome word ("上一篇报道引起了争议。"):
                # the writer's, kept with the doubt
                u.doubt, found = found.reason, None
            # a date/source line wins over a loose widget pattern ("…客户端")
            if found is not None and (u.meta is None or found.reason == "editor-line"):
                u.rule, u.meta = found, None
                # 版权 / "share" in the middle of a long sentence is not a footer;
                # nor in a shorter one (news paragraphs are often one sentence,
                # NEAR, not GOOD) when words of the sentence come before it
                u.weak = found.weak or (
                    not anchored
                    and (
                        u.feats.quality == GOOD
                        or (u.feats.quality == NEAR and _inside_sentence(found, u.text))
                    )
                )
                if not u.weak and (tail := sentence_after_notice(found, u.text, u.feats)):
                    # the line's own sentence goes on from the notice: an end
                    # marker's, as strong, would cut the rest of the article;
                    # any other's when it goes on into a reporting clause
                    u.weak = found.end or reports(tail)
        u.dup = u.feats.vlen < KEY_MAX and memo.doubled(u.text)
    _join_dangling(units)
    _mark_threads(units, lex)
    _mark_duplicates(units, counts, mode)
    _mark_teaser_lists(units, lex.thread)


# a Latin stop before a space ("9.99" holds none), a CJK one anywhere
_SENTENCE_BREAK = re.compile(r"[.!?;]\s|[。！？；]")


def _inside_sentence(rule: ChromeRule, text: str) -> bool:
    """The rule's phrase comes after words of the line ("The investigation found
    that the website uses cookies to ..."): the writer's sentence mentions it.
    A line that starts with it ("Subscribe to ... for $1 a week.") is its own."""
    m = rule.anywhere.search(text) if rule.anywhere is not None else None
    if m is None:
        return False
    # only its own sentence counts: "... every week. Click here for more" starts one
    head = _SENTENCE_BREAK.split(text[: m.start()])[-1]
    return any(c.isalnum() for c in head)


def _join_dangling(units: list[Unit]) -> None:
    """A label line whose value is the next line ("作者：" / "芊草凡凡"): a
    table or a <span> per field puts them on separate lines.  Read together,
    they are one metadata line, and both lines are metadata."""
    for u, nxt in itertools.pairwise(units):
        # a label ending in a colon ("作者："), or a credit's role alone ("本报记者")
        if u.meta is None:
            if u.rule is not None or u.feats.vlen > HEADLINE or not role_only(u.text):
                continue
        elif u.meta or not dangling_label(u.text):
            continue
        if nxt.rule is not None or nxt.meta is not None or not dangling_value(nxt.text):
            continue
        fields, only = parse_meta_line(f"{u.text} {nxt.text}")
        if only and fields:
            u.meta, nxt.meta = fields, {}


def _mark_threads(units: list[Unit], lex: Lexicon) -> None:
    """Comment-thread headers become ``comments`` end markers (see threads.py).

    An explicit end marker the lexicon found keeps its own reason.  Whatever
    follows a header after body prose is damped like comments under a
    "Comments" heading: a thread after the body never joins it.
    """
    texts = [u.text for u in units]
    vlens = [u.feats.vlen for u in units]
    for i in thread_headers(mark_signs(texts, vlens, lex.thread)):
        u = units[i]
        u.thread = True
        if u.rule is None or not u.rule.end:
            u.rule, u.meta, u.weak = THREAD_RULE, None, False


def _cut_continue_suffix(units: list[Unit], lex: Lexicon, stop: frozenset[str] | None) -> None:
    """A continue marker glued onto the body's last sentence ("……最后一句。阅读全文",
    "… last sentence. Read more >>"): cut off the marker, keep the sentence, and
    end the body after it (``Unit.ends``).

    Only when the page has one such line: a truncated body has one continue link,
    a teaser list repeats it after every teaser (those lines stay related-list).
    And only when the rest is prose: "更多内容。阅读全文" is a list item; a short
    sentence ("专家解读最新政策。") may close a body or be a teaser's headline, so it
    is kept with the doubt.
    """
    found = [(u, hit) for u in units if (hit := lex.suffix_match(u.text)) is not None]
    if len(found) != 1:
        return
    u, (rule, m) = found[0]
    rest = u.text[: m.start()].rstrip()
    feats = line_features(rest, stop) if rest else None
    if feats is not None and feats.quality in (GOOD, NEAR):
        u.body, u.cut, u.cut_reason, u.ends = rest, m[0].strip(), rule.reason, True
        u.feats = feats
        if feats.quality == NEAR:
            u.doubt = "related-list"


def _collect_metadata(units: list[Unit], a: int, b: int, meta: Meta) -> None:
    """Header lines first, then footer lines up to the first section marker."""
    header = units[max(0, a - 15) : a]
    # The byline nearest the body credits its author; a credit higher up is a
    # masthead or a menu entry ("新华社记者看东北", a column's name).
    meta.fill(author=_credit_block(header))
    # The date a publish label introduces ("发布时间：…", a blog post's own
    # "发表于 …" line under it) outranks other dates around the body (a
    # blog's "建立于" date, a masthead's today).
    start = max(0, a - 15)
    # A forum's body run may swallow the opening post's own line ("发布时间
    # 2005/03/15 22:36:13 by X" under the post): when nothing above the body
    # dates it, the body before the footer, whose dated lines may be the last
    # reply's.  Only in the body's first half: the opening post's line sits
    # under it, the replies after it; a posted line near the body's end is a
    # comment's, and so is one in a body under a dated header.
    dated_header = any(u.meta and u.meta.get("date") for u in header)
    posted = (
        _posted_date(units, range(a - 1, start - 1, -1))
        or (None if dated_header else _posted_date(units, range(a, (a + b) // 2)))
        or _posted_date(units, range(b, min(len(units), b + 12)))
    )
    if posted:
        meta.fill(date=posted[0], author=_poster(units, posted[1]))
    else:
        post = _post_line(units, start, min(len(units), b + 12))
        if post:
            meta.fill(author=post[0], date=post[1])
    for u in header:
        if u.meta:
            meta.fill(**u.meta)  # type: ignore[arg-type]
    for u in units[b : b + 12]:
        if u.rule is not None and u.rule.reason != "editor-line":
            if u.rule.end:
                break
            continue
        if u.meta:
            meta.fill(**u.meta)  # type: ignore[arg-type]
    editor_lines = [
        u.text for u in units[a : b + 12] if u.rule is not None and u.rule.reason == "editor-line"
    ]
    # the editor in charge (责任编辑) outranks the first-review one (初审编辑)
    for line in sorted(editor_lines, key=lambda t: "责任" not in t and "責任" not in t):
        fields, _ = parse_meta_line(line)
        meta.fill(editor=fields.get("editor"))


def _credit_block(header: list[Unit]) -> str | None:
    """The authors of the byline nearest the body, with those of the credit
    lines right above it ("本报实习生 刘国栋 周炜" / "本报记者 王燕平"): the
    run of metadata lines it sits in, stopped by any other line."""
    names: list[str] = []
    for u in reversed(header):
        if u.meta is None:
            if names:
                break
            continue
        author = u.meta.get("author")
        if author:
            names[:0] = author.split("、")
    return "、".join(dict.fromkeys(names)) or None


SIGNATURE_UNITS = 4  # units after the body where a document's signature block sits


def _signature(units: list[Unit]) -> tuple[str, str] | None:
    """An official document's signature block (落款) at the body's end: the
    issuing organ's name on its own line, then the date the document was made
    on its own line ("吉林省人民政府" / "2022年1月27日").  The document is
    dated so, whenever a page publishes it, and the organ issued it."""
    for u, nxt in itertools.pairwise(units):
        if nxt.meta is None or {k for k, v in nxt.meta.items() if v} != {"date"}:
            continue
        if len(nxt.text.strip()) <= DATE_LINE and issuer(u.text):
            date = nxt.meta["date"]
            if date:
                return u.text.strip(), date
    return None


DATE_LINE = 20  # characters: a date alone on its line ("2022年1月27日")
INFO_BAR_LINES = 4  # units under the headline where its info bar (date, 来源, 作者) sits


def _info_bar(units: list[Unit], meta: Meta) -> None:
    """The fields of the info bar right under the headline.

    A portal prints the headline, then its info bar ("2004年10月21日14:18" /
    "作者：X"), then widgets, a sidebar or a hot list, and only then the body:
    flattened, the info bar may sit far above the body's first line, out of
    the header window, yet it is the article's.  Only metadata lines among
    the first few under the headline count, up to the first line of prose,
    and never an item of a related list (a teaser's date line).
    """
    for u in units:
        if u.meta is None:
            if u.feats.vlen > HEADLINE:
                return
            continue
        if u.teaser or u.reason == "related-list":
            return
        meta.fill(date=u.meta.get("date"), author=u.meta.get("author"))


BYLINE_LINES = 3  # units after the headline (or around the body start) a bare byline may be
HEADLINE = 40  # visible characters: a headline or a subtitle, not a paragraph


def _bare_byline(units: list[Unit], t: int | None, a: int) -> str | None:
    """A line of bare names under the headline ("胡平", essays and papers
    credit their writers so, without a label): the first unit of names among
    the few after the headline (around the body's start without one), before
    any paragraph, and right after a short line (the headline or a subtitle)."""
    lo = t + 1 if t is not None else max(0, a - BYLINE_LINES)
    for i in range(max(lo, 1), min(len(units), max(lo, a) + BYLINE_LINES)):
        u = units[i]
        if u.feats.vlen > HEADLINE:
            return None
        if u.rule is None and units[i - 1].feats.vlen <= HEADLINE:
            names = bare_names(u.text)
            if names:
                return names
    return None


POSTED_LINE = 80  # visible characters: a post's info line, not a sentence


def _posted_date(units: list[Unit], order: Iterable[int]) -> tuple[str, int] | None:
    """The date of the first unit (in ``order``) that a publish label dates,
    and its index: a metadata line, or a short line that adds the forum's
    name ("〓 网易娱乐 明星话题 发布时间 2005/03/15 22:36:13 by")."""
    for i in order:
        u = units[i]
        if u.meta is None and (u.rule is not None or u.feats.vlen > POSTED_LINE):
            continue
        if posted_label(u.text):
            date = u.meta.get("date") if u.meta else find_date(u.text)[0]
            if date:
                return date, i
    return None


POST_LINE_UNITS = 5  # units a forum's post line may be split over (a link per field)


def _post_line(units: list[Unit], lo: int, hi: int) -> tuple[str, str] | None:
    """The poster and date of the first forum post line ("本贴由 X 于<date>在
    〖版面〗发表") from ``lo`` to ``hi``, read across the short units a link
    per field splits it into."""
    for i in range(lo, hi):
        if units[i].feats.vlen > POSTED_LINE or "由" not in units[i].text:
            continue
        parts = []
        for u in units[i : i + POST_LINE_UNITS]:
            if u.feats.vlen > POSTED_LINE:
                break
            parts.append(u.text.strip())
        found = posted_by(" ".join(parts))
        if found:
            return found
    return None


# A user name as forums and blogs print it next to a post: one short token.
_HANDLE = re.compile(r"[\w.\-\u4e00-\u9fff]{2,12}")
# a post line that ends with its poster: "… 22:36:13 by duscha"
_BY_NAME = re.compile(r"\d\s*\bby\s+([\w.\-\u4e00-\u9fff]{2,12})$", re.IGNORECASE)


def _poster(units: list[Unit], i: int) -> str | None:
    """Who a post's own line credits: the user name on the line before it
    ("ggjjzhzz" / "发表于 2005-9-15 11:46"), or after its trailing "by"."""
    text = units[i].text.rstrip()
    by = _BY_NAME.search(text)
    if by:  # "… 发布时间 2005/03/15 22:36:13 by duscha": the name ends the line
        return by[1]
    j = i + 1 if re.search(r"\bby$", text, re.IGNORECASE) else i - 1
    if not 0 <= j < len(units) or (j == i - 1 and not poster_above(text)):
        return None
    name = units[j].text.strip()
    if units[j].rule is not None or units[j].meta is not None or not _HANDLE.fullmatch(name):
        return None
    return None if name.isdigit() or parse_meta_line(name)[1] else name


def _assign_reasons(units: list[Unit], a: int, b: int, title_key: str) -> None:
    """Every unit outside the body run, or chrome inside it, gets its reason."""
    section: str | None = None  # the last section heading after the body
    for i, u in enumerate(units):
        inside = a <= i < b
        if (
            u.rule is not None
            and u.weak
            and inside
            and (_prose_around(units, i) or (i == b - 1 and _cut_off_tail(units, i)))
        ):
            u.doubt = u.rule.reason
        elif u.rule is not None:
            u.reason = u.rule.reason
            # a section heading names what follows; an inline widget does not
            if i >= b and not u.rule.inline:
                section = u.rule.reason
        elif inside:
            _judge_inside(u, i, a, b, title_key)
        elif u.title or (
            title_key and i < a and title_key in u.key and len(u.key) < 3 * len(title_key)
        ):
            u.reason = "title"
        elif u.meta is not None and (i < a or section is None):
            u.reason = "metadata"
        elif (u.dup or u.teaser) and i >= b:
            u.reason = "related-list"
        else:
            fallback = "navigation" if u.feats.quality in (SHORT, BAD) else "outside-body"
            u.reason = fallback if i < a else (section or fallback)
        if u.reason is None and u.rule is None and u.feats.quality == SHORT and u.dup:
            u.doubt = "related-list"
        if u.ends and i == b - 1:  # what follows the body's continue marker, as after one alone
            section = u.cut_reason


def _judge_inside(u: Unit, i: int, a: int, b: int, title_key: str) -> None:
    """A unit inside the body run without a lexicon rule: kept, unless structure says no."""
    if u.teaser or u.box:
        u.reason = "related-list"
    elif u.meta is not None and (i == a or i == b - 1 or u.feats.vlen < 80):
        u.reason = "metadata"
    elif u.dup and title_key and u.key == title_key:
        u.reason = "title"
    else:
        m = _BRACKET_HEAD.match(u.text) if u.body is None else None
        if m and title_key and _key(m[1]) == title_key:  # 【title】 pasted into a paragraph
            u.body, u.cut = u.text[m.end() :].strip(), m[0]
