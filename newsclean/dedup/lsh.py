"""Banded LSH over signature arrays: band keys in sorted numpy arrays, no dicts of sets.

Bands and rows come from datasketch's optimizer (``_optimal_param``: the
(b, r) with b * r <= num_perm that minimizes the equally weighted areas of
false positives below and false negatives above the threshold), recomputed
vectorized, so a newsclean index and a ``datasketch.MinHashLSH`` with the same
threshold band the same way.

The LSH threshold is lower than the reprint threshold when the containment
check is on (0.3: 37 bands of 3 rows at 128 permutations): a reprint
truncated to 55 % of its original has a Jaccard similarity near 0.55, which
bands tuned for 0.5 (25 x 5) miss 18 % of the time; with 37 x 3 a pair at
J = 0.45 becomes a candidate with probability 0.97, at 0.55 with 0.999.  Every candidate is
verified on the full signature afterwards (:mod:`newsclean.dedup.clustering`).

Band keys: one 64-bit hash of the band's r values per (document, band), an
``N x b`` uint64 array, mixed with splitmix64's finalizer, the mixer of
:mod:`newsclean.dedup.shingles` (:data:`BAND_HASH`).  Indexes saved before
the band hash was recorded used MurmurHash3's fmix64 (:data:`LEGACY_BAND_HASH`);
they are still read and extended with it.  Candidate pairs are found per band by a stable
argsort: equal keys end up adjacent, in input order.  Each document is paired
with at most ``window`` earlier documents of its bucket (the most recent
ones), which bounds the work on degenerate buckets (boilerplate-only texts)
and is exactly what the streaming index asks its store for.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import numpy as np

from newsclean.dedup.shingles import mix64

#: Most recent same-bucket documents a document is compared with, per band.
WINDOW = 32
#: Pair codes (int64) gathered before they are made unique: bounds the memory
#: of candidate_pairs (8 MB, plus a band) without sorting more often on small batches.
_PENDING_CODES = 1 << 20
_G1 = 0x9E3779B97F4A7C15
_G2 = 0xC2B2AE3D27D4EB4F
_M64 = (1 << 64) - 1
#: Names the band-key mixer; stored with every index.
BAND_HASH = "splitmix64"
#: The mixer of indexes whose metadata has no ``band_hash``.
LEGACY_BAND_HASH = "murmur3-fmix64"


def lsh_threshold(threshold: float, containment: float) -> float:
    """The banding threshold: lower than ``threshold`` when containment is on."""
    return min(threshold, 0.3) if containment > 0 else threshold


@lru_cache(maxsize=64)
def bands_rows(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) for ``threshold``: datasketch's ``_optimal_param(t, n, 0.5, 0.5)``.

    The same objective and the same (b, r) search order, but the two integrals
    are trapezoids on a 2001-point grid for all (b, r) at once instead of one
    ``scipy.integrate.quad`` per pair (0.3 s instead of 2 s); it picks the
    same (b, r) as datasketch for every threshold 0.10, 0.15 ... 0.95 at 64,
    128 and 256 permutations (tested).
    """
    pairs = [(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)]
    b = np.array([p[0] for p in pairs], dtype=np.float64)[:, None]
    r = np.array([p[1] for p in pairs], dtype=np.float64)[:, None]
    below = np.linspace(0.0, threshold, 2001)
    above = np.linspace(threshold, 1.0, 2001)
    trapezoid = getattr(np, "trapezoid", None) or np.trapz  # type: ignore[attr-defined]
    false_pos = trapezoid(1 - (1 - below**r) ** b, below, axis=1)
    false_neg = trapezoid((1 - above**r) ** b, above, axis=1)
    return pairs[int(np.argmin(0.5 * false_pos + 0.5 * false_neg))]


def _fmix64(z: np.ndarray) -> np.ndarray:
    """MurmurHash3's fmix64, in place: the band mixer of legacy indexes only."""
    z ^= z >> np.uint64(33)
    z *= np.uint64(0xFF51AFD7ED558CCD)
    z ^= z >> np.uint64(33)
    z *= np.uint64(0xC4CEB9FE1A85EC53)
    z ^= z >> np.uint64(33)
    return z


#: Documents per band-key step: bounds the uint64 temporaries (about 1 KB per
#: document each) to tens of MB however large the batch.
_KEY_CHUNK = 1 << 16


_MIXERS = {BAND_HASH: mix64, LEGACY_BAND_HASH: _fmix64}


def band_keys(
    sigs: np.ndarray, bands: int, rows: int, band_hash: str = BAND_HASH, first: int = 0
) -> np.ndarray:
    """``N x bands`` uint64 keys; key (d, i) hashes rows ``i*rows .. i*rows+rows-1`` and i.

    ``first``: the keys of bands ``first .. first+bands-1`` only (column k of the
    result is band ``first + k``), the same values as those columns of all bands.
    """
    if band_hash not in _MIXERS:
        raise ValueError(f"band_hash={band_hash!r} must be one of {', '.join(_MIXERS)}")
    mix = _MIXERS[band_hash]
    n = sigs.shape[0]
    out = np.empty((n, bands), dtype=np.uint64)
    seeds = (np.arange(first + 1, first + bands + 1, dtype=np.uint64) * np.uint64(_G2)).astype(
        np.uint64
    )
    sigs = sigs[:, first * rows :]
    salts = [np.uint64((j + 1) * _G1 & _M64) for j in range(rows)]
    for s in range(0, n, _KEY_CHUNK):
        grid = sigs[s : s + _KEY_CHUNK, : bands * rows].reshape(-1, bands, rows)
        acc = out[s : s + _KEY_CHUNK]
        acc[:] = seeds
        tmp = np.empty_like(acc)
        for j in range(rows):  # a loop over rows, vectorized over documents and bands
            np.add(grid[:, :, j], salts[j], out=tmp, dtype=np.uint64, casting="unsafe")
            acc ^= tmp
            mix(acc)
    return out


class LazyBandKeys:
    """:func:`band_keys` of ``sigs``, made one band at a time as
    :func:`candidate_pairs` asks for it: a batch then holds one column of keys
    (8 bytes a document) instead of all of them (``bands`` x 8 bytes, about 300
    MB at a million documents, on top of the signatures) while it clusters."""

    def __init__(self, sigs: np.ndarray, bands: int, rows: int, band_hash: str = BAND_HASH):
        self.sigs, self.rows, self.band_hash = sigs, rows, band_hash
        self.shape = (sigs.shape[0], bands)

    def column(self, band: int) -> np.ndarray:
        return band_keys(self.sigs, 1, self.rows, self.band_hash, first=band)[:, 0]


def candidate_pairs(
    keys: np.ndarray | LazyBandKeys,
    active: np.ndarray | None = None,
    window: int = WINDOW,
    keep: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
    overflow: list[bool] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Unique pairs (i, j), i < j, that share a band key; only ``active`` rows take part.

    ``overflow`` (a list) receives whether some bucket held more than
    ``window + 1`` active rows: when it did not, every pair of rows that share
    a band key was a candidate, so the candidates among any subset of the
    active rows are these pairs restricted to it.

    With ``keep`` (a mask over pairs ``(i, j)``), only the pairs it keeps are
    returned, filtered as they are found: the held pairs are then the kept
    ones, not every candidate.  Candidates grow with how many documents share
    a passage (N² when a corpus reuses a fixed set of paragraphs), kept pairs
    (verified reprints) with the reprints; the result is the same as
    filtering afterwards.
    """
    n = keys.shape[0]
    idx = np.arange(n) if active is None else np.flatnonzero(active)
    uniq = np.zeros(0, dtype=np.int64)
    codes: list[np.ndarray] = []
    pending = 0

    def fold(uniq: np.ndarray, codes: list[np.ndarray]) -> np.ndarray:
        found = np.unique(np.concatenate(codes))
        if keep is not None:
            found = found[~np.isin(found, uniq, assume_unique=True)]  # kept before
            found = found[keep(found // n, found % n)]
        return np.union1d(uniq, found)

    for band in range(keys.shape[1]):
        col = keys.column(band)[idx] if isinstance(keys, LazyBandKeys) else keys[idx, band]
        order = _grouped_order(col)
        sk, so = col[order], idx[order]
        for d in range(1, window + 1):
            same = sk[:-d] == sk[d:]
            if not same.any():
                break
            i, j = so[:-d][same], so[d:][same]
            codes.append(i.astype(np.int64) * n + j)
            pending += codes[-1].size
        else:
            if overflow is not None and bool((sk[: -window - 1] == sk[window + 1 :]).any()):
                overflow.append(True)
        if pending > _PENDING_CODES:
            # In a reprint-heavy batch most pairs recur in every band: all
            # bands' codes held for one unique() cost N x bands x window x 8
            # bytes (400 MB at 24,000 documents); fold them in as they come.
            uniq = fold(uniq, codes)
            codes, pending = [], 0
    if codes:
        uniq = fold(uniq, codes)
    if overflow is not None:
        overflow[:] = [bool(overflow)]
    return uniq // n, uniq % n


def _grouped_order(col: np.ndarray) -> np.ndarray:
    """``np.argsort(col, kind="stable")``: equal keys adjacent, in input order.

    The unstable (SIMD) argsort measured 3x faster than the stable one on 1M
    keys; only the few rows whose key is shared need their order restored.
    """
    order = np.argsort(col)
    sk = col[order]
    tie = sk[1:] == sk[:-1]
    if tie.any():
        shared = np.zeros(order.size, dtype=bool)
        shared[1:] = tie
        shared[:-1] |= tie
        pos = np.flatnonzero(shared)
        # Runs of one key are contiguous and already in key order, so sorting
        # by (key, position) moves rows only within their run.
        order[pos] = order[pos][np.lexsort((order[pos], sk[pos]))]
    return order
