"""The compiled permutation kernel; imported only when numba is installed."""

from __future__ import annotations

import numba
import numpy as np

P61 = np.uint64((1 << 61) - 1)
S61 = np.uint64(61)
MASK32 = np.uint64((1 << 32) - 1)
ONE = np.uint64(1)


@numba.njit(cache=True, nogil=True)
def legacy_minhash(hv, offsets, a, b, out):  # type: ignore[no-untyped-def]
    # Permutation-major: the inner loop is a branch-free min-reduction over
    # one document's shingles, which LLVM vectorizes.
    for d in range(offsets.size - 1):
        lo, hi = offsets[d], offsets[d + 1]
        for j in range(a.size):
            aj, bj = a[j], b[j]
            m = MASK32
            for k in range(lo, hi):
                x = hv[k] * aj + bj
                x = (x & P61) + (x >> S61)
                # x mod p, branch-free: x is in [0, p + 7] here.
                x = (x + ((x + ONE) >> S61)) & P61
                m = min(m, x & MASK32)
            out[d, j] = min(out[d, j], np.uint32(m))


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
def shingle_hashes(cp, table, char_ngram, word_ngram, salts, out):  # type: ignore[no-untyped-def]
    """The shingle hashes of folded code points ``cp`` into ``out``; returns how many.

    The same arithmetic as ``newsclean.dedup.shingles`` (tested equal), in
    one pass: a word's character hashes are summed as they stream by.
    """
    tok = np.empty(cp.size, dtype=np.uint64)
    n_tok = 0
    n_single = 0
    acc = np.uint64(0)
    pos = 0
    for i in range(cp.size):
        c = np.uint64(cp[i])
        k = table[cp[i]]
        if k == 2:  # a word character
            acc += _mix64(c | (np.uint64(pos) << S21))
            pos += 1
            continue
        if pos:  # a word just ended
            tok[n_tok] = _mix64(acc + np.uint64(pos) * LEN_SALT)
            n_tok += 1
            acc = np.uint64(0)
            pos = 0
        if k == 1:  # a character of a script without spaces: a token by itself
            tok[n_tok] = _mix64(_mix64(c) + LEN_SALT)
            n_tok += 1
            n_single += 1
    if pos:
        tok[n_tok] = _mix64(acc + np.uint64(pos) * LEN_SALT)
        n_tok += 1
    if n_tok == 0:
        return 0
    n = char_ngram if 2 * n_single >= n_tok else word_ngram
    n = max(1, min(n, n_tok))
    m = n_tok - n + 1
    for i in range(m):
        a = np.uint64(0)
        for j in range(n):
            a += _mix64(tok[i + j] + salts[j])
        out[i] = _mix64(a + np.uint64(n)) >> S32
    return m
