"""Which letters a language writes: how plausible one reading of legacy bytes is.

A single-byte charset maps each byte to one character, so the same bytes read
in a wrong charset of the same script still give letters: French ``très`` in
windows-1250 is ``trčs``, Czech ``středu`` in windows-1252 is ``støedu``.  A
mess detector sees nothing wrong in either, but no one language writes ``é``,
``ę`` and ``č`` together, while French writes ``é``, ``è`` and ``ê``.

:func:`letter_fit` scores a reading by the language whose alphabet accounts for
most of its non-ASCII letters: the share of letters it leaves unexplained, then
the size of that alphabet (fewer letters make each one likelier: Hungarian's
nine explain ``ő`` better than Portuguese's thirteen explain ``õ``).  Symbols,
combining marks and punctuation inside a word (``Rz¹d``: the ``ą`` of
windows-1250 read as windows-1257) and C1 controls count as unexplained too.

Letters are evidence only where readings differ: a short text whose only
such letter is written in both readings' languages (Croatian ``ć`` read as
Danish ``æ``) is left to the other tie-breaks.

The alphabets are those of the Latin-script languages of the single-byte
charsets newsclean guesses (windows-1252 and ISO-8859-15, windows-1250 and
ISO-8859-2, windows-1254, windows-1257 and ISO-8859-13), from each language's
standard orthography.  Other scripts need none: a Cyrillic or Greek charset
read as another of its script is told apart by case and mess, not by letters.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

#: The non-ASCII letters of each language, lower case (upper case is derived).
#: ª and º are the ordinal indicators of Spanish, Portuguese, Italian, Galician
#: and Catalan (``1º``, ``nº``).
_LOWER: Mapping[str, str] = {
    # windows-1252 / ISO-8859-1 / ISO-8859-15
    "af": "áäèéêëíîïóôöúûü",
    "ca": "àçèéíïòóúüªº",
    "da": "åæøéó",
    "de": "äöüß",
    "es": "áéíñóúüªº",
    "et": "äõöüšž",
    "eu": "ñü",
    "fi": "äåöšž",
    "fo": "áæðíóøúý",
    "fr": "àâæçèéêëîïôœùûüÿ",
    "ga": "áéíóú",
    "gd": "àèìòù",
    "gl": "áéíñóúüªº",
    "is": "áæðéíóöúýþ",
    "it": "àèéìíîòóùúªº",
    "lb": "äéë",
    "nl": "áéèêëïóöü",
    "no": "åæøéóòô",
    "oc": "àáçèéíïòóúü",
    "pt": "àáâãçéêíóôõúüªº",
    "sq": "çë",
    "sv": "åäöé",
    # windows-1250 / ISO-8859-2
    "cs": "áčďéěíňóřšťúůýž",
    "hr": "čćđšž",  # also Bosnian and Serbian in Latin script
    "hsb": "čćěłńóřšźžŕ",  # Upper and Lower Sorbian
    "hu": "áéíóöőúüű",
    "pl": "ąćęłńóśźż",
    "ro": "ăâîșțşţ",  # the cedilla forms are what the legacy charsets have
    "sk": "áäčďéíĺľňóôŕšťúýž",
    "sl": "čšž",
    # windows-1254
    "ku": "çêîşû",
    "tr": "âçğıİîöşüû",
    # windows-1257 / ISO-8859-13
    "lt": "ąčęėįšųūž",
    "lv": "āčēģīķļņšūž",
}


def _cased(lower: str) -> frozenset[str]:
    """``lower`` and its upper case, without what upper-cases to ASCII (``ß``, ``ı``)."""
    upper = "".join(c.upper() for c in lower)
    return frozenset(c for c in lower + upper if not c.isascii())


#: Each language's non-ASCII letters in both cases.
ALPHABETS: Mapping[str, frozenset[str]] = MappingProxyType(
    {lang: _cased(lower) for lang, lower in _LOWER.items()}
)

_NON_ASCII = re.compile("[^\x00-\x7f]")
# A non-ASCII character that is neither a letter nor a space (symbols, marks,
# punctuation), or a superscript or fraction of Latin-1 (word characters to a
# regex), with a letter beside it.
_NOT_LETTER = "(?:[^\\w\\s\\x00-\\x7f]|[\u00b2\u00b3\u00b9\u00bc-\u00be])"
_BESIDE_WORD = re.compile(f"(?<=[^\\W\\d_]){_NOT_LETTER}|{_NOT_LETTER}(?=[^\\W\\d_])")
#: Punctuation that languages write inside a word: the apostrophe (``l’homme``)
#: and Catalan's middle dot (``col·legi``).
_WORD_PUNCTUATION = "\u2019\u2018\u00b7"
#: Enough text to weigh the letters of a page, few enough to stay fast.
_SAMPLE = 8000
#: The alphabet size of a text without non-ASCII letters: no evidence of any
#: language ranks after evidence of one.
_NO_LETTERS = 1 << 16


class Fit(NamedTuple):
    """How well the best language accounts for a text's non-ASCII letters (lower is better)."""

    unexplained: float  # share of the counted characters that language does not write
    alphabet: int  # how many letters it writes


def letter_fit(text: str) -> Fit:
    """The best language's fit to the non-ASCII letters of ``text`` (a sample of it).

    Compares readings of the same bytes in Latin-script charsets: the one
    with the lower fit is the likelier one.
    """
    sample = _sample(text)
    counts = Counter(_NON_ASCII.findall(sample))
    letters = {c: n for c, n in counts.items() if c.isalpha()}
    strays = _strays(sample, counts)
    counted = sum(letters.values()) + strays
    if not counted:
        return Fit(0.0, _NO_LETTERS)
    unexplained, size = _best_alphabet(letters)
    return Fit((strays + unexplained) / counted, size)


def is_latin_script(text: str) -> bool:
    """Every non-ASCII letter of ``text`` (a sample of it) is a Latin one."""
    return all(_is_latin_letter(c) for c in set(_NON_ASCII.findall(_sample(text))) if c.isalpha())


def _sample(text: str) -> str:
    # From the character before the first non-ASCII one: a mark or symbol
    # there is judged by the letter it follows.
    first = _NON_ASCII.search(text)
    if first is None:
        return ""
    start = max(first.start() - 1, 0)
    return text[start : start + _SAMPLE]


def _best_alphabet(letters: Mapping[str, int]) -> tuple[int, int]:
    """Letters left unexplained by the best alphabet for ``letters``, and its size."""
    if not letters:
        return 0, _NO_LETTERS
    total = sum(letters.values())
    return min(
        (total - sum(n for c, n in letters.items() if c in alphabet), len(alphabet))
        for alphabet in ALPHABETS.values()
    )


def _strays(sample: str, counts: Mapping[str, int]) -> int:
    """Characters that are misread letters: C1 controls anywhere, and symbols,
    superscripts, combining marks and punctuation inside a word.

    ``Rz¹d`` and ``Rz±d`` are Polish ``ą`` in the wrong charset, ``Fِrderung``
    is German ``ö`` read as an Arabic vowel sign.  Legacy text never holds a
    C1 control: a charset that reads one is the wrong one.
    """
    c1 = sum(n for c, n in counts.items() if "\x80" <= c <= "\x9f")
    return c1 + sum(1 for m in _BESIDE_WORD.finditer(sample) if _misread(sample, m))


def _misread(sample: str, m: re.Match[str]) -> bool:
    """Is the non-letter ``m``, beside a letter, a misread letter?"""
    kind = unicodedata.category(m.group())
    if kind[0] == "S" or kind in ("No", "Mn"):
        return True
    # punctuation only between two letters: "ne,” he said" is prose
    return kind[0] == "P" and m.group() not in _WORD_PUNCTUATION and _inside_word(sample, m)


def _inside_word(sample: str, m: re.Match[str]) -> bool:
    before, after = m.start() - 1, m.end()
    return (
        before >= 0 and after < len(sample) and sample[before].isalpha() and sample[after].isalpha()
    )


def _is_latin_letter(c: str) -> bool:
    # The letters of Latin-1 Supplement (with ª µ º), Latin Extended-A and -B
    # and Latin Extended Additional.
    return c.isalpha() and ("\u00aa" <= c <= "\u024f" or "\u1e00" <= c <= "\u1eff")
