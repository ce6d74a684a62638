"""Chrome patterns as data: ``newsclean/lexicons/*.json``, compiled once.

Every lexicon file maps a reason id to regexes (searched, case-insensitively,
in the stripped line; a pattern starting with ``^`` must be anchored as a whole,
it is tried with ``match``).  All files are loaded together: a Chinese page still
carries an English ``Copyright`` line, and the CJK patterns cannot match a
Latin page, so the union is both safer and simpler than switching per language.
Only the stop-word list (prose detection) depends on the page's language.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

from newsclean.chrome.features import BAD, GOOD, NEAR, SHORT, LineFeatures, reads_as_sentence
from newsclean.chrome.threads import ThreadSigns

try:  # the regex parser: stable API since Python 3.0, renamed in 3.11
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sre_parse
try:  # the regex compiler's extra IGNORECASE pairs (в ~ ᲀ, µ ~ μ): Python 3.11+
    from re._casefix import _EXTRA_CASES as _RE_EXTRA_CASES  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - Python 3.10: cased non-ASCII letters stay undispatched
    _RE_EXTRA_CASES = None

#: The files loaded for every page, in priority order (earlier files win ties).
LEXICON_FILES = ("zh", "en", "common")
#: Files loaded only for pages in their language: ja/ko share their script with
#: zh; the others' labels ("Partager", "Anzeige", "Читайте также") are not worth
#: a regex on every English or Chinese line, and only their own pages have them.
LANGUAGE_FILES = ("ja", "ko", "fr", "es", "de", "pt", "it", "ru")


#: "latin" is any non-CJK script: the rule skips lines that are almost all CJK.
_SCRIPTS = {
    "zh": "cjk",
    "ja": "cjk",
    "ko": "cjk",
    **dict.fromkeys(("en", "fr", "es", "de", "pt", "it", "ru"), "latin"),
}

#: Languages whose stop words are jusText's stoplists (``justext/stoplists/*.txt``,
#: installed with trafilatura): lists kept by the jusText authors, built from
#: Wikipedia word frequencies, rather than lists written here.  English keeps
#: en.json's list, on which the detector's thresholds were set.
JUSTEXT_STOPLISTS = {
    "fr": "French",
    "es": "Spanish",
    "de": "German",
    "pt": "Portuguese",
    "it": "Italian",
    "ru": "Russian",
}
#: Words taken from each jusText list: about the size of en.json's list.
STOPLIST_SIZE = 150
#: Lists that name the language but do not feed the prose features: Russian has
#: no articles, so its prose scores below the density thresholds set on English
#: and its teasers and headlines fall apart (measured: 3 Russian pages of the
#: English benchmark 0.983/0.979/0.997 without the list, 0.962/0.959/0.997 with
#: it; bench/textmode_langs.py ru 0.95 without, 0.62 with).
GUESS_ONLY = frozenset({"ru"})


@dataclass(frozen=True)
class ChromeRule:
    reason: str
    #: Patterns anchored with ``^`` (tried with ``match``: cheap on long lines) ...
    head: re.Pattern[str] | None
    #: ... and the others (``search``).
    anywhere: re.Pattern[str] | None
    #: Longest line (visual units: a CJK character counts 3) the rule may claim;
    #: keeps a long body sentence that mentions 版权 or "share" in the body.
    max_len: int
    #: The line ends the article: what follows is chrome unless proven otherwise.
    end: bool
    #: Remove only the matched prefix, then judge the rest of the line.
    strip: bool
    #: Evidence, not proof (a trailing "..."): structure around the line decides.
    weak: bool = False
    #: Chrome that sits inside articles (photo credits, ad labels, counters): it
    #: is removed, but costs the body run no more than a short line.
    inline: bool = False
    #: Remove only the matched end of the line (a continue marker glued onto the
    #: body's last sentence), then judge the rest; see :meth:`Lexicon.suffix_match`.
    suffix: bool = False
    #: "cjk": needs CJK text (zh.json); "latin": needs non-CJK text (en.json); "" any.
    script: str = ""
    #: Lower-case literals of which every match of ``anywhere`` contains one
    #: (see :func:`needles`); None when some alternative has no literal.
    needles: tuple[str, ...] | None = None
    #: A suffix rule's possible last characters, lower case (see :func:`last_chars`).
    last: frozenset[str] | None = None
    #: The rule claims a credit: a label whose value is names (编辑：李四,
    #: "Editor: Jane Smith", "© Getty Images").  The same label before a
    #: sentence is a speaker's or the writer's (see :func:`prefix_in_prose`).
    credit: bool = False

    def search(self, text: str) -> re.Match[str] | None:
        m = self.head.match(text) if self.head is not None else None
        if m is None and self.anywhere is not None:
            m = self.anywhere.search(text)
        return m

    def may_search(self, low: str | None) -> bool:
        """False when ``anywhere`` cannot match the line lowered to ``low``
        (:func:`gate_text`; None: unknown, so True)."""
        return low is None or self.needles is None or any(map(low.__contains__, self.needles))


def _compile(patterns: list[str]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


# --- literal gates ------------------------------------------------------------------
#
# Most unanchored patterns start with ``\b`` or an alternation, so ``re`` cannot
# skip ahead to a literal and tries the pattern at every position of every line
# (half of the detector's time on English pages).  Every match of such a pattern
# contains one of a few literals ("cookie", "all rights reserved", "版权所有"):
# ``literal in line.lower()`` (C speed) rules the line out before the regex runs.

#: Non-ASCII characters that ``re.IGNORECASE`` matches to an ASCII letter while
#: ``str.lower`` does not map them to it (İ, dotless ı, long ſ, Kelvin K).  A line
#: holding one is searched with the regex alone.  tests/test_lexicon_gate.py
#: checks this list against every code point.
FOLD_RISK = "\u0130\u0131\u017f\u212a"
_FOLD_RISK = re.compile(f"[{FOLD_RISK}]")
_MIN_NEEDLE = 2  # a one-character literal gates nothing worth a check


def needles(pattern: str) -> tuple[str, ...] | None:
    """Lower-case literals such that every match of ``pattern`` contains one.

    Read from the parsed pattern: in a sequence, a run of literal characters
    (small alternations and character sets of literals multiply it out), or an
    alternation or a repeat (at least once) whose parts all have needles, is
    required; the most selective such element is chosen.  None when there is
    none.  A cased non-ASCII letter is part of a literal only when ``str.lower``
    finds every match of it (:func:`_needle_char`).
    """
    found = _seq_needles(_sre_parse.parse(pattern, re.IGNORECASE))
    if found is None or min(map(_weight, found)) < _MIN_NEEDLE:
        return None
    # a needle containing another one adds nothing
    return tuple(sorted(n for n in set(found) if not any(m != n and m in n for m in found)))


_MAX_PRODUCT = 64
_LITERAL, _BRANCH, _IN = _sre_parse.LITERAL, _sre_parse.BRANCH, _sre_parse.IN
_SUBPATTERN = _sre_parse.SUBPATTERN
_REPEATS = tuple(
    getattr(_sre_parse, n)
    for n in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
    if hasattr(_sre_parse, n)
)


def _seq_needles(seq: Any) -> list[str] | None:
    options: list[list[str]] = []
    run = [""]  # the literal strings the elements since the last non-literal match
    plain = ""  # the same, since the last element with a choice

    def flush() -> None:
        nonlocal run, plain
        options.extend(o for o in (run, [plain]) if o != [""])
        run, plain = [""], ""

    for op, av in seq:
        chars = _literal_choices(op, av)
        if chars is not None and len(run) * len(chars) <= _MAX_PRODUCT:
            run = [r + c for r in run for c in chars]
            if len(chars) == 1:
                plain += chars[0]
            else:
                options.extend([[plain]] if plain else [])
                plain = ""
            continue
        flush()
        sub: list[str] | None = None
        if op is _BRANCH:
            alts = [_seq_needles(alt) for alt in av[1]]
            sub = None if any(a is None for a in alts) else [n for a in alts for n in a or ()]
        elif op is _SUBPATTERN:
            sub = _seq_needles(av[-1])
        elif op in _REPEATS and av[0] >= 1:
            sub = _seq_needles(av[2])
        if sub:
            options.append(sub)
    flush()
    if not options:
        return None

    # selective enough (5: a short word, or two CJK characters), then the fewest
    # checks, then the rarest
    def rank(o: list[str]) -> tuple[int, int, int]:
        w = min(map(_weight, o))
        return min(w, _GOOD_WEIGHT), -len(o), w

    return max(options, key=rank)


_GOOD_WEIGHT = 5


def _literal_choices(op: Any, av: Any) -> list[str] | None:
    """The strings one parsed element matches, when it is a literal, a set of
    literal characters or an alternation of literal strings; else None."""
    if op is _LITERAL:
        return [chr(av).lower()] if _needle_char(chr(av)) else None
    if op is _IN:
        if len(av) > 8 or any(o is not _LITERAL or not _needle_char(chr(c)) for o, c in av):
            return None
        return [chr(c).lower() for _, c in av]
    if op is _BRANCH:
        out: list[str] = []
        for alt in av[1]:
            if any(o is not _LITERAL or not _needle_char(chr(c)) for o, c in alt):
                return None
            out.append("".join(chr(c) for _, c in alt).lower())
        return out
    return None


def _weight(needle: str) -> int:
    """How selective a literal is: a non-ASCII character is rarer than a letter."""
    return sum(1 if c.isascii() else 3 for c in needle)


def _plain(ch: str) -> bool:
    """A literal whose case-insensitive matches ``str.lower`` finds: ASCII or caseless."""
    return ch.isascii() or ch.lower() == ch.upper()


def _needle_char(ch: str) -> bool:
    """A literal that can be part of a needle: every character IGNORECASE matches
    to it lowers to its own lower case ("ü", "щ"; not "в", which ᲀ matches, nor
    σ, whose lower case in a line depends on its place in the word)."""
    return _plain(ch) or case_keys(ch) == frozenset((ch.lower(),))


# --- first-character dispatch for the anchored patterns ------------------------------
#
# The combined head regex tries every rule's alternatives at position 0 (~200
# failed comparisons a line: no alternative starts with a plain literal that
# ``re`` could skip on).  A line's first character rules out most rules ("© 2020"
# can only start a copyright or counter line), so trying the few rules that can
# start with it, in rule order, finds the same first rule.
#
# The rules are keyed by the lower case of the characters a pattern can start
# with, and a line by the lower case of its first character.  For a cased
# letter outside ASCII ("À", "Ü", every Cyrillic letter) IGNORECASE matches the
# characters whose simple lower case is the letter's, or one of the few extra
# lower cases ``re`` pairs it with (в ~ ᲀ, µ ~ μ: re._casefix): those are its
# keys.  A line starting with a FOLD_RISK character is not dispatched.

_MAX_RANGE = 256
_AT, _RANGE, _CATEGORY = _sre_parse.AT, _sre_parse.RANGE, _sre_parse.CATEGORY
#: Categories left out of a pattern's first characters: a stripped line never
#: starts with a space, and a line that starts with a digit is dispatched to
#: :attr:`Lexicon.head_digit` (see Lexicon.head_match).
_UNDISPATCHED = (_sre_parse.CATEGORY_DIGIT, _sre_parse.CATEGORY_SPACE)


def first_chars(pattern: str) -> frozenset[str] | None:
    """Characters (lower case) a match of ``pattern`` can start with, digits and
    spaces left out; None when it can start with almost anything."""
    found = _first(_sre_parse.parse(pattern, re.IGNORECASE))
    if found is None or found[1]:
        return None  # nullable: it matches an empty prefix of any line
    return frozenset(found[0])


def _first(seq: Any) -> tuple[set[str], bool] | None:
    """(first characters, the sequence can match empty); None: any character."""
    return _edge(seq, last=False)


def _edge(seq: Any, last: bool) -> tuple[set[str], bool] | None:
    """(first or last characters of a match, it can match empty); None: any character.

    Read backwards (``last``), lookarounds are zero width and spaces are left out
    (a stripped line never ends in one); read forwards they make the answer None.
    """
    out: set[str] = set()
    for op, av in reversed(list(seq)) if last else seq:
        if op is _AT or (last and op in _ASSERTS):
            continue  # zero width
        if op is _LITERAL or op is _IN:
            items = [(op, av)] if op is _LITERAL else av
            chars = _class_chars(items, _TRAILING_SKIP) if last else _class_chars(items)
            return None if chars is None else (out | chars, False)
        if op is _BRANCH or op is _SUBPATTERN or op in _REPEATS:
            parts = av[1] if op is _BRANCH else [av[-1]] if op is _SUBPATTERN else [av[2]]
            nullable = op in _REPEATS and av[0] == 0
            for part in parts:
                sub = _edge(part, last)
                if sub is None:
                    return None
                out |= sub[0]
                nullable = nullable or sub[1]
            if not nullable:
                return out, False
            continue
        return None
    return out, True


def _class_chars(items: Any, skip: tuple[Any, ...] = _UNDISPATCHED) -> set[str] | None:
    out: set[str] = set()
    for op, av in items:
        if op is _LITERAL:
            keys = case_keys(chr(av))
            if keys is None:
                return None
            out |= keys
        elif op is _RANGE and av[1] - av[0] < _MAX_RANGE:
            for c in range(av[0], av[1] + 1):
                keys = case_keys(chr(c))
                if keys is None:
                    return None
                out |= keys
        elif not (op is _CATEGORY and av in skip):
            return None
    return out


def case_keys(ch: str) -> frozenset[str] | None:
    """The lower cases of every character that IGNORECASE matches to the literal
    ``ch`` (the keys of :meth:`Lexicon.head_match`); None when they are not known.

    ``re`` matches a character to ``ch`` when its simple lower case is ``ch``'s
    or one of ``re._casefix``'s extra ones for it; ``str.lower`` is the simple
    lower case for every character but İ (FOLD_RISK).  An ASCII literal keeps
    its own lower case: the non-ASCII characters matched to it are FOLD_RISK.
    """
    if _plain(ch):
        return frozenset((ch.lower(),))
    low = ch.lower()
    if len(low) != 1 or _RE_EXTRA_CASES is None:
        return None
    return frozenset((low, *map(chr, _RE_EXTRA_CASES.get(ord(low), ()))))


# --- last-character gate for the suffix patterns -------------------------------------
#
# A suffix rule is searched on every line, and its pattern (a lookbehind first)
# is tried at each position of the line's tail; the last character of a line
# rules most lines out: a continue marker ends in 文, 读 or an arrow.

_ASSERTS = (_sre_parse.ASSERT, _sre_parse.ASSERT_NOT)
_TRAILING_SKIP = (_sre_parse.CATEGORY_SPACE,)


def last_chars(pattern: str) -> frozenset[str] | None:
    """Characters (lower case) a match of ``pattern`` can end with, spaces left
    out (a stripped line never ends in one); None when it can end with almost anything."""
    found = _edge(_sre_parse.parse(pattern, re.IGNORECASE), last=True)
    if found is None or found[1]:
        return None  # nullable: it matches an empty suffix of any line
    return frozenset(found[0])


def gate_text(text: str) -> str | None:
    """``text`` lowered for the literal gates; None when a gate could be wrong on it."""
    if not text.isascii() and _FOLD_RISK.search(text):  # isascii is a flag: no scan
        return None
    return text.lower()


#: A suffix rule is tried on a line's last characters only: a continue marker
#: with its arrows is short, and a search over a whole paragraph would try the
#: pattern (it starts with a lookbehind: no literal to skip on) at every position.
SUFFIX_TAIL = 64


@dataclass(frozen=True)
class Lexicon:
    rules: tuple[ChromeRule, ...]
    prefix_rules: tuple[ChromeRule, ...]
    stopwords: dict[str, frozenset[str]]
    #: The ``"suffix": true`` classes, kept out of :attr:`rules` (see suffix_match).
    suffix_rules: tuple[ChromeRule, ...] = ()
    #: Every character a suffix rule's match can end with (None: any character).
    suffix_last: frozenset[str] | None = frozenset()
    #: Every rule's head patterns in one regex source, one named group per
    #: rule, in rule order: a single anchored ``match`` names the first rule
    #: whose head matches (alternation tries alternatives in order).  Keyed by
    #: the script a line lacks ("", "cjk", "latin"), like :attr:`tiers`; ""
    #: when no head is left.  Compiled on first use (:meth:`full_head`): only a
    #: line that starts with a FOLD_RISK character needs it, and its compile
    #: is most of a language's load time.
    head_sources: dict[str, str] = field(default_factory=dict)
    #: Per skipped script: first character -> the (index, head) of the rules that
    #: can start with it, in rule order, and the same for any other character.
    #: The heads are compiled like their groups in :meth:`full_head`.
    head_first: dict[str, tuple[dict[str, HeadRules], HeadRules]] = field(default_factory=dict)
    #: Per skipped script: the head rules a line that starts with a decimal
    #: digit may match (those that can start with ``\d``, a digit or anything).
    head_digit: dict[str, HeadRules] = field(default_factory=dict)
    #: :meth:`full_head`'s compiled regexes (a cache; the lexicon is shared).
    _full_heads: dict[str, re.Pattern[str] | None] = field(
        default_factory=dict, compare=False, repr=False
    )
    #: The signs of a comment-thread header (key ``thread`` of the files).
    thread: ThreadSigns = field(default_factory=ThreadSigns)

    def full_head(self, skip: str) -> re.Pattern[str] | None:
        """The combined head regex of :attr:`head_sources` (None: no heads)."""
        if skip not in self._full_heads:
            source = self.head_sources.get(skip, "")
            self._full_heads[skip] = re.compile(source) if source else None
        return self._full_heads[skip]

    def head_match(self, skip: str, text: str) -> int:
        """Index of the first rule whose head matches ``text``; -1 when none does.

        The same answer as ``full_head(skip).match`` (tests/test_lexicon_gate.py).
        """
        c = text[:1]
        if skip not in self.head_first or not c or c.isspace() or c in FOLD_RISK:
            head = self.full_head(skip)
            m = head.match(text) if head is not None else None
            return int(m.lastgroup[1:]) if m is not None and m.lastgroup else -1
        if c.isdecimal():  # what \d matches; digits have no case
            candidates = self.head_digit[skip]
        else:
            by_char, default = self.head_first[skip]
            candidates = by_char.get(c.lower(), default)  # c is no FOLD_RISK: one character
        for i, rx in candidates:
            if rx.match(text):
                return i
        return -1

    def suffix_match(self, text: str) -> tuple[ChromeRule, re.Match[str]] | None:
        """The first suffix rule matching the end of ``text`` (a stripped line),
        within its last :data:`SUFFIX_TAIL` characters, with the match; None when
        none does."""
        # the gates hold lower-case literals that IGNORECASE matches only to
        # themselves and their case partners, or to a FOLD_RISK character
        c = text[-1:]
        last = self.suffix_last
        if last is not None and c.lower() not in last and (not c or c not in FOLD_RISK):
            return None  # most lines: one set lookup
        pos = max(0, len(text) - SUFFIX_TAIL)  # a lookbehind still sees text[pos - 1]
        for rule in self.suffix_rules:
            if rule.last is not None and c.lower() not in rule.last and c not in FOLD_RISK:
                continue
            m = rule.anywhere.search(text, pos) if rule.anywhere is not None else None
            if m is not None:
                return rule, m
        return None

    def match(self, text: str, vlen: int, dense: int) -> tuple[ChromeRule | None, bool]:
        """The first rule that claims ``text`` (of visual length ``vlen``), and
        whether an anchored (line-start) pattern matched: a hit in the middle of
        a sentence is weaker evidence than a line that starts like chrome.

        ``dense`` (CJK characters in the line) skips the rules of a script the
        line does not contain: half the regexes on a typical line.
        """
        skip = "cjk" if dense == 0 else ("latin" if dense * 3 >= 0.9 * vlen else "")
        first_head = self.head_match(skip, text)
        if first_head >= 0:
            rule = self.rules[first_head]
            if vlen > rule.max_len or rule.script == skip != "":
                return self._match_slow(text, vlen, skip)  # rare: the head rule cannot claim it
        # only rules before first_head can win, and only through an anywhere pattern
        tier, ungated, any_needle = self._anywhere_tier(skip, vlen)
        low = gate_text(text) if any_needle is not None else None
        if low is not None and any_needle is not None and any_needle.search(low) is None:
            # no rule's literal is in the line, so only the ungated rules can
            # match: one scan in C instead of a needle test per rule (most
            # lines hold no needle)
            tier = ungated
        for i, rule in tier:
            if 0 <= first_head <= i:  # the head rule itself: matched, anchored
                break
            gate = rule.needles
            # rule.may_search, inlined: this loop runs for every line
            if gate is not None and low is not None and not any(map(low.__contains__, gate)):
                continue
            if rule.anywhere is not None and rule.anywhere.search(text):
                return rule, False
        return (self.rules[first_head], True) if first_head >= 0 else (None, False)

    def _match_slow(self, text: str, vlen: int, skip: str) -> tuple[ChromeRule | None, bool]:
        for rule in self.rules:
            if vlen > rule.max_len or (skip and rule.script == skip):
                continue
            if rule.head is not None and rule.head.match(text):
                return rule, True
            if rule.anywhere is not None and rule.anywhere.search(text):
                return rule, False
        return None, False

    def _anywhere_tier(self, skip: str, vlen: int) -> Tier:
        """Rules with unanchored patterns that may claim a line this long, in order;
        the same without the gated ones (:attr:`ChromeRule.needles`); and one regex
        of all the gated ones' needles (None: the tier has no gated rule)."""
        limits, tiers = self.tiers[skip]
        k = bisect_left(limits, vlen)
        return tiers[k] if k < len(tiers) else ((), (), None)

    @cached_property
    def tiers(self) -> dict[str, tuple[list[int], list[Tier]]]:
        """Per skipped script: the distinct max_len values, sorted, and for each the
        rules (with their index) that have unanchored patterns and allow that
        length, as :meth:`_anywhere_tier` gives them."""
        out = {}
        for skip in ("", "cjk", "latin"):
            usable = [
                (i, r)
                for i, r in enumerate(self.rules)
                if r.anywhere is not None and not (skip and r.script == skip)
            ]
            limits = sorted({r.max_len for _, r in usable})
            out[skip] = (
                limits,
                [_tier([(i, r) for i, r in usable if r.max_len >= m]) for m in limits],
            )
        return out


#: A tier of :meth:`Lexicon._anywhere_tier`: its rules, its ungated rules, its needle regex.
Tier = tuple[
    tuple[tuple[int, ChromeRule], ...], tuple[tuple[int, ChromeRule], ...], "re.Pattern[str] | None"
]


def _tier(rules: list[tuple[int, ChromeRule]]) -> Tier:
    """``rules`` as a :data:`Tier`.  The needles are lower-case literals searched
    in the lowered line (:func:`gate_text`), so the regex is a plain alternation
    of them, longest first; a line it does not match fails every gate."""
    found = {n for _, r in rules if r.needles is not None for n in r.needles}
    ungated = tuple((i, r) for i, r in rules if r.needles is None)
    if not found:
        return tuple(rules), ungated, None
    alternation = "|".join(map(re.escape, sorted(found, key=lambda n: (-len(n), n))))
    return tuple(rules), ungated, re.compile(alternation)


# --- a chrome word that starts a sentence of prose -----------------------------------
#
# A prefix rule (分享到, 版权所有, 上一篇, 联系电话, Share, All rights reserved) claims a
# widget or a footer line; the same word also starts ordinary sentences
# ("版权所有者对此表示不满。", "All rights reserved, the company insisted, ...").
# A widget or a footer puts a separator after the word (a colon, a space, ©, a
# digit, a full stop); a sentence glues the word onto its clause and ends like one.

#: the line ends like a sentence (closing quotes or brackets may follow)
_SENTENCE_TAIL = re.compile(r"[.!?。！？…][\"”’'」』)）]*$")
#: CJK ideographs, kana, hangul (as features._DENSE): a clause character
_CLAUSE_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
#: a word glued on by a space (or a comma and a space), in a script with spaces
#: ("Latin" as in _SCRIPTS: Latin, Cyrillic, Greek): its first letter, which must
#: be lower case ("über", "été", "закона"), so a clause goes on, not a new
#: sentence or a site's name (the regex cannot say "lower case" outside ASCII:
#: prefix_in_prose checks the letter)
#: (starts only where its run of separators starts: from inside a long run of
#: spaces every start would scan the run to its end)
_LATIN_GLUE = re.compile(r"(?<![\s,;])[,;]?\s+([^\W\d_])")
_LATIN_WORD = re.compile(r"[^\W\d_]+")
#: a clause break inside a line: a comma (Latin or CJK)
_CLAUSE_BREAK = re.compile(r"[,，、]")
PROSE_REST_DENSE = 6  # CJK characters of clause text after the word, at least
PROSE_REST_WORDS = 4  # words of clause text after the word, at least
REPORT_WORDS = 2  # words after a notice sentence's own last comma ("…, conseille la préfecture.")
#: A label is a word or a short term (分享到, 版权所有, "All rights reserved"); a
#: longer match ("If you enjoyed this article", "Get the latest updates") is a
#: rule's claim on the sentence itself: a newsletter pitch is a sentence too.
LABEL_WORDS = 3
LABEL_DENSE = 4


def prefix_in_prose(rule: ChromeRule, text: str, feats: LineFeatures) -> bool:
    """``rule`` matches only a word at the start of ``text`` (a stripped line
    with features ``feats``) and the line goes on as a sentence of prose: the
    word (a label: LABEL_WORDS words or LABEL_DENSE CJK characters at most)
    is glued onto more clause text (no separator between them), the line ends
    like a sentence and reads as prose (GOOD or NEAR; SHORT with a comma).

    Then the line is the writer's, not the widget the word names; a match that
    covers the whole line ("分享到：微信 微博", "All rights reserved.") or ends
    on a separator ("上一篇：", "联系电话：", "版权所有 © 2020 …") is not.
    A credit rule's label (:attr:`ChromeRule.credit`: "编辑：", "EDITOR:",
    "Copyright") before a sentence rather than names is a speaker's label (an
    interview's question "编辑：下一步有什么打算？") or the writer's sentence
    ("Copyright in the mural belongs to the artist's estate."), whatever the
    line's length: :func:`label_before_sentence`.

    The detector and ``check`` both ask this (one predicate, one verdict).
    """
    if rule.credit and label_before_sentence(rule, text):
        return True
    # A short line may be a sentence too ("Share this moment, the mayor told the
    # crowd."), when the word's clause goes on past a comma: a widget's prompt
    # is one clause ("Share this article with your friends on Facebook.").
    if feats.quality == BAD or (feats.quality == SHORT and not _CLAUSE_BREAK.search(text)):
        return False
    if not _SENTENCE_TAIL.search(text[-4:]):
        return False
    m = _words_at_start(rule, text)
    if m is None:
        return False
    label = m[0]
    dense = len(_CLAUSE_CHAR.findall(label))
    if dense > LABEL_DENSE or (not dense and len(_LATIN_WORD.findall(label)) > LABEL_WORDS):
        return False  # more than a label: the rule claims this very sentence
    rest = text[m.end() :]
    if _CLAUSE_CHAR.match(rest):  # CJK: the clause goes on right after the word
        return len(_CLAUSE_CHAR.findall(rest)) >= PROSE_REST_DENSE
    if _CLAUSE_CHAR.match(m[0][-1]) is None and (g := _LATIN_GLUE.match(rest)) and g[1].islower():
        return len(_LATIN_WORD.findall(rest)) >= PROSE_REST_WORDS
    return False


def label_before_sentence(rule: ChromeRule, text: str) -> bool:
    """``rule`` matches a label at the start of ``text`` (LABEL_WORDS words or
    LABEL_DENSE CJK characters at most, a colon after it counted in) and
    what follows reads as a sentence (:func:`reads_as_sentence`), not names."""
    m = rule.head.match(text) if rule.head is not None else None
    if m is None and rule.anywhere is not None:
        m = rule.anywhere.match(text)
    if m is None or m.end() >= len(text):
        return False
    label = m[0]
    if (
        len(_CLAUSE_CHAR.findall(label)) > LABEL_DENSE
        or len(_LATIN_WORD.findall(label)) > LABEL_WORDS
    ):
        return False  # more than a label: the rule claims this very sentence
    return reads_as_sentence(text[m.end() :].lstrip(" :：\u3000"))


def _words_at_start(rule: ChromeRule, text: str) -> re.Match[str] | None:
    """``rule``'s match at the start of ``text`` when it ends on a word with
    more text after it; None for a hit further on, the whole line, or words
    then a separator."""
    m = rule.head.match(text) if rule.head is not None else None
    if m is None and rule.anywhere is not None:
        m = rule.anywhere.match(text)  # an unanchored pattern that hit the line's start
    if m is None or m.end() >= len(text) or not m[0][-1:].isalnum():
        return None
    return m


def sentence_after_notice(rule: ChromeRule, text: str, feats: LineFeatures) -> str | None:
    """The rest of ``text`` when ``rule``'s match at its start (more than a
    label, maybe: a notice such as "Les commentaires sont fermés", "Your email
    address will not be published") goes on as the same sentence: glued on (a
    space or a comma, then a lower-case word), PROSE_REST_WORDS words at least,
    a sentence end, and prose by its features; else None.

    Such a line is a writer's sentence as often as the notice ("Les
    commentaires sont fermés depuis que la page a été visée…, explique
    l'adjointe."), and a widget's prompt reads the same ("If you enjoyed this
    article, please share it with your friends."): the detector takes the
    match of an end marker (comments, cookie notices: a strong match cuts the
    rest of the article), or of any rule when the rest :func:`reports`, as weak
    evidence, weighed by the line's neighbours, where :func:`prefix_in_prose`
    (a label, then prose) is enough alone.
    """
    if feats.quality not in (GOOD, NEAR) or not _SENTENCE_TAIL.search(text[-4:]):
        return None
    m = _words_at_start(rule, text)
    if m is None:
        return None
    rest = text[m.end() :]
    g = _LATIN_GLUE.match(rest)
    if g is None or not g[1].islower() or len(_LATIN_WORD.findall(rest)) < PROSE_REST_WORDS:
        return None
    return rest


def reports(rest: str) -> bool:
    """The rest of a sentence (:func:`sentence_after_notice`) goes on past a
    comma of its own, with words after it ("… plutôt que les rumeurs,
    conseille la préfecture."): a reported sentence.  A prompt is one clause
    after its label ("Email Jane Doe at … or follow her on Twitter.", "If you
    enjoyed this article, we have an offer for you: join our members' club."):
    the comma it may have is the one that glues it on."""
    rest = rest.lstrip(" ,;")
    # after its last comma: where a reporting clause is
    cut = max((b.end() for b in _CLAUSE_BREAK.finditer(rest)), default=-1)
    return cut >= 0 and len(_LATIN_WORD.findall(rest[cut:])) >= REPORT_WORDS


@lru_cache(maxsize=len(JUSTEXT_STOPLISTS))
def justext_stopwords(language: str) -> frozenset[str] | None:
    """jusText's stop words for ``language`` (BCP 47), lower case; None when
    jusText has no list for it or is not installed.  Read on first use, cached."""
    name = JUSTEXT_STOPLISTS.get(language)
    if name is None:
        return None
    try:
        text = resources.files("justext").joinpath(f"stoplists/{name}.txt").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):  # an install without jusText
        return None
    # the files are ordered by frequency and run into content words ("Jahrhundert")
    # and tokens with punctuation ("war."): keep the most frequent plain words, as
    # many as en.json has, so that stop-word densities mean the same in every language
    words: dict[str, None] = {}
    for line in text.splitlines():
        w = line.strip().lower()
        if w.isalpha():
            words[w] = None
            if len(words) == STOPLIST_SIZE:
                break
    return frozenset(words)


def _read(name: str) -> dict:
    text = resources.files("newsclean.lexicons").joinpath(f"{name}.json").read_text("utf-8")
    data: dict = json.loads(text)
    return data


@lru_cache(maxsize=len(LANGUAGE_FILES) + 2)  # every language file, and None
def load_lexicon(language: str | None = None) -> Lexicon:
    """The lexicon files for a page in ``language``, compiled; cached (static data)."""
    rules: list[ChromeRule] = []
    prefix: list[ChromeRule] = []
    suffix: list[ChromeRule] = []
    stop: dict[str, frozenset[str]] = {}
    thread: dict[str, list[str]] = {}
    names: tuple[str, ...] = LEXICON_FILES
    if language in LANGUAGE_FILES:
        names = (language, *LEXICON_FILES)
    for name in names:
        data = _read(name)
        if data.get("stopwords"):
            stop[data.get("language", name)] = frozenset(data["stopwords"])
        for kind, pats in data.get("thread", {}).items():
            if not kind.startswith("_"):
                thread.setdefault(kind, []).extend(pats)
        for reason, spec in data["classes"].items():
            pats = spec["patterns"]
            if spec.get("suffix") and not _suffix_patterns(pats, spec):
                raise ValueError(
                    f"lexicon {name}.json, class {reason!r}: a suffix class needs patterns "
                    "that end with '$' and do not start with '^', and no 'strip'; "
                    "fix the class or drop 'suffix'"
                )
            anywhere = _compile([p for p in pats if not p.startswith("^")])
            rule = ChromeRule(
                reason=spec.get("reason", reason),
                head=_compile([p for p in pats if p.startswith("^")]),
                anywhere=anywhere,
                max_len=int(spec.get("max_len", 200)),
                end=bool(spec.get("end", False)),
                strip=bool(spec.get("strip", False)),
                weak=bool(spec.get("weak", False)),
                inline=bool(spec.get("inline", False)),
                suffix=bool(spec.get("suffix", False)),
                credit=bool(spec.get("credit", False)),
                script=_SCRIPTS.get(name, ""),
                needles=needles(anywhere.pattern) if anywhere is not None else None,
                last=last_chars(anywhere.pattern) if spec.get("suffix") and anywhere else None,
            )
            (prefix if rule.strip else suffix if rule.suffix else rules).append(rule)
    # after the files: en.json's list comes first, and wins a tie in guess_language
    for lang in JUSTEXT_STOPLISTS:
        words = justext_stopwords(lang)
        if words and lang not in stop:
            stop[lang] = words
    # Case folding costs on every literal; CJK patterns have no case, so only
    # the others are folded (scoped (?i:...) groups).
    head_sources: dict[str, str] = {}
    for skip in ("", "cjk", "latin"):
        heads = "|".join(
            f"(?P<r{i}>{r.head.pattern})"
            if r.script == "cjk"
            else f"(?P<r{i}>(?i:{r.head.pattern}))"
            for i, r in enumerate(rules)
            if r.head is not None and (not skip or r.script != skip)
        )
        # Every head starts with "^"; said once outside the named groups too,
        # the regex engine tries only the line's start (a search, as the ReDoS
        # bench runs, would otherwise try every group at every position).
        head_sources[skip] = f"^(?:{heads})" if heads else ""
    lasts = [r.last for r in suffix if r.last is not None]
    first, digit = _head_first(rules)
    return Lexicon(
        tuple(rules),
        tuple(prefix),
        stop,
        suffix_rules=tuple(suffix),
        suffix_last=frozenset[str]().union(*lasts) if len(lasts) == len(suffix) else None,
        head_sources=head_sources,
        head_first=first,
        head_digit=digit,
        thread=ThreadSigns.from_data(thread),
    )


def _suffix_patterns(patterns: list[str], spec: dict[str, Any]) -> bool:
    """A suffix class matches only at the end of a line, and is not a prefix class."""
    return not spec.get("strip") and all(
        p.endswith("$") and not p.startswith("^") for p in patterns
    )


HeadRules = tuple[tuple[int, re.Pattern[str]], ...]


def _head_first(
    rules: list[ChromeRule],
) -> tuple[dict[str, tuple[dict[str, HeadRules], HeadRules]], dict[str, HeadRules]]:
    """:attr:`Lexicon.head_first` and :attr:`Lexicon.head_digit`: the head rules
    by the characters they can start with."""
    heads: dict[int, re.Pattern[str]] = {}
    firsts: dict[int, frozenset[str] | None] = {}
    for i, r in enumerate(rules):
        if r.head is not None:
            # as in full_head: CJK heads without IGNORECASE (r.head has it)
            heads[i] = re.compile(r.head.pattern) if r.script == "cjk" else r.head
            firsts[i] = first_chars(r.head.pattern)
    out = {}
    digit = {}
    for skip in ("", "cjk", "latin"):
        usable = [i for i in heads if not skip or rules[i].script != skip]

        def starting(c: str | None, usable: list[int] = usable) -> HeadRules:
            return tuple(
                (i, heads[i])
                for i in usable
                if (f := firsts[i]) is None or (c is not None and c in f)
            )

        chars = sorted({c for i in usable for c in firsts[i] or ()})
        out[skip] = ({c: starting(c) for c in chars}, starting(None))
        # first_chars leaves \d out; any pattern that spells it (anywhere: a
        # wider set is only slower, never wrong) or names a digit may start so
        digit[skip] = tuple(
            (i, heads[i])
            for i in usable
            if (f := firsts[i]) is None
            or "\\d" in heads[i].pattern
            or any(c.isdecimal() for c in f)
        )
    return out, digit
