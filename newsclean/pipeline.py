"""The batch engine behind ``newsclean run`` (and ``clean``/``dedup`` with ``-o``).

Three phases, so that a killed run can resume and still end byte-identical:

1. *per document*, in a pool of worker processes: read, decode, clean.  Each
   result is appended to ``OUT/.newsclean/journal.jsonl`` as it arrives; a rerun
   skips every document whose key and input sha256 are already there.
2. *per batch*, in the parent: learn site templates per group (URL host, else
   folder) and cluster near-duplicates.  Both are pure functions of the
   phase-1 results taken in input order, never in completion order.
3. *outputs*: clean documents, ``manifest.jsonl`` and ``report.html``, each
   written to a temporary file and renamed.

The pool is ours rather than ``concurrent.futures`` because a per-document
time limit needs to kill one stuck worker (lxml loops do not see signals) and a
crashed worker must cost one error record, not the whole pool.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gzip
import json
import multiprocessing as mp
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, cast

from newsclean._version import __version__
from newsclean.article import Article, ClusterInfo
from newsclean.config import Config, check_kind, resolve_config
from newsclean.errors import InputError
from newsclean.io import Document, FieldNames, atomic_write, discover, read_documents
from newsclean.io import journal as journal_mod
from newsclean.io.remote import is_url
from newsclean.wording import plural

MODES = ("run", "clean", "dedup")
LAYOUTS = ("mirror", "jsonl")
#: local: this module's process pool; dask: :mod:`newsclean.contrib.dask` on a Dask cluster.
ENGINES = ("local", "dask")
STATE_DIR = ".newsclean"
#: Statuses a manifest line can carry.
STATUSES = ("ok", "duplicate", "empty", "error", "timeout")

Task = tuple[str, Any, str, "str | None"]  # (key, raw, kind, url)


@dataclass(frozen=True)
class RunOptions:
    """How a batch runs (as opposed to :class:`Config`, which is how a page is cleaned)."""

    mode: str = "run"
    layout: str = "mirror"
    keep_duplicates: bool = False
    workers: int = 0  # 0: one per CPU
    timeout: float = 30.0
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    fields: FieldNames = field(default_factory=FieldNames)
    shard_size: int = 10_000
    force: bool = False
    progress: bool = True  # shown only when stderr is a terminal
    report: bool = True
    #: Where phases 1-2 run.  Not part of the run's fingerprint: both engines
    #: write the same bytes, so one may resume or redo the other's OUT.
    engine: str = "local"
    scheduler: str | None = None  # a Dask scheduler address; None starts a LocalCluster

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode={self.mode!r}; use one of {', '.join(MODES)}")
        if self.engine not in ENGINES:
            raise ValueError(f"--engine {self.engine!r} is not known; use local or dask")
        if self.scheduler and self.engine != "dask":
            raise ValueError("--scheduler is a Dask scheduler address: add --engine dask")
        if self.layout not in LAYOUTS:
            raise ValueError(f"--layout {self.layout!r} is not known; use mirror or jsonl")
        if self.workers < 0:
            raise ValueError("--workers must be >= 1 (or 0 for one per CPU)")
        if not self.timeout > 0:
            raise ValueError("--timeout must be a positive number of seconds, e.g. 30")
        if self.shard_size < 1:
            raise ValueError("--shard-size must be >= 1 record per shard")

    def n_workers(self) -> int:
        return self.workers or os.cpu_count() or 1


@dataclass
class Outcome:
    """One input document's fate: one manifest line."""

    doc: Document
    status: str
    reason: str | None = None
    detail: str | None = None
    article: Article | None = None
    cluster: ClusterInfo | None = None
    output: str | None = None

    def manifest(self) -> dict[str, Any]:
        c = self.cluster
        return {
            "path": self.doc.path,
            "id": self.doc.id,
            "sha256": self.doc.sha256,
            "status": self.status,
            "reason": self.reason,
            "detail": self.detail,
            "cluster_id": c.cluster_id if c else None,
            "duplicate_of": c.duplicate_of if c else None,
            "similarity": c.similarity if c else None,
            "removed": self.article.removed_chars() if self.article else {},
            "output": self.output,
        }


@dataclass
class Summary:
    documents: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    removed: dict[str, int] = field(default_factory=dict)
    clusters: int = 0
    resumed: int = 0
    elapsed: float = 0.0
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return self.counts["error"] + self.counts["timeout"]

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def lines(self) -> list[str]:
        rate = self.documents / self.elapsed if self.elapsed > 0 else 0.0
        c = self.counts
        out = [
            f"{plural(self.documents, 'document')} in {self.elapsed:.1f}s ({rate:.0f} docs/s"
            + (f", {self.resumed} resumed" if self.resumed else "")
            + f"): {c['ok']} ok, {plural(c['duplicate'], 'duplicate')} in "
            f"{plural(self.clusters, 'cluster')}, {c['empty']} empty, "
            f"{plural(c['error'], 'error')}, {plural(c['timeout'], 'timeout')}"
        ]
        if self.removed:
            parts = ", ".join(f"{r} {n}" for r, n in sorted(self.removed.items(), key=_by_count))
            out.append(f"chars removed: {parts}")
        return out


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return (-item[1], item[0])


# --------------------------------------------------------------------------- phase 1: workers


def _process(task: Task, config: Config, mode: str) -> dict[str, Any]:
    """Clean one document; every failure becomes a result, never an exception."""
    _key, raw, kind, url = task
    try:
        if mode == "dedup" and kind != "html":
            from newsclean.decode import decode_bytes

            text = decode_bytes(raw, _key, config).text if isinstance(raw, bytes) else raw
            art = Article(text=text.strip(), url=url)
            return {"status": "ok", "article": art, "sketch": _sketch_one(art.text, config)}
        from newsclean.clean import clean

        art = clean(raw, url=url, kind=check_kind(kind), config=config)
        result: dict[str, Any] = {"status": "ok", "article": art}
        if mode != "clean" and art.text.strip():
            result["sketch"] = _sketch_one(art.text, config)
        return result
    except InputError as exc:
        return {"status": "error", "reason": exc.reason, "detail": exc.detail or None}
    except Exception as exc:
        return {"status": "error", "reason": "exception", "detail": f"{type(exc).__name__}: {exc}"}


Sketch = tuple[str, str, int]  # (numpy dtype, base64 of the signature row, shingle count)


def _sketch_one(text: str, config: Config) -> Sketch | None:
    """MinHash row and shingle count of one text, computed in the worker.

    Signing is as costly as cleaning; done here it scales with the pool instead
    of running serially in the parent.
    """
    import base64

    from newsclean.dedup import sketch
    from newsclean.dedup.minhash import Params

    try:
        sigs, sizes = sketch([text], Params.from_config(config))
    except Exception:
        return None  # signing is an optimisation here; the parent signs it again (and reports)
    row = sigs[0]
    # base64 keeps the journal line and the parent's memory small (~700 bytes a document).
    return row.dtype.str, base64.b64encode(row.tobytes()).decode("ascii"), int(sizes[0])


def _worker_main(conn: Connection, inherited: list[Connection], config: Config, mode: str) -> None:
    # A forked child holds copies of the parent's pipe ends; closing them lets every
    # worker see EOF (and exit) when the parent dies, even by kill -9.
    for c in inherited:
        c.close()
    # Ctrl-C goes to the whole process group; the parent decides, workers just stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        conn.send(_process(task, config, mode))


@dataclass
class _Worker:
    proc: Any
    conn: Connection


class WorkerPool:
    """N forked workers, one document in flight each, with a hard per-document time limit."""

    def __init__(self, n: int, config: Config, mode: str, timeout: float) -> None:
        self._ctx = mp.get_context("fork")
        self._config, self._mode, self._timeout = config, mode, timeout
        self._workers: list[_Worker] = []
        for _ in range(n):
            self._workers.append(self._spawn())

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        inherited = [parent, *(w.conn for w in self._workers)]
        proc = self._ctx.Process(  # type: ignore[attr-defined]
            target=_worker_main, args=(child, inherited, self._config, self._mode), daemon=True
        )
        proc.start()
        child.close()
        return _Worker(proc, parent)

    def _replace(self, w: _Worker) -> _Worker:
        if w.proc.is_alive():
            w.proc.kill()
        w.proc.join(5)
        w.conn.close()
        fresh = self._spawn()
        self._workers[self._workers.index(w)] = fresh
        return fresh

    def map_unordered(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, dict[str, Any]]]:
        """(task, result) pairs as they finish; every task yields exactly one result."""
        source = iter(tasks)
        idle = list(self._workers)
        busy: dict[Connection, tuple[_Worker, Task, float]] = {}
        exhausted = False
        while True:
            while idle and not exhausted:
                task = next(source, None)
                if task is None:
                    exhausted = True
                    break
                w = idle.pop()
                w.conn.send(task)
                busy[w.conn] = (w, task, time.monotonic() + self._timeout)
            if not busy:
                return
            soonest = min(d for _, _, d in busy.values())
            pause = max(0.0, min(soonest - time.monotonic(), 1.0))
            for ready in wait(list(busy), timeout=pause):
                conn = cast(Connection, ready)
                w, task, _ = busy.pop(conn)
                result: dict[str, Any]
                try:
                    result = conn.recv()
                except (EOFError, OSError):
                    w.proc.join(5)
                    result = {
                        "status": "error",
                        "reason": "worker-crashed",
                        "detail": f"worker exited with code {w.proc.exitcode}",
                    }
                    w = self._replace(w)
                idle.append(w)
                yield task, result
            now = time.monotonic()
            for conn, (w, task, deadline) in list(busy.items()):
                if now >= deadline:
                    del busy[conn]
                    idle.append(self._replace(w))
                    yield (
                        task,
                        {
                            "status": "timeout",
                            "reason": "timeout",
                            "detail": f"cleaning took longer than {self._timeout:g}s",
                        },
                    )

    def close(self) -> None:
        for w in self._workers:
            with contextlib.suppress(OSError):
                w.conn.send(None)
        for w in self._workers:
            w.proc.join(2)
            if w.proc.is_alive():
                w.proc.kill()
                w.proc.join(2)
            w.conn.close()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --------------------------------------------------------------------------- state and safety


def _fingerprint(inputs: list[str], config: Config, opts: RunOptions) -> dict[str, Any]:
    return {
        "newsclean": __version__,
        "inputs": [p if is_url(p) else os.path.abspath(p) for p in inputs],
        "config": config.to_dict(),
        "mode": opts.mode,
        "layout": opts.layout,
        "keep_duplicates": opts.keep_duplicates,
        "include": list(opts.include),
        "exclude": list(opts.exclude),
        "fields": dataclasses.asdict(opts.fields),
        "shard_size": opts.shard_size,
    }


def _check_paths(inputs: list[str], out: Path) -> None:
    o = Path(os.path.realpath(out))
    for p in inputs:
        if is_url(p):  # OUT is local: it cannot lie inside a remote input
            continue
        # realpath, not resolve(): a symlink loop given as an input must reach
        # discovery (a symlink-loop manifest line), not raise RuntimeError here.
        i = Path(os.path.realpath(p))
        if o == i or i in o.parents:
            raise ValueError(f"refusing to write OUT {str(out)!r} inside the input {p!r}")
        if o in i.parents:
            raise ValueError(f"refusing: the input {p!r} lies inside OUT {str(out)!r}")


def _prepare_out(out: Path, fingerprint: dict[str, Any], force: bool) -> bool:
    """Create/validate OUT; True when a previous run's journal may be reused."""
    state = out / STATE_DIR
    run_file = state / "run.json"
    if out.exists() and not out.is_dir():
        raise ValueError(f"OUT {str(out)!r} exists and is not a folder")
    same = False
    if run_file.exists():
        try:
            same = json.loads(run_file.read_text("utf-8")) == fingerprint
        except ValueError:
            same = False
    if out.exists() and any(out.iterdir()) and not same:
        if not force:
            raise ValueError(
                f"OUT {str(out)!r} is not empty and was not written by this command and "
                "configuration; choose another folder or pass --force to overwrite"
            )
        journal = state / "journal.jsonl"
        if journal.exists():
            journal.unlink()
    atomic_write(run_file, _dumps(fingerprint, indent=2).encode("utf-8"))
    return same


def _dumps(obj: Any, indent: int | None = None) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=indent)


# --------------------------------------------------------------------------- the batch


def run_batch(
    inputs: list[str],
    out: str | os.PathLike[str],
    config: Config | None = None,
    options: RunOptions | None = None,
    on_progress: Callable[[int, int | None], None] | None = None,
    **overrides: Any,
) -> Summary:
    """Run one batch; returns the summary.  Bad input never raises: it is recorded.

    Raises ValueError for usage problems (OUT inside IN, non-empty OUT ...) and
    KeyboardInterrupt when interrupted (the journal keeps what was finished).
    """
    cfg = resolve_config(config, overrides)
    opts = options or RunOptions()
    started = time.monotonic()
    out_dir = Path(out)
    if opts.engine == "dask":
        try:
            from newsclean.contrib.dask import check_engine, run_outcomes
        except ImportError as exc:  # the message holds the pip command
            raise ValueError(f"--engine dask: {exc}") from exc
        check_engine(cfg)
    _check_paths(inputs, out_dir)
    sources = discover(inputs, opts.include, opts.exclude)
    reuse = _prepare_out(out_dir, _fingerprint(inputs, cfg, opts), opts.force)
    jpath = out_dir / STATE_DIR / "journal.jsonl"
    prior = journal_mod.load(jpath) if reuse else {}
    if not reuse and jpath.exists():
        jpath.unlink()

    summary = Summary()
    if opts.engine == "dask":
        try:
            outcomes = run_outcomes(sources, cfg, opts, on_progress)
        except ValueError as exc:  # raised inside the cluster: a bug, not a usage error
            raise RuntimeError(f"the Dask engine failed: {exc}") from exc
        _write_outputs(out_dir, outcomes, opts, cfg, summary)
        summary.elapsed = time.monotonic() - started
        return summary
    docs: list[Document] = []
    results: dict[str, dict[str, Any]] = {}
    shas: dict[str, str | None] = {}
    single = all(not s.rel.lower().endswith((".jsonl", ".jsonl.gz", ".warc", ".warc.gz", ".json", ".json.gz")) for s in sources)  # fmt: skip
    total = len(sources) if single else None

    def tick() -> None:
        if on_progress:
            on_progress(len(results), total)

    def tasks() -> Iterator[Task]:
        for src in sources:
            for doc in read_documents(src, opts.fields, cfg.max_input_bytes):
                docs.append(dataclasses.replace(doc, raw=None))
                if doc.error is not None:
                    err = doc.error
                    results[doc.key] = {"status": "error", "reason": err.reason, "detail": err.detail or None}  # fmt: skip
                    tick()
                    continue
                seen = prior.get(doc.key)
                if seen is not None and seen[0] == doc.sha256:
                    results[doc.key] = journal_mod.decode_result(seen[1])
                    summary.resumed += 1
                    tick()
                    continue
                shas[doc.key] = doc.sha256
                yield (doc.key, doc.raw, doc.kind, doc.url)

    _warm_up(cfg, opts.mode)
    with (
        journal_mod.open_for_append(jpath) as jfh,
        WorkerPool(opts.n_workers(), cfg, opts.mode, opts.timeout) as pool,
    ):
        for task, result in pool.map_unordered(tasks()):
            key = task[0]
            jfh.write(journal_mod.encode_result(key, shas.pop(key), result))
            results[key] = result
            tick()

    outcomes = _outcomes(docs, results)
    sketches = {k: r.get("sketch") for k, r in results.items()}
    _batch_steps(outcomes, cfg, opts, sketches)
    _write_outputs(out_dir, outcomes, opts, cfg, summary)
    summary.elapsed = time.monotonic() - started
    return summary


_WARM_UP_TEXT = (
    "记者从有关部门获悉,截至本月底,全市累计开复工企业一千余家,复工率达到九成以上。\n\n"
    "The city said on Tuesday that more than a thousand companies had reopened this month.\n\n"
    "相关阅读\n\n责任编辑:张三\n"
)


def _warm_up(cfg: Config, mode: str) -> None:
    """Import, load lexicons and compile the MinHash kernels once in the parent.

    Forked workers (including replacements after a timeout) then start warm; a
    cold worker would spend its first document's time limit on imports and JIT.
    """
    _process(("warm-up", _WARM_UP_TEXT, "text", None), cfg, mode)  # never raises
    if mode != "clean":
        from newsclean.dedup.minhash import preload

        # Workers sign one document at a time, below the size at which the
        # signing code would load numba by itself: load it here, before the fork.
        preload(cfg)
        _sketch_one(_WARM_UP_TEXT, cfg)


def _outcomes(docs: list[Document], results: dict[str, dict[str, Any]]) -> list[Outcome]:
    ids = unique_ids(d.id for d in docs)
    return [
        outcome_of(doc, doc_id, results[doc.key]) for doc, doc_id in zip(docs, ids, strict=True)
    ]


def outcome_of(doc: Document, doc_id: str, result: dict[str, Any]) -> Outcome:
    """The outcome of one document's worker result, under its batch-unique id."""
    if doc_id != doc.id:
        doc = dataclasses.replace(doc, id=doc_id)
    art = result.get("article")
    return Outcome(doc, result["status"], result.get("reason"), result.get("detail"), art)


def unique_ids(ids: Iterable[str]) -> list[str]:
    """Document ids in input order, made unique: a repeated JSONL id gets a ~N suffix.

    Clustering needs unique ids; every engine numbers them the same way.
    """
    out = []
    seen: dict[str, int] = {}
    for doc_id in ids:
        n = seen.get(doc_id, 0) + 1
        seen[doc_id] = n
        out.append(f"{doc_id}~{n}" if n > 1 else doc_id)
    return out


def group_of(o: Outcome) -> str:
    """Site-template group: the URL host, else the input folder."""
    url = o.article.url if o.article else None
    if url:
        from urllib.parse import urlsplit

        host = urlsplit(url).hostname
        if host:
            return host
    return o.doc.group


def _batch_steps(
    outcomes: list[Outcome],
    cfg: Config,
    opts: RunOptions,
    sketches: dict[str, Sketch | None] | None = None,
) -> None:
    """Phase 2: site templates, empties, clusters; in place, in input order.

    The Dask engine (:mod:`newsclean.contrib.dask`) runs the same steps, per
    partition where they are per document.
    """
    sketches = dict(sketches or {})
    live = live_outcomes(outcomes)
    if opts.mode == "run" and live:
        from newsclean.template import SiteTemplates

        pairs = [(group_of(o), o.article) for o in live if o.article is not None]
        templates = SiteTemplates.learn(pairs, config=cfg)
        for key in apply_templates(live, templates):
            sketches.pop(key, None)  # the worker signed the pre-template text
    mark_empty(live)
    if opts.mode in ("run", "dedup"):
        live = [o for o in live if o.status == "ok"]
        if live:
            mark_duplicates(live, _cluster(live, sketches, cfg))


def live_outcomes(outcomes: Iterable[Outcome]) -> list[Outcome]:
    """The outcomes with a clean article: what templates learn from and clustering sees."""
    return [o for o in outcomes if o.status == "ok" and o.article is not None]


def apply_templates(live: Iterable[Outcome], templates: Any) -> list[str]:
    """Cut each article's site-template lines; the keys of the articles that changed."""
    changed = []
    for o in live:
        assert o.article is not None
        before = o.article.text
        o.article = templates.apply(group_of(o), o.article)
        if o.article.text != before:
            changed.append(o.doc.key)
    return changed


def mark_empty(live: Iterable[Outcome]) -> None:
    for o in live:
        assert o.article is not None
        if not o.article.text.strip():
            o.status = "empty"
            o.reason = "no-body" if "no-body" in o.article.flags else "no-text"


def mark_duplicates(live: Sequence[Outcome], infos: Sequence[ClusterInfo]) -> None:
    """Attach each clustered outcome's ClusterInfo; non-representatives become duplicates."""
    for o, info in zip(live, infos, strict=True):
        o.cluster = info
        if not info.is_representative:
            o.status = "duplicate"
            o.reason = f"near-duplicate of {info.duplicate_of}"


def _cluster(
    live: list[Outcome], sketches: dict[str, Sketch | None], cfg: Config
) -> list[ClusterInfo]:
    """Cluster with the workers' signatures where they are still valid; sign the rest here."""
    import newsclean.dedup as dedup

    docs = [(o.doc.id, o.article.text, o.article.date) for o in live if o.article is not None]
    # exact_jaccard verifies pairs on full shingle sets, which only cluster() keeps.
    if cfg.exact_jaccard:
        return dedup.cluster(docs, config=cfg)
    import base64

    import numpy as np

    from newsclean.dedup.minhash import Params

    params = Params.from_config(cfg)
    rows: list[Any] = [None] * len(live)
    sizes = np.zeros(len(live), dtype=np.int32)
    for i, o in enumerate(live):
        sk = sketches.get(o.doc.key)
        if sk is not None:
            rows[i] = np.frombuffer(base64.b64decode(sk[1]), dtype=np.dtype(sk[0]))
            sizes[i] = sk[2]
    todo = [i for i, r in enumerate(rows) if r is None]
    if todo:
        s2, z2 = dedup.sketch((docs[i][1] for i in todo), params)
        for k, i in enumerate(todo):
            rows[i], sizes[i] = s2[k], z2[k]
    sigs = np.stack(rows)
    return dedup.cluster_signed([d[0] for d in docs], [d[2] for d in docs], sigs, sizes, cfg)


def _mirror_names(outcomes: list[Outcome]) -> dict[str, str]:
    """Output path of every document in the mirror layout, collision-free.

    ``a/b.html`` -> ``a/b.txt``; the N-th record of ``a/c.jsonl`` (JSONL line,
    JSON list item, WARC record) -> ``a/c.jsonl.d/00000N.txt``.  A ``.txt``
    input keeps its own name; should ``b.txt`` and ``b.html`` both exist, the
    other one keeps its suffix: ``b.html.txt``.
    """
    from newsclean.io.readers import _strip_suffixes

    names: dict[str, str] = {}
    for o in outcomes:  # .txt inputs first: their natural name is their own
        if o.doc.record is None and o.doc.rel.endswith(".txt"):
            names[o.doc.key] = o.doc.rel
    used = set(names.values())
    for o in outcomes:
        d = o.doc
        if d.key in names:
            continue
        if d.record is not None:
            name = f"{d.rel}.d/{d.record:06d}.txt"
        else:
            name = _strip_suffixes(d.rel) + ".txt"
            if name in used:
                name = d.rel + ".txt"
        used.add(name)
        names[d.key] = name
    return names


def _write_outputs(
    out: Path, outcomes: list[Outcome], opts: RunOptions, cfg: Config, summary: Summary
) -> None:
    old_outputs = _old_outputs(out)
    written: set[str] = set()
    wanted = [
        o
        for o in outcomes
        if o.article is not None
        and (o.status == "ok" or (o.status == "duplicate" and opts.keep_duplicates))
    ]
    if opts.layout == "mirror":
        names = _mirror_names(outcomes)
        for o in wanted:
            assert o.article is not None
            o.output = names[o.doc.key]
            atomic_write(out / o.output, (o.article.text + "\n").encode("utf-8"))
            written.add(o.output)
    else:
        for start in range(0, max(len(wanted), 1), opts.shard_size):
            shard = wanted[start : start + opts.shard_size]
            if not shard and start:
                break
            name = f"data/part-{start // opts.shard_size:05d}.jsonl.gz"
            lines = []
            for o in shard:
                assert o.article is not None
                o.output = name
                rec = o.article.to_record(id=o.doc.id, source_path=o.doc.path, cluster=o.cluster)
                lines.append(_dumps(rec) + "\n")
            atomic_write(out / name, gzip.compress("".join(lines).encode("utf-8"), mtime=0))
            written.add(name)
    manifest = "".join(_dumps(o.manifest()) + "\n" for o in outcomes)
    atomic_write(out / "manifest.jsonl", manifest.encode("utf-8"))
    for stale in sorted(old_outputs - written):
        target = (out / stale).resolve()
        if out.resolve() in target.parents and target.is_file():
            target.unlink()

    summary.outcomes = outcomes
    summary.documents = len(outcomes)
    for o in outcomes:
        summary.counts[o.status] = summary.counts.get(o.status, 0) + 1
        if o.article is not None and o.status != "error":
            for reason, n in o.article.removed_chars().items():
                summary.removed[reason] = summary.removed.get(reason, 0) + n
    summary.clusters = len(
        {o.cluster.cluster_id for o in outcomes if o.cluster and o.cluster.cluster_size > 1}
    )
    if opts.report:
        from newsclean.report import render_report

        atomic_write(out / "report.html", render_report(summary, cfg).encode("utf-8"))


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


def progress_printer(enabled: bool) -> tuple[Callable[[int, int | None], None], Callable[[], None]]:
    """(tick, stop) for a rich progress bar on stderr; no-ops unless stderr is a terminal."""
    if not enabled or not sys.stderr.isatty():
        return (lambda done, total: None), (lambda: None)
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    # auto_refresh=False: no refresh thread, so forking replacement workers stays safe.
    bar = Progress(
        TextColumn("cleaning"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} docs/s"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        auto_refresh=False,
        transient=True,
    )
    bar.start()
    tid = bar.add_task("clean", total=None, rate="0")
    t0 = time.monotonic()
    last = [0.0]

    def tick(done: int, total: int | None) -> None:
        now = time.monotonic()
        if now - last[0] < 0.1:
            return
        last[0] = now
        rate = done / (now - t0) if now > t0 else 0.0
        bar.update(tid, completed=done, total=total, rate=f"{rate:.0f}")
        bar.refresh()

    return tick, bar.stop
