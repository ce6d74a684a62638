"""ReDoS check (issue 11 item 10): every compiled regex in newsclean against
adversarial lines of up to 1 MB, flagging any whose time grows faster than linearly.

Where the patterns come from:

1. every ``re`` compile made from newsclean code while its modules are imported
   and while ``clean()`` (both modes), ``normalize`` and the metadata run over
   the seeds: module constants and lazily built or cached patterns alike;
2. compiled patterns reachable from module globals (dicts, tuples, dataclasses);
3. every lexicon class's patterns compiled alone, named ``lexicon:FILE:CLASS``,
   and the combined patterns of every loaded lexicon.

What is thrown at each: runs of one character (letters, spaces, digits,
punctuation, CJK punctuation, brackets), the pattern's own literals repeated
back to back or followed by one long run of spaces, nested brackets, digit
and date shapes, mixed spacing.  Every
line ends in a character no pattern expects, so a pattern that backtracks
has to give up at the end.  ``search`` is timed (it tries every start, so it
bounds ``match``, ``finditer`` and ``sub``) at 64 characters, then 4x longer
up to 1M; a size whose time, projected from the last step's growth (quadratic
while the times are too short to tell), would pass ``--budget``
seconds is not run and the pattern is flagged, and a pattern whose worker
gives no answer within ``--kill`` seconds (exponential backtracking: no
signal interrupts the regex engine) is killed and flagged.  Flagged too: the
time from 64K to 1M grows more than ``--max-ratio`` times (16 is linear) and
1M takes over 50 ms (CPU time, best of 3, confirmed with best of 7).

Two reference patterns run in the same run as peers: ``a@`` (linear)
and ``\\s+$`` (the textbook quadratic trailing-space trim).

    python bench/redos.py [--budget 2] [--max-ratio 40] [-j 2] [--kill 900] [--only SUBSTRING]
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import multiprocessing as mp
import pkgutil
import re
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from re import _parser as sre_parse  # type: ignore[attr-defined]  # the regex parser
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = (64, 256, 1_024, 4_096, 16_384, 65_536, 262_144, 1_048_576)
I64K, I1M = SIZES.index(65_536), SIZES.index(1_048_576)
MAX_RATIO = 40.0  # t(1M)/t(64K) over this is super-linear (16 is linear); --max-ratio
END = "\x01"  # expected by no pattern: the match attempt must fail at the very end
Pattern = re.Pattern  # str or bytes


# --------------------------------------------------------------------------- collecting


def _record_compiles(found: dict[tuple[Any, int], str]) -> Callable[[], None]:
    """Record every re compile called from a newsclean module; returns the undo."""
    original = re._compile  # type: ignore[attr-defined]

    def recording(pattern: Any, flags: Any) -> Any:
        compiled = original(pattern, flags)
        frame = sys._getframe(1)
        while frame is not None and frame.f_globals.get("__name__", "") in ("re", "functools"):
            frame = frame.f_back  # type: ignore[assignment]
        name = frame.f_globals.get("__name__", "") if frame is not None else ""
        if name.startswith("newsclean") and isinstance(compiled, re.Pattern):
            key = (compiled.pattern, compiled.flags)
            found.setdefault(key, f"{name}:{frame.f_lineno}")
        return compiled

    re._compile = recording  # type: ignore[attr-defined]

    def undo() -> None:
        re._compile = original  # type: ignore[attr-defined]

    return undo


def _walk(obj: Any, depth: int = 0) -> Iterator[re.Pattern[Any]]:
    if isinstance(obj, re.Pattern):
        yield obj
    elif depth >= 4:
        return
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _walk(v, depth + 1)
    elif isinstance(obj, (list, tuple, set, frozenset)):
        for v in obj:
            yield from _walk(v, depth + 1)
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            yield from _walk(getattr(obj, f.name, None), depth + 1)


def collect() -> dict[tuple[Any, int], str]:
    """(pattern source, flags) -> where it was compiled, for every newsclean regex."""
    found: dict[tuple[Any, int], str] = {}
    undo = _record_compiles(found)
    try:
        import newsclean

        modules = [newsclean]
        for info in pkgutil.walk_packages(newsclean.__path__, "newsclean."):
            try:
                modules.append(importlib.import_module(info.name))
            except ImportError:  # an optional integration that is not installed
                continue
        _exercise()
    finally:
        undo()
    for mod in modules:
        for value in list(vars(mod).values()):
            for p in _walk(value):
                found.setdefault((p.pattern, p.flags), f"{mod.__name__} (global)")
    from newsclean.chrome.lexicon import LANGUAGE_FILES, LEXICON_FILES, _read, load_lexicon

    for lang in (None, *LANGUAGE_FILES):
        for p in _walk(dataclasses.asdict(load_lexicon(lang))):
            found.setdefault((p.pattern, p.flags), f"lexicon:{lang or 'default'} (combined)")
    for name in (*LEXICON_FILES, *LANGUAGE_FILES):
        for cls, spec in _read(name)["classes"].items():
            for k, pat in enumerate(spec["patterns"]):
                found.setdefault((pat, re.IGNORECASE | re.UNICODE), f"lexicon:{name}:{cls}[{k}]")
    return found


def _exercise() -> None:
    """Run the code paths that compile patterns lazily (caches, per-language tables)."""
    import newsclean
    from newsclean.chrome import detect

    seeds = [p.read_text("utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    html = (
        "<html><head><title>T — Site</title><meta name='author' content='A B'></head><body>"
        "<article><h1>Title</h1><p>By A B, 2020-02-26 14:51</p>"
        + "".join(f"<p>{s[:400]}</p>" for s in seeds)
        + "</article><footer>© 2020 Site. All rights reserved.</footer></body></html>"
    )
    english = "Share this article\nBy Jane Doe | Feb. 26, 2020\n" + "The council met. " * 40
    for text in (*seeds, english):
        for lang in (None, "ja", "ko"):
            detect(text, newsclean.Config(language=lang))
        newsclean.clean(text, kind="text")
        newsclean.normalize(text)
    newsclean.clean(html, kind="html", url="https://example.com/news/2020/02/26/x.html")
    newsclean.clean(html.encode("gbk", errors="replace"), kind="html")


# --------------------------------------------------------------------------- adversaries


def literals(pattern: Any) -> list[str]:
    """The literal runs a pattern spells out (its own alternatives' words)."""
    if isinstance(pattern, bytes):
        pattern = pattern.decode("latin-1")
    try:
        parsed = sre_parse.parse(pattern)
    except re.error:
        return []
    out: list[str] = []

    def walk(items: Any) -> None:
        run: list[str] = []
        for op, av in items:
            name = str(op)
            if name == "LITERAL":
                run.append(chr(av))
                continue
            if run:
                out.append("".join(run))
                run = []
            if name == "SUBPATTERN":
                walk(av[-1])
            elif name == "BRANCH":
                for branch in av[1]:
                    walk(branch)
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                walk(av[2])
            elif name in ("ASSERT", "ASSERT_NOT"):
                walk(av[1])
        if run:
            out.append("".join(run))

    walk(parsed)
    seen: dict[str, None] = dict.fromkeys(x for x in out if x.strip())
    return list(seen)[:24]


_RUN_CHARS = "a A0 .-_\t\u3000。，、<>=/|*#\u00a0é中'\"\\@:\u200c\u200d\u00ad\ufeff"
_REPEATS = {
    "nested ()": "(",
    "nested []": "[",
    "nested 【】": "【",
    "nested <>": "<a ",
    "digits": "0123456789",
    "digit-space": "1 ",
    "digit-dot": "1.",
    "dates": "2020-02-26 ",
    "times": "12:",
    "words": "word ",
    "Words.": "Word. ",
    "spaces-tabs": " \t",
    "ideographic-space": " \u3000",
    "cjk-punct": "。，、；：？！…—《》「」",
    "cjk-text": "中文内容，",
    "urls": "http://a.b/",
    "emails": "a@b.",
    "ellipses": "...",
    "arrows": ">>",
    "pipes": " | ",
}


def adversaries(pattern: Any) -> list[tuple[str, Callable[[int], str]]]:
    """(family, n -> an n-character line) pairs for one pattern."""

    def cycle(unit: str) -> Callable[[int], str]:
        def make(n: int) -> str:
            if unit in ("(", "[", "【"):  # nested: opens then closes
                close = {"(": ")", "[": "]", "【": "】"}[unit]
                return unit * (n // 2) + close * (n // 2 - 1) + END
            return (unit * (n // len(unit) + 1))[: n - 1] + END

        return make

    def trailing(head: str, unit: str) -> Callable[[int], str]:
        return lambda n: head + unit * max(0, n - len(head) - 1) + END

    out = [(f"run {c!r}", cycle(c)) for c in _RUN_CHARS]
    out += [(name, cycle(unit)) for name, unit in _REPEATS.items()]
    lits = literals(pattern)
    if lits:
        out.append(("own literals", cycle("".join(lits))))
        out.append(("own literals spaced", cycle(" ".join(lits) + " ")))
        out += [(f"own literal {lit[:12]!r}", cycle(lit)) for lit in lits[:6]]
        # a literal, then one long run of spaces: "reply" + 1M spaces takes
        # optional parts that each start with \s* apart one split at a time
        out += [(f"{lit[:12]!r} + spaces", trailing(lit, " ")) for lit in lits[:6]]
    return out


# --------------------------------------------------------------------------- timing


@dataclasses.dataclass(frozen=True)
class Result:
    where: str
    source: str
    family: str
    times: tuple[float, ...]  # per measured size, in SIZES order
    stopped: bool  # a larger size was not run: projected over the budget

    @property
    def ratio(self) -> float:
        """time(1M) / time(64K); 16 is linear.  inf when 1M was not run."""
        if self.stopped or len(self.times) <= I1M:
            return float("inf")
        return self.times[I1M] / max(self.times[I64K], 1e-6)

    def flagged(self, max_ratio: float) -> bool:
        return self.stopped or (self.ratio > max_ratio and self.times[I1M] > 0.05)


def _time_search(p: re.Pattern[Any], line: Any, rounds: int = 3) -> float:
    """Best CPU time of ``rounds`` searches: the machine is shared, waiting is not cost."""
    best = float("inf")
    for _ in range(rounds):
        t0 = time.process_time()
        p.search(line)
        best = min(best, time.process_time() - t0)
        if best > 0.2:
            break
    return best


def measure(job: tuple[Any, int, str, float]) -> list[Result]:
    source, flags, where, budget = job
    p = re.compile(source, flags)
    results = []
    for family, make in adversaries(source):
        times: list[float] = []
        stopped = False
        for size in SIZES:
            if times and times[-1] * _growth(times) > budget:  # the next, 4x longer line
                stopped = True
                break
            line: Any = make(size)
            if isinstance(source, bytes):
                line = line.encode("utf-8")
            times.append(_time_search(p, line))
        result = Result(where, str(source)[:70], family, tuple(times), stopped)
        if result.flagged(MAX_RATIO) and not stopped:  # confirm: noise is not growth
            again = [_time_search(p, _line(make, size, source), 7) for size in SIZES]
            result = dataclasses.replace(result, times=tuple(map(min, times, again)))
        results.append(result)
    return results


def _growth(times: list[float]) -> float:
    """How much longer the next (4x longer) line will take, from the last step's growth.

    Quadratic (16x) until the times are long enough to read a growth from:
    a linear pattern with a large constant (a bounded look-ahead window)
    grows 4x per step, and projecting it quadratically stopped and flagged
    it although it would have finished within the budget.  Between 4x and 16x
    whatever the last step showed; more is left to the kill timer.
    """
    if len(times) < 2 or times[-2] < 1e-3:
        return 16.0
    return min(16.0, max(4.0, times[-1] / times[-2]))


def _line(make: Callable[[int], str], size: int, source: Any) -> Any:
    line = make(size)
    return line.encode("utf-8") if isinstance(source, bytes) else line


def _child(job: tuple[Any, int, str, float], conn: Any) -> None:
    conn.send(measure(job))
    conn.close()


def run_killable(
    jobs: list[tuple[Any, int, str, float]], n: int, kill: float
) -> list[list[Result]]:
    """measure() of every job in forked workers, ``n`` at a time; a worker still
    busy after ``kill`` seconds is killed and its pattern reported as hung."""
    ctx = mp.get_context("fork")
    out: list[list[Result]] = [[] for _ in jobs]
    running: dict[int, tuple[Any, Any, float]] = {}
    todo = list(range(len(jobs)))[::-1]
    finished = 0
    while todo or running:
        while todo and len(running) < n:
            k = todo.pop()
            recv, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_child, args=(jobs[k], send))
            proc.start()
            send.close()
            running[k] = (proc, recv, time.perf_counter())
        for k, (proc, recv, t0) in list(running.items()):
            if recv.poll():
                out[k] = recv.recv()
            elif time.perf_counter() - t0 > kill:
                proc.kill()
                src, _, where, _ = jobs[k]
                out[k] = [Result(where, str(src)[:70], f"killed after {kill:g} s", (), True)]
            else:
                continue
            proc.join()
            del running[k]
            finished += 1
            for r in out[k]:  # flagged ones at once: a long run may be cut short
                if r.flagged(MAX_RATIO):
                    print(f"  flagged: {r.where} {r.family} {r.times}", file=sys.stderr)
                    break
            if finished % 25 == 0:
                print(f"  {finished}/{len(jobs)} patterns", file=sys.stderr, flush=True)
        time.sleep(0.005)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--budget", type=float, default=2.0, help="seconds one search may take")
    ap.add_argument("--max-ratio", type=float, default=40.0, help="flag when t(1M)/t(64K) > this")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--kill", type=float, default=900.0, help="seconds before a worker is killed")
    ap.add_argument("--only", help="only patterns whose origin or source contains this")
    args = ap.parse_args()
    global MAX_RATIO
    MAX_RATIO = args.max_ratio

    t0 = time.perf_counter()
    found = collect()
    jobs = [
        (src, flags, where, args.budget)
        for (src, flags), where in sorted(found.items(), key=lambda kv: (kv[1], str(kv[0][0])))
        if not args.only or args.only in where or args.only in str(src)
    ]
    peers = [
        ("a@", 0, "peer: linear a@", args.budget),
        (r"\s+$", 0, "peer: quadratic \\s+$", args.budget),
    ]
    per_pattern = run_killable(peers + jobs, args.jobs, args.kill)
    worst = [max(rs, key=lambda r: (r.stopped, r.ratio)) for rs in per_pattern]
    n_lines = sum(len(rs) for rs in per_pattern)
    print(f"{len(jobs)} newsclean patterns, {n_lines} adversarial lines x {len(SIZES)} sizes,")
    print(f"{time.perf_counter() - t0:.0f} s; search() time at 64K and 1M, worst family each")
    print(f"{'pattern (where)':<44} {'family':<26} {'64K ms':>8} {'1M ms':>8} {'1M/64K':>7}")
    flagged = 0
    for k, r in enumerate(worst):
        bad = r.flagged(args.max_ratio)
        flagged += bad and k >= len(peers)
        if k < len(peers) or bad or args.only:
            t64 = f"{r.times[I64K] * 1e3:8.2f}" if len(r.times) > I64K else f"{'-':>8}"
            t1m = f"{r.times[I1M] * 1e3:8.1f}" if len(r.times) > I1M else f"{'>budget':>8}"
            ratio = f"{r.ratio:7.1f}" if r.ratio != float("inf") else f"{'inf':>7}"
            mark = "  SUPER-LINEAR" if bad else ""
            print(f"{r.where[:44]:<44} {r.family[:26]:<26} {t64} {t1m} {ratio}{mark}")
            if bad:
                print(f"    {r.source!r}")
    ratios = sorted(r.ratio for r in worst[len(peers) :] if r.ratio != float("inf"))
    if ratios:
        print(
            f"median worst ratio {ratios[len(ratios) // 2]:.1f}, max {ratios[-1]:.1f} (16 = linear)"
        )
    print(f"flagged: {flagged} of {len(jobs)}")
    return 1 if flagged else 0


if __name__ == "__main__":
    raise SystemExit(main())
