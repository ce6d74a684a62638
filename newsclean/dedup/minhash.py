"""MinHash signatures, datasketch-compatible, with all permutations as array operations.

The permutations are datasketch's "legacy" scheme (the only one before
datasketch 2.0, and still supported there): ``a, b`` drawn from
``np.random.RandomState(seed)`` over the Mersenne prime ``2**61 - 1`` and a
value ``((a * h + b) mod 2**64) mod (2**61 - 1)`` masked to 32 bits.  A row of
:func:`signatures` therefore equals ``datasketch.MinHash(num_perm, seed,
hashfunc=newsclean.dedup.shingles.hashfunc, scheme="legacy")`` fed the same
shingles, and converts to a ``LeanMinHash`` (:func:`to_datasketch`).

Speed: the shingle hashes of a batch of documents are concatenated, permuted
in cache-sized chunks (shingles x num_perm), and reduced per document with
``np.minimum.reduceat``.  The modulo by the Mersenne prime is done with a shift
and a mask instead of numpy's slow 64-bit ``%``.
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
from newsclean.dedup._kernels import legacy_kernel
from newsclean.dedup.shingles import HASH_SCHEME, many_shingle_hashes
from newsclean.errors import IndexMismatchError

MERSENNE = np.uint64((1 << 61) - 1)
MAX_HASH = np.uint32((1 << 32) - 1)
PERMUTATION_SCHEME = "datasketch-legacy"
# Rows of the (shingles x num_perm) work matrix per chunk: 2048 x 128 x 8 bytes
# is 2 MB, which stays in cache on this kind of machine.
_CHUNK_ELEMENTS = 1 << 18
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
    """``x = ((hv * a + b) mod p) & 0xFFFFFFFF`` for every (shingle, permutation).

    ``x`` and ``hi`` are preallocated (len(hv) x num_perm) buffers: fresh
    megabyte-sized arrays per chunk cost more in page faults than the arithmetic.
    """
    np.multiply(hv[:, None], a[None, :], out=x)  # wraps mod 2**64, as datasketch's does
    x += b
    np.right_shift(x, np.uint64(61), out=hi)
    x &= MERSENNE
    x += hi  # x mod p, unless x landed in [p, p + 7]
    over = x >= MERSENNE
    if over.any():  # about once in 2**58 values; stay exact anyway
        x[over] -= MERSENNE
    x &= np.uint64(MAX_HASH)


def minhash_rows(hashes: Sequence[np.ndarray], params: Params, compiled: bool = True) -> np.ndarray:
    """Signatures (uint32, len(hashes) x num_perm) of documents given their shingle hashes."""
    a, b = permutations(params.num_perm, params.seed)
    out = np.full((len(hashes), params.num_perm), MAX_HASH, dtype=np.uint32)
    if not hashes:
        return out
    sizes = np.fromiter((h.size for h in hashes), dtype=np.int64, count=len(hashes))
    offsets = np.concatenate(([0], np.cumsum(sizes)))
    total = int(offsets[-1])
    if total == 0:
        return out
    hv = np.concatenate(hashes)
    # numba costs about a second to load; worth it only for a batch.
    kernel = legacy_kernel() if compiled and total >= _COMPILED_MIN_SHINGLES else None
    if kernel is not None:
        kernel(hv, offsets, a, b, out)
        return out
    rows = max(1, min(total, _CHUNK_ELEMENTS // params.num_perm))
    xbuf = np.empty((rows, params.num_perm), dtype=np.uint64)
    hibuf = np.empty_like(xbuf)
    for k in range(0, total, rows):
        n = min(rows, total - k)
        x = xbuf[:n]
        _permute_into(hv[k : k + n], a, b, x, hibuf[:n])
        # Documents (segments of hv) that start inside this chunk, plus the
        # one that started before it and runs into it.
        inner = offsets[1:-1][(offsets[1:-1] > k) & (offsets[1:-1] < k + n)]
        starts = np.unique(np.concatenate(([k], inner)))
        docs = np.searchsorted(offsets, starts, side="right") - 1
        part = np.minimum.reduceat(x, starts - k, axis=0).astype(np.uint32)
        out[docs] = np.minimum(out[docs], part)
    return out


def doc_hashes(texts: Sequence[str], params: Params) -> list[np.ndarray]:
    return many_shingle_hashes(texts, params.char_ngram, params.word_ngram)


def signatures(texts: Sequence[str], config: Config) -> np.ndarray:
    """uint64 (datasketch's dtype) signatures of ``texts``; all 2**32-1 for an empty text."""
    params = Params.from_config(config)
    return minhash_rows(doc_hashes(texts, params), params).astype(np.uint64)


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
