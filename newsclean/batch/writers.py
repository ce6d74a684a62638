"""Phase 3: the clean documents, ``manifest.jsonl`` and ``report.html``.

Every file is written to a temporary name and renamed (:func:`atomic_write`),
and every name is a function of the batch's documents alone, so a resumed run
writes the same bytes as an uninterrupted one.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsclean.batch.options import RunOptions
from newsclean.batch.records import Outcome
from newsclean.batch.summary import Summary
from newsclean.config import Config
from newsclean.io import atomic_write
from newsclean.io.atomic import atomic_writer
from newsclean.io.formats import strip_suffixes
from newsclean.io.journal import dumps_line
from newsclean.io.names import NAME_MAX, fit_path, name_limit


def mirror_names(outcomes: Sequence[Outcome], limit: int = NAME_MAX) -> list[str]:
    """Output path of every document in the mirror layout, unique and deterministic;
    by position in ``outcomes`` (a dict by key cost ~40 bytes more a document).

    ``a/b.html`` -> ``a/b.txt``; the N-th record of ``a/c.jsonl`` (JSONL line,
    JSON list item, WARC record) -> ``a/c.jsonl.d/00000N.txt``.  A ``.txt``
    input keeps its own name.  When a name is taken (``b.txt`` next to
    ``b.html``; a real ``c.jsonl.d/000001.txt`` next to ``c.jsonl``), the
    document keeps its whole input name (``b.html.txt``), and when that is
    taken too, it gets ``~2``, ``~3`` ... before ``.txt``.  Names are given to
    every document, written or not, in input order, so they depend on the
    inputs only, never on a run's outcome.

    A name is taken when another output has it, or needs it as a folder (a
    document's folder is fixed by its input, so it is the file that is renamed:
    ``x.html`` next to a folder ``x.txt/`` is ``x.html.txt``), or differs from
    either only in case: a corpus copied to macOS or Windows would have one
    overwrite the other.

    A path part over ``limit`` bytes (the file system's longest name) is
    shortened to a readable prefix and a hash of the whole part
    (:func:`newsclean.io.names.fit_path`), before the names are compared: the
    shortened names are unique by the same rule, and as deterministic.
    """
    # Every folder an output needs: its input's folder, or a multi-record input's
    # ``.d`` folder, and their parents; no document's name may be one of them.
    used: set[str] = set()
    for o in outcomes:
        d = o.doc
        folder = f"{d.rel}.d" if d.record is not None else d.rel.rpartition("/")[0]
        folder = fit_path(folder, limit)
        while folder:
            key = _name_key(folder)
            if key in used:
                break  # its parents are in too
            used.add(key)
            folder = folder.rpartition("/")[0]
    # "" until named: .txt inputs first, as their natural name is their own.
    names = [""] * len(outcomes)
    for k, o in enumerate(outcomes):
        d = o.doc
        own = fit_path(d.rel, limit)
        if d.record is None and d.rel.endswith(".txt") and _name_key(own) not in used:
            used.add(_name_key(own))
            names[k] = own
    for k, o in enumerate(outcomes):
        if names[k]:
            continue
        d = o.doc
        if d.record is not None:
            stem = f"{d.rel}.d/{d.record:06d}"
            candidates = [stem + ".txt"]
        else:
            stem = d.rel
            candidates = [strip_suffixes(d.rel) + ".txt", d.rel + ".txt"]
        candidates = [fit_path(c, limit) for c in candidates]
        name = next((c for c in candidates if _name_key(c) not in used), None)
        n = 2
        while name is None:
            name = fit_path(f"{stem}~{n}.txt", limit)
            name = None if _name_key(name) in used else name
            n += 1
        used.add(_name_key(name))
        names[k] = name
    return names


def _name_key(name: str) -> str:
    """What two output paths that one case-insensitive file system (macOS, Windows)
    takes for the same file have in common."""
    return name.lower()


#: Mirror-layout documents one writer task writes: a task per file would cost an
#: engine's scheduling (about 1 ms) for a write of a few KB.
MIRROR_FILES_PER_TASK = 500


@dataclass(frozen=True)
class OutputFiles:
    """What one writer task writes: one JSONL shard, or a run of mirror-layout texts.

    The outcomes carry their output names (set by :func:`plan_outputs`) and
    where their articles are (the journal), so a task can run in this process
    or on an engine's worker (:meth:`newsclean.batch.engine.Engine.write`):
    the bytes are the same wherever it runs.
    """

    shard: str | None  # the shard's name; None: each outcome to its own ``output``
    outcomes: list[Outcome]


def plan_outputs(
    outcomes: list[Outcome], opts: RunOptions, limit: int = NAME_MAX
) -> list[OutputFiles]:
    """Name every written document's output (``Outcome.output``) and cut the writes
    into tasks; ``limit``: the longest file name OUT's file system takes."""
    if opts.layout == "mirror":
        # every document is named (names depend on the inputs and OUT's name limit
        # only); the written keep theirs
        wanted = []
        for o, name in zip(outcomes, mirror_names(outcomes, limit), strict=True):
            if _written(o, opts):
                o.output = name
                wanted.append(o)
        step = MIRROR_FILES_PER_TASK
        return [OutputFiles(None, wanted[i : i + step]) for i in range(0, len(wanted), step)]
    wanted = [o for o in outcomes if _written(o, opts)]
    jobs = []
    for start in range(0, max(len(wanted), 1), opts.shard_size):
        shard = wanted[start : start + opts.shard_size]
        if not shard and start:
            break
        name = f"data/part-{start // opts.shard_size:05d}.jsonl.gz"
        for o in shard:
            o.output = name
        jobs.append(OutputFiles(name, shard))
    return jobs


def _written(o: Outcome, opts: RunOptions) -> bool:
    """Whether the document's text is written."""
    return o.has_article and (
        o.status == "ok" or (o.status == "duplicate" and opts.keep_duplicates)
    )


def write_files(out: Path, job: OutputFiles) -> None:
    """Write one task's files atomically, reading the articles one at a time (the journal)."""
    if job.shard is None:
        for o in job.outcomes:
            art = o.load_article()
            assert art is not None and o.output is not None
            atomic_write(out / o.output, _utf8(art.text + "\n"))
        return
    lines = []
    for o in job.outcomes:
        art = o.load_article()
        assert art is not None
        rec = art.to_record(id=o.doc.id, source_path=o.doc.path, cluster=o.cluster)
        lines.append(dumps_line(rec))
    atomic_write(out / job.shard, gzip.compress("".join(lines).encode("utf-8"), mtime=0))


def write_all(out: Path, jobs: Iterable[OutputFiles]) -> None:
    """Every task's files, here, one after another (the engines' default)."""
    for job in jobs:
        write_files(out, job)


def write_outputs(
    out: Path,
    outcomes: list[Outcome],
    opts: RunOptions,
    cfg: Config,
    summary: Summary,
    write: Callable[[Path, list[OutputFiles]], None] = write_all,
) -> None:
    """Write the documents (by ``write``), the manifest and the report; drop the previous run's strays."""
    old_outputs = _old_outputs(out)
    jobs = plan_outputs(outcomes, opts, name_limit(out))
    _clear_folders(out, jobs, old_outputs)
    write(out, jobs)
    # What this run wrote is no stray: struck off one by one (a set of every name
    # written was ~30 bytes a document more at the parent's peak).
    for job in jobs:
        old_outputs.difference_update(
            [job.shard] if job.shard else (o.output for o in job.outcomes)
        )
    # Line by line: joined, a million documents' manifest was ~0.5 GB held at once.
    with atomic_writer(out / "manifest.jsonl") as fh:
        for o in outcomes:
            fh.write(dumps_line(o.manifest()).encode("utf-8"))
    for stale in sorted(old_outputs):
        target = (out / stale).resolve()
        if out.resolve() in target.parents and target.is_file():
            target.unlink()

    summary.add(outcomes)
    if opts.report:
        from newsclean.batch.report import render_report

        atomic_write(out / "report.html", render_report(summary, cfg).encode("utf-8"))


def _clear_folders(out: Path, jobs: list[OutputFiles], old_outputs: set[str]) -> None:
    """Remove the previous run's outputs that stand where this run needs a folder
    (its ``x.txt`` where this run writes ``x.txt/y.txt``): else no rerun could write."""
    folders: set[str] = set()
    for job in jobs:
        for name in [job.shard] if job.shard else (o.output or "" for o in job.outcomes):
            folder = name.rpartition("/")[0]
            while folder and folder not in folders:
                folders.add(folder)
                folder = folder.rpartition("/")[0]
    for stale in sorted(folders & old_outputs):
        target = out / stale
        if target.is_file() and not target.is_symlink():
            target.unlink()
        old_outputs.discard(stale)


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
