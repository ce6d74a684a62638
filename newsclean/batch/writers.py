"""Phase 3: the clean documents, ``manifest.jsonl`` and ``report.html``.

Every file is written to a temporary name and renamed (:func:`atomic_write`),
and every name is a function of the batch's documents alone, so a resumed run
writes the same bytes as an uninterrupted one.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable
from pathlib import Path

from newsclean.batch.options import RunOptions
from newsclean.batch.records import Outcome
from newsclean.batch.summary import Summary
from newsclean.config import Config
from newsclean.io import atomic_write
from newsclean.io.atomic import atomic_writer
from newsclean.io.formats import strip_suffixes
from newsclean.io.journal import dumps_line


def mirror_names(outcomes: Iterable[Outcome]) -> dict[str, str]:
    """Output path of every document in the mirror layout, unique and deterministic.

    ``a/b.html`` -> ``a/b.txt``; the N-th record of ``a/c.jsonl`` (JSONL line,
    JSON list item, WARC record) -> ``a/c.jsonl.d/00000N.txt``.  A ``.txt``
    input keeps its own name.  When a name is taken (``b.txt`` next to
    ``b.html``; a real ``c.jsonl.d/000001.txt`` next to ``c.jsonl``), the
    document keeps its whole input name (``b.html.txt``), and when that is
    taken too, it gets ``~2``, ``~3`` ... before ``.txt``.  Names are given to
    every document, written or not, in input order, so they depend on the
    inputs only, never on a run's outcome.
    """
    docs = [o.doc for o in outcomes]
    names: dict[str, str] = {}
    for d in docs:  # .txt inputs first: their natural name is their own
        if d.record is None and d.rel.endswith(".txt"):
            names[d.key] = d.rel
    used = set(names.values())
    for d in docs:
        if d.key in names:
            continue
        if d.record is not None:
            stem = f"{d.rel}.d/{d.record:06d}"
            candidates = [stem + ".txt"]
        else:
            stem = d.rel
            candidates = [strip_suffixes(d.rel) + ".txt", d.rel + ".txt"]
        name = next((c for c in candidates if c not in used), None)
        n = 2
        while name is None:
            name = f"{stem}~{n}.txt"
            name = None if name in used else name
            n += 1
        used.add(name)
        names[d.key] = name
    return names


def write_outputs(
    out: Path, outcomes: list[Outcome], opts: RunOptions, cfg: Config, summary: Summary
) -> None:
    """Write the documents, the manifest and the report; drop the previous run's strays."""
    old_outputs = _old_outputs(out)
    written: set[str] = set()
    wanted = [
        o
        for o in outcomes
        if o.has_article
        and (o.status == "ok" or (o.status == "duplicate" and opts.keep_duplicates))
    ]
    if opts.layout == "mirror":
        names = mirror_names(outcomes)
        for o in wanted:
            art = o.load_article()  # one at a time: read again from the journal
            assert art is not None
            o.output = names[o.doc.key]
            atomic_write(out / o.output, _utf8(art.text + "\n"))
            written.add(o.output)
    else:
        for start in range(0, max(len(wanted), 1), opts.shard_size):
            shard = wanted[start : start + opts.shard_size]
            if not shard and start:
                break
            name = f"data/part-{start // opts.shard_size:05d}.jsonl.gz"
            lines = []
            for o in shard:
                art = o.load_article()
                assert art is not None
                o.output = name
                rec = art.to_record(id=o.doc.id, source_path=o.doc.path, cluster=o.cluster)
                lines.append(dumps_line(rec))
            atomic_write(out / name, gzip.compress("".join(lines).encode("utf-8"), mtime=0))
            written.add(name)
    # Line by line: joined, a million documents' manifest was ~0.5 GB held at once.
    with atomic_writer(out / "manifest.jsonl") as fh:
        for o in outcomes:
            fh.write(dumps_line(o.manifest()).encode("utf-8"))
    for stale in sorted(old_outputs - written):
        target = (out / stale).resolve()
        if out.resolve() in target.parents and target.is_file():
            target.unlink()

    summary.add(outcomes)
    if opts.report:
        from newsclean.batch.report import render_report

        atomic_write(out / "report.html", render_report(summary, cfg).encode("utf-8"))


def _utf8(text: str) -> bytes:
    # A lone surrogate in a JSONL text field survives cleaning; it cannot be UTF-8.
    return text.encode("utf-8", "backslashreplace")


def _old_outputs(out: Path) -> set[str]:
    """Outputs the previous run in OUT wrote (so files that no longer belong go away)."""
    path = out / "manifest.jsonl"
    found: set[str] = set()
    if not path.exists():
        return found
    for line in path.read_text("utf-8").splitlines():
        try:
            name = json.loads(line).get("output")
        except ValueError:
            continue
        if isinstance(name, str):
            found.add(name)
    return found
