"""Normalize throughput (MB/s per core) next to ftfy.fix_text, measured in the same run.

Corpora: the five seeds repeated (Chinese, scraper artifacts) and the English
ground-truth bodies of the article-extraction benchmark.  Each function runs
single-threaded over each document; the best of ``--repeat`` rounds is kept,
because the machine is shared and the slowest rounds measure the neighbours.

    python bench/normalize.py [--data PATH] [--repeat 5] [--seed-copies 40]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "bench" / "article-extraction-benchmark"


def load_corpora(data: Path, seed_copies: int) -> dict[str, list[str]]:
    seeds = [p.read_text("utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    truth = json.loads((data / "ground-truth.json").read_text("utf-8"))
    english = [v["articleBody"] for v in truth.values() if v.get("articleBody")]
    return {f"seeds (zh) x{seed_copies}": seeds * seed_copies, "benchmark bodies (en)": english}


def measure(fn: Callable[[str], str], docs: list[str], repeat: int) -> tuple[float, float]:
    """(MB/s, docs/s) of the best round; MB are UTF-8 input bytes."""
    size = sum(len(d.encode("utf-8")) for d in docs)
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()  # CPU time: per core, not disturbed by waiting
        for d in docs:
            fn(d)
        best = min(best, time.process_time() - t0)
    best = max(best, 1e-9)
    return size / 1e6 / best, len(docs) / best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed-copies", type=int, default=40)
    args = ap.parse_args(argv)
    if not (args.data / "ground-truth.json").exists():
        print(f"no ground-truth.json under {args.data}; pass --data PATH", file=sys.stderr)
        return 2

    import ftfy

    from newsclean import Config
    from newsclean.normalize import normalize, normalize_line

    cfg = Config()

    def per_line(text: str, config: Config) -> str:
        # what the chrome detector does: one call per line
        return "\n".join([normalize_line(line, config) for line in text.split("\n")])

    norm_off = Config(fix_mojibake=False)
    contenders: list[tuple[str, Callable[[str], str]]] = [
        ("newsclean.normalize", lambda t: normalize(t, cfg)),
        ("newsclean.normalize (fix_mojibake=False)", lambda t: normalize(t, norm_off)),
        ("newsclean.normalize_line, line by line", lambda t: per_line(t, cfg)),
        ("ftfy.fix_text (defaults)", ftfy.fix_text),
    ]
    corpora = load_corpora(args.data, args.seed_copies)
    normalize("warm-up 企业 , 复工 。 &amp;", cfg)
    ftfy.fix_text("warm-up â€œ")

    print(f"normalize throughput, CPU time per core, best of {args.repeat} rounds")
    print(f"python {sys.version.split()[0]}, ftfy {ftfy.__version__}\n")
    header = f"| {'corpus':<24} | {'function':<42} | {'MB/s':>7} | {'docs/s':>8} | {'vs ftfy':>7} |"
    print(header)
    print("|" + "|".join("-" * (len(c)) for c in header.split("|")[1:-1]) + "|")
    for cname, docs in corpora.items():
        rows = [(name, *measure(fn, docs, args.repeat)) for name, fn in contenders]
        ftfy_mbs = rows[-1][1]
        for name, mbs, dps in rows:
            print(
                f"| {cname:<24} | {name:<42} | {mbs:7.2f} | {dps:8.0f} | {mbs / ftfy_mbs:6.1f}x |"
            )
    mb = sum(len(d.encode("utf-8")) for docs in corpora.values() for d in docs) / 1e6
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\ninput: {mb:.1f} MB in total; peak RSS {rss:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
