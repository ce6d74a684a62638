"""Text-mode quality on the English and Chinese benchmark sets (docs/contracts.md §4).

A small probe until bench/extraction.py covers both sets: every page is decoded
with ``newsclean.decode``, flattened with ``newsclean.html.flatten_html``, and
cleaned with ``newsclean.clean(flat, kind="text")``; the flattened page itself
(the baseline) is scored in the same run.

    python bench/textmode_probe.py [--data PATH ...] [--limit N] [--worst K] [--dump DIR]
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEFAULT_DATA
from extraction import match, precision_score, recall_score

import newsclean
from newsclean.decode import decode_bytes
from newsclean.html import flatten_html

ZH_DATA = DEFAULT_DATA.parent / "zh-content-extraction"


def _pages(data: Path, limit: int | None) -> list[tuple[str, str, str]]:
    truth = json.loads((data / "ground-truth.json").read_text("utf-8"))
    out = []
    for key in sorted(truth)[:limit]:
        raw = gzip.decompress((data / "html" / f"{key}.html.gz").read_bytes())
        html = decode_bytes(raw, path=key).text
        out.append((key, flatten_html(html), truth[key].get("articleBody") or ""))
    return out


def _score(pairs: list[tuple[str, str]]) -> tuple[float, float, float]:
    ms = [match(t, p) for t, p in pairs]
    p = statistics.mean(precision_score(*m) for m in ms)
    r = statistics.mean(recall_score(*m) for m in ms)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, nargs="*", default=[DEFAULT_DATA, ZH_DATA])
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--worst", type=int, default=0, help="list the K worst pages")
    ap.add_argument("--dump", type=Path, default=None, help="write <id>.txt outputs here")
    args = ap.parse_args(argv)
    print("| set | system | P | R | F1 | docs/s |\n|---|---|---:|---:|---:|---:|")
    for data in args.data:
        pages = _pages(data, args.limit)
        t0 = time.process_time()
        outs = [newsclean.clean(flat, kind="text").text for _, flat, _ in pages]
        dt = time.process_time() - t0
        base = _score([(t, flat) for _, flat, t in pages])
        ours = _score([(t, o) for (_, _, t), o in zip(pages, outs, strict=True)])
        print(
            f"| {data.name} | flattened page | {base[0]:.3f} | {base[1]:.3f} | {base[2]:.3f} | — |"
        )
        print(
            f"| {data.name} | newsclean text | {ours[0]:.3f} | {ours[1]:.3f} | {ours[2]:.3f} "
            f"| {len(pages) / dt:.0f} |"
        )
        if args.dump:
            args.dump.mkdir(parents=True, exist_ok=True)
            for (key, _, _), o in zip(pages, outs, strict=True):
                (args.dump / f"{key}.txt").write_text(o, "utf-8")
        if args.worst:
            rows = []
            for (key, _, t), o in zip(pages, outs, strict=True):
                m = match(t, o)
                rows.append((_score([(t, o)])[2], precision_score(*m), recall_score(*m), key))
            for f1, p, r, key in sorted(rows)[: args.worst]:
                print(f"  {f1:.3f} P={p:.3f} R={r:.3f} {key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
