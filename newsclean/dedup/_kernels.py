"""Optional compiled kernels (``pip install newsclean[fast]``).

numpy spends most of a signature on temporaries: eight passes over a
(shingles x num_perm) uint64 matrix, and per-text array set-up while hashing
shingles.  With numba installed the same arithmetic runs as fused loops over a
whole batch.  Results are identical (tested); without numba the numpy paths run.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import lru_cache
from typing import Any

#: Texts per call from which the batch kernels are used: numba costs about a
#: second to load, worth it for a batch, not for one text.
COMPILED_MIN_TEXTS = 64


def loaded() -> bool:
    """True once this process has imported the kernels: then even one text uses them.

    The size thresholds only avoid paying numba's load for a one-off call; a
    process that has paid it (a batch, or ``minhash.preload`` in a pipeline's
    parent before forking) signs a single text 5-12x faster compiled.
    """
    return "newsclean.dedup._numba_minhash" in sys.modules


@lru_cache(maxsize=1)
def legacy_kernel() -> Callable[..., Any] | None:
    """The compiled permutation kernel, or None when numba is not installed."""
    try:
        from newsclean.dedup._numba_minhash import legacy_minhash
    except ImportError:
        return None
    return legacy_minhash  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def shingle_kernel() -> Callable[..., Any] | None:
    """The compiled batch shingle hasher, or None when numba is not installed."""
    try:
        from newsclean.dedup._numba_minhash import shingle_batch
    except ImportError:
        return None
    return shingle_batch  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def unique_kernel() -> Callable[..., Any] | None:
    """The compiled distinct-count per segment, or None when numba is not installed."""
    try:
        from newsclean.dedup._numba_minhash import unique_sizes
    except ImportError:
        return None
    return unique_sizes  # type: ignore[no-any-return]
