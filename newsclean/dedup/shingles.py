"""Comparison form, tokens and shingle hashes, computed vectorized over code points.

Two reprints must compare equal however their width, case, spacing and
punctuation differ, so shingles are taken from a *comparison form*:
NFKC-folded and case-folded text whose punctuation, symbols and whitespace are
dropped and whose digits are kept.

Tokens:

* every character of a script written without spaces (CJK ideographs, kana,
  Bopomofo, Thai, Lao, Khmer, Myanmar) is one token;
* every other maximal run of letters, marks and digits is one token (a word).
  Dropped characters separate words, so ``don't`` and ``don’t`` both give
  ``don`` ``t``, and "spaces injected around punctuation" change nothing.

Shingles are n-grams of tokens: ``char_ngram`` for a document whose tokens are
mostly single characters (Chinese, Japanese, Thai), ``word_ngram`` otherwise.
A document with fewer tokens than n gets one shingle of all of them.  Splitting
Chinese on ``\\W`` instead turns a clause into one "word", which is why
word-based tools miss Chinese reprints.

Hashing never builds a Python string per shingle: the text becomes a numpy
array of code points, each character gets a 64-bit hash of (code point,
position in its token), ``np.add.reduceat`` sums them per token, and each
shingle hash is a mix of its n token hashes taken as shifted array slices.  The
32 high bits are the shingle's hash.  :func:`hashfunc` computes the same value
for one shingle string in pure Python, so ``datasketch.MinHash(hashfunc=...)``
reproduces newsclean's signatures (tested bit for bit).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

#: Names the hash scheme; stored with every index and checked on load.
HASH_SCHEME = "nc-splitmix64-tokens-v1"

DROP, SINGLE, WORD = 0, 1, 2
_MAX_CP = 0x110000
_M64 = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
_LEN_SALT = 0xD6E8FEB86659FD93

# Scripts written without spaces: one character is one token.
_SINGLE_RANGES = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x2E80, 0x2FDF),  # CJK radicals
    (0x3005, 0x3007),  # 々 〆 〇
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3100, 0x312F),  # Bopomofo
    (0x31A0, 0x31FF),  # Bopomofo extended, Katakana extensions
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x20000, 0x3FFFF),  # CJK extensions B and later
)


_TABLE_CP = 0x40000  # beyond: tags, variation selectors, private use, all dropped
_FOLD_CP = 0x30000  # beyond: rare; those texts take the unicodedata path


@lru_cache(maxsize=1)
def char_classes() -> np.ndarray:
    """DROP / SINGLE / WORD for every code point (a 1.1 MB static table)."""
    table = np.zeros(_MAX_CP, dtype=np.uint8)
    for cp in range(_TABLE_CP):
        if unicodedata.category(chr(cp))[0] in "LNM":
            table[cp] = WORD
    for lo, hi in _SINGLE_RANGES:
        part = table[lo : hi + 1]
        part[part == WORD] = SINGLE
    return table


def comparison_form(text: str) -> str:
    """NFKC + casefold (punctuation is dropped later, by the character table)."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


@lru_cache(maxsize=1)
def _fold_tables() -> tuple[np.ndarray, np.ndarray]:
    """Code point -> its comparison form, and which code points need unicodedata.

    A code point is "complex" when its fold is not exactly one character, or
    when it may compose with its neighbours under NFKC (combining marks, Hangul
    jamo).  A text with none of them folds by table lookup, which is exact and
    several times faster than ``unicodedata.normalize``.
    """
    fold = np.arange(_FOLD_CP, dtype=np.uint32)
    complex_ = np.zeros(_FOLD_CP, dtype=bool)
    # Fold all code points in one call, separated by newlines: a newline
    # composes with nothing and no code point folds to one.
    cps = [cp for cp in range(_FOLD_CP) if cp != 0x0A and not 0xD800 <= cp <= 0xDFFF]
    folded = comparison_form("\n".join(map(chr, cps))).split("\n")
    assert len(folded) == len(cps)
    for cp, f in zip(cps, folded, strict=True):
        if f and all(unicodedata.category(c)[0] not in "LNM" for c in f):
            fold[cp] = 0x20  # folds to punctuation only (… -> ...): one separator
        elif len(f) != 1 or unicodedata.category(f)[0] == "M":
            complex_[cp] = True
        else:
            fold[cp] = ord(f)
    complex_[0xD800:0xE000] = True
    for lo, hi in ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xD7B0, 0xD7FF)):
        complex_[lo : hi + 1] = True
    complex_[0xFFA0:0xFFDD] = True  # half-width Hangul jamo
    return fold, complex_


def folded_code_points(text: str) -> np.ndarray:
    """The comparison form of ``text`` as a uint32 array of code points.

    A lone surrogate (text decoded with ``surrogateescape``) passes through
    and, like punctuation, separates tokens, as in :func:`tokens`.
    """
    cp = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    fold, complex_ = _fold_tables()
    if cp.size and int(cp.max()) < _FOLD_CP and not complex_[cp].any():
        return fold[cp]
    return np.frombuffer(
        comparison_form(text).encode("utf-32-le", "surrogatepass"), dtype=np.uint32
    )


def _mix64(z: np.ndarray) -> np.ndarray:
    """splitmix64's finalizer, in place on a uint64 array (wrapping arithmetic)."""
    z ^= z >> np.uint64(30)
    z *= np.uint64(0xBF58476D1CE4E5B9)
    z ^= z >> np.uint64(27)
    z *= np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(31)
    return z


def _mix64_int(z: int) -> int:
    z &= _M64
    z ^= z >> 30
    z = (z * 0xBF58476D1CE4E5B9) & _M64
    z ^= z >> 27
    z = (z * 0x94D049BB133111EB) & _M64
    z ^= z >> 31
    return z


def token_hashes(text: str) -> tuple[np.ndarray, int]:
    """64-bit hashes of the tokens of ``text`` and how many are single characters."""
    cp = folded_code_points(text)
    if cp.size == 0:
        return np.zeros(0, dtype=np.uint64), 0
    cls = char_classes()[cp]
    prev = np.empty_like(cls)
    prev[0] = DROP
    prev[1:] = cls[:-1]
    # A token starts at every single-script character and at the first
    # character of each word run; dropped characters end a run.
    starts_all = (cls == SINGLE) | ((cls == WORD) & (prev != WORD))
    keep = cls != DROP
    cpk = cp[keep].astype(np.uint64)
    if cpk.size == 0:
        return np.zeros(0, dtype=np.uint64), 0
    starts = np.flatnonzero(starts_all[keep])
    lengths = np.diff(np.append(starts, cpk.size))
    pos = np.arange(cpk.size, dtype=np.uint64) - np.repeat(starts, lengths).astype(np.uint64)
    ch = _mix64(cpk | (pos << np.uint64(21)))
    tok = np.add.reduceat(ch, starts)
    tok += lengths.astype(np.uint64) * np.uint64(_LEN_SALT)
    n_single = int(np.count_nonzero(cls[keep][starts] == SINGLE))
    return _mix64(tok), n_single


def ngram_size(n_tokens: int, n_single: int, char_ngram: int, word_ngram: int) -> int:
    """``char_ngram`` when most tokens are single characters, else ``word_ngram``."""
    n = char_ngram if 2 * n_single >= n_tokens else word_ngram
    return max(1, min(n, n_tokens))


def shingle_hashes(text: str, char_ngram: int, word_ngram: int) -> np.ndarray:
    """32-bit hashes (as uint64, datasketch's input dtype) of the shingles of ``text``."""
    tok, n_single = token_hashes(text)
    if tok.size == 0:
        return np.zeros(0, dtype=np.uint64)
    n = ngram_size(tok.size, n_single, char_ngram, word_ngram)
    m = tok.size - n + 1
    acc = np.zeros(m, dtype=np.uint64)
    for j in range(n):  # a loop over the n-gram width, vectorized over the document
        acc += _mix64(tok[j : j + m] + np.uint64((j + 1) * _GOLDEN & _M64))
    acc += np.uint64(n)
    return _mix64(acc) >> np.uint64(32)


@lru_cache(maxsize=1)
def _salts() -> np.ndarray:
    return np.array([(j + 1) * _GOLDEN & _M64 for j in range(16)], dtype=np.uint64)


def hash_batch(
    texts: Sequence[str], char_ngram: int, word_ngram: int, compiled: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """The shingle hashes of all ``texts`` concatenated, and ``len(texts) + 1`` offsets.

    Text d's hashes are ``hv[offsets[d]:offsets[d+1]]``, equal to
    :func:`shingle_hashes` of it.  A batch uses the compiled kernel if installed.
    """
    from newsclean.dedup import _kernels

    big = len(texts) >= _kernels.COMPILED_MIN_TEXTS or _kernels.loaded()
    kernel = _kernels.shingle_kernel() if compiled and big else None
    if kernel is None:
        return _pack([shingle_hashes(t, char_ngram, word_ngram) for t in texts])
    # Python strings hold whole code points, so len() delimits each text in UTF-32.
    cp = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)), out=offsets[1:])
    hv = np.empty(cp.size, dtype=np.uint64)
    out_offsets = np.empty_like(offsets)
    fold, complex_ = _fold_tables()
    args = (char_classes(), char_ngram, word_ngram, _salts())
    slow = kernel(cp, offsets, fold, complex_, *args, hv, out_offsets)
    hv = hv[: out_offsets[-1]]
    if not slow.any():
        return hv, out_offsets
    # Texts the table cannot fold (combining marks, jamo, rare planes) are rare:
    # they take the numpy path, which folds with unicodedata.
    parts = np.split(hv, out_offsets[1:-1])
    for d in np.flatnonzero(slow).tolist():
        parts[d] = shingle_hashes(texts[d], char_ngram, word_ngram)
    return _pack(parts)


def _pack(parts: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    offsets = np.zeros(len(parts) + 1, dtype=np.int64)
    np.cumsum(
        np.fromiter((p.size for p in parts), dtype=np.int64, count=len(parts)), out=offsets[1:]
    )
    hv = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint64)
    return hv.astype(np.uint64, copy=False), offsets


def many_shingle_hashes(
    texts: Sequence[str], char_ngram: int, word_ngram: int, compiled: bool = True
) -> list[np.ndarray]:
    """:func:`shingle_hashes` of each text (views into one :func:`hash_batch` array)."""
    hv, offsets = hash_batch(texts, char_ngram, word_ngram, compiled)
    return np.split(hv, offsets[1:-1]) if texts else []


# --- the pure-Python reference, for datasketch interop and tests ------------


def tokens(text: str) -> list[str]:
    """The tokens of ``text`` as strings (slow; for inspection, tests and interop)."""
    table = char_classes()
    out: list[str] = []
    word: list[str] = []
    for c in comparison_form(text):
        k = table[ord(c)]
        if k != WORD and word:
            out.append("".join(word))
            word = []
        if k == SINGLE:
            out.append(c)
        elif k == WORD:
            word.append(c)
    if word:
        out.append("".join(word))
    return out


def shingle_strings(text: str, char_ngram: int, word_ngram: int) -> list[str]:
    """The shingles of ``text``, tokens joined by a space (slow reference).

    ``[hashfunc(s.encode()) for s in shingle_strings(...)]`` equals
    :func:`shingle_hashes`, element for element.
    """
    toks = tokens(text)
    if not toks:
        return []
    table = char_classes()
    n_single = sum(1 for t in toks if len(t) == 1 and table[ord(t)] == SINGLE)
    n = ngram_size(len(toks), n_single, char_ngram, word_ngram)
    return [" ".join(toks[i : i + n]) for i in range(len(toks) - n + 1)]


def _token_hash_int(token: str) -> int:
    acc = 0
    for pos, c in enumerate(token):
        acc += _mix64_int(ord(c) | (pos << 21))
    return _mix64_int(acc + len(token) * _LEN_SALT)


def hashfunc(shingle: bytes | str) -> int:
    """The 32-bit hash of one shingle string, for ``datasketch.MinHash(hashfunc=...)``."""
    s = shingle.decode("utf-8") if isinstance(shingle, bytes) else shingle
    toks = s.split(" ")
    acc = 0
    for j, t in enumerate(toks):
        acc += _mix64_int(_token_hash_int(t) + (j + 1) * _GOLDEN)
    return _mix64_int(acc + len(toks)) >> 32
