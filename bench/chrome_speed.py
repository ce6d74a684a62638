"""Text-mode cleaning speed (docs/s per core) on seed-sized pages, with
``normalize`` alone measured in the same run as the reference.

CPU time (``time.process_time``), best of ``--repeat`` rounds: the machine is
shared, so wall time and the slow rounds measure the neighbours.  Compare the
ratio clean/normalize between runs, not the absolute numbers.

``--pipeline-docs N`` also times ``clean(kind="text")`` on the first N pages of
bench/pipeline.py's generated corpus (mixed Chinese and English reprints under
site chrome: what ``newsclean run`` cleans in its bench).

    python bench/chrome_speed.py [--repeat 5] [--copies 40] [--pipeline-docs 1000] [--profile]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from newsclean import clean
from newsclean.normalize import normalize

ROOT = Path(__file__).resolve().parent.parent


def measure(fn: Callable[[str], object], docs: list[str], repeat: int) -> float:
    """docs/s per core of the best round."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        for d in docs:
            fn(d)
        best = min(best, time.process_time() - t0)
    return len(docs) / best


def pipeline_pages(n: int) -> list[str]:
    """The first n pages (sorted by path) of the corpus bench/pipeline.py generates."""
    sys.path.insert(0, str(ROOT / "bench"))
    from _common import DEFAULT_DATA
    from pipeline import generate

    with tempfile.TemporaryDirectory(prefix="newsclean-chrome-speed-") as tmp:
        generate(Path(tmp), n, DEFAULT_DATA)
        return [p.read_text("utf-8") for p in sorted(Path(tmp).rglob("*.txt"))][:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--copies", type=int, default=40)
    ap.add_argument("--profile", action="store_true", help="cProfile one round instead")
    ap.add_argument(
        "--pipeline-docs",
        type=int,
        default=0,
        help="also time N pages of bench/pipeline.py's corpus",
    )
    args = ap.parse_args()
    seeds = [p.read_text("utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    docs = seeds * args.copies
    mixed = pipeline_pages(args.pipeline_docs) if args.pipeline_docs else []

    def run_clean(d: str) -> object:
        return clean(d, kind="text")

    run_clean(docs[0])  # warm the lexicon / regex caches outside the timing
    if args.profile:
        import cProfile
        import pstats

        with cProfile.Profile() as prof:
            for d in docs:
                run_clean(d)
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)
        return
    rows = [
        ("normalize (reference)", measure(normalize, docs, args.repeat)),
        ('clean(kind="text")', measure(run_clean, docs, args.repeat)),
    ]
    if mixed:
        rows.append(("clean, pipeline corpus", measure(run_clean, mixed, args.repeat)))
    kib = sum(len(s.encode("utf-8")) for s in seeds) / len(seeds) / 1024
    print(f"{len(docs)} docs (5 seeds x{args.copies}, mean {kib:.1f} KiB), best of {args.repeat}")
    print(f"{'function':<24}{'docs/s per core':>16}{'ms/doc':>9}")
    for name, rate in rows:
        print(f"{name:<24}{rate:>16.0f}{1000 / rate:>9.2f}")
    print(f"clean / normalize time ratio: {rows[0][1] / rows[1][1]:.1f}")
    if mixed:
        kib = sum(len(s.encode("utf-8")) for s in mixed) / len(mixed) / 1024
        print(f"pipeline corpus: first {len(mixed)} pages of bench/pipeline.py, mean {kib:.1f} KiB")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
