"""Is cleaning stable on its own output?  (black's ``assert_stable``, for news pages.)

For every page of each benchmark set and both modes, and for every seed::

    first  = clean(x, kind=mode)                  # x: the HTML page, or it flattened
    second = clean(first.text, kind="text")
    stable  <=> second.text == first.text

and, on the same first-pass texts, whether ``newsclean.check_text`` finds
anything (``check`` on ``run``'s output must find nothing).  Prints, per set and
mode, how many pages are unstable and which reasons fire on the second pass,
with the time each pass took.

    python bench/stability.py --data ../shared/bench/article-extraction-benchmark \\
        --data ../shared/bench/zh-content-extraction --seeds seeds [--show 5]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # bench.extraction's metric
DEFAULT_SETS = [
    ROOT.parent / "shared" / "bench" / "article-extraction-benchmark",
    ROOT.parent / "shared" / "bench" / "zh-content-extraction",
]


@dataclass
class Tally:
    pages: int = 0
    unstable: list[str] = field(default_factory=list)
    reasons: Counter[str] = field(default_factory=Counter)
    check_findings: Counter[str] = field(default_factory=Counter)
    check_pages: int = 0
    first_s: float = 0.0
    second_s: float = 0.0
    examples: list[tuple[str, str, str]] = field(default_factory=list)
    #: (truth, first pass, second pass) per page with a ground truth, for F1
    scored: list[tuple[str, str, str]] = field(default_factory=list)

    def f1(self, which: int) -> float:
        from bench.extraction import match, score

        triples = [match(t, x[which]) for t, *x in self.scored]
        return score(triples, [not t for t, *_ in self.scored]).f1


def truths_of(data: Path) -> dict[str, str]:
    truth = json.loads((data / "ground-truth.json").read_text("utf-8"))
    return {k: v.get("articleBody") or "" for k, v in truth.items()}


def pages_of(data: Path) -> Iterator[tuple[str, bytes]]:
    for key in sorted(truths_of(data)):
        with gzip.open(data / "html" / f"{key}.html.gz") as f:
            yield key, f.read()


def second_pass_reasons(first: str, second_text: str, removed: Sequence[str]) -> list[str]:
    if removed:
        return sorted(set(removed))
    return ["normalization"] if second_text != first else []


def measure(
    inputs: Iterator[tuple[str, bytes | str]],
    kind: str,
    tally: Tally,
    truths: dict[str, str] | None = None,
) -> None:
    import newsclean

    try:
        from newsclean.check import check_text
    except ImportError:  # older checkouts: stability only
        check_text = None

    for key, x in inputs:
        tally.pages += 1
        t0 = time.perf_counter()
        first = newsclean.clean(x, kind=kind)
        t1 = time.perf_counter()
        # an empty result (no-body) is no input: clean("") raises InputError(empty)
        second = newsclean.clean(first.text, kind="text") if first.text.strip() else first
        tally.first_s += t1 - t0
        tally.second_s += time.perf_counter() - t1
        if truths is not None:
            tally.scored.append((truths[key], first.text, second.text))
        if second.text != first.text:
            tally.unstable.append(key)
            reasons = second_pass_reasons(
                first.text, second.text, [b.reason for b in second.removed]
            )
            tally.reasons.update(reasons)
            tally.examples.append((key, first.text, second.text))
        if first.text and check_text is not None:
            found = check_text(first.text).findings
            if found:
                tally.check_pages += 1
                tally.check_findings.update(f.reason for f in found)


def flattened(pages: Iterator[tuple[str, bytes]]) -> Iterator[tuple[str, str]]:
    from newsclean.decode import decode_bytes
    from newsclean.html import flatten_html

    for key, raw in pages:
        yield key, flatten_html(decode_bytes(raw).text)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, action="append", help="a benchmark set (repeatable)")
    ap.add_argument("--seeds", type=Path, default=ROOT / "seeds", help="folder of seed .txt pages")
    ap.add_argument("--limit", type=int, default=None, help="pages per set")
    ap.add_argument("--show", type=int, default=0, help="print this many unstable diffs per run")
    args = ap.parse_args(argv)
    sets = args.data or DEFAULT_SETS
    runs: list[tuple[str, str, Tally]] = []
    for data in sets:
        if not (data / "ground-truth.json").is_file():
            print(f"no ground-truth.json under {data}; pass --data", file=sys.stderr)
            return 2
        pages = list(pages_of(data))[: args.limit]
        for mode in ("html", "text"):
            tally = Tally()
            inputs = iter(pages) if mode == "html" else flattened(iter(pages))
            measure(inputs, mode, tally, truths_of(data))
            runs.append((data.name, mode, tally))
    seeds = sorted(args.seeds.glob("*.txt"))
    if seeds:
        tally = Tally()
        measure(((p.name, p.read_bytes()) for p in seeds), "text", tally)
        runs.append(("seeds", "text", tally))

    print(f"{'set':32} {'mode':5} {'pages':>5} {'unstable':>8} {'check':>6} "
          f"{'1st s':>7} {'2nd s':>7} {'F1 1st':>6} {'F1 2nd':>6}  second-pass reasons / check findings")  # fmt: skip
    for name, mode, t in runs:
        reasons = ", ".join(f"{r} {n}" for r, n in t.reasons.most_common()) or "-"
        found = ", ".join(f"{r} {n}" for r, n in t.check_findings.most_common()) or "-"
        f1a, f1b = (f"{t.f1(0):.4f}", f"{t.f1(1):.4f}") if t.scored else ("-", "-")
        print(
            f"{name:32} {mode:5} {t.pages:5d} {len(t.unstable):8d} {t.check_pages:6d} "
            f"{t.first_s:7.1f} {t.second_s:7.1f} {f1a:>6} {f1b:>6}  {reasons} / {found}"
        )
    if args.show:
        import difflib

        for name, mode, t in runs:
            for key, a, b in t.examples[: args.show]:
                print(f"\n=== {name} {mode} {key}")
                sys.stdout.writelines(
                    difflib.unified_diff(
                        a.splitlines(keepends=True), b.splitlines(keepends=True), n=1
                    )
                )
    return 1 if any(t.unstable for _, _, t in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
