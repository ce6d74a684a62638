"""Compiled kernels, loaded lazily (numba is a dependency wherever it has wheels).

numpy spends most of a signature on temporaries: eight passes over a
(shingles x num_perm) uint64 matrix, and per-text array set-up while hashing
shingles.  With numba installed the same arithmetic runs as fused loops over a
whole batch.  Results are identical (tested); without numba the numpy paths run.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import cache
from importlib import import_module
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


@cache
def _compiled(name: str) -> Callable[..., Any] | None:
    """``name`` from the numba module, or None when numba is not installed."""
    try:
        module = import_module("newsclean.dedup._numba_minhash")
    except ImportError:
        return None
    return getattr(module, name)  # type: ignore[no-any-return]


def legacy_kernel() -> Callable[..., Any] | None:
    """The compiled permutation kernel, or None when numba is not installed."""
    return _compiled("legacy_minhash")


def shingle_kernel() -> Callable[..., Any] | None:
    """The compiled batch shingle hasher, or None when numba is not installed."""
    return _compiled("shingle_batch")


def oph_kernel() -> Callable[..., Any] | None:
    """The compiled one-permutation-hashing kernel, or None when numba is not installed."""
    return _compiled("oph_minhash")


def unique_kernel() -> Callable[..., Any] | None:
    """The compiled distinct-count per segment, or None when numba is not installed."""
    return _compiled("unique_sizes")
