"""Optional compiled kernel for the permutation step (``pip install newsclean[fast]``).

numpy spends most of a signature on temporaries: eight passes over a
(shingles x num_perm) uint64 matrix.  With numba installed the same
arithmetic runs as one fused loop that keeps each running minimum in a
register.  Results are identical (tested); without numba the numpy path runs.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy as np


@lru_cache(maxsize=1)
def legacy_kernel() -> Callable[..., Any] | None:
    """The compiled kernel, or None when numba is not installed."""
    try:
        import numba
    except ImportError:
        return None

    p61 = np.uint64((1 << 61) - 1)
    s61 = np.uint64(61)
    mask32 = np.uint64((1 << 32) - 1)

    one = np.uint64(1)

    @numba.njit(cache=True, nogil=True)
    def kernel(hv, offsets, a, b, out):  # type: ignore[no-untyped-def]
        # Permutation-major: the inner loop is a branch-free min-reduction
        # over one document's shingles, which LLVM vectorizes.
        for d in range(offsets.size - 1):
            lo, hi = offsets[d], offsets[d + 1]
            for j in range(a.size):
                aj, bj = a[j], b[j]
                m = mask32
                for k in range(lo, hi):
                    x = hv[k] * aj + bj
                    x = (x & p61) + (x >> s61)
                    # x mod p, branch-free: x is in [0, p + 7] here.
                    x = (x + ((x + one) >> s61)) & p61
                    m = min(m, x & mask32)
                out[d, j] = min(out[d, j], np.uint32(m))

    return kernel  # type: ignore[no-any-return]
