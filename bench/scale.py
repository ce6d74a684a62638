"""Signature + cluster at scale: N synthetic news-length documents with planted reprints.

Documents are generated on the fly (never all held in memory): half Chinese
(characters drawn Zipf-like from 3,000 ideographs, with punctuation), half
English (words drawn Zipf-like from a 20,000-word vocabulary), 1,200-3,000
characters each.  A share of them (``--reprints``, default 10 %) are reprints
of a recent original: a slice dropped, a few characters changed, sometimes
truncated to 70 % plus "阅读全文".

Reported: docs/s for signing and for clustering (generation time excluded),
peak RSS, the bytes per document of the index arrays (signatures, sizes, band
keys), and precision / recall on the planted pairs.

    python bench/scale.py --n 100000
    python bench/scale.py --n 1000000 --workers 2   # target: < 10 min, RSS < 4 GB
    python bench/scale.py --engine local       # (the Dask engine will add "dask")
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import peak_rss_mb

from newsclean import Config
from newsclean.dedup import _cluster_signed, sketch
from newsclean.dedup.lsh import bands_rows, lsh_threshold
from newsclean.dedup.minhash import Params


class Corpus:
    """A deterministic stream of synthetic documents and their true originals."""

    def __init__(self, n: int, reprint_share: float, seed: int, offset: int = 0) -> None:
        self.n = n
        self.offset = offset
        self.share = reprint_share
        self.rng = np.random.default_rng([seed, offset])
        self.zh_chars = 0x4E00 + self.rng.choice(0x5000, size=3000, replace=False)
        self.zh_cdf = self._zipf(3000).cumsum()
        letters = np.frombuffer(b"abcdefghijklmnopqrstuvwxyz", dtype=np.uint8)
        self.words = [
            bytes(self.rng.choice(letters, size=int(k))).decode()
            for k in self.rng.integers(2, 10, size=20_000)
        ]
        self.en_cdf = self._zipf(20_000).cumsum()
        self.truth = np.arange(offset, offset + n)  # index of each document's original
        self.gen_seconds = 0.0
        self.gen_cpu = 0.0

    @staticmethod
    def _zipf(k: int) -> np.ndarray:
        w = 1.0 / np.arange(1, k + 1) ** 0.9
        return w / w.sum()

    def _zh(self, length: int) -> str:
        pick = np.searchsorted(self.zh_cdf, self.rng.random(length)).clip(0, 2999)
        cps = self.zh_chars[pick].astype(np.uint32)
        cps[self.rng.integers(8, 30, size=length // 12).cumsum() % length] = ord("，")
        return cps.tobytes().decode("utf-32-le")

    def _en(self, length: int) -> str:
        idx = np.searchsorted(self.en_cdf, self.rng.random(length // 6)).clip(0, 19_999)
        return " ".join([self.words[i] for i in idx.tolist()])

    def _reprint(self, text: str) -> str:
        n = len(text)
        a = int(self.rng.integers(0, n))
        text = text[:a] + text[a + n // 10 :]  # a "paragraph" dropped
        chars = list(text)
        for i in self.rng.integers(0, len(chars), size=3):
            chars[i] = "的"
        text = "".join(chars)
        if self.rng.random() < 0.3:
            text = text[: int(len(text) * 0.7)] + "……阅读全文"
        return "来源: 新华社\n" + text

    def __iter__(self) -> Iterator[tuple[str, str]]:
        recent: deque[tuple[int, str]] = deque(maxlen=2000)
        for k in range(self.offset, self.offset + self.n):
            t, c = time.perf_counter(), time.process_time()
            if recent and self.rng.random() < self.share:
                orig, base = recent[int(self.rng.integers(0, len(recent)))]
                text = self._reprint(base)
                self.truth[k - self.offset] = orig
            else:
                length = int(self.rng.integers(1200, 3000))
                text = self._zh(length) if k % 2 == 0 else self._en(length)
                recent.append((k, text))
            self.gen_seconds += time.perf_counter() - t
            self.gen_cpu += time.process_time() - c
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


def sign_chunk(
    job: tuple[int, int, float, int],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, float, float]:
    """Generate and sign one chunk; returns sigs, sizes, truth, generate s, sign s, sign CPU s."""
    offset, n, share, seed = job
    corpus = Corpus(n, share, seed, offset)
    t, c = time.perf_counter(), time.process_time()
    sigs, sizes = sketch((text for _, text in corpus), Params.from_config(Config()))
    total, cpu = time.perf_counter() - t, time.process_time() - c
    return (
        sigs,
        sizes,
        corpus.truth,
        corpus.gen_seconds,
        total - corpus.gen_seconds,
        cpu - corpus.gen_cpu,
    )


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
    infos = _cluster_signed(ids, [None] * n, sigs, sizes, cfg)
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--reprints", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workers", type=int, default=1, help="processes that generate and sign")
    ap.add_argument(
        "--engine", choices=["local"], default="local", help="local: this machine (Dask: later)"
    )
    ap.add_argument(
        "--cluster-only",
        action="store_true",
        help="skip texts: cluster random signatures with planted copies (LSH/cluster cost and RSS)",
    )
    args = ap.parse_args()
    if args.cluster_only:
        cluster_only(args)
        return
    cfg = Config()
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
    sigs = np.concatenate([p[0] for p in parts])
    sizes = np.concatenate([p[1] for p in parts])
    truth = np.concatenate([p[2] for p in parts])
    gen_s = sum(p[3] for p in parts)
    sign_s = sum(p[4] for p in parts)  # wall seconds inside the workers, summed
    sign_cpu = sum(p[5] for p in parts)  # CPU seconds: what an unshared core would take
    sign_wall = wall * sign_s / (sign_s + gen_s)
    del parts
    ids = [f"doc{k}" for k in range(n)]
    t1, c1 = time.perf_counter(), time.process_time()
    infos = _cluster_signed(ids, [None] * n, sigs, sizes, cfg)
    cluster_s, cluster_cpu = time.perf_counter() - t1, time.process_time() - c1
    bands, rows = bands_rows(lsh_threshold(cfg.threshold, cfg.containment), cfg.num_perm)
    index_bytes = sigs.nbytes / n + sizes.nbytes / n + bands * 8
    prec, rec = planted_scores(truth, [i.cluster_id for i in infos])
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"N={n:,} ({args.reprints:.0%} planted reprints), num_perm={cfg.num_perm}, "
        f"threshold={cfg.threshold}, bands x rows={bands}x{rows}, "
        f"engine={args.engine}, workers={args.workers}"
    )
    print(f"{'step':30} {'seconds':>9} {'docs/s':>9}")
    print(f"{'generate (excluded; summed)':30} {gen_s:9.1f} {n / gen_s:9.0f}")
    print(f"{'sign, per worker (summed)':30} {sign_s:9.1f} {n / sign_s:9.0f}")
    print(f"{'sign, CPU time (summed)':30} {sign_cpu:9.1f} {n / sign_cpu:9.0f}")
    print(f"{'sign, wall (share of run)':30} {sign_wall:9.1f} {n / sign_wall:9.0f}")
    print(f"{'cluster (LSH+verify+assign)':30} {cluster_s:9.1f} {n / cluster_s:9.0f}")
    print(f"{'cluster, CPU time':30} {cluster_cpu:9.1f} {n / cluster_cpu:9.0f}")
    total = sign_wall + cluster_s
    print(f"{'sign + cluster, wall':30} {total:9.1f} {n / total:9.0f}")
    print(
        f"peak RSS {peak_rss_mb():.0f} MB (workers' peak {children:.0f} MB); index arrays "
        f"{index_bytes:.0f} bytes/doc (signature {sigs.nbytes / n:.0f} + size 4 + "
        f"{bands} band keys x 8)"
    )
    print(
        f"planted reprints: precision {prec:.4f}, recall {rec:.4f}; "
        f"{len({i.cluster_id for i in infos}):,} clusters"
    )


if __name__ == "__main__":
    main()
