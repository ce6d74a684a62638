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

Shingles are n-grams of tokens, taken per *script segment*: ``char_ngram`` for
a segment whose tokens are mostly single characters (Chinese, Japanese, Thai),
``word_ngram`` otherwise.  A segment with fewer tokens than n gets one shingle
of all of them.  Splitting Chinese on ``\\W`` instead turns a clause into one
"word", which is why word-based tools miss Chinese reprints.

Segments (:func:`segment_starts`): a new segment starts where a run of at
least ``run_min`` (:data:`RUN_MIN`) consecutive tokens of one kind (single
characters, or words) follows a long run of the other kind.  Short runs (a
number or an English name inside Chinese, a Chinese name inside English) stay
in the segment around them, so a text in one script is one segment and is
shingled exactly as before segments existed.  An English article quoting a
long Japanese passage is shingled as word 3-grams *and* character 5-grams
instead of switching wholly to one of them.  ``run_min=0`` is the former
whole-document rule (:data:`DOCUMENT_SHINGLING`), kept for indexes built with
it.

Hashing never builds a Python string per shingle: the text becomes a numpy
array of code points, each character gets a 64-bit hash of (code point,
position in its token), a prefix sum sums them per token, and each
shingle hash is a mix of its n token hashes taken as shifted array slices.  The
32 high bits are the shingle's hash.  :func:`hashfunc` computes the same value
for one shingle string in pure Python, so ``datasketch.MinHash(hashfunc=...)``
reproduces newsclean's signatures (tested bit for bit).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise

import numpy as np

#: Names the hash scheme; stored with every index and checked on load.
HASH_SCHEME = "nc-splitmix64-tokens-v1"
#: Tokens of one kind in a row that start a new script segment (see the module doc).
RUN_MIN = 8
#: Names the segmentation; stored with every index.  An index without the
#: field was built with one segment per document (``run_min=0``).
SHINGLING = f"script-runs-{RUN_MIN}"
DOCUMENT_SHINGLING = "document"

DROP, SINGLE, WORD, DIGIT = 0, 1, 2, 3  # DIGIT: a word character that is a number
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
def _major_categories() -> np.ndarray:
    """The first letter of each code point's general category (``L``, ``N``,
    ``M`` ...) below :data:`_TABLE_CP`, as ASCII bytes: both tables below are
    built from it with array operations, once per process (a worker's start-up
    used to spend 0.4 s on them in a Python loop per code point)."""
    cats = "".join([unicodedata.category(chr(cp))[0] for cp in range(_TABLE_CP)])
    return np.frombuffer(cats.encode("ascii"), dtype=np.uint8)


def _is_word(cats: np.ndarray) -> np.ndarray:
    """Letters, digits and marks (categories L, N, M): what a token is made of."""
    return (cats == ord("L")) | (cats == ord("N")) | (cats == ord("M"))


@lru_cache(maxsize=1)
def char_classes() -> np.ndarray:
    """DROP / SINGLE / WORD / DIGIT for every code point (a 1.1 MB static table).

    Digits tokenize like letters (``covid19`` is one word); they are told
    apart only so that a token made of digits alone belongs to no script.
    """
    table = np.zeros(_MAX_CP, dtype=np.uint8)
    cats = _major_categories()
    head = table[:_TABLE_CP]
    head[(cats == ord("L")) | (cats == ord("M"))] = WORD
    head[cats == ord("N")] = DIGIT
    for lo, hi in _SINGLE_RANGES:
        part = table[lo : hi + 1]
        part[part >= WORD] = SINGLE
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
    several times faster than ``unicodedata.normalize``.  A code point that
    folds to punctuation only (``…`` -> ``...``) folds to one space, a separator.
    """
    fold = np.arange(_FOLD_CP, dtype=np.uint32)
    complex_ = np.zeros(_FOLD_CP, dtype=bool)
    # Fold all code points in one call, separated by newlines: a newline
    # composes with nothing and no code point folds to one.
    cps = np.arange(_FOLD_CP, dtype=np.uint32)
    cps = cps[(cps != 0x0A) & ((cps < 0xD800) | (cps > 0xDFFF))]
    joined = comparison_form("\n".join(map(chr, cps.tolist())))
    folded = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    breaks = np.flatnonzero(folded == 0x0A)
    assert breaks.size == cps.size - 1
    starts = np.concatenate(([0], breaks + 1))
    lengths = np.concatenate((breaks, [folded.size])) - starts
    # a fold beyond the table (none seen) reads its category from unicodedata below
    char_cats = _major_categories()[np.minimum(folded, _TABLE_CP - 1)]
    beyond = np.flatnonzero(folded >= _TABLE_CP)
    for k in beyond.tolist():
        char_cats[k] = ord(unicodedata.category(chr(int(folded[k])))[0])
    word = _is_word(char_cats) & (folded != 0x0A)
    # word characters in each code point's fold: a cumulative sum read at its ends
    words_before = np.concatenate(([0], np.cumsum(word, dtype=np.int64)))
    words = words_before[starts + lengths] - words_before[starts]
    at = np.minimum(starts, folded.size - 1)  # each fold's first character
    first = folded[at]
    mark = (lengths == 1) & (char_cats[at] == ord("M"))
    punct = (lengths > 0) & (words == 0)
    single = (lengths == 1) & ~punct & ~mark
    fold[cps[punct]] = 0x20
    fold[cps[single]] = first[single]
    complex_[cps[~punct & ~single]] = True
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


def mix64(z: np.ndarray) -> np.ndarray:
    """splitmix64's finalizer, in place on a uint64 array (wrapping arithmetic).

    newsclean's one 64-bit mixer: token and shingle hashes, the "oph"
    scheme's bins and values, and the band keys of new indexes.
    """
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


def _run_sums(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """``np.add.reduceat(values, starts)`` for sorted, distinct ``starts`` beginning at 0.

    As differences of one prefix sum (exact for uint64, which wraps mod 2**64):
    reduceat with a run per element, as Chinese has (one token per character),
    measured several times slower than the cumulative sum.
    """
    total = np.cumsum(values)
    ends = np.append(starts[1:], values.size) - 1
    out = total[ends]
    out[1:] -= total[ends[:-1]]
    return out


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """``concatenate([arange(s, s + n) for s, n in zip(starts, lengths)])``, vectorized."""
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    first = np.cumsum(lengths) - lengths  # where each range begins in the output
    return np.arange(total, dtype=np.int64) + np.repeat(starts - first, lengths)


def script_kinds(script: np.ndarray, doc_starts: np.ndarray) -> np.ndarray:
    """Per token: True for a single character, False for a word; a number takes its
    neighbours' kind (the last script token before it in its text, else the first after).

    ``script`` is 0 (word), 1 (single character) or 2 (number) per token.
    """
    kinds = script == 1
    # Only the numbers need a neighbour, and they are few: the token before a
    # run of numbers and the one after it are its neighbours, so nothing runs
    # over every token but two comparisons (forward and backward accumulations
    # over the batch were a quarter of shingling).
    numbers = np.flatnonzero(script == 2)
    if numbers.size == 0:
        return kinds
    opens = np.empty(numbers.size, dtype=bool)  # a number that starts a run of them
    opens[0] = True
    np.not_equal(numbers[1:], numbers[:-1] + 1, out=opens[1:])
    closes = np.append(opens[1:], True)
    run = np.cumsum(opens) - 1
    before = (numbers[opens] - 1)[run]  # -1 at the start of the batch
    after = (numbers[closes] + 1)[run]  # script.size at its end
    starts = np.unique(doc_starts[doc_starts < script.size])
    text_start = starts[np.searchsorted(starts, numbers, side="right") - 1]
    # Else the first script token after it, even past the end of its text (the
    # text is then numbers only: one kind throughout, so no segment depends on it).
    src = np.where(before >= text_start, before, after)
    ok = (src >= 0) & (src < script.size)
    kinds[numbers] = np.where(ok, kinds[np.where(ok, src, 0)], False)
    return kinds


def segment_starts(
    script: np.ndarray, doc_starts: np.ndarray, run_min: int = RUN_MIN
) -> np.ndarray:
    """Indices of the tokens that start a segment: every text's first token, and
    every run of ``run_min`` or more tokens of one kind after a long run of the other.

    ``script`` holds each token's script (0 word, 1 single character, 2
    number, see :func:`script_kinds`); ``doc_starts`` are the (sorted)
    first-token indices of the texts in the batch.  ``run_min <= 0``: one
    segment per text.
    """
    t = script.size
    if t == 0:
        return np.zeros(0, dtype=np.int64)
    doc_starts = np.unique(doc_starts[doc_starts < t])
    if run_min <= 0:
        return doc_starts.astype(np.int64)
    single = script_kinds(script, doc_starts)
    change = np.zeros(t, dtype=bool)
    change[0] = True
    change[1:] = single[1:] != single[:-1]
    change[doc_starts] = True
    run_start = np.flatnonzero(change)
    run_len = np.diff(np.append(run_start, t))
    long_runs = run_start[run_len >= run_min]
    if long_runs.size < 2:
        return doc_starts.astype(np.int64)
    # A long run opens a segment when the long run before it, in the same
    # text, was of the other kind.
    doc_of = np.searchsorted(doc_starts, long_runs, side="right")
    kind = single[long_runs]
    switch = (kind[1:] != kind[:-1]) & (doc_of[1:] == doc_of[:-1])
    return np.union1d(doc_starts, long_runs[1:][switch]).astype(np.int64)


def _token_arrays(
    cp: np.ndarray, char_offsets: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """64-bit token hashes, each token's script (:func:`segment_starts`), token offsets per text.

    ``cp`` holds the folded code points of all texts, text d being
    ``cp[char_offsets[d]:char_offsets[d+1]]``.  Tokens never span two texts:
    every text begins as if after a dropped character.
    """
    n = char_offsets.size - 1
    empty = np.zeros(0, dtype=np.uint64)
    if cp.size == 0:
        return empty, np.zeros(0, dtype=np.uint8), np.zeros(n + 1, dtype=np.int64)
    cls = char_classes()[cp]
    wordish = cls >= WORD
    prev = np.empty_like(cls)
    prev[0] = DROP
    prev[1:] = cls[:-1]
    prev[char_offsets[:-1][char_offsets[:-1] < cp.size]] = DROP
    # A token starts at every single-script character and at the first
    # character of each word run; dropped characters end a run.
    starts_all = (cls == SINGLE) | (wordish & (prev < WORD))
    keep = cls != DROP
    kept_before = np.zeros(cp.size + 1, dtype=np.int64)
    np.cumsum(starts_all & keep, out=kept_before[1:])
    tok_offsets = kept_before[char_offsets]  # tokens of text d: [tok_offsets[d], ...[d+1])
    cpk = cp[keep].astype(np.uint64)
    if cpk.size == 0:
        return empty, np.zeros(0, dtype=np.uint8), tok_offsets
    starts = np.flatnonzero(starts_all[keep])
    lengths = np.diff(np.append(starts, cpk.size))
    # Position in its token: a cumulative sum of steps of 1 that drops back to 0
    # at each token start (cheaper than arange minus a repeat of the starts).
    step = np.ones(cpk.size, dtype=np.int64)
    step[starts[1:]] = 1 - lengths[:-1]
    step[0] = 0
    pos = np.cumsum(step).view(np.uint64)
    ch = mix64(cpk | (pos << np.uint64(21)))
    tok = _run_sums(ch, starts)
    tok += lengths.astype(np.uint64) * np.uint64(_LEN_SALT)
    ck = cls[keep]
    script = (ck[starts] == SINGLE).astype(np.uint8)
    # A number (digits only) is a word token that starts with a digit and holds
    # no letter; only those few candidates are counted.
    cand = np.flatnonzero(ck[starts] == DIGIT)
    if cand.size:
        letters_before = np.zeros(ck.size + 1, dtype=np.int64)
        np.cumsum(ck == WORD, out=letters_before[1:])
        ends = starts[cand] + lengths[cand]
        script[cand[letters_before[ends] == letters_before[starts[cand]]]] = 2
    return mix64(tok), script, tok_offsets


def ngram_size(n_tokens: int, n_single: int, char_ngram: int, word_ngram: int) -> int:
    """``char_ngram`` when most tokens are single characters, else ``word_ngram``."""
    n = char_ngram if 2 * n_single >= n_tokens else word_ngram
    return max(1, min(n, n_tokens))


def _shingles_of_tokens(
    tok: np.ndarray,
    script: np.ndarray,
    tok_offsets: np.ndarray,
    char_ngram: int,
    word_ngram: int,
    run_min: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Shingle hashes of every segment of every text, and their offsets per text."""
    n_docs = tok_offsets.size - 1
    seg = segment_starts(script, tok_offsets[:-1], run_min)
    if seg.size == 0:
        return np.zeros(0, dtype=np.uint64), np.zeros(n_docs + 1, dtype=np.int64)
    seg_len = np.diff(np.append(seg, tok.size))
    n_single = _run_sums((script == 1).astype(np.int64), seg)
    n = np.where(2 * n_single >= seg_len, char_ngram, word_ngram)
    n = np.maximum(1, np.minimum(n, seg_len))
    m = seg_len - n + 1  # shingles per segment
    first = np.cumsum(m) - m  # where each segment's shingles go
    out = np.empty(int(m.sum()), dtype=np.uint64)
    # A shingle's hash mixes sum_j mix64(tok[i + j] + salt_j) over its n tokens.
    # The j-th terms of every shingle of the batch are one shifted slice of
    # the token array, whatever the width, so ``acc`` builds up the sums for
    # width 1, 2, ... in place (one mix per token and j, no gathers) and each
    # width in use (usually one or two) gathers its shingles' starts once.
    # Sums near a segment's end run into the next segment, but no shingle of
    # that width starts there, so they are never read.
    acc = np.zeros(tok.size, dtype=np.uint64)
    done = 0
    for width in np.unique(n).tolist():
        for j in range(done, width):
            acc[: tok.size - j] += mix64(tok[j:] + np.uint64((j + 1) * _GOLDEN & _M64))
        done = width
        sel = np.flatnonzero(n == width)
        at = _ranges(seg[sel], m[sel])  # first token of each shingle
        h = acc[at]
        h += np.uint64(width)
        if sel.size == n.size:  # one width for the whole batch: shingles in order
            out[:] = mix64(h) >> np.uint64(32)
        else:
            out[_ranges(first[sel], m[sel])] = mix64(h) >> np.uint64(32)
    doc = np.searchsorted(tok_offsets, seg, side="right") - 1
    offsets = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(np.bincount(doc, weights=m, minlength=n_docs).astype(np.int64), out=offsets[1:])
    return out, offsets


#: Characters per vectorized numpy step: whole-batch temporaries (tens of MB)
#: measured 3x slower than steps whose temporaries stay in the CPU cache.
_NUMPY_CHUNK_CHARS = 1 << 17


def _numpy_batch(
    texts: Sequence[str], char_ngram: int, word_ngram: int, run_min: int
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`hash_batch` in numpy: vectorized over texts, in cache-sized steps."""
    parts: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    k = 0
    while k < len(texts):
        end, chars = k + 1, len(texts[k])
        while end < len(texts) and chars + len(texts[end]) <= _NUMPY_CHUNK_CHARS:
            chars += len(texts[end])
            end += 1
        hv, offsets = _numpy_step(texts[k:end], char_ngram, word_ngram, run_min)
        parts.append(hv)
        counts.append(np.diff(offsets))
        k = end
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    if texts:
        np.cumsum(np.concatenate(counts), out=offsets[1:])
    hv = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint64)
    return hv, offsets


def _numpy_step(
    texts: Sequence[str], char_ngram: int, word_ngram: int, run_min: int
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`hash_batch` of a few texts in numpy: one vectorized pass over all of them."""
    cp, char_offsets = _code_points(texts)
    fold, complex_ = _fold_tables()
    if cp.size == 0 or int(cp.max()) < _FOLD_CP:  # the usual case: no rare planes
        inside, where = None, cp
    else:
        inside = cp < _FOLD_CP
        where = np.where(inside, cp, 0)
    bad = complex_[where]
    if inside is not None:
        bad |= ~inside
    bad_before = np.zeros(cp.size + 1, dtype=np.int64)
    np.cumsum(bad, out=bad_before[1:])
    slow = np.flatnonzero(np.diff(bad_before[char_offsets]))
    folded = fold[where]
    if slow.size:  # combining marks, jamo, rare planes: fold those texts with unicodedata
        parts = np.split(folded, char_offsets[1:-1])
        for d in slow.tolist():
            parts[d] = folded_code_points(texts[d])
        folded = np.concatenate(parts)
        char_offsets = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum([p.size for p in parts], out=char_offsets[1:])
    tok, script, tok_offsets = _token_arrays(folded, char_offsets)
    return _shingles_of_tokens(tok, script, tok_offsets, char_ngram, word_ngram, run_min)


def _code_points(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """All texts' raw code points in one uint32 array, and each text's offsets in it."""
    # Python strings hold whole code points, so len() delimits each text in UTF-32.
    cp = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)), out=offsets[1:])
    return cp, offsets


def shingle_hashes(
    text: str, char_ngram: int, word_ngram: int, run_min: int = RUN_MIN
) -> np.ndarray:
    """32-bit hashes (as uint64, datasketch's input dtype) of the shingles of ``text``."""
    return _numpy_step([text], char_ngram, word_ngram, run_min)[0]


@lru_cache(maxsize=1)
def _salts() -> np.ndarray:
    return np.array([(j + 1) * _GOLDEN & _M64 for j in range(16)], dtype=np.uint64)


def hash_batch(
    texts: Sequence[str],
    char_ngram: int,
    word_ngram: int,
    compiled: bool = True,
    run_min: int = RUN_MIN,
) -> tuple[np.ndarray, np.ndarray]:
    """The shingle hashes of all ``texts`` concatenated, and ``len(texts) + 1`` offsets.

    Text d's hashes are ``hv[offsets[d]:offsets[d+1]]``, equal to
    :func:`shingle_hashes` of it.  A batch uses the compiled kernel if installed.
    """
    from newsclean.dedup import _kernels

    big = len(texts) >= _kernels.COMPILED_MIN_TEXTS or _kernels.loaded()
    kernel = _kernels.shingle_kernel() if compiled and big else None
    if kernel is None:
        return _numpy_batch(texts, char_ngram, word_ngram, run_min)
    cp, offsets = _code_points(texts)
    hv = np.empty(cp.size, dtype=np.uint64)
    out_offsets = np.empty_like(offsets)
    fold, complex_ = _fold_tables()
    args = (char_classes(), char_ngram, word_ngram, run_min, _salts())
    slow = kernel(cp, offsets, fold, complex_, *args, hv, out_offsets)
    hv = hv[: out_offsets[-1]]
    if not slow.any():
        return hv, out_offsets
    # Texts the table cannot fold (½, ß, combining marks, jamo, rare planes; 5 %
    # of English news) are folded by unicodedata, then hashed by the kernel.
    todo = np.flatnonzero(slow).tolist()
    cp_slow = [folded_code_points(texts[d]) for d in todo]
    slow_offsets = np.zeros(len(todo) + 1, dtype=np.int64)
    np.cumsum([c.size for c in cp_slow], out=slow_offsets[1:])
    hv_slow = np.empty(int(slow_offsets[-1]), dtype=np.uint64)
    out_slow = np.empty_like(slow_offsets)
    kernel(np.concatenate(cp_slow), slow_offsets, fold, complex_, *args, hv_slow, out_slow, True)
    parts = np.split(hv, out_offsets[1:-1])
    for k, d in enumerate(todo):
        parts[d] = hv_slow[out_slow[k] : out_slow[k + 1]]
    return _pack(parts)


def _pack(parts: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    offsets = np.zeros(len(parts) + 1, dtype=np.int64)
    np.cumsum(
        np.fromiter((p.size for p in parts), dtype=np.int64, count=len(parts)), out=offsets[1:]
    )
    hv = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint64)
    return hv.astype(np.uint64, copy=False), offsets


def many_shingle_hashes(
    texts: Sequence[str],
    char_ngram: int,
    word_ngram: int,
    compiled: bool = True,
    run_min: int = RUN_MIN,
) -> list[np.ndarray]:
    """:func:`shingle_hashes` of each text (views into one :func:`hash_batch` array)."""
    hv, offsets = hash_batch(texts, char_ngram, word_ngram, compiled, run_min)
    return np.split(hv, offsets[1:-1]) if texts else []


# --- the pure-Python reference, for datasketch interop and tests ------------


def tokens(text: str) -> list[str]:
    """The tokens of ``text`` as strings (slow; for inspection, tests and interop)."""
    table = char_classes()
    out: list[str] = []
    word: list[str] = []
    for c in comparison_form(text):
        k = table[ord(c)]
        if k < WORD and word:
            out.append("".join(word))
            word = []
        if k == SINGLE:
            out.append(c)
        elif k >= WORD:
            word.append(c)
    if word:
        out.append("".join(word))
    return out


def shingle_strings(
    text: str, char_ngram: int, word_ngram: int, run_min: int = RUN_MIN
) -> list[str]:
    """The shingles of ``text``, tokens joined by a space (slow reference).

    ``[hashfunc(s.encode()) for s in shingle_strings(...)]`` equals
    :func:`shingle_hashes`, element for element.
    """
    toks = tokens(text)
    if not toks:
        return []
    table = char_classes()
    single = [len(t) == 1 and table[ord(t)] == SINGLE for t in toks]
    number = [all(table[ord(c)] == DIGIT for c in t) for t in toks]
    # A number takes the kind of the last script token before it, else the first after.
    real = [s for s, num in zip(single, number, strict=True) if not num]
    kinds: list[bool] = []
    last = real[0] if real else False
    for s, num in zip(single, number, strict=True):
        last = last if num else s
        kinds.append(last)
    # Segments, written out: a run of run_min tokens of one kind after a long
    # run of the other kind starts a new one.
    cuts = [0]
    kind = None  # of the last long run
    k = 0
    while k < len(toks):
        end = k
        while end < len(toks) and kinds[end] == kinds[k]:
            end += 1
        if run_min > 0 and end - k >= run_min:
            if kind is not None and kinds[k] != kind:
                cuts.append(k)
            kind = kinds[k]
        k = end
    cuts.append(len(toks))
    out: list[str] = []
    for lo, hi in pairwise(cuts):
        n = ngram_size(hi - lo, sum(single[lo:hi]), char_ngram, word_ngram)
        out += [" ".join(toks[i : i + n]) for i in range(lo, hi - n + 1)]
    return out


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
