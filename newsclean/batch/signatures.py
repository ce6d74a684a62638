"""The parent's signatures: one numpy row per input document, not one object each.

Workers send a :class:`~newsclean.batch.records.Sketch` (base64 of the row,
about 750 bytes as a Python string plus its object); held per document until
clustering, with the list of rows and the stacked copy clustering made of
them, that was about 2 KB per document in the parent.  Here each row is
decoded on arrival into fixed-size blocks of a uint32 matrix (512 bytes per
document at 128 permutations), and handed to clustering block by block,
each block freed once copied, so the peak holds the rows about once.
"""

from __future__ import annotations

import numpy as np

from newsclean.batch.records import Sketch

#: Rows per block: blocks are allocated as documents arrive, so a batch of
#: a few documents does not reserve the matrix of a million.
_BLOCK = 1 << 15


class SignatureTable:
    """MinHash rows and shingle counts by input position (the index of a document in the batch)."""

    def __init__(self) -> None:
        self._blocks: list[np.ndarray | None] = []
        self._sizes: list[np.ndarray | None] = []
        self._have: list[np.ndarray | None] = []
        self._dtype: np.dtype | None = None
        self._width = 0

    def put(self, i: int, sketch: Sketch | None) -> None:
        """Keep ``sketch`` as document ``i``'s row (None: the document has none)."""
        if sketch is None:
            return
        row = sketch.row()
        if self._dtype is None:
            self._dtype, self._width = row.dtype, row.size
        if row.dtype != self._dtype or row.size != self._width:
            return  # signed under other settings: clustering signs it again
        b, k = divmod(i, _BLOCK)
        while len(self._blocks) <= b:
            self._blocks.append(np.zeros((_BLOCK, self._width), dtype=self._dtype))
            self._sizes.append(np.zeros(_BLOCK, dtype=np.int32))
            self._have.append(np.zeros(_BLOCK, dtype=bool))
        block, sizes, have = self._blocks[b], self._sizes[b], self._have[b]
        assert block is not None and sizes is not None and have is not None  # not yet taken
        block[k] = row
        sizes[k] = sketch.size
        have[k] = True

    def take(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """(rows, sizes, found) of the documents at ``positions`` (ascending), and free the table.

        Rows of documents without a signature are zeros with ``found`` False.
        None when no document was signed.  The table is empty afterwards: each
        block is freed as soon as its rows are copied.
        """
        if self._dtype is None:
            return None
        n = positions.size
        rows = np.zeros((n, self._width), dtype=self._dtype)
        sizes = np.zeros(n, dtype=np.int32)
        found = np.zeros(n, dtype=bool)
        block_of = positions // _BLOCK
        for b in range(len(self._blocks)):
            lo, hi = np.searchsorted(block_of, [b, b + 1])
            block, bsizes, have = self._blocks[b], self._sizes[b], self._have[b]
            self._blocks[b] = self._sizes[b] = self._have[b] = None
            if hi > lo:
                assert block is not None and bsizes is not None and have is not None
                k = positions[lo:hi] - b * _BLOCK
                rows[lo:hi], sizes[lo:hi], found[lo:hi] = block[k], bsizes[k], have[k]
        self._blocks, self._sizes, self._have = [], [], []
        self._dtype = None
        return rows, sizes, found
