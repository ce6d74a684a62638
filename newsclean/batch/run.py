"""The batch behind ``newsclean run`` (and ``clean``/``dedup`` with ``-o``).

Three phases, so that a killed run can resume and still end byte-identical:

1. *per document*, on an engine (:mod:`newsclean.batch.engine`): clean and
   sign.  Each result is appended to ``OUT/.newsclean/journal.jsonl`` as it
   arrives; a rerun skips every document whose key and input sha256 are
   already there, except a crash or timeout, which is retried once.
2. *per batch*, here: site templates, empties, clusters
   (:mod:`newsclean.batch.steps`), in input order.
3. *outputs* (:mod:`newsclean.batch.writers`): clean documents,
   ``manifest.jsonl`` and ``report.html``, each written atomically.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from newsclean.batch.engine import check_engine, open_engine
from newsclean.batch.journal import Stored, load_results
from newsclean.batch.ledger import Ledger
from newsclean.batch.lock import hold_out
from newsclean.batch.options import STATE_DIR, RunOptions
from newsclean.batch.progress import count_documents
from newsclean.batch.records import (
    Result,
    Resume,
    Task,
)
from newsclean.batch.signatures import SignatureTable
from newsclean.batch.state import check_paths, fingerprint, prepare_out
from newsclean.batch.steps import batch_steps
from newsclean.batch.summary import Summary
from newsclean.batch.writers import write_outputs
from newsclean.config import Config, resolve_config
from newsclean.errors import environment_problem
from newsclean.io import Source, discover, read_documents
from newsclean.io import journal as journal_file
from newsclean.io.readers import check_support, describe, reads_alone
from newsclean.template import LineCounts, template_group


def run_batch(
    inputs: list[str],
    out: str | os.PathLike[str],
    config: Config | None = None,
    options: RunOptions | None = None,
    on_progress: Callable[[int, int | None], None] | None = None,
    on_phase: Callable[[str], None] | None = None,
    **overrides: Any,
) -> Summary:
    """Run one batch; returns the summary.  Bad input never raises: it is recorded.

    ``on_progress(done, total)`` follows phase 1 (``total`` is None when it
    cannot be counted up front); ``on_phase(name)`` hears each later phase of
    :data:`~newsclean.batch.progress.PHASES` as it starts.

    Raises ValueError for usage problems (OUT inside IN, non-empty OUT, a
    journal of the wrong shape ...), :class:`~newsclean.errors.EnvironmentProblem`
    when OUT cannot be written (read-only, full), and KeyboardInterrupt when
    interrupted (the journal keeps what was finished).
    """
    try:
        return _run_batch(inputs, Path(out), resolve_config(config, overrides),
                          options or RunOptions(), on_progress, on_phase)  # fmt: skip
    except OSError as exc:
        # Inputs' own OS errors are per-document records; what escapes is the
        # environment (a read-only or full OUT, its journal): a newsclean error.
        if exc.errno is None:
            raise
        raise environment_problem(exc, str(out)) from exc


def _run_batch(
    inputs: list[str],
    out_dir: Path,
    cfg: Config,
    opts: RunOptions,
    on_progress: Callable[[int, int | None], None] | None,
    on_phase: Callable[[str], None] | None,
) -> Summary:
    summary = Summary()
    check_engine(cfg, opts)
    check_paths(inputs, out_dir)
    sources = discover(inputs, opts.include, opts.exclude, left_out=summary.left_out)
    check_support(sources)  # a missing extra: one error before any work, not one per file
    # One run per OUT: two would share one journal and overwrite each other's outputs.
    with hold_out(out_dir):
        return _run_held(inputs, out_dir, cfg, opts, on_progress, on_phase, summary, sources)


def _run_held(
    inputs: list[str],
    out_dir: Path,
    cfg: Config,
    opts: RunOptions,
    on_progress: Callable[[int, int | None], None] | None,
    on_phase: Callable[[str], None] | None,
    summary: Summary,
    sources: list[Source],
) -> Summary:
    """Phases 1-3, OUT held by this run."""
    reuse = prepare_out(out_dir, fingerprint(inputs, cfg, opts), opts.force)
    jpath = out_dir / STATE_DIR / "journal.jsonl"
    prior = load_results(jpath) if reuse.journal else {}
    if not reuse.journal and jpath.exists():
        jpath.unlink()

    # Per document only the small parts, in columns by input position (the ledger):
    # its articles stay in the journal, and its signature goes to one matrix.
    ledger = Ledger()
    signatures = SignatureTable()
    # Tasks until their answer: the position, and the journal entry of a file its worker reads.
    inflight: dict[str, tuple[int, Stored | None]] = {}
    # Line keys of the articles for site templates (run), and the articles without them.
    lines = LineCounts() if opts.mode == "run" else None
    unkeyed: set[str] = set()
    total = count_documents(sources)
    summary.lap("setup")
    phase = "cleaning"

    def enter(name: str) -> None:  # on_phase, timed
        nonlocal phase
        summary.lap(phase)
        phase = name
        if on_phase:
            on_phase(name)

    def tick() -> None:
        if on_progress:
            on_progress(ledger.answered, total)

    def tasks() -> Iterator[Task]:
        for src in sources:
            if reads_alone(src):
                # By name: the worker reads, decodes and hashes it.  The ledger keeps the
                # Source: its Document is derived from it once its sha256 is known.
                doc = describe(src)
                seen = prior.pop(doc.key, None)
                inflight[doc.key] = (ledger.add(src), seen)
                yield Task(doc.key, None, doc.kind, None, source=src, resume=_resume(seen))
                continue
            for doc in read_documents(src, opts.fields, cfg.max_input_bytes):
                i = ledger.add(doc)
                if doc.error is not None:
                    ledger.answer(i, Result.error(doc.error.reason, doc.error.detail))
                    tick()
                    continue
                assert doc.raw is not None  # a reader gives bytes or an error
                seen = prior.pop(doc.key, None)
                attempts = 1
                if seen is not None and seen.sha256 == doc.sha256:
                    done = seen.result
                    if not (done.transient and done.attempts < 2):
                        _keep(seen, reuse.signatures, i, signatures, ledger)
                        unkeyed.add(doc.key)
                        summary.resumed += 1
                        tick()
                        continue
                    attempts = done.attempts + 1  # a crash or timeout: once more
                    summary.retried += 1
                inflight[doc.key] = (i, None)
                yield Task(doc.key, doc.raw, doc.kind, doc.url, doc.sha256, attempts)

    # The engine stays open until the outputs are written: its workers write them.
    with open_engine(cfg, opts, total) as engine:
        offset = jpath.stat().st_size if jpath.exists() else 0
        with journal_file.open_for_append(jpath) as jfh:
            for task, done in engine.map_unordered(tasks()):
                i, seen = inflight.pop(task.key)
                if task.source is not None:
                    ledger.set_sha256(i, done.sha256)
                    if done.reused:
                        assert seen is not None  # only a journal entry can be reused
                        _keep(seen, reuse.signatures, i, signatures, ledger)
                        unkeyed.add(task.key)
                        summary.resumed += 1
                        tick()
                        continue
                    summary.retried += done.result.attempts > 1
                if lines is not None and done.brief is not None:
                    if done.lines is None:
                        unkeyed.add(task.key)
                    else:
                        group = ledger.group(i)
                        group = template_group(done.brief.url, group) or group
                        lines.add(group, np.frombuffer(done.lines, dtype=np.uint64))
                if done.line:
                    jfh.write(done.line)  # encoded by the worker
                    signatures.put(i, done.result.sketch)
                    # Kept per document until phase 2: no sketch, one copy of each repeated
                    # name (and of the plain "ok" result most documents have).
                    result = dataclasses.replace(
                        done.result, sketch=None, status=sys.intern(done.result.status)
                    )
                    result = _PLAIN_OK if result == _PLAIN_OK else result
                    ledger.answer(i, result, offset, done.brief)
                    offset += len(done.line)
                else:  # a file its worker could not read: a manifest line, as in the parent
                    ledger.answer(i, done.result)
                tick()
        prior.clear()
        sources.clear()  # the ledger keeps the sources it needs

        reader = journal_file.Reader(jpath)
        try:
            outcomes = ledger.outcomes(reader)
            batch_steps(outcomes, cfg, opts.mode, signatures, enter, lines, unkeyed)
            del lines
            enter("writing")
            ledger.add_sha256(outcomes)
            write_outputs(out_dir, outcomes, opts, cfg, summary, engine.write)
        finally:
            reader.close()  # later reads (a caller's summary.outcomes) reopen the journal
    summary.lap(phase)
    summary.elapsed = time.monotonic() - summary.started
    return summary


#: The result of most documents, shared: frozen, so one object can stand for all.
_PLAIN_OK = Result("ok")


def _resume(seen: Stored | None) -> Resume | None:
    """What a worker needs of a journal entry to resume the document it reads."""
    if seen is None:
        return None
    done = seen.result
    return Resume(seen.sha256, not (done.transient and done.attempts < 2), done.attempts)


def _keep(stored: Stored, signed: bool, i: int, signatures: SignatureTable, ledger: Ledger) -> None:
    """A journal entry as document ``i``'s answer; its signature (if ``signed``: made
    under this run's signing settings) goes to row ``i`` of ``signatures``."""
    result = stored.result
    if result.sketch is not None:
        if signed:
            signatures.put(i, result.sketch)
        result = dataclasses.replace(result, sketch=None)
    ledger.answer(i, result, stored.offset, stored.brief)
