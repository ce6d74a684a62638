"""`newsclean run` over a generated corpus: docs/s and peak RSS at -j1 and -j2.

The corpus (default 10,000 text documents) is made from the five seeds and the
benchmark's pages flattened to text (docs/contracts.md §4), each published by several
fake sites with their own chrome (navigation, related list, footer) and
reprinted the way syndication does: 原标题 lines, agency outros, swapped
punctuation, truncation with 阅读全文, dropped paragraphs.  The ground truth
(which original each document reprints) gives pairwise dedup P/R/F1.

Peer, measured in the same run on the same files: a one-process baseline that
reads each file, repairs it with ftfy and deduplicates with datasketch's
MinHashLSH (char 5-grams, 128 permutations, threshold 0.7) without any chrome
removal.  Compare ratios, not absolute numbers: the machine is shared.

    python bench/pipeline.py [--n 10000] [--data PATH] [--workers 1 2] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEFAULT_DATA, data_arg_help, load_pages

ROOT = Path(__file__).resolve().parent.parent

SITES = [
    ("新华网", ["首页 | 时政 | 财经 | 国际 | 军事 | 图片", "当前位置: 首页 > 新闻中心 > 正文"],
     ["【纠错】 责任编辑: 王一", "版权所有 新华网 | 违法和不良信息举报电话: 010-88050707"]),
    ("人民网", ["人民网 >> 地方 >> 正文", "分享到: 微信 微博 QQ空间"],
     ["(责编: 李二、张三)", "人民日报社概况 | 关于人民网 | 报社招聘 | 联系我们"]),
    ("大众网", ["大众网首页 | 新闻 | 山东 | 财经 | 娱乐", "字号: 大 中 小"],
     ["相关新闻", "网站简介 | 广告服务 | 版权声明 | Copyright © 大众网 All Rights Reserved"]),
    ("Daily Wire", ["Home | World | Business | Tech | Sports", "Share on Facebook Share on Twitter"],
     ["Related Articles", "© 2020 Daily Wire. All rights reserved. Privacy Policy | Terms"]),
    ("News Hub", ["Menu Search Sign in Subscribe", "Advertisement"],
     ["Read more:", "Copyright 2020 News Hub Media. Contact us | Careers | Cookie settings"]),
]  # fmt: skip


def originals(data: Path) -> list[tuple[str, str, list[str]]]:
    """(id, title, paragraphs) of every seed and benchmark page, as flattened text."""
    from newsclean.html import flatten_html

    out = []
    for p in sorted((ROOT / "seeds").glob("*.txt")):
        lines = [x.strip() for x in p.read_text("utf-8").split("\n") if x.strip()]
        out.append((p.stem, lines[0], lines[1:]))
    for page in load_pages(data):
        lines = [x.strip() for x in flatten_html(page.html).split("\n") if x.strip()]
        body = [x for x in page.truth.split("\n") if x.strip()] or lines
        if len("".join(body)) < 200:
            continue
        out.append((page.id[:16], lines[0] if lines else page.id, body))
    return out


def reprint(rng: random.Random, title: str, paras: list[str]) -> tuple[str, list[str]]:
    """One syndicated variant of an article (docs/contracts.md §4)."""
    ps = list(paras)
    kind = rng.randrange(6)
    if kind == 0:
        title = f"原标题:{title}"
    elif kind == 1 and len(ps) > 3:
        ps = [*ps[: max(2, int(len(ps) * rng.uniform(0.5, 0.8)))], "阅读全文"]
    elif kind == 2 and len(ps) > 3:
        del ps[rng.randrange(len(ps))]
    elif kind == 3:
        ps = [
            p.replace(",", ",").replace(":", ":") if rng.random() < 0.5 else p.replace(",", ", ")
            for p in ps
        ]
    elif kind == 4:
        ps = ["(记者 张伟 报道)", *ps, "来源: 人民日报"]
    return title, ps


def page(rng: random.Random, site: int, title: str, paras: list[str], others: list[str]) -> str:
    name, head, foot = SITES[site]
    related = rng.sample(others, 3)
    lines = [
        *head,
        title,
        f"2020-03-{rng.randrange(1, 29):02d} 10:{rng.randrange(60):02d} 来源: {name}",
    ]
    lines += [*paras, foot[0], *(f"· {t}" for t in related), foot[1]]
    return "\n\n".join(lines) + "\n"


def generate(root: Path, n: int, data: Path, seed: int = 7) -> dict[str, int]:
    """Write n documents under root/site-K/; returns path -> original index (the truth)."""
    rng = random.Random(seed)
    arts = originals(data)
    titles = [t for _, t, _ in arts]
    truth: dict[str, int] = {}
    for i in range(n):
        a = i % len(arts) if i < len(arts) else rng.randrange(len(arts))
        _, title, paras = arts[a]
        if i >= len(arts):
            title, paras = reprint(rng, title, paras)
        site = rng.randrange(len(SITES))
        rel = f"site-{site}/{i:05d}.txt"
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(page(rng, site, title, paras, titles), "utf-8")
        truth[rel] = a
    return truth


class TreeRss:
    """Peak summed RSS of a process and its descendants, sampled from /proc.

    ``peaks`` keeps each process's own peak too (pid -> bytes; the root is
    ``pid``), so a report can tell the parent's memory from its workers'.
    """

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self.peaks: dict[int, int] = {}
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _tree(self) -> list[int]:
        pids, todo = [], [self.pid]
        while todo:
            p = todo.pop()
            pids.append(p)
            try:
                for task in os.listdir(f"/proc/{p}/task"):
                    with open(f"/proc/{p}/task/{task}/children") as fh:
                        todo += [int(c) for c in fh.read().split()]
            except OSError:
                pass
        return pids

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            for p in self._tree():
                try:
                    with open(f"/proc/{p}/status") as fh:
                        for line in fh:
                            if line.startswith("VmRSS:"):
                                rss = int(line.split()[1]) * 1024
                                total += rss
                                self.peaks[p] = max(self.peaks.get(p, 0), rss)
                except OSError:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(0.05)

    def stop(self) -> float:
        self._stop.set()
        self._t.join()
        return self.peak / 2**20


def pairwise(pred: dict[str, str], truth: dict[str, int]) -> tuple[float, float, float]:
    """Pairwise precision/recall/F1 of a clustering against the generating originals."""

    def pairs(labels: dict[str, object]) -> set[tuple[str, str]]:
        groups: dict[object, list[str]] = defaultdict(list)
        for k, v in labels.items():
            groups[v].append(k)
        return {p for g in groups.values() for p in combinations(sorted(g), 2)}

    keys = sorted(set(pred) & set(truth))
    got = pairs({k: pred[k] for k in keys})
    want = pairs({k: truth[k] for k in keys})
    tp = len(got & want)
    p = tp / len(got) if got else 0.0
    r = tp / len(want) if want else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


#: CPU seconds (user + sys, the process and all its workers) per system.
CPU: dict[str, float] = {}
REF_CPU: list[float] = []


def _child_cpu() -> float:
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


#: ``--profile``: run_batch in a child process, as the CLI calls it, with its phase
#: timings, the parent's CPU against its workers', and the parent's cProfile top.
PROFILED = r"""
import cProfile, io, json, pstats, resource, sys
from newsclean.batch import RunOptions, run_batch
prof = cProfile.Profile()
prof.enable()
summary = run_batch([sys.argv[1]], sys.argv[2], options=RunOptions(workers=int(sys.argv[3])))
prof.disable()
me = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
top = io.StringIO()
stats = pstats.Stats(prof, stream=top)
stats.sort_stats("tottime").print_stats(14)
lines = [x for x in top.getvalue().splitlines() if x.strip()][-15:]
print(json.dumps({"phases": summary.phases, "parent_cpu": me.ru_utime + me.ru_stime,
                  "workers_cpu": kids.ru_utime + kids.ru_stime, "top": lines}))
"""


def run_newsclean(
    corpus: Path, out: Path, workers: int, profile: bool = False
) -> tuple[float, float, dict[str, str]]:
    if out.exists():
        shutil.rmtree(out)
    cmd = [sys.executable, "-m", "newsclean", "run", str(corpus), "-o", str(out)]
    cmd += ["-j", str(workers), "-q"]
    if profile:
        cmd = [sys.executable, "-c", PROFILED, str(corpus), str(out), str(workers)]
    t0, c0 = time.perf_counter(), _child_cpu()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE if profile else None, text=True)
    rss = TreeRss(proc.pid)
    stdout, _ = proc.communicate()
    rc = proc.returncode
    secs = time.perf_counter() - t0
    CPU[f"newsclean run -j{workers}"] = _child_cpu() - c0
    peak = rss.stop()
    if rc not in (0, 1):
        raise SystemExit(f"newsclean run failed with exit code {rc}")
    if profile:
        _print_profile(workers, json.loads(stdout.strip().splitlines()[-1]))
    labels = {}
    statuses: dict[str, int] = defaultdict(int)
    for line in (out / "manifest.jsonl").read_text("utf-8").splitlines():
        rec = json.loads(line)
        statuses[rec["status"]] += 1
        rel = Path(rec["path"]).relative_to(corpus).as_posix()
        labels[rel] = rec["cluster_id"] or rel
    print(
        f"  -j{workers}: " + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())), flush=True
    )
    return secs, peak, labels


def _print_profile(workers: int, prof: dict[str, Any]) -> None:
    """Where the wall time of a run went: per phase, and the parent's CPU against its workers'."""
    phases = ", ".join(f"{k} {v:.1f}s" for k, v in prof["phases"].items())
    print(f"  -j{workers} phases (wall): {phases}")
    print(f"  -j{workers} CPU: parent {prof['parent_cpu']:.1f}s (serial), "
          f"workers {prof['workers_cpu']:.1f}s; parent's top functions (cProfile, tottime):")  # fmt: skip
    for line in prof["top"]:
        print(f"    {line}")


BASELINE = r"""
import json, sys, pathlib, ftfy
from datasketch import MinHash, MinHashLSH
root = pathlib.Path(sys.argv[1]); lsh = MinHashLSH(threshold=0.7, num_perm=128); labels = {}
for p in sorted(root.rglob("*.txt")):
    text = "".join(ftfy.fix_text(p.read_text("utf-8")).split())
    m = MinHash(num_perm=128, seed=1)
    m.update_batch([text[i:i + 5].encode() for i in range(max(1, len(text) - 4))])
    rel = p.relative_to(root).as_posix()
    hits = sorted(lsh.query(m))
    labels[rel] = labels[hits[0]] if hits else rel
    lsh.insert(rel, m)
json.dump(labels, open(sys.argv[2], "w"))
"""


def run_baseline(corpus: Path, tmp: Path) -> tuple[float, float, dict[str, str]]:
    out = tmp / "baseline.json"
    t0, c0 = time.perf_counter(), _child_cpu()
    proc = subprocess.Popen([sys.executable, "-c", BASELINE, str(corpus), str(out)])
    rss = TreeRss(proc.pid)
    rc = proc.wait()
    secs = time.perf_counter() - t0
    CPU["ftfy + datasketch LSH (1 proc)"] = _child_cpu() - c0
    peak = rss.stop()
    if rc != 0:
        raise SystemExit("baseline failed")
    return secs, peak, json.loads(out.read_text())


def run_reference(corpus: Path, limit: int) -> tuple[float, int]:
    """clean() + MinHash of each text in one loop: the per-document work with no batch around it."""
    from newsclean.clean import clean
    from newsclean.config import Config
    from newsclean.dedup import sketch
    from newsclean.dedup.minhash import Params

    cfg = Config()
    params = Params.from_config(cfg)
    files = sorted(corpus.rglob("*.txt"))[:limit]
    sketch([clean(files[0].read_bytes(), kind="text", config=cfg).text], params)  # warm up
    t0 = time.perf_counter()
    c0 = time.process_time()
    for f in files:
        text = clean(f.read_bytes(), kind="text", config=cfg).text
        if text:
            sketch([text], params)
    REF_CPU.append(time.process_time() - c0)
    return time.perf_counter() - t0, len(files)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help=data_arg_help())
    ap.add_argument("--n", type=int, default=10_000, help="documents to generate (default 10000)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts to time")
    ap.add_argument("--no-baseline", action="store_true", help="skip the datasketch baseline")
    ap.add_argument("--keep", action="store_true", help="keep the generated corpus and outputs")
    ap.add_argument(
        "--profile",
        action="store_true",
        help="per-phase wall time, parent vs worker CPU and the parent's cProfile top "
        "(run_batch in a child process instead of the CLI; the profiler slows the parent)",
    )
    ap.add_argument(
        "--repeat", type=int, default=1, help="time the worker counts this many times, "
        "alternating (the table shows the median; each round's -j2/-j1 ratio is printed)"
    )  # fmt: skip
    ap.add_argument(
        "--ref-docs", type=int, default=2000, help="documents for the clean()+MinHash loop"
    )
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="newsclean-bench-"))
    corpus = tmp / "corpus"
    t0 = time.perf_counter()
    truth = generate(corpus, args.n, args.data)
    size = sum(p.stat().st_size for p in corpus.rglob("*.txt"))
    print(f"corpus: {len(truth)} text documents, {size / 2**20:.1f} MB, "
          f"{len(set(truth.values()))} originals, generated in {time.perf_counter() - t0:.1f}s "
          f"on {os.cpu_count()} CPUs", flush=True)  # fmt: skip
    rows = []
    timed: dict[int, list[float]] = defaultdict(list)
    for rnd in range(args.repeat):
        for w in args.workers:
            secs, peak, labels = run_newsclean(corpus, tmp / f"out-j{w}", w, args.profile)
            timed[w].append(secs)
            if rnd == args.repeat - 1:
                secs = statistics.median(timed[w])
                rows.append((f"newsclean run -j{w}", w, secs, peak, pairwise(labels, truth)))
        if 1 in timed and 2 in timed:
            print(f"  round {rnd + 1}: -j1 {timed[1][-1]:.1f}s, -j2 {timed[2][-1]:.1f}s: "
                  f"{timed[1][-1] / timed[2][-1]:.2f}x", flush=True)  # fmt: skip
    ref_secs, ref_n = run_reference(corpus, args.ref_docs)
    ref_cpu = REF_CPU[-1]
    if not args.no_baseline:
        secs, peak, labels = run_baseline(corpus, tmp)
        rows.append(("ftfy + datasketch LSH (1 proc)", 1, secs, peak, pairwise(labels, truth)))
    print()
    print(
        "| system | docs/s | docs/s per worker | docs per CPU-s | MB/s | peak RSS (MB) | dedup P | R | F1 |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, w, secs, peak, (p, r, f) in rows:
        n = len(truth)
        cpu = CPU.get(name)
        per_cpu = f"{n / cpu:.0f}" if cpu else "–"
        print(f"| {name} | {n / secs:.0f} | {n / secs / w:.0f} | {per_cpu} | {size / 2**20 / secs:.2f} | "
              f"{peak:.0f} | {p:.3f} | {r:.3f} | {f:.3f} |")  # fmt: skip
    print(f"| clean() + MinHash loop, in-process, first {ref_n} docs | {ref_n / ref_secs:.0f} | "
          f"{ref_n / ref_secs:.0f} | {ref_n / ref_cpu:.0f} | – | – | – | – | – |")  # fmt: skip
    j = {w: secs for _, w, secs, *_ in rows[: len(args.workers)]}
    if 1 in j and 2 in j:
        print(f"\nscaling -j1 -> -j2: {j[1] / j[2]:.2f}x wall, median of {args.repeat} "
              f"(linear = 2.00x); CPU per doc "
              f"-j2/-j1 = {CPU['newsclean run -j2'] / CPU['newsclean run -j1']:.2f} (1.00 = no "
              "parallel overhead); load average now "
              + " ".join(f"{x:.1f}" for x in os.getloadavg()))  # fmt: skip
    if args.keep:
        print(f"kept {tmp}")
    else:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
