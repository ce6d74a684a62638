"""Banded LSH over signature arrays: band keys in sorted numpy arrays, no dicts of sets.

Bands and rows come from datasketch's own optimizer (``_optimal_param``: the
(b, r) with b * r <= num_perm that minimizes the equally weighted areas of
false positives below and false negatives above the threshold), so a
newsclean index and a ``datasketch.MinHashLSH`` with the same threshold band
the same way.

The LSH threshold is lower than the reprint threshold when the containment
check is on: a reprint truncated to 60 % of its original has a Jaccard
similarity near 0.6 and must still become a candidate.  Every candidate is
verified on the full signature afterwards (:mod:`newsclean.dedup.clustering`).

Band keys: one 64-bit hash of the band's r values per (document, band), an
``N x b`` uint64 array.  Candidate pairs are found per band by a stable
argsort: equal keys end up adjacent, in input order.  Each document is paired
with at most ``window`` earlier documents of its bucket (the most recent
ones), which bounds the work on degenerate buckets (boilerplate-only texts)
and is exactly what the streaming index asks its store for.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

#: Most recent same-bucket documents a document is compared with, per band.
WINDOW = 32
_G1 = 0x9E3779B97F4A7C15
_G2 = 0xC2B2AE3D27D4EB4F
_M64 = (1 << 64) - 1


def lsh_threshold(threshold: float, containment: float) -> float:
    """The banding threshold: lower than ``threshold`` when containment is on."""
    return min(threshold, 0.5) if containment > 0 else threshold


@lru_cache(maxsize=64)
def bands_rows(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) for ``threshold``, by datasketch's optimizer."""
    from datasketch.lsh import _optimal_param

    b, r = _optimal_param(threshold, num_perm, 0.5, 0.5)
    return int(b), int(r)


def _mix(z: np.ndarray) -> np.ndarray:
    z ^= z >> np.uint64(33)
    z *= np.uint64(0xFF51AFD7ED558CCD)
    z ^= z >> np.uint64(33)
    z *= np.uint64(0xC4CEB9FE1A85EC53)
    z ^= z >> np.uint64(33)
    return z


def band_keys(sigs: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """``N x bands`` uint64 keys; key (d, i) hashes rows ``i*rows .. i*rows+rows-1`` and i."""
    n = sigs.shape[0]
    keys = np.empty((n, bands), dtype=np.uint64)
    for i in range(bands):  # a loop over bands and rows, vectorized over documents
        acc = np.full(n, (i + 1) * _G2 & _M64, dtype=np.uint64)
        for j in range(rows):
            salt = np.uint64((j + 1) * _G1 & _M64)
            acc = _mix(acc ^ (sigs[:, i * rows + j].astype(np.uint64) + salt))
        keys[:, i] = acc
    return keys


def candidate_pairs(
    keys: np.ndarray, active: np.ndarray | None = None, window: int = WINDOW
) -> tuple[np.ndarray, np.ndarray]:
    """Unique pairs (i, j), i < j, that share a band key; only ``active`` rows take part."""
    n = keys.shape[0]
    idx = np.arange(n) if active is None else np.flatnonzero(active)
    codes = []
    for band in range(keys.shape[1]):
        col = keys[idx, band]
        order = np.argsort(col, kind="stable")
        sk, so = col[order], idx[order]
        for d in range(1, window + 1):
            same = sk[:-d] == sk[d:]
            if not same.any():
                break
            i, j = so[:-d][same], so[d:][same]
            codes.append(i.astype(np.int64) * n + j)
    if not codes:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    uniq = np.unique(np.concatenate(codes))
    return uniq // n, uniq % n
