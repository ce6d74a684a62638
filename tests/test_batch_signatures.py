"""The parent's signature table: rows by input position, handed over once."""

from __future__ import annotations

import numpy as np
import pytest

from newsclean.batch import signatures as sig_mod
from newsclean.batch.records import Sketch
from newsclean.batch.signatures import SignatureTable


def test_rows_come_back_by_position_across_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sig_mod, "_BLOCK", 4)  # positions below span three blocks
    rng = np.random.default_rng(1)
    rows = {k: rng.integers(0, 2**32, size=8, dtype=np.uint32) for k in (0, 3, 5, 9, 10)}
    table = SignatureTable()
    for k in (9, 0, 5, 10, 3):  # completion order, not input order
        table.put(k, Sketch.of(rows[k], 100 + k))
    table.put(7, None)  # a document without a signature
    taken = table.take(np.array([0, 1, 5, 7, 10]))
    assert taken is not None
    got, sizes, found = taken
    assert found.tolist() == [True, False, True, False, True]
    assert sizes.tolist() == [100, 0, 105, 0, 110]
    assert got[0].tolist() == rows[0].tolist() and got[2].tolist() == rows[5].tolist()
    assert got[4].tolist() == rows[10].tolist() and not got[1].any()
    assert table.take(np.array([0])) is None  # handed over once: the table is empty


def test_a_row_of_another_shape_is_not_kept() -> None:
    table = SignatureTable()
    table.put(0, Sketch.of(np.arange(8, dtype=np.uint32), 5))
    table.put(1, Sketch.of(np.arange(4, dtype=np.uint32), 5))  # other settings
    taken = table.take(np.array([0, 1]))
    assert taken is not None
    assert taken[2].tolist() == [True, False]


def test_interned_briefs_share_their_reasons_and_keep_no_dict() -> None:
    import pickle

    from newsclean.batch.records import Brief, ReasonTable

    # Names built at run time, as a worker's unpickled brief has them: equal, not shared.
    name = "".join(["boiler", "plate"])
    a, b = (
        pickle.loads(pickle.dumps(Brief(None, "2024-01-02", (name, "nav"), (n, 3))))
        for n in (10, 20)
    )
    assert a.reasons == b.reasons and a.reasons[0] is not b.reasons[0]
    table: ReasonTable = {}
    ia, ib = a.interned(table), b.interned(table)
    assert ia.removed == {"boilerplate": 10, "nav": 3}
    assert ib.removed == {"boilerplate": 20, "nav": 3}
    assert ia.reasons is ib.reasons and ia.date is ib.date  # one tuple and one date for both
    # A batch keeps a brief per document: no dict in it (a small dict was ~230 bytes).
    assert not any(isinstance(getattr(ia, f), dict) for f in Brief.__slots__)
