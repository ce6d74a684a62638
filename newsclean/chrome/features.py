"""Per-line features: how much a line looks like running prose.

The jusText idea, made script-aware: prose is long, punctuated, and (where a
stop-word list exists) dense in function words; navigation is short, unpunctuated
and title-cased.  A CJK character carries about as much text as three Latin
letters, so lengths are measured in "visual units" where it counts three.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# CJK ideographs, kana and hangul: scripts where one character is (part of) a word.
_DENSE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_INNER_PUNCT = re.compile(r"[,，、;；:：。.!！?？]")
_TERMINAL = re.compile(r"[.!?。！？…:：;；\"”’'」』)）\]]\s*$")

# Prose classes, ordered from most to least body-like.
GOOD, NEAR, SHORT, BAD = "good", "near", "short", "bad"


@dataclass(frozen=True)
class LineFeatures:
    vlen: int  # visual length: non-space characters, a dense-script character counts 3
    dense: int  # CJK/kana/hangul characters
    words: int  # Latin-like words
    stop: float  # stop-word density among words (-1: no list for this language)
    punct: int  # sentence-internal and terminal punctuation marks
    terminal: bool  # ends like a sentence
    quality: str  # GOOD | NEAR | SHORT | BAD


def line_features(text: str, stopwords: frozenset[str] | None) -> LineFeatures:
    s = text.strip()
    ascii_only = s.isascii()  # fast path: most Latin lines have no dense script at all
    dense = 0 if ascii_only else len(s) - len(_DENSE.sub("", s))
    vlen = len("".join(s.split())) + 2 * dense
    words = _WORD.findall(s) if dense * 3 < vlen else []
    stop = -1.0
    if stopwords is not None and words:
        stop = sum(1 for w in words if w.lower() in stopwords) / len(words)
    punct = len(s) - len(_INNER_PUNCT.sub("", s))
    terminal = bool(_TERMINAL.search(s))
    return LineFeatures(
        vlen,
        dense,
        len(words),
        stop,
        punct,
        terminal,
        _quality(vlen, dense, len(words), stop, punct, terminal),
    )


def _quality(vlen: int, dense: int, words: int, stop: float, punct: int, terminal: bool) -> str:
    if dense * 3 >= vlen * 0.5:  # mostly CJK
        if dense >= 40 and (punct >= 2 or terminal):
            return GOOD
        if dense >= 18 and (punct >= 1 or terminal):
            return NEAR
        return SHORT if vlen < 60 else BAD
    if vlen < 50:
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
