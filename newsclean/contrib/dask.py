"""Dask: near-duplicate clustering of a ``dask.bag``, and the ``--engine dask`` of ``run``.

::

    import json
    import dask.bag as db
    from dask.distributed import Client
    from newsclean.contrib.dask import cluster_bag

    client = Client()                        # a LocalCluster; or Client("tcp://scheduler:8786")
    docs = db.read_text("s3://bucket/crawl/*.jsonl.gz").map(json.loads)
    result = cluster_bag(docs.map(lambda r: (r["id"], r["text"])), clean=True)
    unique = result.filter(lambda r: r[2].is_representative)
    unique.map(lambda r: json.dumps({"id": r[0], "text": r[1]}, ensure_ascii=False)).to_textfiles(
        "s3://bucket/clean/*.jsonl.gz"
    )

What is distributed is what costs: reading, cleaning and signing, per
partition on the workers; the texts never leave them (clean texts stay
persisted there; input texts are read again for the result rather than held,
so a worker's memory does not grow with the corpus).  What comes back to the client
is a MinHash row and a shingle count per document (about 0.5 KB at 128
permutations), and the client clusters them with
:func:`newsclean.dedup.cluster_signed`, the one definition of a reprint
cluster (candidate pairs, verification, the anti-chaining guard, the guarded
merge pass, representatives).  The result therefore equals
``newsclean.cluster(docs, config)`` on the same documents in the same order,
by construction rather than by a second implementation kept in step.

``exact_jaccard=True`` is not distributed (it needs every shingle set where
each pair is verified); ``cluster_bag`` refuses it.

Input and output can be any fsspec URL Dask reads and writes
(``db.read_text("s3://...")``, ``gcs://``, ``hdfs://``: ``pip install s3fs``
or ``gcsfs``).

``newsclean run --engine dask`` uses :class:`DaskEngine`, the batch's engine
contract (:mod:`newsclean.batch.engine`) on a Dask cluster: the documents are
cleaned and signed on the workers; the journal, resume, phase 2 and the
writers are the local engine's own code, so both write the same bytes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import sys
import uuid
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from newsclean.article import ClusterInfo
from newsclean.batch.options import RunOptions
from newsclean.batch.records import Done, Result, Task
from newsclean.batch.work import finish, read_task, run_task, warm_up
from newsclean.batch.writers import OutputFiles, write_all, write_files
from newsclean.config import KINDS, Config, check_kind, resolve_config
from newsclean.contrib import require
from newsclean.errors import UsageError
from newsclean.io.remote import is_url

_db = require("dask.bag", "dask")
_delayed = require("dask", "dask").delayed

#: Documents sent to a worker in one task by the ``run`` engine: enough to
#: amortise a task's scheduling (about 1 ms), few enough to spread the work.
TASK_DOCUMENTS = 32
#: Tasks in flight per worker: keeps every worker busy while the client reads.
IN_FLIGHT_PER_WORKER = 2


def cluster_bag(
    bag: Any,
    config: Config | None = None,
    *,
    clean: bool = False,
    kind: str = "auto",
    **overrides: Any,
) -> Any:
    """Cluster a ``dask.bag`` of ``(id, text)`` or ``(id, text, date)`` documents.

    Returns a bag of ``(id, text, ClusterInfo)`` in input order, partitioned
    like the input (empty partitions dropped); ``text`` is the clean text when
    ``clean=True`` (the text that was compared), else the input text.  The
    infos equal :func:`newsclean.cluster`'s, where an empty text (nothing
    left to compare, e.g. a page that was all chrome) is nobody's
    representative: ``is_representative=False`` with ``duplicate_of=None``, so
    ``filter(lambda r: r[2].is_representative)`` keeps only real articles.

    The call computes.  With ``clean=True`` it persists the cleaned
    partitions on the workers (cleaning is the costly step: done once) and
    gathers their signatures to cluster them here.  With ``clean=False``
    nothing is kept: the partitions are signed, and read again when the
    result is computed, so a worker holds one partition at a time; the bag
    must give the same documents each time it is computed (files do).
    """
    cfg = resolve_config(config, overrides)
    if kind not in KINDS:
        raise ValueError(f"kind={kind!r} is not known; use one of {', '.join(KINDS)}")
    check_engine(cfg)
    import dask

    parts = bag.to_delayed()
    if clean:
        parts = list(dask.persist(*[_delayed(_cleaned)(p, cfg, kind) for p in parts]))
    keys = dask.compute(*[_delayed(_sign)(p, cfg) for p in parts])
    kept = [(p, k) for p, k in zip(parts, keys, strict=True) if k.ids]
    if not kept:
        return _db.from_sequence([], npartitions=1)
    infos = _cluster([k for _, k in kept], cfg)
    bounds = np.cumsum([0, *(len(k.ids) for _, k in kept)]).tolist()
    return _db.from_delayed(
        [
            _delayed(_records)(p, k.ids, _literal(infos[bounds[n] : bounds[n + 1]]), cfg)
            for n, (p, k) in enumerate(kept)
        ]
    )


def _literal(value: Any) -> Any:
    """``value`` as a graph argument Dask neither tokenizes nor walks.

    Passed as is, a partition's list of ClusterInfo is hashed and searched
    for collections object by object: 3 s of client CPU at 50,000 documents,
    more than clustering them took.
    """
    return _delayed(value, name=f"cluster-infos-{uuid.uuid4().hex}", traverse=False)


def check_engine(cfg: Config) -> None:
    """Refuse, before any work, what the Dask engine cannot compute like the local one."""
    if cfg.exact_jaccard:
        raise UsageError(
            "exact_jaccard=True is not supported by the Dask engine (it verifies pairs on every "
            "document's shingle set); use the local engine or exact_jaccard=False"
        )


@dataclass(frozen=True)
class _Signed:
    """What the client needs of one partition to cluster it: all but the texts."""

    ids: list[str]
    dates: list[str | None]
    sigs: np.ndarray
    sizes: np.ndarray
    empty: list[bool]


def _documents(part: Iterable[Any], cfg: Config) -> list[tuple[str, str, str | None]]:
    """A partition's documents as ``(id, text, date)``, read as ``newsclean.cluster``
    reads them (the same errors, the same size limit)."""
    from newsclean.dedup import document_fields

    return [document_fields(k, doc, cfg) for k, doc in enumerate(part)]


def _cleaned(part: Iterable[Any], cfg: Config, kind: str) -> list[tuple[str, str, str | None]]:
    from newsclean.clean import clean as clean_one

    return [
        (i, clean_one(text, kind=check_kind(kind), config=cfg).text, date)
        for i, text, date in _documents(part, cfg)
    ]


def _sign(part: Iterable[Any], cfg: Config) -> _Signed:
    from newsclean.dedup import is_empty, sketch
    from newsclean.dedup.minhash import Params

    docs = _documents(part, cfg)
    sigs, sizes = sketch([t for _, t, _ in docs], Params.from_config(cfg))
    empty = [is_empty(t) for _, t, _ in docs]  # the texts stay here: their one flag travels
    return _Signed([i for i, _, _ in docs], [d for _, _, d in docs], sigs, sizes, empty)


def _cluster(parts: Sequence[_Signed], cfg: Config) -> list[ClusterInfo]:
    import newsclean.dedup as dedup

    ids = [i for p in parts for i in p.ids]
    dates = [d for p in parts for d in p.dates]
    sigs = np.concatenate([p.sigs for p in parts])
    sizes = np.concatenate([p.sizes for p in parts])
    empty = [e for p in parts for e in p.empty]
    return dedup.cluster_signed(ids, dates, sigs, sizes, cfg, empty=empty)


def _records(
    part: Iterable[Any], ids: list[str], infos: list[ClusterInfo], cfg: Config
) -> list[tuple[str, str, ClusterInfo]]:
    docs = _documents(part, cfg)
    if [i for i, _, _ in docs] != ids:
        raise ValueError(
            "the bag gave other documents when computed again; cluster_bag(clean=False) reads "
            "its input twice: persist() a bag that is not the same each time it is computed"
        )
    return [(i, text, info) for (i, text, _), info in zip(docs, infos, strict=True)]


# --------------------------------------------------------------------------- newsclean run


class DaskEngine:
    """The batch engine contract on a Dask cluster: phase 1 on its workers.

    Documents go to the workers in tasks of :data:`TASK_DOCUMENTS`, with at
    most :data:`IN_FLIGHT_PER_WORKER` tasks a worker in flight, so the client
    holds a bounded window of raw documents.  A task whose worker died (Dask
    gives up after its retries) becomes a ``worker-crashed`` result for each of
    its documents, retried once on resume like the local engine's.
    """

    def __init__(self, config: Config, opts: RunOptions) -> None:
        check_engine(config)
        self._config, self._opts = config, opts
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> DaskEngine:
        self._client = self._stack.enter_context(_client(self._opts))
        # Warm workers, as the local pool's are: lexicons loaded and the
        # compiled MinHash kernels in, which signing one document at a time
        # would never load by itself (the numpy path signs ~3x slower).
        self._client.register_plugin(_warm_up_plugin(self._config, self._opts.mode))
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def map_unordered(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, Done]]:
        distributed = require("distributed", "dask")
        client = self._client
        workers = len(client.scheduler_info().get("workers", {})) or self._opts.n_workers()
        window = max(1, workers * IN_FLIGHT_PER_WORKER)
        source = iter(tasks)
        running = distributed.as_completed()
        chunks: dict[Any, list[Task]] = {}  # future -> the tasks as given (the batch's keys)
        answered: deque[tuple[Task, Done]] = deque()  # done here, without a worker
        more = True

        def submit() -> None:
            nonlocal more
            given = [t for _, t in zip(range(TASK_DOCUMENTS), source, strict=False)]
            more = len(given) == TASK_DOCUMENTS
            sent, kept = [], []
            for task in given:
                ready = self._sendable(task)
                if isinstance(ready, Done):
                    answered.append((task, ready))
                else:
                    sent.append(ready)
                    kept.append(task)
            if sent:
                fut = client.submit(_process_chunk, sent, self._config, self._opts.mode, pure=False)
                chunks[fut] = kept
                running.add(fut)

        def fill() -> None:
            while more and len(chunks) < window:
                submit()

        fill()
        while True:
            while answered:
                yield answered.popleft()
            if not chunks:
                if not more:
                    return
                fill()
                continue
            fut = next(running)
            chunk = chunks.pop(fut)
            try:
                results = fut.result()
            except Exception as exc:  # the worker died (KilledWorker) or the task failed
                detail = f"{type(exc).__name__}: {exc}"
                crashed = Result.error("worker-crashed", detail)
                results = [finish(t, crashed, self._config) for t in chunk]
            finally:
                fut.release()
            yield from zip(chunk, results, strict=True)
            fill()

    def write(self, out: Path, jobs: list[OutputFiles]) -> None:
        """The output files, each task's written by a worker (reading the journal itself).

        The client sends only each document's name, cluster and place in the
        journal, never its text.  On a ``--scheduler`` cluster the workers may
        not see this machine's OUT (the reason its files are read here too):
        the client writes them itself.
        """
        if self._opts.scheduler:
            write_all(out, jobs)
            return
        futures = [
            self._client.submit(write_files, out, job, pure=False, retries=0) for job in jobs
        ]
        try:
            for fut in futures:
                fut.result()  # an error writing OUT (full disk ...) is raised here
        finally:
            self._client.cancel(futures)

    def _sendable(self, task: Task) -> Task | Done:
        """``task`` as the workers get it: a file named by a local path is read here
        when they run on other machines (``--scheduler``), which may not see it.

        On a LocalCluster, and for URLs, the workers read the files themselves.
        """
        src = task.source
        if src is None or not self._opts.scheduler or is_url(src.path):
            return task
        read, done = read_task(task, self._config)
        return done if done is not None else dataclasses.replace(read, source=None, resume=None)


def _warm_up_plugin(cfg: Config, mode: str) -> Any:
    """A worker plugin that runs :func:`~newsclean.batch.work.warm_up` on every worker, once.

    Registered under one name, it replaces a previous run's on a shared
    cluster; workers that join later are warmed when they start.
    """
    distributed = require("distributed", "dask")

    class NewscleanWarmUp(distributed.WorkerPlugin):  # type: ignore[misc,name-defined]
        name = "newsclean-warm-up"

        def setup(self, worker: Any) -> None:
            warm_up(cfg, mode)

    return NewscleanWarmUp()


def _process_chunk(chunk: list[Task], cfg: Config, mode: str) -> list[Done]:
    return [run_task(task, cfg, mode) for task in chunk]


@contextlib.contextmanager
def _client(opts: RunOptions) -> Iterator[Any]:
    distributed = require("distributed", "dask")
    if opts.scheduler:
        with distributed.Client(opts.scheduler) as client:
            _announce(client, opts)
            yield client
        return
    import dask

    # A worker's statistical profiler takes the GIL from the cleaning thread every
    # 10 ms to walk its stack: about 7 % of a worker's CPU on cleaning, measured,
    # for a dashboard page a batch run does not need.  (The workers take the
    # setting with them when they start; a --scheduler cluster keeps its own.)
    with dask.config.set({"distributed.worker.profile.enabled": False}):
        cluster = distributed.LocalCluster(
            n_workers=opts.n_workers(),
            threads_per_worker=1,  # cleaning is CPU-bound Python: one process per core
            processes=True,
            dashboard_address=":0",  # None still probes port 8787 and warns when taken
            # Its own shutdown chatter ("worker process still alive ... killing")
            # is no news to the user of a CLI run; errors still show.
            silence_logs=logging.ERROR,
        )
    with cluster, distributed.Client(cluster) as client:
        _announce(client, opts)
        yield client


def _announce(client: Any, opts: RunOptions) -> None:
    """The dashboard's address on stderr, once per run, unless quiet (``-q``).

    A long run on a cluster is watched there (task stream, worker memory);
    without the line, a LocalCluster's dashboard sits on a random port.
    """
    if not opts.progress:
        return
    try:
        link = client.dashboard_link
    except (KeyError, AttributeError):  # a scheduler that serves no dashboard
        link = None
    note = f"at {link}" if link else "not served (it needs bokeh: pip install 'newsclean[dask]')"
    print(f"newsclean: Dask dashboard {note}", file=sys.stderr, flush=True)
