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
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from newsclean.batch.engine import check_engine, open_engine
from newsclean.batch.journal import encode_result, load_results
from newsclean.batch.options import STATE_DIR, RunOptions
from newsclean.batch.records import Outcome, Result, Sketch, Task, outcome_of, unique_ids
from newsclean.batch.state import check_paths, fingerprint, prepare_out
from newsclean.batch.steps import batch_steps
from newsclean.batch.summary import Summary
from newsclean.batch.writers import write_outputs
from newsclean.config import Config, resolve_config
from newsclean.io import Document, discover, read_documents
from newsclean.io import journal as journal_file
from newsclean.io.formats import is_container


def run_batch(
    inputs: list[str],
    out: str | os.PathLike[str],
    config: Config | None = None,
    options: RunOptions | None = None,
    on_progress: Callable[[int, int | None], None] | None = None,
    **overrides: Any,
) -> Summary:
    """Run one batch; returns the summary.  Bad input never raises: it is recorded.

    Raises ValueError for usage problems (OUT inside IN, non-empty OUT, a
    journal of the wrong shape ...) and KeyboardInterrupt when interrupted (the
    journal keeps what was finished).
    """
    cfg = resolve_config(config, overrides)
    opts = options or RunOptions()
    started = time.monotonic()
    out_dir = Path(out)
    check_engine(cfg, opts)
    check_paths(inputs, out_dir)
    sources = discover(inputs, opts.include, opts.exclude)
    reuse = prepare_out(out_dir, fingerprint(inputs, cfg, opts), opts.force)
    jpath = out_dir / STATE_DIR / "journal.jsonl"
    prior = load_results(jpath) if reuse.journal else {}
    if not reuse.journal and jpath.exists():
        jpath.unlink()

    summary = Summary()
    docs: list[Document] = []
    results: dict[str, Result] = {}
    shas: dict[str, str | None] = {}
    attempts: dict[str, int] = {}
    total = None if any(is_container(s.rel) for s in sources) else len(sources)

    def tick() -> None:
        if on_progress:
            on_progress(len(results), total)

    def tasks() -> Iterator[Task]:
        for src in sources:
            for doc in read_documents(src, opts.fields, cfg.max_input_bytes):
                docs.append(dataclasses.replace(doc, raw=None))
                if doc.error is not None:
                    results[doc.key] = Result.error(doc.error.reason, doc.error.detail)
                    tick()
                    continue
                assert doc.raw is not None  # a reader gives bytes or an error
                seen = prior.get(doc.key)
                if seen is not None and seen[0] == doc.sha256:
                    done = seen[1]
                    if not (done.transient and done.attempts < 2):
                        results[doc.key] = done if reuse.signatures else _unsigned(done)
                        summary.resumed += 1
                        tick()
                        continue
                    attempts[doc.key] = done.attempts + 1  # a crash or timeout: once more
                shas[doc.key] = doc.sha256
                yield Task(doc.key, doc.raw, doc.kind, doc.url)

    with journal_file.open_for_append(jpath) as jfh, open_engine(cfg, opts) as engine:
        for task, result in engine.map_unordered(tasks()):
            if task.key in attempts:
                result = _retried(result, attempts.pop(task.key))
                summary.retried += 1
            jfh.write(encode_result(task.key, shas.pop(task.key), result))
            results[task.key] = result
            tick()

    outcomes = _outcomes(docs, results)
    sketches: dict[str, Sketch | None] = {k: r.sketch for k, r in results.items()}
    batch_steps(outcomes, cfg, opts.mode, sketches)
    write_outputs(out_dir, outcomes, opts, cfg, summary)
    summary.elapsed = time.monotonic() - started
    return summary


def _unsigned(result: Result) -> Result:
    # The journal's signature was made under other signing settings.
    return dataclasses.replace(result, sketch=None) if result.sketch is not None else result


def _retried(result: Result, attempts: int) -> Result:
    """A retried document's result says so (in the manifest's ``detail``)."""
    note = "retried on resume after a worker crash or timeout"
    detail = f"{result.detail}; {note}" if result.detail else note
    return dataclasses.replace(result, detail=detail, attempts=attempts)


def _outcomes(docs: list[Document], results: dict[str, Result]) -> list[Outcome]:
    ids = unique_ids(d.id for d in docs)
    return [
        outcome_of(doc, doc_id, results[doc.key]) for doc, doc_id in zip(docs, ids, strict=True)
    ]
