"""MinHash signatures, datasketch-compatible, with all permutations as array operations.

The permutations are datasketch's "legacy" scheme (the only one before
datasketch 2.0, and still supported there): ``a, b`` drawn from
``np.random.RandomState(seed)`` over the Mersenne prime ``2**61 - 1`` and a
value ``((a * h + b) mod 2**64) mod (2**61 - 1)`` masked to 32 bits.  A row of
:func:`signatures` therefore equals ``datasketch.MinHash(num_perm, seed,
hashfunc=newsclean.dedup.shingles.hashfunc, scheme="legacy")`` fed the same
shingles, and converts to a ``LeanMinHash`` (:func:`to_datasketch`).

Speed: a batch's shingle hashes live in one array with per-document offsets
(:func:`newsclean.dedup.shingles.hash_batch`).  With numba (``[fast]``) one
compiled loop applies all permutations (:mod:`newsclean.dedup._numba_minhash`);
without it, numpy permutes cache-sized (num_perm x shingles) chunks and reduces
each document with ``np.minimum.reduceat``.  The modulo by the Mersenne prime
is a shift and a mask instead of 64-bit ``%``, on both paths; numpy even skips
the mask and the final correction (:func:`_lazy_permute_into`), and signs the
rare document where that could matter again, exactly.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from newsclean.config import Config
from newsclean.dedup import _kernels
from newsclean.dedup.shingles import (
    DOCUMENT_SHINGLING,
    HASH_SCHEME,
    RUN_MIN,
    SHINGLING,
    hash_batch,
    many_shingle_hashes,
    mix64,
)
from newsclean.errors import IndexMismatchError

MERSENNE = np.uint64((1 << 61) - 1)
MAX_HASH = np.uint32((1 << 32) - 1)
#: The exact algorithm behind each ``Config.scheme``; stored with every index.
PERMUTATIONS = {"datasketch": "datasketch-legacy", "oph": "oph-optimal-densification-v1"}
PERMUTATION_SCHEME = PERMUTATIONS["datasketch"]
#: What an index or signature file saved before a field existed was made with.
LEGACY = {"scheme": "datasketch", "shingling": DOCUMENT_SHINGLING}
_M64 = (1 << 64) - 1
# Elements of the (permutations x shingles) work block of the numpy path: 64K x
# 8 bytes is 512 KB, which stays in L2; 2 MB blocks measured 1.6x slower.
_CHUNK_ELEMENTS = 1 << 16
_CHUNK_SHINGLES = 1 << 13
# A block minimum (of permuted value + 1) below this may be inexact: see _lazy_permute_into.
_LAZY_EXACT_FROM = 8
# Index of the low 32-bit word of a uint64 in a uint32 view of it.
_LOW_WORD = 0 if sys.byteorder == "little" else 1
# Use the compiled kernel (if installed) from this many shingles per call.
_COMPILED_MIN_SHINGLES = 50_000


@dataclass(frozen=True)
class Params:
    """Everything a signature depends on; saved with every index and checked on load."""

    num_perm: int
    seed: int
    char_ngram: int
    word_ngram: int
    hash: str = HASH_SCHEME
    permutation: str = PERMUTATION_SCHEME
    scheme: str = "datasketch"
    shingling: str = SHINGLING

    @classmethod
    def from_config(cls, config: Config) -> Params:
        return cls(
            config.num_perm,
            config.seed,
            config.char_ngram,
            config.word_ngram,
            permutation=PERMUTATIONS[config.scheme],
            scheme=config.scheme,
        )

    @property
    def run_min(self) -> int:
        """The shingle segmentation's ``run_min`` (0: one segment per document)."""
        return 0 if self.shingling == DOCUMENT_SHINGLING else RUN_MIN

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def check(self, saved: dict[str, Any], where: str = "index") -> None:
        """Raise IndexMismatchError when ``saved`` was made with other parameters."""
        check_saved(
            {**LEGACY, **saved},
            self.to_dict(),
            f"the {where} was built with other signature parameters",
            "rebuild it",
        )


def check_saved(saved: dict[str, Any], mine: dict[str, Any], what: str, remedy: str) -> None:
    """Raise IndexMismatchError naming every parameter where ``saved`` differs from ``mine``."""
    diff = {k: (saved.get(k), v) for k, v in mine.items() if saved.get(k) != v}
    if diff:
        detail = ", ".join(f"{k}: saved {s!r}, now {n!r}" for k, (s, n) in diff.items())
        raise IndexMismatchError(f"{what} ({detail}); open it with the same Config, or {remedy}")


@lru_cache(maxsize=16)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's legacy ``(a, b)``: the same draws from the same generator."""
    gen = np.random.RandomState(seed)
    ab = np.array(
        [
            (
                gen.randint(1, MERSENNE, dtype=np.uint64),
                gen.randint(0, MERSENNE, dtype=np.uint64),
            )
            for _ in range(num_perm)
        ],
        dtype=np.uint64,
    ).T
    a, b = ab[0].copy(), ab[1].copy()
    a.flags.writeable = False
    b.flags.writeable = False
    return a, b


def _permute_into(
    hv: np.ndarray, a: np.ndarray, b: np.ndarray, x: np.ndarray, hi: np.ndarray
) -> None:
    """``x = ((a * hv + b) mod p) & 0xFFFFFFFF`` for every (permutation, shingle).

    ``a`` and ``b`` are columns (permutations x 1), ``hv`` a row; ``x`` and
    ``hi`` are preallocated (permutations x shingles) buffers: fresh megabyte-sized arrays per
    chunk cost more in page faults than the arithmetic.
    """
    np.multiply(a, hv, out=x)  # wraps mod 2**64, as datasketch's does
    x += b
    np.right_shift(x, np.uint64(61), out=hi)
    x &= MERSENNE
    x += hi  # x mod p, unless x landed in [p, p + 7]
    # About once in 2**58 values; stay exact anyway.  A max is one fast
    # reduction, where an elementwise compare writes a whole boolean matrix.
    if x.max() >= MERSENNE:
        x[x >= MERSENNE] -= MERSENNE
    x &= np.uint64(MAX_HASH)


def minhash_rows(hashes: Sequence[np.ndarray], params: Params, compiled: bool = True) -> np.ndarray:
    """Signatures (uint32, len(hashes) x num_perm) of documents given their shingle hashes."""
    offsets = np.zeros(len(hashes) + 1, dtype=np.int64)
    sizes = np.fromiter((h.size for h in hashes), dtype=np.int64, count=len(hashes))
    np.cumsum(sizes, out=offsets[1:])
    hv = np.concatenate(hashes) if hashes else np.zeros(0, dtype=np.uint64)
    return minhash_packed(hv.astype(np.uint64, copy=False), offsets, params, compiled)


def minhash_packed(
    hv: np.ndarray, offsets: np.ndarray, params: Params, compiled: bool = True
) -> np.ndarray:
    """Signatures (uint32) of the documents ``hv[offsets[d]:offsets[d+1]]`` (uint64 hashes)."""
    if params.scheme == "oph":
        return oph_packed(hv, offsets, params, compiled)
    a, b = permutations(params.num_perm, params.seed)
    out = np.full((offsets.size - 1, params.num_perm), MAX_HASH, dtype=np.uint32)
    total = int(offsets[-1]) if offsets.size else 0
    if total == 0:
        return out
    # numba costs about a second to load: worth it for a batch, or once it is loaded.
    big = total >= _COMPILED_MIN_SHINGLES or _kernels.loaded()
    kernel = _kernels.legacy_kernel() if compiled and big else None
    if kernel is not None:
        kernel(hv, offsets, a, b, out)
        return out
    # numpy: blocks of (a few permutations x many shingles), so that each
    # document's shingles are a contiguous run of a row (reduceat along rows
    # measured 7x slower) and the block stays in L2.  8 x 8192 measured 1.6x
    # faster than 128 x 512: fewer blocks, so less per-block bookkeeping.
    cols = min(total, _CHUNK_SHINGLES)
    rows = min(params.num_perm, max(1, _CHUNK_ELEMENTS // cols))
    xbuf = np.empty(rows * cols, dtype=np.uint64)
    hibuf = np.empty_like(xbuf)
    b1 = b + np.uint64(1)  # b < p: no wraparound
    inner = offsets[1:-1]
    redo: list[np.ndarray] = []
    for k in range(0, total, cols):
        n = min(cols, total - k)
        # Documents (segments of hv) that start inside this block, plus the
        # one that started before it and runs into it.
        starts = np.union1d([k], inner[(inner > k) & (inner < k + n)])
        docs = np.searchsorted(offsets, starts, side="right") - 1
        h = hv[None, k : k + n]
        # Minima of this block (permutations x its documents), filled a few
        # permutations at a time and merged into ``out`` once per block: the
        # per-call overhead of small fancy-indexed updates was a sixth of the time.
        part = np.empty((params.num_perm, starts.size), dtype=np.uint32)
        for p in range(0, params.num_perm, rows):
            q = min(params.num_perm, p + rows)
            x = xbuf[: (q - p) * n].reshape(q - p, n)
            _lazy_permute_into(h, a[p:q, None], b1[p:q, None], x, hibuf[: x.size].reshape(x.shape))
            # The low 32 bits of each value: a strided uint32 view (little-endian
            # words, low first), reduced directly rather than masked and copied.
            low = x.view(np.uint32)[:, _LOW_WORD::2]
            np.minimum.reduceat(low, starts - k, axis=1, out=part[p:q])
        if part.min() < _LAZY_EXACT_FROM:
            redo.append(docs[(part < _LAZY_EXACT_FROM).any(axis=0)])
        part -= np.uint32(1)
        out[docs] = np.minimum(out[docs], part.T)
    # Each value falls below 8 with probability 2**-29, so about one document
    # in 2,000 (2,000 shingles x 128 permutations) is signed again, exactly.
    if redo:
        for d in np.unique(np.concatenate(redo)).tolist():
            out[d] = _exact_row(hv[offsets[d] : offsets[d + 1]], a, b)
    return out


def _lazy_permute_into(
    hv: np.ndarray, a: np.ndarray, b1: np.ndarray, x: np.ndarray, hi: np.ndarray
) -> None:
    """``x``'s low 32 bits = 1 + the permuted value, except where that value is below 8.

    The exact value is ``v = ((a*hv + b) mod 2**64) mod p``, low 32 bits.
    With ``x = a*hv + b + 1`` (``b1 = b + 1``, wrapping), the low 32 bits of
    ``x + (x >> 61)`` are ``v + 1`` (mod 2**32) for every input except those
    whose ``(x & p) + (x >> 61)`` lands in ``[p, p + 7]`` (or whose ``+ 1``
    carries into bit 61), where ``v`` is 0..7 and the low word is below 8.
    So a minimum of 8 or more over any set of shingles is exactly
    ``min(v) + 1``; a minimum below 8 (an exception, or ``v = 2**32 - 1``
    wrapping to 0) sends its document to :func:`_exact_row`.
    Four passes, where the exact reduction (:func:`_permute_into`) takes seven.
    """
    np.multiply(a, hv, out=x)  # wraps mod 2**64, as datasketch's does
    x += b1
    np.right_shift(x, np.uint64(61), out=hi)
    x += hi  # low 32 bits: those of ((x & p) + (x >> 61)), the bits above do not matter


def _exact_row(h: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The signature of one document (shingle hashes ``h``) with the exact reduction."""
    row = np.full(a.size, MAX_HASH, dtype=np.uint32)
    step = max(1, _CHUNK_ELEMENTS // a.size)
    x = np.empty((a.size, step), dtype=np.uint64)
    hi = np.empty_like(x)
    for k in range(0, h.size, step):
        part = h[None, k : k + step]
        xs, his = x[:, : part.size], hi[:, : part.size]
        _permute_into(part, a[:, None], b[:, None], xs, his)
        np.minimum(row, xs.min(axis=1).astype(np.uint32), out=row)
    return row


# --- one permutation hashing ---------------------------------------------------
#
# ``scheme="oph"``: each shingle hash is mixed once (splitmix64, salted by the
# seed); its high 32 bits pick one of num_perm bins and its low 32 bits are
# the value; a bin keeps its smallest value.  One hash per shingle instead of
# num_perm, so signing costs about what shingling costs.  Empty bins are filled
# by optimal densification (Shrivastava, ICML 2017): empty bin j copies bin
# t = h(j, attempt) for attempt = 1, 2, ... until t is a filled bin.  The
# sequence depends on (j, attempt) only, so two documents agree on bin j with
# probability equal to their Jaccard similarity, as with k permutations: the
# same estimator, LSH and verification apply unchanged.

_OPH_VALUE = 0x8D9C2B6F1E3A4C57  # salts: any odd constants, fixed forever (persisted)
_OPH_DENSIFY = 0x5851F42D4C957F2D
_G1 = 0x9E3779B97F4A7C15
_G2 = 0xC2B2AE3D27D4EB4F


@lru_cache(maxsize=16)
def oph_salts(seed: int) -> tuple[np.uint64, np.uint64]:
    """The value salt and the densification salt of ``seed``."""
    z = np.array([(seed * _G1 + _OPH_VALUE) & _M64, (seed * _G2 + _OPH_DENSIFY) & _M64])
    value, densify = mix64(z.astype(np.uint64)).tolist()
    return np.uint64(value), np.uint64(densify)


def _bin_of(z: np.ndarray, num_perm: int) -> np.ndarray:
    """Bin of a mixed 64-bit hash: its high 32 bits scaled to [0, num_perm)."""
    return (((z >> np.uint64(32)) * np.uint64(num_perm)) >> np.uint64(32)).astype(np.int64)


def densify_bins(
    empty_bins: np.ndarray, attempt: int, num_perm: int, salt: np.uint64
) -> np.ndarray:
    """The bin each of ``empty_bins`` tries to copy at ``attempt`` (1, 2, ...)."""
    z = empty_bins.astype(np.uint64) * np.uint64(_G1)
    z += np.uint64(attempt * _G2 & _M64)
    z += salt
    return _bin_of(mix64(z), num_perm)


def oph_packed(
    hv: np.ndarray, offsets: np.ndarray, params: Params, compiled: bool = True
) -> np.ndarray:
    """``scheme="oph"`` signatures (uint32) of the documents ``hv[offsets[d]:offsets[d+1]]``.

    An empty document keeps every bin at 2**32-1, as with the default scheme.
    """
    k = params.num_perm
    n = offsets.size - 1
    out = np.full((n, k), MAX_HASH, dtype=np.uint32)
    if n == 0 or int(offsets[-1]) == 0:
        return out
    salt, dsalt = oph_salts(params.seed)
    big = int(offsets[-1]) >= _COMPILED_MIN_SHINGLES or _kernels.loaded()
    kernel = _kernels.oph_kernel() if compiled and big else None
    if kernel is not None:
        kernel(hv, offsets, salt, dsalt, out)
        return out
    g = mix64(hv.astype(np.uint64) + salt)
    doc = np.repeat(np.arange(n, dtype=np.int64), np.diff(offsets))
    flat = doc * k + _bin_of(g, k)
    g &= np.uint64(MAX_HASH)
    np.minimum.at(out.reshape(-1), flat, g.astype(np.uint32))
    filled = np.zeros((n, k), dtype=bool)
    filled.reshape(-1)[flat] = True
    rows, cols = np.nonzero(~filled & (np.diff(offsets) > 0)[:, None])
    attempt = 1
    while rows.size:  # vectorized over every empty bin of the batch
        t = densify_bins(cols, attempt, k, dsalt)
        hit = filled[rows, t]
        out[rows[hit], cols[hit]] = out[rows[hit], t[hit]]
        rows, cols = rows[~hit], cols[~hit]
        attempt += 1
    return out


def set_sizes(hv: np.ndarray, offsets: np.ndarray, compiled: bool = True) -> np.ndarray:
    """Distinct shingle hashes per document (int32), the size the containment rule uses."""
    out = np.zeros(offsets.size - 1, dtype=np.int32)
    big = offsets.size > _kernels.COMPILED_MIN_TEXTS or _kernels.loaded()
    kernel = _kernels.unique_kernel() if compiled and big else None
    if kernel is not None:
        kernel(hv, offsets, out)
        return out
    for d in range(out.size):
        out[d] = sorted_unique(hv[offsets[d] : offsets[d + 1]]).size
    return out


def sorted_unique(h: np.ndarray) -> np.ndarray:
    """The sorted distinct values of one document's shingle hashes, as uint32.

    Sort and mask rather than ``np.unique``, which measured 15x slower on
    1,600 hashes (numpy 2.4).
    """
    s = np.sort(h)
    if s.size > 1:
        keep = np.empty(s.size, dtype=bool)
        keep[0] = True
        np.not_equal(s[1:], s[:-1], out=keep[1:])
        s = s[keep]
    return s.astype(np.uint32)


def sketch_batch(
    texts: Sequence[str], params: Params, keep_sets: list[np.ndarray] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """uint32 signatures and shingle-set sizes of one batch of texts.

    With ``keep_sets`` (a list), each text's sorted unique shingle hashes
    (:func:`sorted_unique`) are appended to it, for exact verification.
    """
    hv, offsets = hash_batch(texts, params.char_ngram, params.word_ngram, run_min=params.run_min)
    sigs = minhash_packed(hv, offsets, params)
    if keep_sets is None:
        return sigs, set_sizes(hv, offsets)
    sets = [sorted_unique(hv[offsets[d] : offsets[d + 1]]) for d in range(len(texts))]
    keep_sets.extend(sets)
    return sigs, np.fromiter((u.size for u in sets), dtype=np.int32, count=len(sets))


#: Documents from which ``newsclean run`` loads the kernels before forking its
#: workers (which sign one text at a time, below the sizes at which the signing
#: code loads numba by itself).  Loading them from numba's warm cache costs about
#: 0.5 CPU-seconds; they save 1.0 ms per 2,000-character Chinese text and 0.5 ms
#: per English one against numpy's single-text path, so they pay for themselves
#: from about 430 Chinese or 930 English documents (README, "Start-up").  A
#: smaller job (one file, the pre-commit hook) never loads numba.
PRELOAD_MIN_DOCS = 1000


def worth_preloading(expected: int | None) -> bool:
    """Whether a job of ``expected`` documents (None: not known up front) loads the kernels.

    >>> worth_preloading(1), worth_preloading(PRELOAD_MIN_DOCS), worth_preloading(None)
    (False, True, True)
    """
    return expected is None or expected >= PRELOAD_MIN_DOCS


def preload(config: Config | None = None) -> bool:
    """Load the compiled kernels now, so that even single texts use them; False without numba.

    For a process that will sign texts one at a time: a crawler's
    ``Deduplicator``, or a pipeline's parent before it forks its workers.
    Signatures are the same either way; only the speed differs.
    """
    if _kernels.legacy_kernel() is None or _kernels.shingle_kernel() is None:
        return False
    _kernels.unique_kernel()
    _kernels.oph_kernel()
    # One real call per kernel, with the argument types of real calls (numba
    # compiles, or reads from its cache, one version per type signature).  The
    # second text needs unicodedata (ß), so the prefolded variant loads too.
    sketch_batch(["预热 warm-up text, 预热", "Straße"], Params.from_config(config or Config()))
    return True


def doc_hashes(texts: Sequence[str], params: Params) -> list[np.ndarray]:
    return many_shingle_hashes(texts, params.char_ngram, params.word_ngram, run_min=params.run_min)


def signatures(texts: Sequence[str], config: Config) -> np.ndarray:
    """uint64 (datasketch's dtype) signatures of ``texts``; all 2**32-1 for an empty text."""
    params = Params.from_config(config)
    hv, offsets = hash_batch(texts, params.char_ngram, params.word_ngram, run_min=params.run_min)
    return minhash_packed(hv, offsets, params).astype(np.uint64)


def to_datasketch(row: np.ndarray, seed: int = 1) -> Any:
    """A ``datasketch.LeanMinHash`` of one signature row (usable in ``MinHashLSH``).

    Only for the default ``scheme="datasketch"``: an "oph" row estimates the
    same similarity but is not a datasketch permutation signature.
    """
    from datasketch import LeanMinHash

    return LeanMinHash(seed=seed, hashvalues=np.asarray(row, dtype=np.uint64), scheme="legacy")


def save_signatures(path: str | Path, sigs: np.ndarray, config: Config) -> None:
    """Save signatures with the parameters they were made with (``.npz``)."""
    params = json.dumps(Params.from_config(config).to_dict(), sort_keys=True)
    with open(path, "wb") as f:  # a file object: np.savez would append ".npz" to a name
        np.savez(f, signatures=np.asarray(sigs), params=np.array(params))


def load_signatures(path: str | Path, config: Config) -> np.ndarray:
    """Signatures saved by :func:`save_signatures`; IndexMismatchError if made otherwise."""
    with np.load(path, allow_pickle=False) as data:
        Params.from_config(config).check(json.loads(str(data["params"])), where="signature file")
        return np.array(data["signatures"])
