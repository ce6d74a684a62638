"""Per-line features: how much a line looks like running prose.

The jusText idea, made script-aware: prose is long, punctuated, and (where a
stop-word list exists) dense in function words; navigation is short, unpunctuated
and title-cased.  A CJK character carries about as much text as three Latin
letters, so lengths are measured in "visual units" where it counts three.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import numpy as np

# CJK ideographs, kana and hangul: scripts where one character is (part of) a word.
_DENSE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_INNER_PUNCT = re.compile(r"[,，、;；:：。.!！?？]")
_SENTENCE_END = re.compile(r"[。！？!?][”」』\"]?\s*$")
_TERMINAL = re.compile(r"[.!?。！？…:：;；\"”’'」』)）\]]\s*$")

_new_tuple = tuple.__new__

# Prose classes, ordered from most to least body-like.
GOOD, NEAR, SHORT, BAD = "good", "near", "short", "bad"


class LineFeatures(NamedTuple):
    """Immutable; a NamedTuple because one is built per line (a frozen
    dataclass costs a Python-level setattr per field)."""

    vlen: int  # visual length: non-space characters, a dense-script character counts 3
    dense: int  # CJK/kana/hangul characters
    words: int  # Latin-like words (-1: not counted, they cannot change ``quality``)
    stop: float  # stop-word density among words (-1: no list for this language, or not counted)
    punct: int  # sentence-internal and terminal punctuation marks
    terminal: bool  # ends like a sentence
    quality: str  # GOOD | NEAR | SHORT | BAD


_DENSE_RANGES = (
    (0x3040, 0x30FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
)
_PUNCT_CHARS = ",，、;；:：。.!！?？"
_SPACE_CHARS = " \t\r\x0b\x0c\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(
    chr(c) for c in range(0x2000, 0x200B)
)
DENSE_BIT, SPACE_BIT, PUNCT_BIT = 1, 2, 4


@lru_cache(maxsize=1)
def _class_table() -> np.ndarray:
    """Character class bits for every BMP code point (astral ones count as letters)."""
    table = np.zeros(0x10000, dtype=np.uint8)
    for lo, hi in _DENSE_RANGES:
        table[lo : hi + 1] |= DENSE_BIT
    for c in _SPACE_CHARS + "\n":
        table[ord(c)] |= SPACE_BIT
    for c in _PUNCT_CHARS:
        table[ord(c)] |= PUNCT_BIT
    table.flags.writeable = False
    return table


#: Row ``b``: what a character of class bits ``b`` adds to (dense, non-space, punct).
_COUNTED = np.array(
    [[b & DENSE_BIT, (b & SPACE_BIT) == 0, (b & PUNCT_BIT) != 0] for b in range(8)],
    dtype=np.int64,
)


def line_counts(lines: list[str]) -> list[list[int]]:
    """Per line: dense-script characters, non-space characters, punctuation marks.

    One vectorized pass over the whole page instead of three regexes per line:
    each code point's class bits (from a table) plus eight times its line number
    is a bin, one ``bincount`` counts every (line, class) pair, and a product
    with the 8 x 3 table of what each class counts as sums them per line.
    (A cumulative sum cut at the line breaks cost twice as much: numpy's cumsum
    is a sequential loop.)
    """
    n = len(lines)
    # surrogatepass: a str decoded with surrogateescape carries lone surrogates
    # (they count as letters, as the regexes of line_features count them)
    codes = np.frombuffer("".join(lines).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    bits = _class_table().take(np.minimum(codes, 0xFFFF))
    line_of = np.repeat(np.arange(0, 8 * n, 8), np.fromiter(map(len, lines), np.intp, n))
    per_class = np.bincount(line_of + bits, minlength=8 * n).reshape(n, 8)
    out: list[list[int]] = (per_class @ _COUNTED).tolist()
    return out


def line_features(
    text: str,
    stopwords: frozenset[str] | None,
    counts: tuple[int, int, int] | None = None,
) -> LineFeatures:
    """Features of one line; ``counts`` (from :func:`line_counts`) saves the scans."""
    s = text.strip()
    if counts is None:
        dense = 0 if s.isascii() else len(s) - len(_DENSE.sub("", s))
        nonspace = len("".join(s.split()))
        punct = len(s) - len(_INNER_PUNCT.sub("", s))
    else:
        dense, nonspace, punct = counts
    vlen = nonspace + 2 * dense
    n_words, stop = -1, -1.0
    # words decide the quality of long, mostly non-CJK lines only (see _quality)
    if dense * 3 < vlen * 0.5 and vlen >= _SHORT_VLEN:
        words = _lower_words(s)
        n_words = len(words)
        if stopwords is not None and words:
            # map over a C method: no Python frame per word
            stop = sum(map(stopwords.__contains__, words)) / n_words
    # ``s`` is stripped, so a match of either end pattern is its last two
    # characters at most: search only those, not every mark of a long line
    tail = s[-2:]
    terminal = bool(_TERMINAL.search(tail))
    sentence = bool(_SENTENCE_END.search(tail))
    quality = _quality(vlen, dense, n_words, stop, punct, terminal, sentence)
    # tuple.__new__ builds the same LineFeatures without the Python-level __new__ frame
    return _new_tuple(LineFeatures, (vlen, dense, n_words, stop, punct, terminal, quality))


#: ASCII characters that are not letters, mapped to a space: on an ASCII line,
#: ``translate`` + ``split`` gives exactly ``_WORD.findall`` (runs of letters)
#: without a regex match object per word.
_ASCII_NON_LETTERS = str.maketrans({i: " " for i in range(128) if not chr(i).isalpha()})


#: a letter of _WORD outside ASCII
_NON_ASCII_LETTER = re.compile(r"[^\W\d_\x00-\x7f]")


def _lower_words(s: str) -> list[str]:
    """``[w.lower() for w in _WORD.findall(s)]``; an ASCII line is lowered whole.

    So is a line whose non-ASCII characters are no letters (curly quotes, dashes):
    each becomes "?", a separator like them.  Half the lines that reach here are
    such lines; the check and the ASCII path cost half of ``findall``.
    """
    if s.isascii():
        return s.lower().translate(_ASCII_NON_LETTERS).split()
    if not _NON_ASCII_LETTER.search(s):
        return (
            s.encode("ascii", "replace")
            .decode("ascii")
            .lower()
            .translate(_ASCII_NON_LETTERS)
            .split()
        )
    return list(map(str.lower, _WORD.findall(s)))


_SHORT_VLEN = 50  # a mostly non-CJK line shorter than this is SHORT, whatever its words


def _quality(
    vlen: int, dense: int, words: int, stop: float, punct: int, terminal: bool, sentence: bool
) -> str:
    if dense * 3 >= vlen * 0.5:  # mostly CJK
        if dense >= 40 and (punct >= 2 or terminal):
            return GOOD
        if dense >= 18 and (punct >= 1 or terminal):
            return NEAR
        if dense >= 8 and sentence:  # a short closing sentence
            return NEAR
        return SHORT if vlen < 60 else BAD
    if vlen < _SHORT_VLEN:
        return SHORT
    if stop >= 0:
        if stop >= 0.28 and vlen >= 120:
            return GOOD
        if stop >= 0.2 and (punct >= 1 or terminal):
            return NEAR
        return BAD
    # no stop-word list: punctuation and length must do
    if vlen >= 120 and words >= 15 and punct >= 2:
        return GOOD
    if vlen >= 70 and words >= 8 and (punct >= 1 or terminal):
        return NEAR
    return BAD


# --- a label's value: names or a sentence --------------------------------------------
#
# A credit's label ("编辑：", "Editor:", "©") is followed by names, short and
# capitalized; an interview's speaker label is followed by what the speaker
# says, and a writer's sentence may start with the same word ("Copyright in
# the mural belongs to ...").  The two read differently: a sentence ends like
# one and is made of clause words, names are not.

#: the value ends like a sentence (closing quotes or brackets may follow)
_VALUE_END = re.compile(r"[.!?。！？…][\"”’'」』)）]*$")
#: ... like a question or an exclamation: no list of names ends so
_VALUE_ASKS = re.compile(r"[!?！？][\"”’'」』)）]*$")
#: CJK text longer than any name (two to four characters, a compound surname
#: included) with no break: a clause ("目前全市企业复工情况如何"); names in a
#: credit are separated ("李四 王五", "李四、王五")
_CLAUSE_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]{6,}")
#: Latin words a value needs, at least, to be a sentence that ends on a full stop
#: ("Jane Smith.", "Jane Smith and John Doe." are names)
SENTENCE_WORDS = 4


def reads_as_sentence(value: str) -> bool:
    """``value`` (what follows a credit's label) is a sentence, not names: it
    ends like a sentence and either asks or exclaims ("Is that enough?",
    "下一步有什么打算？"), or holds a CJK clause, or SENTENCE_WORDS words at
    least, most of them lower case ("in the mural belongs to the artist's
    estate."): names are capitalized, whatever particles join them ("Jean de
    la Fontaine", "Jane Smith and John Doe")."""
    v = value.strip()
    tail = v[-4:]
    if not _VALUE_END.search(tail):
        return False
    if _VALUE_ASKS.search(tail):
        return _WORD.search(v) is not None
    if _CLAUSE_RUN.search(v):
        return True
    words = _WORD.findall(v)
    lower = sum(1 for w in words if w[0].islower())
    return len(words) >= SENTENCE_WORDS and 2 * lower > len(words)
