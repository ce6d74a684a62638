"""The parent's per-document ledger: columns by position, outcomes made from them."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

from newsclean.batch import RunOptions, run_batch
from newsclean.batch.ledger import Ledger
from newsclean.batch.records import Brief, Result
from newsclean.io import Document, Source
from newsclean.io import journal as journal_file
from newsclean.io.readers import describe


def test_outcomes_are_made_from_sources_and_documents_in_input_order(tmp_path: Path) -> None:
    ledger = Ledger()
    a = Source("in/x/a.html", "x/a.html", "x")
    b = Document("x/a.jsonl:1", "in/x/a.jsonl:1", "x/a.jsonl", 1, "x/a", "x/a.jsonl",
                 raw="text", kind="text", sha256="ab" * 32)  # fmt: skip
    c = Source("in/x/a.txt", "x/a.txt", "x")  # the same id as a's: made unique
    assert [ledger.add(d) for d in (a, b, c)] == [0, 1, 2]
    ledger.set_sha256(0, hashlib.sha256(b"a").hexdigest())
    ledger.set_sha256(2, None)  # a file its worker could not read
    brief = Brief(None, "2024-01-02", ("boilerplate",), (12,))
    ledger.answer(0, Result("ok"), 100, brief)
    ledger.answer(1, Result("ok"))
    ledger.answer(2, Result.error("unreadable", "gone"))
    assert ledger.answered == 3
    (tmp_path / "j").write_bytes(b"")
    reader = journal_file.Reader(tmp_path / "j")
    try:
        outcomes = ledger.outcomes(reader)
    finally:
        reader.close()
    assert all(o.doc.sha256 is None for o in outcomes)  # held as digests until the writing
    ledger.add_sha256(outcomes)
    oa, ob, oc = outcomes
    assert oa.doc == dataclasses.replace(describe(a), sha256=hashlib.sha256(b"a").hexdigest())
    assert oa.brief is not None and oa.removed_chars() == {"boilerplate": 12}
    assert oa.source is not None and oa.status == "ok"
    assert ob.doc.raw is None and ob.doc.sha256 == "ab" * 32 and ob.doc.id == "x/a~2"
    assert ob.source is None
    assert oc.doc.sha256 is None and oc.doc.id == "x/a~3" and oc.status == "error"
    assert len(ledger) == 0  # handed over: nothing of it is held twice


def test_the_manifest_keeps_each_input_sha256_as_hex(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    page = b"A first sentence of a story that is long enough to keep.\n\nAnd a second one.\n"
    (src / "a.txt").write_bytes(page)
    line = json.dumps({"id": "r1", "text": page.decode()}) + "\n"
    (src / "b.jsonl").write_text(line + '{"id": "r2"}\n', "utf-8")
    out = tmp_path / "out"
    run_batch([str(src)], out, options=RunOptions(workers=1, progress=False))
    rows = [json.loads(x) for x in (out / "manifest.jsonl").read_text("utf-8").splitlines()]
    m = {r["id"]: r for r in rows}
    assert m["a"]["sha256"] == hashlib.sha256(page).hexdigest()
    assert m["r1"]["sha256"] == hashlib.sha256(line.encode()).hexdigest()  # read here
    assert m["r2"]["status"] == "error"
    assert m["r2"]["sha256"] == hashlib.sha256(b'{"id": "r2"}\n').hexdigest()
