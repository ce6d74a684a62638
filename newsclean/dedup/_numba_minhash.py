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
