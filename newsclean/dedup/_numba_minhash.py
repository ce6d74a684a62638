"""The compiled kernels; imported only when numba is installed and a batch is worth it.

Every kernel computes exactly what its numpy counterpart in
:mod:`newsclean.dedup.minhash` / :mod:`newsclean.dedup.shingles` computes
(tested bit for bit); only the loop order and the temporaries differ.
"""

from __future__ import annotations

import numba
import numpy as np

P61 = np.uint64((1 << 61) - 1)
S61 = np.uint64(61)
MASK32 = np.uint64((1 << 32) - 1)
ONE = np.uint64(1)


@numba.njit(cache=True, nogil=True, inline="always")
def _permute(h, a, b):  # type: ignore[no-untyped-def]
    # ((a * h + b) mod 2**64) mod (2**61 - 1), low 32 bits: datasketch's legacy value.
    x = h * a + b
    x = (x & P61) + (x >> S61)
    # x mod p, branch-free: x is in [0, p + 7] here, and the mask below drops bit 61.
    x += (x + ONE) >> S61
    return x & MASK32


@numba.njit(cache=True, nogil=True)
def legacy_minhash(hv, offsets, a, b, out):  # type: ignore[no-untyped-def]
    """``out[d] = min(out[d], signature of hv[offsets[d]:offsets[d+1]])``.

    Shingles outer, permutations inner: each shingle updates a running minimum
    over one contiguous num_perm vector, which LLVM vectorizes with 64-bit
    lanes.  Loops index zero-based slices: a loop over ``range(lo, hi)`` of
    the whole batch made numba keep its negative-index wraparound check per
    element, which blocked vectorization and cost half the speed.
    """
    num_perm = a.size
    m = np.empty(num_perm, dtype=np.uint64)
    for d in range(offsets.size - 1):
        seg = hv[offsets[d] : offsets[d + 1]]
        m[:] = MASK32
        for k in range(seg.size):
            h = seg[k]
            for j in range(num_perm):
                m[j] = min(m[j], _permute(h, a[j], b[j]))
        for j in range(num_perm):
            out[d, j] = min(out[d, j], np.uint32(m[j]))


EMPTY = np.uint64(0xFFFFFFFFFFFFFFFF)
GOLDEN = np.uint64(0x9E3779B97F4A7C15)


@numba.njit(cache=True, nogil=True)
def unique_sizes(hv, offsets, out):  # type: ignore[no-untyped-def]
    """``out[d]`` = number of distinct values in ``hv[offsets[d]:offsets[d+1]]``.

    An open-addressing hash set per document: sorting each document (numba's
    ``np.sort``) measured 5x slower than numpy's sort and 20x slower than this.
    """
    longest = 0
    for d in range(offsets.size - 1):
        longest = max(longest, offsets[d + 1] - offsets[d])
    cap = 8
    while cap < 2 * longest:
        cap <<= 1
    table = np.empty(cap, dtype=np.uint64)
    for d in range(offsets.size - 1):
        seg = hv[offsets[d] : offsets[d + 1]]
        size, log2 = 8, 3
        while size < 2 * seg.size:
            size <<= 1
            log2 += 1
        slots = table[:size]
        slots[:] = EMPTY
        mask = size - 1
        bits = np.uint64(64 - log2)  # the slot: top log2 bits of h * GOLDEN
        count = 0
        seen_empty = False  # EMPTY itself as a value
        for k in range(seg.size):
            h = seg[k]
            if h == EMPTY:
                count += not seen_empty
                seen_empty = True
                continue
            i = np.int64((h * GOLDEN) >> bits)
            while True:
                t = slots[i]
                if t == h:
                    break
                if t == EMPTY:
                    slots[i] = h
                    count += 1
                    break
                i = (i + 1) & mask
        out[d] = count


M1 = np.uint64(0xBF58476D1CE4E5B9)
M2 = np.uint64(0x94D049BB133111EB)
S30, S27, S31, S21, S32 = (np.uint64(s) for s in (30, 27, 31, 21, 32))
LEN_SALT = np.uint64(0xD6E8FEB86659FD93)


@numba.njit(cache=True, nogil=True, inline="always")
def _mix64(z):  # type: ignore[no-untyped-def]
    z ^= z >> S30
    z *= M1
    z ^= z >> S27
    z *= M2
    z ^= z >> S31
    return z


@numba.njit(cache=True, nogil=True)
def _fold(cp, fold, complex_, out):  # type: ignore[no-untyped-def]
    """Table fold of raw code points into ``out``; False when unicodedata must fold instead.

    The same decision as ``shingles.folded_code_points``: any code point beyond
    the table, or marked complex, sends the whole text to ``unicodedata``.
    """
    limit = fold.size
    for i in range(cp.size):
        c = cp[i]
        if c >= limit or complex_[c]:
            return False
        out[i] = fold[c]
    return True


@numba.njit(cache=True, nogil=True)
def _segment(tok, script, lo, hi, char_ngram, word_ngram, salts, out):  # type: ignore[no-untyped-def]
    """Shingle hashes of the tokens ``tok[lo:hi]`` (one script segment) into ``out``."""
    n_single = 0
    for i in range(lo, hi):
        n_single += script[i] == 1
    size = hi - lo
    n = char_ngram if 2 * n_single >= size else word_ngram
    n = max(1, min(n, size))
    m = size - n + 1
    sh = out[:m]
    sh[:] = np.uint64(n)
    for j in range(n):  # one n-gram position at a time: a loop LLVM vectorizes
        salt = salts[j]
        t = tok[lo + j : lo + j + m]
        for i in range(m):
            sh[i] += _mix64(t[i] + salt)
    for i in range(m):
        sh[i] = _mix64(sh[i]) >> S32
    return m


@numba.njit(cache=True, nogil=True)
def shingle_hashes(cp, table, char_ngram, word_ngram, run_min, salts, tok, script, kinds, out):  # type: ignore[no-untyped-def]
    """The shingle hashes of folded code points ``cp`` into ``out``; returns how many.

    The same arithmetic and segments as ``newsclean.dedup.shingles`` (tested
    equal).  Tokens in one pass (a word's character hashes are summed as they
    stream by), then the n-grams of each script segment.  ``tok``,
    ``script`` and ``kinds`` are scratch of at least ``cp.size``.
    """
    n_tok = 0
    acc = np.uint64(0)
    pos = 0
    letters = False
    for i in range(cp.size):
        c = np.uint64(cp[i])
        k = table[cp[i]]
        if k >= 2:  # a word character (2 a letter or mark, 3 a digit)
            acc += _mix64(c | (np.uint64(pos) << S21))
            pos += 1
            letters |= k == 2
            continue
        if pos:  # a word just ended
            tok[n_tok] = _mix64(acc + np.uint64(pos) * LEN_SALT)
            script[n_tok] = 0 if letters else 2
            n_tok += 1
            acc = np.uint64(0)
            pos = 0
            letters = False
        if k == 1:  # a character of a script without spaces: a token by itself
            tok[n_tok] = _mix64(_mix64(c) + LEN_SALT)
            script[n_tok] = 1
            n_tok += 1
    if pos:
        tok[n_tok] = _mix64(acc + np.uint64(pos) * LEN_SALT)
        script[n_tok] = 0 if letters else 2
        n_tok += 1
    if n_tok == 0:
        return 0
    # A number takes the kind of the script token before it, else of the first after.
    first = 0
    for i in range(n_tok):
        if script[i] != 2:
            first = script[i]
            break
    last = first
    for i in range(n_tok):
        if script[i] != 2:
            last = script[i]
        kinds[i] = last
    m = 0
    lo = 0
    kind = -1  # of the last long run
    i = 0
    while i < n_tok:
        end = i
        while end < n_tok and kinds[end] == kinds[i]:
            end += 1
        if run_min > 0 and end - i >= run_min:
            if kind >= 0 and kinds[i] != kind:
                m += _segment(tok, script, lo, i, char_ngram, word_ngram, salts, out[m:])
                lo = i
            kind = kinds[i]
        i = end
    m += _segment(tok, script, lo, n_tok, char_ngram, word_ngram, salts, out[m:])
    return m


@numba.njit(cache=True, nogil=True)
def shingle_batch(  # type: ignore[no-untyped-def]
    cp,
    offsets,
    fold,
    complex_,
    table,
    char_ngram,
    word_ngram,
    run_min,
    salts,
    out,
    out_offsets,
    prefolded=False,
):
    """Shingle hashes of many texts' raw code points, packed into ``out``.

    Text d is ``cp[offsets[d]:offsets[d+1]]``; its hashes land in
    ``out[out_offsets[d]:out_offsets[d+1]]`` (``out`` needs ``cp.size`` slots:
    a text has at most one shingle per character).  Returns a mask of the
    texts the table cannot fold; they get no hashes here and the caller folds
    them with ``unicodedata`` and calls again with ``prefolded=True`` (``cp``
    is then already the comparison form).  One call per batch: a call per text
    cost more in dispatch and temporaries than the hashing itself.
    """
    n = offsets.size - 1
    longest = 0
    for d in range(n):
        longest = max(longest, offsets[d + 1] - offsets[d])
    folded = np.empty(longest, dtype=np.uint32)
    tok = np.empty(longest, dtype=np.uint64)
    script = np.empty(longest, dtype=np.uint8)
    kinds = np.empty(longest, dtype=np.uint8)
    needs_unicodedata = np.zeros(n, dtype=np.bool_)
    pos = 0
    out_offsets[0] = 0
    for d in range(n):
        seg = cp[offsets[d] : offsets[d + 1]]
        f = folded[: seg.size]
        if prefolded:
            f[:] = seg
        elif not _fold(seg, fold, complex_, f):
            needs_unicodedata[d] = True
            out_offsets[d + 1] = pos
            continue
        pos += shingle_hashes(
            f, table, char_ngram, word_ngram, run_min, salts, tok, script, kinds, out[pos:]
        )
        out_offsets[d + 1] = pos
    return needs_unicodedata


G1 = np.uint64(0x9E3779B97F4A7C15)
G2 = np.uint64(0xC2B2AE3D27D4EB4F)


@numba.njit(cache=True, nogil=True, inline="always")
def _bin(z, k):  # type: ignore[no-untyped-def]
    return np.int64(((z >> S32) * k) >> S32)


@numba.njit(cache=True, nogil=True)
def oph_minhash(hv, offsets, salt, dsalt, out):  # type: ignore[no-untyped-def]
    """``scheme="oph"``: one mixed hash per shingle picks a bin and a value; the
    empty bins of a non-empty document are densified (``minhash.oph_packed``).
    """
    k = out.shape[1]
    uk = np.uint64(k)
    filled = np.zeros(k, dtype=np.bool_)
    for d in range(offsets.size - 1):
        seg = hv[offsets[d] : offsets[d + 1]]
        if seg.size == 0:
            continue
        row = out[d]
        filled[:] = False
        for i in range(seg.size):
            g = _mix64(seg[i] + salt)
            b = _bin(g, uk)
            v = np.uint32(g & MASK32)
            if v < row[b]:
                row[b] = v
            filled[b] = True
        for j in range(k):
            if filled[j]:
                continue
            attempt = np.uint64(1)
            while True:
                t = _bin(_mix64(np.uint64(j) * G1 + attempt * G2 + dsalt), uk)
                if filled[t]:
                    row[j] = row[t]
                    break
                attempt += ONE
