"""Extraction quality and speed on the benchmark sets (docs/contracts.md §4).

One process, side by side, on the same pages, for each set given to ``--data``
(by default the English article-extraction-benchmark and the Chinese
zh-content-extraction set; pages are decoded by newsclean's own decoder):

* HTML mode: ``trafilatura.extract`` alone (as the benchmark's own runner calls
  it) vs ``newsclean.clean(html, kind="html")``;
* text mode: the page flattened as docs/contracts.md §4 makes text-mode input (the
  unchanged flattened text is the baseline) vs ``newsclean.clean(flat, kind="text")``.

Systems run interleaved page by page, in a rotating order, so that noise from
the shared machine hits all of them alike; compare ratios, not absolute speed.

    python bench/extraction.py [--mode html|text|both] [--data PATH ...] [--limit N]
                               [--dump DIR] [--worst N] [--gap N]

The metric is the benchmark's published one (evaluate.py) with docs/contracts.md's two
decisions: every CJK ideograph is one token, and an empty prediction for a
non-empty truth scores precision 0 (the published script leaves such pages out
of the precision mean; ``F1pub`` shows that variant too, ``empty`` counts them).

Pages are also counted per failure class (issue 12): ``wrong`` block (F1 < 0.1),
``comments`` kept (two or more output lines outside the truth that look like a
comment thread), body ``cut`` (recall < 0.5 at precision >= 0.8) and
``markup`` leaked (tag-like text in the output that the truth does not have).
Where the set has date and author gold, their accuracy is shown too; for
trafilatura it is read by ``bare_extraction(with_metadata=True)``, off the clock.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import statistics
import sys
import traceback
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEFAULT_DATA, ZH_DATA, Page, Stopwatch, load_pages, peak_rss_mb

from newsclean.article import Article, Block

# --- the metric ----------------------------------------------------------------

# Han ideographs: the unified blocks, extensions A-F and the compatibility blocks.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# One ideograph, or a run of word characters that are not ideographs.
_TOKEN = re.compile(rf"[{_HAN}]|[^\W{_HAN}]+")

TpFpFn = tuple[float, float, float]


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """Token n-gram multiset; a text shorter than n tokens is one short shingle
    (as in the published evaluate.py), an empty text has none."""
    tokens = tokenize(text)
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens)


def match(truth: str, pred: str, n: int = 4) -> TpFpFn:
    """TP, FP, FN over shingle multisets, normalized to sum to 1 (0s when both empty)."""
    t, p = shingles(truth, n), shingles(pred, n)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s else (0.0, 0.0, 0.0)


def precision_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:  # identical (including both empty)
        return 1.0
    return tp / (tp + fp) if tp + fp else 0.0  # empty prediction: 0


def recall_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn else 0.0


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    f1_published: float  # empty predictions left out of the precision mean
    empty: int  # non-empty truth, empty prediction


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(triples: Sequence[TpFpFn], truth_empty: Sequence[bool]) -> Scores:
    """Means of per-document precision and recall; F1 is their harmonic mean."""
    if not triples:
        return Scores(0.0, 0.0, 0.0, 0.0, 0)
    precisions = [precision_score(*x) for x in triples]
    # Recall of an empty truth is undefined; the published script skips it too.
    recalls = [recall_score(*x) for x, e in zip(triples, truth_empty, strict=True) if not e]
    p = statistics.fmean(precisions)
    r = statistics.fmean(recalls) if recalls else 1.0
    nonempty = [precision_score(*x) for x in triples if x[0] + x[1] > 0]
    p_pub = statistics.fmean(nonempty) if nonempty else 0.0
    empty = sum(1 for x, e in zip(triples, truth_empty, strict=True) if not e and x[0] + x[1] == 0)
    return Scores(p, r, _f1(p, r), _f1(p_pub, r), empty)


# --- the systems -----------------------------------------------------------------

# (page, flattened text) -> predicted body, or an Article whose removed blocks
# --dump analyses too.
System = Callable[[Page, str], "str | Article"]


def _trafilatura(page: Page, flat: str) -> str:
    import trafilatura

    # Exactly the benchmark's extractors/run_trafilatura.py call.
    return trafilatura.extract(page.html, include_comments=False) or ""


def _newsclean_html(page: Page, flat: str) -> Article:
    import newsclean

    return newsclean.clean(page.html, kind="html")


def _flattened(page: Page, flat: str) -> str:
    return flat


def _newsclean_text(page: Page, flat: str) -> Article:
    import newsclean

    return newsclean.clean(flat, kind="text")


SYSTEMS: dict[str, list[tuple[str, System]]] = {
    "html": [("trafilatura", _trafilatura), ("newsclean html", _newsclean_html)],
    "text": [("flattened (baseline)", _flattened), ("newsclean text", _newsclean_text)],
}


# --- the run -----------------------------------------------------------------------


@dataclass
class Result:
    mode: str
    name: str
    preds: dict[str, str]
    removed: dict[str, tuple[Block, ...]] = field(default_factory=dict)
    errors: int = 0
    # page id -> (date, author) the system found; systems without metadata have none
    meta: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)


def run(pages: Sequence[Page], modes: Sequence[str]) -> tuple[list[Result], Stopwatch]:
    from newsclean.html import flatten_html

    systems = [(mode, name, fn) for mode in modes for name, fn in SYSTEMS[mode]]
    results = [Result(mode, name, {}) for mode, name, _ in systems]
    watch = Stopwatch()
    # Warm up imports and lazy loaders outside the clock.
    if pages:
        for _, _, fn in systems:
            with contextlib.suppress(Exception):
                fn(pages[0], flatten_html(pages[0].html))
    for i, page in enumerate(pages):
        # The baseline's cost is the flattening itself; newsclean text mode gets
        # the flattened page as its input, so only its own work is on its clock.
        with watch.time("flattened (baseline)"):
            flat = flatten_html(page.html)
        order = list(range(len(systems)))
        k = i % len(order)
        for j in order[k:] + order[:k]:
            _, name, fn = systems[j]
            res = results[j]
            if name == "flattened (baseline)":
                res.preds[page.id] = flat
                continue
            try:
                with watch.time(name):
                    pred = fn(page, flat)
            except Exception:
                res.errors += 1
                if res.errors == 1:
                    print(f"[{name}] failed on {page.id}:", file=sys.stderr)
                    traceback.print_exc()
                pred = ""
            if isinstance(pred, Article):
                res.removed[page.id] = pred.removed
                res.meta[page.id] = (pred.date, pred.author)
                pred = pred.text
            res.preds[page.id] = pred
    if any(p.date is not None or p.author is not None for p in pages):
        for res in results:
            if res.name == "trafilatura":
                res.meta = {p.id: _trafilatura_meta(p) for p in pages}
    return results, watch


def _trafilatura_meta(page: Page) -> tuple[str | None, str | None]:
    """trafilatura's own date and author, for comparison (not timed)."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(page.html, with_metadata=True)
    except Exception:
        return None, None
    return (getattr(doc, "date", None), getattr(doc, "author", None)) if doc else (None, None)


# --- failure classes ------------------------------------------------------------------

# An HTML tag written out as text: "<td>", "</p>", "<img src=...>".
_TAG_LIKE = re.compile(r"</?[A-Za-z][A-Za-z0-9]{0,9}(?:\s[^<>\n]{0,300})?/?>")
# Signs of a reader-comment thread: reply/quote buttons, "says:", floor numbers,
# vote counts, "posted by", 网友/回复/楼.
_COMMENT_SIGN = re.compile(
    r"\bsays:|\brepl(?:y|ies)\b|\bposted by\b|\bcomments?\b|\d+\s*(?:likes?|votes?|points?)\b"
    r"|回复|网友|楼主|[沙板地]发|\d+\s*楼|#\d+|发表于|评论|引用|[顶赞踩]\s*[(（\[]?\d",
    re.IGNORECASE,
)
WRONG_BLOCK_F1 = 0.1
CUT_RECALL, CUT_PRECISION = 0.5, 0.8


@dataclass(frozen=True)
class Failures:
    wrong_block: int = 0
    comments_kept: int = 0
    body_cut: int = 0
    markup: int = 0


def failures(pages: Sequence[Page], preds: dict[str, str]) -> Failures:
    """Pages per failure class (see the module docstring); a page may be in several."""
    wrong = comments = cut = markup = 0
    for p in pages:
        if not tokenize(p.truth):
            continue
        pred = preds.get(p.id, "")
        x = match(p.truth, pred)
        pr, rc = precision_score(*x), recall_score(*x)
        if _f1(pr, rc) < WRONG_BLOCK_F1:
            wrong += 1
        if rc < CUT_RECALL and pr >= CUT_PRECISION:
            cut += 1
        if _TAG_LIKE.search(pred) and not _TAG_LIKE.search(p.truth):
            markup += 1
        if _comment_lines(p.truth, pred) >= 2:
            comments += 1
    return Failures(wrong, comments, cut, markup)


def _comment_lines(truth: str, pred: str) -> int:
    """Output lines that are not the truth's and carry a comment-thread sign."""
    keys = set(shingles(truth))
    n = 0
    for line in pred.splitlines():
        if not _COMMENT_SIGN.search(line):
            continue
        own = set(shingles(line))
        if own and len(own & keys) <= len(own) / 2:
            n += 1
    return n


# --- date and author -------------------------------------------------------------------

_GOLD_DATE = re.compile(r"((?:19|20)\d\d)(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_NONE = ("UNKNOWN", "UNKNWON")  # the zh set's "no such field" (once misspelt)
_SQUASH = re.compile(r"[\W_]+")


def gold_date(gold: str | None) -> tuple[int, ...] | None:
    """(Y,), (Y, M) or (Y, M, D) from a gold date as printed ("2005-5-7 21:23"),
    () when the page has none, None when there is no usable gold."""
    if gold is None:
        return None
    if gold.strip() in _NONE:
        return ()
    m = _GOLD_DATE.fullmatch(gold.split(" ")[0]) if gold.strip() else None
    return tuple(int(g) for g in m.groups() if g) if m else None


def date_right(gold: tuple[int, ...], pred: str | None) -> bool:
    """Compared on Y-M-D, to the precision the gold has; a page whose gold
    says it has no date (``()``) is right only without a predicted date."""
    if not gold:
        return not pred
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", pred or "")
    return bool(m) and tuple(int(g) for g in m.groups())[: len(gold)] == gold


# The dataset README: "a series of author names divided by a blank space"; pages
# and systems also separate them with 、 , ; / or "and".
_NAME_SEP = re.compile(r"[\s、,，;；/]+|\band\b|&")


def _names(s: str) -> list[str]:
    return sorted(k for k in (_SQUASH.sub("", n).lower() for n in _NAME_SEP.split(s)) if k)


def author_right(gold: str, pred: str | None) -> bool:
    """The same names, whatever separates them and in any order ("王建宏 张文攀"
    = "张文攀、王建宏"; names written without a separator, "王建宏张文攀", count
    too); all of them: a name missing or added is wrong.  UNKNOWN gold means
    the page names no author, so any predicted author is wrong there."""
    if gold.strip() in _NONE:
        return not pred
    if not pred:
        return False
    squashed = _SQUASH.sub("", gold).lower() == _SQUASH.sub("", pred).lower()
    return squashed or _names(gold) == _names(pred)


def metadata_accuracy(
    pages: Sequence[Page], meta: dict[str, tuple[str | None, str | None]]
) -> tuple[str, str]:
    """``right/total`` for dates and authors over the pages with gold (UNKNOWN
    gold meaning none, so a page without a date or author counts too: a
    system must then find none), or "-" without gold or metadata."""
    if not meta:
        return "-", "-"
    dates = [
        (g, meta.get(p.id, (None, None))[0]) for p in pages if (g := gold_date(p.date)) is not None
    ]
    authors = [
        (p.author, meta.get(p.id, (None, None))[1]) for p in pages if p.author and p.author.strip()
    ]
    d = sum(date_right(g, x) for g, x in dates)
    a = sum(author_right(g, x) for g, x in authors)
    return (
        f"{d / len(dates):.2f} ({d}/{len(dates)})" if dates else "-",
        f"{a / len(authors):.2f} ({a}/{len(authors)})" if authors else "-",
    )


def report(pages: Sequence[Page], results: list[Result], watch: Stopwatch) -> str:
    mb = sum(p.nbytes for p in pages) / 1e6
    truth_empty = [not tokenize(p.truth) for p in pages]
    head = (
        "| mode | system | P | R | F1 | F1pub | empty | errors | wrong | comments | cut "
        "| markup | date | author | docs/s | MB/s |\n"
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    rows = [head]
    speed: dict[str, float] = {}
    for res in results:
        triples = [match(p.truth, res.preds.get(p.id, "")) for p in pages]
        s = score(triples, truth_empty)
        f = failures(pages, res.preds)
        date, author = metadata_accuracy(pages, res.meta)
        secs = watch.seconds.get(res.name, 0.0)
        dps = len(pages) / secs if secs else float("inf")
        speed[res.name] = dps
        mbs = mb / secs if secs else float("inf")
        rows.append(
            f"| {res.mode} | {res.name} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} "
            f"| {s.f1_published:.3f} | {s.empty} | {res.errors} | {f.wrong_block} "
            f"| {f.comments_kept} | {f.body_cut} | {f.markup} | {date} | {author} "
            f"| {dps:.1f} | {mbs:.2f} |"
        )
    rows.append(
        f"\n{len(pages)} pages, {mb:.1f} MB of HTML; peak RSS {peak_rss_mb():.0f} MB (whole process)"
    )
    if speed.get("newsclean html") and speed.get("trafilatura"):
        ratio = speed["trafilatura"] / speed["newsclean html"]
        rows.append(f"newsclean html takes {ratio:.2f}x trafilatura's time per page")
    return "\n".join(rows)


def worst(pages: Sequence[Page], results: list[Result], n: int) -> str:
    """The ``n`` pages with the lowest F1 of each newsclean system, with every
    system of the same mode on the same page next to it (``F1 P/R``), for
    classifying failures without a --dump."""
    out = []
    for res in results:
        if not res.name.startswith("newsclean"):
            continue
        peers = [r for r in results if r.mode == res.mode]
        scored = {
            r.name: {p.id: _prf(p.truth, r.preds.get(p.id, "")) for p in pages} for r in peers
        }
        mine = scored[res.name]
        out.append(f"\n[{res.name}] the {n} worst pages (F1 P/R):")
        for p in sorted(pages, key=lambda p: (mine[p.id][0], p.id))[:n]:
            cells = "  ".join(
                f"{r.name} {scored[r.name][p.id][0]:.3f} {scored[r.name][p.id][1]:.2f}/"
                f"{scored[r.name][p.id][2]:.2f}"
                for r in peers
            )
            out.append(f"  {p.id[:16]}  {cells}  {p.url or ''}")
    return "\n".join(out)


def gap(pages: Sequence[Page], results: list[Result], n: int) -> str:
    """The ``n`` pages where newsclean's text mode trails its HTML mode the
    most (issue 12: text mode must close its gap to HTML mode), with both F1s
    and text mode's P/R: the pages to classify text mode's failures on."""
    by_name = {r.name: r for r in results}
    html, text = by_name.get("newsclean html"), by_name.get("newsclean text")
    if html is None or text is None:
        return "\n(--gap needs both modes: --mode both)"
    rows = []
    for p in pages:
        h = _prf(p.truth, html.preds.get(p.id, ""))
        t = _prf(p.truth, text.preds.get(p.id, ""))
        rows.append((h[0] - t[0], p, h, t))
    mean = sum(r[0] for r in rows) / len(rows) if rows else 0.0
    out = [f"\n[text vs html] mean gap {mean:+.4f}; the {n} largest (html F1, text F1 P/R):"]
    for d, p, h, t in sorted(rows, key=lambda r: (-r[0], r[1].id))[:n]:
        out.append(
            f"  {p.id[:16]}  {d:+.3f}  html {h[0]:.3f}  text {t[0]:.3f} {t[1]:.2f}/{t[2]:.2f}"
            f"  {p.url or ''}"
        )
    return "\n".join(out)


def _prf(truth: str, pred: str) -> tuple[float, float, float]:
    x = match(truth, pred)
    pr, rc = precision_score(*x), recall_score(*x)
    return _f1(pr, rc), pr, rc


def dump(directory: Path, pages: Sequence[Page], results: list[Result]) -> None:
    """Per-document predictions and scores, worst first, for error analysis."""
    (directory / "truth").mkdir(parents=True, exist_ok=True)
    for p in pages:
        (directory / "truth" / f"{p.id}.txt").write_text(p.truth, encoding="utf-8")
    lines = ["system\tid\tprecision\trecall\tf1\turl"]
    for res in results:
        sub = directory / re.sub(r"\W+", "-", res.name).strip("-")
        sub.mkdir(parents=True, exist_ok=True)
        rows = []
        for p in pages:
            pred = res.preds.get(p.id, "")
            (sub / f"{p.id}.txt").write_text(pred, encoding="utf-8")
            x = match(p.truth, pred)
            pr, rc = precision_score(*x), recall_score(*x)
            rows.append((_f1(pr, rc), pr, rc, p))
        for f1, pr, rc, p in sorted(rows, key=lambda r: r[0]):
            lines.append(f"{sub.name}\t{p.id}\t{pr:.3f}\t{rc:.3f}\t{f1:.3f}\t{p.url or ''}")
    (directory / "scores.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    metadata_dump(directory, pages, results)
    removals(directory, pages, results)


def metadata_dump(directory: Path, pages: Sequence[Page], results: list[Result]) -> None:
    """``meta.tsv``: every system's date and author next to the gold, per page,
    with the verdict (``ok``/``WRONG``, ``-`` without usable gold)."""
    rows = ["system\tid\tgold date\tdate\tverdict\tgold author\tauthor\tverdict"]
    for res in results:
        if not res.meta:
            continue
        for p in pages:
            date, author = res.meta.get(p.id, (None, None))
            g = gold_date(p.date)
            dv = "-" if g is None else ("ok" if date_right(g, date) else "WRONG")
            av = (
                "-"
                if not (p.author or "").strip()
                else ("ok" if author_right(p.author or "", author) else "WRONG")
            )
            rows.append(f"{res.name}\t{p.id}\t{p.date}\t{date}\t{dv}\t{p.author}\t{author}\t{av}")
    if len(rows) > 1:
        (directory / "meta.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def removals(directory: Path, pages: Sequence[Page], results: list[Result]) -> None:
    """Every removed block, judged against the truth: ``removed.tsv`` lists them,
    and the summary shows per reason how many characters were chrome and how
    many were article body (a block counts as body when most of its shingles
    are in the ground truth)."""
    truth = {p.id: set(shingles(p.truth)) for p in pages}
    rows = ["system\tid\treason\tverdict\tchars\ttext"]
    for res in results:
        if not res.removed:
            continue
        chrome: Counter[str] = Counter()
        body: Counter[str] = Counter()
        for pid, blocks in res.removed.items():
            for b in blocks:
                keys = set(shingles(b.text))
                is_body = bool(keys) and len(keys & truth[pid]) > len(keys) / 2
                (body if is_body else chrome)[b.reason] += len(b.text)
                flat_text = b.text.replace("\t", " ").replace("\n", " ")[:200]
                verdict = "BODY" if is_body else "chrome"
                rows.append(f"{res.name}\t{pid}\t{b.reason}\t{verdict}\t{len(b.text)}\t{flat_text}")
        print(f"\n[{res.name}] removed characters by reason (chrome / article body):")
        for reason in sorted(set(chrome) | set(body), key=lambda r: -(chrome[r] + body[r])):
            print(f"  {reason:<14} {chrome[reason]:>8} / {body[reason]:>7}")
    (directory / "removed.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--mode", choices=("html", "text", "both"), default="both")
    ap.add_argument(
        "--data",
        type=Path,
        nargs="+",
        default=[DEFAULT_DATA, ZH_DATA],
        help=f"one or more sets (default: {DEFAULT_DATA} {ZH_DATA})",
    )
    ap.add_argument("--limit", type=int, default=None, help="first N pages (by id) only")
    ap.add_argument("--dump", type=Path, default=None, help="write per-doc predictions here")
    ap.add_argument(
        "--worst", type=int, default=0, metavar="N", help="list the N worst pages per system"
    )
    ap.add_argument(
        "--gap",
        type=int,
        default=0,
        metavar="N",
        help="list the N pages where text mode trails HTML mode the most",
    )
    args = ap.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        ap.error("--limit must be a positive number of pages")
    modes = ["html", "text"] if args.mode == "both" else [args.mode]
    for data in args.data:
        pages = load_pages(data, args.limit)
        results, watch = run(pages, modes)
        print(f"\n## {data.name}\n")
        print(report(pages, results, watch))
        if args.worst > 0:
            print(worst(pages, results, args.worst))
        if args.gap > 0:
            print(gap(pages, results, args.gap))
        if args.dump:
            out = args.dump / data.name if len(args.data) > 1 else args.dump
            dump(out, pages, results)
            print(f"per-document predictions and scores in {out}/scores.tsv")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
