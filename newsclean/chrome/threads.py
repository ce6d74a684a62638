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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

#: The kinds of sign, as bits.
SAYS, FLOOR, REPLY, STAMP = 1, 2, 4, 8
_KINDS = (("says", SAYS), ("floor", FLOOR), ("reply", REPLY), ("stamp", STAMP))

HEADER_MAX = 120  # visual length: a header line is short (a comment's prose is not)
GROUP_GAP = 3  # units between two signs of one header at most
THREAD_GAP = 60  # units between two headers of one thread at most
MIN_HEADERS = 2
REPLY_MAX = 40  # characters: a reply or vote widget is a few words

_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class ThreadSigns:
    """The compiled sign patterns, one regex per kind (None: no pattern)."""

    patterns: tuple[tuple[int, re.Pattern[str]], ...] = ()

    @classmethod
    def from_data(cls, data: Mapping[str, Sequence[str]]) -> ThreadSigns:
        out = []
        for name, bit in _KINDS:
            pats = list(data.get(name, ()))
            if pats:
                out.append((bit, re.compile("|".join(f"(?:{p})" for p in pats), re.IGNORECASE)))
        return cls(tuple(out))

    def kinds(self, text: str) -> int:
        """The bits of the signs ``text`` shows.

        Each kind is tried only where it can match (see the lexicon's ``_doc``):
        most short lines of a page have no digit and no final colon, and the
        unanchored time patterns would otherwise be tried at every position.
        """
        digit = _DIGIT.search(text) is not None
        k = 0
        for bit, rx in self.patterns:
            if bit == SAYS and text[-1:] not in ":：":
                continue
            if bit in (FLOOR, STAMP) and not digit:
                continue
            if bit == REPLY and len(text) > REPLY_MAX:
                continue
            if rx.search(text):
                k |= bit
        return k


def mark_signs(
    texts: Sequence[str], vlens: Sequence[int], signs: ThreadSigns
) -> list[tuple[int, int]]:
    """(index, kinds) of the units that show a sign; signs are read on short units only."""
    if not signs.patterns:
        return []
    return [(i, k) for i, t in enumerate(texts) if vlens[i] <= HEADER_MAX and (k := signs.kinds(t))]


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
