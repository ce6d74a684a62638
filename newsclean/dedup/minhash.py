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
is a shift and a mask instead of 64-bit ``%``, on both paths.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from newsclean.config import Config
from newsclean.dedup import _kernels
from newsclean.dedup.shingles import HASH_SCHEME, hash_batch, many_shingle_hashes
from newsclean.errors import IndexMismatchError

MERSENNE = np.uint64((1 << 61) - 1)
MAX_HASH = np.uint32((1 << 32) - 1)
PERMUTATION_SCHEME = "datasketch-legacy"
# Elements of the (num_perm x shingles) work matrix per chunk: 128 x 512 x 8
# bytes is 512 KB, which stays in L2; 2 MB chunks measured 1.6x slower.
_CHUNK_ELEMENTS = 1 << 16
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

    @classmethod
    def from_config(cls, config: Config) -> Params:
        return cls(config.num_perm, config.seed, config.char_ngram, config.word_ngram)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def check(self, saved: dict[str, Any], where: str = "index") -> None:
        """Raise IndexMismatchError when ``saved`` was made with other parameters."""
        check_saved(
            saved,
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

    ``a`` and ``b`` are columns (num_perm x 1); ``x`` and ``hi`` are
    preallocated (num_perm x len(hv)) buffers: fresh megabyte-sized arrays per
    chunk cost more in page faults than the arithmetic.
    """
    np.multiply(a, hv[None, :], out=x)  # wraps mod 2**64, as datasketch's does
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
    # numpy: permutations x shingles, so that each document's shingles are a
    # contiguous run of columns; reduceat along rows measured 7x slower.
    cols = max(1, min(total, _CHUNK_ELEMENTS // params.num_perm))
    xbuf = np.empty((params.num_perm, cols), dtype=np.uint64)
    hibuf = np.empty_like(xbuf)
    acol, bcol = a[:, None], b[:, None]
    inner = offsets[1:-1]
    outT = out.T  # a view: writes land in out
    for k in range(0, total, cols):
        n = min(cols, total - k)
        x = xbuf[:, :n]
        _permute_into(hv[k : k + n], acol, bcol, x, hibuf[:, :n])
        # Documents (segments of hv) that start inside this chunk, plus the
        # one that started before it and runs into it.
        starts = np.union1d([k], inner[(inner > k) & (inner < k + n)])
        docs = np.searchsorted(offsets, starts, side="right") - 1
        part = np.minimum.reduceat(x, starts - k, axis=1).astype(np.uint32)
        outT[:, docs] = np.minimum(outT[:, docs], part)
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
    hv, offsets = hash_batch(texts, params.char_ngram, params.word_ngram)
    sigs = minhash_packed(hv, offsets, params)
    if keep_sets is None:
        return sigs, set_sizes(hv, offsets)
    sets = [sorted_unique(hv[offsets[d] : offsets[d + 1]]) for d in range(len(texts))]
    keep_sets.extend(sets)
    return sigs, np.fromiter((u.size for u in sets), dtype=np.int32, count=len(sets))


def preload(config: Config | None = None) -> bool:
    """Load the compiled kernels now, so that even single texts use them; False without numba.

    For a process that will sign texts one at a time: a crawler's
    ``Deduplicator``, or a pipeline's parent before it forks its workers.
    Signatures are the same either way; only the speed differs.
    """
    if _kernels.legacy_kernel() is None or _kernels.shingle_kernel() is None:
        return False
    _kernels.unique_kernel()
    # One real call per kernel, with the argument types of real calls (numba
    # compiles, or reads from its cache, one version per type signature).
    sketch_batch(["预热 warm-up text, 预热"], Params.from_config(config or Config()))
    return True


def doc_hashes(texts: Sequence[str], params: Params) -> list[np.ndarray]:
    return many_shingle_hashes(texts, params.char_ngram, params.word_ngram)


def signatures(texts: Sequence[str], config: Config) -> np.ndarray:
    """uint64 (datasketch's dtype) signatures of ``texts``; all 2**32-1 for an empty text."""
    params = Params.from_config(config)
    hv, offsets = hash_batch(texts, params.char_ngram, params.word_ngram)
    return minhash_packed(hv, offsets, params).astype(np.uint64)


def to_datasketch(row: np.ndarray, seed: int = 1) -> Any:
    """A ``datasketch.LeanMinHash`` of one signature row (usable in ``MinHashLSH``)."""
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
