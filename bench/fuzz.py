"""Fuzz ``clean()`` (both modes) and the readers with mutated and random inputs
(issue 11 acceptance): no exception other than newsclean errors, no document
over the timeout.

Case ``k`` is built from ``random.Random(seed * 1_000_003 + k)`` alone, so
every case is reproducible on its own (``--case K`` replays one and prints
its traceback).  Starting points: the seeds, the vendored HTML fixtures and
small synthetic pages.  Mutations: truncation, byte flips, byte insertions,
deletions and duplications, re-encoding (GBK, Big5, Shift-JIS, UTF-16/32
with and without BOM, cp1252, latin-1), control and NUL bytes, deep nesting
(up to 5,000 levels), giant attributes (up to 20,000 on one element, or one
value of 1 MB: one case in 200 gets the giant sizes), entity floods, splices of two inputs, purely random bytes and
random Unicode.  Targets per case, in turn: ``clean(bytes, kind="html")``,
``clean(bytes, kind="text")``, ``clean(str, kind="auto")`` and the readers
(the bytes written as .html, .txt, .jsonl, .json, .warc or .gz, read with
``read_documents`` and every document read cleaned).

    python bench/fuzz.py [-n 100000] [--seed 1] [-j 2] [--timeout 30] [--case K]

Prints counts per target and outcome, the slowest documents, and every
unexpected exception (type, message, case number), grouped.

Random mutations rarely build a page of a hostile *shape*: one whose lines
are each harmless but whose arrangement makes a detector pass super-linear.
``--shapes`` times ``clean(text, kind="text")`` on each of :data:`SHAPES`
at a few sizes instead (one process, with the timeout), with how much each
size's time grows per doubling of the input (2x is linear, 4x quadratic):

    python bench/fuzz.py --shapes [--sizes 100000,1000000,2000000]

``tables``: paragraphs of prose each followed by a small data table (number
cells), each table heavier than the paragraph before it, so the body edge
is carried across one table at a time (``_across_tables``); it took 14 s
at 1 MB and 44.6 s at 2.2 MB while every step summed the rest of the text.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import math
import multiprocessing as mp
import random
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGETS = ("clean-html", "clean-text", "clean-str", "readers")
ENCODINGS = (
    "gbk", "big5", "shift_jis", "euc-kr", "utf-16", "utf-16-le", "utf-16-be", "utf-32",
    "utf-8-sig", "cp1252", "latin-1", "koi8-r", "cp1251", "iso-8859-7",
)  # fmt: skip
#: Share of cases with giant sizes; the rest stay small so 100,000 run in minutes.
HEAVY_SHARE = 0.005
READER_SUFFIXES = (".html", ".txt", ".jsonl", ".json", ".warc", ".txt.gz", ".jsonl.gz", ".htm")


# --------------------------------------------------------------------------- inputs


def starting_points() -> list[bytes]:
    seeds = [p.read_bytes() for p in sorted((ROOT / "seeds").glob("*.txt"))]
    pages = [p.read_bytes() for p in sorted((ROOT / "fixtures" / "html").glob("*.html"))]
    synthetic = [
        b"<html><head><meta charset=gbk><title>T</title></head><body><p>"
        + "新闻正文内容，记者报道。".encode("gbk") * 20
        + b"</p></body></html>",
        b"<!doctype html><article><h1>Title</h1><p>" + b"The council met on Monday. " * 30
        + b"</p><footer>Share this</footer></article>",
        b'{"id": "a", "url": "https://x.y/1", "html": "<p>body</p>", "text": "Body text."}\n' * 3,
        b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 40\r\n\r\n"
        b"HTTP/1.1 200 OK\r\n\r\n<p>hello world</p>\r\n\r\n",
        "标题\n来源：新华社\n2020-02-26 14:51\n正文第一段。\n责任编辑：张三\n".encode(),
    ]  # fmt: skip
    return synthetic + seeds + pages


def _nest(rng: random.Random, body: bytes, heavy: bool) -> bytes:
    depth = rng.choice((1000, 5000) if heavy else (20, 100, 300))
    tag = rng.choice((b"div", b"font", b"span", b"b", b"table", b"p", b"li"))
    if rng.random() < 0.5:
        return b"<" + tag + b">" * 1 + (b"<" + tag + b">") * depth + body
    return (b"<" + tag + b">") * depth + body + (b"</" + tag + b">") * depth


def _giant_attributes(rng: random.Random, body: bytes, heavy: bool) -> bytes:
    if rng.random() < 0.5:
        n = rng.choice((2000, 20000) if heavy else (10, 100, 500))
        attrs = b" ".join(b"a%d=x" % k for k in range(n))
    else:
        size = rng.choice((10**5, 10**6) if heavy else (100, 3000))
        attrs = b'title="' + bytes([rng.randrange(97, 123)]) * size + b'"'
    return b"<div " + attrs + b">" + body + b"</div>"


def mutate(
    rng: random.Random, data: bytes, pool: list[bytes], heavy: bool = False
) -> tuple[str, bytes]:
    """One named mutation of ``data`` (sometimes two stacked); ``heavy`` picks the
    giant sizes (1 MB lines, 20,000 attributes, 5,000 levels)."""
    kind = rng.choice(
        (
            "truncate", "flip", "insert", "delete", "duplicate", "encode", "control",
            "nest", "attributes", "entities", "splice", "random-bytes", "random-unicode",
            "long-line",
        )
    )  # fmt: skip
    n = len(data)
    if kind == "truncate":
        out = data[: rng.randrange(0, n + 1)]
    elif kind == "flip":
        b = bytearray(data)
        for _ in range(rng.choice((1, 4, 32, 256))):
            if b:
                b[rng.randrange(len(b))] = rng.randrange(256)
        out = bytes(b)
    elif kind == "insert":
        at = rng.randrange(n + 1)
        out = data[:at] + rng.randbytes(rng.randrange(1, 64)) + data[at:]
    elif kind == "delete":
        a = rng.randrange(n + 1)
        out = data[:a] + data[a + rng.randrange(0, 512) :]
    elif kind == "duplicate":
        a = rng.randrange(n + 1)
        piece = data[a : a + rng.randrange(1, 200)]
        out = data[:a] + piece * rng.choice((500, 5000) if heavy else (2, 10, 50)) + data[a:]
    elif kind == "encode":
        text = data.decode("utf-8", errors="replace")
        out = text.encode(rng.choice(ENCODINGS), errors="replace")
    elif kind == "control":
        b = bytearray(data)
        for _ in range(rng.choice((1, 16, 200))):
            b.insert(rng.randrange(len(b) + 1), rng.choice((0, 1, 7, 8, 11, 12, 27, 127)))
        out = bytes(b)
    elif kind == "nest":
        out = _nest(rng, data[:2000], heavy)
    elif kind == "attributes":
        out = _giant_attributes(rng, data[:2000], heavy)
    elif kind == "entities":
        ent = rng.choice(
            (b"&amp;", b"&#x4e2d;", b"&#0;", b"&#xD800;", b"&nbsp;", b"&bogus;", b"&#99999999;")
        )
        reps = rng.choice((10**4, 5 * 10**4) if heavy else (10, 100, 500))
        out = data[:1000] + ent * reps + data[1000:2000]
    elif kind == "splice":
        other = rng.choice(pool)
        out = data[: rng.randrange(n + 1)] + other[rng.randrange(len(other) + 1) :]
    elif kind == "random-bytes":
        out = rng.randbytes(rng.choice((0, 1, 10, 300, 5000)))
    elif kind == "random-unicode":
        chars = [chr(rng.randrange(0x20, 0x30000)) for _ in range(rng.choice((1, 50, 1000)))]
        out = "".join(c for c in chars if not 0xD800 <= ord(c) < 0xE000).encode("utf-8")
    else:  # long-line
        size = rng.choice((10**5, 10**6) if heavy else (100, 3000))
        out = data[:500] + bytes([rng.choice(b"a .,<>-=\xe3")]) * size
    if rng.random() < 0.15:  # stack a second mutation now and then
        kind2, out = mutate(rng, out, pool, heavy)
        kind = f"{kind}+{kind2.split('+')[0]}"
    return kind, out


def case(seed: int, k: int, pool: list[bytes]) -> tuple[str, str, bytes, str]:
    """(target, mutation, input bytes, reader suffix) of case ``k``."""
    rng = random.Random(seed * 1_000_003 + k)
    heavy = rng.random() < HEAVY_SHARE
    start = rng.choice(pool)
    if not heavy and len(start) > 1500:  # most cases are small: the fuzz is about shapes
        at = rng.randrange(len(start) - 1500)
        start = start[at : at + 1500]
    kind, data = mutate(rng, start, pool, heavy)
    return (
        TARGETS[k % len(TARGETS)],
        kind + (" (heavy)" if heavy else ""),
        data,
        rng.choice(READER_SUFFIXES),
    )


_TEAMS = ("North End", "Harbour FC", "City United", "Eastside Rovers", "Old Town", "Rangers")
_SUBJECTS = ("The council", "The club", "The league", "The ministry", "The coach", "Officials")
_VERBS = ("said on Monday", "confirmed", "announced", "told reporters", "wrote in a statement")


def alternating_tables(size: int, seed: int = 1) -> str:
    """About ``size`` characters of a results page: a paragraph, a table of
    four rows of four cells (position, team, points, score: one cell per
    line, as a flattened page has them), a paragraph, a table, and so on,
    between a menu and a footer.  A paragraph is one sentence (NEAR: it
    weighs half its length, about 65) and a table's cells weigh -10 each,
    so no paragraph outweighs the table after it: each step of
    ``_across_tables`` gains one paragraph."""
    rng = random.Random(seed)
    out = ["Home", "News", "Sport", "Share on Facebook", "", "League results of the week", ""]
    n, k = 0, 0
    while n < size:
        k += 1
        para = (
            f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} that the results of round {k} "
            f"were confirmed after the {rng.choice(_TEAMS)} game and the other ones."
        )
        rows = []
        for pos in range(1, 5):
            rows += [str(pos), rng.choice(_TEAMS), str(rng.randrange(90)),
                     f"{rng.randrange(6)}-{rng.randrange(6)}"]  # fmt: skip
        block = [para, "", *rows, ""]
        out += block
        n += sum(len(line) + 1 for line in block)
    out += ["Share on Facebook", "© 2024 City News. All rights reserved."]
    return "\n".join(out)


#: Hostile shapes for ``--shapes``: name -> (size in characters -> text).
SHAPES: dict[str, Callable[[int], str]] = {"tables": alternating_tables}


def run_shapes(sizes: list[int], timeout: float) -> int:
    """Time every shape at every size; 1 if one is over the timeout or fails."""
    from newsclean import NewscleanError, clean

    failed = 0
    for name, make in SHAPES.items():
        last: tuple[int, float] | None = None  # (size, seconds) of the size before
        for size in sizes:
            text = make(size)
            t0 = time.perf_counter()
            try:
                art = clean(text, kind="text", timeout=timeout)
                outcome = f"kept {len(art.text):,} characters"
            except NewscleanError as exc:
                outcome = f"error:{getattr(exc, 'reason', type(exc).__name__)}"
                failed += 1
            took = time.perf_counter() - t0
            grows = ""
            if last is not None:  # per doubling of the input: 2x linear, 4x quadratic
                per = (took / last[1]) ** (math.log(2) / math.log(size / last[0]))
                grows = f", {per:.1f}x per doubling"
            print(f"{name:<8} {len(text):>10,} characters {took:>8.2f} s  {outcome}{grows}")
            last = (size, took)
    return 1 if failed else 0


# --------------------------------------------------------------------------- running


@dataclass
class Tally:
    counts: collections.Counter[str] = field(default_factory=collections.Counter)
    unexpected: dict[str, list[int]] = field(default_factory=dict)
    slow: list[tuple[float, int, str, str]] = field(default_factory=list)
    total_seconds: float = 0.0

    def merge(self, other: Tally) -> None:
        self.counts.update(other.counts)
        for key, cases in other.unexpected.items():
            self.unexpected.setdefault(key, []).extend(cases)
        self.slow = sorted(self.slow + other.slow, reverse=True)[:10]
        self.total_seconds += other.total_seconds


def _run_one(target: str, data: bytes, suffix: str, timeout: float, tmp: Path) -> list[str]:
    """Outcomes (``ok`` or a newsclean error reason) of one case; raises what is unexpected."""
    from newsclean import NewscleanError, clean
    from newsclean.config import field_names

    over = {"timeout": timeout} if "timeout" in field_names() else {}

    def cleaned(raw: bytes | str, kind: str) -> str:
        try:
            clean(raw, kind=kind, **over)
        except NewscleanError as exc:
            return f"error:{getattr(exc, 'reason', type(exc).__name__)}"
        return "ok"

    if target == "clean-html":
        return [cleaned(data, "html")]
    if target == "clean-text":
        return [cleaned(data, "text")]
    if target == "clean-str":
        return [cleaned(data.decode("utf-8", errors="replace"), "auto")]
    from newsclean.io.discover import Source
    from newsclean.io.readers import read_documents

    path = tmp / f"case{suffix}"
    path.write_bytes(gzip.compress(data, mtime=0) if suffix.endswith(".gz") else data)
    outcomes = []
    for doc in read_documents(Source(str(path), path.name, "g"), max_bytes=2 * 1024 * 1024):
        if doc.error is not None:
            outcomes.append(f"read-error:{doc.error.reason}")
        elif doc.raw is not None:
            outcomes.append(cleaned(doc.raw, doc.kind))
    return outcomes or ["no-documents"]


def run_chunk(args: tuple[int, int, int, float]) -> Tally:
    seed, start, stop, timeout = args
    pool = starting_points()
    tally = Tally()
    with tempfile.TemporaryDirectory(prefix="newsclean-fuzz-") as tmp:
        for k in range(start, stop):
            target, kind, data, suffix = case(seed, k, pool)
            t0 = time.perf_counter()
            try:
                outcomes = _run_one(target, data, suffix, timeout, Path(tmp))
            except Exception as exc:  # the point: anything else is a finding
                where = traceback.extract_tb(exc.__traceback__)[-1]
                key = f"{target}: {type(exc).__name__}: {str(exc)[:80]} @ {where.name}"
                tally.unexpected.setdefault(key, []).append(k)
                outcomes = ["UNEXPECTED"]
            took = time.perf_counter() - t0
            tally.total_seconds += took
            tally.counts[f"{target} {outcomes[0].split(':')[0]}"] += 1
            tally.counts[f"outcome {outcomes[0]}"] += 1
            tally.counts["inputs"] += 1
            tally.counts["documents"] += len(outcomes)
            if took > timeout:
                tally.counts["over the timeout"] += 1
            tally.slow = sorted([*tally.slow, (took, k, target, kind)], reverse=True)[:10]
    return tally


def replay(seed: int, k: int, timeout: float) -> int:
    target, kind, data, suffix = case(seed, k, starting_points())
    print(f"case {k}: target {target}, mutation {kind}, {len(data)} bytes, suffix {suffix}")
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        print(_run_one(target, data, suffix, timeout, Path(tmp)))
        print(f"{time.perf_counter() - t0:.2f} s")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", "--cases", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds one document may take")
    ap.add_argument("--case", type=int, help="replay one case and show its traceback")
    ap.add_argument("--shapes", action="store_true", help="time the hostile SHAPES instead")
    ap.add_argument("--sizes", default="100000,1000000,2000000", help="--shapes: characters")
    args = ap.parse_args()
    if args.case is not None:
        return replay(args.seed, args.case, args.timeout)
    if args.shapes:
        return run_shapes([int(s) for s in args.sizes.split(",")], args.timeout)

    t0 = time.perf_counter()
    step = 500
    chunks = [
        (args.seed, a, min(a + step, args.cases), args.timeout) for a in range(0, args.cases, step)
    ]
    total = Tally()
    with mp.get_context("fork").Pool(args.jobs, maxtasksperchild=20) as pool:
        for done, tally in enumerate(pool.imap_unordered(run_chunk, chunks), 1):
            total.merge(tally)
            if done % 20 == 0:
                print(f"  {total.counts['inputs']} inputs, {time.perf_counter() - t0:.0f} s",
                      file=sys.stderr, flush=True)  # fmt: skip
    wall = time.perf_counter() - t0
    c = total.counts
    print(f"seed {args.seed}: {c['inputs']} inputs ({c['documents']} documents) in {wall:.0f} s "
          f"wall, {args.jobs} processes, {c['inputs'] / wall:.0f} inputs/s")  # fmt: skip
    for target in TARGETS:
        row = {k.split(" ", 1)[1]: v for k, v in c.items() if k.startswith(target + " ")}
        print(f"  {target:<11} " + ", ".join(f"{k} {v}" for k, v in sorted(row.items())))
    reasons = {k[len("outcome ") :]: v for k, v in c.items() if k.startswith("outcome ")}
    print("  outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())))
    print(f"  over the {args.timeout:g} s timeout: {c['over the timeout']}")
    print("  slowest: " + ", ".join(f"case {k} {t}/{m} {s:.2f}s" for s, k, t, m in total.slow[:5]))
    n_bad = sum(len(v) for v in total.unexpected.values())
    print(f"  unexpected exceptions: {n_bad}")
    for key, cases in sorted(total.unexpected.items(), key=lambda kv: -len(kv[1])):
        print(f"    {len(cases):>6} x {key}  (e.g. --case {min(cases)})")
    return 1 if n_bad or c["over the timeout"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
