"""Signature + cluster at scale: N synthetic news-length documents with planted reprints.

Documents are generated on the fly (never all held in memory): half Chinese
(characters drawn Zipf-like from 3,000 ideographs, with punctuation), half
English (words drawn Zipf-like from a 20,000-word vocabulary), 1,200-3,000
characters each.  A share of them (``--reprints``, default 10 %) are reprints
of a recent original: a slice dropped, a few characters changed, sometimes
truncated to 70 % plus "阅读全文".

``--engine local`` (default) reports, for one N: generation, signing and
clustering time (wall and CPU), end-to-end wall time, peak RSS, the bytes per
document of the index arrays (signatures, sizes, band keys), and precision /
recall on the planted pairs.

``--engine dask`` runs, for each of ``--sizes``, the local engine
(``newsclean.cluster`` in one process) and ``newsclean.contrib.dask.cluster_bag``
on a fresh Dask ``LocalCluster`` (``--dask-workers`` processes, 1 thread
each), each in its own subprocess so that peak memory and CPU time belong to
one run.  Both read the same generated documents (generation runs inside the
run: per partition on the Dask workers, in the loop for the local engine), and
the two results are compared document by document.

    python bench/scale.py --n 100000
    python bench/scale.py --n 1000000 --workers 2   # target: < 10 min, RSS < 4 GB
    python bench/scale.py --engine dask --sizes 50000,100000,200000
    python bench/scale.py --through-run --sizes 6000,24000 [--data PATH] [--run-workers 2]
    python bench/scale.py --through-run --engine dask --sizes 3000,12000

``--through-run --engine dask`` runs ``newsclean run`` twice per size on the
same generated files, with the local engine and with ``--engine dask`` (a
LocalCluster of ``--run-workers`` processes): wall and CPU time of the process
tree, peak RSS of the ``newsclean`` process and of its largest worker, and
whether both OUT folders hold the same bytes.

``--through-run`` runs ``newsclean run`` itself, as a user would, on small
text files (:func:`write_corpus`: four paragraphs mixed from the sentences
of the seed and benchmark articles inside one of five fake sites' chrome, 10 %
reprints; about 1.9 KB each, written streamed so that 1M files take minutes;
``--corpus DIR`` keeps them for the next run) for each of
``--sizes``: wall time, documents per second, the peak RSS of the whole
process tree and of the parent and each worker (sampled from /proc), and how
many bytes the parent's peak grows per extra document, which flat memory
keeps small.  ``--watch S`` prints progress and memory every S seconds of a
long run.  The peer in the same run is the one-process ftfy + datasketch
baseline of ``bench/pipeline.py`` (no chrome removal) at the smallest size.

    python bench/scale.py --through-run --sizes 6000,24000,100000 --watch 300
    nice python bench/scale.py --through-run --sizes 1000000 --no-baseline --watch 300 \
        --corpus /var/tmp/nc-corpus
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import deque
from collections.abc import Iterator
from itertools import islice, pairwise
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import peak_rss_mb

from newsclean import Config
from newsclean.dedup import cluster_signed
from newsclean.dedup.lsh import bands_rows, lsh_threshold
from newsclean.dedup.minhash import Params, sketch_batch

# Quantized inverse CDFs: a Zipf draw is one table lookup (searchsorted per
# document took as long as signing it).
_LOOKUP = 1 << 16


class Corpus:
    """A deterministic stream of synthetic documents and their true originals."""

    def __init__(self, n: int, reprint_share: float, seed: int, offset: int = 0) -> None:
        self.n = n
        self.offset = offset
        self.share = reprint_share
        self.rng = np.random.default_rng([seed, offset])
        self.zh_chars = (0x4E00 + self.rng.choice(0x5000, size=3000, replace=False)).astype(
            np.uint32
        )
        self.zh_pick = self._zipf_lookup(3000)
        lengths = self.rng.integers(2, 10, size=20_000)
        letters = np.frombuffer(b"abcdefghijklmnopqrstuvwxyz", dtype=np.uint8)
        blob = bytes(letters[self.rng.integers(0, 26, size=int(lengths.sum()))]).decode()
        ends = np.cumsum(lengths).tolist()
        self.words = [blob[e - k : e] for e, k in zip(ends, lengths.tolist(), strict=True)]
        self.en_pick = self._zipf_lookup(20_000)
        self.truth = np.arange(offset, offset + n)  # index of each document's original

    @staticmethod
    def _zipf_lookup(k: int) -> np.ndarray:
        w = 1.0 / np.arange(1, k + 1) ** 0.9
        cdf = (w / w.sum()).cumsum()
        return np.searchsorted(cdf, (np.arange(_LOOKUP) + 0.5) / _LOOKUP).clip(0, k - 1)

    def _zh(self, length: int) -> str:
        cps = self.zh_chars[self.zh_pick[self.rng.integers(0, _LOOKUP, size=length)]]
        cps[self.rng.integers(8, 30, size=length // 12).cumsum() % length] = ord("，")
        return cps.tobytes().decode("utf-32-le")

    def _en(self, length: int) -> str:
        idx = self.en_pick[self.rng.integers(0, _LOOKUP, size=length // 6)]
        return " ".join([self.words[i] for i in idx.tolist()])

    def _reprint(self, text: str) -> str:
        n = len(text)
        a = int(self.rng.integers(0, n))
        text = text[:a] + text[a + n // 10 :]  # a "paragraph" dropped
        for i in sorted(self.rng.integers(0, len(text), size=3).tolist()):
            text = text[:i] + "的" + text[i + 1 :]
        if self.rng.random() < 0.3:
            text = text[: int(len(text) * 0.7)] + "……阅读全文"
        return "来源: 新华社\n" + text

    def __iter__(self) -> Iterator[tuple[str, str]]:
        recent: deque[tuple[int, str]] = deque(maxlen=2000)
        for k in range(self.offset, self.offset + self.n):
            if recent and self.rng.random() < self.share:
                orig, base = recent[int(self.rng.integers(0, len(recent)))]
                text = self._reprint(base)
                self.truth[k - self.offset] = orig
            else:
                length = int(self.rng.integers(1200, 3000))
                text = self._zh(length) if k % 2 == 0 else self._en(length)
                recent.append((k, text))
            yield f"doc{k}", text


def planted_scores(truth: np.ndarray, cluster_ids: list[str]) -> tuple[float, float]:
    """Precision / recall over (reprint, original) pairs and predicted (dup, rep) pairs."""
    pred = np.array([int(c[3:]) for c in cluster_ids])
    idx = np.arange(truth.size)
    planted = truth != idx
    found = planted & (pred == pred[truth])
    recall = found.sum() / max(1, planted.sum())
    # Predicted pairs: each document with its cluster's representative.
    dup = pred != idx
    correct = dup & (truth == truth[pred])
    precision = correct.sum() / max(1, dup.sum())
    return float(precision), float(recall)


CHUNK = 20_000  # documents a worker generates and signs at a time (reprints stay inside)
BATCH = 2048  # documents signed per call, as newsclean.cluster does


def sign_chunk(job: tuple[int, int, float, int]) -> dict[str, Any]:
    """Generate and sign one chunk: signatures, sizes, truth, and seconds per step.

    Clocks are read per batch of documents, not per document: a CPU-time read
    is a system call, and per document it cost a fifth of the generation time.
    """
    offset, n, share, seed = job
    params = Params.from_config(Config())
    corpus = Corpus(n, share, seed, offset)
    texts = (text for _, text in corpus)
    sigs, sizes = [], []
    t = {"gen": 0.0, "gen_cpu": 0.0, "sign": 0.0, "sign_cpu": 0.0}
    while True:
        w, c = time.perf_counter(), time.process_time()
        batch = list(islice(texts, BATCH))
        w2, c2 = time.perf_counter(), time.process_time()
        t["gen"] += w2 - w
        t["gen_cpu"] += c2 - c
        if not batch:
            break
        s, z = sketch_batch(batch, params)
        sigs.append(s)
        sizes.append(z)
        t["sign"] += time.perf_counter() - w2
        t["sign_cpu"] += time.process_time() - c2
    return {
        "sigs": np.concatenate(sigs),
        "sizes": np.concatenate(sizes),
        "truth": corpus.truth,
        **t,
    }


def random_signatures(n: int, share: float, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Signatures without texts: random rows, and planted copies with 15 % of values changed."""
    rng = np.random.default_rng(seed)
    sigs = rng.integers(0, 2**32, size=(n, 128), dtype=np.uint32)
    sizes = rng.integers(300, 2500, size=n).astype(np.int32)
    truth = np.arange(n)
    # Copies in the second half of originals in the first half: no copy of a copy.
    dup = n // 2 + np.flatnonzero(rng.random(n - n // 2) < 2 * share)
    orig = rng.integers(0, n // 2, size=dup.size)
    sigs[dup] = sigs[orig]
    sizes[dup] = sizes[orig]
    changed = rng.random((dup.size, 128)) < 0.15
    sigs[dup] = np.where(
        changed, rng.integers(0, 2**32, size=(dup.size, 128), dtype=np.uint32), sigs[dup]
    )
    truth[dup] = orig
    return sigs, sizes, truth


def cluster_only(args: argparse.Namespace) -> None:
    cfg = Config()
    n = args.n
    t = time.perf_counter()
    sigs, sizes, truth = random_signatures(n, args.reprints, args.seed)
    gen = time.perf_counter() - t
    ids = [f"doc{k}" for k in range(n)]
    t1, c1 = time.perf_counter(), time.process_time()
    infos = cluster_signed(ids, [None] * n, sigs, sizes, cfg)
    cluster_s, cluster_cpu = time.perf_counter() - t1, time.process_time() - c1
    prec, rec = planted_scores(truth, [i.cluster_id for i in infos])
    print(f"N={n:,} random signatures ({args.reprints:.0%} planted copies, 15 % of values changed)")
    print(
        f"generate {gen:.1f} s; cluster (LSH+verify+assign) {cluster_s:.1f} s = {n / cluster_s:,.0f} docs/s"
    )
    print(f"cluster CPU time {cluster_cpu:.1f} s = {n / cluster_cpu:,.0f} docs per CPU-second")
    print(
        f"peak RSS {peak_rss_mb():.0f} MB; planted copies: precision {prec:.4f}, recall {rec:.4f}"
    )


def local_scale(args: argparse.Namespace) -> None:
    """One N on this machine: generate + sign in ``--workers`` processes, cluster here."""
    cfg = Config(merge_clusters=args.merge_clusters)
    n = args.n
    jobs = [(o, min(CHUNK, n - o), args.reprints, args.seed) for o in range(0, n, CHUNK)]
    t0 = time.perf_counter()
    if args.workers > 1:
        import multiprocessing as mp

        with mp.get_context("fork").Pool(args.workers) as pool:
            parts = pool.map(sign_chunk, jobs, chunksize=1)
    else:
        parts = [sign_chunk(j) for j in jobs]
    wall = time.perf_counter() - t0
    sigs = np.concatenate([p["sigs"] for p in parts])
    sizes = np.concatenate([p["sizes"] for p in parts])
    truth = np.concatenate([p["truth"] for p in parts])
    # Seconds summed over workers; CPU seconds are what an unshared core would take.
    gen_s, sign_s = (sum(p[k] for p in parts) for k in ("gen", "sign"))
    gen_cpu, sign_cpu = (sum(p[k] for p in parts) for k in ("gen_cpu", "sign_cpu"))
    sign_wall = wall * sign_s / (sign_s + gen_s)
    del parts
    ids = [f"doc{k}" for k in range(n)]
    t1, c1 = time.perf_counter(), time.process_time()
    infos = cluster_signed(ids, [None] * n, sigs, sizes, cfg)
    cluster_s, cluster_cpu = time.perf_counter() - t1, time.process_time() - c1
    end_to_end = time.perf_counter() - t0
    bands, rows = bands_rows(lsh_threshold(cfg.threshold, cfg.containment), cfg.num_perm)
    index_bytes = sigs.nbytes / n + sizes.nbytes / n + bands * 8
    prec, rec = planted_scores(truth, [i.cluster_id for i in infos])
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"N={n:,} ({args.reprints:.0%} planted reprints), num_perm={cfg.num_perm}, "
        f"threshold={cfg.threshold}, bands x rows={bands}x{rows}, "
        f"merge_clusters={cfg.merge_clusters}, engine=local, workers={args.workers}"
    )
    print(f"{'step':34} {'seconds':>9} {'docs/s':>9}")
    rows_out = [
        ("generate, wall (summed)", gen_s),
        ("generate, CPU (summed)", gen_cpu),
        ("sign, wall (summed over workers)", sign_s),
        ("sign, CPU (summed)", sign_cpu),
        ("sign, wall (share of run)", sign_wall),
        ("cluster (LSH+verify+assign), wall", cluster_s),
        ("cluster, CPU", cluster_cpu),
        ("sign + cluster, wall", sign_wall + cluster_s),
        ("generate + sign + cluster, wall", end_to_end),
    ]
    for name, sec in rows_out:
        print(f"{name:34} {sec:9.1f} {n / sec:9.0f}")
    print(
        f"peak RSS {peak_rss_mb():.0f} MB (workers' peak {children:.0f} MB); index arrays "
        f"{index_bytes:.0f} bytes/doc (signature {sigs.nbytes / n:.0f} + size 4 + "
        f"{bands} band keys x 8)"
    )
    print(
        f"planted reprints: precision {prec:.4f}, recall {rec:.4f}; "
        f"{len({i.cluster_id for i in infos}):,} clusters"
    )


# --------------------------------------------------------------------------- --engine dask

PARTITION = 10_000  # documents per Dask partition (and per generated chunk)
WARNED = "cluster_bag warned:"


def chunk_docs(offset: int, n: int, share: float, seed: int) -> list[tuple[str, str]]:
    """One partition's documents; both engines read exactly these."""
    return list(Corpus(n, share, seed, offset))


def _jobs(n: int, share: float, seed: int) -> list[tuple[int, int, float, int]]:
    return [(o, min(PARTITION, n - o), share, seed) for o in range(0, n, PARTITION)]


def _fields(info: Any) -> tuple[Any, ...]:
    return (
        info.cluster_id,
        info.cluster_size,
        info.is_representative,
        info.duplicate_of,
        info.similarity,
    )


def run_local(n: int, args: argparse.Namespace) -> tuple[list[tuple[Any, ...]], dict[str, float]]:
    from newsclean import cluster

    def docs() -> Iterator[tuple[str, str]]:
        for job in _jobs(n, args.reprints, args.seed):
            yield from chunk_docs(*job)

    infos = cluster(docs(), merge_clusters=args.merge_clusters)
    return [_fields(i) for i in infos], {"workers_peak_mb": 0.0, "workers_cpu_s": 0.0}


def _worker_usage() -> tuple[float, float]:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_maxrss / 1024, r.ru_utime + r.ru_stime


def run_dask(n: int, args: argparse.Namespace) -> tuple[list[tuple[Any, ...]], dict[str, float]]:
    import warnings

    import dask.bag as db
    from dask import delayed
    from dask.distributed import Client, LocalCluster

    from newsclean.contrib.dask import cluster_bag

    with (
        LocalCluster(
            n_workers=args.dask_workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
        ) as lc,
        Client(lc) as client,
    ):
        bag = db.from_delayed([delayed(chunk_docs)(*j) for j in _jobs(n, args.reprints, args.seed)])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = cluster_bag(bag, merge_clusters=args.merge_clusters)
        for w in caught:
            print(f"{WARNED} {w.message}", file=sys.stderr)
        # Only ids and cluster fields travel back to this process, not the texts.
        got = result.map(lambda r: (r[0], _fields(r[2]))).compute()
        usage = client.run(_worker_usage)
    fields = [f for _, f in got]
    return fields, {
        "workers_peak_mb": max(u[0] for u in usage.values()),  # per process: the largest
        "workers_cpu_s": sum(u[1] for u in usage.values()),
    }


def one_run(args: argparse.Namespace) -> None:
    """A child process: run one engine on one N, print JSON, pickle the result fields."""
    run = run_dask if args.one == "dask" else run_local
    t, c = time.perf_counter(), time.process_time()
    fields, usage = run(args.n, args)
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    with open(args.result, "wb") as f:
        pickle.dump(fields, f)
    load = os.getloadavg()[0]  # over the last minute: the run's own share included
    print(json.dumps({"wall": wall, "driver_cpu_s": cpu, "driver_peak_mb": peak_rss_mb(),
                      "load": load, **usage}))  # fmt: skip


def dask_scale(args: argparse.Namespace) -> None:
    sizes = [int(s) for s in args.sizes.split(",")]
    print(
        f"local engine (newsclean.cluster, one process) vs Dask LocalCluster "
        f"({args.dask_workers} workers x 1 thread), merge_clusters={args.merge_clusters}, "
        f"{PARTITION:,} docs per partition; generation included (on the workers for Dask)"
    )
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n")
    header = f"{'N':>8} {'engine':7} {'wall s':>8} {'docs/s':>8} {'CPU s':>8} {'docs/CPU-s':>10}"
    print(f"{header} {'peak MB per process':>24}  {'load':>5}  identical")
    cost: dict[str, list[tuple[float, float]]] = {"local": [], "dask": []}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            results = {}
            for engine in ("local", "dask"):
                out = Path(tmp) / f"{engine}-{n}.pkl"
                stats = _child(engine, n, out, args)
                results[engine] = pickle.loads(out.read_bytes())
                cpu = stats["driver_cpu_s"] + stats["workers_cpu_s"]
                peaks = f"{stats['driver_peak_mb']:.0f}"
                if engine == "dask":
                    peaks = f"client {peaks}, workers {stats['workers_peak_mb']:.0f}"
                same = _compare(results["local"], results[engine]) if engine == "dask" else ""
                print(
                    f"{n:8d} {engine:7} {stats['wall']:8.1f} {n / stats['wall']:8.0f} "
                    f"{cpu:8.1f} {n / cpu:10.0f} {peaks:>24}  {stats['load']:5.1f}  {same}",
                    flush=True,
                )
                cost[engine].append((stats["wall"], cpu))
    if len(sizes) > 1:
        grow = sizes[-1] / sizes[0]
        for engine, runs in cost.items():
            (w0, c0), (w1, c1) = runs[0], runs[-1]
            print(
                f"{engine}: {sizes[0]:,} -> {sizes[-1]:,} docs ({grow:.0f}x) took {w1 / w0:.2f}x "
                f"the wall time and {c1 / c0:.2f}x the CPU time (linear: {grow:.0f}x)"
            )


def _child(engine: str, n: int, out: Path, args: argparse.Namespace) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--one", engine, "--n", str(n), "--result", str(out)]
    cmd += ["--reprints", str(args.reprints), "--seed", str(args.seed)]
    cmd += ["--dask-workers", str(args.dask_workers)]
    cmd += ["--merge-clusters" if args.merge_clusters else "--no-merge-clusters"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{engine} run at N={n} failed:\n{proc.stderr[-3000:]}")
    # Only our own notes: a LocalCluster's teardown logs closed-connection noise.
    for line in proc.stderr.splitlines():
        if line.startswith(WARNED):
            print(line, file=sys.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _compare(a: list[tuple[Any, ...]], b: list[tuple[Any, ...]]) -> str:
    if len(a) != len(b):
        return f"no: {len(a)} vs {len(b)} documents"
    diff = sum(x != y for x, y in zip(a, b, strict=True))
    return "yes" if diff == 0 else f"no: {diff:,} of {len(a):,} documents differ"


#: Sentence ends of the seed (zh) and benchmark (en) articles, where bodies are cut.
_SENTENCE_END = re.compile(r"(?<=[.!?。!?])\s*")


def corpus_sentences(data: Path) -> tuple[list[str], list[str]]:
    """(titles, sentences) the generated bodies are drawn from."""
    import pipeline as pipe_bench

    arts = pipe_bench.originals(data)
    sentences = sorted(
        {s.strip() for _, _, ps in arts for p in ps for s in _SENTENCE_END.split(p)} - {""},
    )
    return [t for _, t, _ in arts], [s for s in sentences if len(s) >= 20]


def write_corpus(root: Path, n: int, data: Path, share: float, seed: int) -> int:
    """Write ``n`` small text files under ``root``, streamed; returns the bytes written.

    Each document is a site page (``bench/pipeline.py``'s five fake sites and
    their chrome) around four paragraphs of two to four sentences each, drawn
    from the sentences of the seed and benchmark articles, so documents are
    short (about 1-3 KB) and their bodies distinct; a ``share`` of them
    reprint one of the last thousand (``pipeline.reprint``), which keeps
    clusters small at any N.

    Why sentences and not whole paragraphs: the articles hold only 3,497
    paragraphs, so with four whole paragraphs per document each paragraph is
    in 4N/3,497 documents, and the pairs of documents sharing one grow as N²:
    LSH candidates went from 2.5 per document at 6k to 9.4 at 24k (about 390
    at 1M), and verified pairs from 2,292 to 30,794, measuring the generator
    instead of the run.  A real corpus does not print each paragraph a
    thousand times; sentence mixes keep the reprints as the only planted
    near-duplicates.

    Nothing is held but the reprint window: a million files take a few
    minutes and about 4 GB of /tmp (blocks included).  Files go to
    ``site-K/NNNN/`` folders of at most 1,000 files per site, so template
    groups stay the size of a real site section.
    """
    import random

    import pipeline as pipe_bench

    rng = random.Random(seed)
    titles, sentences = corpus_sentences(data)
    recent: list[tuple[str, list[str]]] = []
    made: set[Path] = set()
    total = 0
    for i in range(n):
        if recent and rng.random() < share:
            title, ps = pipe_bench.reprint(rng, *recent[rng.randrange(len(recent))])
        else:
            title = rng.choice(titles)
            ps = [" ".join(rng.sample(sentences, rng.randint(2, 4))) for _ in range(4)]
            if len(recent) < 1000:
                recent.append((title, ps))
            else:
                recent[i % 1000] = (title, ps)
        site = rng.randrange(len(pipe_bench.SITES))
        folder = root / f"site-{site}" / f"{i // (5 * 1000):04d}"
        if folder not in made:
            folder.mkdir(parents=True, exist_ok=True)
            made.add(folder)
        data_bytes = pipe_bench.page(rng, site, title, ps, titles).encode("utf-8")
        with open(folder / f"{i:07d}.txt", "wb") as fh:
            fh.write(data_bytes)
        total += len(data_bytes)
    return total


def _wait(proc: subprocess.Popen[bytes], rss: Any, out: Path, t0: float, every: float) -> int:
    """Wait for the run; every ``every`` seconds (0: never) print how far it got and its memory."""
    journal = out / ".newsclean" / "journal.jsonl"
    done, offset = 0, 0
    while True:
        try:
            return proc.wait(timeout=every or None)
        except subprocess.TimeoutExpired:
            pass
        if journal.exists():
            with open(journal, "rb") as fh:  # count the new lines only: the journal grows to GBs
                fh.seek(offset)
                chunk = fh.read()
            done += chunk.count(b"\n")
            offset += len(chunk)
        parent = rss.peaks.get(proc.pid, 0) / 2**20
        print(f"  ... {time.perf_counter() - t0:,.0f}s: {done:,} documents cleaned "
              f"({done / (time.perf_counter() - t0):.0f}/s), journal {offset / 2**20:,.0f} MB, "
              f"peak RSS so far: parent {parent:.0f} MB, tree {rss.peak / 2**20:.0f} MB, "
              f"load {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip


def dask_through_run(args: argparse.Namespace) -> None:
    """``newsclean run -jW`` with each engine on the same generated files, at each size.

    Wall time, CPU time of the whole process tree, peak RSS of the
    ``newsclean`` process and of its largest worker, and whether the two OUT
    folders are byte-identical (the journal aside: it is in completion order).
    """
    import shutil

    import pipeline as pipe_bench

    sizes = [int(x) for x in args.sizes.split(",")]
    w = args.run_workers
    tmp = Path(tempfile.mkdtemp(prefix="nc-dask-run-"))
    print(
        f"newsclean run -j{w} --engine local|dask (a LocalCluster of {w} workers x 1 thread) "
        f"on files generated by bench/pipeline.py (data {args.data}); {os.cpu_count()} CPUs"
    )
    print(f"{'N':>8} {'engine':7} {'wall s':>8} {'docs/s':>8} {'CPU s':>8} "
          f"{'peak MB: main, largest worker':>30} {'load':>5}  identical")  # fmt: skip
    try:
        for n in sizes:
            corpus = tmp / f"in-{n}"
            pipe_bench.generate(corpus, n, args.data)
            for engine in ("local", "dask"):
                out = tmp / f"out-{engine}-{n}"
                cmd = [sys.executable, "-m", "newsclean", "run", str(corpus), "-o", str(out)]
                cmd += ["-j", str(w), "-q", "--engine", engine]
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                t0 = time.perf_counter()
                proc = subprocess.Popen(cmd)
                rss = pipe_bench.TreeRss(proc.pid)
                rc = proc.wait()
                secs = time.perf_counter() - t0
                rss.stop()
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                if rc not in (0, 1):
                    raise SystemExit(f"newsclean run --engine {engine} failed with exit code {rc}")
                cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
                main_mb = rss.peaks.get(proc.pid, 0) / 2**20
                worker_mb = (
                    max((v for k, v in rss.peaks.items() if k != proc.pid), default=0) / 2**20
                )
                same = ""
                if engine == "dask":
                    same = "yes" if _tree(tmp / f"out-local-{n}") == _tree(out) else "NO"
                peaks = f"{main_mb:.0f}, {worker_mb:.0f}"
                print(f"{n:>8} {engine:7} {secs:>8.1f} {n / secs:>8.0f} {cpu:>8.1f} {peaks:>30} "
                      f"{os.getloadavg()[0]:>5.1f}  {same}", flush=True)  # fmt: skip
            shutil.rmtree(corpus)
            for engine in ("local", "dask"):
                shutil.rmtree(tmp / f"out-{engine}-{n}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".newsclean" not in p.relative_to(root).parts
    }


def through_run(args: argparse.Namespace) -> None:
    """``newsclean run`` at each size: wall time and peak RSS of the parent and each worker."""
    import shutil

    import pipeline as pipe_bench

    sizes = [int(x) for x in args.sizes.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="nc-through-run-", dir=args.tmp))
    print(
        f"newsclean run -j{args.run_workers} on small generated text files (data {args.data}); "
        f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs",
        flush=True,
    )
    head = (f"{'N':>9} {'system':<28} {'wall s':>8} {'docs/s':>7} {'tree MB':>8} "
            f"{'parent MB':>9} {'workers MB (each)':<22} {'parent B/doc':>12}")  # fmt: skip
    print(head, flush=True)
    parents: dict[int, float] = {}
    trees: dict[int, float] = {}
    try:
        for n in sizes:
            kept = args.corpus is not None
            corpus, out = (args.corpus if kept else tmp) / f"in-{n}", tmp / f"out-{n}"
            t0 = time.perf_counter()
            if kept and corpus.exists():
                print(f"  (N={n:,}: the corpus in {corpus}, generated before)", flush=True)
            else:
                size = write_corpus(corpus, n, args.data, args.reprints, args.seed)
                print(f"  (N={n:,}: generated {size / 2**20:,.0f} MB of text in "
                      f"{time.perf_counter() - t0:.0f}s, not timed below)", flush=True)  # fmt: skip
            cmd = [sys.executable, "-m", "newsclean", "run", str(corpus), "-o", str(out)]
            cmd += ["-j", str(args.run_workers), "-q"]
            t0 = time.perf_counter()
            proc = subprocess.Popen(cmd)
            rss = pipe_bench.TreeRss(proc.pid)
            rc = _wait(proc, rss, out, t0, args.watch)
            secs, peak = time.perf_counter() - t0, rss.stop()
            if rc not in (0, 1):
                raise SystemExit(f"newsclean run failed with exit code {rc}")
            mb = 2**20
            parent = rss.peaks.get(proc.pid, 0) / mb
            workers = sorted((v / mb for p, v in rss.peaks.items() if p != proc.pid), reverse=True)
            each = ", ".join(f"{w:.0f}" for w in workers[:4]) + (" ..." if len(workers) > 4 else "")
            parents[n], trees[n] = parent, peak
            name = f"newsclean run -j{args.run_workers}"
            print(f"{n:>9,} {name:<28} {secs:>8.1f} {n / secs:>7.0f} {peak:>8.0f} {parent:>9.0f} "
                  f"{each:<22} {parent * mb / n:>12,.0f}", flush=True)  # fmt: skip
            if n == sizes[0] and not args.no_baseline:
                t0 = time.perf_counter()
                proc = subprocess.Popen(
                    [sys.executable, "-c", pipe_bench.BASELINE, str(corpus), str(tmp / "b.json")]
                )
                rss = pipe_bench.TreeRss(proc.pid)
                proc.wait()
                secs, peak = time.perf_counter() - t0, rss.stop()
                name = "ftfy + datasketch (1 proc)"
                print(f"{n:>9,} {name:<28} {secs:>8.1f} {n / secs:>7.0f} {peak:>8.0f} {peak:>9.0f} "
                      f"{'-':<22} {peak * mb / n:>12,.0f}", flush=True)  # fmt: skip
            if not kept:
                shutil.rmtree(corpus)
            shutil.rmtree(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for lo, hi in pairwise(sizes):
        grown = (parents[hi] - parents[lo]) * 2**20 / (hi - lo)
        print(f"{lo:,} -> {hi:,} docs: tree peak {trees[hi] / trees[lo]:.2f}x, parent peak "
              f"{parents[hi] / parents[lo]:.2f}x, parent grows {grown:,.0f} bytes per extra "
              "document", flush=True)  # fmt: skip
    if 6000 in trees and 24000 in trees:
        print(f"peak RSS 24000/6000 docs: {trees[24000] / trees[6000]:.2f}x (goal <= 1.3x)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--reprints", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workers", type=int, default=1, help="processes that generate and sign")
    ap.add_argument("--engine", choices=["local", "dask"], default="local")
    ap.add_argument(
        "--sizes", default="50000,100000,200000", help="--engine dask: comma-separated N"
    )
    ap.add_argument("--dask-workers", type=int, default=2)
    ap.add_argument(
        "--merge-clusters",
        action=argparse.BooleanOptionalAction,
        default=Config().merge_clusters,
        help="the guarded cluster-merge pass, the same for every engine (default: Config's)",
    )
    ap.add_argument(
        "--cluster-only",
        action="store_true",
        help="skip texts: cluster random signatures with planted copies (LSH/cluster cost and RSS)",
    )
    ap.add_argument(
        "--through-run",
        action="store_true",
        help="time `newsclean run` itself on generated files at each of --sizes (peak RSS of its tree)",
    )
    ap.add_argument("--run-workers", type=int, default=2, help="--through-run: newsclean run -j")
    ap.add_argument("--data", type=Path, default=None, help="--through-run: the benchmark pages")
    ap.add_argument(
        "--tmp", default=None, help="--through-run: where the corpus goes (default: $TMPDIR)"
    )
    ap.add_argument("--no-baseline", action="store_true", help="--through-run: skip the peer")
    ap.add_argument(
        "--corpus",
        type=Path,
        default=None,
        help="--through-run: keep the generated corpora in DIR/in-N (and reuse one already there, "
        "generated with the same --seed and --reprints): a million files take minutes to write",
    )
    ap.add_argument(
        "--watch", type=float, default=0, help="--through-run: print progress every S seconds"
    )
    ap.add_argument("--one", choices=["local", "dask"], help=argparse.SUPPRESS)
    ap.add_argument("--result", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.through_run:
        if args.data is None:
            from _common import DEFAULT_DATA

            args.data = DEFAULT_DATA
        (dask_through_run if args.engine == "dask" else through_run)(args)
    elif args.one:
        one_run(args)
    elif args.cluster_only:
        cluster_only(args)
    elif args.engine == "dask":
        dask_scale(args)
    else:
        local_scale(args)


if __name__ == "__main__":
    main()
