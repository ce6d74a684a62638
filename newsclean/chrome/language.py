"""A cheap script-based language guess; only the stop-word list depends on it."""

from __future__ import annotations

import re

# runs, not single characters: _count deletes them, one replacement per run
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_KANA = re.compile(r"[\u3040-\u30ff]+")
_HANGUL = re.compile(r"[\uac00-\ud7af]+")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_LETTER = re.compile(r"[^\W\d_]+")


def guess_language(text: str, stopwords: dict[str, frozenset[str]]) -> str | None:
    """BCP 47 code for CJK scripts or a language whose stop words dominate; else None."""
    # prose lines say more than a page's menus: sample the long lines first
    long_lines = [ln for ln in text.split("\n", 3000) if len(ln) > 60]
    sample = "\n".join(long_lines)[:8000] or text[:8000]
    han = _count(_HAN, sample)
    kana = _count(_KANA, sample)
    hangul = _count(_HANGUL, sample)
    words = [w.lower() for w in _LATIN_WORD.findall(sample)] if han < len(sample) // 4 else []
    # compare characters of dense scripts with letters of Latin words
    letters = sum(len(w) for w in words)
    if kana > 0.1 * (han + kana) and (han + kana) * 3 > letters:
        return "ja"
    if hangul * 3 > letters and hangul > han:
        return "ko"
    if han * 3 > letters:
        return "zh"
    # Russian prose under an English menu: English stop words from the chrome
    # must not make the page "en", or the English stop-word score favours the
    # menu over the body.  Latin letters have to be the majority of letters.
    if 2 * letters < _count(_LETTER, sample):
        return None
    best, best_share = None, 0.0
    for lang, stop in stopwords.items():
        share = sum(1 for w in words if w in stop) / max(1, len(words))
        if share > best_share:
            best, best_share = lang, share
    return best if best_share >= 0.18 else None


def _count(pattern: re.Pattern[str], s: str) -> int:
    return len(s) - len(pattern.sub("", s))
