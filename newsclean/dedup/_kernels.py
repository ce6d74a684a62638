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


@lru_cache(maxsize=1)
def legacy_kernel() -> Callable[..., Any] | None:
    """The compiled kernel, or None when numba is not installed."""
    try:
        from newsclean.dedup._numba_minhash import legacy_minhash
    except ImportError:
        return None
    return legacy_minhash  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def shingle_kernel() -> Callable[..., Any] | None:
    """The compiled shingle hasher, or None when numba is not installed."""
    try:
        from newsclean.dedup._numba_minhash import shingle_hashes
    except ImportError:
        return None
    return shingle_hashes  # type: ignore[no-any-return]
