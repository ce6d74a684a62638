"""Comment threads recognized by their structure.

A comment thread is a run of *headers* (who posted, when, which floor, the
reply and vote widgets), each followed by the comment's prose.  No single sign
is proof: "15:30" dates a news item, "#3" numbers a listicle, "He said:"
introduces a quote.  A header shows two kinds of sign within a few short lines
("Alex / on / May 3, 2018 at 6:34 am / said:" = says + stamp; "1楼 时间：
2005-08-28 20:56" = floor + stamp; "Jo • 3 years ago … Reply" = stamp + reply),
and a thread is at least two such headers, close to each other.  The signs are
data (``newsclean/lexicons/common.json``, key ``thread``); the decision is this
structure, the same for every language.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate

#: The kinds of sign, as bits.
SAYS, FLOOR, REPLY, STAMP = 1, 2, 4, 8
_KINDS = (("says", SAYS), ("floor", FLOOR), ("reply", REPLY), ("stamp", STAMP))

HEADER_MAX = 120  # visual length: a header line is short (a comment's prose is not)
GROUP_GAP = 3  # units between two signs of one header at most
THREAD_GAP = 60  # units between two headers of one thread at most
MIN_HEADERS = 2
_DIGIT = re.compile(r"\d")
REPLY_MAX = 40  # characters: a reply or vote widget is a few words


@dataclass(frozen=True)
class ThreadSigns:
    """The compiled sign patterns: per kind, its bit and one regex (MULTILINE:
    it is run once over all of a page's short lines, joined by newlines)."""

    patterns: tuple[tuple[int, re.Pattern[str]], ...] = ()

    @classmethod
    def from_data(cls, data: Mapping[str, Sequence[str]]) -> ThreadSigns:
        out = []
        for name, bit in _KINDS:
            pats = list(data.get(name, ()))
            if pats:
                joined = "|".join(f"(?:{p})" for p in pats)
                out.append((bit, re.compile(joined, re.IGNORECASE | re.MULTILINE)))
        return cls(tuple(out))

    def kinds(self, text: str) -> int:
        """The bits of the signs the line ``text`` shows."""
        marked = self.scan([text], every=True)
        return marked[0][1] if marked else 0

    def stamped(self, text: str) -> bool:
        """``text`` shows a time stamp (a time of day, a relative time)."""
        return any(bit == STAMP and rx.search(text) for bit, rx in self.patterns)

    def scan(self, lines: Sequence[str], every: bool = False) -> list[tuple[int, int]]:
        """(index, kinds) of the ``lines`` (no newline inside) that show a sign.

        Each kind is searched once, over the lines where it can match joined by
        newlines, instead of once per line: says on lines ending in a colon,
        floor and stamp on lines holding a digit, reply (a widget of a few
        words) on lines of at most REPLY_MAX characters.  A match's line is
        found from its offset.

        Time stamps, the costliest kind, are searched last, and only when
        MIN_HEADERS lines show another kind (or ``every``): a header shows two
        kinds, and one kind cannot come twice in a header, so without them the
        page has no thread.  The lines then carry no STAMP bit.
        """
        if not lines or not self.patterns:
            return []
        digit = [i for i, s in enumerate(lines) if _DIGIT.search(s)]
        gates = {
            SAYS: [i for i, s in enumerate(lines) if s[-1:] in ":："],
            FLOOR: digit,
            STAMP: digit,
            REPLY: [i for i, s in enumerate(lines) if len(s) <= REPLY_MAX],
        }
        found: dict[int, int] = {}
        # stamps last (stable sort: the other kinds keep their order)
        for bit, rx in sorted(self.patterns, key=lambda p: p[0] == STAMP):
            if bit == STAMP and not every and len(found) < MIN_HEADERS:
                break
            idx = gates[bit]
            if not idx:
                continue
            text = "\n".join([lines[i] for i in idx])
            starts = list(accumulate([len(lines[i]) + 1 for i in idx[:-1]], initial=0))
            for m in rx.finditer(text):
                k = idx[bisect_right(starts, m.start()) - 1]
                found[k] = found.get(k, 0) | bit
        return sorted(found.items())


#: A unit that opens with a quotation: a quotation mark, then a closing one
#: later ("“Please stay at home,” she told reporters." is a quotation too).
_QUOTED = re.compile(r"""["“”„«»‹›「『‘‚'][^\n]*?["“”«»‹›」』’']""")


def mark_signs(
    texts: Sequence[str], vlens: Sequence[int], signs: ThreadSigns
) -> list[tuple[int, int]]:
    """(index, kinds) of the units that show a sign; signs are read on short units only.

    A says-line followed by a quotation ("The governor said:" / "We are
    confident ...", or "“Please stay at home,” she told reporters.")
    introduces reported speech, the article's: a commenter's text is their
    own words.  Such a line shows no sign.
    """
    short = [i for i, v in enumerate(vlens) if v <= HEADER_MAX]
    out = []
    for k, bits in signs.scan([texts[i] for i in short]):
        i = short[k]
        if bits & SAYS and i + 1 < len(texts) and _QUOTED.match(texts[i + 1].strip()):
            bits &= ~SAYS
        if bits:
            out.append((i, bits))
    return out


def thread_headers(marked: Sequence[tuple[int, int]]) -> list[int]:
    """Indices of the units that are comment-thread headers (their sign lines).

    ``marked`` is :func:`mark_signs`'s answer for the page's units.  Signs at
    most GROUP_GAP units apart form one header, until a kind it already shows
    comes again (the next header); a header with two kinds of sign counts; two
    or more counting headers at most THREAD_GAP units apart are a thread.
    """
    headers: list[list[int]] = []  # each: the sign units of one qualifying header
    group: list[int] = []
    kinds = 0
    for n, (i, k) in enumerate(marked):
        group.append(i)
        kinds |= k
        nxt = marked[n + 1] if n + 1 < len(marked) else None
        # a sign of a kind the header already shows starts the next header
        if nxt is None or nxt[0] - i > GROUP_GAP or nxt[1] & kinds:
            if kinds & (kinds - 1):  # two kinds or more
                headers.append(group)
            group, kinds = [], 0
    out: list[int] = []
    run: list[list[int]] = []
    for h in headers:
        if run and h[0] - run[-1][-1] > THREAD_GAP:
            out.extend(_flush(run))
            run = []
        run.append(h)
    out.extend(_flush(run))
    return out


def _flush(run: list[list[int]]) -> list[int]:
    return [i for h in run for i in h] if len(run) >= MIN_HEADERS else []
