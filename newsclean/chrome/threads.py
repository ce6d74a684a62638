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

#: The kinds of sign, as bits.  TIME is a stamp that is a time of day and
#: nothing else ("10:32", "Today at 10:32 pm"): a weaker STAMP (see
#: :func:`thread_headers`).
SAYS, FLOOR, REPLY, STAMP, TIME = 1, 2, 4, 8, 16
#: A says-line whose verb is writing or replying ("Maria wrote:", "X 写道："):
#: a commenter's, never a live blog's update.  Marks a SAYS line; no kind of its own.
WROTE = 32
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
    it is run once over all of a page's short lines, joined by newlines);
    ``days``: the words that date a time of day ("Today at 10:32")."""

    patterns: tuple[tuple[int, re.Pattern[str]], ...] = ()
    days: re.Pattern[str] | None = None
    wrote: re.Pattern[str] | None = None

    @classmethod
    def from_data(cls, data: Mapping[str, Sequence[str]]) -> ThreadSigns:
        out = []
        for name, bit in _KINDS:
            pats = list(data.get(name, ()))
            if pats:
                out.append((bit, _joined(pats, re.MULTILINE)))
        days, wrote = list(data.get("day", ())), list(data.get("wrote", ()))
        return cls(tuple(out), _joined(days) if days else None, _joined(wrote) if wrote else None)

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
                found[k] = found.get(k, 0) | (self._stamp(lines[k]) if bit == STAMP else bit)
                if bit == SAYS and self.wrote is not None and self.wrote.search(lines[k]):
                    found[k] |= WROTE
        return sorted(found.items())

    def _stamp(self, line: str) -> int:
        """STAMP, or TIME when ``line`` states a time of day and no day: no
        other digit (a date, "3 hours ago") and no word for today or yesterday."""
        rest = _TIME_OF_DAY.sub("", line)
        if _DIGIT.search(rest) or (self.days is not None and self.days.search(rest)):
            return STAMP
        return TIME


def _joined(patterns: Sequence[str], flags: int = 0) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE | flags)


#: A time of day ("10:32", "10:32:05", "6:34 am"): the stamp patterns' first form.
_TIME_OF_DAY = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d)")

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
            bits &= ~(SAYS | WROTE)
        if bits:
            out.append((i, bits))
    return out


def thread_headers(marked: Sequence[tuple[int, int]]) -> list[int]:
    """Indices of the units that are comment-thread headers (their sign lines).

    ``marked`` is :func:`mark_signs`'s answer for the page's units.  Signs at
    most GROUP_GAP units apart form one header, until a kind it already shows
    comes again (the next header); a header with two kinds of sign counts; two
    or more counting headers at most THREAD_GAP units apart are a thread.

    A time of day alone (TIME) is a stamp, except next to a says-line and
    nothing else: a live blog's update is "10:32" / "The governor said:" /
    what the governor said, while a comment system dates its comments ("May
    3, 2018 at 6:34 am", "3 hours ago") or adds its reply and vote widgets.
    """
    headers: list[list[int]] = []  # each: the sign units of one qualifying header
    group: list[int] = []
    kinds = 0
    for n, (i, k) in enumerate(marked):
        group.append(i)
        kinds |= _as_stamp(k) & ~WROTE
        nxt = marked[n + 1] if n + 1 < len(marked) else None
        # a sign of a kind the header already shows starts the next header
        if nxt is None or nxt[0] - i > GROUP_GAP or _as_stamp(nxt[1]) & kinds:
            if kinds & (kinds - 1) and not _live_update(group, marked, n):  # two kinds or more
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


def _as_stamp(bits: int) -> int:
    return (bits & ~TIME) | STAMP if bits & TIME else bits


def _live_update(group: list[int], marked: Sequence[tuple[int, int]], n: int) -> bool:
    """The header ``group`` (its signs end at ``marked[n]``) shows a says-line
    and times of day, no other sign: a live blog's update, not a comment's
    (unless the says-line's verb is a commenter's, WROTE)."""
    bits = 0
    for _, k in marked[n - len(group) + 1 : n + 1]:
        bits |= k
    return bits & TIME != 0 and bits & ~TIME == SAYS


def _flush(run: list[list[int]]) -> list[int]:
    return [i for h in run for i in h] if len(run) >= MIN_HEADERS else []
