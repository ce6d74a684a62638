"""A cheap script-based language guess; only the stop-word list depends on it."""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

_LETTER = re.compile(r"[^\W\d_]+")
# the letters of _LETTER outside ASCII (inside ASCII they are [A-Za-z])
_NON_ASCII_LETTER = re.compile(r"[^\W\d_\x00-\x7f]+")


def guess_language(text: str, stopwords: dict[str, frozenset[str]]) -> str | None:
    """BCP 47 code for CJK scripts or a language whose stop words dominate; else None."""
    # prose lines say more than a page's menus: sample the long lines first
    long_lines = [ln for ln in text.split("\n", 3000) if len(ln) > 60]
    sample = "\n".join(long_lines)[:8000] or text[:8000]
    han, kana, hangul, non_ascii = _script_counts(sample)
    counted = han < len(sample) // 4
    words = _latin_words(sample) if counted else []
    # compare characters of dense scripts with letters of Latin words
    letters = sum(map(len, words))
    if kana > 0.1 * (han + kana) and (han + kana) * 3 > letters:
        return "ja"
    if hangul * 3 > letters and hangul > han:
        return "ko"
    if han * 3 > letters:
        return "zh"
    # Russian prose under an English menu: English stop words from the chrome
    # must not make the page "en", or the English stop-word score favours the
    # menu over the body.  Latin letters have to be the majority of letters;
    # when they are not, the page's words in any script are compared instead
    # (Cyrillic against the Russian list).
    if _latin_minority(sample, letters if counted else None, non_ascii):
        return _best_share(list(map(str.lower, _NON_ASCII_LETTER.findall(sample))), stopwords, {})
    return _best_share(words, stopwords, {k: v for k, v in stopwords.items() if k == "en"})


#: A page whose words are this much English stop words is English: the other
#: lists are not scored (most pages; English prose scores 0.4 and more).
SURE_SHARE = 0.3
MIN_SHARE = 0.18


def _best_share(
    words: list[str], stopwords: dict[str, frozenset[str]], first: dict[str, frozenset[str]]
) -> str | None:
    """The language whose stop words are the largest share of ``words`` (at least
    MIN_SHARE); the lists in ``first`` are scored first and end the search at
    SURE_SHARE.  Earlier lists win ties."""
    n = max(1, len(words))
    best, best_share = None, 0.0
    for lang, stop in first.items():
        share = sum(map(stop.__contains__, words)) / n
        if share >= SURE_SHARE:
            return lang
        if share > best_share:
            best, best_share = lang, share
    for lang, stop in stopwords.items():
        if lang in first:
            continue
        share = sum(map(stop.__contains__, words)) / n
        if share > best_share:
            best, best_share = lang, share
    return best if best_share >= MIN_SHARE else None


def _count(pattern: re.Pattern[str], s: str) -> int:
    return len(s) - len(pattern.sub("", s))


def _latin_minority(s: str, latin: int | None, non_ascii: int) -> bool:
    """Whether fewer than half of the letters (_LETTER) of ``s`` are Latin ones.

    ``latin`` is its ASCII letters when counted.  The other letters are non-ASCII
    ones, at most ``non_ascii``: an English page with a few curly quotes needs no
    count (deleting every word of a Latin page cost more than the rest of the guess).
    """
    if latin is None:
        return _count(_LETTER, s) > 0
    if latin >= non_ascii:
        return False
    return latin < _count(_NON_ASCII_LETTER, s)


#: ASCII characters that are not letters, mapped to a space (see _latin_words).
_ASCII_NON_LETTERS = str.maketrans({i: " " for i in range(128) if not chr(i).isalpha()})


def _latin_words(s: str) -> list[str]:
    """``[w.lower() for w in re.findall("[A-Za-z]+", s)]`` without a match object per word:
    every non-ASCII character becomes "?" and every non-letter a space, then split."""
    ascii_only = s if s.isascii() else s.encode("ascii", "replace").decode("ascii")
    return ascii_only.lower().translate(_ASCII_NON_LETTERS).split()


# the classes of _script_table; any other character is ASCII (0)
_HAN, _KANA, _HANGUL, _OTHER = 1, 2, 3, 4


@lru_cache(maxsize=1)
def _script_table() -> np.ndarray:
    """The class of every BMP code point (an astral one is looked up as U+FFFF: other)."""
    table = np.full(0x10000, _OTHER, dtype=np.uint8)
    table[:0x80] = 0
    for lo, hi, cls in (
        (0x3400, 0x4DBF, _HAN),
        (0x4E00, 0x9FFF, _HAN),
        (0xF900, 0xFAFF, _HAN),
        (0x3040, 0x30FF, _KANA),
        (0xAC00, 0xD7AF, _HANGUL),
    ):
        table[lo : hi + 1] = cls
    table.flags.writeable = False
    return table


def _script_counts(s: str) -> tuple[int, int, int, int]:
    """Han, kana, hangul and non-ASCII characters of ``s``: each code point's class
    looked up in a table, one ``bincount`` (three regex deletions cost 12 % of clean())."""
    if s.isascii():  # a flag on the str: English pages skip the encoding
        return 0, 0, 0, 0
    # surrogatepass: surrogateescape-decoded input carries lone surrogates
    c = np.frombuffer(s.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    n = np.bincount(_script_table().take(np.minimum(c, 0xFFFF)), minlength=5).tolist()
    return n[_HAN], n[_KANA], n[_HANGUL], len(s) - n[0]
